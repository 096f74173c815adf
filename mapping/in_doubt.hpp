#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "mapping/entity.hpp"
#include "mapping/identity_map.hpp"
#include "mapping/remote_state.hpp"

namespace blink_sync {

// The kind of write an intent announces.
enum class IntentOperation { create, update, remove };

std::string_view intent_operation_name(IntentOperation operation);

// An intent of the journal that has no outcome: the request may or may not
// have been applied by Blink.
struct OpenIntent {
  std::int64_t id = 0;
  Entity entity = Entity::student;
  std::string local_id;
  IntentOperation operation = IntentOperation::create;
  std::optional<std::int64_t> blink_id;  // the target of an update or delete
  std::string natural_key;               // the key of the record as it was sent
  // True when a response arrived or enough time has passed since the request
  // that Blink cannot still be working on it, so a lookup that finds nothing
  // proves the request was not applied.
  bool settled = false;
  // For a create: true when the daemon saw the request end without any
  // response, false when the daemon stopped before it recorded the outcome,
  // which includes a request that was never sent.
  bool ended_without_response = false;
};

enum class DoubtVerdict {
  found,           // the created record is in Blink: map it
  not_applied,     // Blink has no such record: the create may be sent again
  ambiguous,       // several records match: a person must choose
  still_in_doubt,  // nothing conclusive yet: send nothing for the record
  superseded,      // an update or delete: re-read and planned again
};

struct DoubtResolution {
  DoubtVerdict verdict = DoubtVerdict::still_in_doubt;
  std::optional<std::int64_t> blink_id;  // the record found
  std::vector<std::int64_t> candidates;  // the records that match, when ambiguous
};

// Returns the ids of the records in `records` with `natural_key` that may
// belong to `local_id`: unmapped ones, and the one already mapped to it.
std::vector<std::int64_t> natural_key_matches(Entity entity, std::string_view natural_key,
                                              const std::vector<RemoteRecord>& records, const IdentityMap& mapping,
                                              std::string_view local_id);

// Decides what an open intent means, given Blink's list as read this cycle.
// A create is looked up by the natural key it was sent with, not by the
// roster's current values, which may have changed since.
DoubtResolution resolve_in_doubt(const OpenIntent& intent, const RemoteEntity& remote, const IdentityMap& mapping);

}  // namespace blink_sync
