#include "daemon/logging.hpp"

#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <regex>

namespace blink_sync {
namespace {

constexpr const char* kPattern = "%Y-%m-%dT%H:%M:%S.%e%z %l %v";

std::shared_ptr<spdlog::sinks::sink> stderr_sink() {
  return std::make_shared<spdlog::sinks::stderr_sink_mt>();
}

}  // namespace

void setup_console_logging() {
  auto logger = std::make_shared<spdlog::logger>("blink-sync", stderr_sink());
  logger->set_pattern(kPattern);
  spdlog::set_default_logger(logger);
}

void setup_logging(const LogConfig& config) {
  std::vector<spdlog::sink_ptr> sinks = {stderr_sink()};
  if (config.file) {
    try {
      sinks.push_back(std::make_shared<spdlog::sinks::rotating_file_sink_mt>(
          *config.file, config.max_size_mb * 1024U * 1024U, config.max_files));
    } catch (const spdlog::spdlog_ex& error) {
      throw std::runtime_error("cannot open log.file \"" + *config.file + "\": " + error.what() +
                               "; check that its folder exists and is writable by the service user");
    }
  }

  auto logger = std::make_shared<spdlog::logger>("blink-sync", sinks.begin(), sinks.end());
  logger->set_pattern(kPattern);
  logger->set_level(spdlog::level::from_str(config.level));
  logger->flush_on(spdlog::level::info);
  spdlog::set_default_logger(logger);
}

std::string redact_personal_data(const std::string& text) {
  static const std::regex email(R"([^\s"'<>(),;:]+@[^\s"'<>(),;:]+)");
  // MM/DD/YYYY, DD.MM.YYYY, MM/DD/YY and YYYY-MM-DD. IP addresses never end
  // in a four-digit group, so they are left alone.
  static const std::regex date(
      R"(\b(\d{1,2}[-/.]\d{1,2}[-/.]\d{4}|\d{1,2}[-/]\d{1,2}[-/]\d{2}|\d{4}-\d{1,2}-\d{1,2})\b)");
  auto redacted = std::regex_replace(text, email, "<email>");
  return std::regex_replace(redacted, date, "<date>");
}

}  // namespace blink_sync
