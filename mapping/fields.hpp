#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "mapping/entity.hpp"

namespace blink_sync {

// Kind of a field's value: how it is written, validated and compared.
enum class FieldKind {
  name,      // NFC text, compared exactly after normalisation
  text,      // free text, compared exactly
  email,     // compared without regard to ASCII case
  phone,     // compared by digits only
  date,      // MM/DD/YYYY, the form Blink sends and accepts
  timezone,  // IANA name
  integer,   // decimal digits; empty means "none" (sent as null)
  flag,      // "0" or "1"
};

// Fields of one entity that Blink replaces as a whole when any of them is
// sent: the eight notification preferences of a student-login.
enum class FieldGroup { none, notification_preferences };

// One field of a Blink record: its key in Blink's JSON and the roster column
// it is read from.
struct FieldSpec {
  std::string_view blink_key;
  std::string_view roster_column;
  FieldKind kind;
  bool required = false;
  FieldGroup group = FieldGroup::none;
};

// Returns the fields of an entity in a fixed order; FieldValues slots use
// the same order.
std::span<const FieldSpec> fields_of(Entity entity);

// Returns the slot of a field by its Blink key, or nullopt.
std::optional<std::size_t> field_index(Entity entity, std::string_view blink_key);

// Canonical field values of one record, one slot per FieldSpec. An empty
// slot means the value is unknown: the roster does not manage that field, or
// Blink did not return it.
struct FieldValues {
  std::vector<std::optional<std::string>> slots;

  explicit FieldValues(Entity entity);
  FieldValues() = default;

  bool operator==(const FieldValues&) const = default;
};

// Returns true when two known values of a field mean the same thing.
bool same_value(FieldKind kind, std::string_view left, std::string_view right);

// Returns the slots where `desired` has a value that `other` lacks or
// has differently. A slot unknown on the desired side never differs, so a
// field the roster does not manage is never sent.
std::vector<std::size_t> differing_fields(Entity entity, const FieldValues& desired,
                                          const FieldValues& other);

// Copies every known slot of `changes` over `base`.
void merge_known(FieldValues& base, const FieldValues& changes);

}  // namespace blink_sync
