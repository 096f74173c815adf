#include "mapping/planner.hpp"

#include <algorithm>
#include <array>
#include <boost/unordered/unordered_flat_set.hpp>
#include <functional>
#include <unordered_map>
#include <unordered_set>

#include "mapping/blink_only.hpp"
#include "mapping/field_access.hpp"
#include "mapping/natural_key.hpp"
#include "mapping/record_merge.hpp"
#include "mapping/roster_match.hpp"
#include "mapping/text.hpp"

namespace blink_sync {
namespace {

constexpr std::array kEntityOrder = {Entity::student, Entity::student_login, Entity::staff};
constexpr std::array kLeaverOrder = {Entity::student_login, Entity::staff, Entity::student};
constexpr std::size_t kPrefetchDistance = 4;

bool has_links(Entity entity) { return entity != Entity::student; }

Operation make_operation(Action action, Entity entity, const std::string& local_id,
                         std::optional<std::int64_t> blink_id) {
  Operation operation;
  operation.action = action;
  operation.entity = entity;
  operation.local_id = local_id;
  operation.blink_id = blink_id;
  return operation;
}

LeavePolicy leave_policy(Entity entity, const PlanOptions& options) {
  switch (entity) {
    case Entity::student:
      return options.students_removed;
    case Entity::student_login:
      return options.student_logins_removed;
    case Entity::staff:
      return options.staff_removed;
  }
  return LeavePolicy::keep;
}

// One run of the planner; each step reads as a paragraph of plan_sync.
class Planner {
 public:
  Planner(const DesiredState& desired, const RemoteState& remote, const IdentityMap& mapping,
          const PlanOptions& options)
      : desired_(desired), remote_(remote), mapping_(mapping), options_(options) {}

  Plan run() {
    hold_links_of_broken_query(Entity::student_login, desired_.login_link_rows, "login_students");
    hold_links_of_broken_query(Entity::staff, desired_.staff_link_rows, "staff_students");
    for (const auto entity : kEntityOrder) {
      matches_[static_cast<int>(entity)] = match_roster(entity, desired_.of(entity), mapping_);
    }
    student_link_targets_ = find_student_link_targets();
    planned_student_rows_.assign(desired_.students.records.size(), false);
    for (const auto entity : kEntityOrder) {
      const auto& records = desired_.of(entity).records;
      const auto& mapped = matches_[static_cast<int>(entity)].mapped;
      for (std::size_t i = 0; i < records.size(); ++i) {
        // Mapped records are scattered in memory, so the ones a few records
        // ahead are prefetched while this one is planned.
        if (i + kPrefetchDistance < mapped.size() && mapped[i + kPrefetchDistance] != nullptr) {
          __builtin_prefetch(&mapped[i + kPrefetchDistance]->blink_id);
        }
        plan_record(entity, records[i], mapped[i]);
      }
    }
    for (const auto entity : kLeaverOrder) {
      plan_leavers(entity);
    }
    for (const auto entity : kLeaverOrder) {
      plan_blink_only_records(entity);
    }
    return std::move(plan_);
  }

 private:
  // A link query with no rows while Blink has links for mapped records is a
  // broken query, not everyone unlinked, so no link of that entity changes.
  void hold_links_of_broken_query(Entity entity, std::size_t link_rows, std::string_view query) {
    if (link_rows != 0) {
      return;
    }
    std::size_t linked = 0;
    for (const auto* mapped : mapping_.records(entity)) {
      const auto* current = remote_.of(entity).find(mapped->blink_id);
      const auto& known = current != nullptr && current->linked_students ? current->linked_students : mapped->synced_links;
      linked += known && !known->empty() ? 1 : 0;
    }
    if (linked == 0) {
      return;
    }
    links_held_[static_cast<int>(entity)] = true;
    error(entity, "", std::nullopt,
          "the roster." + std::string(query) + " query returned no rows while " + std::to_string(linked) + " " +
              std::string(entity_name(entity)) +
              " records have links in Blink; treating it as a broken query, so no links are changed. Check the query");
  }

