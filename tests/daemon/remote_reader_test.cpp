#include <gtest/gtest.h>

#include <boost/url/parse.hpp>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "client_harness.hpp"
#include "daemon/remote_reader.hpp"

namespace blink_sync::testing {
namespace {

using nlohmann::json;

// Record shapes follow the API document's GET responses.
json timestamp(const std::string& date) {
  return {{"date", date + ".000000"}, {"timezone_type", 3}, {"timezone", "America/Denver"}};
}

json student_json(std::int64_t id) {
  return {{"id", id},
          {"first_name", "Jon" + std::to_string(id)},
          {"last_name", "Doe"},
          {"date_of_birth", "12/01/2017"},
          {"student_timezone", "America/Denver"},
          {"organization_id", 1},
          {"location_id", nullptr},
          {"discharged", 0},
          {"notes", ""},
          {"created_at", timestamp("2017-12-13 08:48:27")},
          {"updated_at", timestamp("2018-09-10 11:33:14")},
          {"deleted_at", nullptr}};
}

json linked_students(const std::vector<std::int64_t>& ids) {
  json students = json::array();
  for (const auto id : ids) {
    students.push_back(student_json(id));
  }
  return students;
}

json student_login_json(std::int64_t id, const std::vector<std::int64_t>& students) {
  return {{"id", id},
          {"first_name", "Amy" + std::to_string(id)},
          {"last_name", "Doe"},
          {"display_name", ""},
          {"email", "login" + std::to_string(id) + "@example.org"},
          {"phone", "555-555-5555"},
          {"user_timezone", "America/Denver"},
          {"new_email_not_validated", nullptr},
          {"organization_id", 1},
          {"created_at", timestamp("2018-05-02 13:54:10")},
          {"updated_at", timestamp("2019-04-18 16:57:51")},
          {"deleted_at", nullptr},
          {"activated", "No"},
          {"students", linked_students(students)},
          {"notificationPrefs",
           {{"events_email", 1},
            {"events_sms", 1},
            {"homework_email", 1},
            {"homework_sms", 0},
            {"invoices_email", 0},
            {"invoices_sms", 0},
            {"msg_email", 0},
            {"msg_sms", 1}}}};
}

json staff_json(std::int64_t id, const std::vector<std::int64_t>& students) {
  return {{"id", id},
          {"first_name", "Sally" + std::to_string(id)},
          {"last_name", "Session"},
          {"display_name", "Miss Sally"},
          {"email", "staff" + std::to_string(id) + "@example.org"},
          {"phone", "719-555-5555"},
          {"user_timezone", "America/Denver"},
          {"created_at", timestamp("2017-07-02 09:04:41")},
          {"updated_at", timestamp("2019-04-18 17:53:20")},
          {"deleted_at", nullptr},
          {"activated", "Yes"},
          {"join_by_link", "https://login.blinklesson.app/joinsession/23n98v892n3f"},
          {"students", linked_students(students)},
          {"permissions", json::array({{{"name", "Schedule-Admin"}, {"get", 1}, {"post", 1}, {"update", 1}, {"delete", 1}}})}};
}

json success_status() { return {{"message", "Success, Records Attached."}, {"status_code", 200}}; }

json not_found_body() { return {{"status", {{"message", "No Data Found"}, {"status_code", 404}}}}; }

json list_body(const std::vector<json>& page_items, std::int64_t total_count, std::int64_t total_pages,
               std::int64_t current_page, std::int64_t limit) {
  return {{"status", success_status()},
          {"meta",
           {{"pagination",
             {{"total_count", total_count},
              {"total_pages", total_pages},
              {"current_page", current_page},
              {"limit", limit}}}}},
          {"data", page_items}};
}

struct Target {
  std::string path;
  std::map<std::string, std::string> query;
};

Target split_target(const std::string& target) {
  const auto url = boost::urls::parse_origin_form(target);
  Target split;
  if (!url) {
    return split;
  }
  split.path = std::string(url->path());
  for (const auto param : url->params()) {
    split.query[std::string(param.key)] = std::string(param.value);
  }
  return split;
}

std::int64_t number_or(const std::map<std::string, std::string>& query, const std::string& key,
                       std::int64_t fallback) {
  const auto found = query.find(key);
  return found == query.end() ? fallback : std::stoll(found->second);
}

// Blink's three lists and single records, served page by page in the shape
// of the API document. An empty or unknown list gets 404 "No Data Found",
// which Blink returns for an empty list.
struct FakeLists {
  std::map<std::string, std::vector<json>> lists;  // "/v1/students" -> every record
  std::map<std::string, Reply> singles;            // "/v1/students/99" -> its reply
  // Called after a list page is served, to change the lists between pages.
  std::function<void(const std::string& path, std::int64_t page)> after_page;
  // Serve this page number whatever page was requested.
  std::optional<std::int64_t> fixed_page;
  // Report the requested page number but always send the first page's records.
  bool repeat_first_page_items = false;

