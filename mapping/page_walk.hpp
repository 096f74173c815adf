#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_set>

#include "mapping/blink_decode.hpp"

namespace blink_sync {

// The pages of one read of a Blink list, checked against each other. The
// first page bounds how many pages are read. Every page must report the same
// total_count and the page number that was requested, and no id may come
// twice. It does no I/O, so hostile `meta` objects can be fuzzed without a
// server.
class PageWalk {
 public:
  // No organisation needs more pages than this; a larger total_pages is a
  // malformed response, not a reason to loop for hours.
  static constexpr std::int64_t kMaxPages = 20000;

  // Checks `list`, the response to a request for page number `page`
  // (1-based, in order). Returns why the paging cannot be trusted, or
  // nullopt. After a page whose total_count differs from the first page's,
  // changed() is true and the rest of the read is worthless.
  std::optional<std::string> add_page(std::int64_t page, const ListPage& list);

  // Returns true when the first page announced a page after `page`.
  bool has_page_after(std::int64_t page) const { return page < total_pages_; }

  // Returns true when total_count moved between pages.
  bool changed() const { return changed_; }

  // Returns true when as many records came as the first page announced.
  bool complete() const { return items_ == total_count_; }

 private:
  std::optional<std::string> check_first_page(const Pagination& meta) const;

  std::int64_t total_count_ = 0;
  std::int64_t total_pages_ = 0;
  std::int64_t items_ = 0;
  bool changed_ = false;
  std::unordered_set<std::int64_t> seen_;
};

}  // namespace blink_sync
