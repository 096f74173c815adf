#include "daemon/executor.hpp"

#include <pqxx/except>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>

#include "daemon/blink_paths.hpp"
#include "daemon/created_record_lookup.hpp"
#include "daemon/database_error.hpp"
#include "daemon/logging.hpp"
#include "mapping/blink_decode.hpp"
#include "mapping/blink_payload.hpp"
#include "mapping/blink_timestamp.hpp"
#include "mapping/in_doubt.hpp"
#include "mapping/natural_key.hpp"
#include "mapping/text.hpp"
#include "mapping/value_masking.hpp"

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
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (fields.get(i)) {
      return true;
    }
  }
  return false;
}

// A request that reached Blink but whose effect is not known: no response
// to a request that was sent, or a server error, which may come after the
// record was stored.
bool outcome_unknown(const ApiResult& result) {
  return (result.status == 0 && result.outcome_unknown) || result.status >= 500;
}

// A request that never left this host.
bool never_sent(const ApiResult& result) { return result.status == 0 && !result.outcome_unknown; }

// Blink reports a duplicate as a validation error (406). The document does
// not give the wording, so any 406 that speaks of a record already there
// is taken for one and leads to a lookup rather than to a retry.
bool is_duplicate_rejection(const ApiResult& result) {
  if (result.status != 406) {
    return false;
  }
  std::string message = result.message;
  std::transform(message.begin(), message.end(), message.begin(),
                 [](unsigned char character) { return static_cast<char>(std::tolower(character)); });
  for (const std::string_view word : {"already", "duplicate", "exists", "taken"}) {
    if (message.find(word) != std::string::npos) {
      return true;
    }
  }
  return false;
}

std::optional<int> status_of(const ApiResult& result) {
  return result.status == 0 ? std::nullopt : std::optional<int>(static_cast<int>(result.status));
}

std::string natural_key_description(Entity entity) {
  return entity == Entity::student ? "first name, last name and date of birth" : "email";
}

}  // namespace

Executor::Executor(Dependencies dependencies, ErrorSink report, ExecutionResult& result)
    : dependencies_(dependencies), report_(std::move(report)), result_(result) {}

asio::awaitable<void> Executor::run(const Plan& plan) {
  for (const auto& operation : plan.operations) {
    if (dependencies_.stop_requested.load()) {
      result_.interrupted = true;
      break;
    }
    co_await execute(operation);
    stop_if_unavailable();
  }
}

asio::awaitable<void> Executor::execute(const Operation& operation) {
  const bool pulls = operation.action == Action::pull || has_fields(operation.pulled);
  if (pulls && !pull(operation)) {
    co_return;
  }
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
    case Action::pull:
      break;  // done above
  }
}

// NOTE: g++ 12 with optimisation reports -Wmismatched-new-delete on this
// coroutine's frame since it awaits the read-back too. Boost.Asio allocates
// and frees the frame as a pair, so the warning is a false positive.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
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

  // Announce, send, then settle the outcome.
  const auto payload = build_payload(operation.entity, operation.send, links, PayloadKind::create);
  const auto intent_id = open_intent(operation, IntentOperation::create, payload);
  const auto result = co_await call(http::verb::post, collection_path(operation.entity), payload);

  const auto id = result.ok() ? returned_id(result) : std::nullopt;
  if (id) {
    note_written(operation.entity, result);
    auto record = mapped_record(operation, *id, operation.synced_after, links);
    auto returned = record_in_response(operation.entity, result.body);
    if (needs_read_back(operation.entity, returned)) {
      returned = co_await read_back(operation.entity, *id, std::move(returned));
    }
    close_intent(operation, intent_id,
                 {IntentOutcome::applied, true, status_of(result), *id, record, ""},
                 follow_up_of(WriteBackEvent::created, operation.entity, operation.local_id, *id,
                              returned ? &*returned : nullptr, &operation.synced_after));
    remember(std::move(record));
    count_created(operation.entity, *id);
    result_.done.linked += links ? 1 : 0;
    spdlog::debug("sync: created entity={} local_id={} blink_id={}", entity_name(operation.entity),
                  operation.local_id, *id);
    co_return;
  }
  if (result.ok() || outcome_unknown(result) || is_duplicate_rejection(result)) {
    co_await look_up_created(operation, intent_id, result, links);
    co_return;
  }

  fail_call(operation, intent_id, result, "create");
}
#pragma GCC diagnostic pop

