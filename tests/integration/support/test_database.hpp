#pragma once

#include <string>

namespace blink_sync::testing {

// Returns the administrator URL of the throwaway cluster that the ctest
// fixture started (read from the file named by BLINK_SYNC_TEST_PG_URL_FILE).
std::string cluster_admin_url();

// Returns `url` with its database name replaced.
std::string with_database(const std::string& url, const std::string& database);

// A database of its own for one test, created empty and dropped at the end.
class TestDatabase {
 public:
  // Creates the database in the shared cluster, or in the cluster whose
  // administrator URL is `admin_url` when it is not empty.
  explicit TestDatabase(const std::string& name_hint, std::string admin_url = "");
  ~TestDatabase();
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  const std::string& url() const { return url_; }

  // Runs SQL text (several statements are fine) in the test database.
  void execute(const std::string& sql) const;
  void execute_file(const std::string& path) const;

  // Returns the first column of the first row as text ("" for NULL).
  std::string scalar(const std::string& sql) const;

 private:
  std::string name_;
  std::string admin_url_;
  std::string url_;
};

}  // namespace blink_sync::testing
