#include "mapping/page_walk.hpp"

#include <algorithm>

namespace blink_sync {

std::optional<std::string> PageWalk::add_page(std::int64_t page, const ListPage& list) {
  const auto& meta = list.pagination;
  if (page == 1) {
    if (auto problem = check_first_page(meta)) {
      return problem;
    }
    total_count_ = meta.total_count;
    total_pages_ = meta.total_pages;
  } else if (meta.total_count != total_count_) {
    changed_ = true;
    return std::nullopt;
  }

  if (meta.current_page != page) {
    return "returned page " + std::to_string(meta.current_page) +
           "; the server ignored the page parameter, so the list cannot be read completely";
  }

  for (const auto& item : list.items) {
    const auto id = item.is_object() && item.contains("id") ? read_id(item["id"]) : std::nullopt;
    if (id && !seen_.insert(*id).second) {
      return "repeated Blink id " + std::to_string(*id) + " from an earlier page; the server ignored the page parameter";
    }
    ++items_;
  }
  return std::nullopt;
}

// A list of total_count records in pages of `limit` has at most
// total_count / limit + 1 pages. The comparison is written so that it cannot
// overflow for any total_count (decoding already rejected negative counts).
std::optional<std::string> PageWalk::check_first_page(const Pagination& meta) const {
  const auto limit = std::max<std::int64_t>(1, meta.limit);
  if (meta.total_pages > kMaxPages || meta.total_pages - 1 > meta.total_count / limit) {
    return "announced " + std::to_string(meta.total_pages) + " pages for " + std::to_string(meta.total_count) +
           " records of at most " + std::to_string(limit) + " per page (and at most " + std::to_string(kMaxPages) +
           " pages); the response is not trusted";
  }
  return std::nullopt;
}

}  // namespace blink_sync