  // Remote records a new roster record may adopt, by natural key: unmapped
  // ones, and those mapped to a local id that left the roster (the roster
  // changed the record's local id). Built on the first record that needs it,
  // because a cycle without new records needs none, and building it takes
  // a lookup of every record of Blink's list.
  const std::unordered_map<std::string, std::vector<std::int64_t>>& candidates_of(Entity entity) {
    auto& candidates = candidates_[static_cast<int>(entity)];
    if (candidates) {
      return *candidates;
    }
    candidates.emplace();
    const auto& invalid_ids = desired_.of(entity).invalid_ids;
    boost::unordered_flat_set<std::int64_t> leaver_ids;
    for (const auto* mapped : matches_[static_cast<int>(entity)].not_in_roster) {
      if (invalid_ids.count(mapped->local_id) == 0) {
        leaver_ids.insert(mapped->blink_id);
      }
    }
    for (const auto& record : remote_.of(entity).records) {
      const bool free = mapping_.find_blink(entity, record.id) == nullptr || leaver_ids.count(record.id) != 0;
      if (!free) {
        continue;
      }
      auto key = natural_key(entity, record.fields);
      if (!key.empty()) {
        (*candidates)[std::move(key)].push_back(record.id);
      }
    }
    return *candidates;
  }

  // Returns, for each roster student, the Blink id a link to it resolves to,
  // or nullopt when it is not linkable (see resolve_links). Each link then
  // costs one lookup in the roster's index instead of one in the mapping
  // table and one in Blink's list.
  std::vector<std::optional<std::int64_t>> find_student_link_targets() const {
    const auto& mapped = matches_[static_cast<int>(Entity::student)].mapped;
    std::vector<std::optional<std::int64_t>> targets(mapped.size());
    for (std::size_t i = 0; i < mapped.size(); ++i) {
      if (mapped[i] != nullptr && listed_or_unreadable(mapped[i]->blink_id)) {
        targets[i] = mapped[i]->blink_id;
      }
    }
    return targets;
  }

  void plan_record(Entity entity, const DesiredRecord& record, const MappedRecord* mapped) {
    if (mapped == nullptr) {
      plan_unmapped(entity, record);
      return;
    }

    const auto& remote = remote_.of(entity);
    const auto* current = remote.find(mapped->blink_id);
    if (current != nullptr) {
      plan_update(entity, record, *mapped, *current);
      return;
    }
    if (remote.unreadable_ids.count(mapped->blink_id) != 0) {
      return;  // the reader recorded why; the record is left alone this cycle
    }
    if (remote.confirmed_missing.count(mapped->blink_id) != 0) {
      plan_recreate(entity, record);
      return;
    }
    if (mapping_.size(entity) > 1 && !any_mapped_listed(entity)) {
      report_all_missing(entity);
      return;
    }
    error(entity, record.local_id, mapped->blink_id,
          "the mapped Blink record is not in Blink's list and could not be confirmed gone; "
          "it is checked again next cycle");
  }

  // A record without a Blink record adopts one with its natural key, or is
  // created.
  void plan_unmapped(Entity entity, const DesiredRecord& record, std::string create_reason = "new in the roster") {
    if (options_.held_creates != nullptr && options_.held_creates->count({entity, record.local_id}) != 0) {
      return;  // the settlement of the earlier create reported why
    }
    if (!remote_.of(entity).complete) {
      error(entity, record.local_id, std::nullopt,
            "not created because Blink's " + std::string(entity_name(entity)) +
                " list could not be read completely and might already hold it; it is retried next cycle");
      return;
    }

    const auto key = natural_key(entity, record.fields);
    const auto& candidates = candidates_of(entity);
    const auto found = candidates.find(key);
    const auto matches = found == candidates.end() ? std::vector<std::int64_t>{} : found->second;
    if (matches.size() > 1) {
      error(entity, record.local_id, std::nullopt,
            "several Blink records match by " + natural_key_name(entity) + " (Blink ids " +
                join_ids_text(matches) +
                "); remove the duplicates in Blink, or map one by hand with INSERT INTO blink_sync.mapping "
                "(entity, local_id, blink_id)");
      return;
    }
    if (matches.size() == 1) {
      plan_adopt(entity, record, *remote_.of(entity).find(matches.front()));
      return;
    }
    if (email_taken_by_other_entity(entity, record)) {
      return;
    }
    plan_create(entity, record, std::move(create_reason));
  }