// Reads the records created since this cycle's read of the list, newest
// first, and maps the one with the natural key the create was sent with.
// When nothing is found, the create counts as not applied only if Blink
// responded. After no response at all the intent stays in doubt, because Blink
// may still be working on it, and the next cycles look again.
asio::awaitable<void> Executor::look_up_created(const Operation& operation, std::int64_t intent_id,
                                                const ApiResult& result,
                                                const std::optional<std::vector<std::int64_t>>& links) {
  const bool responded = result.status != 0;
  if (responded) {
    dependencies_.journal.mark_response_arrived(intent_id, static_cast<int>(result.status));
  } else {
    dependencies_.journal.mark_no_response(intent_id);
  }
  const auto& remote = dependencies_.remote.of(operation.entity);
  const auto newer = co_await read_newer_records(dependencies_.client, operation.entity, highest_id(remote),
                                                 dependencies_.page_size);
  const auto failure = result.status == 0 ? "got no response (" + result.message + ")"
                                       : "got HTTP " + std::to_string(result.status);
  if (!newer.complete) {
    fail(operation, "create " + failure + " and the lookup in Blink failed: " + masked(operation, newer.problem) +
                        ". It is not sent again until a lookup by " + natural_key_description(operation.entity) +
                        " shows whether Blink has it; the next cycle looks again",
         static_cast<int>(result.status));
    co_return;
  }

  const auto key = natural_key(operation.entity, operation.send);
  const auto matches = natural_key_matches(operation.entity, key, newer.records, dependencies_.mapping,
                                           operation.local_id);
  if (matches.size() == 1) {
    const auto& found = *std::find_if(newer.records.begin(), newer.records.end(),
                                      [&](const RemoteRecord& record) { return record.id == matches.front(); });
    auto synced = operation.synced_after;
    merge_known(synced, found.fields);
    auto record = mapped_record(operation, found.id, synced, found.linked_students ? found.linked_students : links);
    close_intent(operation, intent_id,
                 {IntentOutcome::found, responded, status_of(result), found.id, record, "found by a lookup"},
                 follow_up_of(WriteBackEvent::created, operation.entity, operation.local_id, found.id, &found));
    remember(std::move(record));
    count_created(operation.entity, found.id);
    result_.done.linked += links ? 1 : 0;
    spdlog::info("sync: create of entity={} local_id={} {}; a lookup found it in Blink as blink_id={}",
                 entity_name(operation.entity), operation.local_id, failure, found.id);
    co_return;
  }
  if (matches.size() > 1) {
    fail(operation, "create " + failure + "; several Blink records now match by " +
                        natural_key_description(operation.entity) + " (Blink ids " + join_ids_text(matches) +
                        "). Remove the duplicates in Blink, or map one by hand with INSERT INTO blink_sync.mapping "
                        "(entity, local_id, blink_id)",
         static_cast<int>(result.status));
    co_return;
  }

  if (is_duplicate_rejection(result)) {
    close_intent(operation, intent_id, {IntentOutcome::rejected, true, 406, std::nullopt, KeepMapping{}, ""});
    fail(operation, "create rejected by Blink as a duplicate (" + masked(operation, result.message) +
                        "), and no unmapped Blink record with the same " + natural_key_description(operation.entity) +
                        " was found. The record in Blink may be mapped to another roster record, or be a " +
                        (operation.entity == Entity::student ? std::string("student spelled differently")
                                                             : std::string("staff member or student-login")) +
                        "; correct the roster or Blink",
         406);
    co_return;
  }
  if (responded) {
    close_intent(operation, intent_id, {IntentOutcome::not_applied, true, status_of(result), std::nullopt,
                                        KeepMapping{}, "a lookup found no such record"});
    fail(operation, result, "create");
    co_return;
  }
  fail(operation, "create " + failure + ", and Blink does not show the record yet. It is not sent again until a "
                      "later lookup, after sync.in_doubt_settle_seconds, still does not find it");
}

