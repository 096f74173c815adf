#include "mapping/fields.hpp"

#include <array>
#include <limits>
#include <stdexcept>
#include <string>

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

static_assert(kStudentFields.size() <= FieldValues::kMaxSlots && kStudentLoginFields.size() <= FieldValues::kMaxSlots &&
              kStaffFields.size() <= FieldValues::kMaxSlots);

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

FieldValues::FieldValues(Entity entity) : slot_count_(static_cast<std::uint8_t>(fields_of(entity).size())) {}

std::optional<std::string_view> FieldValues::get(std::size_t slot) const {
  if (slot >= slot_count_ || (known_ & (1U << slot)) == 0) {
    return std::nullopt;
  }
  const auto begin = begin_of(slot);
  return std::string_view(text_.data() + begin, ends_[slot] - begin);
}

// Replaces the slot's bytes in text_ and moves the ends of the later slots.
// Roster rows and Blink records fill their slots in order, so this is
// usually an append.
void FieldValues::set(std::size_t slot, std::optional<std::string_view> value) {
  if (slot >= slot_count_) {
    throw std::out_of_range("field slot " + std::to_string(slot) + " is out of range for a record with " +
                            std::to_string(slot_count_) + " fields");
  }
  const auto begin = begin_of(slot);
  const auto old_length = ends_[slot] - begin;
  const auto new_length = value ? value->size() : 0;
  if (text_.size() - old_length + new_length > std::numeric_limits<std::uint32_t>::max()) {
    throw std::length_error("field values of one record exceed 4 GiB");
  }
  if (begin == text_.size()) {
    text_.append(value ? *value : std::string_view());
  } else {
    text_.replace(begin, old_length, value ? *value : std::string_view());
  }

  const auto new_end = static_cast<std::uint32_t>(begin + new_length);
  const auto shift = new_end - ends_[slot];  // unsigned wrap-around adds a negative shift correctly
  for (std::size_t later = slot; later < slot_count_; ++later) {
    ends_[later] += shift;
  }
  const auto bit = static_cast<std::uint16_t>(1U << slot);
  known_ = value ? static_cast<std::uint16_t>(known_ | bit) : static_cast<std::uint16_t>(known_ & ~bit);
}

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
  for (std::size_t i = 0; i < specs.size() && i < desired.size(); ++i) {
    const auto desired_value = desired.get(i);
    if (!desired_value) {
      continue;
    }
    const auto other_value = other.get(i);
    if (!other_value || !same_value(specs[i].kind, *desired_value, *other_value)) {
      differing.push_back(i);
    }
  }
  return differing;
}

void merge_known(FieldValues& base, const FieldValues& changes) {
  if (base.size() < changes.size()) {
    FieldValues widened = changes;
    for (std::size_t i = 0; i < base.size(); ++i) {
      if (!changes.get(i)) {
        widened.set(i, base.get(i));
      }
    }
    base = std::move(widened);
    return;
  }
  for (std::size_t i = 0; i < changes.size(); ++i) {
    const auto value = changes.get(i);
    if (value) {
      base.set(i, value);
    }
  }
}

}  // namespace blink_sync
