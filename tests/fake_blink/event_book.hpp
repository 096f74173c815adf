// Events (appointments) of the fake organisation. Start and end are UTC
// instants, as Blink stores them; responses convert them to the zone each
// request passes.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "records.hpp"

namespace fake_blink {

// First event id, apart from the user and student sequences.
inline constexpr RecordId kFirstEventId = 20001;

struct Event {
  RecordId id = 0;
  std::vector<RecordId> staff_ids;    // sorted
  std::vector<RecordId> student_ids;  // sorted
  std::string title;                  // used when no student is linked
  std::string details;
  std::string status = "Scheduled";
  std::optional<std::int64_t> type_id;
  bool all_day = false;
  Timestamp start{};
  Timestamp end{};
  // The first event of the series this one belongs to, or of the series an
  // "edit this and future events" started.
  std::optional<RecordId> recurring_of_event_id;
  int recurring_frequency = 0;  // weeks between events of the series
  Timestamp created_at{};
  Timestamp updated_at{};

  bool operator==(const Event&) const = default;
};

class EventBook {
 public:
  // Inserts `event` under the next event id and returns the stored copy.
  Event& add(Event event);

  Event* find(RecordId id);
  const Event* find(RecordId id) const;
  bool remove(RecordId id);

  // Returns the events of a series, earliest first.
  std::vector<Event*> series(RecordId series_id);

  const std::map<RecordId, Event>& events() const { return events_; }

 private:
  std::map<RecordId, Event> events_;
  RecordId next_id_ = kFirstEventId;
};

}  // namespace fake_blink
