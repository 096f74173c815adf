#include "daemon/remote_reader.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <cstdio>

#include "daemon/blink_paths.hpp"
#include "daemon/logging.hpp"
#include "mapping/assumed_remote.hpp"
#include "mapping/blink_decode.hpp"
#include "mapping/blink_timestamp.hpp"
#include "mapping/page_walk.hpp"

namespace blink_sync {

namespace asio = boost::asio;
namespace http = boost::beast::http;

namespace {

// How often a list that changes while it is read is read again.
constexpr int kMaxReads = 3;
// Pages an incremental read goes through at most, as for a full read.
constexpr std::int64_t kMaxPages = PageWalk::kMaxPages;
// An incremental read goes this far past the mark, because records can share
// a timestamp and the text shape of Blink's timestamps has no seconds.
constexpr std::int64_t kMarkMargin = 5 * 60;

std::string describe_failure(const std::string& target, const ApiResult& result) {
  if (result.status == 0) {
    return "GET " + target + " failed: " + result.message;
  }
  return "GET " + target + " failed with HTTP " + std::to_string(result.status) + ": " +
         redact_personal_data(result.message);
}

std::string local_id_of(Entity entity, std::int64_t id, const IdentityMap& mapping) {
  const auto* mapped = mapping.find_blink(entity, id);
  return mapped == nullptr ? std::string() : mapped->local_id;
}

}  // namespace

void add_remote_item(Entity entity, const nlohmann::json& item, const IdentityMap& mapping, RemoteEntity& into,
                     std::vector<RecordError>& errors) {
  auto decoded = decode_record(entity, item);
  if (auto* record = std::get_if<RemoteRecord>(&decoded)) {
    into.add(std::move(*record));
    return;
  }

  const auto& error = std::get<DecodeError>(decoded);
  if (!error.id) {
    into.complete = false;
    errors.push_back(RecordError{entity, "", std::nullopt, 0,
                                 "Blink returned a record without a usable id (" + error.message +
                                     "); no " + std::string(entity_name(entity)) +
                                     " is created this cycle, because it might be that record"});
    return;
  }
  into.unreadable_ids.insert(*error.id);
  errors.push_back(RecordError{entity, local_id_of(entity, *error.id, mapping), error.id, 0,
                               "Blink returned a record that cannot be read (" + error.message +
                                   "); it is left alone this cycle"});
}

asio::awaitable<RemoteState> RemoteReader::read(const IdentityMap& mapping, std::vector<RecordError>& errors) {
  RemoteState state;
  for (const auto entity : {Entity::student, Entity::student_login, Entity::staff}) {
    co_await read_list(entity, mapping, state.of(entity), errors);
  }
  co_return state;
}

// NOTE: g++ 12 with optimisation reports -Wmismatched-new-delete on this
// coroutine's frame. Boost.Asio allocates and frees it as a pair
// (aligned_new and aligned_delete), so the warning is a false positive.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
asio::awaitable<RemoteState> RemoteReader::read(const IdentityMap& mapping, std::vector<RecordError>& errors,
                                                const std::array<ListRead, 3>& reads, const ReadMarkSet& marks,
                                                std::array<ListReadSummary, 3>& summaries) {
  RemoteState state;
  for (const auto entity : {Entity::student, Entity::student_login, Entity::staff}) {
    const auto index = static_cast<std::size_t>(entity);
    const auto& mark = marks[index];
    auto& summary = summaries[index];
    const bool usable = mark && mark->known_total;
    if (reads[index] == ListRead::skip && usable) {
      state.of(entity) = assumed_remote(mapping).of(entity);
      continue;
    }
    const bool incremental = reads[index] != ListRead::full && usable;
    if (incremental) {
      // Plain statements: g++ 12 mishandles co_await inside && and ?:.
      const bool read = co_await read_changed(entity, *mark, mapping, state.of(entity), errors, summary);
      if (read) {
        continue;
      }
    }
    co_await read_list(entity, mapping, state.of(entity), errors);
    summary = summarise_full_read(state.of(entity));
  }
  co_return state;
}
#pragma GCC diagnostic pop

ListReadSummary summarise_full_read(const RemoteEntity& list) {
  ListReadSummary summary;
  summary.read = list.complete;
  summary.full = true;
  summary.total_count = static_cast<std::int64_t>(list.records.size() + list.unreadable_ids.size());
  for (const auto& record : list.records) {
    summary.highest_id = std::max(summary.highest_id, record.id);
    if (const auto updated = sortable_timestamp(record.updated_at)) {
      summary.newest_updated = std::max(summary.newest_updated, *updated);
    }
  }
  for (const auto id : list.unreadable_ids) {
    summary.highest_id = std::max(summary.highest_id, id);
  }
  return summary;
}

// Reads the records changed since `mark`, newest updated_at first, until a
// page reaches records older than the mark (less a margin, since several
// records can share a timestamp and one shape has minute precision). Returns
// false when the counts show that a record was deleted in Blink, so the
// list must be read in full.
asio::awaitable<bool> RemoteReader::read_changed(Entity entity, const ReadMark& mark, const IdentityMap& mapping,
                                                 RemoteEntity& into, std::vector<RecordError>& errors,
                                                 ListReadSummary& summary) {
  const auto threshold = seconds_since_epoch(mark.newest_updated);
  if (!threshold) {
    spdlog::debug("blink: no updated_at is known for the {} list yet; reading it in full", entity_name(entity));
    co_return false;
  }

  RemoteEntity changed;
  std::vector<RecordError> read_errors;
  std::int64_t total_count = 0;
  std::int64_t new_records = 0;
  for (std::int64_t page = 1; page <= kMaxPages; ++page) {
    const auto target = changed_first_target(entity, page, options_.page_size);
    const auto fetched = co_await fetch_page(target, page);
    if (!fetched) {
      break;  // an empty list
    }
    const auto& list = *fetched;
    if (list.pagination.current_page != page) {
      throw RemoteReadError("GET " + target + " returned page " + std::to_string(list.pagination.current_page) +
                            "; the server ignored the page parameter, so the list cannot be read completely");
    }
    if (page == 1) {
      total_count = list.pagination.total_count;
    }

    bool reached_mark = false;
    for (const auto& item : list.items) {
      const auto id = item.is_object() && item.contains("id") ? read_id(item["id"]) : std::nullopt;
      if (id && (changed.find(*id) != nullptr || changed.unreadable_ids.count(*id) != 0)) {
        continue;  // moved to a later page because it changed while the pages were read
      }
      new_records += id && *id > mark.highest_id ? 1 : 0;
      add_remote_item(entity, item, mapping, changed, read_errors);
      const auto updated = item.is_object() && item.contains("updated_at")
                               ? seconds_since_epoch(sortable_timestamp(read_timestamp_text(item["updated_at"])).value_or(""))
                               : std::nullopt;
      reached_mark = reached_mark || (updated && *updated < *threshold - kMarkMargin);
    }
    if (reached_mark || list.items.empty() || page >= list.pagination.total_pages) {
      break;
    }
  }

  const auto expected = *mark.known_total + new_records;
  if (total_count != expected || !changed.complete) {
    spdlog::info("blink: the {} list has {} records where {} were expected; reading it in full",
                 entity_name(entity), total_count, expected);
    co_return false;
  }

  // The records not read are as the mapping table last saw them.
  const auto changed_count = changed.records.size();
  for (const auto* record : mapping.records(entity)) {
    if (changed.find(record->blink_id) == nullptr && changed.unreadable_ids.count(record->blink_id) == 0) {
      changed.add(assumed_record(*record));
    }
  }
  into = std::move(changed);
  errors.insert(errors.end(), read_errors.begin(), read_errors.end());

  summary = summarise_full_read(into);
  summary.full = false;
  summary.total_count = total_count;
  summary.read = true;
  spdlog::debug("blink: read the {} list since {}: {} records changed", entity_name(entity), mark.newest_updated,
                changed_count);
  co_return true;
}

// Reads one page of a list. Returns nullopt for the 404 "No Data Found"
// that Blink sends for the first page of an empty list. Throws
// RemoteReadError for any other failure or an unusable body.
asio::awaitable<std::optional<ListPage>> RemoteReader::fetch_page(const std::string& target, std::int64_t page) {
  const auto result = co_await client_.call(http::verb::get, target);
  if (result.status == 404 && page == 1) {
    co_return std::nullopt;
  }
  if (!result.ok()) {
    throw RemoteReadError(describe_failure(target, result));
  }
  auto decoded = decode_list_page(result.body);
  if (const auto* error = std::get_if<DecodeError>(&decoded)) {
    // A body the client could not parse arrives as null, with the reason in the message.
    const auto& reason = result.body.is_null() && !result.message.empty() ? result.message : error->message;
    throw RemoteReadError("GET " + target + " returned an unusable list: " + reason);
  }
  co_return std::get<ListPage>(std::move(decoded));
}

asio::awaitable<void> RemoteReader::read_list(Entity entity, const IdentityMap& mapping, RemoteEntity& into,
                                              std::vector<RecordError>& errors) {
  for (int read = 1; read <= kMaxReads; ++read) {
    RemoteEntity fresh;
    std::vector<RecordError> read_errors;
    if (co_await read_pages_once(entity, mapping, fresh, read_errors)) {
      into = std::move(fresh);
      errors.insert(errors.end(), read_errors.begin(), read_errors.end());
      co_await confirm_missing(entity, mapping, into, errors);
      co_return;
    }
    if (read < kMaxReads) {
      spdlog::warn("blink: the {} list changed while it was read; reading it again read={}", entity_name(entity),
                   read + 1);
    }
  }
  throw RemoteReadError("Blink's " + std::string(entity_name(entity)) + " list kept changing while it was read (" +
                        std::to_string(kMaxReads) + " times); the cycle is retried at the next poll");
}

// Reads every page once. Returns false when the list changed meanwhile
// (total_count moved, or fewer records came than it announced).
asio::awaitable<bool> RemoteReader::read_pages_once(Entity entity, const IdentityMap& mapping, RemoteEntity& into,
                                                    std::vector<RecordError>& errors) {
  PageWalk walk;
  for (std::int64_t page = 1;; ++page) {
    const auto target = list_target(entity, page, options_.page_size);
    const auto fetched = co_await fetch_page(target, page);
    if (!fetched) {
      co_return true;  // an empty list
    }
    const auto& list = *fetched;
    if (const auto problem = walk.add_page(page, list)) {
      throw RemoteReadError("GET " + target + " " + *problem);
    }
    if (walk.changed()) {
      co_return false;
    }

    for (const auto& item : list.items) {
      add_remote_item(entity, item, mapping, into, errors);
    }
    if (!walk.has_page_after(page)) {
      co_return walk.complete();
    }
  }
}

// A mapped record missing from the list is fetched on its own: 404 confirms
// it is gone, anything else means it is still there or unknown.
asio::awaitable<void> RemoteReader::confirm_missing(Entity entity, const IdentityMap& mapping, RemoteEntity& into,
                                                    std::vector<RecordError>& errors) {
  const auto mapped = mapping.records(entity);
  const bool any_listed = std::any_of(mapped.begin(), mapped.end(),
                                      [&](const MappedRecord* record) { return into.find(record->blink_id) != nullptr; });
  if (!any_listed && mapped.size() > 1 && !options_.confirm_when_none_listed) {
    // When no mapped record is listed, the planner treats them all as a likely
    // wrong base URL or token, so checking each one would spend the rate
    // limit for nothing.
    co_return;
  }
  for (const auto* record : mapped) {
    if (into.find(record->blink_id) != nullptr || into.unreadable_ids.count(record->blink_id) != 0) {
      continue;
    }
    const auto target = record_target(entity, record->blink_id);
    const auto result = co_await client_.call(http::verb::get, target);
    if (result.status == 404) {
      into.confirmed_missing.insert(record->blink_id);
    } else if (result.ok() && result.body.is_object() && result.body.contains("data")) {
      add_remote_item(entity, result.body["data"], mapping, into, errors);
    } else {
      spdlog::warn("blink: cannot tell whether {} blink_id={} still exists: {}", entity_name(entity),
                   record->blink_id, describe_failure(target, result));
    }
  }
}

}  // namespace blink_sync
