#include "bench/synthetic_roster.hpp"

#include <algorithm>
#include <charconv>

#include "bench/synthetic_names.hpp"

namespace blink_sync::bench {
namespace {

// One record in `kChangePeriod` is edited, one is new and one has left, so
// the changed scenario touches 1% of each entity.
constexpr std::size_t kChangePeriod = 300;
constexpr std::size_t kLinksPerStaff = 60;
constexpr std::size_t kBirthDays = 4700;  // about 13 years of birth dates
constexpr std::int64_t kLoginIdBase = 2'000'000'000;
constexpr std::int64_t kStaffIdBase = 3'000'000'000;

// Appends `value` with at least `width` digits, zero-padded.
void append_padded(std::string& text, unsigned value, int width) {
  char digits[16];
  const auto end = std::to_chars(digits, digits + sizeof digits, value).ptr;
  text.append(static_cast<std::size_t>(std::max<std::ptrdiff_t>(0, width - (end - digits))), '0');
  text.append(digits, end);
}

std::string iso_date(std::chrono::sys_days day) {
  const std::chrono::year_month_day date{day};
  std::string text;
  append_padded(text, static_cast<unsigned>(static_cast<int>(date.year())), 4);
  text += '-';
  append_padded(text, static_cast<unsigned>(date.month()), 2);
  text += '-';
  append_padded(text, static_cast<unsigned>(date.day()), 2);
  return text;
}

// Returns a date of birth that, with the name, makes each student's natural
// key unique up to distinct_name_count() * kBirthDays students.
std::string birth_date(std::size_t index) {
  const auto first_day = std::chrono::sys_days{std::chrono::year{2008} / 1 / 1};
  const auto offset = static_cast<int>((index / distinct_name_count()) % kBirthDays);
  return iso_date(first_day + std::chrono::days{offset});
}

std::string phone(std::string_view area, std::size_t index) {
  std::string text = "(";
  text += area;
  text += ") 555-";
  append_padded(text, static_cast<unsigned>(index % 10000), 4);
  return text;
}

std::string email(const PersonName& name, std::size_t index, std::string_view domain) {
  return std::string(name.first_ascii) + "." + std::string(name.last_ascii) + "." + std::to_string(index) + "@" +
         std::string(domain);
}

std::string id_prefix(Entity entity) {
  switch (entity) {
    case Entity::student:
      return "S";
    case Entity::student_login:
      return "L";
    case Entity::staff:
      return "T";
  }
  return "X";
}

bool is_known_bench_timezone(std::string_view name) {
  return name == "America/Denver" || name == "America/New_York" || name == "Europe/Paris";
}

}  // namespace

RosterSize RosterSize::for_students(std::size_t students) {
  return RosterSize{students, students * 8 / 10, students * 3 / 100};
}

std::size_t RosterSize::of(Entity entity) const {
  switch (entity) {
    case Entity::student:
      return students;
    case Entity::student_login:
      return student_logins;
    case Entity::staff:
      return staff;
  }
  return 0;
}

SyntheticRoster::SyntheticRoster(RosterSize size, Scenario scenario, IdOrder id_order)
    : size_(size),
      scenario_(scenario),
      id_order_(id_order),
      student_columns_({"local_id", "first_name", "last_name", "date_of_birth", "timezone", "notes",
                        "location_id", "discharged"}),
      login_columns_({"local_id", "first_name", "last_name", "email", "phone", "events_email", "events_sms",
                      "homework_email", "homework_sms", "invoices_email", "invoices_sms", "msg_email",
                      "msg_sms"}),
      staff_columns_({"local_id", "first_name", "last_name", "display_name", "email", "phone", "timezone",
                      "schedule_admin", "record_sessions"}),
      login_link_columns_({"login_local_id", "student_local_id"}),
      staff_link_columns_({"staff_local_id", "student_local_id"}) {}

SyntheticRoster::Change SyntheticRoster::change_of(std::size_t index) const {
  if (scenario_ == Scenario::steady) {
    return Change::none;
  }
  switch (index % kChangePeriod) {
    case 0:
      return Change::edited;
    case kChangePeriod / 3:
      return Change::added;
    case 2 * kChangePeriod / 3:
      return Change::removed;
    default:
      return Change::none;
  }
}

bool SyntheticRoster::in_roster(Entity, std::size_t index) const { return change_of(index) != Change::removed; }

bool SyntheticRoster::in_blink(Entity, std::size_t index) const { return change_of(index) != Change::added; }

std::string SyntheticRoster::local_id(Entity entity, std::size_t index) const {
  // Multiplying by an odd constant modulo 2^32 is a bijection, so scrambled
  // ids stay unique but arrive out of order.
  const auto number = id_order_ == IdOrder::ascending
                          ? static_cast<std::uint64_t>(index)
                          : (static_cast<std::uint64_t>(index) * 2654435761U) % (std::uint64_t{1} << 32U);
  auto id = id_prefix(entity);
  id += std::to_string(number);
  return id;
}

std::int64_t SyntheticRoster::blink_id(Entity entity, std::size_t index) const {
  std::int64_t base = 1;
  if (entity == Entity::student_login) {
    base = kLoginIdBase;
  } else if (entity == Entity::staff) {
    base = kStaffIdBase;
  }
  return base + static_cast<std::int64_t>(index);
}

const RosterRow& SyntheticRoster::record_row(Entity entity, std::size_t index, Version version) {
  const bool edited = version == Version::current && change_of(index) == Change::edited;
  row_.values.clear();
  switch (entity) {
    case Entity::student:
      fill_student(index, edited);
      break;
    case Entity::student_login:
      fill_login(index, edited);
      break;
    case Entity::staff:
      fill_staff(index, edited);
      break;
  }
  return row_;
}

void SyntheticRoster::fill_student(std::size_t index, bool edited) {
  const auto name = person_name(index);
  std::optional<std::string> notes;
  if (index % 5 == 0) {
    notes = "Prefers the afternoon slot";
  }
  if (edited) {
    notes = "Moved to the Tuesday group";
  }

  row_.columns = &student_columns_;
  row_.values = {local_id(Entity::student, index), std::string(name.first), std::string(name.last),
                 birth_date(index), "America/Denver", std::move(notes), std::to_string(1 + index % 4), "f"};
}

void SyntheticRoster::fill_login(std::size_t index, bool edited) {
  const auto name = person_name(index + 17);
  const auto flag = [&](std::size_t salt) -> std::optional<std::string> { return (index + salt) % 3 == 0 ? "t" : "f"; };

  row_.columns = &login_columns_;
  row_.values = {local_id(Entity::student_login, index),
                 std::string(name.first),
                 std::string(name.last),
                 email(name, index, "families.example.org"),
                 phone(edited ? "720" : "719", index),
                 flag(0), flag(1), flag(2), flag(3), flag(4), flag(5), flag(6), flag(7)};
}

void SyntheticRoster::fill_staff(std::size_t index, bool edited) {
  const auto name = person_name(index * 7 + 3);
  std::optional<std::string> display_name;
  if (index % 2 == 1) {
    display_name = "Coach " + std::string(name.last);
  }

  row_.columns = &staff_columns_;
  row_.values = {local_id(Entity::staff, index),
                 std::string(name.first),
                 std::string(name.last),
                 std::move(display_name),
                 email(name, index, "staff.example.org"),
                 phone(edited ? "720" : "303", index),
                 index % 10 == 0 ? "Europe/Paris" : "America/Denver",
                 index % 20 == 0 ? "true" : "false",
                 "yes"};
}

std::vector<std::size_t> SyntheticRoster::linked_students(Entity owner, std::size_t index, Version version) const {
  const auto students = size_.students;
  std::vector<std::size_t> linked;
  if (students == 0) {
    return linked;
  }

  if (owner == Entity::student_login) {
    // Siblings: one or two consecutive students, and a third once edited.
    const auto base = index * 5 / 4;
    const bool edited = version == Version::current && change_of(index) == Change::edited;
    const std::size_t count = 1 + index % 2 + (edited ? 1 : 0);
    for (std::size_t k = 0; k < count; ++k) {
      linked.push_back((base + k) % students);
    }
  } else {
    for (std::size_t k = 0; k < kLinksPerStaff; ++k) {
      linked.push_back((index + k * size_.staff) % students);
    }
  }

  std::erase_if(linked, [&](std::size_t student) {
    return version == Version::current ? !in_roster(Entity::student, student) : !in_blink(Entity::student, student);
  });
  return linked;
}

ValidationContext bench_validation_context() {
  const std::chrono::year_month_day today{std::chrono::year{2026}, std::chrono::December, std::chrono::day{1}};
  return ValidationContext{today, std::nullopt, &is_known_bench_timezone};
}

}  // namespace blink_sync::bench