// The mapping is saved before any PUT, so an adoption stays even if the PUT
// fails. Its last-synced copy is then empty, so the next cycle sends every
// field again.
asio::awaitable<void> Executor::adopt(const Operation& operation) {
  const auto blink_id = *operation.blink_id;
  const bool changes = has_fields(operation.send) || operation.links.has_value();
  const auto* read = dependencies_.remote.of(operation.entity).find(blink_id);
  save(mapped_record(operation, blink_id, changes ? FieldValues(operation.entity) : operation.synced_after,
                     std::nullopt),
       follow_up_of(WriteBackEvent::adopted, operation.entity, operation.local_id, blink_id, read));
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
  const auto intent_id = open_intent(operation, IntentOperation::update, payload);
  const auto result = co_await call(http::verb::put, record_path(operation.entity, blink_id), payload);
  const bool discharge = operation.action == Action::discharge;
  if (result.status == 404 && discharge) {
    close_intent(operation, intent_id,
                 {IntentOutcome::rejected, true, 404, std::nullopt,
                  EraseMapping{operation.entity, operation.local_id}, "gone from Blink"},
                 follow_up_of(WriteBackEvent::removed, operation.entity, operation.local_id, blink_id, nullptr));
    dependencies_.mapping.erase(operation.entity, operation.local_id);
    ++result_.done.forgotten;
    co_return;
  }
  if (outcome_unknown(result)) {
    // Left in doubt: the next cycle takes Blink's values as the last-synced
    // copy and sends what still differs.
    fail(operation, result, discharge ? "discharge" : "update");
    co_return;
  }
  if (!result.ok()) {
    fail_call(operation, intent_id, result, discharge ? "discharge" : "update");
    co_return;
  }

  note_written(operation.entity, result);
  const auto* mapped = dependencies_.mapping.find_local(operation.entity, operation.local_id);
  const auto kept_links = links ? links : (mapped ? mapped->synced_links : std::nullopt);
  auto record = mapped_record(operation, blink_id, operation.synced_after, kept_links);
  close_intent(operation, intent_id,
               {IntentOutcome::applied, true, status_of(result), std::nullopt, record, ""},
               copy_follow_up(operation, blink_id, result));
  remember(std::move(record));
  if (discharge) {
    ++result_.done.discharged;
  } else if (operation.action == Action::update) {
    ++result_.done.updated;
  }
  result_.done.linked += links ? 1 : 0;
  note_put_back(operation);
  spdlog::debug("sync: {} entity={} local_id={} blink_id={}", action_name(operation.action),
                entity_name(operation.entity), operation.local_id, blink_id);
}

asio::awaitable<void> Executor::remove(const Operation& operation) {
  const auto blink_id = *operation.blink_id;
  const auto intent_id = open_intent(operation, IntentOperation::remove, nlohmann::json());
  const auto result = co_await call(http::verb::delete_, delete_path(operation.entity, blink_id));
  if (outcome_unknown(result)) {
    fail(operation, result, "delete");  // left in doubt: the next cycle reads whether it is still there
    co_return;
  }
  if (!result.ok() && result.status != 404) {
    fail_call(operation, intent_id, result, "delete");
    co_return;
  }

  close_intent(operation, intent_id,
               {IntentOutcome::applied, true, status_of(result), std::nullopt,
                EraseMapping{operation.entity, operation.local_id}, result.status == 404 ? "already gone" : ""},
               follow_up_of(WriteBackEvent::removed, operation.entity, operation.local_id, blink_id, nullptr));
  dependencies_.mapping.erase(operation.entity, operation.local_id);
  ++result_.done.deleted;
  --result_.net_records[static_cast<std::size_t>(operation.entity)];
  spdlog::debug("sync: deleted entity={} local_id={} blink_id={}{}", entity_name(operation.entity),
                operation.local_id, blink_id, result.status == 404 ? " (already gone)" : "");
}

