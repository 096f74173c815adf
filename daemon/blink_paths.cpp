#include "daemon/blink_paths.hpp"

#include <string_view>

namespace blink_sync {

std::string collection_path(Entity entity) {
  switch (entity) {
    case Entity::student:
      return "/students";
    case Entity::student_login:
      return "/student-logins";
    case Entity::staff:
      return "/staff";
  }
  return "/";
}

std::string record_path(Entity entity, std::int64_t id) {
  return collection_path(entity) + "/" + std::to_string(id);
}

std::string delete_path(Entity entity, std::int64_t id) {
  const auto family = entity == Entity::student ? Entity::student : Entity::staff;
  return record_path(family, id);
}

namespace {

// The nested objects that carry links and notification preferences, so one
// list call returns everything the planner compares.
std::string objects_parameter(Entity entity) {
  switch (entity) {
    case Entity::student:
      return "";
    case Entity::student_login:
      return "objects=students,notificationPrefs";
    case Entity::staff:
      return "objects=students,permissions";
  }
  return "";
}

}  // namespace

std::string record_target(Entity entity, std::int64_t id) {
  const auto objects = objects_parameter(entity);
  return record_path(entity, id) + (objects.empty() ? "" : "?" + objects);
}

namespace {

// The document never names the page parameter; `page` (1-based) is the
// convention of the framework whose meta.pagination shape Blink returns.
std::string page_target(Entity entity, std::int64_t page, int limit, std::string_view sort,
                        std::string_view direction) {
  const auto objects = objects_parameter(entity);
  return collection_path(entity) + "?page=" + std::to_string(page) + "&limit=" + std::to_string(limit) + "&sort=" +
         std::string(sort) + "&direction=" + std::string(direction) + (objects.empty() ? "" : "&" + objects);
}

}  // namespace

std::string list_target(Entity entity, std::int64_t page, int limit) {
  return page_target(entity, page, limit, "id", "asc");
}

std::string newest_first_target(Entity entity, std::int64_t page, int limit) {
  return page_target(entity, page, limit, "id", "desc");
}

std::string changed_first_target(Entity entity, std::int64_t page, int limit) {
  return page_target(entity, page, limit, "updated_at", "desc");
}

}  // namespace blink_sync
