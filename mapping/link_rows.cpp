#include "mapping/link_rows.hpp"

namespace blink_sync {

void LinkRows::add(std::string_view owner, std::string_view student) {
  text_ += owner;
  ends_.push_back(text_.size());
  text_ += student;
  ends_.push_back(text_.size());
}

void LinkRows::release() {
  std::string().swap(text_);
  std::vector<std::size_t>().swap(ends_);
}

std::string_view LinkRows::piece(std::size_t index) const {
  const auto begin = index == 0 ? 0 : ends_[index - 1];
  return std::string_view(text_).substr(begin, ends_[index] - begin);
}

}  // namespace blink_sync
