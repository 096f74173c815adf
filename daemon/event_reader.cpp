#include "daemon/event_reader.hpp"

#include <pqxx/cursor>
#include <pqxx/result>
#include <pqxx/transaction>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <string_view>

#include "daemon/database_error.hpp"
#include "daemon/journal.hpp"
#include "daemon/remote_reader.hpp"
#include "daemon/roster_reader.hpp"
#include "mapping/blink_decode.hpp"
#include "mapping/event_decode.hpp"
#include "mapping/event_row.hpp"
#include "mapping/page_walk.hpp"
#include "mapping/text.hpp"

namespace blink_sync {

namespace asio = boost::asio;
namespace http = boost::beast::http;

namespace {

constexpr int kFetchRows = 5000;

void check_columns(const ColumnSet& columns, bool default_timezone) {
  const auto missing = missing_event_columns(columns, default_timezone);
  if (!missing.empty()) {
    throw RosterQueryError("events.query: the query returns no column " + join(missing, ", ") +
                           "; rename its columns with AS to the names in docs/roster-queries.md");
  }

  std::vector<std::string> unknown;
  for (const auto& name : columns.names()) {
    const auto& known = event_columns();
    if (std::find(known.begin(), known.end(), name) == known.end()) {
      unknown.push_back(name);
    }
  }
  if (!unknown.empty()) {
    spdlog::warn("roster: events.query returns columns that blink-sync does not use: {}; they are ignored",
                 join(unknown, ", "));
  }
}

date::sys_days day_of(UtcTime time) { return std::chrono::floor<date::days>(time); }

}  // namespace

RosterEvents read_roster_events(pqxx::connection& connection, const std::string& query,
                                const std::optional<std::string>& default_timezone) {
  RosterEvents roster;
  std::string rows_text;  // every value, with separators, for the digest
  pqxx::transaction<pqxx::isolation_level::repeatable_read, pqxx::read_only> transaction(connection, "events query");
  transaction.exec("SET LOCAL DateStyle = 'ISO, YMD'");
  try {
    pqxx::icursorstream cursor(transaction, query, "roster_events", kFetchRows);
    std::optional<ColumnSet> columns;
    pqxx::result block;
    while (cursor.get(block) && !block.empty()) {
      if (!columns) {
        std::vector<std::string> names;
        for (pqxx::row::size_type i = 0; i < block.columns(); ++i) {
          names.emplace_back(block.column_name(i));
        }
        columns.emplace(names);
        check_columns(*columns, default_timezone.has_value());
      }
      RosterRow row{&*columns, {}};
      for (const auto& result_row : block) {
        row.values.clear();
        for (const auto& field : result_row) {
          row.values.push_back(field.is_null() ? std::nullopt : std::optional<std::string>(field.c_str()));
          rows_text += field.is_null() ? std::string_view("\x01") : std::string_view(field.c_str());
          rows_text += '\0';
        }
        rows_text += '\x02';
        auto parsed = parse_event_row(row, default_timezone);
        if (auto* error = std::get_if<EventError>(&parsed)) {
          roster.invalid_local_ids.insert(error->local_id);
          roster.errors.push_back(std::move(*error));
        } else {
          roster.events.push_back(std::get<DesiredEvent>(std::move(parsed)));
        }
      }
    }
  } catch (const pqxx::sql_error& error) {
    throw RosterQueryError("events.query: the query failed: " + describe_database_error(error) +
                           "; fix the query in the configuration");
  }
  transaction.commit();
  roster.rows_digest = sha256_hex(rows_text);
  return roster;
}

std::string staff_events_target(std::int64_t staff_id, const std::string& first_day, const std::string& last_day,
                                std::int64_t page, int limit) {
  // objects= makes Blink attach the linked staff and students, which a
  // plain list may leave out.
  return "/events/staff/" + std::to_string(staff_id) + "?timezone=UTC&rangeStart=" + first_day +
         "&rangeEnd=" + last_day + "&objects=students,staff&sort=id&direction=asc&limit=" + std::to_string(limit) +
         "&page=" + std::to_string(page);
}

asio::awaitable<std::vector<RemoteEvent>> EventReader::read(const std::vector<std::int64_t>& staff_ids,
                                                            const EventWindow& window,
                                                            std::vector<EventError>& errors) {
  std::vector<RemoteEvent> events;
  std::set<std::int64_t> seen;
  for (const auto staff_id : staff_ids) {
    co_await read_staff(staff_id, window, events, seen, errors);
  }
  co_return events;
}

asio::awaitable<void> EventReader::read_staff(std::int64_t staff_id, const EventWindow& window,
                                              std::vector<RemoteEvent>& into, std::set<std::int64_t>& seen,
                                              std::vector<EventError>& errors) {
  const auto first_day = format_day(day_of(window.from));
  const auto last_day = format_day(day_of(window.to - std::chrono::seconds(1)));
  PageWalk walk;
  for (std::int64_t page = 1;; ++page) {
    const auto target = staff_events_target(staff_id, first_day, last_day, page, page_size_);
    const auto result = co_await client_.call(http::verb::get, target);
    if (result.status == 404 && page == 1) {
      co_return;  // Blink returns 404 No Data Found for an empty list
    }
    if (!result.ok()) {
      throw RemoteReadError("GET " + target + " failed with HTTP " + std::to_string(result.status) + ": " +
                            one_line(result.message));
    }
    auto decoded = decode_list_page(result.body);
    if (const auto* problem = std::get_if<DecodeError>(&decoded)) {
      throw RemoteReadError("GET " + target + " returned an unusable page: " + problem->message);
    }
    const auto& list = std::get<ListPage>(decoded);
    if (const auto problem = walk.add_page(page, list)) {
      throw RemoteReadError("GET " + target + ": " + *problem);
    }

    for (const auto& item : list.items) {
      auto event = decode_event(item);
      if (const auto* problem = std::get_if<std::string>(&event)) {
        errors.push_back(EventError{"", std::nullopt, 0, "cannot read an event from Blink: " + *problem});
        continue;
      }
      auto& decoded_event = std::get<RemoteEvent>(event);
      if (window.contains(decoded_event.start) && seen.insert(decoded_event.id).second) {
        into.push_back(std::move(decoded_event));
      }
    }
    if (!walk.has_page_after(page)) {
      co_return;
    }
  }
}

}  // namespace blink_sync
