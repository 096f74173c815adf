#include "mapping/value_masking.hpp"

#include <gtest/gtest.h>

namespace blink_sync {
namespace {

FieldValues student_named(const std::string& first, const std::string& last) {
  FieldValues fields(Entity::student);
  fields.set(*field_index(Entity::student, "first_name"), first);
  fields.set(*field_index(Entity::student, "last_name"), last);
  fields.set(*field_index(Entity::student, "date_of_birth"), "03/04/2012");
  return fields;
}

TEST(MaskFieldValues, NamesReplacedByKeys) {
  const auto fields = student_named("Zoë", "O'Brien");

  const auto text = mask_field_values("Student Zoë O'Brien already exists", Entity::student, {&fields});

  EXPECT_EQ(text, "Student <first_name> <last_name> already exists");
}

TEST(MaskFieldValues, LongerValueMaskedFirst) {
  const auto fields = student_named("Ann", "Annabelle");

  const auto text = mask_field_values("Annabelle, Ann", Entity::student, {&fields});

  EXPECT_EQ(text, "<last_name>, <first_name>");
}

TEST(MaskFieldValues, ShortValuesAndDatesLeft) {
  const auto fields = student_named("Jo", "Li");

  const auto text = mask_field_values("Jo Li born 03/04/2012", Entity::student, {&fields, nullptr});

  EXPECT_EQ(text, "Jo Li born 03/04/2012");
}

TEST(MaskValues, TitleAndDetailsReplaced) {
  const auto text = mask_values("title 'Speech with Zoë' is too long; details: Zoë's plan",
                                {{"Speech with Zoë", "<title>"}, {"Zoë's plan", "<details>"}, {"", "<empty>"}});

  EXPECT_EQ(text, "title '<title>' is too long; details: <details>");
}

}  // namespace
}  // namespace blink_sync
