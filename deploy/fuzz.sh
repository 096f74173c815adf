#!/usr/bin/env bash
# Build the libFuzzer targets in tests/fuzz with clang (AddressSanitizer and
# UndefinedBehaviorSanitizer on) into build-fuzz/, then run each target for
# FUZZ_SECONDS seconds (default 60) starting from its seed corpus.
# Exits non-zero as soon as a target finds a crash, a leak, a sanitizer
# report, an input slower than 10 s or a run over 2 GiB; the input that did
# it is saved as build-fuzz/artifacts/<target>-<kind>-<hash>.
# Inputs the fuzzer finds go to build-fuzz/corpus/<target>/, so the seeds in
# the repository change only when someone copies an input there.
# FUZZ_BUILD_DIR sets another build directory, JOBS the compile jobs.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${FUZZ_BUILD_DIR:-$repo_root/build-fuzz}"
seconds="${FUZZ_SECONDS:-60}"
targets=(blink_response_fuzzer config_fuzzer roster_row_fuzzer)

cmake -S "$repo_root" -B "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_COMPILER=clang++ -DBLINK_SYNC_FUZZ=ON "$@"
cmake --build "$build_dir" --parallel "${JOBS:-2}"

mkdir -p "$build_dir/artifacts"
for target in "${targets[@]}"; do
  work_corpus="$build_dir/corpus/$target"
  log="$build_dir/$target.log"
  mkdir -p "$work_corpus"
  echo "fuzz.sh: running $target for $seconds s (log: $log)"

  status=0
  "$build_dir/tests/fuzz/$target" \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
    -print_final_stats=1 -artifact_prefix="$build_dir/artifacts/$target-" \
    "$work_corpus" "$repo_root/tests/fuzz/corpus/$target" >"$log" 2>&1 || status=$?

  # The INITED and DONE lines carry libFuzzer's cov: and ft: figures.
  grep -E '^#[0-9]+[[:space:]]+(INITED|DONE)|^stat::number_of_executed_units' "$log" || true
  if ((status != 0)); then
    echo "fuzz.sh: $target failed with status $status; the report follows" >&2
    tail -n 60 "$log" >&2
    exit "$status"
  fi
done
