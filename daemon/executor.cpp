#include "daemon/executor.hpp"

#include <pqxx/except>
#include <spdlog/spdlog.h>

#include "daemon/blink_paths.hpp"
#include "daemon/database_error.hpp"
#include "daemon/logging.hpp"
#include "mapping/blink_decode.hpp"
#include "mapping/blink_payload.hpp"

namespace blink_sync {

namespace asio = boost::asio;
namespace http = boost::beast::http;

namespace {

// Operations in a row that may fail because Blink is down before the cycle
// stops. Each one has already been retried by the client.
constexpr int kMaxUnavailableInARow = 3;

std::optional<std::int64_t> returned_id(const ApiResult& result) {
  if (!result.body.is_object()) {
    return std::nullopt;
  }
  const auto data = result.body.find("data");
  if (data == result.body.end() || !data->is_object() || !data->contains("id")) {
    return std::nullopt;
  }
  return read_id((*data)["id"]);
}

bool has_fields(const FieldValues& fields) {
  for (const auto& slot : fields.slots) {
    if (slot) {
      return true;
    }
  }
  return false;
}

}  // namespace

Executor::Executor(BlinkClient& client, Store& store, IdentityMap& mapping, const std::atomic<bool>& stop_requested,
                   ErrorSink report, ExecutionResult& result)
    : client_(client),
      store_(store),
      mapping_(mapping),
      stop_requested_(stop_requested),
      report_(std::move(report)),
      result_(result) {}

asio::awaitable<void> Executor::run(const Plan& plan) {
  for (const auto& operation : plan.operations) {
    if (stop_requested_.load()) {
      result_.interrupted = true;
      break;
    }
    co_await execute(operation);
  }
}

asio::awaitable<void> Executor::execute(const Operation& operation) {
  switch (operation.action) {
    case Action::create:
      co_await create(operation);
      break;
    case Action::adopt:
      co_await adopt(operation);
      break;
    case Action::update:
    case Action::discharge:
      co_await update(operation);
      break;
    case Action::remove:
      co_await remove(operation);
      break;
    case Action::forget:
      forget(operation);
      break;
  }
}

asio::awaitable<void> Executor::create(const Operation& operation) {
  std::optional<std::vector<std::int64_t>> links;
  if (operation.links) {
    links = resolve_links(*operation.links);
    const bool login = operation.entity == Entity::student_login;
    if (login && (!links || links->empty())) {
      fail(operation, "not created because none of its linked students could be synced, and Blink requires a "
                      "student-login to have at least one; see the students' errors");
      co_return;
    }
  }

  const auto payload = build_payload(operation.entity, operation.send, links, PayloadKind::create);
  const auto result = co_await call(http::verb::post, collection_path(operation.entity), payload);
  if (!result.ok()) {
    fail(operation, result, "create");
    co_return;
  }
  const auto id = returned_id(result);
  if (!id) {
    fail(operation, "Blink accepted the create but returned no id; the next cycle finds the record by " +
                        std::string(operation.entity == Entity::student ? "name and date of birth" : "email") +
                        " and adopts it");
    co_return;
  }

  save(operation, *id, operation.synced_after, links);
  ++result_.done.created;
  result_.done.linked += links ? 1 : 0;
  spdlog::debug("sync: created entity={} local_id={} blink_id={}", entity_name(operation.entity), operation.local_id,
                *id);
}

// The mapping is saved before any PUT, so an adoption stays even if the PUT
// fails. Its last-synced copy is then empty, so the next cycle sends every
// field again.
asio::awaitable<void> Executor::adopt(const Operation& operation) {
  const auto blink_id = *operation.blink_id;
  const bool changes = has_fields(operation.send) || operation.links.has_value();
  save(operation, blink_id, changes ? FieldValues(operation.entity) : operation.synced_after, std::nullopt);
  ++result_.done.adopted;
  spdlog::debug("sync: adopted entity={} local_id={} blink_id={}", entity_name(operation.entity), operation.local_id,
                blink_id);
  if (changes) {
    co_await update(operation);
  }
}

asio::awaitable<void> Executor::update(const Operation& operation) {
  const auto blink_id = *operation.blink_id;
  std::optional<std::vector<std::int64_t>> links;
  if (operation.links) {
    links = resolve_links(*operation.links);
  }
  if (!has_fields(operation.send) && !links) {
    if (operation.links) {
      fail(operation, "links not sent because none of its linked students could be synced; see the students' errors");
    }
    co_return;
  }

  const auto payload = build_payload(operation.entity, operation.send, links);
  const auto result = co_await call(http::verb::put, record_path(operation.entity, blink_id), payload);
  if (result.status == 404 && operation.action == Action::discharge) {
    forget(operation);
    co_return;
  }
  if (!result.ok()) {
    fail(operation, result, operation.action == Action::discharge ? "discharge" : "update");
    co_return;
  }

  const auto* mapped = mapping_.find_local(operation.entity, operation.local_id);
  const auto kept_links = links ? links : (mapped ? mapped->synced_links : std::nullopt);
  save(operation, blink_id, operation.synced_after, kept_links);
  if (operation.action == Action::discharge) {
    ++result_.done.discharged;
  } else if (operation.action == Action::update) {
    ++result_.done.updated;
  }
  result_.done.linked += links ? 1 : 0;
  spdlog::debug("sync: {} entity={} local_id={} blink_id={}", action_name(operation.action),
                entity_name(operation.entity), operation.local_id, blink_id);
}

asio::awaitable<void> Executor::remove(const Operation& operation) {
  const auto blink_id = *operation.blink_id;
  const auto result = co_await call(http::verb::delete_, delete_path(operation.entity, blink_id));
  if (!result.ok() && result.status != 404) {
    fail(operation, result, "delete");
    co_return;
  }
  store_.delete_mapping(operation.entity, operation.local_id);
  mapping_.erase(operation.entity, operation.local_id);
  ++result_.done.deleted;
  spdlog::debug("sync: deleted entity={} local_id={} blink_id={}{}", entity_name(operation.entity),
                operation.local_id, blink_id, result.status == 404 ? " (already gone)" : "");
}

void Executor::forget(const Operation& operation) {
  store_.delete_mapping(operation.entity, operation.local_id);
  mapping_.erase(operation.entity, operation.local_id);
  ++result_.done.forgotten;
  spdlog::debug("sync: forgot entity={} local_id={} (gone from Blink)", entity_name(operation.entity),
                operation.local_id);
}

asio::awaitable<ApiResult> Executor::call(http::verb method, std::string target, std::optional<nlohmann::json> body) {
  auto result = co_await client_.call(method, target, std::move(body));
  const bool unavailable = result.status == 0 || result.status >= 500;
  unavailable_in_a_row_ = unavailable ? unavailable_in_a_row_ + 1 : 0;
  if (unavailable_in_a_row_ >= kMaxUnavailableInARow) {
    const auto last = result.status == 0 ? result.message : "HTTP " + std::to_string(result.status);
    throw BlinkUnavailable("Blink sent no response to " + std::to_string(unavailable_in_a_row_) +
                           " requests in a row (last: " + std::string(http::to_string(method)) + " " + target + ": " +
                           last + "); the cycle stops here and the next one starts over");
  }
  co_return result;
}

std::optional<std::vector<std::int64_t>> Executor::resolve_links(const LinkIntent& links) const {
  std::vector<std::int64_t> ids = links.kept_blink_ids;
  bool unresolved = links.roster_has_unresolved;
  for (const auto& student : links.student_local_ids) {
    if (const auto* mapped = mapping_.find_local(Entity::student, student)) {
      ids.push_back(mapped->blink_id);
    } else {
      unresolved = true;
    }
  }
  if (ids.empty() && unresolved) {
    return std::nullopt;
  }
  return ids;
}

void Executor::save(const Operation& operation, std::int64_t blink_id, const FieldValues& synced,
                    const std::optional<std::vector<std::int64_t>>& links) {
  MappedRecord record{operation.entity, operation.local_id, blink_id, synced, links};
  if (links) {
    std::sort(record.synced_links->begin(), record.synced_links->end());
  }
  try {
    store_.save_mapping(record);
  } catch (const pqxx::sql_error& error) {
    throw std::runtime_error("cannot save the mapping of " + std::string(entity_name(operation.entity)) +
                             " local_id=" + operation.local_id + " blink_id=" + std::to_string(blink_id) + ": " +
                             describe_database_error(error));
  }

  for (const auto entity : {Entity::student, Entity::student_login, Entity::staff}) {
    const bool shares_ids = entity == operation.entity ||
                            (entity != Entity::student && operation.entity != Entity::student);
    const auto* previous = shares_ids ? mapping_.find_blink(entity, blink_id) : nullptr;
    if (previous != nullptr && !(entity == operation.entity && previous->local_id == operation.local_id)) {
      mapping_.erase(entity, previous->local_id);
    }
  }
  mapping_.upsert(std::move(record));
}

void Executor::fail(const Operation& operation, const ApiResult& result, const std::string& context) {
  std::string message;
  if (result.status == 0) {
    message = context + " got no response from Blink: " + result.message;
    if (result.outcome_unknown) {
      message += ". Blink may have applied it; the next cycle reads Blink and adopts the record if it was created";
    }
  } else if (result.status == 406) {
    message = context + " rejected by Blink's validation: " + redact_personal_data(result.message) +
              "; correct the record in the roster, or in Blink when the roster is right (for example an email "
              "that another Blink record still uses)";
  } else if (result.status == 404) {
    message = context + " failed because the record is gone from Blink; the next cycle confirms it and creates it again";
  } else {
    message = context + " failed with HTTP " + std::to_string(result.status) + ": " + redact_personal_data(result.message);
  }

  RecordError error{operation.entity, operation.local_id, operation.blink_id, static_cast<int>(result.status),
                    std::move(message)};
  ++result_.failed;
  report_(error);
}

void Executor::fail(const Operation& operation, std::string message) {
  ++result_.failed;
  report_(RecordError{operation.entity, operation.local_id, operation.blink_id, 0, std::move(message)});
}

}  // namespace blink_sync
