#include "mapping/field_merge.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

namespace blink_sync {
namespace {

using Value = std::optional<std::string>;
constexpr auto kRoster = FieldOwner::roster;
constexpr auto kBlink = FieldOwner::blink;
constexpr auto kRosterWins = ConflictPolicy::roster_wins;
constexpr auto kBlinkWins = ConflictPolicy::blink_wins;
constexpr auto kReport = ConflictPolicy::report;

struct MergeCase {
  std::string name;
  Value desired;
  Value remote;
  Value base;
  FieldOwner owner;
  ConflictPolicy policy;
  FieldAction action;
  bool conflict;
};

std::string action_text(FieldAction action) {
  switch (action) {
    case FieldAction::none:
      return "none";
    case FieldAction::rebase:
      return "rebase";
    case FieldAction::push:
      return "push";
    case FieldAction::put_back:
      return "put_back";
    case FieldAction::pull:
      return "pull";
  }
  return "?";
}

FieldDecision decide(const MergeCase& row, const OpenConflict* open = nullptr,
                     FieldKind kind = FieldKind::text) {
  return merge_field(FieldSides{row.desired, row.remote, row.base}, FieldRules{kind, row.owner, row.policy, open});
}

// Every row of the three-way table, for both owners and every policy that
// matters to it.
TEST(FieldMerge, DecisionTable) {
  const std::vector<MergeCase> cases = {
      {"roster does not manage the field", std::nullopt, "b", "a", kRoster, kRosterWins, FieldAction::none, false},
      {"blink-owned, roster does not manage it", std::nullopt, "b", "a", kBlink, kRosterWins, FieldAction::none,
       false},
      {"unchanged", "a", "a", "a", kRoster, kRosterWins, FieldAction::none, false},
      {"unchanged, blink-owned", "a", "a", "a", kBlink, kRosterWins, FieldAction::none, false},
      {"roster changed", "r", "a", "a", kRoster, kRosterWins, FieldAction::push, false},
      {"roster changed a blink-owned field", "r", "a", "a", kBlink, kRosterWins, FieldAction::none, false},
      {"blink changed a roster-owned field", "a", "b", "a", kRoster, kRosterWins, FieldAction::put_back, false},
      {"blink changed a blink-owned field", "a", "b", "a", kBlink, kRosterWins, FieldAction::pull, false},
      {"both changed alike", "n", "n", "a", kRoster, kReport, FieldAction::rebase, false},
      {"both changed alike, blink-owned", "n", "n", "a", kBlink, kBlinkWins, FieldAction::rebase, false},
      {"conflict, roster_wins", "r", "b", "a", kRoster, kRosterWins, FieldAction::push, true},
      {"conflict, blink_wins", "r", "b", "a", kRoster, kBlinkWins, FieldAction::pull, true},
      {"conflict, report", "r", "b", "a", kRoster, kReport, FieldAction::none, true},
      {"conflict of a blink-owned field, roster_wins", "r", "b", "a", kBlink, kRosterWins, FieldAction::push, true},
      {"conflict of a blink-owned field, report", "r", "b", "a", kBlink, kReport, FieldAction::none, true},
      {"no base, Blink unknown", "r", std::nullopt, std::nullopt, kRoster, kRosterWins, FieldAction::push, false},
      {"no base, sides agree", "a", "a", std::nullopt, kRoster, kRosterWins, FieldAction::rebase, false},
      {"no base, sides differ", "r", "b", std::nullopt, kRoster, kReport, FieldAction::push, false},
      {"no base, sides differ, blink-owned", "r", "b", std::nullopt, kBlink, kRosterWins, FieldAction::pull, false},
      {"Blink unknown, unchanged", "a", std::nullopt, "a", kRoster, kRosterWins, FieldAction::none, false},
      {"Blink unknown, roster changed", "r", std::nullopt, "a", kRoster, kRosterWins, FieldAction::push, false},
      {"Blink unknown, roster changed a blink-owned field", "r", std::nullopt, "a", kBlink, kRosterWins,
       FieldAction::none, false},
  };

  for (const auto& row : cases) {
    const auto decision = decide(row);
    EXPECT_EQ(action_text(decision.action), action_text(row.action)) << row.name;
    EXPECT_EQ(decision.conflict, row.conflict) << row.name;
    EXPECT_FALSE(decision.held) << row.name;
  }
}

TEST(FieldMerge, EquivalentValuesAreUnchanged) {
  const MergeCase row{"phone punctuation", "(719) 555-0100", "719.555.0100", "719-555-0100", kRoster,
                      kRosterWins, FieldAction::none, false};

  const auto decision = decide(row, nullptr, FieldKind::phone);

  EXPECT_EQ(action_text(decision.action), "none");
  EXPECT_FALSE(decision.conflict);
}

TEST(FieldMerge, OpenConflictHeldWhileValuesStay) {
  const OpenConflict open{"r", "b"};
  const MergeCase same_values{"", "r", "b", "a", kRoster, kReport, FieldAction::none, false};
  const MergeCase blink_not_read{"", "r", "a", "a", kRoster, kReport, FieldAction::none, false};
  const MergeCase blink_unknown{"", "r", std::nullopt, "a", kRoster, kReport, FieldAction::none, false};

  for (const auto& row : {same_values, blink_not_read, blink_unknown}) {
    const auto decision = decide(row, &open);
    EXPECT_EQ(action_text(decision.action), "none");
    EXPECT_TRUE(decision.held);
    EXPECT_FALSE(decision.conflict);
  }
}

TEST(FieldMerge, OpenConflictReleasedWhenSidesAgree) {
  const OpenConflict open{"r", "b"};
  const MergeCase roster_took_blink{"", "b", "b", "a", kRoster, kReport, FieldAction::none, false};

  const auto decision = decide(roster_took_blink, &open);

  EXPECT_FALSE(decision.held);
  EXPECT_EQ(action_text(decision.action), "rebase");
  EXPECT_FALSE(decision.conflict);
}

TEST(FieldMerge, OpenConflictReplacedByNewValues) {
  const OpenConflict open{"r", "b"};
  const MergeCase blink_edited_again{"", "r", "c", "a", kRoster, kReport, FieldAction::none, false};

  const auto decision = decide(blink_edited_again, &open);

  EXPECT_FALSE(decision.held);
  EXPECT_TRUE(decision.conflict);
}

TEST(FieldMerge, SendsRosterValueOnlyForPushes) {
  EXPECT_TRUE(sends_roster_value({FieldAction::push, false, false}));
  EXPECT_TRUE(sends_roster_value({FieldAction::put_back, false, false}));
  EXPECT_FALSE(sends_roster_value({FieldAction::pull, false, false}));
  EXPECT_FALSE(sends_roster_value({FieldAction::rebase, false, false}));
  EXPECT_FALSE(sends_roster_value({FieldAction::none, true, false}));
}

// ---- The roster cannot take a field ----

FieldRules rules_without_roster_column(FieldOwner owner, ConflictPolicy policy) {
  FieldRules rules{FieldKind::text, owner, policy, nullptr};
  rules.roster_takes = false;
  return rules;
}

TEST(FieldMerge, BlinkOwnedEditKeptWithoutColumn) {
  const Value desired = "a";
  const Value remote = "b";
  const Value base = "a";

  const auto decision = merge_field(FieldSides{desired, remote, base}, rules_without_roster_column(kBlink, kRosterWins));

  EXPECT_EQ(action_text(decision.action), "none");
  EXPECT_FALSE(decision.conflict);
}

TEST(FieldMerge, DriftPutBackWithoutColumn) {
  const Value desired = "a";
  const Value remote = "b";
  const Value base = "a";

  const auto decision = merge_field(FieldSides{desired, remote, base}, rules_without_roster_column(kRoster, kRosterWins));

  EXPECT_EQ(action_text(decision.action), "put_back");
}

// ---- --resync: the last-synced copy is not trusted ----

FieldDecision decide_resync(const MergeCase& row) {
  FieldRules rules{FieldKind::text, row.owner, row.policy, nullptr};
  rules.base_trusted = false;
  return merge_field(FieldSides{row.desired, row.remote, row.base}, rules);
}

TEST(FieldMerge, ResyncStillNamesDriftAndConflicts) {
  const std::vector<MergeCase> cases = {
      {"drift", "a", "b", "a", kRoster, kRosterWins, FieldAction::put_back, false},
      {"roster changed", "r", "a", "a", kRoster, kRosterWins, FieldAction::push, false},
      {"conflict under report", "r", "b", "a", kRoster, kReport, FieldAction::none, true},
      {"both agree", "a", "a", "a", kRoster, kRosterWins, FieldAction::none, false},
      // Left alone in a normal cycle, because the roster's edits of a
      // Blink-owned field are not sent; the owner's value wins on resync.
      {"roster edit of a blink-owned field", "r", "a", "a", kBlink, kRosterWins, FieldAction::pull, false},
      {"no value from Blink", "a", std::nullopt, "a", kRoster, kRosterWins, FieldAction::push, false},
  };
  for (const auto& row : cases) {
    const auto decision = decide_resync(row);

    EXPECT_EQ(action_text(decision.action), action_text(row.action)) << row.name;
    EXPECT_EQ(decision.conflict, row.conflict) << row.name;
  }
}

}  // namespace
}  // namespace blink_sync
