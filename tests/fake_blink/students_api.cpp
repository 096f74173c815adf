#include "students_api.hpp"

#include <array>

#include "record_json.hpp"
#include "validation.hpp"

namespace fake_blink {
namespace {

constexpr std::array<std::string_view, 6> kSortFields = {
    "id", "location_id", "location", "discharged", "created_at", "updated_at",
};

SortValue sort_key(const Student& student, std::string_view field) {
  if (field == "location_id" && student.location_id) return *student.location_id;
  if (field == "location_id") return std::monostate{};
  if (field == "discharged" && student.discharged) return std::int64_t{*student.discharged};
  if (field == "discharged") return std::monostate{};
  // Locations are not modelled: every student's location is "".
  if (field == "location") return std::string{};
  if (field == "created_at") return student.created_at.time_since_epoch().count();
  if (field == "updated_at") return student.updated_at.time_since_epoch().count();
  return student.id;
}

Student& find_student(const ApiContext& context, RecordId id) {
  Student* student = context.store.find_student(id);
  if (student == nullptr) {
    throw not_found_error();
  }
  return *student;
}

// Sets notes, location_id and discharged when present in `payload`.
void apply_optional_fields(const Payload& payload, Student& student) {
  if (auto notes = payload.text("notes")) {
    student.notes = std::move(*notes);
  }
  if (const auto location_id = payload.nullable_integer("location_id")) {
    student.location_id = *location_id;
  }
  if (const auto discharged = payload.flag("discharged")) {
    student.discharged = *discharged ? 1 : 0;
  }
}

void check_not_duplicate(const ApiContext& context, const Student& student) {
  if (context.store.find_duplicate_student(student.first_name, student.last_name,
                                           student.date_of_birth, student.id) != nullptr) {
    throw validation_error(
        "student already exists with the same first_name, last_name and date_of_birth");
  }
}

}  // namespace

Response list_students(const ApiContext& context, const QueryParams& params) {
  const ListQuery query = parse_list_query(params, kSortFields);

  std::vector<SortEntry> entries;
  for (const auto& [id, student] : context.store.students()) {
    entries.push_back({sort_key(student, query.sort), id});
  }

  Page page = select_page(std::move(entries), query);
  nlohmann::json data = nlohmann::json::array();
  for (const RecordId id : page.ids) {
    data.push_back(student_record(context.store, find_student(context, id), query.objects));
  }

  Response response = data_response("Success, Students Attached.", std::move(data));
  response.body["meta"] = std::move(page.meta);
  return response;
}

Response get_student(const ApiContext& context, RecordId id, const QueryParams& params) {
  const Student& student = find_student(context, id);
  return data_response("Success, Student Attached.",
                       student_record(context.store, student, parse_objects(params)));
}

Student& create_student(const ApiContext& context, const Payload& payload) {
  Student student;
  student.first_name = required_text(payload, "first_name");
  student.last_name = required_text(payload, "last_name");
  student.date_of_birth = required_text(payload, "date_of_birth");
  check_date_of_birth(student.date_of_birth);
  student.student_timezone = required_text(payload, "student_timezone");
  check_timezone("student_timezone", student.student_timezone);
  apply_optional_fields(payload, student);
  check_not_duplicate(context, student);

  student.created_at = context.now;
  student.updated_at = context.now;
  return context.store.add_student(std::move(student));
}

Response post_student(const ApiContext& context, const Payload& payload) {
  const Student& student = create_student(context, payload);
  return data_response(
      "Success, new student added. Make sure to add a new Student-Login and link this student "
      "to them or link this student to an existing login.",
      student_created_data(student));
}

Response put_student(const ApiContext& context, RecordId id, const Payload& payload) {
  Student& student = find_student(context, id);

  Student changed = student;
  if (auto first_name = changed_required_text(payload, "first_name")) {
    changed.first_name = std::move(*first_name);
  }
  if (auto last_name = changed_required_text(payload, "last_name")) {
    changed.last_name = std::move(*last_name);
  }
  if (auto date_of_birth = changed_required_text(payload, "date_of_birth")) {
    check_date_of_birth(*date_of_birth);
    changed.date_of_birth = std::move(*date_of_birth);
  }
  if (auto timezone = changed_required_text(payload, "student_timezone")) {
    check_timezone("student_timezone", *timezone);
    changed.student_timezone = std::move(*timezone);
  }
  apply_optional_fields(payload, changed);
  check_not_duplicate(context, changed);

  if (changed != student) {
    changed.updated_at = context.now;
    student = std::move(changed);
  }
  return data_response("Success, student updated. New data attached",
                       student_updated_data(student));
}

Response delete_student(const ApiContext& context, RecordId id) {
  if (!context.store.remove_student(id, context.now)) {
    throw not_found_error();
  }
  return status_response(200, "Success, student deleted.");
}

}  // namespace fake_blink