  Reply serve(const RecordedRequest& request) {
    const auto target = split_target(request.target);
    const auto list = lists.find(target.path);
    if (list == lists.end()) {
      const auto single = singles.find(target.path);
      return single == singles.end() ? Reply::json(404, not_found_body()) : single->second;
    }
    if (list->second.empty()) {
      return Reply::json(404, not_found_body());
    }

    const auto requested = number_or(target.query, "page", 1);
    const auto limit = number_or(target.query, "limit", 500);
    const auto page = fixed_page.value_or(requested);
    const auto source_page = repeat_first_page_items ? 1 : page;
    const auto& all = list->second;
    const auto total = static_cast<std::int64_t>(all.size());
    const auto total_pages = (total + limit - 1) / limit;
    const auto first = std::min(total, (source_page - 1) * limit);
    const auto last = std::min(total, first + limit);
    const std::vector<json> items(all.begin() + first, all.begin() + last);

    auto reply = Reply::json(200, list_body(items, total, total_pages, page, limit));
    if (after_page) {
      after_page(target.path, requested);
    }
    return reply;
  }
};

std::vector<json> students(std::int64_t first_id, std::int64_t count) {
  std::vector<json> records;
  for (std::int64_t id = first_id; id < first_id + count; ++id) {
    records.push_back(student_json(id));
  }
  return records;
}

// A loopback Blink serving FakeLists, read with a page size of 2.
struct ReaderHarness {
  explicit ReaderHarness(FakeLists fake_lists)
      : lists(std::make_shared<FakeLists>(std::move(fake_lists))),
        client([lists = this->lists](const RecordedRequest& request) { return lists->serve(request); }) {}

  RemoteState read(const IdentityMap& mapping, RemoteReader::Options options = {.page_size = 2}) {
    RemoteReader reader(client.client, options);
    return run_to_completion(client.io, reader.read(mapping, errors));
  }

  // Returns the requests for one collection or record path, in order.
  std::vector<Target> requests_for(const std::string& path) const {
    std::vector<Target> matching;
    for (const auto& request : client.server.requests()) {
      auto target = split_target(request.target);
      if (target.path == path) {
        matching.push_back(std::move(target));
      }
    }
    return matching;
  }

