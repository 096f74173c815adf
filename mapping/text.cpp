#include "mapping/text.hpp"

#include <utf8proc.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdlib>
#include <cstring>
#include <memory>

namespace blink_sync {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

// Runs utf8proc_map with the given options; returns nullopt on invalid input.
std::optional<std::string> map_utf8(std::string_view text, int options) {
  utf8proc_uint8_t* output = nullptr;
  const auto length = utf8proc_map(reinterpret_cast<const utf8proc_uint8_t*>(text.data()),
                                   static_cast<utf8proc_ssize_t>(text.size()), &output,
                                   static_cast<utf8proc_option_t>(options));
  if (length < 0) {
    return std::nullopt;
  }
  std::unique_ptr<utf8proc_uint8_t, decltype(&std::free)> owner(output, &std::free);
  return std::string(reinterpret_cast<const char*>(output), static_cast<std::size_t>(length));
}

// ASCII text is already in NFC and has no combining marks, so the
// normalisations below can skip utf8proc for it. Every cell of a roster row
// is checked at least once, so eight bytes are tested at a time.
bool is_ascii(std::string_view text) {
  constexpr std::uint64_t kHighBits = 0x8080808080808080ULL;
  std::size_t i = 0;
  for (; i + sizeof(std::uint64_t) <= text.size(); i += sizeof(std::uint64_t)) {
    std::uint64_t word = 0;
    std::memcpy(&word, text.data() + i, sizeof word);
    if ((word & kHighBits) != 0) {
      return false;
    }
  }
  return std::all_of(text.begin() + static_cast<std::ptrdiff_t>(i), text.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

// Text whose code points are all below U+0300 is already in NFC: no pair of
// them composes or changes under NFC (checked with utf8proc 2.6 for every
// pair). Every code point from U+0300 up starts with a byte from 0xCC up in
// UTF-8. Invalid UTF-8 also passes, and normalise_name then returns it
// unchanged, as it does when utf8proc rejects it.
bool is_below_combining_marks(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0xCC; });
}

constexpr int kLooseKeyOptions = UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK;
constexpr utf8proc_int32_t kFirstCombiningMark = 0x300;

// The loose key of each code point below U+0300, computed once with
// utf8proc. The loose key of text made of such code points is the
// concatenation of theirs: utf8proc 2.6 agrees for every pair of them.
const std::array<std::string, kFirstCombiningMark>& loose_keys_below_combining_marks() {
  static const auto keys = [] {
    std::array<std::string, kFirstCombiningMark> computed;
    for (utf8proc_int32_t code_point = 0; code_point < kFirstCombiningMark; ++code_point) {
      utf8proc_uint8_t bytes[4];
      const auto length = utf8proc_encode_char(code_point, bytes);
      const std::string encoded(reinterpret_cast<const char*>(bytes), static_cast<std::size_t>(length));
      computed[static_cast<std::size_t>(code_point)] = map_utf8(encoded, kLooseKeyOptions).value_or(encoded);
    }
    return computed;
  }();
  return keys;
}

// Builds the loose key of text that is_below_combining_marks accepted from
// the table above. Returns nullopt for invalid UTF-8, which utf8proc must see.
std::optional<std::string> loose_key_below_combining_marks(std::string_view text) {
  const auto& keys = loose_keys_below_combining_marks();
  std::string key;
  key.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const auto lead = static_cast<unsigned char>(text[i]);
    if (lead < 0x80) {
      key += keys[lead];
      continue;
    }
    const bool two_bytes = lead >= 0xC2 && i + 1 < text.size() &&
                           (static_cast<unsigned char>(text[i + 1]) & 0xC0) == 0x80;
    if (!two_bytes) {
      return std::nullopt;
    }
    key += keys[((lead & 0x1FU) << 6) | (static_cast<unsigned char>(text[i + 1]) & 0x3FU)];
    ++i;
  }
  return key;
}

std::string collapse_spaces(std::string_view text) {
  std::string result;
  result.reserve(text.size());
  bool in_space = false;
  for (char c : trim(text)) {
    if (is_space(c)) {
      in_space = true;
      continue;
    }
    if (in_space) {
      result.push_back(' ');
      in_space = false;
    }
    result.push_back(c);
  }
  return result;
}

// Returns the loose key of collapsed text that is not all ASCII.
std::string loose_key_not_ascii(std::string collapsed) {
  if (is_below_combining_marks(collapsed)) {
    auto key = loose_key_below_combining_marks(collapsed);
    if (key) {
      return std::move(*key);
    }
  }
  return map_utf8(collapsed, kLooseKeyOptions).value_or(collapsed);
}

