#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace blink_sync {

// The rows of one link query as pairs of local ids, kept back to back in
// one buffer, so a million rows cost a few allocations instead of two
// strings each.
class LinkRows {
 public:
  void add(std::string_view owner, std::string_view student);

  std::size_t size() const { return ends_.size() / 2; }
  std::string_view owner(std::size_t row) const { return piece(2 * row); }
  std::string_view student(std::size_t row) const { return piece(2 * row + 1); }

  // Frees the buffers.
  void release();

 private:
  std::string_view piece(std::size_t index) const;

  std::string text_;
  std::vector<std::size_t> ends_;  // end of each id in text_: owner, student, owner, ...
};

}  // namespace blink_sync
