#include "mapping/fields.hpp"

#include <array>

#include "mapping/text.hpp"

namespace blink_sync {
namespace {

constexpr auto kPrefs = FieldGroup::notification_preferences;

constexpr std::array kStudentFields = {
    FieldSpec{"first_name", "first_name", FieldKind::name, true},
    FieldSpec{"last_name", "last_name", FieldKind::name, true},
    FieldSpec{"date_of_birth", "date_of_birth", FieldKind::date, true},
    FieldSpec{"student_timezone", "timezone", FieldKind::timezone, true},
    FieldSpec{"notes", "notes", FieldKind::text},
    FieldSpec{"location_id", "location_id", FieldKind::integer},
    FieldSpec{"discharged", "discharged", FieldKind::flag},
};

constexpr std::array kStudentLoginFields = {
    FieldSpec{"first_name", "first_name", FieldKind::name, true},
    FieldSpec{"last_name", "last_name", FieldKind::name, true},
    FieldSpec{"email", "email", FieldKind::email, true},
    FieldSpec{"phone", "phone", FieldKind::phone, true},
    FieldSpec{"events_email", "events_email", FieldKind::flag, false, kPrefs},
    FieldSpec{"events_sms", "events_sms", FieldKind::flag, false, kPrefs},
    FieldSpec{"homework_email", "homework_email", FieldKind::flag, false, kPrefs},
    FieldSpec{"homework_sms", "homework_sms", FieldKind::flag, false, kPrefs},
    FieldSpec{"invoices_email", "invoices_email", FieldKind::flag, false, kPrefs},
    FieldSpec{"invoices_sms", "invoices_sms", FieldKind::flag, false, kPrefs},
    FieldSpec{"msg_email", "msg_email", FieldKind::flag, false, kPrefs},
    FieldSpec{"msg_sms", "msg_sms", FieldKind::flag, false, kPrefs},
};

constexpr std::array kStaffFields = {
    FieldSpec{"first_name", "first_name", FieldKind::name, true},
    FieldSpec{"last_name", "last_name", FieldKind::name, true},
    FieldSpec{"display_name", "display_name", FieldKind::name},
    FieldSpec{"email", "email", FieldKind::email, true},
    FieldSpec{"phone", "phone", FieldKind::phone, true},
    FieldSpec{"user_timezone", "timezone", FieldKind::timezone, true},
    FieldSpec{"Organization-General-Admin", "organization_general_admin", FieldKind::flag},
    FieldSpec{"Organization-User-Admin", "organization_user_admin", FieldKind::flag},
    FieldSpec{"Schedule-Admin", "schedule_admin", FieldKind::flag},
    FieldSpec{"Record-Sessions", "record_sessions", FieldKind::flag},
    FieldSpec{"Staff-Access", "staff_access", FieldKind::flag},
    FieldSpec{"Logins-Access", "logins_access", FieldKind::flag},
    FieldSpec{"Join-by-Link", "join_by_link", FieldKind::flag},
};

}  // namespace

std::span<const FieldSpec> fields_of(Entity entity) {
  switch (entity) {
    case Entity::student:
      return kStudentFields;
    case Entity::student_login:
      return kStudentLoginFields;
    case Entity::staff:
      return kStaffFields;
  }
  return {};
}

std::optional<std::size_t> field_index(Entity entity, std::string_view blink_key) {
  const auto specs = fields_of(entity);
  for (std::size_t i = 0; i < specs.size(); ++i) {
    if (specs[i].blink_key == blink_key) {
      return i;
    }
  }
  return std::nullopt;
}

FieldValues::FieldValues(Entity entity) : slots(fields_of(entity).size()) {}

bool same_value(FieldKind kind, std::string_view left, std::string_view right) {
  if (left == right) {
    return true;  // equal text has an equal comparison key for every kind
  }
  switch (kind) {
    case FieldKind::email:
      return email_key(left) == email_key(right);
    case FieldKind::phone:
      return phone_digits(left) == phone_digits(right);
    case FieldKind::name:
      return normalise_name(left) == normalise_name(right);
    default:
      return left == right;
  }
}

std::vector<std::size_t> differing_fields(Entity entity, const FieldValues& desired,
                                          const FieldValues& other) {
  const auto specs = fields_of(entity);
  std::vector<std::size_t> differing;
  for (std::size_t i = 0; i < specs.size() && i < desired.slots.size(); ++i) {
    const auto& desired_value = desired.slots[i];
    if (!desired_value) {
      continue;
    }
    const bool known = i < other.slots.size() && other.slots[i].has_value();
    if (!known || !same_value(specs[i].kind, *desired_value, *other.slots[i])) {
      differing.push_back(i);
    }
  }
  return differing;
}

void merge_known(FieldValues& base, const FieldValues& changes) {
  if (base.slots.size() < changes.slots.size()) {
    base.slots.resize(changes.slots.size());
  }
  for (std::size_t i = 0; i < changes.slots.size(); ++i) {
    if (changes.slots[i]) {
      base.slots[i] = changes.slots[i];
    }
  }
}

}  // namespace blink_sync
