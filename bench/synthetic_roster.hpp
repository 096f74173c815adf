#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "mapping/desired_state.hpp"
#include "mapping/entity.hpp"
#include "mapping/roster_row.hpp"
#include "mapping/row_validation.hpp"

namespace blink_sync::bench {

// The difference between the roster and what the last sync sent.
enum class Scenario {
  steady,               // nothing changed since the last full sync
  one_percent_changed,  // 1% of each entity edited, new or gone, in equal thirds
};

// The order of the local ids in record index order, which is the order in
// which the roster rows arrive and in which Blink assigned its ids.
enum class IdOrder {
  scrambled,  // as from a query without ORDER BY: the builder must sort every roster
  ascending,  // as from the reference queries, which order by local id
};

// Which copy of a record to generate: as the last sync sent it, or as the
// roster has it now. The two differ only for edited records.
enum class Version { synced, current };

// Record counts for a roster of `students`: 0.8 student-logins and 0.03
// staff per student, and about 3 links per student (1.5 per login, 60 per
// staff member).
struct RosterSize {
  std::size_t students = 0;
  std::size_t student_logins = 0;
  std::size_t staff = 0;

  static RosterSize for_students(std::size_t students);
  std::size_t of(Entity entity) const;
};

// A deterministic synthetic roster: the same index always yields the same
// record, so the roster, Blink and the mapping table can be generated
// separately and still agree. Not thread-safe, because rows reuse buffers.
class SyntheticRoster {
 public:
  SyntheticRoster(RosterSize size, Scenario scenario, IdOrder id_order = IdOrder::scrambled);

  const RosterSize& size() const { return size_; }

  // Whether record `index` is in the roster now, and whether the last sync
  // put it in Blink. A new record is only in the roster, a record that left
  // is only in Blink.
  bool in_roster(Entity entity, std::size_t index) const;
  bool in_blink(Entity entity, std::size_t index) const;

  std::string local_id(Entity entity, std::size_t index) const;
  std::int64_t blink_id(Entity entity, std::size_t index) const;

  // Returns the roster row of a record, valid until the next call.
  const RosterRow& record_row(Entity entity, std::size_t index, Version version);

  // Returns the indexes of the students a login or staff member is linked
  // to, limited to students present on the side that `version` describes.
  std::vector<std::size_t> linked_students(Entity owner, std::size_t index, Version version) const;

  // Streams every current roster row, record and link, into `sink` the way
  // the daemon's roster reader streams them into a DesiredStateBuilder. Any
  // type with the builder's add_record_row and add_link_row will do.
  template <typename Sink>
  void feed(Sink& sink) {
    for (const auto entity : {Entity::student, Entity::student_login, Entity::staff}) {
      for (std::size_t i = 0; i < size_.of(entity); ++i) {
        if (in_roster(entity, i)) {
          sink.add_record_row(entity, record_row(entity, i, Version::current));
        }
      }
    }
    feed_links(sink, Entity::staff, LinkKind::staff_students);
    feed_links(sink, Entity::student_login, LinkKind::login_students);
  }

 private:
  enum class Change { none, edited, added, removed };

  Change change_of(std::size_t index) const;
  void fill_student(std::size_t index, bool edited);
  void fill_login(std::size_t index, bool edited);
  void fill_staff(std::size_t index, bool edited);
  template <typename Sink>
  void feed_links(Sink& sink, Entity owner, LinkKind kind) {
    RosterRow row{kind == LinkKind::staff_students ? &staff_link_columns_ : &login_link_columns_, {}};
    for (std::size_t i = 0; i < size_.of(owner); ++i) {
      if (!in_roster(owner, i)) {
        continue;
      }
      for (const auto student : linked_students(owner, i, Version::current)) {
        row.values = {local_id(owner, i), local_id(Entity::student, student)};
        sink.add_link_row(kind, row);
      }
    }
  }

  RosterSize size_;
  Scenario scenario_;
  IdOrder id_order_;
  ColumnSet student_columns_;
  ColumnSet login_columns_;
  ColumnSet staff_columns_;
  ColumnSet login_link_columns_;
  ColumnSet staff_link_columns_;
  RosterRow row_;
};

// A sink that only counts rows, to measure what generating them costs.
struct RowCounter {
  std::size_t rows = 0;

  void add_record_row(Entity, const RosterRow&) { ++rows; }
  void add_link_row(LinkKind, const RosterRow&) { ++rows; }
};

// The validation context the benchmarks use: a fixed today and a short list
// of known time zones, so no run depends on the clock or the tz database.
ValidationContext bench_validation_context();

}  // namespace blink_sync::bench
