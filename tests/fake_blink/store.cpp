#include "store.hpp"

#include <algorithm>
#include <cctype>
#include <string>

namespace fake_blink {

std::string_view path_name(UserKind kind) {
  return kind == UserKind::staff ? "staff" : "student-logins";
}

std::string to_lower_ascii(std::string_view text) {
  std::string lower{text};
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) {
    return static_cast<char>(std::tolower(c));
  });
  return lower;
}

Student& Store::add_student(Student student) {
  student.id = next_student_id_++;
  return students_[student.id] = std::move(student);
}

User& Store::add_user(User user) {
  user.id = next_user_id_++;
  return users_[user.id] = std::move(user);
}

Student* Store::find_student(RecordId id) {
  const auto found = students_.find(id);
  return found == students_.end() ? nullptr : &found->second;
}

const Student* Store::find_student(RecordId id) const {
  return const_cast<Store*>(this)->find_student(id);
}

User* Store::find_user(RecordId id, UserKind kind) {
  User* user = find_any_user(id);
  return user != nullptr && user->kind == kind ? user : nullptr;
}

const User* Store::find_user(RecordId id, UserKind kind) const {
  return const_cast<Store*>(this)->find_user(id, kind);
}

User* Store::find_any_user(RecordId id) {
  const auto found = users_.find(id);
  return found == users_.end() ? nullptr : &found->second;
}

bool Store::remove_student(RecordId id, Timestamp now) {
  if (students_.erase(id) == 0) {
    return false;
  }

  for (auto link = links_.begin(); link != links_.end();) {
    if (link->second != id) {
      ++link;
      continue;
    }
    users_.at(link->first).updated_at = now;
    link = links_.erase(link);
  }
  return true;
}

bool Store::remove_user(RecordId id) {
  if (users_.erase(id) == 0) {
    return false;
  }

  std::erase_if(links_, [id](const auto& link) { return link.first == id; });
  return true;
}

bool Store::replace_links(RecordId user_id, const std::set<RecordId>& student_ids) {
  const auto current = linked_student_ids(user_id);
  const std::set<RecordId> before(current.begin(), current.end());
  if (before == student_ids) {
    return false;
  }

  std::erase_if(links_, [user_id](const auto& link) { return link.first == user_id; });
  for (const RecordId student_id : student_ids) {
    links_.emplace(user_id, student_id);
  }
  return true;
}

std::vector<RecordId> Store::linked_student_ids(RecordId user_id) const {
  std::vector<RecordId> ids;
  for (auto link = links_.lower_bound({user_id, 0});
       link != links_.end() && link->first == user_id; ++link) {
    ids.push_back(link->second);
  }
  return ids;
}

std::vector<RecordId> Store::linked_user_ids(RecordId student_id, UserKind kind) const {
  std::vector<RecordId> ids;
  for (const auto& [user_id, linked_student] : links_) {
    if (linked_student == student_id && users_.at(user_id).kind == kind) {
      ids.push_back(user_id);
    }
  }
  return ids;
}

bool Store::email_in_use(std::string_view email, std::optional<RecordId> except) const {
  const std::string lower_email = to_lower_ascii(email);
  return std::any_of(users_.begin(), users_.end(), [&](const auto& entry) {
    return entry.first != except && to_lower_ascii(entry.second.email) == lower_email;
  });
}

const Student* Store::find_duplicate_student(std::string_view first_name,
                                             std::string_view last_name,
                                             std::string_view date_of_birth,
                                             std::optional<RecordId> except) const {
  const std::string first = to_lower_ascii(first_name);
  const std::string last = to_lower_ascii(last_name);
  for (const auto& [id, student] : students_) {
    if (id != except && to_lower_ascii(student.first_name) == first &&
        to_lower_ascii(student.last_name) == last &&
        student.date_of_birth == date_of_birth) {
      return &student;
    }
  }
  return nullptr;
}

}  // namespace fake_blink