  void plan_create(Entity entity, const DesiredRecord& record, std::string reason) {
    auto operation = make_operation(Action::create, entity, record.local_id, std::nullopt);
    operation.send = record.fields;
    operation.synced_after = record.fields;
    operation.reason = std::move(reason);

    if (has_links(entity)) {
      operation.links = with_student_local_ids(record, resolve_links(record, nullptr).intent);
      if (entity == Entity::student_login && !can_link_any(*operation.links)) {
        error(entity, record.local_id, std::nullopt,
              "not created because none of its linked students is in Blink or being created, and "
              "Blink requires a student-login to have at least one; link it to a synced student");
        return;
      }
    }
    const auto specs = fields_of(entity);
    for (std::size_t i = 0; i < specs.size(); ++i) {
      if (record.fields.get(i)) {
        operation.changed.emplace_back(specs[i].blink_key);
      }
    }
    push(std::move(operation));
  }

  void plan_recreate(Entity entity, const DesiredRecord& record) {
    const bool all_gone = mapping_.size(entity) > 1 && !any_mapped_listed(entity);
    if (all_gone && !options_.resync) {
      report_all_missing(entity);
      return;
    }
    plan_unmapped(entity, record, "deleted in Blink; creating it again");
  }

  // One error per entity, not one per record: the cause is the same.
  void report_all_missing(Entity entity) {
    auto& reported = all_missing_reported_[static_cast<int>(entity)];
    if (reported) {
      return;
    }
    reported = true;
    error(entity, "", std::nullopt,
          "all " + std::to_string(mapping_.size(entity)) + " mapped " + std::string(entity_name(entity)) +
              " records are missing from Blink, which looks like a wrong base_url or token rather than "
              "deletions, so none is created again. If they really were deleted in Blink, run blink-sync --resync "
              "once to create them again; if blink-sync now points at another organisation, empty "
              "blink_sync.mapping first");
  }

  // Returns true when Blink's list contains at least one mapped record. Unmapped
  // records in the list do not show whether the mapped ones still exist.
  bool any_mapped_listed(Entity entity) {
    auto& cached = any_mapped_listed_[static_cast<int>(entity)];
    if (!cached) {
      const auto& records = remote_.of(entity).records;
      cached = std::any_of(records.begin(), records.end(), [&](const RemoteRecord& record) {
        return mapping_.find_blink(entity, record.id) != nullptr;
      });
    }
    return *cached;
  }

  void plan_adopt(Entity entity, const DesiredRecord& record, const RemoteRecord& current) {
    claimed_[static_cast<int>(entity)].insert(current.id);
    auto operation = make_operation(Action::adopt, entity, record.local_id, current.id);
    operation.reason = "already in Blink with the same " + natural_key_name(entity);

    // Nothing was synced yet, so each field's owner decides. Blink-owned
    // values are kept in Blink and not pulled yet. The last-synced copy takes
    // the roster's value, so the next full read finds Blink's value as an edit
    // made in Blink and pulls it where the roster can take it.
    auto merge = merge_record(entity, record.local_id, current.id, record.fields, current.fields, nullptr,
                              merge_rules(entity));
    operation.synced_after = current.fields;
    merge_known(operation.synced_after, merge.synced_updates);
    keep_roster_values_of_blink_owned(entity, record.fields, operation.synced_after);
    operation.send = std::move(merge.send);
    operation.changed = std::move(merge.changed);
    fill_links_and_preferences(entity, record, current, nullptr, operation);
    push(std::move(operation));
  }

