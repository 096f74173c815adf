#include "mapping/local_id_order.hpp"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <optional>
#include <string_view>
#include <type_traits>
#include <utility>

#include "mapping/text.hpp"

namespace blink_sync {
namespace {

// Up to 18 decimal digits always fit in a std::uint64_t.
constexpr std::size_t kMaxKeyDigits = 18;
constexpr std::size_t kPackedPrefixBytes = 8;
constexpr std::size_t kPrefetchDistance = 8;

// A local id of the usual shape split into its parts: non-digits, then a
// number without leading zeros. For such ids, natural_less compares the
// prefixes as text and then the numbers by value, so comparing these keys
// gives the same order with one parse per id instead of a scan per comparison.
struct SimpleIdKey {
  std::string_view prefix;
  // The prefix's bytes big-endian, zero-padded, when it has at most 8. With
  // the size as tie-break, the integers order such prefixes as the text
  // comparison does (bytes as unsigned char), without a memcmp call.
  std::uint64_t prefix_bits = 0;
  std::uint64_t number = 0;

  bool operator<(const SimpleIdKey& other) const {
    if (prefix.size() <= kPackedPrefixBytes && other.prefix.size() <= kPackedPrefixBytes) {
      if (prefix_bits != other.prefix_bits) {
        return prefix_bits < other.prefix_bits;
      }
      if (prefix.size() != other.prefix.size()) {
        return prefix.size() < other.prefix.size();
      }
      return number < other.number;
    }
    return prefix != other.prefix ? prefix < other.prefix : number < other.number;
  }
};

std::uint64_t packed_prefix(std::string_view prefix) {
  std::uint64_t bits = 0;
  for (std::size_t i = 0; i < kPackedPrefixBytes; ++i) {
    const auto byte = i < prefix.size() ? static_cast<unsigned char>(prefix[i]) : 0U;
    bits = (bits << 8U) | byte;
  }
  return bits;
}

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

  SimpleIdKey key{id.substr(0, first_digit), 0, 0};
  key.prefix_bits = key.prefix.size() <= kPackedPrefixBytes ? packed_prefix(key.prefix) : 0;
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), key.number);
  if (error != std::errc{} || end != digits.data() + digits.size()) {
    return std::nullopt;  // something other than digits follows the number
  }
  return key;
}

const std::string& local_id_of(const DesiredRecord& record) { return record.local_id; }
const std::string& local_id_of(const MappedRecord* record) { return record->local_id; }

// Moves items[source[i]] to position i for every i, following each cycle
// of the permutation, so a million records need no second vector of
// records. Leaves `source` as the identity.
template <typename Item>
void permute_in_place(std::vector<Item>& items, std::vector<std::size_t>& source) {
  for (std::size_t start = 0; start < items.size(); ++start) {
    if (source[start] == start) {
      continue;
    }
    Item first_item = std::move(items[start]);
    std::size_t position = start;
    while (source[position] != start) {
      const auto next = source[position];
      items[position] = std::move(items[next]);
      source[position] = position;
      position = next;
    }
    items[position] = std::move(first_item);
    source[position] = position;
  }
}

// Sorts by SimpleIdKey and returns true when every id has that shape and
// either every id or no id has a prefix. Otherwise leaves the items alone
// and returns false, because natural_less orders a digit against a prefix
// character by character code, which the key does not model.
template <typename Item>
bool sort_by_simple_keys(std::vector<Item>& items) {
  std::vector<std::pair<SimpleIdKey, std::size_t>> keys;
  keys.reserve(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    if constexpr (std::is_pointer_v<Item>) {
      // Pointed-to records are scattered in memory, so the next ones are
      // prefetched while this one is parsed.
      if (i + kPrefetchDistance < items.size()) {
        __builtin_prefetch(items[i + kPrefetchDistance]);
      }
    }
    const auto key = simple_id_key(local_id_of(items[i]));
    if (!key) {
      return false;
    }
    if (!keys.empty() && key->prefix.empty() != keys.front().first.prefix.empty()) {
      return false;
    }
    keys.emplace_back(*key, i);
  }

  std::sort(keys.begin(), keys.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::size_t> source(keys.size());
  for (std::size_t i = 0; i < keys.size(); ++i) {
    source[i] = keys[i].second;
  }
  std::vector<std::pair<SimpleIdKey, std::size_t>>().swap(keys);
  permute_in_place(items, source);
  return true;
}

template <typename Item>
void sort_items_by_local_id(std::vector<Item>& items) {
  const auto less = [](const Item& a, const Item& b) { return natural_less(local_id_of(a), local_id_of(b)); };
  if (std::is_sorted(items.begin(), items.end(), less)) {
    return;
  }
  if (!sort_by_simple_keys(items)) {
    std::sort(items.begin(), items.end(), less);
  }
}

}  // namespace

void sort_by_local_id(std::vector<DesiredRecord>& records) { sort_items_by_local_id(records); }

void sort_by_local_id(std::vector<const MappedRecord*>& records) { sort_items_by_local_id(records); }

}  // namespace blink_sync
