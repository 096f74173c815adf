#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "mapping/entity.hpp"
#include "mapping/fields.hpp"

namespace blink_sync {

// A value to hide from a message, and the placeholder shown instead.
struct MaskedValue {
  std::string value;
  std::string placeholder;  // such as "<title>"
};

// Returns the placeholder of a field: its key in angle brackets.
std::string placeholder_of(std::string_view key);

// Returns `text` with every occurrence of each value replaced by its
// placeholder, longest value first. Values shorter than three characters
// are left, because they would match ordinary words. Pure.
std::string mask_values(std::string text, std::vector<MaskedValue> values);

// Returns `text` with every occurrence of the record's names, free text,
// emails and phone numbers replaced by the field's key in angle brackets,
// such as "<first_name>". A message from Blink may quote what it rejected,
// and unlike emails and dates a name has no shape to recognise, so the
// values the daemon sent are looked for instead. Values shorter than three
// characters are left, because they would match ordinary words. Pure.
std::string mask_field_values(std::string text, Entity entity, const std::vector<const FieldValues*>& records);

}  // namespace blink_sync
