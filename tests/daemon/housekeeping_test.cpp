#include "daemon/housekeeping.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <gtest/gtest.h>

#include <vector>

#include "fake_clock.hpp"

namespace blink_sync {
namespace {

namespace asio = boost::asio;
using std::chrono::seconds;
using testing::FakeClock;

// Records when each duty ran, in seconds since the start, and stops the
// clock once `stop_after` has passed.
class RecordingChannel final : public ControlChannel {
 public:
  RecordingChannel(FakeClock& clock, seconds stop_after) : clock_(clock), stop_after_(stop_after) {}

  void beat(std::optional<std::chrono::system_clock::time_point>) override { beats.push_back(elapsed()); }

  bool accept_requests(bool force) override {
    if (force) {
      scans.push_back(elapsed());
    }
    ++checks;
    if (clock_.elapsed() >= stop_after_) {
      clock_.stop_waits();
    }
    return pending_from && clock_.elapsed() >= *pending_from;
  }

  bool resync_pending() const override { return pending_from && clock_.elapsed() >= *pending_from; }

  long elapsed() const { return std::chrono::duration_cast<seconds>(clock_.elapsed()).count(); }

  std::vector<long> beats;
  std::vector<long> scans;
  int checks = 0;
  std::optional<FakeClock::duration> pending_from;

 private:
  FakeClock& clock_;
  seconds stop_after_;
};

template <typename Awaitable>
void run(Awaitable awaitable) {
  asio::io_context io;
  asio::co_spawn(io, std::move(awaitable), asio::detached);
  io.run();
}

TEST(Housekeeping, DutiesKeepTheirIntervals) {
  FakeClock clock;
  RecordingChannel channel(clock, seconds(60));
  std::vector<long> watchdogs;

  run(run_housekeeping(
      clock, channel, [&] { watchdogs.push_back(channel.elapsed()); }, std::chrono::microseconds(seconds(5))));

  EXPECT_EQ(channel.beats, (std::vector<long>{10, 20, 30, 40, 50, 60}));
  EXPECT_EQ(channel.scans, (std::vector<long>{15, 30, 45, 60}));
  EXPECT_EQ(channel.checks, 240) << "four checks for a NOTIFY per second";
  EXPECT_EQ(watchdogs, (std::vector<long>{0, 5, 10, 15, 20, 25, 30, 35, 40, 45, 50, 55, 60}));
}

TEST(Housekeeping, NoWatchdogWithoutPeriod) {
  FakeClock clock;
  RecordingChannel channel(clock, seconds(20));
  int watchdogs = 0;

  run(run_housekeeping(clock, channel, [&] { ++watchdogs; }, std::nullopt));

  EXPECT_EQ(watchdogs, 0);
  EXPECT_EQ(channel.beats, (std::vector<long>{10, 20}));
}

TEST(WaitForNextCycle, WaitsUntilDeadline) {
  FakeClock clock;
  RecordingChannel channel(clock, seconds(1000));
  bool result = false;

  run([&]() -> asio::awaitable<void> { result = co_await wait_for_next_cycle(clock, clock.now() + seconds(300), channel); }());

  EXPECT_TRUE(result);
  EXPECT_EQ(clock.elapsed(), seconds(300));
}

TEST(WaitForNextCycle, ResyncRequestEndsWaitEarly) {
  FakeClock clock;
  RecordingChannel channel(clock, seconds(1000));
  channel.pending_from = seconds(7);
  bool result = false;

  run([&]() -> asio::awaitable<void> { result = co_await wait_for_next_cycle(clock, clock.now() + seconds(300), channel); }());

  EXPECT_TRUE(result);
  EXPECT_EQ(clock.elapsed(), seconds(7));
}

TEST(WaitForNextCycle, ShutdownReturnsFalse) {
  FakeClock clock;
  RecordingChannel channel(clock, seconds(1000));
  clock.stop_waits();
  bool result = true;

  run([&]() -> asio::awaitable<void> { result = co_await wait_for_next_cycle(clock, clock.now() + seconds(300), channel); }());

  EXPECT_FALSE(result);
}

TEST(DescribeCycle, AppointmentsCountedWhenWritten) {
  CycleReport report;
  report.run_id = 7;
  report.outcome = RunOutcome::succeeded;
  report.totals.done.created = 2;
  report.totals.events.created = 3;
  report.totals.events.deleted = 1;

  EXPECT_EQ(describe_cycle(report, seconds(60)),
            "cycle=7 succeeded created=2 updated=0 discharged=0 deleted=0 held=0 errors=0 events_created=3 "
            "events_updated=0 events_deleted=1; next in 60 s or on a resync request");
}

TEST(DescribeCycle, NoAppointmentCountsWithoutWrites) {
  CycleReport report;
  report.run_id = 8;
  report.outcome = RunOutcome::succeeded;

  EXPECT_EQ(describe_cycle(report, seconds(60)).find("events_"), std::string::npos);
}

}  // namespace
}  // namespace blink_sync
