#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "mapping/entity.hpp"
#include "mapping/fields.hpp"
#include "mapping/remote_state.hpp"

namespace blink_sync {

// The values a write-back statement's named parameters are bound to, by
// parameter name, as text in the form PostgreSQL reads for the column's
// type. A name without a value is bound as NULL.
struct WriteBackValues {
  Entity entity = Entity::student;
  std::string local_id;
  std::int64_t blink_id = 0;
  std::map<std::string, std::optional<std::string>> named;

  // Returns the value bound to `name`, or nullopt for NULL.
  std::optional<std::string> value_of(const std::string& name) const;
};

// Returns the values of a record: its ids and entity, then what Blink
// returned for it when `remote` is set (activated as "true" or "false",
// timestamps as "YYYY-MM-DD HH:MM:SS" in Blink's zone, linked student ids
// as a PostgreSQL array such as "{4,7}"). Fields Blink did not return are
// taken from `fallback` when it is set, so a create whose response carried
// no record still passes the fields it sent.
WriteBackValues write_back_values(Entity entity, const std::string& local_id, std::int64_t blink_id,
                                  const RemoteRecord* remote, const FieldValues* fallback = nullptr);

// Returns the values of a changed_in_blink statement. The ids and the
// values only Blink has (join link, activation, timestamps, links) come from
// `remote`. The field parameters hold `pulled` where it has a value, else
// the roster's value from `roster`, never Blink's: a roster-owned field that
// someone edited in Blink is put back there, and must not reach the roster.
// Without `roster` the other field parameters are NULL. :pulled_fields names
// the pulled ones as a text array, such as "{phone}", so a statement can
// write a column only when its field was pulled.
WriteBackValues changed_in_blink_values(Entity entity, const std::string& local_id, std::int64_t blink_id,
                                        const RemoteRecord* remote, const FieldValues* roster,
                                        const FieldValues& pulled);

}  // namespace blink_sync