// Decodes code point by code point with utf8proc_iterate, the decoder
// utf8proc_map uses, so it rejects the same bytes without building a copy.
// Returns nullopt when the text is not valid UTF-8.
std::optional<std::size_t> count_code_points(std::string_view text) {
  if (is_ascii(text)) {
    return text.size();  // most roster values, and one byte per code point
  }
  const auto* bytes = reinterpret_cast<const utf8proc_uint8_t*>(text.data());
  auto remaining = static_cast<utf8proc_ssize_t>(text.size());
  std::size_t count = 0;
  while (remaining > 0) {
    utf8proc_int32_t code_point = 0;
    const auto length = utf8proc_iterate(bytes, remaining, &code_point);
    if (length <= 0 || code_point < 0) {
      return std::nullopt;
    }
    bytes += length;
    remaining -= length;
    ++count;
  }
  return count;
}

}  // namespace

bool is_valid_utf8(std::string_view text) { return count_code_points(text).has_value(); }

std::string normalise_name(std::string_view text) {
  std::string collapsed = collapse_spaces(text);
  if (is_below_combining_marks(collapsed)) {
    return collapsed;
  }
  return map_utf8(collapsed, UTF8PROC_STABLE | UTF8PROC_COMPOSE).value_or(collapsed);
}

std::string loose_key(std::string_view text) {
  std::string key;
  append_loose_key(text, key);
  return key;
}

// Collapsing white space changes only ASCII bytes, so the trimmed text is
// ASCII exactly when the collapsed text is, and the ASCII path can collapse,
// lower-case and append in one pass.
void append_loose_key(std::string_view text, std::string& key) {
  const auto trimmed = trim(text);
  if (!is_ascii(trimmed)) {
    key += loose_key_not_ascii(collapse_spaces(trimmed));
    return;
  }
  bool in_space = false;
  for (char c : trimmed) {
    if (is_space(c)) {
      in_space = true;
      continue;
    }
    if (in_space) {
      key.push_back(' ');
      in_space = false;
    }
    key.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
  }
}

std::string email_key(std::string_view email) {
  std::string key;
  append_email_key(email, key);
  return key;
}

void append_email_key(std::string_view email, std::string& key) {
  for (char c : trim(email)) {
    key.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  }
}

std::string phone_digits(std::string_view phone) {
  std::string digits;
  for (char c : phone) {
    if (c >= '0' && c <= '9') {
      digits.push_back(c);
    }
  }
  return digits;
}

std::size_t code_point_count(std::string_view text) { return count_code_points(text).value_or(text.size()); }

std::string join(const std::vector<std::string>& parts, std::string_view separator) {
  std::string joined;
  for (const auto& part : parts) {
    if (!joined.empty()) {
      joined += separator;
    }
    joined += part;
  }
  return joined;
}

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Returns the end of the run of digits, or of other characters, that starts
// at `from`.
std::size_t run_end(std::string_view text, std::size_t from) {
  const bool digits = is_digit(text[from]);
  std::size_t end = from + 1;
  while (end < text.size() && is_digit(text[end]) == digits) {
    ++end;
  }
  return end;
}

// Compares the runs of digits [left_from, left_end) and [right_from,
// right_end) by value: after leading zeros, fewer digits is less.
int compare_numbers(std::string_view left, std::size_t left_from, std::size_t left_end, std::string_view right,
                    std::size_t right_from, std::size_t right_end) {
  while (left_end - left_from > 1 && left[left_from] == '0') {
    ++left_from;
  }
  while (right_end - right_from > 1 && right[right_from] == '0') {
    ++right_from;
  }
  const auto left_length = left_end - left_from;
  const auto right_length = right_end - right_from;
  if (left_length != right_length) {
    return left_length < right_length ? -1 : 1;
  }
  return left.compare(left_from, left_length, right, right_from, right_length);
}

}  // namespace

// Walks both texts run by run with indexes rather than substrings, because
// sorting a large roster calls this millions of times.
bool natural_less(std::string_view left, std::string_view right) {
  std::size_t i = 0;
  std::size_t j = 0;
  while (i < left.size() && j < right.size()) {
    const auto left_end = run_end(left, i);
    const auto right_end = run_end(right, j);
    const bool numbers = is_digit(left[i]) && is_digit(right[j]);
    const int order = numbers ? compare_numbers(left, i, left_end, right, j, right_end)
                              : left.compare(i, left_end - i, right, j, right_end - j);
    if (order != 0) {
      return order < 0;
    }
    i = left_end;
    j = right_end;
  }
  if (i < left.size() || j < right.size()) {
    return j < right.size();
  }
  return left < right;  // "01" and "1" still differ, in a fixed order
}

std::string join_ids_text(const std::vector<std::int64_t>& ids) {
  std::vector<std::string> parts;
  parts.reserve(ids.size());
  for (const auto id : ids) {
    parts.push_back(std::to_string(id));
  }
  return join(parts, ", ");
}

}  // namespace blink_sync
