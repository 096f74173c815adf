#include "api_routes.hpp"

#include <array>
#include <string>

#include "events_api.hpp"
#include "staff_api.hpp"
#include "student_logins_api.hpp"
#include "students_api.hpp"

namespace fake_blink {
namespace {

struct Collection {
  std::string_view name;
  Response (*list)(const ApiContext&, const QueryParams&);
  Response (*get)(const ApiContext&, RecordId, const QueryParams&);
  Response (*post)(const ApiContext&, const Payload&);
  Response (*put)(const ApiContext&, RecordId, const Payload&);
  Response (*remove)(const ApiContext&, RecordId);  // null: no DELETE in the document
};

// DELETE /v1/student-logins/{id} is absent on purpose. It returns 405, not
// 404, because a client takes 404 on DELETE to mean "already gone".
const std::array<Collection, 3> kCollections = {{
    {"staff", list_staff, get_staff, post_staff, put_staff, delete_user},
    {"students", list_students, get_student, post_student, put_student, delete_student},
    {"student-logins", list_student_logins, get_student_login, post_student_login,
     put_student_login, nullptr},
}};

const Collection* find_collection(std::string_view name) {
  for (const Collection& collection : kCollections) {
    if (collection.name == name) {
      return &collection;
    }
  }
  return nullptr;
}

std::string allowed_methods(const Collection& collection, bool has_id) {
  if (!has_id) {
    return "GET, POST";
  }
  return collection.remove != nullptr ? "GET, PUT, DELETE" : "GET, PUT";
}

Response method_not_allowed(std::string_view method, const RequestTarget& target,
                            const std::string& allowed) {
  Response response = status_response(
      405, "Method Not Allowed: " + std::string{method} + " is not supported on " + target.path +
               ", allowed: " + allowed);
  response.headers.emplace_back("Allow", allowed);
  return response;
}

Response dispatch_collection(const ApiContext& context, const Collection& collection,
                             std::string_view method, const RequestTarget& target,
                             std::string_view body) {
  if (method == "GET") {
    return collection.list(context, target.params);
  }
  if (method == "POST") {
    return collection.post(context, Payload::parse(body));
  }
  return method_not_allowed(method, target, allowed_methods(collection, false));
}

Response dispatch_record(const ApiContext& context, const Collection& collection, RecordId id,
                         std::string_view method, const RequestTarget& target,
                         std::string_view body) {
  if (method == "GET") {
    return collection.get(context, id, target.params);
  }
  if (method == "PUT") {
    return collection.put(context, id, Payload::parse(body));
  }
  if (method == "DELETE" && collection.remove != nullptr) {
    return collection.remove(context, id);
  }
  return method_not_allowed(method, target, allowed_methods(collection, true));
}

}  // namespace

std::string_view api_entity_name(const RequestTarget& target) {
  return target.segments.size() >= 2 ? std::string_view{target.segments[1]} : std::string_view{};
}

Response route_api_request(const ApiContext& context, std::string_view method,
                           const RequestTarget& target, std::string_view body) {
  const std::size_t depth = target.segments.size();
  if (depth >= 2 && target.segments[1] == "events") {
    return route_events(context, method, target, body);
  }
  const Collection* collection = depth >= 2 ? find_collection(target.segments[1]) : nullptr;
  const std::optional<std::int64_t> id = depth == 3 ? parse_integer(target.segments[2]) : std::nullopt;
  const bool is_collection = collection != nullptr && depth == 2;
  const bool is_record = collection != nullptr && id && *id > 0;
  if (!is_collection && !is_record) {
    return status_response(404, "No Data Found: unknown path " + target.path);
  }

  try {
    if (is_collection) {
      return dispatch_collection(context, *collection, method, target, body);
    }
    return dispatch_record(context, *collection, *id, method, target, body);
  } catch (const ApiError& error) {
    return status_response(error.status(), error.what());
  }
}

}  // namespace fake_blink
