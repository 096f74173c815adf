#pragma once

#include <cstdint>
#include <string>

#include "mapping/entity.hpp"

namespace blink_sync {

// Returns the collection path of an entity under the base URL: "/students",
// "/student-logins" or "/staff".
std::string collection_path(Entity entity);

// Returns the path of one record: "/students/951".
std::string record_path(Entity entity, std::int64_t id);

// Returns the DELETE path of one record. The API document gives the
// student-login DELETE as /v1/staff/{studentLoginId}, because staff and
// student-logins are rows of one user table.
std::string delete_path(Entity entity, std::int64_t id);

// Returns the GET target of one record with the same nested objects as the list.
std::string record_target(Entity entity, std::int64_t id);

// Returns the GET target of one page of a list, sorted by id, with the
// nested objects that carry links and notification preferences.
std::string list_target(Entity entity, std::int64_t page, int limit);

// Returns the GET target of one page of a list, newest first (by id
// descending), for looking up records created since the list was read.
std::string newest_first_target(Entity entity, std::int64_t page, int limit);

// Returns the GET target of one page of a list, most recently updated first.
std::string changed_first_target(Entity entity, std::int64_t page, int limit);

}  // namespace blink_sync
