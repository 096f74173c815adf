// Measures the CPU time and peak memory of building the desired state from
// roster rows and planning it against Blink and the mapping table of the
// same size, for a synthetic roster of a given number of students.

#include <sys/wait.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include "bench/resource_usage.hpp"
#include "bench/synced_copy.hpp"
#include "bench/synthetic_roster.hpp"
#include "mapping/planner.hpp"

namespace blink_sync::bench {
namespace {

const char* scenario_name(Scenario scenario) {
  return scenario == Scenario::steady ? "steady" : "changed_1pct";
}

// Builds the desired state as the daemon's roster reader does: with room
// for as many records as the mapping table contains, and with the builder
// gone once it returns.
DesiredState build_desired_state(SyntheticRoster& roster, const ValidationContext& context,
                                 const IdentityMap& mapping) {
  DesiredStateBuilder builder(context);
  for (const auto entity : {Entity::student, Entity::student_login, Entity::staff}) {
    builder.expect_records(entity, mapping.size(entity));
  }
  roster.feed(builder);
  return std::move(builder).finish();
}

// Returns an FNV-1a hash of each operation's action, entity, local id and
// changed keys, in plan order, so two builds can be checked to plan alike.
std::uint64_t plan_digest(const Plan& plan) {
  std::uint64_t hash = 14695981039346656037ULL;
  const auto mix = [&](std::string_view text) {
    for (const char c : text) {
      hash = (hash ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
    }
    hash = (hash ^ 0xFFU) * 1099511628211ULL;
  };
  for (const auto& operation : plan.operations) {
    mix(action_name(operation.action));
    mix(entity_name(operation.entity));
    mix(operation.local_id);
    for (const auto& key : operation.changed) {
      mix(key);
    }
  }
  return hash;
}

// Tells perf to sample only the measured part, when a control FIFO was
// given (perf record -D -1 --control fifo:PATH).
void tell_perf(const std::string& control_fifo, const char* command) {
  if (control_fifo.empty()) {
    return;
  }
  if (auto* fifo = std::fopen(control_fifo.c_str(), "w")) {
    std::fputs(command, fifo);
    std::fclose(fifo);
  }
}

// Runs one scenario and prints one line of key=value figures. cpu_s covers
// the build and the plan; it includes generating the roster rows, which
// replaces reading them from PostgreSQL, and rows_cpu_s measures that
// generation alone. sys_cpu_s is the kernel's part of cpu_s, almost all of
// it handing the process fresh zeroed pages. Generating Blink's lists and the mapping table is
// excluded. The peak RSS is the whole process, inputs included, because
// the daemon keeps all three sides in memory at once too.
// The settings of one run, beside its size and scenario.
struct RunOptions {
  IdOrder id_order = IdOrder::scrambled;
  std::size_t show_errors = 0;
  std::string perf_control;
};

void measure(RosterSize size, Scenario scenario, const RunOptions& options) {
  const auto context = bench_validation_context();
  SyntheticRoster roster(size, scenario, options.id_order);
  const auto copy = make_synced_copy(roster, context);
  const double inputs_rss = peak_rss_mib();

  const double generating = cpu_seconds();
  RowCounter counter;
  roster.feed(counter);
  const double generated = cpu_seconds();

  tell_perf(options.perf_control, "enable\n");
  const double start = cpu_seconds();
  const double start_system = system_cpu_seconds();
  const auto desired = build_desired_state(roster, context, copy.mapping);
  const double built = cpu_seconds();

  const auto plan = plan_sync(desired, copy.remote, copy.mapping, PlanOptions{});
  const double planned = cpu_seconds();
  const double planned_system = system_cpu_seconds();
  tell_perf(options.perf_control, "disable\n");

  const auto counts = count_operations(plan);
  std::printf(
      "scenario=%s id_order=%s students=%zu student_logins=%zu staff=%zu links=%zu cpu_s=%.3f build_cpu_s=%.3f "
      "plan_cpu_s=%.3f sys_cpu_s=%.3f rows_cpu_s=%.3f peak_rss_mib=%.1f inputs_rss_mib=%.1f operations=%zu created=%zu updated=%zu "
      "linked=%zu discharged=%zu deleted=%zu errors=%zu plan_digest=%016llx\n",
      scenario_name(scenario), options.id_order == IdOrder::ascending ? "ascending" : "scrambled", size.students, size.student_logins, size.staff,
      desired.staff_link_rows + desired.login_link_rows, planned - start, built - start, planned - built,
      planned_system - start_system, generated - generating,
      peak_rss_mib(), inputs_rss, plan.operations.size(), counts.created, counts.updated, counts.linked,
      counts.discharged, counts.deleted, desired.errors.size() + plan.errors.size(),
      static_cast<unsigned long long>(plan_digest(plan)));
  std::fflush(stdout);

  for (const auto* errors : {&desired.errors, &plan.errors}) {
    for (std::size_t i = 0; i < errors->size() && i < options.show_errors; ++i) {
      const auto& error = (*errors)[i];
      std::fprintf(stderr, "error entity=%s local_id=%s: %s\n", std::string(entity_name(error.entity)).c_str(),
                   error.local_id.c_str(), error.message.c_str());
    }
  }
}

// Runs the scenario in a child process, so each one reports its own peak
// RSS. Returns false when the child failed.
bool measure_in_child(RosterSize size, Scenario scenario, const RunOptions& options) {
  std::fflush(stdout);
  const pid_t child = fork();
  if (child < 0) {
    std::perror("plan_scale: fork failed");
    return false;
  }
  if (child == 0) {
    try {
      measure(size, scenario, options);
    } catch (const std::exception& error) {
      std::fprintf(stderr, "plan_scale: scenario %s failed: %s\n", scenario_name(scenario), error.what());
      _exit(1);
    }
    _exit(0);
  }

  int status = 0;
  waitpid(child, &status, 0);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

}  // namespace
}  // namespace blink_sync::bench

int main(int argc, char** argv) {
  using namespace blink_sync::bench;

  std::size_t students = 100'000;
  std::string scenario = "both";
  std::string id_order = "scrambled";
  RunOptions options;
  CLI::App app{"Times building and planning a synthetic roster of the given size"};
  app.add_option("--students", students, "Number of students; logins are 0.8x, staff 0.03x, links 3x")
      ->check(CLI::PositiveNumber);
  app.add_option("--scenario", scenario, "steady, changed (1% of records edited, new or gone) or both")
      ->check(CLI::IsMember({"steady", "changed", "both"}));
  app.add_option("--id-order", id_order,
                 "scrambled (rows arrive in no order, as without ORDER BY) or ascending (ordered by local id)")
      ->check(CLI::IsMember({"scrambled", "ascending"}));
  app.add_option("--show-errors", options.show_errors,
                 "Print up to this many record errors of the roster and of the plan");
  app.add_option("--perf-control", options.perf_control,
                 "perf's control FIFO, to sample only the build and the plan (perf record -D -1 --control fifo:PATH)");
  CLI11_PARSE(app, argc, argv);

  options.id_order = id_order == "ascending" ? IdOrder::ascending : IdOrder::scrambled;
  const auto size = RosterSize::for_students(students);
  std::vector<Scenario> scenarios;
  if (scenario != "changed") {
    scenarios.push_back(Scenario::steady);
  }
  if (scenario != "steady") {
    scenarios.push_back(Scenario::one_percent_changed);
  }

  bool succeeded = true;
  for (const auto each : scenarios) {
    succeeded = measure_in_child(size, each, options) && succeeded;
  }
  return succeeded ? 0 : 1;
}