  void plan_update(Entity entity, const DesiredRecord& record, const MappedRecord& mapped,
                   const RemoteRecord& current) {
    auto operation = make_operation(Action::update, entity, record.local_id, mapped.blink_id);
    // --resync does not trust the last-synced copy; see merge_field.
    auto merge = merge_record(entity, record.local_id, mapped.blink_id, record.fields, current.fields,
                              &mapped.synced, merge_rules(entity));
    take_conflicts(merge);
    operation.send = std::move(merge.send);
    operation.changed = std::move(merge.changed);
    fill_links_and_preferences(entity, record, current, &mapped, operation);
    // A pull under --resync may leave the last-synced copy as it is, because
    // the roster, not Blink, moved away from it.
    const bool synced_changes = changes_synced_copy(mapped.synced, merge.synced_updates);
    if (operation.changed.empty() && !synced_changes && !has_any_value(merge.pulled)) {
      return;
    }

    // Built only for a record that changed, because most are unchanged and
    // copying their last-synced fields costs an allocation.
    operation.synced_after = mapped.synced;
    if (operation.synced_after.empty()) {
      operation.synced_after = FieldValues(entity);
    }
    merge_known(operation.synced_after, merge.synced_updates);
    operation.pulled = std::move(merge.pulled);
    operation.drift.insert(operation.drift.begin(), merge.drift.begin(), merge.drift.end());
    operation.reason = update_reason(operation);
    if (operation.changed.empty()) {
      operation.action = Action::pull;
    }
    push(std::move(operation));
  }

  // Adds the link set when it differs, and the notification preferences to
  // a student-login PUT. The fields to send are already in `operation`.
  void fill_links_and_preferences(Entity entity, const DesiredRecord& record, const RemoteRecord& current,
                                  const MappedRecord* mapped, Operation& operation) {
    if (has_links(entity) && !links_held_[static_cast<int>(entity)]) {
      auto links = resolve_links(record, &current);
      if (links_differ(links, current, mapped)) {
        if (links_drifted(links, current, mapped)) {
          operation.drift.emplace_back("linked_student_ids");
        }
        operation.links = with_student_local_ids(record, std::move(links.intent));
        operation.changed.emplace_back("linked_student_ids");
      }
    }
    if (entity == Entity::student_login && !operation.changed.empty()) {
      fill_notification_preferences(record, current, mapped, operation);
    }
  }

  // Blink replaces all eight notification preferences on every PUT that
  // carries any, and the document leaves open whether a PUT without them
  // turns them off. The reading that cannot lose data: every student-login
  // PUT carries all eight: the roster's where the merge sends them,
  // otherwise echoing what Blink (or the last sync) holds, so a Blink edit
  // that the merge keeps (Blink-owned, or in a reported conflict) survives.
  void fill_notification_preferences(const DesiredRecord& record, const RemoteRecord& current,
                                     const MappedRecord* mapped, Operation& operation) {
    const auto specs = fields_of(Entity::student_login);
    for (std::size_t i = 0; i < specs.size(); ++i) {
      if (specs[i].group != FieldGroup::notification_preferences) {
        continue;
      }
      auto value = operation.send.get(i);
      if (!value && i < current.fields.size()) {
        value = current.fields.get(i);
      }
      if (!value && mapped != nullptr) {
        value = mapped->synced.get(i);
      }
      if (!value) {
        value = record.fields.get(i);
      }
      operation.send.set(i, value);
    }
  }

  // The links to send, and what they resolve to now for the comparison with
  // Blink. Each roster link is looked up once, because at district scale
  // these lookups likely miss the cache.
  struct ResolvedLinks {
    LinkIntent intent;  // without student_local_ids, added by with_student_local_ids
    std::vector<std::int64_t> mapped_blink_ids;  // of the roster's links to mapped students, sorted
    bool names_planned_student = false;          // a link to a student created or adopted in this plan
  };

