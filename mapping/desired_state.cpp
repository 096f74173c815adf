#include "mapping/desired_state.hpp"

#include <algorithm>
#include <boost/unordered/unordered_flat_map.hpp>
#include <map>

#include "mapping/local_id_order.hpp"
#include "mapping/natural_key.hpp"
#include "mapping/text.hpp"

namespace blink_sync {
namespace {

const char* const kFixRow = "; correct the row in the roster";

std::string read_id(const RosterRow& row, std::string_view column) {
  const auto cell = row.get(column);
  if (!cell || !*cell) {
    return {};
  }
  return std::string(trim(**cell));
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
  PendingLink link{read_id(row, staff ? "staff_local_id" : "login_local_id"),
                   read_id(row, "student_local_id")};
  ++(staff ? state_.staff_link_rows : state_.login_link_rows);
  (staff ? staff_links_ : login_links_).push_back(std::move(link));
}

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
  boost::unordered_flat_map<std::string, int> counts;
  counts.reserve(roster.records.size());
  for (const auto& record : roster.records) {
    ++counts[record.local_id];
  }
  for (const auto& id : roster.invalid_ids) {
    const auto found = counts.find(id);
    if (found != counts.end()) {
      ++found->second;
    }
  }

  // Hashing keeps the count linear, and the few duplicates are then sorted
  // so that their errors come in a fixed order.
  std::map<std::string, int> duplicates;
  for (const auto& [id, count] : counts) {
    if (count > 1) {
      duplicates.emplace(id, count);
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
  sort_by_local_id(roster.records);
  boost::unordered_flat_map<std::string, std::string> first_holder;
  first_holder.reserve(roster.records.size());
  invalidate_if(roster, [&](const DesiredRecord& record) {
    const auto [holder, inserted] =
        first_holder.emplace(natural_key(Entity::student, record.fields), record.local_id);
    if (inserted) {
      return false;
    }
    record_error(Entity::student, record.local_id,
                 "same first name, last name and date of birth as student local_id " +
                     holder->second + ", which Blink refuses as a duplicate; merge or correct the rows");
    return true;
  });
}

// Staff and student-logins share Blink's user table, where an email is
// unique without regard to case. Staff are kept first, then logins, each in
// local id order.
void DesiredStateBuilder::reject_duplicate_emails() {
  boost::unordered_flat_map<std::string, std::pair<Entity, std::string>> first_holder;
  first_holder.reserve(state_.staff.records.size() + state_.student_logins.records.size());
  for (const auto entity : {Entity::staff, Entity::student_login}) {
    auto& roster = state_.of(entity);
    sort_by_local_id(roster.records);
    invalidate_if(roster, [&](const DesiredRecord& record) {
      const auto [holder, inserted] =
          first_holder.emplace(natural_key(entity, record.fields), std::pair{entity, record.local_id});
      if (inserted) {
        return false;
      }
      record_error(entity, record.local_id,
                   "email is already used by " + std::string(entity_name(holder->second.first)) +
                       " local_id " + holder->second.second +
                       " (Blink needs a unique email across staff and student-logins); change one of them");
      return true;
    });
  }
}

// A link to a student the students query did not return is kept, with one
// error per owner: it resolves through the mapping, so a broken students
// query cannot unlink everyone, and a student never synced stays unlinked.
void DesiredStateBuilder::attach_links(Entity owner, std::vector<PendingLink>& links) {
  auto& roster = state_.of(owner);
  index(roster);
  const auto& students = state_.students;
  std::map<std::string, std::vector<std::string>> unknown_students;
  for (auto& link : links) {
    if (link.owner.empty() || link.student.empty()) {
      record_error(owner, link.owner, "link row has an empty id; correct the link query or its rows");
      continue;
    }
    const auto found = roster.by_local_id.find(link.owner);
    if (found == roster.by_local_id.end()) {
      if (roster.invalid_ids.count(link.owner) == 0) {
        record_error(owner, link.owner,
                     "link from a " + std::string(entity_name(owner)) +
                         " local_id that the query did not return; the link is skipped");
      }
      continue;
    }
    const bool student_known =
        students.by_local_id.count(link.student) != 0 || students.invalid_ids.count(link.student) != 0;
    if (!student_known) {
      unknown_students[link.owner].push_back(link.student);
    }
    roster.records[found->second].linked_students.push_back(std::move(link.student));
  }

  for (auto& record : roster.records) {
    auto& linked = record.linked_students;
    std::sort(linked.begin(), linked.end());
    linked.erase(std::unique(linked.begin(), linked.end()), linked.end());
  }
  report_unknown_students(owner, unknown_students);

  // Every link now lives in its owner's record, so the pending copies are
  // freed before the rosters are indexed, which lowers the peak memory.
  std::vector<PendingLink>().swap(links);
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
  sort_by_local_id(roster.records);
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
