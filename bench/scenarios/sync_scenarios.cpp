// Runs the sync scenarios of docs/benchmarks.md against a throwaway
// PostgreSQL cluster and the fake Blink server, and prints, per scenario,
// the calls made against the fewest the API allows.
//
//   sync_scenarios [--students N] [--latency-samples K] [--allowance-minutes M]
//
// The minimum for writes is the number of Blink records a scenario really
// changes, counted by comparing Blink's state before and after: one call
// per created, changed or deleted record. The minimum for reads is one
// call per 500 records of each list when the cycle must read Blink at all
// (a full read), and none for a cycle whose roster did not change. An
// incremental read can make fewer read calls than that.

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <iterator>
#include <map>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <csignal>
#include <stdlib.h>
#include <unistd.h>

#include "control_client.hpp"
#include "fake_blink_process.hpp"
#include "roster_generator.hpp"
#include "support/child_process.hpp"
#include "support/test_database.hpp"

namespace {

using nlohmann::json;
using namespace std::chrono_literals;
using blink_sync::testing::ProcessResult;

constexpr int kPageSize = 500;

struct Options {
  int students = 1000;
  int allowance_minutes = 0;  // 0 skips the sustained-rate run
  int latency_samples = 15;   // 0 skips the propagation run
};

Options parse_options(int argc, char** argv) {
  Options options;
  for (int index = 1; index + 1 < argc; index += 2) {
    const std::string name = argv[index];
    const int value = std::atoi(argv[index + 1]);
    if (name == "--students") {
      options.students = value;
    } else if (name == "--allowance-minutes") {
      options.allowance_minutes = value;
    } else if (name == "--latency-samples") {
      options.latency_samples = value;
    } else {
      throw std::invalid_argument("unknown option " + name +
                                  "; use --students N, --allowance-minutes M or --latency-samples K");
    }
  }
  return options;
}

std::string read_text(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

long long number(const json& object, const std::string& key) {
  const auto found = object.find(key);
  return found == object.end() || !found->is_number() ? 0 : found->get<long long>();
}

// Blink's records by list and id, without the fields Blink changes on its
// own and the links a student shows only because a staff member or
// student-login lists it, so two states can be compared record by record.
std::map<std::string, std::map<long long, json>> records_of(const json& state) {
  std::map<std::string, std::map<long long, json>> records;
  for (const auto* list : {"students", "student_logins", "staff"}) {
    for (auto record : state[list]) {
      record.erase("updated_at");
      record.erase("created_at");
      record.erase("linked_staff_ids");
      record.erase("linked_student_login_ids");
      records[list][record["id"].get<long long>()] = record;
    }
  }
  return records;
}

// Returns the records created, changed or deleted between two states.
long long records_changed(const json& before, const json& after) {
  auto old_records = records_of(before);
  auto new_records = records_of(after);
  long long changed = 0;
  for (const auto* list : {"students", "student_logins", "staff"}) {
    for (const auto& [id, record] : new_records[list]) {
      const auto old = old_records[list].find(id);
      changed += old == old_records[list].end() || old->second != record ? 1 : 0;
    }
    for (const auto& [id, record] : old_records[list]) {
      changed += new_records[list].count(id) == 0 ? 1 : 0;
    }
  }
  return changed;
}

long long full_read_calls(const json& state) {
  long long calls = 0;
  for (const auto* list : {"students", "student_logins", "staff"}) {
    const auto size = static_cast<long long>(state[list].size());
    calls += std::max(1LL, (size + kPageSize - 1) / kPageSize);
  }
  return calls;
}

struct ScenarioResult {
  std::string name;
  long long reads = 0;
  long long writes = 0;
  long long min_reads = 0;
  long long min_writes = 0;
  long long denied = 0;
  double cpu_seconds = 0;
  long peak_rss_mb = 0;
  double seconds = 0;
};

class Bench {
 public:
  explicit Bench(const Options& options) : options_(options) {}

  void run() {
    start_servers();
    generate_roster(*database_, options_.students);

    run_scenario("initial sync into an empty organisation", "", true);
    run_scenario("no change", "", false);
    run_scenario("1% of records changed", changed_records_sql(1), true);
    run_scenario("10% of records changed", changed_records_sql(10), true);
    run_scenario("links reshuffled for 20% of staff", reshuffled_links_sql(20), true);
    run_scenario("5% of students leaving", leaving_students_sql(5), true);
    print_table();

    if (options_.latency_samples > 0) {
      run_latency();
    }
    if (options_.allowance_minutes > 0) {
      run_allowance();
    }
    stop_servers();
  }

 private:
  void start_servers() {
    std::string temporary = "/tmp/blink-sync-bench.XXXXXX";
    if (::mkdtemp(temporary.data()) == nullptr) {
      throw std::runtime_error("cannot create a folder under /tmp");
    }
    work_dir_ = temporary;
    std::filesystem::permissions(work_dir_, std::filesystem::perms::owner_all | std::filesystem::perms::group_read |
                                                std::filesystem::perms::group_exec |
                                                std::filesystem::perms::others_read |
                                                std::filesystem::perms::others_exec);
    const auto started = blink_sync::testing::run_process(
        {std::string(BLINK_SYNC_SOURCE_DIR) + "/deploy/pg-cluster.sh", "start", (work_dir_ / "cluster").string()}, {},
        120s);
    if (started.exit_code != 0) {
      throw std::runtime_error("cannot start PostgreSQL: " + started.err);
    }
    auto url = started.out.substr(0, started.out.find_last_not_of('\n') + 1);
    url = url.substr(url.find_last_of('\n') + 1);
    database_ = std::make_unique<blink_sync::testing::TestDatabase>("bench", url);
    database_->execute_file(std::string(BLINK_SYNC_SOURCE_DIR) + "/deploy/roster/schema.sql");

    token_ = "bench-token-7d41";
    start_blink(60000);
  }

  void start_blink(int rate_limit) {
    control_.reset();
    blink_.reset();
    blink_ = std::make_unique<fake_blink::FakeBlinkProcess>(
        FAKE_BLINK_EXE,
        std::vector<std::string>{"--listen", "127.0.0.1:0", "--token", token_, "--rate-limit",
                                 std::to_string(rate_limit)});
    // The state of a large organisation takes the fake server a while to write.
    control_ = std::make_unique<fake_blink::ControlClient>(blink_->port(), "127.0.0.1", std::chrono::minutes(5));
    write_config(rate_limit);
  }

  void stop_servers() {
    control_.reset();
    blink_.reset();
    database_.reset();
    blink_sync::testing::run_process(
        {std::string(BLINK_SYNC_SOURCE_DIR) + "/deploy/pg-cluster.sh", "stop", (work_dir_ / "cluster").string()}, {},
        60s);
    std::filesystem::remove_all(work_dir_);
  }

  void write_config(int requests_per_minute, int burst = 1, int poll_interval = 300) {
    std::ofstream(work_dir_ / "token") << token_ << "\n";
    std::filesystem::permissions(work_dir_ / "token", std::filesystem::perms::owner_read |
                                                          std::filesystem::perms::owner_write);
    auto queries = read_text(std::string(BLINK_SYNC_SOURCE_DIR) + "/deploy/roster/queries.yaml");
    std::ofstream config(work_dir_ / "config.yaml");
    config << "database:\n  url: \"" << database_->url() << "\"\n"
           << "blink:\n  base_url: \"" << blink_->base_url() << "\"\n"
           << "  token_file: \"" << (work_dir_ / "token").string() << "\"\n"
           << "  requests_per_minute: " << requests_per_minute << "\n  burst: " << burst << "\n"
           << "sync:\n  poll_interval_seconds: " << poll_interval << "\n"
           << "log:\n  file: \"" << (work_dir_ / "blink-sync.log").string() << "\"\n  level: info\n"
           << queries << "  watch_tables: [roster.pupils, roster.guardians, roster.guardian_pupils, "
           << "roster.clinicians, roster.caseload]\n";
  }

  ProcessResult run_once() {
    return blink_sync::testing::run_process(
        {BLINK_SYNC_EXE, "--config", (work_dir_ / "config.yaml").string(), "--once"}, {}, 3600s);
  }

  // Changes the roster with `sql`, runs one cycle and records its calls.
  // `needs_read` is true when the scenario's cycle must read Blink.
  void run_scenario(const std::string& name, const std::string& sql, bool needs_read) {
    if (!sql.empty()) {
      database_->execute(sql);
    }
    const auto state_before = control_->state();
    const auto stats_before = control_->stats();
    const auto started = std::chrono::steady_clock::now();

    const auto result = run_once();
    if (result.exit_code != 0) {
      throw std::runtime_error("scenario \"" + name + "\" failed: " + result.err);
    }

    const auto stats_after = control_->stats();
    const auto state_after = control_->state();
    ScenarioResult row;
    row.name = name;
    row.reads = number(stats_after["by_method"], "GET") - number(stats_before["by_method"], "GET");
    row.writes = number(stats_after, "requests_total") - number(stats_before, "requests_total") - row.reads;
    row.min_writes = records_changed(state_before, state_after);
    row.min_reads = needs_read ? full_read_calls(state_before) : 0;
    row.denied = number(stats_after, "rate_limited") - number(stats_before, "rate_limited");
    row.cpu_seconds = result.cpu_seconds;
    row.peak_rss_mb = result.peak_rss_kb / 1024;
    row.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    results_.push_back(row);
    std::cerr << "done: " << name << std::endl;
  }

  std::string changed_records_sql(int percent) const {
    return "UPDATE roster.pupils SET notes = 'Changed ' || now()::text WHERE id % 100 < " + std::to_string(percent) +
           ";UPDATE roster.guardians SET mobile = '555-0199' WHERE id % 100 < " + std::to_string(percent) +
           " AND mobile IS DISTINCT FROM '555-0199';";
  }

  std::string reshuffled_links_sql(int percent) const {
    return "UPDATE roster.caseload SET ended_on = CURRENT_DATE - 1 WHERE clinician_id % 100 < " +
           std::to_string(percent) + " AND pupil_id % 2 = 0 AND ended_on IS NULL;";
  }

  std::string leaving_students_sql(int percent) const {
    return "UPDATE roster.pupils SET left_on = CURRENT_DATE - 1 WHERE id % 100 >= " + std::to_string(100 - percent) +
           " AND left_on IS NULL;";
  }

  void print_table() const {
    std::cout << "| scenario | reads made | reads minimum | writes made | writes minimum | ratio | denied | "
                 "CPU s | peak RSS MB | wall s |\n| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n";
    for (const auto& row : results_) {
      const auto calls = row.reads + row.writes;
      const auto minimum = row.min_reads + row.min_writes;
      double ratio = 1.0;
      if (minimum > 0) {
        ratio = static_cast<double>(calls) / static_cast<double>(minimum);
      } else if (calls > 0) {
        ratio = INFINITY;
      }
      std::cout << "| " << row.name << " | " << row.reads << " | " << row.min_reads << " | " << row.writes << " | "
                << row.min_writes << " | " << std::fixed << std::setprecision(2) << ratio << " | "
                << row.denied << " | " << row.cpu_seconds << " | " << row.peak_rss_mb << " | " << std::setprecision(1)
                << row.seconds << " |\n";
    }
  }

  // The daemon at Blink's limit of 60 a minute (burst 10), woken by the
  // roster triggers: the time from a committed roster change to Blink's
  // PUT, with a pause between changes so the throttle has room.
  void run_latency() {
    write_config(60, 10, 3600);
    const auto installed = blink_sync::testing::run_process(
        {BLINK_SYNC_EXE, "--config", (work_dir_ / "config.yaml").string(), "install-triggers"}, {}, 60s);
    if (installed.exit_code != 0) {
      throw std::runtime_error("install-triggers failed: " + installed.err);
    }
    auto daemon = std::make_unique<blink_sync::testing::ChildProcess>(
        std::vector<std::string>{BLINK_SYNC_EXE, "--config", (work_dir_ / "config.yaml").string()},
        std::vector<std::string>{});
    daemon->wait_for_stderr("cycle: finished cycle=", 600s);

    std::vector<double> latencies;
    for (int sample = 0; sample < options_.latency_samples; ++sample) {
      std::this_thread::sleep_for(5s);
      const auto puts_before = number(control_->stats()["by_endpoint"], "PUT students");
      const auto committed = std::chrono::steady_clock::now();
      database_->execute("UPDATE roster.pupils SET notes = 'Latency sample " + std::to_string(sample) +
                         "' WHERE id = 1");
      while (number(control_->stats()["by_endpoint"], "PUT students") == puts_before &&
             std::chrono::steady_clock::now() - committed < 120s) {
        std::this_thread::sleep_for(10ms);
      }
      latencies.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - committed).count());
    }
    const auto idle = idle_cpu_share(daemon->pid(), 60s);
    daemon->send_signal(SIGTERM);
    const auto ended = daemon->wait(60s);

    std::cout << "\nidle daemon between cycles: " << std::setprecision(3) << idle * 100.0
              << "% of one core over 60 s\n";
    std::sort(latencies.begin(), latencies.end());
    std::cout << "\npropagation from a committed roster change to Blink over " << latencies.size()
              << " samples: median " << std::setprecision(2) << latencies[latencies.size() / 2] << " s, fastest "
              << latencies.front() << " s, slowest " << latencies.back() << " s; daemon CPU "
              << ended.cpu_seconds << " s\n";
    write_config(60000);
  }

