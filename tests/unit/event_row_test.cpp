#include "mapping/event_row.hpp"

#include <gtest/gtest.h>

namespace blink_sync {
namespace {

struct Row {
  ColumnSet columns;
  std::vector<std::optional<std::string>> values;

  RosterRow view() const { return RosterRow{&columns, values}; }
};

Row make_row(std::vector<std::pair<std::string, std::optional<std::string>>> cells) {
  std::vector<std::string> names;
  std::vector<std::optional<std::string>> values;
  for (auto& [name, value] : cells) {
    names.push_back(name);
    values.push_back(value);
  }
  return Row{ColumnSet(names), values};
}

TEST(EventRow, ParsesSeriesRow) {
  const auto row = make_row({{"local_id", "A1"},
                             {"staff_local_ids", "{7,3}"},
                             {"student_local_ids", "12, 4"},
                             {"start", "2030-02-25 09:00:00"},
                             {"timezone", "America/Denver"},
                             {"minutes", "45"},
                             {"frequency", "1"},
                             {"occurrences", "4"},
                             {"status", "Scheduled"}});
  const auto parsed = parse_event_row(row.view(), std::nullopt);
  ASSERT_TRUE(std::holds_alternative<DesiredEvent>(parsed)) << std::get<EventError>(parsed).message;
  const auto& event = std::get<DesiredEvent>(parsed);
  EXPECT_EQ(event.staff_local_ids, (std::vector<std::string>{"3", "7"}));
  EXPECT_EQ(event.student_local_ids, (std::vector<std::string>{"12", "4"}));
  EXPECT_EQ(event.minutes, 45);
  ASSERT_TRUE(event.recurrence.has_value());
  EXPECT_EQ(event.recurrence->occurrences, 4);
  EXPECT_EQ(event.status, "Scheduled");
}

TEST(EventRow, AllDayNeedsNoMinutes) {
  const auto row = make_row({{"local_id", "A2"},
                             {"staff_local_ids", "7"},
                             {"title", "Staff training"},
                             {"start", "2030-02-25 00:00"},
                             {"all_day", "t"},
                             {"minutes", std::nullopt}});
  const auto parsed = parse_event_row(row.view(), std::string("Asia/Kolkata"));
  ASSERT_TRUE(std::holds_alternative<DesiredEvent>(parsed)) << std::get<EventError>(parsed).message;
  EXPECT_FALSE(std::get<DesiredEvent>(parsed).minutes.has_value());
  EXPECT_EQ(std::get<DesiredEvent>(parsed).timezone, "Asia/Kolkata");
}

TEST(EventRow, ReportsEveryProblemOfARow) {
  const auto row = make_row({{"local_id", "A3"},
                             {"staff_local_ids", ""},
                             {"start", "soon"},
                             {"timezone", "Mars/Olympus"},
                             {"minutes", "0"},
                             {"frequency", "3"},
                             {"occurrences", "5"},
                             {"status", "Done"}});
  const auto parsed = parse_event_row(row.view(), std::nullopt);
  ASSERT_TRUE(std::holds_alternative<EventError>(parsed));
  const auto& message = std::get<EventError>(parsed).message;
  EXPECT_EQ(std::get<EventError>(parsed).local_id, "A3");
  for (const char* part : {"staff_local_ids is empty", "neither student_local_ids nor a title", "start \"soon\"",
                           "Mars/Olympus", "minutes \"0\"", "frequency \"3\"", "status \"Done\""}) {
    EXPECT_NE(message.find(part), std::string::npos) << part << " in: " << message;
  }
}

TEST(EventRow, InvalidRowSaysWhatToDo) {
  const auto row = make_row({{"local_id", "A5"}, {"staff_local_ids", "7"}, {"title", "Group"}, {"start", "soon"},
                             {"timezone", "UTC"}, {"minutes", "30"}});
  const auto parsed = parse_event_row(row.view(), std::nullopt);
  ASSERT_TRUE(std::holds_alternative<EventError>(parsed));
  const auto& message = std::get<EventError>(parsed).message;
  EXPECT_EQ(message.rfind("invalid events row: ", 0), 0U) << message;
  EXPECT_NE(message.find("; correct the row in the roster"), std::string::npos) << message;
}

TEST(EventRow, MissingColumnsNamed) {
  const ColumnSet columns({"local_id", "title"});

  EXPECT_EQ(missing_event_columns(columns, false),
            (std::vector<std::string>{"staff_local_ids", "start", "timezone", "minutes"}));
  EXPECT_EQ(missing_event_columns(columns, true), (std::vector<std::string>{"staff_local_ids", "start", "minutes"}));
  EXPECT_TRUE(missing_event_columns(ColumnSet({"local_id", "staff_local_ids", "start", "all_day"}), true).empty());
}

TEST(EventRow, SeriesNeedsBothKeys) {
  const auto row = make_row({{"local_id", "A4"},
                             {"staff_local_ids", "7"},
                             {"title", "Group"},
                             {"start", "2030-02-25 09:00"},
                             {"timezone", "UTC"},
                             {"minutes", "30"},
                             {"frequency", "2"},
                             {"occurrences", std::nullopt}});
  const auto parsed = parse_event_row(row.view(), std::nullopt);
  ASSERT_TRUE(std::holds_alternative<EventError>(parsed));
  EXPECT_NE(std::get<EventError>(parsed).message.find("both frequency"), std::string::npos);
}

TEST(EventRow, SplitsLocalIdLists) {
  EXPECT_EQ(split_local_ids("{\"b\",a,NULL}"), (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(split_local_ids(" 3 , 3,,1 "), (std::vector<std::string>{"1", "3"}));
  EXPECT_TRUE(split_local_ids("{}").empty());
}

}  // namespace
}  // namespace blink_sync
