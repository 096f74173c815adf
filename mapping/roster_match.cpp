#include "mapping/roster_match.hpp"

#include <algorithm>
#include <boost/unordered/unordered_flat_set.hpp>

#include "mapping/text.hpp"

namespace blink_sync {
namespace {

// The merge reads the mapped records in local id order, which is not their
// order in memory, so at district scale each read waits for main memory.
// Prefetching the record this many steps ahead overlaps those waits.
constexpr std::size_t kPrefetchDistance = 8;

bool sorted_by_local_id(const std::vector<DesiredRecord>& records) {
  return std::is_sorted(records.begin(), records.end(), [](const DesiredRecord& a, const DesiredRecord& b) {
    return natural_less(a.local_id, b.local_id);
  });
}

// Walks both sorted lists side by side. A mapped record is passed over once
// the roster has moved beyond its local id, and is then not in the roster
// unless it was matched before.
RosterMatch merge_sorted(Entity entity, const std::vector<DesiredRecord>& records, const IdentityMap& mapping) {
  RosterMatch match;
  match.mapped.assign(records.size(), nullptr);
  const auto mapped = mapping.records(entity);
  std::size_t next = 0;
  bool next_matched = false;
  const auto pass_over = [&] {
    if (!next_matched) {
      match.not_in_roster.push_back(mapped[next]);
    }
    ++next;
    next_matched = false;
  };

  for (std::size_t i = 0; i < records.size(); ++i) {
    if (next + kPrefetchDistance < mapped.size()) {
      __builtin_prefetch(mapped[next + kPrefetchDistance]);
    }
    const auto& local_id = records[i].local_id;
    while (next < mapped.size() && mapped[next]->local_id != local_id &&
           natural_less(mapped[next]->local_id, local_id)) {
      pass_over();
    }
    if (next < mapped.size() && mapped[next]->local_id == local_id) {
      match.mapped[i] = mapped[next];
      next_matched = true;
    }
  }
  while (next < mapped.size()) {
    pass_over();
  }
  return match;
}

RosterMatch look_up_each(Entity entity, const std::vector<DesiredRecord>& records, const IdentityMap& mapping) {
  RosterMatch match;
  match.mapped.reserve(records.size());
  boost::unordered_flat_set<const MappedRecord*> matched;
  for (const auto& record : records) {
    const auto* mapped = mapping.find_local(entity, record.local_id);
    match.mapped.push_back(mapped);
    matched.insert(mapped);
  }
  match.not_in_roster =
      mapping.records_if(entity, [&](const MappedRecord& mapped) { return matched.count(&mapped) == 0; });
  return match;
}

}  // namespace

RosterMatch match_roster(Entity entity, const EntityRoster& roster, const IdentityMap& mapping) {
  if (sorted_by_local_id(roster.records)) {
    return merge_sorted(entity, roster.records, mapping);
  }
  return look_up_each(entity, roster.records, mapping);
}

}  // namespace blink_sync