  // A linked student can be sent when it is mapped or about to be created or
  // adopted earlier in this plan.
  // A mapped student is linkable while Blink lists it. One missing from the
  // list (gone, or in doubt) is linkable only once it is created again, so
  // a link set never carries an id Blink would reject.
  ResolvedLinks resolve_links(const DesiredRecord& record, const RemoteRecord* current) const {
    ResolvedLinks links;
    for (std::size_t i = 0; i < record.linked_students.size(); ++i) {
      const auto link = resolve_student(record, i);
      if (link.planned) {
        links.names_planned_student = true;
      } else if (link.blink_id) {
        links.mapped_blink_ids.push_back(*link.blink_id);
      } else {
        links.intent.roster_has_unresolved = true;
      }
    }
    std::sort(links.mapped_blink_ids.begin(), links.mapped_blink_ids.end());

    // A Blink id that a roster link resolved to is a mapped student, so only
    // the other ids need the lookup.
    if (current != nullptr && current->linked_students) {
      for (const auto id : *current->linked_students) {
        const bool roster_link = std::binary_search(links.mapped_blink_ids.begin(), links.mapped_blink_ids.end(), id);
        if (!roster_link && keeps_link(id)) {
          links.intent.kept_blink_ids.push_back(id);
        }
      }
    }
    return links;
  }

  // Returns true when a Blink link that the roster does not list stays: to a
  // student whose removal the guard held, or, unless the roster owns every
  // link, to a student the roster does not manage.
  bool keeps_link(std::int64_t student_blink_id) const {
    const auto* held_removals = options_.held_student_removals;
    if (held_removals != nullptr && held_removals->count(student_blink_id) != 0) {
      return true;
    }
    return options_.keep_unmanaged_links && !is_managed_student(student_blink_id);
  }

  // Returns `intent` with the roster's links that can be sent, in the
  // roster's order. Only a link set that is sent needs them, so an unchanged
  // record never copies its links' local ids.
  LinkIntent with_student_local_ids(const DesiredRecord& record, LinkIntent intent) const {
    for (std::size_t i = 0; i < record.linked_students.size(); ++i) {
      const auto link = resolve_student(record, i);
      if (link.planned || link.blink_id) {
        intent.student_local_ids.push_back(record.linked_students[i]);
      }
    }
    return intent;
  }

  // The resolution of a roster link to one student.
  struct StudentLink {
    bool planned = false;                  // created or adopted in this plan
    std::optional<std::int64_t> blink_id;  // mapped and linkable
  };

  // Resolves the link of an owner's record to its i-th linked student.
  StudentLink resolve_student(const DesiredRecord& owner, std::size_t i) const {
    const auto& student_local_id = owner.linked_students[i];
    const auto row = owner.has_linked_rows() ? linked_row(owner.linked_student_rows[i]) : student_row(student_local_id);
    const bool planned =
        row ? planned_student_rows_[*row] : planned_students_.count(student_local_id) != 0;
    if (planned) {
      return StudentLink{true, std::nullopt};
    }
    return StudentLink{false, row ? student_link_targets_[*row] : unlisted_student_link_target(student_local_id)};
  }

  // Returns the row that DesiredStateBuilder noted for a linked student, or
  // nullopt when it is not a valid roster record.
  std::optional<std::size_t> linked_row(std::uint32_t row) const {
    if (row == DesiredRecord::kNotInRoster || row >= student_link_targets_.size()) {
      return std::nullopt;
    }
    return row;
  }

  // Returns the index of a student among the roster's valid records, or
  // nullopt.
  std::optional<std::size_t> student_row(const std::string& student_local_id) const {
    const auto& index = desired_.students.by_local_id;
    const auto found = index.find(student_local_id);
    if (found == index.end() || found->second >= student_link_targets_.size()) {
      return std::nullopt;
    }
    return found->second;
  }

  // Returns the Blink id of a linkable student that is not a valid roster
  // record this cycle, found through the mapping table, or nullopt.
  std::optional<std::int64_t> unlisted_student_link_target(const std::string& student_local_id) const {
    const auto* mapped = mapping_.find_local(Entity::student, student_local_id);
    if (mapped == nullptr || !listed_or_unreadable(mapped->blink_id)) {
      return std::nullopt;
    }
    return mapped->blink_id;
  }

  bool listed_or_unreadable(std::int64_t student_blink_id) const {
    const auto& students = remote_.students;
    return students.find(student_blink_id) != nullptr || students.unreadable_ids.count(student_blink_id) != 0;
  }

  bool is_managed_student(std::int64_t blink_id) const {
    return mapping_.find_blink(Entity::student, blink_id) != nullptr ||
           claimed_[static_cast<int>(Entity::student)].count(blink_id) != 0;
  }

