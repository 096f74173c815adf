#pragma once

#include <boost/asio/awaitable.hpp>
#include <pqxx/connection>

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "daemon/blink_client.hpp"
#include "mapping/event_planner.hpp"

namespace blink_sync {

// The roster's appointments as the events query returned them.
struct RosterEvents {
  std::vector<DesiredEvent> events;
  std::vector<EventError> errors;
  std::set<std::string> invalid_local_ids;  // rows with errors
  std::string rows_digest;  // SHA-256 of every row as read, to tell an unchanged roster
};

// Runs the events query in a READ ONLY transaction and validates each row.
// Throws RosterQueryError when the query fails or lacks a required column.
RosterEvents read_roster_events(pqxx::connection& connection, const std::string& query,
                                const std::optional<std::string>& default_timezone);

// Reads events from Blink, per staff member, because Blink has no list of
// all events. Every request passes timezone=UTC, so start and end are UTC.
class EventReader {
 public:
  EventReader(BlinkClient& client, int page_size) : client_(client), page_size_(page_size) {}

  // Returns the events of `staff_ids` starting in `window`, each once.
  // Events that cannot be decoded are added to `errors`. Throws
  // RemoteReadError when a page cannot be read, AuthenticationFailed or
  // Interrupted.
  boost::asio::awaitable<std::vector<RemoteEvent>> read(const std::vector<std::int64_t>& staff_ids,
                                                        const EventWindow& window, std::vector<EventError>& errors);

 private:
  boost::asio::awaitable<void> read_staff(std::int64_t staff_id, const EventWindow& window,
                                          std::vector<RemoteEvent>& into, std::set<std::int64_t>& seen,
                                          std::vector<EventError>& errors);

  BlinkClient& client_;
  int page_size_;
};

// Returns the GET target of one page of a staff member's events whose start
// falls on the days from `first_day` to `last_day` (UTC), sorted by id,
// with the linked staff and students attached.
std::string staff_events_target(std::int64_t staff_id, const std::string& first_day, const std::string& last_day,
                                std::int64_t page, int limit);

}  // namespace blink_sync
