// Fault rules armed through the control API.
#include <future>

#include <gtest/gtest.h>

#include "http_client.hpp"
#include "server_fixture.hpp"

namespace fake_blink::testing {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

class FaultsTest : public FakeBlinkTest {};

TEST_F(FaultsTest, Error500DoesNotApply) {
  control().add_faults({{{"method", "POST"}, {"path_prefix", "/v1/students"}, {"action", "error500"}}});

  const HttpResponse failed = api("POST", "/v1/students", student_payload("Ann", "Lee"));

  EXPECT_EQ(failed.status, 500);
  EXPECT_EQ(failed.json()["status"]["status_code"], 500);
  EXPECT_TRUE(control().state()["students"].empty());
  EXPECT_EQ(api("POST", "/v1/students", student_payload("Ann", "Lee")).status, 200);
  EXPECT_EQ(control().stats()["injected_500"], 1);
}

TEST_F(FaultsTest, Reject406AnswersWithMessage) {
  control().add_faults({{"method", "POST"}, {"path_prefix", "/v1/students"}, {"action", "reject406"},
                        {"message", "location_id is not a location of this organization"}});

  const HttpResponse rejected = api("POST", "/v1/students", student_payload("Ann", "Lee"));

  EXPECT_EQ(rejected.status, 406);
  EXPECT_EQ(rejected.json()["status"]["message"], "location_id is not a location of this organization");
  EXPECT_TRUE(control().state()["students"].empty());
}

TEST_F(FaultsTest, DelayAppliesThenAnswersLate) {
  control().add_faults({{"method", "POST"}, {"action", "delay"}, {"delay_ms", 300}});

  const auto started = std::chrono::steady_clock::now();
  const HttpResponse response = api("POST", "/v1/students", student_payload("Ann", "Lee"));
  const auto elapsed = std::chrono::steady_clock::now() - started;

  EXPECT_EQ(response.status, 200);
  EXPECT_GE(elapsed, 300ms);
  EXPECT_EQ(control().state()["students"].size(), 1U);
}

TEST_F(FaultsTest, DelayedRequestDoesNotBlockOthers) {
  control().add_faults({{"method", "GET"}, {"path_prefix", "/v1/staff"}, {"action", "delay"},
                        {"delay_ms", 1000}});
  auto delayed = std::async(std::launch::async, [this] {
    HttpClient slow{server().host(), server().port()};
    return slow.request("GET", "/v1/staff", {}, {{"Authorization", "Bearer " + std::string{kToken}}});
  });
  std::this_thread::sleep_for(100ms);

  const auto started = std::chrono::steady_clock::now();
  const HttpResponse other = api("GET", "/v1/students");
  const auto elapsed = std::chrono::steady_clock::now() - started;

  EXPECT_EQ(other.status, 200);
  EXPECT_LT(elapsed, 500ms);
  ASSERT_EQ(delayed.wait_for(5s), std::future_status::ready);
  EXPECT_EQ(delayed.get().status, 200);
}

TEST_F(FaultsTest, DropAfterApplyLosesResponseOnly) {
  control().add_faults({{"method", "POST"}, {"path_prefix", "/v1/staff"}, {"action", "drop_after_apply"}});

  EXPECT_THROW(api("POST", "/v1/staff", staff_payload("a@b.org")), HttpTransportError);

  EXPECT_EQ(control().state()["staff"].size(), 1U);
  EXPECT_EQ(control().stats()["dropped"], 1);
  EXPECT_EQ(api("POST", "/v1/staff", staff_payload("a@b.org")).status, 406);
}

TEST_F(FaultsTest, DropBeforeApplyChangesNothing) {
  control().add_faults({{"method", "POST"}, {"action", "drop_before_apply"}});

  EXPECT_THROW(api("POST", "/v1/staff", staff_payload("a@b.org")), HttpTransportError);

  EXPECT_TRUE(control().state()["staff"].empty());
  EXPECT_EQ(api("POST", "/v1/staff", staff_payload("a@b.org")).status, 200);
}

TEST_F(FaultsTest, RuleMatchesMethodPrefixAndCount) {
  const std::int64_t id = create("staff", staff_payload("a@b.org"));
  const std::string target = "/v1/staff/" + std::to_string(id);
  control().add_faults(
      {{{"method", "PUT"}, {"path_prefix", "/v1/staff"}, {"action", "error500"}, {"count", 2}}});

  EXPECT_EQ(api("GET", target).status, 200);
  EXPECT_EQ(api("PUT", "/v1/students/5001", {{"notes", ""}}).status, 404);
  EXPECT_EQ(api("PUT", target, {{"phone", "1"}}).status, 500);
  EXPECT_EQ(api("PUT", target, {{"phone", "2"}}).status, 500);
  EXPECT_EQ(api("PUT", target, {{"phone", "3"}}).status, 200);
  EXPECT_TRUE(control().get("/_control/faults").empty());
}

TEST_F(FaultsTest, SkipLetsRequestsThroughFirst) {
  control().add_faults({{"method", "POST"}, {"action", "error500"}, {"skip", 2}});

  EXPECT_EQ(api("POST", "/v1/staff", staff_payload("a@b.org")).status, 200);
  EXPECT_EQ(api("GET", "/v1/staff").status, 200);
  EXPECT_EQ(api("POST", "/v1/staff", staff_payload("b@b.org")).status, 200);
  EXPECT_EQ(api("POST", "/v1/staff", staff_payload("c@b.org")).status, 500);
  EXPECT_EQ(control().stats()["created"]["staff"], 2);
}

TEST_F(FaultsTest, HangAppliesAndNeverAnswers) {
  control().add_faults({{"method", "POST"}, {"action", "hang"}});

  HttpClient impatient("127.0.0.1", server().port(), 200ms);
  EXPECT_THROW(impatient.request("POST", "/v1/staff", staff_payload("a@b.org").dump(),
                                 {{"Authorization", "Bearer " + std::string{kToken}}}),
               HttpTransportError);

  EXPECT_EQ(control().state()["staff"].size(), 1U);
  EXPECT_EQ(control().stats()["hung"], 1);
  EXPECT_EQ(control().stats()["created"]["staff"], 1);
}

TEST_F(FaultsTest, ClearDisarmsRules) {
  control().add_faults({{"action", "error500"}, {"count", 5}});

  control().clear_faults();

  EXPECT_EQ(api("GET", "/v1/staff").status, 200);
}

TEST_F(FaultsTest, InvalidRuleIsRejected) {
  EXPECT_THROW(control().add_faults({{"action", "explode"}}), std::runtime_error);
  EXPECT_THROW(control().add_faults({{"action", "delay"}}), std::runtime_error);
  EXPECT_THROW(control().add_faults({{"action", "error500"}, {"count", 0}}), std::runtime_error);
  EXPECT_THROW(control().add_faults({{"action", "error500"}, {"count", "two"}}), std::runtime_error);
  EXPECT_TRUE(control().get("/_control/faults").empty());
}

}  // namespace
}  // namespace fake_blink::testing
