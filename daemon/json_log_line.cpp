#include "daemon/json_log_line.hpp"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <ctime>
#include <regex>

namespace blink_sync {
namespace {

std::string utc_time(std::chrono::system_clock::time_point time) {
  const auto seconds = std::chrono::floor<std::chrono::seconds>(time);
  const auto milliseconds = std::chrono::duration_cast<std::chrono::milliseconds>(time - seconds).count();
  const std::time_t epoch = std::chrono::system_clock::to_time_t(seconds);
  std::tm parts{};
  ::gmtime_r(&epoch, &parts);
  char text[64];
  std::snprintf(text, sizeof text, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", parts.tm_year + 1900, parts.tm_mon + 1,
                parts.tm_mday, parts.tm_hour, parts.tm_min, parts.tm_sec, static_cast<int>(milliseconds));
  return text;
}

constexpr std::size_t kMaxComponentLength = 20;

bool is_reserved(const std::string& key) {
  return key == "time" || key == "level" || key == "component" || key == "message";
}

// Undoes the quoting of message="…" values.
std::string unquote(const std::string& value) {
  if (value.size() < 2 || value.front() != '"' || value.back() != '"') {
    return value;
  }
  return value.substr(1, value.size() - 2);
}

}  // namespace

std::string json_log_line(std::chrono::system_clock::time_point time, std::string_view level,
                          std::string_view text) {
  nlohmann::json line;
  line["time"] = utc_time(time);
  line["level"] = std::string(level);

  // "component: sentence": the component is the short text before the
  // first ": ", such as "cycle" or "record error", without fields or quotes.
  std::string message(text);
  const auto colon = message.find(": ");
  const auto prefix = message.substr(0, colon == std::string::npos ? 0 : colon);
  if (colon != std::string::npos && colon <= kMaxComponentLength &&
      prefix.find_first_of("=\",") == std::string::npos) {
    line["component"] = message.substr(0, colon);
    message = message.substr(colon + 2);
  }
  line["message"] = message;

  static const std::regex field(R"((?:^|\s)([a-z_]+)=("[^"]*"|[^\s"]+))");
  for (std::sregex_iterator match(message.begin(), message.end(), field), end; match != end; ++match) {
    const auto key = (*match)[1].str();
    if (!is_reserved(key)) {
      line[key] = unquote((*match)[2].str());
    }
  }
  return line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace blink_sync
