// Google Benchmark figures for the planner and for the normalisation steps
// it relies on (row validation, natural keys, NFC and loose keys), at 10k,
// 100k and 1M records.

#include <benchmark/benchmark.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bench/synced_copy.hpp"
#include "bench/synthetic_names.hpp"
#include "bench/synthetic_roster.hpp"
#include "mapping/natural_key.hpp"
#include "mapping/planner.hpp"
#include "mapping/text.hpp"

namespace blink_sync::bench {
namespace {

// The three sides the planner reads, for one roster size and scenario.
struct PlanInputs {
  std::size_t students = 0;
  Scenario scenario = Scenario::steady;
  SyncedCopy copy;
  DesiredState desired;
  std::size_t records = 0;
};

// Returns the inputs for `students`, building them once. Only the latest
// inputs are kept, so the 1M case does not share memory with the others.
const PlanInputs& plan_inputs(std::size_t students, Scenario scenario) {
  static std::unique_ptr<PlanInputs> cached;
  if (cached && cached->students == students && cached->scenario == scenario) {
    return *cached;
  }
  cached.reset();

  const auto context = bench_validation_context();
  SyntheticRoster roster(RosterSize::for_students(students), scenario);
  auto inputs = std::make_unique<PlanInputs>();
  inputs->students = students;
  inputs->scenario = scenario;
  inputs->copy = make_synced_copy(roster, context);
  DesiredStateBuilder builder(context);
  roster.feed(builder);
  inputs->desired = std::move(builder).finish();
  for (const auto entity : {Entity::student, Entity::student_login, Entity::staff}) {
    inputs->records += inputs->desired.of(entity).records.size();
  }
  cached = std::move(inputs);
  return *cached;
}

// Rows of one entity, each with its own copy of the values, as the roster
// reader hands them over. Kept for the latest size only.
const std::vector<RosterRow>& roster_rows(Entity entity, std::size_t count) {
  static std::unique_ptr<SyntheticRoster> roster;
  static std::vector<RosterRow> rows;
  static std::optional<std::pair<Entity, std::size_t>> built_for;
  if (built_for == std::pair{entity, count}) {
    return rows;
  }

  rows.clear();
  rows.shrink_to_fit();
  roster = std::make_unique<SyntheticRoster>(RosterSize::for_students(count), Scenario::steady);
  rows.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    rows.push_back(roster->record_row(entity, i, Version::current));
  }
  built_for = std::pair{entity, count};
  return rows;
}

void validate_rows(benchmark::State& state, Entity entity) {
  const auto count = static_cast<std::size_t>(state.range(0));
  const auto& rows = roster_rows(entity, count);
  const auto context = bench_validation_context();
  for (auto _ : state) {
    for (const auto& row : rows) {
      auto result = validate_row(entity, row, context);
      benchmark::DoNotOptimize(result);
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(count));
}

void BM_ValidateStudentRows(benchmark::State& state) { validate_rows(state, Entity::student); }
void BM_ValidateLoginRows(benchmark::State& state) { validate_rows(state, Entity::student_login); }

void BM_NaturalKeyOfStudents(benchmark::State& state) {
  const auto count = static_cast<std::size_t>(state.range(0));
  const auto context = bench_validation_context();
  std::vector<FieldValues> fields;
  fields.reserve(count);
  for (const auto& row : roster_rows(Entity::student, count)) {
    fields.push_back(validate_row(Entity::student, row, context).record->fields);
  }

  for (auto _ : state) {
    for (const auto& values : fields) {
      auto key = natural_key(Entity::student, values);
      benchmark::DoNotOptimize(key);
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(count));
}

// Runs one text function over `count` names, first and last alternating.
template <typename Function>
void over_names(benchmark::State& state, Function function) {
  const auto count = static_cast<std::size_t>(state.range(0));
  for (auto _ : state) {
    for (std::size_t i = 0; i < count; ++i) {
      const auto name = person_name(i);
      auto result = function(i % 2 == 0 ? name.first : name.last);
      benchmark::DoNotOptimize(result);
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(count));
}

void BM_NormaliseName(benchmark::State& state) { over_names(state, normalise_name); }
void BM_LooseKey(benchmark::State& state) { over_names(state, loose_key); }

void plan(benchmark::State& state, Scenario scenario) {
  const auto& inputs = plan_inputs(static_cast<std::size_t>(state.range(0)), scenario);
  std::size_t operations = 0;
  for (auto _ : state) {
    auto result = plan_sync(inputs.desired, inputs.copy.remote, inputs.copy.mapping, PlanOptions{});
    operations = result.operations.size();
    benchmark::DoNotOptimize(result);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(inputs.records));
  state.counters["operations"] = static_cast<double>(operations);
}

void BM_PlanSteady(benchmark::State& state) { plan(state, Scenario::steady); }
void BM_PlanOnePercentChanged(benchmark::State& state) { plan(state, Scenario::one_percent_changed); }

// Students per case; the planner cases also hold 0.8 logins and 0.03 staff
// per student, so their item counts are about 1.83 times larger.
void sizes(benchmark::internal::Benchmark* benchmark) {
  benchmark->Arg(10'000)->Arg(100'000)->Arg(1'000'000)->Unit(benchmark::kMillisecond);
}

BENCHMARK(BM_ValidateStudentRows)->Apply(sizes);
BENCHMARK(BM_ValidateLoginRows)->Apply(sizes);
BENCHMARK(BM_NaturalKeyOfStudents)->Apply(sizes);
BENCHMARK(BM_NormaliseName)->Apply(sizes);
BENCHMARK(BM_LooseKey)->Apply(sizes);
BENCHMARK(BM_PlanSteady)->Apply(sizes);
BENCHMARK(BM_PlanOnePercentChanged)->Apply(sizes);

}  // namespace
}  // namespace blink_sync::bench

BENCHMARK_MAIN();
