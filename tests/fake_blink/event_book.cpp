#include "event_book.hpp"

#include <algorithm>

namespace fake_blink {

Event& EventBook::add(Event event) {
  event.id = next_id_++;
  return events_[event.id] = std::move(event);
}

Event* EventBook::find(RecordId id) {
  const auto found = events_.find(id);
  return found == events_.end() ? nullptr : &found->second;
}

const Event* EventBook::find(RecordId id) const {
  const auto found = events_.find(id);
  return found == events_.end() ? nullptr : &found->second;
}

bool EventBook::remove(RecordId id) { return events_.erase(id) > 0; }

std::vector<Event*> EventBook::series(RecordId series_id) {
  std::vector<Event*> members;
  for (auto& [id, event] : events_) {
    if (event.recurring_of_event_id == series_id) {
      members.push_back(&event);
    }
  }
  std::sort(members.begin(), members.end(), [](const Event* left, const Event* right) {
    return left->start != right->start ? left->start < right->start : left->id < right->id;
  });
  return members;
}

}  // namespace fake_blink
