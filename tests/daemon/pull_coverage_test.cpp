#include "daemon/pull_coverage.hpp"

#include <gtest/gtest.h>

#include <string>

#include "daemon/config.hpp"
#include "minimal_config.hpp"

namespace blink_sync {
namespace {

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

const std::string kRequired = testing::kMinimalConfig;

const std::string kStaffPhoneStatement =
    "write_back:\n"
    "  staff:\n"
    "    changed_in_blink: \"UPDATE clinicians SET phone = :phone WHERE id = :local_id\"\n";

Config parse(const std::string& rest) { return parse_config(kRequired + rest, "test.yaml", {}); }

TEST(PullCoverage, NoWarningByDefault) {
  EXPECT_TRUE(pull_coverage_warnings(parse("")).empty());
}

TEST(PullCoverage, BoundBlinkOwnedFieldIsQuiet) {
  const auto config = parse("sync:\n  field_owners:\n    staff:\n      phone: blink\n" + kStaffPhoneStatement);

  EXPECT_TRUE(pull_coverage_warnings(config).empty());
}

TEST(PullCoverage, UnboundBlinkOwnedFieldNamed) {
  const auto config = parse("sync:\n  field_owners:\n    staff:\n      phone: blink\n      user_timezone: blink\n" +
                            kStaffPhoneStatement);

  const auto warnings = pull_coverage_warnings(config);

  ASSERT_EQ(warnings.size(), 1U);
  EXPECT_TRUE(contains(warnings[0], "write_back.staff.changed_in_blink does not bind :user_timezone,")) << warnings[0];
}

TEST(PullCoverage, BlinkWinsWarnsForEachEntity) {
  const auto config = parse("sync:\n  conflict_policy: blink_wins\n" + kStaffPhoneStatement);

  const auto warnings = pull_coverage_warnings(config);

  ASSERT_EQ(warnings.size(), 3U);
  EXPECT_TRUE(contains(warnings[0], "write_back.students.changed_in_blink does not bind :first_name, :last_name")) << warnings[0];
  EXPECT_TRUE(contains(warnings[2], "is reported in blink_sync.conflicts instead")) << warnings[2];
  EXPECT_FALSE(contains(warnings[2], ":phone")) << warnings[2];
}

}  // namespace
}  // namespace blink_sync
