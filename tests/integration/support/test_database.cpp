#include "support/test_database.hpp"

#include <pqxx/connection>
#include <pqxx/nontransaction>
#include <pqxx/result>

#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace blink_sync::testing {

std::string cluster_admin_url() {
  const char* file = std::getenv("BLINK_SYNC_TEST_PG_URL_FILE");
  if (file == nullptr) {
    throw std::runtime_error("BLINK_SYNC_TEST_PG_URL_FILE is not set; run the integration tests through ctest");
  }
  std::ifstream in(file);
  std::string url;
  if (!std::getline(in, url) || url.empty()) {
    throw std::runtime_error(std::string("no cluster URL in ") + file + "; did the postgres fixture start?");
  }
  return url;
}

std::string with_database(const std::string& url, const std::string& database) {
  const auto slash = url.rfind('/');
  return url.substr(0, slash + 1) + database;
}

TestDatabase::TestDatabase(const std::string& name_hint, std::string admin_url)
    : admin_url_(admin_url.empty() ? cluster_admin_url() : std::move(admin_url)) {
  std::string name = "t_";
  for (char c : name_hint) {
    name.push_back(std::isalnum(static_cast<unsigned char>(c)) ? static_cast<char>(std::tolower(c)) : '_');
  }
  name_ = name.substr(0, 40) + "_" + std::to_string(::getpid());
  const auto& admin = admin_url_;
  pqxx::connection connection(admin);
  pqxx::nontransaction work(connection);
  work.exec("DROP DATABASE IF EXISTS " + work.quote_name(name_) + " WITH (FORCE)");
  work.exec("CREATE DATABASE " + work.quote_name(name_));
  url_ = with_database(admin, name_);
}

TestDatabase::~TestDatabase() {
  try {
    pqxx::connection connection(admin_url_);
    pqxx::nontransaction work(connection);
    work.exec("DROP DATABASE IF EXISTS " + work.quote_name(name_) + " WITH (FORCE)");
  } catch (const std::exception&) {
    // The cluster is removed at the end of the run anyway, and a private
    // one may already be stopped.
  }
}

void TestDatabase::execute(const std::string& sql) const {
  pqxx::connection connection(url_);
  pqxx::nontransaction work(connection);
  work.exec(sql);
}

void TestDatabase::execute_file(const std::string& path) const {
  std::ifstream in(path);
  if (!in) {
    throw std::runtime_error("cannot read " + path);
  }
  std::stringstream text;
  text << in.rdbuf();
  execute(text.str());
}

std::string TestDatabase::scalar(const std::string& sql) const {
  pqxx::connection connection(url_);
  pqxx::nontransaction work(connection);
  const auto rows = work.exec(sql);
  if (rows.empty() || rows[0][0].is_null()) {
    return {};
  }
  return rows[0][0].c_str();
}

}  // namespace blink_sync::testing
