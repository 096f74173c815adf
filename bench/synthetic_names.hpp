#pragma once

#include <cstddef>
#include <string_view>

namespace blink_sync::bench {

// A person's name in roster form, with an ASCII spelling of each part
// for building email addresses.
struct PersonName {
  std::string_view first;
  std::string_view last;
  std::string_view first_ascii;
  std::string_view last_ascii;
};

// Returns a name for the person with this index. Names carry accents (some
// decomposed, so validation must compose them to NFC) and apostrophes.
// Indexes that differ modulo the number of first-name and last-name pairs
// get different names, and no two of those pairs are equal when compared
// without regard to case or accents.
PersonName person_name(std::size_t index);

// Returns the number of distinct first-name and last-name pairs.
std::size_t distinct_name_count();

}  // namespace blink_sync::bench
