#include "mapping/desired_state.hpp"

#include <algorithm>
#include <cassert>
#include <boost/unordered/unordered_flat_map.hpp>
#include <map>

#include "mapping/local_id_order.hpp"
#include "mapping/natural_key.hpp"
#include "mapping/text.hpp"

namespace blink_sync {
namespace {

const char* const kFixRow = "; correct the row in the roster";

std::string_view read_id(const RosterRow& row, std::string_view column) {
  const auto cell = row.get(column);
  if (!cell || !*cell) {
    return {};
  }
  return trim(**cell);
}

// Moves the records matching `reject` out of the roster into its invalid ids.
template <typename Predicate>
void invalidate_if(EntityRoster& roster, Predicate reject) {
  auto& records = roster.records;
  const auto first_rejected = std::stable_partition(
      records.begin(), records.end(), [&](const DesiredRecord& record) { return !reject(record); });
  for (auto it = first_rejected; it != records.end(); ++it) {
    roster.invalid_ids.insert(it->local_id);
  }
  records.erase(first_rejected, records.end());
}

// Moves the records whose flag in `rejected` is set out of the roster into
// its invalid ids, keeping the order of the others.
void invalidate_rejected(EntityRoster& roster, const std::vector<bool>& rejected) {
  auto& records = roster.records;
  std::size_t kept_count = 0;
  for (std::size_t i = 0; i < records.size(); ++i) {
    if (rejected[i]) {
      roster.invalid_ids.insert(records[i].local_id);
      continue;
    }
    if (kept_count != i) {
      records[kept_count] = std::move(records[i]);
    }
    ++kept_count;
  }
  records.resize(kept_count);
}

// The natural keys of a roster's records, in record order and back to back
// in one buffer, so checking a million keys for duplicates costs no heap
// allocation per key.
class NaturalKeys {
 public:
  NaturalKeys(Entity entity, const std::vector<DesiredRecord>& records) {
    ends_.reserve(records.size());
    for (const auto& record : records) {
      append_natural_key(entity, record.fields, text_);
      ends_.push_back(text_.size());
    }
  }

  std::size_t size() const { return ends_.size(); }

  std::string_view operator[](std::size_t i) const {
    const auto begin = i == 0 ? 0 : ends_[i - 1];
    return std::string_view(text_).substr(begin, ends_[i] - begin);
  }

