#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mapping/event_time.hpp"

namespace blink_sync {

// The statuses Blink documents for an event. Only a staff member or an API
// call changes the status; new events are "Scheduled".
inline constexpr std::array<std::string_view, 7> kEventStatuses = {
    "Scheduled",
    "Completed",
    "Canceled-by-Staff",
    "Canceled-by-Student-(Advance-Notice)",
    "Canceled-by-Student-(Late-Notice)",
    "Student-No-Show",
    "Canceled-Facility-School-Closed",
};

inline constexpr std::string_view kScheduled = "Scheduled";

bool is_event_status(std::string_view status);

// A repeating series as Blink creates it: every `frequency_weeks` weeks (1,
// 2 or 4), `occurrences` events in all (2 to 104). Blink cannot change
// either after the series is created.
struct Recurrence {
  int frequency_weeks = 1;
  int occurrences = 2;

  bool operator==(const Recurrence&) const = default;
};

// One appointment as the roster's events query returns it, validated, with
// roster (local) ids for the people.
struct DesiredEvent {
  std::string local_id;
  std::vector<std::string> staff_local_ids;    // at least one, sorted, no repeats
  std::vector<std::string> student_local_ids;  // sorted, no repeats; empty: `title` is used
  std::string title;
  LocalTime start{};     // wall-clock time in `timezone`; of the first event of a series
  std::string timezone;  // IANA name
  std::optional<int> minutes;  // nullopt: an all-day event
  std::string details;
  std::optional<std::int64_t> type_id;
  // Set when the query has a status column: the roster then manages the
  // status too. Otherwise Blink's status is only read.
  std::optional<std::string> status;
  std::optional<Recurrence> recurrence;
  // The Blink event this row claims, when the query returns one: a row
  // written back from an event created in Blink is mapped to it, not created
  // a second time.
  std::optional<std::int64_t> blink_event_id;
};

// One event as read from Blink (with timezone=UTC), in Blink ids.
struct RemoteEvent {
  std::int64_t id = 0;
  std::optional<std::int64_t> series_id;  // recurring_of_event_id
  std::vector<std::int64_t> staff_ids;    // sorted
  std::vector<std::int64_t> student_ids;  // sorted
  std::string title;
  std::string details;
  std::string status{kScheduled};
  std::optional<std::int64_t> type_id;
  bool all_day = false;
  UtcTime start{};
  UtcTime end{};
  std::string updated_at;  // sortable text, empty when absent

  // Returns the length in minutes, or nullopt for an all-day event.
  std::optional<int> minutes() const;
};

// The mapping of one roster appointment and what Blink was last given or
// confirmed for it, in Blink ids.
struct SyncedEvent {
  std::string local_id;
  // A single event's id, or a series' id (the recurring_of_event_id of its
  // events).
  std::int64_t blink_event_id = 0;
  std::optional<Recurrence> recurrence;  // set for a series
  std::vector<std::int64_t> staff_ids;
  std::vector<std::int64_t> student_ids;
  std::string title;
  std::string details;
  std::optional<std::int64_t> type_id;
  std::optional<int> minutes;
  LocalTime start{};  // wall-clock start of the (first) event
  std::string timezone;
  // The roster's status when it was last acted on (empty when the roster
  // does not manage the status), and Blink's status when last read.
  std::string roster_status;
  std::string blink_status{kScheduled};

  bool is_series() const { return recurrence.has_value(); }
};

// A problem with one appointment: a bad row, an unresolved link, or a
// request Blink rejected. `message` names no person.
struct EventError {
  std::string local_id;
  std::optional<std::int64_t> blink_event_id;
  int http_status = 0;
  std::string message;
};

}  // namespace blink_sync
