#include "mapping/row_validation.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "builders.hpp"

namespace blink_sync {
namespace {

using test::field;
using test::login_row;
using test::RowBuilder;
using test::staff_row;
using test::student_row;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;
using ::testing::StartsWith;

RowResult validate(Entity entity, RowBuilder& row,
                   const ValidationContext& context = test::test_context()) {
  return validate_row(entity, row.row(), context);
}

// Returns the value of a field of a row that must be valid.
std::optional<std::string> valid_field(Entity entity, RowBuilder& row, std::string_view key,
                                       const ValidationContext& context = test::test_context()) {
  const auto result = validate(entity, row, context);
  EXPECT_THAT(result.problems, IsEmpty()) << key;
  if (!result.record) {
    return std::nullopt;
  }
  return field(entity, result.record->fields, key);
}

// Expects the row to be rejected with exactly one problem, about `column`.
void expect_one_problem(Entity entity, RowBuilder& row, std::string_view column,
                        const ValidationContext& context = test::test_context()) {
  const auto result = validate(entity, row, context);
  EXPECT_FALSE(result.record.has_value()) << column;
  ASSERT_THAT(result.problems, SizeIs(1)) << column;
  EXPECT_THAT(result.problems[0], StartsWith(std::string(column) + " ")) << column;
}

// ---- Accepted rows ----

TEST(RowValidation, StudentRowCanonicalised) {
  auto row = student_row(" 17 ", "  Ada  ", "Byron", "2010-05-06");

  const auto result = validate(Entity::student, row);

  ASSERT_TRUE(result.record.has_value());
  EXPECT_THAT(result.problems, IsEmpty());
  EXPECT_EQ(result.local_id, "17");
  EXPECT_EQ(result.record->local_id, "17");
  const auto& fields = result.record->fields;
  EXPECT_EQ(field(Entity::student, fields, "first_name"), "Ada");
  EXPECT_EQ(field(Entity::student, fields, "last_name"), "Byron");
  EXPECT_EQ(field(Entity::student, fields, "date_of_birth"), "05/06/2010");
  EXPECT_EQ(field(Entity::student, fields, "student_timezone"), "America/Denver");
  EXPECT_FALSE(field(Entity::student, fields, "notes").has_value());
  EXPECT_FALSE(field(Entity::student, fields, "location_id").has_value());
  EXPECT_EQ(field(Entity::student, fields, "discharged"), "0");
  EXPECT_THAT(result.record->linked_students, IsEmpty());
}

TEST(RowValidation, NamesNormalisedToNfc) {
  auto row = student_row("s1", "Jose\xCC\x81", "  Van \t Dyke ");

  EXPECT_EQ(valid_field(Entity::student, row, "first_name"), "Jos\xC3\xA9");
  EXPECT_EQ(valid_field(Entity::student, row, "last_name"), "Van Dyke");
}

TEST(RowValidation, ExtraColumnsIgnored) {
  auto row = student_row("s1");
  row.set("enrolled_on", "2021-09-01");

  EXPECT_EQ(valid_field(Entity::student, row, "first_name"), "Ada");
}

TEST(RowValidation, LoginRowAccepted) {
  auto row = login_row("g1", "  Pat.Lee@Example.org ");

  const auto result = validate(Entity::student_login, row);

  ASSERT_TRUE(result.record.has_value());
  const auto& fields = result.record->fields;
  EXPECT_EQ(field(Entity::student_login, fields, "email"), "Pat.Lee@Example.org");
  EXPECT_EQ(field(Entity::student_login, fields, "phone"), "719-555-0142");
  EXPECT_FALSE(field(Entity::student_login, fields, "events_email").has_value());
  EXPECT_FALSE(field(Entity::student_login, fields, "msg_sms").has_value());
}

TEST(RowValidation, StaffPermissionsUnmanagedWhenAbsent) {
  auto row = staff_row("t1", "sam@example.org");

  const auto result = validate(Entity::staff, row);

  ASSERT_TRUE(result.record.has_value());
  for (const auto key : {"Organization-General-Admin", "Organization-User-Admin", "Schedule-Admin",
                         "Record-Sessions", "Staff-Access", "Logins-Access", "Join-by-Link"}) {
    EXPECT_FALSE(field(Entity::staff, result.record->fields, key).has_value()) << key;
  }
}

// ---- Required columns ----

TEST(RowValidation, MissingRequiredColumn) {
  auto row = student_row("s1");
  row.drop("last_name");

  const auto result = validate(Entity::student, row);

  EXPECT_FALSE(result.record.has_value());
  EXPECT_EQ(result.local_id, "s1");
  EXPECT_THAT(result.problems, ElementsAre("last_name is missing from the query's columns"));
}

TEST(RowValidation, NullRequiredValue) {
  auto row = login_row("g1", "pat@example.org");
  row.set("phone", std::nullopt);

  const auto result = validate(Entity::student_login, row);

  EXPECT_FALSE(result.record.has_value());
  EXPECT_THAT(result.problems, ElementsAre("phone is empty but required"));
}

TEST(RowValidation, BlankRequiredValue) {
  auto row = student_row("s1");
  row.set("first_name", "   ");

  expect_one_problem(Entity::student, row, "first_name");
}

TEST(RowValidation, EveryProblemReported) {
  auto row = login_row("g1", "not-an-email");
  row.set("phone", "12");
  row.drop("last_name");

  const auto result = validate(Entity::student_login, row);

  EXPECT_FALSE(result.record.has_value());
  EXPECT_THAT(result.problems, SizeIs(3));
}

TEST(RowValidation, MissingLocalId) {
  for (const std::optional<std::string>& value :
       {std::optional<std::string>{}, std::optional<std::string>{""},
        std::optional<std::string>{"  "}}) {
    auto row = student_row("s1");
    row.set("local_id", value);

    const auto result = validate(Entity::student, row);

    EXPECT_FALSE(result.record.has_value());
    EXPECT_EQ(result.local_id, "");
    EXPECT_THAT(result.problems, ElementsAre("local_id is missing or empty"));
  }
}

TEST(RowValidation, LocalIdColumnAbsent) {
  auto row = student_row("s1");
  row.drop("local_id");

  const auto result = validate(Entity::student, row);

  EXPECT_FALSE(result.record.has_value());
  EXPECT_EQ(result.local_id, "");
}

TEST(RowValidation, LocalIdLimitCountsCharacters) {
  std::string accented;
  for (int i = 0; i < 255; ++i) {
    accented += "\xC3\xA9";  // é, two bytes
  }
  auto row = student_row(accented);
  EXPECT_THAT(validate(Entity::student, row).problems, IsEmpty());

  auto too_long = student_row(std::string(256, '7'));
  const auto result = validate(Entity::student, too_long);
  EXPECT_FALSE(result.record.has_value());
  EXPECT_EQ(result.local_id, "");
  EXPECT_THAT(result.problems, ElementsAre(StartsWith("local_id ")));
}

TEST(RowValidation, LocalIdWithControlCharacter) {
  auto row = student_row(
      "s\x01"
      "1");

  const auto result = validate(Entity::student, row);

  EXPECT_FALSE(result.record.has_value());
  EXPECT_EQ(result.local_id, "");
}

// ---- Dates ----

TEST(RowValidation, ImpossibleDateRejected) {
  for (const auto* born :
       {"2019-02-30", "2019-13-01", "2019-00-10", "2023-02-29", "2019-04-31", "2019-2-3",
        "05/06/2010", "2010/05/06", "20100506", "not a date", "2010-05-06x"}) {
    auto row = student_row("s1", "Ada", "Byron", born);
    expect_one_problem(Entity::student, row, "date_of_birth");
  }
}

TEST(RowValidation, LeapDayAccepted) {
  auto row = student_row("s1", "Ada", "Byron", "2020-02-29");

  EXPECT_EQ(valid_field(Entity::student, row, "date_of_birth"), "02/29/2020");
}

TEST(RowValidation, FutureDateRejected) {
  auto tomorrow = student_row("s1", "Ada", "Byron", "2024-06-16");
  expect_one_problem(Entity::student, tomorrow, "date_of_birth");

  auto far = student_row("s1", "Ada", "Byron", "2099-01-01");
  expect_one_problem(Entity::student, far, "date_of_birth");

  auto today = student_row("s1", "Ada", "Byron", "2024-06-15");
  EXPECT_EQ(valid_field(Entity::student, today, "date_of_birth"), "06/15/2024");
}

TEST(RowValidation, DateBefore1900Rejected) {
  auto old = student_row("s1", "Ada", "Byron", "1899-12-31");
  expect_one_problem(Entity::student, old, "date_of_birth");

  auto first = student_row("s1", "Ada", "Byron", "1900-01-01");
  EXPECT_EQ(valid_field(Entity::student, first, "date_of_birth"), "01/01/1900");
}

TEST(RowValidation, TimestampFormAccepted) {
  for (const auto* born :
       {"2010-05-06 00:00:00", "2010-05-06T13:45:00+02", "2010-05-06 00:00:00-07"}) {
    auto row = student_row("s1", "Ada", "Byron", born);
    EXPECT_EQ(valid_field(Entity::student, row, "date_of_birth"), "05/06/2010") << born;
  }
}

TEST(RowValidation, ParseIsoDateAndFormat) {
  const auto date = parse_iso_date("2009-11-03");

  ASSERT_TRUE(date.has_value());
  EXPECT_EQ(*date, std::chrono::year_month_day(std::chrono::year{2009}, std::chrono::November,
                                               std::chrono::day{3}));
  EXPECT_EQ(format_blink_date(*date), "11/03/2009");
  EXPECT_EQ(format_blink_date(std::chrono::year{1900} / std::chrono::January / 1), "01/01/1900");
  EXPECT_EQ(format_blink_date(std::chrono::year{12} / std::chrono::December / 31), "12/31/0012");
  EXPECT_EQ(format_blink_date(std::chrono::year{12345} / std::chrono::May / 9), "05/09/12345");
  EXPECT_FALSE(parse_iso_date("2009-11-3").has_value());
  EXPECT_FALSE(parse_iso_date("").has_value());
}

// ---- Time zones ----

TEST(RowValidation, BadTimeZoneRejected) {
  auto row = student_row("s1");
  row.set("timezone", "Mars/Olympus");

  expect_one_problem(Entity::student, row, "timezone");
}

TEST(RowValidation, BadTimeZoneQuotedInProblem) {
  auto row = student_row("s1");
  row.set("timezone", "Mars/Olympus");

  const auto result = validate(Entity::student, row, test::test_context());

  ASSERT_THAT(result.problems, SizeIs(1));
  EXPECT_THAT(result.problems[0], StartsWith("timezone \"Mars/Olympus\" is not a time zone name"));
}

TEST(RowValidation, LongValueCutInProblem) {
  auto row = student_row("s1");
  row.set("location_id", std::string(50, '9') + "x");

  const auto result = validate(Entity::student, row, test::test_context());

  ASSERT_THAT(result.problems, SizeIs(1));
  EXPECT_THAT(result.problems[0], StartsWith("location_id \"" + std::string(40, '9') + "...\" is not"));
}

TEST(RowValidation, BadTimeZoneNotReplacedByDefault) {
  auto row = staff_row("t1", "sam@example.org");
  row.set("timezone", "America/Denvr");

  expect_one_problem(Entity::staff, row, "timezone", test::test_context("UTC"));
}

TEST(RowValidation, DefaultTimeZoneWhenNull) {
  const auto context = test::test_context("Europe/Paris");
  for (const std::optional<std::string>& value :
       {std::optional<std::string>{}, std::optional<std::string>{""}}) {
    auto row = student_row("s1");
    row.set("timezone", value);

    EXPECT_EQ(valid_field(Entity::student, row, "student_timezone", context), "Europe/Paris");
  }
}

TEST(RowValidation, DefaultTimeZoneWhenAbsent) {
  const auto context = test::test_context("Europe/Paris");
  auto row = staff_row("t1", "sam@example.org");
  row.drop("timezone");

  EXPECT_EQ(valid_field(Entity::staff, row, "user_timezone", context), "Europe/Paris");
}

TEST(RowValidation, RowTimeZoneBeatsDefault) {
  auto row = student_row("s1");

  EXPECT_EQ(valid_field(Entity::student, row, "student_timezone", test::test_context("UTC")),
            "America/Denver");
}

TEST(RowValidation, TimeZoneRequiredWithoutDefault) {
  auto null_zone = student_row("s1");
  null_zone.set("timezone", std::nullopt);
  expect_one_problem(Entity::student, null_zone, "timezone");

  auto absent_zone = student_row("s1");
  absent_zone.drop("timezone");
  expect_one_problem(Entity::student, absent_zone, "timezone");
}

// ---- Emails and phones ----

TEST(RowValidation, BadEmailShapesRejected) {
  for (const auto* email :
       {"dana.example.org", "@example.org", "dana@", "dana@example", "dana@example.c", "dana@.org",
        "dana@example..org", "da na@example.org", "dana@@example.org", "a@b@example.org",
        "dana@example.org.", "dana@example.org,pat@example.org", "dana;pat@example.org",
        "dana\t@example.org"}) {
    auto row = login_row("g1", email);
    expect_one_problem(Entity::student_login, row, "email");
  }
}

TEST(RowValidation, GoodEmailShapesAccepted) {
  for (const auto* email : {"dana@example.org", "Dana.W+tag@Mail.Example.co.uk", "d@ex.io",
                            "dana-o'neil@example.org"}) {
    auto row = staff_row("t1", email);
    EXPECT_EQ(valid_field(Entity::staff, row, "email"), email);
  }
}

TEST(RowValidation, EmailLengthLimit) {
  const std::string domain = "@example.org";
  auto longest = login_row("g1", std::string(255 - domain.size(), 'a') + domain);
  EXPECT_THAT(validate(Entity::student_login, longest).problems, IsEmpty());

  auto too_long = login_row("g1", std::string(256 - domain.size(), 'a') + domain);
  expect_one_problem(Entity::student_login, too_long, "email");
}

TEST(RowValidation, PhoneShape) {
  for (const auto* phone : {"719-555-0142", "+1 (719) 555.0142", "5550142", "123456789012345"}) {
    auto row = login_row("g1", "pat@example.org");
    row.set("phone", phone);
    EXPECT_EQ(valid_field(Entity::student_login, row, "phone"), phone);
  }
  for (const auto* phone :
       {"555-0142 ext 9", "12345", "555014", "1234567890123456", "719/555/0142", "call me"}) {
    auto row = login_row("g1", "pat@example.org");
    row.set("phone", phone);
    expect_one_problem(Entity::student_login, row, "phone");
  }
}

// ---- Flags ----

TEST(RowValidation, FlagsInEveryAcceptedForm) {
  for (const auto* on : {"true", "t", "1", "yes", "y", "on", "TRUE", "Yes", " T "}) {
    auto row = staff_row("t1", "sam@example.org");
    row.set("schedule_admin", on);
    EXPECT_EQ(valid_field(Entity::staff, row, "Schedule-Admin"), "1") << on;
  }
  for (const auto* off : {"false", "f", "0", "no", "n", "off", "FALSE", "No"}) {
    auto row = staff_row("t1", "sam@example.org");
    row.set("schedule_admin", off);
    EXPECT_EQ(valid_field(Entity::staff, row, "Schedule-Admin"), "0") << off;
  }
}

TEST(RowValidation, BadFlagRejected) {
  for (const auto* bad : {"2", "maybe", "tru", "-1", "yes!"}) {
    auto row = staff_row("t1", "sam@example.org");
    row.set("join_by_link", bad);
    expect_one_problem(Entity::staff, row, "join_by_link");
  }
}

TEST(RowValidation, NullFlagIsOff) {
  auto row = staff_row("t1", "sam@example.org");
  row.set("record_sessions", std::nullopt);

  EXPECT_EQ(valid_field(Entity::staff, row, "Record-Sessions"), "0");
}

TEST(RowValidation, LoginPreferencesReadAsFlags) {
  auto row = login_row("g1", "pat@example.org");
  row.set("events_email", "yes").set("events_sms", "f").set("msg_sms", std::nullopt);

  const auto result = validate(Entity::student_login, row);

  ASSERT_TRUE(result.record.has_value());
  const auto& fields = result.record->fields;
  EXPECT_EQ(field(Entity::student_login, fields, "events_email"), "1");
  EXPECT_EQ(field(Entity::student_login, fields, "events_sms"), "0");
  EXPECT_EQ(field(Entity::student_login, fields, "msg_sms"), "0");
  EXPECT_FALSE(field(Entity::student_login, fields, "homework_email").has_value());
}

TEST(RowValidation, ParseFlagForms) {
  EXPECT_EQ(parse_flag("On"), true);
  EXPECT_EQ(parse_flag("OFF"), false);
  EXPECT_EQ(parse_flag(""), std::nullopt);
  EXPECT_EQ(parse_flag("10"), std::nullopt);
}

// ---- location_id ----

TEST(RowValidation, LocationIdInteger) {
  auto row = student_row("s1");
  row.set("location_id", "12");
  EXPECT_EQ(valid_field(Entity::student, row, "location_id"), "12");

  row.set("location_id", " 4 ");
  EXPECT_EQ(valid_field(Entity::student, row, "location_id"), "4");

  row.set("location_id", std::nullopt);
  EXPECT_EQ(valid_field(Entity::student, row, "location_id"), "");
}

TEST(RowValidation, LocationIdCanonical) {
  auto row = student_row("s1");
  row.set("location_id", "007");

  EXPECT_EQ(valid_field(Entity::student, row, "location_id"), "7");
}

TEST(RowValidation, LocationIdNotInteger) {
  for (const auto* bad : {"-3", "1.5", "abc", "+4", "4 5", "99999999999999999999"}) {
    auto row = student_row("s1");
    row.set("location_id", bad);
    expect_one_problem(Entity::student, row, "location_id");
  }
}

// ---- Lengths and bytes ----

TEST(RowValidation, NameLengthLimit) {
  auto longest = student_row("s1", std::string(255, 'a'));
  EXPECT_THAT(validate(Entity::student, longest).problems, IsEmpty());

  auto too_long = student_row("s1", std::string(256, 'a'));
  expect_one_problem(Entity::student, too_long, "first_name");
}

TEST(RowValidation, NameLimitCountsCodePoints) {
  std::string composed;
  std::string decomposed;
  for (int i = 0; i < 255; ++i) {
    composed += "\xC3\xA9";     // é as one code point
    decomposed += "e\xCC\x81";  // é as e + combining acute, composed by NFC
  }

  auto longest = student_row("s1", "Ada", composed);
  EXPECT_THAT(validate(Entity::student, longest).problems, IsEmpty());

  auto composes = student_row("s1", "Ada", decomposed);
  EXPECT_THAT(validate(Entity::student, composes).problems, IsEmpty());

  auto too_long = student_row("s1", "Ada", composed + "\xC3\xA9");
  expect_one_problem(Entity::student, too_long, "last_name");
}

TEST(RowValidation, NotesLengthLimitInBytes) {
  auto longest = student_row("s1");
  longest.set("notes", std::string(kMaxNotesBytes, 'n'));
  EXPECT_THAT(validate(Entity::student, longest).problems, IsEmpty());

  auto too_long = student_row("s1");
  too_long.set("notes", std::string(kMaxNotesBytes + 1, 'n'));
  expect_one_problem(Entity::student, too_long, "notes");
}

TEST(RowValidation, NotesKeptVerbatim) {
  auto row = student_row("s1");
  row.set("notes", "  line one\nline two  ");
  EXPECT_EQ(valid_field(Entity::student, row, "notes"), "  line one\nline two  ");

  row.set("notes", std::nullopt);
  EXPECT_EQ(valid_field(Entity::student, row, "notes"), "");
}

TEST(RowValidation, ControlCharacterInName) {
  auto row = student_row("s1", "Ada\x07");

  expect_one_problem(Entity::student, row, "first_name");
}

TEST(RowValidation, InvalidUtf8Rejected) {
  auto name = student_row("s1", "Jos\xC3");
  expect_one_problem(Entity::student, name, "first_name");

  auto notes = student_row("s1");
  notes.set("notes", "bad \xFF byte");
  expect_one_problem(Entity::student, notes, "notes");
}

// ---- Defaults ----

TEST(RowValidation, DisplayNameDefaultsToFullName) {
  auto absent = staff_row("t1", "sam@example.org");
  EXPECT_EQ(valid_field(Entity::staff, absent, "display_name"), "Sam Reed");

  auto null = staff_row("t1", "sam@example.org");
  null.set("display_name", std::nullopt);
  EXPECT_EQ(valid_field(Entity::staff, null, "display_name"), "Sam Reed");

  auto blank = staff_row("t1", "sam@example.org");
  blank.set("display_name", "  ");
  EXPECT_EQ(valid_field(Entity::staff, blank, "display_name"), "Sam Reed");

  auto explicit_name = staff_row("t1", "sam@example.org");
  explicit_name.set("display_name", " Mr  Reed ");
  EXPECT_EQ(valid_field(Entity::staff, explicit_name, "display_name"), "Mr Reed");
}

TEST(RowValidation, DischargedDefaultsToZero) {
  auto absent = student_row("s1");
  EXPECT_EQ(valid_field(Entity::student, absent, "discharged"), "0");

  auto null = student_row("s1");
  null.set("discharged", std::nullopt);
  EXPECT_EQ(valid_field(Entity::student, null, "discharged"), "0");

  auto set = student_row("s1");
  set.set("discharged", "t");
  EXPECT_EQ(valid_field(Entity::student, set, "discharged"), "1");
}

// ---- Personal data stays out of problems ----

TEST(RowValidation, ProblemsOmitBadValues) {
  const std::string email = "secret.person@@example.com";
  const std::string born = "2019-02-30";
  const std::string phone = "555-SECRET";
  auto row = login_row("g1", email);
  row.set("phone", phone);
  auto student = student_row("s1", "Ada", "Byron", born);

  const auto login_result = validate(Entity::student_login, row);
  const auto student_result = validate(Entity::student, student);

  ASSERT_THAT(login_result.problems, SizeIs(2));
  ASSERT_THAT(student_result.problems, SizeIs(1));
  for (const auto& problem : login_result.problems) {
    EXPECT_THAT(problem, Not(HasSubstr(email)));
    EXPECT_THAT(problem, Not(HasSubstr("secret")));
    EXPECT_THAT(problem, Not(HasSubstr(phone)));
  }
  EXPECT_THAT(student_result.problems[0], Not(HasSubstr(born)));
  EXPECT_THAT(student_result.problems[0], Not(HasSubstr("02/30")));
}

}  // namespace
}  // namespace blink_sync
