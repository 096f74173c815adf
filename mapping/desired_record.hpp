#pragma once

#include <cstdint>
#include <limits>
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

  // For each linked student, in the same order, its index among the valid
  // student records, or kNotInRoster. DesiredStateBuilder fills it so the
  // planner resolves a million links without looking each id up again. A
  // record built another way may leave it empty, which has_linked_rows()
  // reports.
  std::vector<std::uint32_t> linked_student_rows;
  static constexpr std::uint32_t kNotInRoster = std::numeric_limits<std::uint32_t>::max();

  bool has_linked_rows() const { return linked_student_rows.size() == linked_students.size(); }
};

}  // namespace blink_sync
