// Times RemoteCopy::store_read, the bulk write of blink_sync.remote_records,
// for a number of students against a database that has the blink_sync
// schema. Every student is mapped, so the second and third passes also
// compare each record with its copy. A fourth pass changes every record
// again with a changed_in_blink statement configured, which updates one row
// of the table bench_roster (created here) per student.
// Usage: remote_copy_bench DATABASE_URL [STUDENTS]

#include <pqxx/connection>
#include <pqxx/transaction>

#include <chrono>
#include <iostream>
#include <string>

#include "daemon/remote_copy.hpp"
#include "daemon/write_back.hpp"

namespace {

using namespace blink_sync;

RemoteState synthetic_state(int students, const std::string& notes) {
  RemoteState state;
  for (int i = 1; i <= students; ++i) {
    RemoteRecord record;
    record.id = i;
    record.fields = FieldValues(Entity::student);
    const auto set = [&](std::string_view key, std::string value) {
      record.fields.set(*field_index(Entity::student, key), value);
    };
    set("first_name", "Pupil");
    set("last_name", "Number " + std::to_string(i));
    set("date_of_birth", "01/02/2015");
    set("student_timezone", "America/Denver");
    set("notes", notes);
    set("location_id", "");
    set("discharged", "0");
    record.created_at = "2024-01-02 03:04:05";
    record.updated_at = "2024-01-02 03:04:05";
    state.students.add(std::move(record));
  }
  return state;
}

long long timed_store(pqxx::connection& connection, const RemoteState& state, const IdentityMap& mapping,
                      const WriteBackConfig& statements = {}) {
  WriteBackRunner runner(statements);
  std::array<ListReadSummary, 3> summaries{};
  summaries[0] = ListReadSummary{true, true, 0, "", 0};
  const auto started = std::chrono::steady_clock::now();
  RemoteCopy(connection, runner).store_read(state, summaries, mapping, DesiredState{});
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: remote_copy_bench DATABASE_URL [STUDENTS]\n";
    return 2;
  }
  const int students = argc > 2 ? std::stoi(argv[2]) : 10000;
  pqxx::connection connection(argv[1]);
  {
    pqxx::work transaction(connection);
    transaction.exec("DELETE FROM blink_sync.remote_records");
    transaction.commit();
  }

  IdentityMap mapping;
  for (int i = 1; i <= students; ++i) {
    mapping.upsert(MappedRecord{Entity::student, std::to_string(i), i, FieldValues(Entity::student), std::nullopt});
  }
  const auto first = synthetic_state(students, "first");
  const auto changed = synthetic_state(students, "changed");
  std::cout << "students=" << students << " insert_ms=" << timed_store(connection, first, mapping)
            << " unchanged_ms=" << timed_store(connection, first, mapping)
            << " all_changed_ms=" << timed_store(connection, changed, mapping) << std::flush;

  {
    pqxx::work transaction(connection);
    transaction.exec("DROP TABLE IF EXISTS bench_roster");
    transaction.exec("CREATE TABLE bench_roster (id integer PRIMARY KEY, blink_id bigint)");
    transaction.exec_params("INSERT INTO bench_roster (id) SELECT generate_series(1, $1)", students);
    transaction.commit();
  }
  WriteBackConfig statements;
  const auto statement = to_positional("UPDATE bench_roster SET blink_id = :blink_id WHERE id = :local_id",
                                       write_back_parameter_names(Entity::student));
  statements.statements[0][static_cast<std::size_t>(WriteBackEvent::changed_in_blink)] =
      WriteBackStatement{"write_back.students.changed_in_blink", std::get<PositionalStatement>(statement)};
  std::cout << " all_changed_with_write_back_ms=" << timed_store(connection, first, mapping, statements) << "\n";
  return 0;
}
