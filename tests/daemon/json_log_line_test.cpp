#include "daemon/json_log_line.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace blink_sync {
namespace {

using nlohmann::json;

// 2026-12-04T20:32:25.123Z
const auto kTime = std::chrono::system_clock::time_point(std::chrono::milliseconds(1796416345123LL));

TEST(JsonLogLine, SplitsComponentAndFields) {
  const auto line = json::parse(json_log_line(
      kTime, "info", "cycle: finished cycle=12 mode=poll status=succeeded created=3 duration_ms=4211"));

  EXPECT_EQ(line["time"], "2026-12-04T20:32:25.123Z");
  EXPECT_EQ(line["level"], "info");
  EXPECT_EQ(line["component"], "cycle");
  EXPECT_EQ(line["message"], "finished cycle=12 mode=poll status=succeeded created=3 duration_ms=4211");
  EXPECT_EQ(line["cycle"], "12");
  EXPECT_EQ(line["status"], "succeeded");
  EXPECT_EQ(line["duration_ms"], "4211");
}

TEST(JsonLogLine, UnquotesQuotedValue) {
  const auto line = json::parse(json_log_line(
      kTime, "error", R"(record error: entity=student local_id=902 blink_id=- message="date is in the future")"));

  EXPECT_EQ(line["component"], "record error");
  EXPECT_EQ(line["entity"], "student");
  EXPECT_EQ(line["local_id"], "902");
  EXPECT_EQ(line["blink_id"], "-");
  EXPECT_EQ(line["message"], R"(entity=student local_id=902 blink_id=- message="date is in the future")")
      << "a message= field never replaces the message";
}

TEST(JsonLogLine, KeepsLineWithoutComponent) {
  const auto line = json::parse(json_log_line(kTime, "warn", "plain text, with a comma: no fields"));

  EXPECT_FALSE(line.contains("component"));
  EXPECT_EQ(line["message"], "plain text, with a comma: no fields");
}

TEST(JsonLogLine, EscapesQuotesAndInvalidUtf8) {
  const auto text = json_log_line(kTime, "info", "blink: said \"no\" \xff");

  const auto line = json::parse(text);
  EXPECT_EQ(line["component"], "blink");
  EXPECT_EQ(text.find('\n'), std::string::npos);
}

}  // namespace
}  // namespace blink_sync
