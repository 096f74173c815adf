#pragma once

#include <boost/unordered/unordered_flat_map.hpp>
#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "mapping/desired_record.hpp"
#include "mapping/entity.hpp"
#include "mapping/link_rows.hpp"
#include "mapping/record_error.hpp"
#include "mapping/roster_row.hpp"
#include "mapping/row_validation.hpp"

namespace blink_sync {

// Hashes a local id held as a std::string or a std::string_view alike, so
// an index keyed by local id can be searched without building a string.
struct LocalIdHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view local_id) const noexcept { return std::hash<std::string_view>{}(local_id); }
};

// The valid roster records of one entity and what the planner must know
// about the rows that were not valid.
struct EntityRoster {
  std::vector<DesiredRecord> records;  // sorted by local id
  boost::unordered_flat_map<std::string, std::size_t, LocalIdHash, std::equal_to<>> by_local_id;  // index into records
  std::unordered_set<std::string> invalid_ids;  // rows that failed this cycle
  std::size_t row_count = 0;                    // rows the query returned
  bool rows_without_id = false;  // a row had no usable local id

  const DesiredRecord* find(const std::string& local_id) const;
};

// The whole roster as the planner wants it.
struct DesiredState {
  EntityRoster students;
  EntityRoster student_logins;
  EntityRoster staff;
  std::vector<RecordError> errors;
  // Rows the two link queries returned, valid or not. Zero while Blink
  // has links looks like a broken query rather than everyone unlinked.
  std::size_t staff_link_rows = 0;
  std::size_t login_link_rows = 0;

  EntityRoster& of(Entity entity);
  const EntityRoster& of(Entity entity) const;
};

// The link query a row comes from.
enum class LinkKind { staff_students, login_students };

// Builds the desired state from roster rows as they are read, so rows are
// never held twice. Not thread-safe.
class DesiredStateBuilder {
 public:
  explicit DesiredStateBuilder(ValidationContext context);

  // Makes room for about this many records of an entity, such as the
  // mapping table contains, so a large roster is not copied as it grows.
  void expect_records(Entity entity, std::size_t count);

  void add_record_row(Entity entity, const RosterRow& row);
  void add_link_row(LinkKind kind, const RosterRow& row);

  // Attaches the links, rejects duplicate ids and natural keys, and sorts.
  DesiredState finish() &&;

 private:
  void reject_duplicate_ids(Entity entity);
  void attach_links(Entity owner, LinkRows& links);
  void move_links_to_owners(Entity owner, EntityRoster& roster, const LinkRows& links);
  std::map<std::string, std::vector<std::string>> find_student_rows(EntityRoster& roster) const;
  void report_unknown_students(Entity owner,
                               const std::map<std::string, std::vector<std::string>>& unknown_students);
  void reject_duplicate_emails();
  void reject_duplicate_students();
  void index(EntityRoster& roster);
  void record_error(Entity entity, const std::string& local_id, std::string message);

  ValidationContext context_;
  DesiredState state_;
  LinkRows staff_links_;
  LinkRows login_links_;
};

}  // namespace blink_sync
