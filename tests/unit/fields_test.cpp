#include "mapping/fields.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "builders.hpp"

namespace blink_sync {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

std::vector<std::string> keys_of(Entity entity) {
  std::vector<std::string> keys;
  for (const auto& spec : fields_of(entity)) {
    keys.emplace_back(spec.blink_key);
  }
  return keys;
}

TEST(Fields, StudentFieldsInOrder) {
  EXPECT_THAT(keys_of(Entity::student),
              ElementsAre("first_name", "last_name", "date_of_birth", "student_timezone", "notes",
                          "location_id", "discharged"));
}

TEST(Fields, LoginFieldsIncludeEightPreferences) {
  const auto specs = fields_of(Entity::student_login);
  std::size_t preferences = 0;
  for (const auto& spec : specs) {
    if (spec.group == FieldGroup::notification_preferences) {
      ++preferences;
      EXPECT_EQ(spec.kind, FieldKind::flag) << spec.blink_key;
      EXPECT_FALSE(spec.required) << spec.blink_key;
    }
  }
  EXPECT_EQ(preferences, 8u);
  EXPECT_EQ(specs.size(), 12u);
}

TEST(Fields, StaffPermissionsUseBlinkKeys) {
  const auto specs = fields_of(Entity::staff);
  const auto index = field_index(Entity::staff, "Schedule-Admin");
  ASSERT_TRUE(index.has_value());
  EXPECT_EQ(specs[*index].roster_column, "schedule_admin");
  EXPECT_EQ(specs[*index].kind, FieldKind::flag);

  const auto timezone = field_index(Entity::staff, "user_timezone");
  ASSERT_TRUE(timezone.has_value());
  EXPECT_EQ(specs[*timezone].roster_column, "timezone");
}

TEST(Fields, FieldIndexOfUnknownKey) {
  EXPECT_FALSE(field_index(Entity::student, "email").has_value());
  EXPECT_FALSE(field_index(Entity::staff, "schedule_admin").has_value());
  EXPECT_EQ(field_index(Entity::student, "first_name"), 0u);
}

TEST(Fields, ValuesHaveOneSlotPerField) {
  for (const auto entity : {Entity::student, Entity::student_login, Entity::staff}) {
    const FieldValues values(entity);
    EXPECT_EQ(values.size(), fields_of(entity).size()) << entity_name(entity);
    for (std::size_t i = 0; i < values.size(); ++i) {
      EXPECT_FALSE(values.get(i).has_value());
    }
  }
}

TEST(Fields, ValuesSetInAnyOrder) {
  FieldValues values(Entity::student);
  values.set(4, "a note");
  values.set(0, "Ada");
  values.set(6, "0");
  values.set(1, "Lovelace");

  EXPECT_EQ(values.get(0), "Ada");
  EXPECT_EQ(values.get(1), "Lovelace");
  EXPECT_FALSE(values.get(2).has_value());
  EXPECT_FALSE(values.get(3).has_value());
  EXPECT_EQ(values.get(4), "a note");
  EXPECT_FALSE(values.get(5).has_value());
  EXPECT_EQ(values.get(6), "0");
}

TEST(Fields, ValuesOverwriteShorterAndLonger) {
  FieldValues values(Entity::student);
  values.set(0, "Ada");
  values.set(1, "Lovelace");
  values.set(2, "12/10/1815");

  values.set(1, "L");
  EXPECT_EQ(values.get(0), "Ada");
  EXPECT_EQ(values.get(1), "L");
  EXPECT_EQ(values.get(2), "12/10/1815");

  values.set(0, "Augusta Ada King");
  EXPECT_EQ(values.get(0), "Augusta Ada King");
  EXPECT_EQ(values.get(1), "L");
  EXPECT_EQ(values.get(2), "12/10/1815");

  values.set(1, std::nullopt);
  EXPECT_EQ(values.get(0), "Augusta Ada King");
  EXPECT_FALSE(values.get(1).has_value());
  EXPECT_EQ(values.get(2), "12/10/1815");
}

TEST(Fields, ValuesEmptyTextIsKnown) {
  FieldValues values(Entity::student);
  values.set(4, "");

  EXPECT_EQ(values.get(4), "");
  EXPECT_FALSE(values.get(3).has_value());
  EXPECT_NE(values, FieldValues(Entity::student));
}

TEST(Fields, ValuesEqualWhateverTheOrderOfSets) {
  FieldValues forward(Entity::staff);
  FieldValues backward(Entity::staff);
  for (std::size_t i = 0; i < forward.size(); ++i) {
    forward.set(i, "value " + std::to_string(i));
  }
  for (std::size_t i = backward.size(); i-- > 0;) {
    backward.set(i, "changed");
    backward.set(i, "value " + std::to_string(i));
  }

  EXPECT_EQ(forward, backward);
  backward.set(12, "value 12 changed");
  EXPECT_NE(forward, backward);
}

TEST(Fields, ValuesPastTheLastSlot) {
  FieldValues values(Entity::student);

  EXPECT_FALSE(values.get(7).has_value());
  EXPECT_FALSE(FieldValues().get(0).has_value());
  EXPECT_THROW(values.set(7, "x"), std::out_of_range);
  EXPECT_THROW(FieldValues().set(0, "x"), std::out_of_range);
}

TEST(Fields, SameValueByKind) {
  EXPECT_TRUE(same_value(FieldKind::email, "Pat@Example.org", "pat@example.ORG"));
  EXPECT_FALSE(same_value(FieldKind::email, "pat@example.org", "pat@example.com"));

  EXPECT_TRUE(same_value(FieldKind::phone, "719-555-0142", "(719) 555 0142"));
  EXPECT_FALSE(same_value(FieldKind::phone, "719-555-0142", "719-555-0143"));

  EXPECT_TRUE(same_value(FieldKind::name, "Jose\xCC\x81", "Jos\xC3\xA9"));
  EXPECT_TRUE(same_value(FieldKind::name, "Mary  Ann", "Mary Ann"));
  EXPECT_FALSE(same_value(FieldKind::name, "jose", "Jose"));

  EXPECT_TRUE(same_value(FieldKind::text, "a note", "a note"));
  EXPECT_FALSE(same_value(FieldKind::text, "a note", "a note "));
  EXPECT_FALSE(same_value(FieldKind::flag, "1", "0"));
  EXPECT_FALSE(same_value(FieldKind::date, "05/06/2010", "06/05/2010"));
}

TEST(Fields, UnknownDesiredSlotNeverDiffers) {
  FieldValues desired(Entity::student);
  FieldValues other(Entity::student);
  test::set_field(Entity::student, other, "notes", "set in Blink");

  EXPECT_THAT(differing_fields(Entity::student, desired, other), IsEmpty());
}

TEST(Fields, UnknownOtherSlotDiffers) {
  FieldValues desired(Entity::student);
  test::set_field(Entity::student, desired, "notes", "");
  const FieldValues other(Entity::student);

  EXPECT_THAT(differing_fields(Entity::student, desired, other),
              ElementsAre(test::slot_of(Entity::student, "notes")));
}

TEST(Fields, DifferingFieldsUsesKindComparison) {
  FieldValues desired(Entity::staff);
  FieldValues other(Entity::staff);
  test::set_field(Entity::staff, desired, "email", "Sam@Example.org");
  test::set_field(Entity::staff, other, "email", "sam@example.org");
  test::set_field(Entity::staff, desired, "phone", "719-555-0100");
  test::set_field(Entity::staff, other, "phone", "7195550100");
  test::set_field(Entity::staff, desired, "last_name", "Reed");
  test::set_field(Entity::staff, other, "last_name", "Reid");

  EXPECT_THAT(differing_fields(Entity::staff, desired, other),
              ElementsAre(test::slot_of(Entity::staff, "last_name")));
}

TEST(Fields, DifferingFieldsAgainstEmptyCopy) {
  const auto record = test::student("s1", "Ada", "Byron");

  const auto differing = differing_fields(Entity::student, record.fields, FieldValues());

  EXPECT_EQ(differing.size(), fields_of(Entity::student).size());
}

TEST(Fields, MergeKnownCopiesOnlyKnownSlots) {
  FieldValues base(Entity::student);
  test::set_field(Entity::student, base, "first_name", "Ada");
  test::set_field(Entity::student, base, "notes", "kept");
  FieldValues changes(Entity::student);
  test::set_field(Entity::student, changes, "first_name", "Augusta");
  test::set_field(Entity::student, changes, "discharged", "1");

  merge_known(base, changes);

  EXPECT_EQ(test::field(Entity::student, base, "first_name"), "Augusta");
  EXPECT_EQ(test::field(Entity::student, base, "notes"), "kept");
  EXPECT_EQ(test::field(Entity::student, base, "discharged"), "1");
  EXPECT_FALSE(test::field(Entity::student, base, "last_name").has_value());
}

TEST(Fields, MergeKnownIntoEmptyBase) {
  FieldValues base;
  FieldValues changes(Entity::student);
  test::set_field(Entity::student, changes, "last_name", "Byron");

  merge_known(base, changes);

  ASSERT_EQ(base.size(), fields_of(Entity::student).size());
  EXPECT_EQ(test::field(Entity::student, base, "last_name"), "Byron");
}

}  // namespace
}  // namespace blink_sync
