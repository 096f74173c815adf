#pragma once

#include <string>
#include <vector>

#include "mapping/fields.hpp"

namespace blink_sync {

// One roster record after validation: its canonical field values and, for
// student-logins and staff, the local ids of the students linked to it.
struct DesiredRecord {
  std::string local_id;
  FieldValues fields;
  std::vector<std::string> linked_students;  // sorted, without duplicates
};

}  // namespace blink_sync