  bool can_link_any(const LinkIntent& links) const {
    return !links.student_local_ids.empty() || !links.kept_blink_ids.empty();
  }

  // Compares the complete set with Blink's (or, when Blink did not return
  // links, with the last one sent). A set naming a student that is created
  // in this plan differs by definition.
  // Returns true when the roster's link set is the last-synced one, so the
  // difference with Blink's is an edit made in Blink that is being put back.
  static bool links_drifted(const ResolvedLinks& links, const RemoteRecord& current, const MappedRecord* mapped) {
    if (links.names_planned_student || mapped == nullptr || !mapped->synced_links || !current.linked_students) {
      return false;
    }
    std::vector<std::int64_t> wanted = links.intent.kept_blink_ids;
    wanted.insert(wanted.end(), links.mapped_blink_ids.begin(), links.mapped_blink_ids.end());
    return as_set(std::move(wanted)) == as_set(*mapped->synced_links);
  }

  bool links_differ(const ResolvedLinks& links, const RemoteRecord& current, const MappedRecord* mapped) const {
    if (links.names_planned_student) {
      return true;
    }
    std::vector<std::int64_t> wanted = links.intent.kept_blink_ids;
    wanted.insert(wanted.end(), links.mapped_blink_ids.begin(), links.mapped_blink_ids.end());
    if (wanted.empty() && links.intent.roster_has_unresolved) {
      return false;  // never unlink everything because of links that cannot be resolved yet
    }

    const std::vector<std::int64_t>* known = nullptr;
    if (current.linked_students) {
      known = &*current.linked_students;
    } else if (mapped != nullptr && mapped->synced_links) {
      known = &*mapped->synced_links;
    }
    if (known == nullptr) {
      return true;
    }
    wanted = as_set(std::move(wanted));
    if (is_set(*known)) {
      return wanted != *known;  // Blink's lists and the mapping table keep them sorted, so no copy
    }
    return wanted != as_set(*known);
  }

  static bool is_set(const std::vector<std::int64_t>& ids) {
    return std::adjacent_find(ids.begin(), ids.end(), std::greater_equal<>()) == ids.end();
  }

  // Returns the ids sorted and without duplicates: a set in a vector, which
  // costs one allocation where std::set costs one per id.
  static std::vector<std::int64_t> as_set(std::vector<std::int64_t> ids) {
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    return ids;
  }

  bool email_taken_by_other_entity(Entity entity, const DesiredRecord& record) {
    if (entity == Entity::student) {
      return false;
    }
    const auto other = entity == Entity::staff ? Entity::student_login : Entity::staff;
    const auto* remote = find_remote_by_key(other, natural_key(entity, record.fields));
    if (remote == nullptr) {
      return false;
    }

    const auto* holder = mapping_.find_blink(other, remote->id);
    const bool leaving = holder != nullptr && is_leaver(desired_.of(other), holder->local_id) &&
                         leave_policy(other, options_) == LeavePolicy::remove;
    const auto subject = "Blink " + std::string(entity_name(other)) + " id " + std::to_string(remote->id);
    error(entity, record.local_id, std::nullopt,
          leaving ? "waits for the next cycle: " + subject +
                        " uses this email and left the roster, so it is deleted at the end of this cycle"
                  : "not created because " + subject +
                        " already uses this email (staff and student-logins share one user table); "
                        "change the email in the roster or in Blink");
    return true;
  }

  // Returns the first record in Blink's list of `entity` with this natural
  // key, or nullptr. The index is built on first use, once per entity, so
  // each new record costs one lookup rather than a pass over the list.
  const RemoteRecord* find_remote_by_key(Entity entity, const std::string& key) {
    auto& index = remote_by_key_[static_cast<int>(entity)];
    const auto& records = remote_.of(entity).records;
    if (!index) {
      index.emplace();
      index->reserve(records.size());
      for (std::size_t i = 0; i < records.size(); ++i) {
        index->emplace(natural_key(entity, records[i].fields), i);
      }
    }
    const auto found = index->find(key);
    return found == index->end() ? nullptr : &records[found->second];
  }

