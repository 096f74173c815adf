#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
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

// Canonical field values of one record, one slot per FieldSpec. An unknown
// slot (nullopt) means the roster does not manage that field, or Blink did
// not return it. A default-constructed FieldValues has no slots at all.
//
// The known values sit back to back in one string, and each slot stores only
// where its value ends, because a roster of a million records keeps three
// copies of every record in memory (roster, Blink and the last-synced copy).
class FieldValues {
 public:
  // Maximum number of fields of any entity (staff: 13).
  static constexpr std::size_t kMaxSlots = 13;

  explicit FieldValues(Entity entity);
  FieldValues() = default;

  std::size_t size() const { return slot_count_; }
  bool empty() const { return slot_count_ == 0; }

  // Returns the value of a slot, or nullopt when it is unknown or past
  // size(). The view is valid until the next set() on this object.
  std::optional<std::string_view> get(std::size_t slot) const;

  // Sets a slot's value, or makes it unknown with nullopt. Throws
  // std::out_of_range when slot >= size().
  void set(std::size_t slot, std::optional<std::string_view> value);

  // Makes room for this many bytes of values in total, as std::string::reserve.
  void reserve(std::size_t text_bytes) { text_.reserve(text_bytes); }

  bool operator==(const FieldValues&) const = default;

 private:
  std::size_t begin_of(std::size_t slot) const { return slot == 0 ? 0 : ends_[slot - 1]; }

  std::string text_;                             // the known values, in slot order
  std::array<std::uint32_t, kMaxSlots> ends_{};  // end of each slot's value in text_
  std::uint16_t known_ = 0;                      // bit i set: slot i is known
  std::uint8_t slot_count_ = 0;
};

// Returns true when two known values of a field mean the same thing.
bool same_value(FieldKind kind, std::string_view left, std::string_view right);

// Returns the slots where `desired` has a value that `other` lacks or
// has differently. A slot unknown on the desired side never differs, so a
// field the roster does not manage is never sent.
std::vector<std::size_t> differing_fields(Entity entity, const FieldValues& desired,
                                          const FieldValues& other);

// Copies every known slot of `changes` over `base`, first giving `base`
// as many slots as `changes` has when it has fewer.
void merge_known(FieldValues& base, const FieldValues& changes);

}  // namespace blink_sync
