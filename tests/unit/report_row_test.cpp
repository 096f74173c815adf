// Decoding rows of Blink's events and sessions reports.

#include <gtest/gtest.h>

#include <algorithm>

#include "mapping/report_row.hpp"

namespace blink_sync {
namespace {

using nlohmann::json;

const date::time_zone& zone(const char* name) { return *date::locate_zone(name); }

// Returns the value of `column` in a decoded row.
std::optional<std::string> value_of(ReportKind kind, const ReportRow& row, const std::string& column) {
  const auto& columns = report_columns(kind);
  const auto found = std::find_if(columns.begin(), columns.end(),
                                  [&](const ReportColumn& candidate) { return candidate.name == column; });
  EXPECT_NE(found, columns.end()) << column;
  if (found == columns.end()) {
    return std::nullopt;
  }
  return row.values[static_cast<std::size_t>(found - columns.begin())];
}

json document_event() {
  return json::parse(R"({
    "id": 3159, "start": "2018-04-05 08:15:00", "end": "2018-04-05 08:48:00", "allDay": 0,
    "possible_matching_sessions": "Staff Joined: Jan 11, 2019,  11:57 am", "student_connected_event": "Yes",
    "title": "Student Name", "details": null, "status": "Scheduled", "type_id": null, "type_name": null,
    "staff_name": "Blink Lesson", "staff_id": "16", "student_locations": "",
    "created_at": "Apr 13, 2019,  9:28 am", "updated_at": "Apr 13, 2019,  9:28 am"})");
}

json document_session() {
  return json::parse(R"({
    "id": 1, "session_id": 529, "session_created_at": "2018-01-31 09:07:59",
    "staff_joined_session": "2018-1-31, 10:07 am ", "student_joined_session": null, "length": null,
    "staff_id": 16, "student_ids": 80, "student_names": "BlinkSession Support", "staff_name": "Joe Whiskey",
    "session_recording_min": 25, "session_recording_deleted_at": null,
    "session_recording_visible_to_student": 1})");
}

TEST(ReportRow, ColumnsMatchValues) {
  for (const auto kind : kReportKinds) {
    const auto decoded = decode_report_row(kind, json{{"id", 1}}, zone("UTC"));
    ASSERT_TRUE(decoded.row);
    EXPECT_EQ(decoded.row->values.size(), report_columns(kind).size());
  }
}

TEST(ReportRow, DocumentEventDecodes) {
  const auto decoded = decode_report_row(ReportKind::events, document_event(), zone("America/New_York"));

  ASSERT_TRUE(decoded.row);
  EXPECT_TRUE(decoded.problems.empty());
  const auto& row = *decoded.row;
  EXPECT_EQ(row.id, 3159);
  EXPECT_EQ(value_of(ReportKind::events, row, "start_at"), "2018-04-05 12:15:00+00");
  EXPECT_EQ(value_of(ReportKind::events, row, "start_text"), "2018-04-05 08:15:00");
  EXPECT_EQ(value_of(ReportKind::events, row, "all_day"), "false");
  EXPECT_EQ(value_of(ReportKind::events, row, "staff_id"), "16");
  EXPECT_EQ(value_of(ReportKind::events, row, "type_id"), std::nullopt);
  EXPECT_EQ(value_of(ReportKind::events, row, "student_connected"), "true");
  EXPECT_EQ(value_of(ReportKind::events, row, "status"), "Scheduled");
  EXPECT_EQ(value_of(ReportKind::events, row, "blink_created_at"), "2019-04-13 13:28:00+00");
  EXPECT_EQ(row.raw, document_event());
}