void Executor::forget(const Operation& operation) {
  const auto write_back_error = dependencies_.store.delete_mapping(
      operation.entity, operation.local_id,
      follow_up_of(WriteBackEvent::removed, operation.entity, operation.local_id, operation.blink_id.value_or(0),
                   nullptr));
  if (write_back_error) {
    report_(*write_back_error);
  }
  dependencies_.mapping.erase(operation.entity, operation.local_id);
  ++result_.done.forgotten;
  spdlog::debug("sync: forgot entity={} local_id={} (gone from Blink)", entity_name(operation.entity),
                operation.local_id);
}

// ---- Edits made in Blink ----

bool Executor::pull(const Operation& operation) {
  const auto* mapped = dependencies_.mapping.find_local(operation.entity, operation.local_id);
  if (mapped == nullptr) {
    fail(operation, "the values edited in Blink were not written back because the record is no longer mapped");
    return false;
  }
  auto record = *mapped;
  if (operation.action == Action::pull) {
    record.synced = operation.synced_after;
  } else {
    merge_known(record.synced, operation.pulled);
  }

  const bool write_back = has_fields(operation.pulled);
  const auto& hook = dependencies_.pull_write_back ? dependencies_.pull_write_back : log_only_write_back();
  std::optional<RecordError> hook_error;
  try {
    pqxx::work transaction(dependencies_.store.connection());
    if (write_back) {
      hook_error = hook(transaction, operation.entity, operation.local_id, record.blink_id, operation.pulled);
    }
    if (!hook_error) {
      write_mapping(transaction, record);
      transaction.commit();
    }
  } catch (const pqxx::sql_error& error) {
    fail(operation, "writing the values edited in Blink back to the roster failed: " + describe_database_error(error) +
                        "; it is tried again next cycle");
    return false;
  }
  // Reported only once the transaction has rolled back, because reporting
  // writes to the same connection. The last-synced copy keeps the old values.
  if (hook_error) {
    ++result_.failed;
    report_(*hook_error);
    return false;
  }

  remember(record);
  if (write_back) {
    ++result_.done.pulled;
    spdlog::info("sync: pulled fields edited in Blink entity={} local_id={} blink_id={} fields={}",
                 entity_name(operation.entity), operation.local_id, record.blink_id,
                 known_field_names(operation.entity, operation.pulled));
  }
  return true;
}

void Executor::note_put_back(const Operation& operation) {
  if (operation.drift.empty()) {
    return;
  }
  ++result_.done.drift;
  std::string fields;
  for (const auto& field : operation.drift) {
    fields += (fields.empty() ? "" : ",") + field;
  }
  spdlog::info("sync: put back fields edited in Blink (drift) entity={} local_id={} blink_id={} fields={}",
               entity_name(operation.entity), operation.local_id, operation.blink_id.value_or(0), fields);
}

asio::awaitable<ApiResult> Executor::call(http::verb method, std::string target, std::optional<nlohmann::json> body) {
  auto result = co_await dependencies_.client.call(method, target, std::move(body));
  const bool unavailable = result.status == 0 || result.status >= 500;
  unavailable_in_a_row_ = unavailable ? unavailable_in_a_row_ + 1 : 0;
  if (unavailable) {
    last_unavailable_ = std::string(http::to_string(method)) + " " + target + ": " +
                        (result.status == 0 ? result.message : "HTTP " + std::to_string(result.status));
  }
  co_return result;
}

// Called between operations, once the last one's outcome is journaled, so
// stopping the cycle never leaves a request with a response in doubt.
void Executor::stop_if_unavailable() const {
  if (unavailable_in_a_row_ < kMaxUnavailableInARow) {
    return;
  }
  throw BlinkUnavailable("Blink failed " + std::to_string(unavailable_in_a_row_) +
                         " requests in a row with no response or a server error, after retries (last: " +
                         last_unavailable_ + "); the cycle stops here and the next one starts in a minute");
}

