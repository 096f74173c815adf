#include "list_query.hpp"

#include <algorithm>

#include "http_types.hpp"
#include "payload.hpp"
#include "store.hpp"

namespace fake_blink {
namespace {

const std::string* find_param(const QueryParams& params, std::string_view name) {
  const auto found = params.find(name);
  return found == params.end() ? nullptr : &found->second;
}

std::int64_t parse_page(const QueryParams& params) {
  const std::string* text = find_param(params, "page");
  if (text == nullptr) {
    return 1;
  }

  const auto page = parse_integer(*text);
  if (!page || *page < 1) {
    throw validation_error("page must be a positive integer, got \"" + *text + "\"");
  }
  return *page;
}

std::int64_t parse_limit(const QueryParams& params) {
  const std::string* text = find_param(params, "limit");
  if (text == nullptr) {
    return kMaxPageSize;
  }

  const auto limit = parse_integer(*text);
  if (!limit || *limit < 1) {
    throw validation_error("limit must be a positive integer, got \"" + *text + "\"");
  }
  return std::min(*limit, kMaxPageSize);
}

std::string parse_sort(const QueryParams& params, std::span<const std::string_view> sort_fields) {
  const std::string* text = find_param(params, "sort");
  if (text == nullptr) {
    return "id";
  }

  if (std::find(sort_fields.begin(), sort_fields.end(), *text) == sort_fields.end()) {
    std::string allowed;
    for (const std::string_view field : sort_fields) {
      allowed += (allowed.empty() ? "" : ", ") + std::string{field};
    }
    throw validation_error("sort must be one of " + allowed + ", got \"" + *text + "\"");
  }
  return *text;
}

bool parse_descending(const QueryParams& params) {
  const std::string* text = find_param(params, "direction");
  if (text == nullptr) {
    return false;
  }

  const std::string direction = to_lower_ascii(*text);
  if (direction != "asc" && direction != "desc") {
    throw validation_error("direction must be asc or desc, got \"" + *text + "\"");
  }
  return direction == "desc";
}

}  // namespace

std::set<std::string, std::less<>> parse_objects(const QueryParams& params) {
  std::set<std::string, std::less<>> objects;
  const std::string* text = find_param(params, "objects");
  if (text == nullptr) {
    return objects;
  }

  std::string_view rest = *text;
  while (!rest.empty()) {
    const auto comma = rest.find(',');
    const std::string_view name = trim_spaces(rest.substr(0, comma));
    if (!name.empty()) {
      objects.emplace(name);
    }
    rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
  }
  return objects;
}

ListQuery parse_list_query(const QueryParams& params,
                           std::span<const std::string_view> sort_fields) {
  ListQuery query;
  query.page = parse_page(params);
  query.limit = parse_limit(params);
  query.sort = parse_sort(params, sort_fields);
  query.descending = parse_descending(params);
  query.objects = parse_objects(params);
  return query;
}

Page select_page(std::vector<SortEntry> entries, const ListQuery& query) {
  std::sort(entries.begin(), entries.end(), [&](const SortEntry& a, const SortEntry& b) {
    if (a.key != b.key) {
      return query.descending ? b.key < a.key : a.key < b.key;
    }
    return a.id < b.id;
  });

  // An empty list still reports one (empty) page, so current_page 1 is
  // never past total_pages. The document shows no empty list, so this is
  // our choice.
  const auto total = static_cast<std::int64_t>(entries.size());
  const std::int64_t total_pages = std::max<std::int64_t>(1, (total + query.limit - 1) / query.limit);

  Page page;
  if (query.page <= total_pages) {
    const std::int64_t first = (query.page - 1) * query.limit;
    const std::int64_t end = std::min(total, first + query.limit);
    for (std::int64_t index = first; index < end; ++index) {
      page.ids.push_back(entries[static_cast<std::size_t>(index)].id);
    }
  }

  page.meta = {{"pagination",
                {{"total_count", total},
                 {"total_pages", total_pages},
                 {"current_page", query.page},
                 {"limit", query.limit}}}};
  return page;
}

}  // namespace fake_blink