TEST(ReportRow, DocumentSessionDecodes) {
  const auto decoded = decode_report_row(ReportKind::sessions, document_session(), zone("America/Denver"));

  ASSERT_TRUE(decoded.row);
  EXPECT_TRUE(decoded.problems.empty());
  const auto& row = *decoded.row;
  EXPECT_EQ(value_of(ReportKind::sessions, row, "session_id"), "529");
  EXPECT_EQ(value_of(ReportKind::sessions, row, "session_created_at"), "2018-01-31 16:07:59+00");
  // The trailing space of this shape is kept in the text and ignored when read.
  EXPECT_EQ(value_of(ReportKind::sessions, row, "staff_joined_at"), "2018-01-31 17:07:00+00");
  EXPECT_EQ(value_of(ReportKind::sessions, row, "staff_joined_text"), "2018-1-31, 10:07 am ");
  EXPECT_EQ(value_of(ReportKind::sessions, row, "student_joined_at"), std::nullopt);
  EXPECT_EQ(value_of(ReportKind::sessions, row, "student_joined_text"), std::nullopt);
  EXPECT_EQ(value_of(ReportKind::sessions, row, "student_ids"), "{80}");
  EXPECT_EQ(value_of(ReportKind::sessions, row, "student_ids_text"), "80");
  EXPECT_EQ(value_of(ReportKind::sessions, row, "recording_minutes"), "25");
  EXPECT_EQ(value_of(ReportKind::sessions, row, "recording_visible_to_student"), "true");
}

TEST(ReportRow, StudentIdsInEveryShape) {
  const auto ids = [](const json& value) {
    auto item = document_session();
    item["student_ids"] = value;
    const auto decoded = decode_report_row(ReportKind::sessions, item, zone("UTC"));
    EXPECT_TRUE(decoded.problems.empty()) << value.dump();
    return value_of(ReportKind::sessions, *decoded.row, "student_ids");
  };
  EXPECT_EQ(ids("80"), "{80}");
  EXPECT_EQ(ids("80,81"), "{80,81}");
  EXPECT_EQ(ids("80, 81"), "{80,81}");
  EXPECT_EQ(ids(json::array({80, 81})), "{80,81}");
  EXPECT_EQ(ids(""), "{}");
  EXPECT_EQ(ids(nullptr), std::nullopt);
}

TEST(ReportRow, HalfHourZoneToUtc) {
  auto item = document_event();
  item["start"] = "2018-04-05 08:15:00";
  item["end"] = "2018-04-05 00:10:00";

  const auto decoded = decode_report_row(ReportKind::events, item, zone("Asia/Kolkata"));

  ASSERT_TRUE(decoded.row);
  EXPECT_EQ(value_of(ReportKind::events, *decoded.row, "start_at"), "2018-04-05 02:45:00+00");
  // Ten minutes past midnight in Kolkata is still the day before in UTC.
  EXPECT_EQ(value_of(ReportKind::events, *decoded.row, "end_at"), "2018-04-04 18:40:00+00");
}

TEST(ReportRow, HalfHourZoneWithDaylightSaving) {
  auto item = document_event();
  item["start"] = "2024-01-10 09:00:00";  // Adelaide summer, UTC+10:30
  item["end"] = "2024-07-10 09:00:00";    // Adelaide winter, UTC+09:30

  const auto decoded = decode_report_row(ReportKind::events, item, zone("Australia/Adelaide"));

  EXPECT_EQ(value_of(ReportKind::events, *decoded.row, "start_at"), "2024-01-09 22:30:00+00");
  EXPECT_EQ(value_of(ReportKind::events, *decoded.row, "end_at"), "2024-07-09 23:30:00+00");
}

TEST(ReportRow, AmbiguousLocalTimeTakesEarlier) {
  auto item = document_event();
  item["start"] = "2024-11-03 01:30:00";  // New York falls back at 02:00 EDT

  const auto decoded = decode_report_row(ReportKind::events, item, zone("America/New_York"));

  EXPECT_EQ(value_of(ReportKind::events, *decoded.row, "start_at"), "2024-11-03 05:30:00+00");
}

