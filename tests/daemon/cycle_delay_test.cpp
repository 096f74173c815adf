#include "daemon/cycle_delay.hpp"

#include <gtest/gtest.h>

namespace blink_sync {
namespace {

using std::chrono::seconds;

SyncConfig sync_every(seconds poll_interval) {
  SyncConfig sync;
  sync.poll_interval = poll_interval;
  sync.in_doubt_settle = seconds(120);
  return sync;
}

CycleReport report_of(RunOutcome outcome) {
  CycleReport report;
  report.outcome = outcome;
  return report;
}

TEST(CycleDelay, SucceededWaitsPollInterval) {
  EXPECT_EQ(delay_after_cycle(report_of(RunOutcome::succeeded), sync_every(seconds(300))), seconds(300));
}

TEST(CycleDelay, FailedRetriesWithinMinute) {
  EXPECT_EQ(delay_after_cycle(report_of(RunOutcome::failed), sync_every(seconds(300))), seconds(60));
  EXPECT_EQ(delay_after_cycle(report_of(RunOutcome::failed), sync_every(seconds(30))), seconds(30));
}

TEST(CycleDelay, RejectedTokenWaitsPollInterval) {
  auto report = report_of(RunOutcome::failed);
  report.token_rejected = true;

  EXPECT_EQ(delay_after_cycle(report, sync_every(seconds(300))), seconds(300));
}

TEST(CycleDelay, HeldRecordsLookedAtAfterSettling) {
  auto report = report_of(RunOutcome::succeeded);
  report.held_in_doubt = 2;

  EXPECT_EQ(delay_after_cycle(report, sync_every(seconds(3600))), seconds(125));
  EXPECT_EQ(delay_after_cycle(report, sync_every(seconds(60))), seconds(60));
}

}  // namespace
}  // namespace blink_sync