  // Returns the share of one core a process used over `period`, read from
  // /proc/PID/stat (utime and stime, in clock ticks).
  static double idle_cpu_share(pid_t pid, std::chrono::seconds period) {
    const auto ticks = [pid] {
      std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
      std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
      std::istringstream fields(text.substr(text.rfind(')') + 2));
      std::string field;
      long long utime = 0;
      long long stime = 0;
      for (int index = 3; index <= 15 && fields >> field; ++index) {
        if (index == 14) {
          utime = std::stoll(field);
        } else if (index == 15) {
          stime = std::stoll(field);
        }
      }
      return utime + stime;
    };
    const auto before = ticks();
    std::this_thread::sleep_for(period);
    const auto used = static_cast<double>(ticks() - before) / static_cast<double>(::sysconf(_SC_CLK_TCK));
    return used / static_cast<double>(period.count());
  }

  // An initial sync of a fresh organisation at 60 requests a minute, for
  // `allowance_minutes`: the sustained rate and the denials.
  void run_allowance() {
    start_blink(60);
    database_->execute("DROP SCHEMA blink_sync CASCADE");
    auto process = std::make_unique<blink_sync::testing::ChildProcess>(
        std::vector<std::string>{BLINK_SYNC_EXE, "--config", (work_dir_ / "config.yaml").string(), "--once"},
        std::vector<std::string>{});
    const auto started = std::chrono::steady_clock::now();
    std::this_thread::sleep_for(std::chrono::minutes(options_.allowance_minutes));
    const auto stats = control_->stats();
    const auto elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    process->send_signal(SIGTERM);
    process->wait(120s);

    const auto admitted = number(stats, "requests_total") - number(stats, "rate_limited");
    const double per_minute = static_cast<double>(admitted) * 60.0 / elapsed;
    std::cout << "\nsustained rate over " << std::setprecision(1) << elapsed << " s: " << admitted
              << " requests admitted, " << std::setprecision(2) << per_minute << " per minute = "
              << per_minute / 60.0 * 100.0 << "% of the limit of 60; denied: " << number(stats, "rate_limited")
              << "; largest count in any 60 s window: " << number(stats, "max_in_window") << "\n";
  }

  Options options_;
  std::filesystem::path work_dir_;
  std::unique_ptr<blink_sync::testing::TestDatabase> database_;
  std::unique_ptr<fake_blink::FakeBlinkProcess> blink_;
  std::unique_ptr<fake_blink::ControlClient> control_;
  std::string token_;
  std::vector<ScenarioResult> results_;
};

}  // namespace

int main(int argc, char** argv) {
  try {
    Bench bench(parse_options(argc, argv));
    bench.run();
    return 0;
  } catch (const std::exception& error) {
    std::cerr << "sync_scenarios: " << error.what() << "\n";
    return 1;
  }
}