  std::shared_ptr<FakeLists> lists;
  ClientHarness client;
  std::vector<RecordError> errors;
};

MappedRecord mapped(Entity entity, const std::string& local_id, std::int64_t blink_id) {
  return MappedRecord{entity, local_id, blink_id, FieldValues(entity), std::nullopt};
}

std::vector<std::int64_t> ids_of(const RemoteEntity& entity) {
  std::vector<std::int64_t> ids;
  for (const auto& record : entity.records) {
    ids.push_back(record.id);
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

TEST(RemoteReader, ReadsEveryPageOfThreeLists) {
  FakeLists lists;
  lists.lists["/v1/students"] = students(1, 5);
  lists.lists["/v1/student-logins"] = {student_login_json(11, {1, 2}), student_login_json(12, {3}),
                                       student_login_json(13, {4, 5})};
  lists.lists["/v1/staff"] = {staff_json(21, {5, 1})};
  ReaderHarness harness(std::move(lists));

  const auto state = harness.read(IdentityMap{});

  EXPECT_TRUE(harness.errors.empty());
  EXPECT_EQ(ids_of(state.students), (std::vector<std::int64_t>{1, 2, 3, 4, 5}));
  EXPECT_EQ(ids_of(state.student_logins), (std::vector<std::int64_t>{11, 12, 13}));
  EXPECT_EQ(ids_of(state.staff), (std::vector<std::int64_t>{21}));
  EXPECT_TRUE(state.students.complete);

  const auto student_pages = harness.requests_for("/v1/students");
  ASSERT_EQ(student_pages.size(), 3U);
  for (std::size_t i = 0; i < student_pages.size(); ++i) {
    EXPECT_EQ(student_pages[i].query.at("page"), std::to_string(i + 1));
    EXPECT_EQ(student_pages[i].query.at("limit"), "2");
    EXPECT_EQ(student_pages[i].query.at("sort"), "id");
  }
  EXPECT_EQ(harness.requests_for("/v1/student-logins").size(), 2U);
  EXPECT_EQ(harness.requests_for("/v1/staff").size(), 1U);
  EXPECT_EQ(harness.client.server.requests().size(), 6U);
}

TEST(RemoteReader, RequestsNestedLinks) {
  FakeLists lists;
  lists.lists["/v1/students"] = students(1, 2);
  lists.lists["/v1/student-logins"] = {student_login_json(11, {2, 1})};
  lists.lists["/v1/staff"] = {staff_json(21, {2})};
  ReaderHarness harness(std::move(lists));

  const auto state = harness.read(IdentityMap{});

  EXPECT_EQ(harness.requests_for("/v1/student-logins").at(0).query.at("objects"), "students,notificationPrefs");
  EXPECT_EQ(harness.requests_for("/v1/staff").at(0).query.at("objects"), "students,permissions");
  const auto* login = state.student_logins.find(11);
  ASSERT_NE(login, nullptr);
  ASSERT_TRUE(login->linked_students.has_value());
  EXPECT_EQ(*login->linked_students, (std::vector<std::int64_t>{1, 2}));
  const auto* staff = state.staff.find(21);
  ASSERT_NE(staff, nullptr);
  ASSERT_TRUE(staff->linked_students.has_value());
  EXPECT_EQ(*staff->linked_students, (std::vector<std::int64_t>{2}));
}

TEST(RemoteReader, NotFoundOnFirstPageIsEmptyList) {
  FakeLists lists;
  lists.lists["/v1/students"] = {};
  lists.lists["/v1/student-logins"] = {};
  lists.lists["/v1/staff"] = {};
  ReaderHarness harness(std::move(lists));

  const auto state = harness.read(IdentityMap{});

  EXPECT_TRUE(state.students.records.empty());
  EXPECT_TRUE(state.student_logins.records.empty());
  EXPECT_TRUE(state.staff.records.empty());
  EXPECT_TRUE(state.students.complete);
  EXPECT_TRUE(harness.errors.empty());
  EXPECT_EQ(harness.client.server.requests().size(), 3U);
}

TEST(RemoteReader, NoneListedSkipsLookups) {
  FakeLists lists;
  lists.lists["/v1/students"] = students(1, 2);
  ReaderHarness harness(std::move(lists));
  IdentityMap mapping;
  mapping.upsert(mapped(Entity::student, "S-98", 98));
  mapping.upsert(mapped(Entity::student, "S-99", 99));

  const auto state = harness.read(mapping);

  // Every mapped record missing at once suggests a wrong base URL or token,
  // so no single GETs are spent on them.
  EXPECT_TRUE(state.students.confirmed_missing.empty());
  EXPECT_TRUE(harness.requests_for("/v1/students/98").empty());
  EXPECT_TRUE(harness.requests_for("/v1/students/99").empty());
  EXPECT_EQ(harness.client.server.requests().size(), 3U);
}

TEST(RemoteReader, EmptyListSkipsLookups) {
  FakeLists lists;
  lists.lists["/v1/students"] = {};
  ReaderHarness harness(std::move(lists));
  IdentityMap mapping;
  mapping.upsert(mapped(Entity::student, "S-1", 1));
  mapping.upsert(mapped(Entity::student, "S-2", 2));

  const auto state = harness.read(mapping);

  EXPECT_TRUE(state.students.confirmed_missing.empty());
  EXPECT_EQ(harness.client.server.requests().size(), 3U);
}

TEST(RemoteReader, NoneListedLookupsWhenRequested) {
  FakeLists lists;
  lists.lists["/v1/students"] = {};
  ReaderHarness harness(std::move(lists));
  IdentityMap mapping;
  mapping.upsert(mapped(Entity::student, "S-1", 1));
  mapping.upsert(mapped(Entity::student, "S-2", 2));

  const auto state = harness.read(mapping, {.page_size = 2, .confirm_when_none_listed = true});

  EXPECT_EQ(state.students.confirmed_missing, (std::unordered_set<std::int64_t>{1, 2}));
  EXPECT_EQ(harness.requests_for("/v1/students/1").size(), 1U);
  EXPECT_EQ(harness.requests_for("/v1/students/2").size(), 1U);
  EXPECT_EQ(harness.client.server.requests().size(), 5U);
}

TEST(RemoteReader, IgnoredPageParameterFails) {
  FakeLists lists;
  lists.lists["/v1/students"] = students(1, 5);
  lists.fixed_page = 1;
  ReaderHarness harness(std::move(lists));

  try {
    harness.read(IdentityMap{});
    FAIL() << "expected RemoteReadError";
  } catch (const RemoteReadError& error) {
    EXPECT_NE(std::string(error.what()).find("ignored the page parameter"), std::string::npos) << error.what();
  }
  EXPECT_EQ(harness.requests_for("/v1/students").size(), 2U);
}

TEST(RemoteReader, RepeatedIdsFail) {
  FakeLists lists;
  lists.lists["/v1/students"] = students(1, 5);
  lists.repeat_first_page_items = true;
  ReaderHarness harness(std::move(lists));

  try {
    harness.read(IdentityMap{});
    FAIL() << "expected RemoteReadError";
  } catch (const RemoteReadError& error) {
    EXPECT_NE(std::string(error.what()).find("repeated Blink id 1"), std::string::npos) << error.what();
  }
}

TEST(RemoteReader, FailedPageFails) {
  FakeLists lists;
  lists.lists["/v1/students"] = students(1, 5);
  ReaderHarness harness(std::move(lists));
  auto fake_lists = harness.lists;
  harness.client.server.set_handler([fake_lists](const RecordedRequest& request) {
    if (request.target.find("page=2") != std::string::npos) {
      return Reply::json(403, {{"status", {{"message", "Access Forbidden"}, {"status_code", 403}}}});
    }
    return fake_lists->serve(request);
  });

  try {
    harness.read(IdentityMap{});
    FAIL() << "expected RemoteReadError";
  } catch (const RemoteReadError& error) {
    EXPECT_NE(std::string(error.what()).find("HTTP 403: Access Forbidden"), std::string::npos) << error.what();
  }
}

TEST(RemoteReader, ChangedTotalCountRereadsList) {
  FakeLists lists;
  lists.lists["/v1/students"] = students(1, 5);
  ReaderHarness harness(std::move(lists));
  auto* fake_lists = harness.lists.get();
  bool added = false;
  // One student is added after the first page is served, once.
  fake_lists->after_page = [fake_lists, &added](const std::string& path, std::int64_t page) {
    if (path == "/v1/students" && page == 1 && !added) {
      added = true;
      fake_lists->lists["/v1/students"].push_back(student_json(6));
    }
  };

  const auto state = harness.read(IdentityMap{});

  EXPECT_EQ(ids_of(state.students), (std::vector<std::int64_t>{1, 2, 3, 4, 5, 6}));
  EXPECT_TRUE(harness.errors.empty());
  std::vector<std::string> pages;
  for (const auto& target : harness.requests_for("/v1/students")) {
    pages.push_back(target.query.at("page"));
  }
  EXPECT_EQ(pages, (std::vector<std::string>{"1", "2", "1", "2", "3"}));
}

TEST(RemoteReader, ImplausibleTotalPagesFails) {
  ReaderHarness harness(FakeLists{});
  harness.client.server.set_handler([](const RecordedRequest&) {
    return Reply::json(200, list_body(students(1, 2), 5, 1000000, 1, 2));
  });

  try {
    harness.read(IdentityMap{});
    FAIL() << "expected RemoteReadError";
  } catch (const RemoteReadError& error) {
    EXPECT_NE(std::string(error.what()).find("announced 1000000 pages for 5 records"), std::string::npos)
        << error.what();
  }
  EXPECT_EQ(harness.client.server.requests().size(), 1U);
}

TEST(RemoteReader, UnreadableBodyNamesReason) {
  ReaderHarness harness(FakeLists{});
  harness.client.server.set_handler([](const RecordedRequest&) {
    Reply reply;
    reply.body = "{\"data\": [" + std::string(100, '[');
    return reply;
  });

  try {
    harness.read(IdentityMap{});
    FAIL() << "expected RemoteReadError";
  } catch (const RemoteReadError& error) {
    EXPECT_NE(std::string(error.what()).find("returned an unusable list: the response body nests arrays"),
              std::string::npos)
        << error.what();
  }
}

TEST(RemoteReader, PagesBoundedByFirstPage) {
  ReaderHarness harness(FakeLists{});
  // The first page announces two pages; later pages claim fifty.
  harness.client.server.set_handler([](const RecordedRequest& request) {
    const auto target = split_target(request.target);
    if (target.path != "/v1/students") {
      return Reply::json(404, not_found_body());
    }
    const auto page = number_or(target.query, "page", 1);
    return Reply::json(200, list_body(students(2 * page - 1, 2), 4, page == 1 ? 2 : 50, page, 2));
  });

  const auto state = harness.read(IdentityMap{});

  EXPECT_EQ(ids_of(state.students), (std::vector<std::int64_t>{1, 2, 3, 4}));
  EXPECT_EQ(harness.requests_for("/v1/students").size(), 2U);
}

TEST(RemoteReader, ListThatKeepsChangingFails) {
  FakeLists lists;
  lists.lists["/v1/students"] = students(1, 5);
  ReaderHarness harness(std::move(lists));
  auto* fake_lists = harness.lists.get();
  std::int64_t next_id = 100;
  fake_lists->after_page = [fake_lists, &next_id](const std::string& path, std::int64_t page) {
    if (path == "/v1/students" && page == 1) {
      fake_lists->lists["/v1/students"].push_back(student_json(next_id++));
    }
  };

  EXPECT_THROW(harness.read(IdentityMap{}), RemoteReadError);
  EXPECT_EQ(next_id, 103);
}

TEST(RemoteReader, RecordWithoutIdMakesListIncomplete) {
  FakeLists lists;
  auto records = students(1, 2);
  auto without_id = student_json(3);
  without_id.erase("id");
  records.push_back(without_id);
  lists.lists["/v1/students"] = records;
  ReaderHarness harness(std::move(lists));

  const auto state = harness.read(IdentityMap{});

  EXPECT_FALSE(state.students.complete);
  EXPECT_EQ(ids_of(state.students), (std::vector<std::int64_t>{1, 2}));
  ASSERT_EQ(harness.errors.size(), 1U);
  EXPECT_EQ(harness.errors[0].entity, Entity::student);
  EXPECT_FALSE(harness.errors[0].blink_id.has_value());
  EXPECT_NE(harness.errors[0].message.find("without a usable id"), std::string::npos) << harness.errors[0].message;
}

TEST(RemoteReader, BadFieldTypesMakeIdUnreadable) {
  FakeLists lists;
  auto records = students(1, 3);
  records[2]["discharged"] = "maybe";
  lists.lists["/v1/students"] = records;
  ReaderHarness harness(std::move(lists));
  IdentityMap mapping;
  mapping.upsert(mapped(Entity::student, "S-3", 3));

  const auto state = harness.read(mapping);

  EXPECT_TRUE(state.students.complete);
  EXPECT_EQ(ids_of(state.students), (std::vector<std::int64_t>{1, 2}));
  EXPECT_EQ(state.students.unreadable_ids, (std::unordered_set<std::int64_t>{3}));
  ASSERT_EQ(harness.errors.size(), 1U);
  EXPECT_EQ(harness.errors[0].local_id, "S-3");
  EXPECT_EQ(harness.errors[0].blink_id, std::optional<std::int64_t>(3));
  EXPECT_NE(harness.errors[0].message.find("discharged"), std::string::npos) << harness.errors[0].message;
  // An unreadable record is present in Blink, so it is not looked up alone.
  EXPECT_TRUE(harness.requests_for("/v1/students/3").empty());
}

TEST(RemoteReader, MissingMappedRecordLookedUp) {
  FakeLists lists;
  lists.lists["/v1/students"] = students(1, 2);
  lists.singles["/v1/students/98"] = Reply::json(404, not_found_body());
  lists.singles["/v1/students/99"] = Reply::json(200, {{"status", success_status()}, {"data", student_json(99)}});
  ReaderHarness harness(std::move(lists));
  IdentityMap mapping;
  mapping.upsert(mapped(Entity::student, "S-1", 1));
  mapping.upsert(mapped(Entity::student, "S-98", 98));
  mapping.upsert(mapped(Entity::student, "S-99", 99));

  const auto state = harness.read(mapping);

  EXPECT_EQ(state.students.confirmed_missing, (std::unordered_set<std::int64_t>{98}));
  EXPECT_EQ(ids_of(state.students), (std::vector<std::int64_t>{1, 2, 99}));
  EXPECT_EQ(harness.requests_for("/v1/students/98").size(), 1U);
  EXPECT_EQ(harness.requests_for("/v1/students/99").size(), 1U);
  EXPECT_TRUE(harness.requests_for("/v1/students/1").empty());
  EXPECT_TRUE(harness.errors.empty());
}

TEST(RemoteReader, MissingMappedRecordUnknownOnServerError) {
  FakeLists lists;
  lists.lists["/v1/students"] = students(1, 2);
  lists.singles["/v1/students/98"] =
      Reply::json(500, {{"status", {{"message", "Internal Server Error"}, {"status_code", 500}}}});
  ReaderHarness harness(std::move(lists));
  IdentityMap mapping;
  mapping.upsert(mapped(Entity::student, "S-98", 98));

  const auto state = harness.read(mapping);

  EXPECT_TRUE(state.students.confirmed_missing.empty());
  EXPECT_EQ(state.students.find(98), nullptr);
  EXPECT_EQ(harness.requests_for("/v1/students/98").size(), 3U);
}

TEST(RemoteReader, MissingMappedLoginUsesNestedObjects) {
  FakeLists lists;
  lists.lists["/v1/student-logins"] = {student_login_json(11, {1})};
  lists.singles["/v1/student-logins/12"] = Reply::json(404, not_found_body());
  ReaderHarness harness(std::move(lists));
  IdentityMap mapping;
  mapping.upsert(mapped(Entity::student_login, "G-12", 12));

  const auto state = harness.read(mapping);

  EXPECT_EQ(state.student_logins.confirmed_missing, (std::unordered_set<std::int64_t>{12}));
  const auto lookups = harness.requests_for("/v1/student-logins/12");
  ASSERT_EQ(lookups.size(), 1U);
  EXPECT_EQ(lookups[0].query.at("objects"), "students,notificationPrefs");
}

}  // namespace
}  // namespace blink_sync::testing
