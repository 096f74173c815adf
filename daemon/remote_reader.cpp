#include "daemon/remote_reader.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "daemon/blink_paths.hpp"
#include "daemon/logging.hpp"
#include "mapping/blink_decode.hpp"
#include "mapping/page_walk.hpp"

namespace blink_sync {

namespace asio = boost::asio;
namespace http = boost::beast::http;

namespace {

// How often a list that changes while it is read is read again.
constexpr int kMaxReads = 3;

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
    const auto result = co_await client_.call(http::verb::get, target);
    if (result.status == 404 && page == 1) {
      co_return true;  // Blink returns 404 "No Data Found" for an empty list
    }
    if (!result.ok()) {
      throw RemoteReadError(describe_failure(target, result));
    }

    auto decoded = decode_list_page(result.body);
    if (const auto* error = std::get_if<DecodeError>(&decoded)) {
      const auto& reason = result.body.is_null() && !result.message.empty() ? result.message : error->message;
      throw RemoteReadError("GET " + target + " returned an unusable list: " + reason);
    }
    const auto& list = std::get<ListPage>(decoded);
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