  void plan_leavers(Entity entity) {
    const auto& roster = desired_.of(entity);
    const auto policy = leave_policy(entity, options_);
    if (policy == LeavePolicy::keep || mapping_.size(entity) == 0) {
      return;
    }
    if (!leavers_trustworthy(entity, roster)) {
      return;
    }
    const auto& unreadable = remote_.of(entity).unreadable_ids;
    const auto& claimed = claimed_[static_cast<int>(entity)];
    // A record Blink returned but the reader could not decode is left alone,
    // as in plan_record.
    for (const auto* mapped : matches_[static_cast<int>(entity)].not_in_roster) {
      const bool leaver = roster.invalid_ids.count(mapped->local_id) == 0;
      if (leaver && claimed.count(mapped->blink_id) == 0 && unreadable.count(mapped->blink_id) == 0) {
        plan_leaver(entity, *mapped, policy);
      }
    }
  }

  // An empty result or a row without an id makes every mapped record look
  // like a leaver: that is a broken query, not the whole roster leaving.
  bool leavers_trustworthy(Entity entity, const EntityRoster& roster) {
    const auto name = std::string(entity_name(entity));
    if (roster.row_count == 0) {
      error(entity, "", std::nullopt,
            "the " + name + " query returned no rows while " + std::to_string(mapping_.size(entity)) +
                " are mapped; treating it as a broken query, so none is discharged or deleted. "
                "Check the roster query");
      return false;
    }
    if (roster.rows_without_id) {
      error(entity, "", std::nullopt,
            "a row of the " + name +
                " query has no local_id, so no record can be told to have left; none is discharged "
                "or deleted this cycle");
      return false;
    }
    return true;
  }

  void plan_leaver(Entity entity, const MappedRecord& mapped, LeavePolicy policy) {
    const auto& remote = remote_.of(entity);
    const auto* current = remote.find(mapped.blink_id);
    auto operation = make_operation(Action::remove, entity, mapped.local_id, mapped.blink_id);
    operation.reason = "left the roster";

    if (current == nullptr && remote.confirmed_missing.count(mapped.blink_id) != 0) {
      operation.action = Action::forget;
      operation.reason = "left the roster and is gone from Blink";
      push(std::move(operation));
      return;
    }
    if (policy == LeavePolicy::remove) {
      push(std::move(operation));
      return;
    }
    plan_discharge(mapped, current, std::move(operation));
  }

  void plan_discharge(const MappedRecord& mapped, const RemoteRecord* current, Operation operation) {
    const auto slot = *field_index(Entity::student, "discharged");
    const auto& compared = options_.resync && current != nullptr ? current->fields : mapped.synced;
    const bool discharged = compared.get(slot) == "1";
    if (discharged) {
      return;
    }
    operation.action = Action::discharge;
    operation.send = FieldValues(Entity::student);
    operation.send.set(slot, "1");
    operation.synced_after = mapped.synced;
    merge_known(operation.synced_after, operation.send);
    operation.changed.emplace_back("discharged");
    push(std::move(operation));
  }

  // ---- Edits made in Blink and records that exist only there ----

  MergeRules merge_rules(Entity entity) const {
    return MergeRules{options_.field_owners, options_.conflict_policy, options_.open_conflicts,
                      &options_.roster_takes[static_cast<std::size_t>(entity)], !options_.resync};
  }

  // Sets the Blink-owned slots of an adopted record's last-synced copy to
  // the roster's values.
  void keep_roster_values_of_blink_owned(Entity entity, const FieldValues& desired, FieldValues& synced) const {
    for (std::size_t i = 0; i < fields_of(entity).size(); ++i) {
      const auto value = desired.get(i);
      if (value && options_.field_owners.owner(entity, i) == FieldOwner::blink) {
        synced.set(i, *value);
      }
    }
  }

  void take_conflicts(RecordMerge& merge) {
    for (auto& conflict : merge.conflicts) {
      plan_.conflicts.push_back(std::move(conflict));
    }
    for (auto& key : merge.resolved) {
      plan_.resolved_conflicts.push_back(std::move(key));
    }
  }

