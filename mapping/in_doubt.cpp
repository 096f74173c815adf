#include "mapping/in_doubt.hpp"

#include "mapping/natural_key.hpp"

namespace blink_sync {

std::string_view intent_operation_name(IntentOperation operation) {
  switch (operation) {
    case IntentOperation::create:
      return "create";
    case IntentOperation::update:
      return "update";
    case IntentOperation::remove:
      return "delete";
  }
  return "create";
}

std::vector<std::int64_t> natural_key_matches(Entity entity, std::string_view natural_key,
                                              const std::vector<RemoteRecord>& records, const IdentityMap& mapping,
                                              std::string_view local_id) {
  std::vector<std::int64_t> matches;
  if (natural_key.empty()) {
    return matches;
  }
  for (const auto& record : records) {
    const auto* mapped = mapping.find_blink(entity, record.id);
    const bool free = mapped == nullptr || mapped->local_id == local_id;
    if (free && blink_sync::natural_key(entity, record.fields) == natural_key) {
      matches.push_back(record.id);
    }
  }
  return matches;
}

DoubtResolution resolve_in_doubt(const OpenIntent& intent, const RemoteEntity& remote, const IdentityMap& mapping) {
  if (intent.operation != IntentOperation::create) {
    return {DoubtVerdict::superseded, intent.blink_id, {}};
  }
  if (const auto* mapped = mapping.find_local(intent.entity, intent.local_id)) {
    // Mapped since, by an adoption or by hand: nothing is left to decide.
    return {DoubtVerdict::superseded, mapped->blink_id, {}};
  }
  if (!remote.complete) {
    return {DoubtVerdict::still_in_doubt, std::nullopt, {}};
  }

  auto matches = natural_key_matches(intent.entity, intent.natural_key, remote.records, mapping, intent.local_id);
  if (matches.size() == 1) {
    return {DoubtVerdict::found, matches.front(), {}};
  }
  if (matches.size() > 1) {
    return {DoubtVerdict::ambiguous, std::nullopt, std::move(matches)};
  }
  if (intent.settled && !intent.natural_key.empty()) {
    return {DoubtVerdict::not_applied, std::nullopt, {}};
  }
  return {DoubtVerdict::still_in_doubt, std::nullopt, {}};
}

}  // namespace blink_sync