 private:
  std::string text_;
  std::vector<std::size_t> ends_;
};

// The first record seen with each natural key: its entity and its index in
// that entity's records.
using KeyHolders = boost::unordered_flat_map<std::string_view, std::pair<Entity, std::size_t>>;

// Returns a flag per record, set when an earlier record already has its
// natural key, and calls report(index, holder) for each such record. Adds
// the other records to `holders`.
template <typename Report>
std::vector<bool> find_taken_keys(Entity entity, const NaturalKeys& keys, KeyHolders& holders, Report report) {
  std::vector<bool> taken(keys.size());
  for (std::size_t i = 0; i < keys.size(); ++i) {
    const auto [holder, inserted] = holders.emplace(keys[i], std::pair{entity, i});
    if (!inserted) {
      taken[i] = true;
      report(i, holder->second);
    }
  }
  return taken;
}

}  // namespace

const DesiredRecord* EntityRoster::find(const std::string& local_id) const {
  const auto found = by_local_id.find(local_id);
  return found == by_local_id.end() ? nullptr : &records[found->second];
}

EntityRoster& DesiredState::of(Entity entity) {
  return select_by_entity(entity, students, student_logins, staff);
}

const EntityRoster& DesiredState::of(Entity entity) const {
  return select_by_entity(entity, students, student_logins, staff);
}

DesiredStateBuilder::DesiredStateBuilder(ValidationContext context) : context_(std::move(context)) {}

void DesiredStateBuilder::expect_records(Entity entity, std::size_t count) { state_.of(entity).records.reserve(count); }

void DesiredStateBuilder::add_record_row(Entity entity, const RosterRow& row) {
  auto& roster = state_.of(entity);
  ++roster.row_count;

  auto result = validate_row(entity, row, context_);
  if (result.local_id.empty()) {
    roster.rows_without_id = true;
  }
  if (!result.record) {
    record_error(entity, result.local_id, "invalid roster row: " + join(result.problems, "; ") + kFixRow);
    if (!result.local_id.empty()) {
      roster.invalid_ids.insert(result.local_id);
    }
    return;
  }
  roster.records.push_back(std::move(*result.record));
}

void DesiredStateBuilder::add_link_row(LinkKind kind, const RosterRow& row) {
  const bool staff = kind == LinkKind::staff_students;
  ++(staff ? state_.staff_link_rows : state_.login_link_rows);
  (staff ? staff_links_ : login_links_)
      .add(read_id(row, staff ? "staff_local_id" : "login_local_id"), read_id(row, "student_local_id"));
}

// reject_duplicate_ids sorts each roster by local id. The later steps
// only remove records and keep the others in order, so they sort nothing.
DesiredState DesiredStateBuilder::finish() && {
  for (const auto entity : {Entity::student, Entity::student_login, Entity::staff}) {
    reject_duplicate_ids(entity);
  }
  reject_duplicate_students();
  reject_duplicate_emails();

  // attach_links indexes the owners' rosters, and from here on no record
  // moves, so each roster is indexed once.
  index(state_.students);
  attach_links(Entity::student_login, login_links_);
  attach_links(Entity::staff, staff_links_);
  return std::move(state_);
}

// Two rows with one local id cannot both be right: neither is synced, and
// neither is treated as having left.
void DesiredStateBuilder::reject_duplicate_ids(Entity entity) {
  auto& roster = state_.of(entity);
  auto& records = roster.records;
  const auto less = [](const DesiredRecord& a, const DesiredRecord& b) { return natural_less(a.local_id, b.local_id); };

  // natural_less never treats two distinct ids as equivalent, so once sorted
  // the rows of one id are adjacent and counting them takes no hash table.
  sort_by_local_id(records);
  std::map<std::string, std::size_t> duplicates;  // sorted, so the errors come in a fixed order
  for (std::size_t first = 0; first < records.size();) {
    std::size_t end = first + 1;
    while (end < records.size() && records[end].local_id == records[first].local_id) {
      ++end;
    }
    if (end - first > 1) {
      duplicates.emplace(records[first].local_id, end - first);
    }
    first = end;
  }
  for (const auto& id : roster.invalid_ids) {
    const auto [begin, end] = std::equal_range(records.begin(), records.end(), DesiredRecord{id, {}, {}, {}}, less);
    if (begin != end) {
      duplicates[id] = static_cast<std::size_t>(end - begin) + 1;
    }
  }

  for (const auto& [id, count] : duplicates) {
    record_error(entity, id,
                 "local_id appears in " + std::to_string(count) +
                     " rows of the query; make local_id unique");
  }
  invalidate_if(roster, [&](const DesiredRecord& record) { return duplicates.count(record.local_id) != 0; });
}

// Blink refuses a second student with the same first name, last name and
// date of birth, so the later rows are reported instead of sent.
void DesiredStateBuilder::reject_duplicate_students() {
  auto& roster = state_.students;
  const NaturalKeys keys(Entity::student, roster.records);
  KeyHolders holders;
  holders.reserve(keys.size());
  const auto rejected = find_taken_keys(Entity::student, keys, holders, [&](std::size_t i, const auto& holder) {
    record_error(Entity::student, roster.records[i].local_id,
                 "same first name, last name and date of birth as student local_id " +
                     roster.records[holder.second].local_id +
                     ", which Blink refuses as a duplicate; merge or correct the rows");
  });
  invalidate_rejected(roster, rejected);
}

// Staff and student-logins share Blink's user table, where an email is
// unique without regard to case. Staff are kept first, then logins, each in
// local id order.
void DesiredStateBuilder::reject_duplicate_emails() {
  auto& staff = state_.staff;
  auto& logins = state_.student_logins;
  const NaturalKeys staff_keys(Entity::staff, staff.records);
  const NaturalKeys login_keys(Entity::student_login, logins.records);
  KeyHolders holders;
  holders.reserve(staff_keys.size() + login_keys.size());

  // Both rosters are checked before either loses a record, so a holder's
  // index stays valid for the error message.
  const auto report_to = [&](Entity entity) {
    return [&, entity](std::size_t i, const std::pair<Entity, std::size_t>& holder) {
      record_error(entity, state_.of(entity).records[i].local_id,
                   "email is already used by " + std::string(entity_name(holder.first)) + " local_id " +
                       state_.of(holder.first).records[holder.second].local_id +
                       " (Blink needs a unique email across staff and student-logins); change one of them");
    };
  };
  const auto staff_rejected = find_taken_keys(Entity::staff, staff_keys, holders, report_to(Entity::staff));
  const auto login_rejected =
      find_taken_keys(Entity::student_login, login_keys, holders, report_to(Entity::student_login));
  invalidate_rejected(staff, staff_rejected);
  invalidate_rejected(logins, login_rejected);
}

// A link to a student the students query did not return is kept, with one
// error per owner: it resolves through the mapping, so a broken students
// query cannot unlink everyone, and a student never synced stays unlinked.
void DesiredStateBuilder::attach_links(Entity owner, LinkRows& links) {
  auto& roster = state_.of(owner);
  index(roster);
  move_links_to_owners(owner, roster, links);

  // Every link now lives in its owner's record, so the pending copies are
  // freed before the student rows are looked up, which lowers the peak memory.
  links.release();

  const auto unknown_students = find_student_rows(roster);
  report_unknown_students(owner, unknown_students);
}

// Link queries usually return an owner's rows together, so the owner found
// for one row is tried first for the next, which spares most lookups.
void DesiredStateBuilder::move_links_to_owners(Entity owner, EntityRoster& roster, const LinkRows& links) {
  DesiredRecord* previous_owner = nullptr;
  for (std::size_t row = 0; row < links.size(); ++row) {
    const auto owner_id = links.owner(row);
    const auto student_id = links.student(row);
    if (owner_id.empty() || student_id.empty()) {
      record_error(owner, std::string(owner_id), "link row has an empty id; correct the link query or its rows");
      continue;
    }
    if (previous_owner == nullptr || previous_owner->local_id != owner_id) {
      const auto found = roster.by_local_id.find(owner_id);
      previous_owner = found == roster.by_local_id.end() ? nullptr : &roster.records[found->second];
    }
    if (previous_owner == nullptr) {
      if (roster.invalid_ids.count(std::string(owner_id)) == 0) {
        record_error(owner, std::string(owner_id),
                     "link from a " + std::string(entity_name(owner)) +
                         " local_id that the query did not return; the link is skipped");
      }
      continue;
    }
    previous_owner->linked_students.emplace_back(student_id);
  }
}

// Sorts each record's links, drops repeats, and notes each linked
// student's row among the valid students. Returns, per owner, the students
// that the students query did not return at all.
std::map<std::string, std::vector<std::string>> DesiredStateBuilder::find_student_rows(EntityRoster& roster) const {
  const auto& students = state_.students;
  std::map<std::string, std::vector<std::string>> unknown_students;
  for (auto& record : roster.records) {
    auto& linked = record.linked_students;
    std::sort(linked.begin(), linked.end());
    linked.erase(std::unique(linked.begin(), linked.end()), linked.end());

    record.linked_student_rows.resize(linked.size());
    for (std::size_t i = 0; i < linked.size(); ++i) {
      const auto found = students.by_local_id.find(linked[i]);
      if (found != students.by_local_id.end()) {
        record.linked_student_rows[i] = static_cast<std::uint32_t>(found->second);
        continue;
      }
      record.linked_student_rows[i] = DesiredRecord::kNotInRoster;
      if (students.invalid_ids.count(linked[i]) == 0) {
        unknown_students[record.local_id].push_back(linked[i]);
      }
    }
  }
  return unknown_students;
}

void DesiredStateBuilder::report_unknown_students(
    Entity owner, const std::map<std::string, std::vector<std::string>>& unknown_students) {
  constexpr std::size_t kListed = 5;
  for (const auto& [owner_id, students] : unknown_students) {
    std::string listed;
    for (std::size_t i = 0; i < students.size() && i < kListed; ++i) {
      listed += (listed.empty() ? "" : ", ") + students[i];
    }
    if (students.size() > kListed) {
      listed += " and " + std::to_string(students.size() - kListed) + " more";
    }
    record_error(owner, owner_id,
                 "linked to " + std::to_string(students.size()) +
                     " student local_id(s) that the students query did not return (" + listed +
                     "); their existing Blink links are kept. Check the link query and the students query");
  }
}

void DesiredStateBuilder::index(EntityRoster& roster) {
  const auto less = [](const DesiredRecord& a, const DesiredRecord& b) { return natural_less(a.local_id, b.local_id); };
  assert(std::is_sorted(roster.records.begin(), roster.records.end(), less));
  static_cast<void>(less);  // unused when NDEBUG removes the assert
  roster.by_local_id.clear();
  roster.by_local_id.reserve(roster.records.size());
  for (std::size_t i = 0; i < roster.records.size(); ++i) {
    roster.by_local_id.emplace(roster.records[i].local_id, i);
  }
}

void DesiredStateBuilder::record_error(Entity entity, const std::string& local_id, std::string message) {
  state_.errors.push_back(RecordError{entity, local_id, std::nullopt, 0, std::move(message)});
}

}  // namespace blink_sync