std::optional<std::vector<std::int64_t>> Executor::resolve_links(const LinkIntent& links) const {
  std::vector<std::int64_t> ids = links.kept_blink_ids;
  bool unresolved = links.roster_has_unresolved;
  for (const auto& student : links.student_local_ids) {
    if (const auto* mapped = dependencies_.mapping.find_local(Entity::student, student)) {
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

std::int64_t Executor::open_intent(const Operation& operation, IntentOperation kind, const nlohmann::json& payload) {
  Intent intent{dependencies_.run_id,
                operation.entity,
                operation.local_id,
                kind,
                operation.blink_id,
                kind == IntentOperation::create ? natural_key(operation.entity, operation.send) : std::string(),
                payload.is_null() ? std::string() : payload.dump()};
  try {
    return dependencies_.journal.open(intent);
  } catch (const pqxx::sql_error& error) {
    throw std::runtime_error("cannot record the intent to " + std::string(intent_operation_name(kind)) + " " +
                             std::string(entity_name(operation.entity)) + " local_id=" + operation.local_id +
                             ", so it is not sent: " + describe_database_error(error));
  }
}

void Executor::close_intent(const Operation& operation, std::int64_t intent_id, const IntentEnd& end,
                            const std::optional<RecordFollowUp>& follow_up) {
  std::optional<RecordError> write_back_error;
  try {
    write_back_error = dependencies_.journal.close(intent_id, end, follow_up);
  } catch (const pqxx::sql_error& error) {
    throw std::runtime_error("cannot record the outcome of " + std::string(entity_name(operation.entity)) +
                             " local_id=" + operation.local_id + " (intent " + std::to_string(intent_id) +
                             "); the next cycle looks it up in Blink: " + describe_database_error(error));
  }
  if (write_back_error) {
    report_(*write_back_error);  // the outcome and the mapping are committed; the write-back is retried
  }
}

MappedRecord Executor::mapped_record(const Operation& operation, std::int64_t blink_id, const FieldValues& synced,
                                     const std::optional<std::vector<std::int64_t>>& links) const {
  MappedRecord record{operation.entity, operation.local_id, blink_id, synced, links};
  if (record.synced_links) {
    std::sort(record.synced_links->begin(), record.synced_links->end());
  }
  return record;
}

void Executor::save(const MappedRecord& record, const std::optional<RecordFollowUp>& follow_up) {
  std::optional<RecordError> write_back_error;
  try {
    write_back_error = dependencies_.store.save_mapping(record, follow_up);
  } catch (const pqxx::sql_error& error) {
    throw std::runtime_error("cannot save the mapping of " + std::string(entity_name(record.entity)) +
                             " local_id=" + record.local_id + " blink_id=" + std::to_string(record.blink_id) + ": " +
                             describe_database_error(error));
  }
  remember(record);
  if (write_back_error) {
    report_(*write_back_error);
  }
}

// Blink's POST responses carry no join_by_link, activated or timestamps, so
// a created write-back that binds one of them needs a GET of the new record.
// It costs one request per created record, and only with such a statement.
bool Executor::needs_read_back(Entity entity, const std::optional<RemoteRecord>& returned) const {
  const auto* runner = dependencies_.write_back;
  if (runner == nullptr) {
    return false;
  }
  const auto event = WriteBackEvent::created;
  const bool lacks_link = entity == Entity::staff && (!returned || !returned->join_by_link);
  const bool lacks_activated = entity != Entity::student && (!returned || !returned->activated);
  const bool lacks_created = !returned || returned->created_at.empty();
  const bool lacks_updated = !returned || returned->updated_at.empty();
  return (lacks_link && runner->uses(entity, event, "join_by_link")) ||
         (lacks_activated && runner->uses(entity, event, "activated")) ||
         (lacks_created && runner->uses(entity, event, "created_at")) ||
         (lacks_updated && runner->uses(entity, event, "updated_at"));
}

// Returns the record as a GET reads it, or `returned` when the GET fails.
// The intent stays open during the GET, so a crash here leaves the create
// in doubt, and the next cycle's lookup maps it and runs the write-back.
asio::awaitable<std::optional<RemoteRecord>> Executor::read_back(Entity entity, std::int64_t blink_id,
                                                                 std::optional<RemoteRecord> returned) {
  const auto result = co_await call(http::verb::get, record_target(entity, blink_id));
  if (result.ok()) {
    if (auto read = record_in_response(entity, result.body)) {
      co_return read;
    }
  }
  spdlog::warn("sync: cannot read back entity={} blink_id={} after its create (status={}); its created "
               "write-back gets NULL for the values the POST response lacked",
               entity_name(entity), blink_id, result.status);
  co_return returned;
}

// The remote copy of an updated record, from the PUT's response, so the next
// read does not take this daemon's own change for a change made in Blink.
std::optional<RecordFollowUp> Executor::copy_follow_up(const Operation& operation, std::int64_t blink_id,
                                                       const ApiResult& result) const {
  auto returned = record_in_response(operation.entity, result.body);
  if (!returned) {
    return std::nullopt;
  }
  RecordFollowUp follow_up;
  follow_up.values = write_back_values(operation.entity, operation.local_id, blink_id, nullptr);
  follow_up.returned = std::move(returned);
  return follow_up;
}

void Executor::count_created(Entity entity, std::int64_t blink_id) {
  const auto index = static_cast<std::size_t>(entity);
  ++result_.done.created;
  ++result_.net_records[index];
  result_.highest_created[index] = std::max(result_.highest_created[index], blink_id);
}

void Executor::note_written(Entity entity, const ApiResult& result) {
  const auto data = result.body.is_object() ? result.body.find("data") : result.body.end();
  if (data == result.body.end() || !data->is_object() || !data->contains("updated_at")) {
    return;
  }
  const auto updated = sortable_timestamp(read_timestamp_text((*data)["updated_at"]));
  auto& newest = result_.newest_written[static_cast<std::size_t>(entity)];
  if (updated && *updated > newest) {
    newest = *updated;
  }
}

void Executor::remember(MappedRecord record) { dependencies_.mapping.claim(std::move(record)); }

std::string Executor::masked(const Operation& operation, const std::string& message) const {
  return redact_personal_data(mask_field_values(message, operation.entity, {&operation.send, &operation.synced_after}));
}

void Executor::fail_call(const Operation& operation, std::int64_t intent_id, const ApiResult& result,
                         const std::string& context) {
  const auto outcome = never_sent(result) ? IntentOutcome::not_sent : IntentOutcome::rejected;
  close_intent(operation, intent_id, {outcome, !never_sent(result), status_of(result), std::nullopt, KeepMapping{}, ""});
  fail(operation, result, context);
}

void Executor::fail(const Operation& operation, const ApiResult& result, const std::string& context) {
  std::string message;
  if (result.status == 0) {
    message = context + " got no response from Blink: " + result.message;
    if (result.outcome_unknown) {
      message += ". Blink may have applied it; the next cycle reads Blink before sending anything for this record";
    }
  } else if (result.status == 406) {
    message = context + " rejected by Blink's validation: " + masked(operation, result.message) +
              "; correct the record in the roster, or in Blink when the roster is right (for example an email "
              "that another Blink record still uses)";
  } else if (result.status == 404) {
    message = context + " failed because the record is gone from Blink; the next cycle confirms it and creates it again";
  } else {
    message = context + " failed with HTTP " + std::to_string(result.status) + ": " + masked(operation, result.message);
  }
  fail(operation, std::move(message), static_cast<int>(result.status));
}

void Executor::fail(const Operation& operation, std::string message, int http_status) {
  ++result_.failed;
  report_(RecordError{operation.entity, operation.local_id, operation.blink_id, http_status, std::move(message)});
}

}  // namespace blink_sync
