// Query parameters of the GET endpoints and the page they select.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "records.hpp"

namespace fake_blink {

// Decoded query parameters. A repeated name keeps its last value.
using QueryParams = std::map<std::string, std::string, std::less<>>;

// The document's maximum page size; larger `limit` values are clamped to it.
inline constexpr std::int64_t kMaxPageSize = 500;

struct ListQuery {
  // 1-based. The document never names the page parameter, so `page`
  // follows the framework whose meta.pagination shape the document shows.
  std::int64_t page = 1;
  std::int64_t limit = kMaxPageSize;
  std::string sort = "id";
  bool descending = false;
  std::set<std::string, std::less<>> objects;

  bool wants(std::string_view object) const { return objects.contains(object); }
};

// Parses page, limit, sort, direction and objects. Throws a 406 ApiError
// naming the parameter when a value is invalid or `sort` is not one of
// `sort_fields`. Object names are not checked, so unknown ones are ignored.
ListQuery parse_list_query(const QueryParams& params,
                           std::span<const std::string_view> sort_fields);

// Parses only `objects`, for GET of a single record.
std::set<std::string, std::less<>> parse_objects(const QueryParams& params);

// Sort key of one record. Null sorts before numbers and numbers before
// text, so null comes first in ascending order as in MySQL. Text keys
// should be lower case, so that the order ignores case.
// NOTE: the document does not say how Blink orders nulls or letter case,
// so both orders are guesses.
using SortValue = std::variant<std::monostate, std::int64_t, std::string>;

struct SortEntry {
  SortValue key;
  RecordId id = 0;
};

struct Page {
  std::vector<RecordId> ids;
  nlohmann::json meta;  // {"pagination":{total_count,total_pages,current_page,limit}}
};

// Sorts `entries` by key in the requested direction, breaking ties by
// ascending id, and returns the ids on the requested page with the meta
// object. A page past the last one has no ids.
Page select_page(std::vector<SortEntry> entries, const ListQuery& query);

}  // namespace fake_blink