  // Returns true when `updates` gives a slot a value other than the one
  // `synced` holds, so the last-synced copy must be written even without a
  // call.
  static bool changes_synced_copy(const FieldValues& synced, const FieldValues& updates) {
    for (std::size_t i = 0; i < updates.size(); ++i) {
      const auto& update = value_at(updates, i);
      if (update && update != value_at(synced, i)) {
        return true;
      }
    }
    return false;
  }

  std::string update_reason(const Operation& operation) const {
    if (operation.changed.empty()) {
      return has_any_value(operation.pulled) ? "changed in Blink; writing back to the roster"
                                             : "both sides changed to the same value";
    }
    if (operation.changed == std::vector<std::string>{"linked_student_ids"}) {
      return "links differ from Blink";
    }
    if (options_.resync) {
      return "differs from Blink";
    }
    return operation.drift.size() == operation.changed.size() ? "changed in Blink; putting the roster's values back"
                                                              : "changed in the roster";
  }

  void plan_blink_only_records(Entity entity) {
    const auto policy = options_.blink_only[static_cast<int>(entity)];
    if (policy == BlinkOnlyPolicy::ignore) {
      return;
    }
    const BlinkOnlyContext context{desired_.of(entity), remote_.of(entity), mapping_,
                                   claimed_[static_cast<int>(entity)]};
    auto found = find_blink_only_records(entity, context);
    if (policy == BlinkOnlyPolicy::import) {
      for (auto& record : found.records) {
        plan_.blink_only.push_back(std::move(record));
      }
      return;
    }
    if (found.deletion_blocked) {
      if (!found.records.empty()) {
        error(entity, "", std::nullopt, *found.deletion_blocked);
      }
      return;
    }
    for (const auto& record : found.records) {
      auto operation = make_operation(Action::remove, entity, "", record.blink_id);
      operation.reason = "only in Blink";
      push(std::move(operation));
    }
  }

  static bool is_leaver(const EntityRoster& roster, const std::string& local_id) {
    return roster.find(local_id) == nullptr && roster.invalid_ids.count(local_id) == 0;
  }

  static std::string natural_key_name(Entity entity) {
    return entity == Entity::student ? "first name, last name and date of birth" : "email";
  }

  void push(Operation operation) {
    if (operation.entity == Entity::student &&
        (operation.action == Action::create || operation.action == Action::adopt)) {
      mark_planned_student(operation.local_id);
    }
    plan_.operations.push_back(std::move(operation));
  }

  void mark_planned_student(const std::string& local_id) {
    const auto row = student_row(local_id);
    if (row) {
      planned_student_rows_[*row] = true;
    } else {
      planned_students_.insert(local_id);
    }
  }

  void error(Entity entity, const std::string& local_id, std::optional<std::int64_t> blink_id,
             std::string message) {
    plan_.errors.push_back(RecordError{entity, local_id, blink_id, 0, std::move(message)});
  }

  const DesiredState& desired_;
  const RemoteState& remote_;
  const IdentityMap& mapping_;
  const PlanOptions& options_;
  Plan plan_;
  std::array<std::optional<std::unordered_map<std::string, std::vector<std::int64_t>>>, 3> candidates_;
  std::array<std::unordered_set<std::int64_t>, 3> claimed_;
  std::array<std::optional<std::unordered_map<std::string, std::size_t>>, 3> remote_by_key_;
  std::array<std::optional<bool>, 3> any_mapped_listed_;
  // Students created or adopted in this plan: flags aligned with the
  // student roster's records, and the local ids of any others.
  std::vector<bool> planned_student_rows_;
  std::unordered_set<std::string> planned_students_;
  std::array<bool, 3> links_held_{};
  std::array<bool, 3> all_missing_reported_{};
  std::array<RosterMatch, 3> matches_;
  // The link target of each student, aligned with the student roster's records.
  std::vector<std::optional<std::int64_t>> student_link_targets_;
};

}  // namespace

Plan plan_sync(const DesiredState& desired, const RemoteState& remote, const IdentityMap& mapping,
               const PlanOptions& options) {
  return Planner(desired, remote, mapping, options).run();
}

}  // namespace blink_sync
