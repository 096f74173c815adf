#include "mapping/value_masking.hpp"

#include <algorithm>
#include <string_view>
#include <utility>

namespace blink_sync {
namespace {

constexpr std::size_t kShortestMasked = 3;

bool may_identify(FieldKind kind) {
  return kind == FieldKind::name || kind == FieldKind::text || kind == FieldKind::email || kind == FieldKind::phone;
}

void replace_all(std::string& text, std::string_view value, const std::string& placeholder) {
  for (auto at = text.find(value); at != std::string::npos; at = text.find(value, at + placeholder.size())) {
    text.replace(at, value.size(), placeholder);
  }
}

}  // namespace

// Built by appending, because GCC 12 at -O3 warns falsely (-Wrestrict) on
// "<" + std::string(key) once this is inlined.
std::string placeholder_of(std::string_view key) {
  std::string placeholder = "<";
  placeholder += key;
  placeholder += '>';
  return placeholder;
}

std::string mask_values(std::string text, std::vector<MaskedValue> values) {
  // Longest first, so a name is not masked inside a longer one it is part of.
  std::sort(values.begin(), values.end(),
            [](const auto& left, const auto& right) { return left.value.size() > right.value.size(); });
  for (const auto& [value, placeholder] : values) {
    if (value.size() >= kShortestMasked) {
      replace_all(text, value, placeholder);
    }
  }
  return text;
}

std::string mask_field_values(std::string text, Entity entity, const std::vector<const FieldValues*>& records) {
  const auto specs = fields_of(entity);
  std::vector<MaskedValue> values;
  for (const auto* record : records) {
    for (std::size_t i = 0; record != nullptr && i < specs.size() && i < record->size(); ++i) {
      const auto value = record->get(i);
      if (value && may_identify(specs[i].kind)) {
        values.push_back({std::string(*value), placeholder_of(specs[i].blink_key)});
      }
    }
  }
  return mask_values(std::move(text), std::move(values));
}

}  // namespace blink_sync
