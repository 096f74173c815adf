#include <gtest/gtest.h>

#include <string>

#include "daemon/logging.hpp"

namespace blink_sync {
namespace {

TEST(RedactPersonalData, ReplacesEmail) {
  EXPECT_EQ(redact_personal_data("Email jane.doe+blink@example.org is already taken"),
            "Email <email> is already taken");
}

TEST(RedactPersonalData, ReplacesQuotedEmail) {
  EXPECT_EQ(redact_personal_data("email \"amy.doe@gmail.com\" must be unique"), "email \"<email>\" must be unique");
  EXPECT_EQ(redact_personal_data("(amy@example.org)"), "(<email>)");
}

TEST(RedactPersonalData, ReplacesDates) {
  EXPECT_EQ(redact_personal_data("date_of_birth 03/27/2019 is invalid"), "date_of_birth <date> is invalid");
  EXPECT_EQ(redact_personal_data("born 2019-03-27"), "born <date>");
  EXPECT_EQ(redact_personal_data("born 27.03.2019"), "born <date>");
}

TEST(RedactPersonalData, KeepsAddressesAndVersions) {
  EXPECT_EQ(redact_personal_data("TLS handshake with \"127.0.0.1\" failed"), "TLS handshake with \"127.0.0.1\" failed");
  EXPECT_EQ(redact_personal_data("blink-sync/0.1.0 on 10.20.30.40"), "blink-sync/0.1.0 on 10.20.30.40");
}

TEST(RedactPersonalData, ReplacesEveryOccurrence) {
  EXPECT_EQ(redact_personal_data("a@example.org, b@example.org and 01/02/2003 or 04/05/2006"),
            "<email>, <email> and <date> or <date>");
}

TEST(RedactPersonalData, KeepsTextWithoutPersonalData) {
  const std::string message = "Success, new staff user added. Prorated charge of 15.00 added; id 1184";

  EXPECT_EQ(redact_personal_data(message), message);
  EXPECT_EQ(redact_personal_data(""), "");
}

}  // namespace
}  // namespace blink_sync
