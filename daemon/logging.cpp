#include "daemon/logging.hpp"

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <regex>

#include "daemon/json_log_line.hpp"

namespace blink_sync {
namespace {

constexpr const char* kPattern = "%Y-%m-%dT%H:%M:%S.%e%z %l %v";

std::shared_ptr<spdlog::sinks::sink> stderr_sink() {
  return std::make_shared<spdlog::sinks::stderr_sink_mt>();
}

// Writes each line as one JSON object (log.format: json).
class JsonFormatter final : public spdlog::formatter {
 public:
  void format(const spdlog::details::log_msg& message, spdlog::memory_buf_t& out) override {
    const auto level = spdlog::level::to_string_view(message.level);
    const auto line = json_log_line(message.time, std::string_view(level.data(), level.size()),
                                    std::string_view(message.payload.data(), message.payload.size()));
    out.append(line.data(), line.data() + line.size());
    out.push_back('\n');
  }

  std::unique_ptr<spdlog::formatter> clone() const override { return std::make_unique<JsonFormatter>(); }
};

// The file sink: rotated by size here, or appended to and reopened on
// SIGHUP when an external tool such as logrotate rotates it.
spdlog::sink_ptr file_sink(const LogConfig& config) {
  if (config.rotation == LogRotation::external) {
    return std::make_shared<spdlog::sinks::basic_file_sink_mt>(*config.file, false);
  }
  return std::make_shared<spdlog::sinks::rotating_file_sink_mt>(*config.file, config.max_size_mb * 1024U * 1024U,
                                                                config.max_files);
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
      sinks.push_back(file_sink(config));
    } catch (const spdlog::spdlog_ex& error) {
      throw std::runtime_error("cannot open log.file \"" + *config.file + "\": " + error.what() +
                               "; check that its folder exists and is writable by the service user");
    }
  }

  auto logger = std::make_shared<spdlog::logger>("blink-sync", sinks.begin(), sinks.end());
  if (config.format == LogFormat::json) {
    logger->set_formatter(std::make_unique<JsonFormatter>());
  } else {
    logger->set_pattern(kPattern);
  }
  logger->set_level(spdlog::level::from_str(config.level));
  logger->flush_on(spdlog::level::info);
  spdlog::set_default_logger(logger);
}

void reopen_log_file(const LogConfig& config) {
  if (!config.file || config.rotation != LogRotation::external) {
    return;
  }
  try {
    spdlog::default_logger()->flush();
    setup_logging(config);
    spdlog::info("service: reopened log.file \"{}\"", *config.file);
  } catch (const std::exception& error) {
    spdlog::error("service: cannot reopen the log file, so lines go to standard error only: {}", error.what());
  }
}

void set_log_level(const std::string& level) { spdlog::default_logger()->set_level(spdlog::level::from_str(level)); }

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