TEST(ReportRow, BadValueIsProblemRowKept) {
  auto item = document_event();
  item["end"] = "half past never";
  item["staff_id"] = "sixteen";

  const auto decoded = decode_report_row(ReportKind::events, item, zone("UTC"));

  ASSERT_TRUE(decoded.row);
  ASSERT_EQ(decoded.problems.size(), 2U);
  EXPECT_NE(decoded.problems[0].find("report events row 3159: end \"half past never\""), std::string::npos)
      << decoded.problems[0];
  EXPECT_NE(decoded.problems[1].find("staff_id \"sixteen\""), std::string::npos) << decoded.problems[1];
  EXPECT_EQ(value_of(ReportKind::events, *decoded.row, "end_at"), std::nullopt);
  EXPECT_EQ(value_of(ReportKind::events, *decoded.row, "end_text"), "half past never");
  EXPECT_EQ(value_of(ReportKind::events, *decoded.row, "staff_id"), std::nullopt);
  EXPECT_EQ(value_of(ReportKind::events, *decoded.row, "start_at"), "2018-04-05 08:15:00+00");
}

TEST(ReportRow, BadFlagAndIdListAreProblems) {
  auto item = document_session();
  item["session_recording_visible_to_student"] = "maybe";
  item["student_ids"] = "80,x";

  const auto decoded = decode_report_row(ReportKind::sessions, item, zone("UTC"));

  ASSERT_TRUE(decoded.row);
  EXPECT_EQ(decoded.problems.size(), 2U);
  EXPECT_EQ(value_of(ReportKind::sessions, *decoded.row, "student_ids"), std::nullopt);
  EXPECT_EQ(value_of(ReportKind::sessions, *decoded.row, "student_ids_text"), "80,x");
}

TEST(ReportRow, RowWithoutIdIsSkipped) {
  for (const auto& item : {json{{"status", "Completed"}}, json{{"id", "abc"}}, json{{"id", 0}}, json("text")}) {
    const auto decoded = decode_report_row(ReportKind::events, item, zone("UTC"));
    EXPECT_FALSE(decoded.row) << item.dump();
    EXPECT_EQ(decoded.problems.size(), 1U) << item.dump();
  }
}

TEST(ReportRow, LongValueCutInProblem) {
  auto item = document_event();
  item["start"] = std::string(500, 'x');

  const auto decoded = decode_report_row(ReportKind::events, item, zone("UTC"));

  ASSERT_EQ(decoded.problems.size(), 1U);
  EXPECT_LT(decoded.problems[0].size(), 300U);
}

TEST(ReportLocalTime, EveryShape) {
  using namespace std::chrono;
  const date::local_seconds expected = date::local_days{date::year{2018} / 1 / 31} + hours{10} + minutes{7};
  EXPECT_EQ(parse_report_local_time("2018-01-31 10:07:00"), expected);
  EXPECT_EQ(parse_report_local_time("2018-01-31 10:07:00.000000"), expected);
  EXPECT_EQ(parse_report_local_time("Jan 31, 2018,  10:07 am"), expected);
  EXPECT_EQ(parse_report_local_time("2018-1-31, 10:07 am "), expected);
  EXPECT_EQ(parse_report_local_time("2018-1-31, 10:07 pm"), expected + hours{12});
  EXPECT_EQ(parse_report_local_time("2018-1-31, 12:07 am"), expected - hours{10});
}

TEST(ReportLocalTime, OtherTextRejected) {
  EXPECT_EQ(parse_report_local_time(""), std::nullopt);
  EXPECT_EQ(parse_report_local_time("2018-02-30 10:00:00"), std::nullopt);
  EXPECT_EQ(parse_report_local_time("2018-2-30, 10:07 am"), std::nullopt);
  EXPECT_EQ(parse_report_local_time("2018-1-31, 13:07 am"), std::nullopt);
  EXPECT_EQ(parse_report_local_time("2018-1-31, 10:07 am extra"), std::nullopt);
  EXPECT_EQ(parse_report_local_time("yesterday"), std::nullopt);
}

}  // namespace
}  // namespace blink_sync
