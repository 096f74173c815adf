#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace blink_sync {

// Text normalisation shared by row validation, the planner and the natural
// keys. Every function is pure and accepts any bytes: text that is not valid
// UTF-8 is reported by is_valid_utf8() and left unchanged by the others.

bool is_valid_utf8(std::string_view text);

// Removes leading and trailing ASCII white space. Defined here so that
// it can be inlined, because row validation trims nearly every cell.
inline std::string_view trim(std::string_view text) {
  const auto is_space = [](char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
  };
  while (!text.empty() && is_space(text.front())) {
    text.remove_prefix(1);
  }
  while (!text.empty() && is_space(text.back())) {
    text.remove_suffix(1);
  }
  return text;
}

// Returns the text trimmed, with runs of inner white space collapsed to one
// space and converted to Unicode NFC, so "Jose\u0301" and "José" compare equal.
std::string normalise_name(std::string_view text);

// Returns a comparison key that ignores case and accents: NFC, case-folded,
// combining marks stripped. Used for natural keys, where a near match must be
// found rather than missed.
std::string loose_key(std::string_view text);

// Appends loose_key(text) to `key`. ASCII text, the usual case, is appended
// without a temporary string.
void append_loose_key(std::string_view text, std::string& key);

// Returns the email trimmed and lower-cased (ASCII only: Blink's user table
// compares emails without regard to case).
std::string email_key(std::string_view email);

// Appends email_key(email) to `key`.
void append_email_key(std::string_view email, std::string& key);

// Returns only the digits of a phone number, so "719-555-0142" and
// "(719) 555 0142" compare equal.
std::string phone_digits(std::string_view phone);

// Returns the number of Unicode code points, or the byte count when the text
// is not valid UTF-8.
std::size_t code_point_count(std::string_view text);

// Returns the parts with `separator` between them.
std::string join(const std::vector<std::string>& parts, std::string_view separator);

// Joins ids with ", ", for messages that list Blink ids.
std::string join_ids_text(const std::vector<std::int64_t>& ids);

// Orders text with runs of digits compared by value, so "2" comes before
// "10": the order in which local ids are listed and planned.
bool natural_less(std::string_view left, std::string_view right);

}  // namespace blink_sync
