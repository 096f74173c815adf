#!/usr/bin/env bash
# Install missing packages, then run three stages and stop at the first that
# fails:
#   1. build into build/ and run every test with ctest;
#   2. build the unit tests (tests/unit, tests/daemon and the fuzz corpus
#      replays, ctest label "unit") with AddressSanitizer and
#      UndefinedBehaviorSanitizer into build-asan/ and run them;
#   3. deploy/fuzz.sh: build the libFuzzer targets with clang into
#      build-fuzz/ and run each for FUZZ_SECONDS seconds (default 45 here).
# JOBS sets the number of parallel build and test jobs (default 2),
# BUILD_DIR the first build directory (default build/) and ASAN_BUILD_DIR
# the second (default build-asan/).
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"
jobs="${JOBS:-2}"

deploy/install-deps.sh

echo "test.sh: stage 1 of 3: build and run every test"
deploy/build.sh
ctest --test-dir "${BUILD_DIR:-build}" --output-on-failure --no-tests=error -j "$jobs"

echo "test.sh: stage 2 of 3: unit tests under AddressSanitizer and UndefinedBehaviorSanitizer"
asan_dir="${ASAN_BUILD_DIR:-build-asan}"
cmake -S . -B "$asan_dir" -DCMAKE_BUILD_TYPE=Debug -DBLINK_SYNC_SANITIZE=ON
cmake --build "$asan_dir" --parallel "$jobs" \
  --target unit_tests daemon_tests blink_response_fuzzer config_fuzzer roster_row_fuzzer
ctest --test-dir "$asan_dir" --output-on-failure --no-tests=error -j "$jobs" -L unit

echo "test.sh: stage 3 of 3: fuzz targets"
FUZZ_SECONDS="${FUZZ_SECONDS:-45}" deploy/fuzz.sh
