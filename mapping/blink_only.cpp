#include "mapping/blink_only.hpp"

#include "mapping/natural_key.hpp"

namespace blink_sync {
namespace {

std::optional<std::string> deletion_blocked(Entity entity, const BlinkOnlyContext& context) {
  const auto name = std::string(entity_name(entity));
  if (!context.remote.complete) {
    return "Blink-only " + name + " records are not deleted this cycle because Blink's list could not be read "
           "completely";
  }
  if (context.roster.row_count == 0 || context.roster.rows_without_id) {
    return "Blink-only " + name + " records are not deleted this cycle because the " + name +
           " query returned no rows or a row without a local_id; check the roster query";
  }
  if (!context.roster.invalid_ids.empty()) {
    return "Blink-only " + name + " records are not deleted this cycle because " +
           std::to_string(context.roster.invalid_ids.size()) +
           " roster rows are invalid and one of them may be the roster's copy of such a record; correct those rows";
  }
  return std::nullopt;
}

}  // namespace

BlinkOnlyRecords find_blink_only_records(Entity entity, const BlinkOnlyContext& context) {
  std::unordered_set<std::string> roster_keys;
  roster_keys.reserve(context.roster.records.size());
  for (const auto& record : context.roster.records) {
    roster_keys.insert(natural_key(entity, record.fields));
  }

  BlinkOnlyRecords found;
  for (const auto& record : context.remote.records) {
    const bool mapped = context.mapping.find_blink(entity, record.id) != nullptr;
    if (mapped || context.adopted.count(record.id) != 0) {
      continue;
    }
    const auto key = natural_key(entity, record.fields);
    if (!key.empty() && roster_keys.count(key) != 0) {
      continue;
    }
    found.records.push_back(BlinkOnlyRecord{entity, record.id, record.fields});
  }
  found.deletion_blocked = deletion_blocked(entity, context);
  return found;
}

}  // namespace blink_sync
