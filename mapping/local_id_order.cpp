#include "mapping/local_id_order.hpp"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <optional>
#include <string_view>
#include <utility>

#include "mapping/text.hpp"

namespace blink_sync {
namespace {

// Up to 18 decimal digits always fit in a std::uint64_t.
constexpr std::size_t kMaxKeyDigits = 18;

// A local id of the usual shape split into its parts: non-digits, then a
// number without leading zeros. For such ids, natural_less compares the
// prefixes as text and then the numbers by value, so comparing these keys
// gives the same order with one parse per id instead of a scan per comparison.
struct SimpleIdKey {
  std::string_view prefix;
  std::uint64_t number = 0;

  bool operator<(const SimpleIdKey& other) const {
    return prefix != other.prefix ? prefix < other.prefix : number < other.number;
  }
};

// Returns the key of an id of the shape above, or nullopt for any other id.
std::optional<SimpleIdKey> simple_id_key(std::string_view id) {
  const auto first_digit = id.find_first_of("0123456789");
  if (first_digit == std::string_view::npos) {
    return std::nullopt;
  }
  const auto digits = id.substr(first_digit);
  if (digits.size() > kMaxKeyDigits || (digits.size() > 1 && digits.front() == '0')) {
    return std::nullopt;
  }

  SimpleIdKey key{id.substr(0, first_digit), 0};
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), key.number);
  if (error != std::errc{} || end != digits.data() + digits.size()) {
    return std::nullopt;  // something other than digits follows the number
  }
  return key;
}

// Sorts by SimpleIdKey and returns true when every id has that shape and
// either every id or no id has a prefix. Otherwise leaves the records alone
// and returns false, because natural_less orders a digit against a prefix
// character by character code, which the key does not model.
bool sort_by_simple_keys(std::vector<DesiredRecord>& records) {
  std::vector<std::pair<SimpleIdKey, std::size_t>> keys;
  keys.reserve(records.size());
  for (std::size_t i = 0; i < records.size(); ++i) {
    const auto key = simple_id_key(records[i].local_id);
    if (!key) {
      return false;
    }
    if (!keys.empty() && key->prefix.empty() != keys.front().first.prefix.empty()) {
      return false;
    }
    keys.emplace_back(*key, i);
  }

  std::sort(keys.begin(), keys.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<DesiredRecord> sorted;
  sorted.reserve(records.size());
  for (const auto& [key, index] : keys) {
    sorted.push_back(std::move(records[index]));
  }
  records = std::move(sorted);
  return true;
}

}  // namespace

void sort_by_local_id(std::vector<DesiredRecord>& records) {
  const auto less = [](const DesiredRecord& a, const DesiredRecord& b) { return natural_less(a.local_id, b.local_id); };
  if (std::is_sorted(records.begin(), records.end(), less)) {
    return;
  }
  if (!sort_by_simple_keys(records)) {
    std::sort(records.begin(), records.end(), less);
  }
}

}  // namespace blink_sync
