#include "daemon/in_doubt_settlement.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "mapping/text.hpp"

namespace blink_sync {
namespace {

std::string key_description(Entity entity) {
  return entity == Entity::student ? "first name, last name and date of birth" : "email";
}

// The mapping row that takes Blink's current values as the last-synced copy.
MappedRecord refreshed(Entity entity, const std::string& local_id, std::int64_t blink_id, const FieldValues* synced,
                       const std::optional<std::vector<std::int64_t>>& synced_links, const RemoteRecord& current) {
  MappedRecord record{entity, local_id, blink_id, synced ? *synced : FieldValues(entity), synced_links};
  if (record.synced.empty()) {
    record.synced = FieldValues(entity);
  }
  merge_known(record.synced, current.fields);
  if (current.linked_students) {
    record.synced_links = current.linked_students;
    std::sort(record.synced_links->begin(), record.synced_links->end());
  }
  return record;
}

// Returns why a create is held. Its request either ended without a response,
// or the daemon stopped before recording the outcome, perhaps before sending
// it at all. Either way Blink may have the record, so it is not sent again
// until a read of Blink shows whether it was created.
std::string still_in_doubt_message(const OpenIntent& intent, bool list_complete) {
  const std::string cause = intent.ended_without_response
                                ? "an earlier create got no response"
                                : "the daemon stopped before the outcome of an earlier create was recorded";
  return "not created again yet: " + cause + ", and Blink does not show the record" +
         (list_complete ? "" : " (its list could not be read completely)") +
         ". It is held, so no duplicate is made, until a read of Blink shows whether it was created: it is "
         "looked up again each cycle and sent again only once sync.in_doubt_settle_seconds have passed without "
         "Blink showing it";
}

}  // namespace

HeldRecords settle_open_intents(Journal& journal, const std::vector<OpenIntent>& intents, const RemoteState& remote,
                                IdentityMap& mapping, bool commit, std::vector<RecordError>& errors) {
  HeldRecords held;
  const auto close = [&](const OpenIntent& intent, IntentOutcome outcome, std::optional<std::int64_t> blink_id,
                         MappingChange change, std::string note,
                         std::optional<RecordFollowUp> follow_up = std::nullopt) {
    if (!commit) {
      return;
    }
    auto write_back_error =
        journal.close(intent.id, {outcome, false, std::nullopt, blink_id, std::move(change), std::move(note)}, follow_up);
    if (write_back_error) {
      errors.push_back(std::move(*write_back_error));
    }
  };

  for (const auto& intent : intents) {
    const auto& list = remote.of(intent.entity);
    const auto resolution = resolve_in_doubt(intent, list, mapping);
    const auto name = std::string(entity_name(intent.entity));
    switch (resolution.verdict) {
      case DoubtVerdict::found: {
        const auto& current = *list.find(*resolution.blink_id);
        auto record = refreshed(intent.entity, intent.local_id, current.id, nullptr, std::nullopt, current);
        // A create found in Blink is a create for the roster's write-back.
        close(intent, IntentOutcome::found, current.id, record, "found by a lookup at the start of a cycle",
              follow_up_of(WriteBackEvent::created, intent.entity, intent.local_id, current.id, &current));
        mapping.claim(std::move(record));
        spdlog::info("sync: an earlier create of entity={} local_id={} is in Blink as blink_id={}; mapped it",
                     name, intent.local_id, current.id);
        break;
      }
      case DoubtVerdict::not_applied:
        close(intent, IntentOutcome::not_applied, std::nullopt, KeepMapping{}, "a lookup found no such record");
        spdlog::info("sync: an earlier create of entity={} local_id={} did not reach Blink; it may be sent again",
                     name, intent.local_id);
        break;
      case DoubtVerdict::ambiguous:
        held.emplace(intent.entity, intent.local_id);
        errors.push_back(RecordError{
            intent.entity, intent.local_id, std::nullopt, 0,
            "an earlier create got no clear answer, and several Blink records now match by " +
                key_description(intent.entity) + " (Blink ids " + join_ids_text(resolution.candidates) +
                "). Remove the duplicates in Blink, or map one by hand with INSERT INTO blink_sync.mapping "
                "(entity, local_id, blink_id)"});
        break;
      case DoubtVerdict::still_in_doubt:
        held.emplace(intent.entity, intent.local_id);
        errors.push_back(RecordError{intent.entity, intent.local_id, std::nullopt, 0,
                                     still_in_doubt_message(intent, list.complete)});
        break;
      case DoubtVerdict::superseded: {
        const auto* mapped = mapping.find_local(intent.entity, intent.local_id);
        const auto* current = mapped ? list.find(mapped->blink_id) : nullptr;
        if (intent.operation != IntentOperation::create && current != nullptr) {
          auto record =
              refreshed(intent.entity, intent.local_id, mapped->blink_id, &mapped->synced, mapped->synced_links, *current);
          close(intent, IntentOutcome::superseded, std::nullopt, record, "re-read from Blink");
          mapping.claim(std::move(record));
        } else {
          close(intent, IntentOutcome::superseded, std::nullopt, KeepMapping{}, "re-read from Blink");
        }
        break;
      }
    }
  }
  return held;
}

}  // namespace blink_sync
