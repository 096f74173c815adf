// In-memory organisation data: students, users (staff and student-logins)
// and the links between users and students.
//
// The store enforces no API rules. Validation lives with the endpoints so
// that the control API can reuse it. Not thread-safe: the server uses it
// from its one io_context thread.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string_view>
#include <utility>
#include <vector>

#include "event_book.hpp"
#include "records.hpp"

namespace fake_blink {

// First ids of the two sequences. They differ so that a client that mixes a
// student id with a user id gets a 404 instead of the wrong record.
inline constexpr RecordId kFirstUserId = 1001;
inline constexpr RecordId kFirstStudentId = 5001;

class Store {
 public:
  // Inserts `student` under the next student id and returns the stored copy.
  Student& add_student(Student student);

  // Inserts `user` under the next user id, shared by staff and
  // student-logins, and returns the stored copy.
  User& add_user(User user);

  Student* find_student(RecordId id);
  const Student* find_student(RecordId id) const;

  // Returns the user with `id` only when it is of `kind`, so a staff id
  // looked up as a student-login is not found.
  User* find_user(RecordId id, UserKind kind);
  const User* find_user(RecordId id, UserKind kind) const;

  // Returns the user with `id` of either kind.
  User* find_any_user(RecordId id);

  // Removes the student and its links. Each user that loses a link gets
  // `now` as updated_at. Returns false when there is no such student.
  bool remove_student(RecordId id, Timestamp now);

  // Removes the user and its links. Returns false when there is no such user.
  bool remove_user(RecordId id);

  // Replaces the user's links with `student_ids`. Returns whether the set
  // changed. The caller checks that the ids exist.
  bool replace_links(RecordId user_id, const std::set<RecordId>& student_ids);

  std::vector<RecordId> linked_student_ids(RecordId user_id) const;
  std::vector<RecordId> linked_user_ids(RecordId student_id, UserKind kind) const;

  // Returns whether a user other than `except` has `email`, compared
  // case-insensitively across staff and student-logins.
  bool email_in_use(std::string_view email, std::optional<RecordId> except) const;

  // Returns the student other than `except` with the same first name, last
  // name (both case-insensitive) and date of birth, if any.
  const Student* find_duplicate_student(std::string_view first_name,
                                        std::string_view last_name,
                                        std::string_view date_of_birth,
                                        std::optional<RecordId> except) const;

  const std::map<RecordId, Student>& students() const { return students_; }
  const std::map<RecordId, User>& users() const { return users_; }
  const std::set<std::pair<RecordId, RecordId>>& links() const { return links_; }

  EventBook& events() { return events_; }
  const EventBook& events() const { return events_; }

 private:
  std::map<RecordId, Student> students_;
  std::map<RecordId, User> users_;
  // (user id, student id) pairs, the pivot table of the document's examples.
  std::set<std::pair<RecordId, RecordId>> links_;
  RecordId next_student_id_ = kFirstStudentId;
  RecordId next_user_id_ = kFirstUserId;
  EventBook events_;
};

// Returns `text` in lower case (ASCII only), for case-insensitive matches.
std::string to_lower_ascii(std::string_view text);

}  // namespace fake_blink
