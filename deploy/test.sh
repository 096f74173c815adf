#!/usr/bin/env bash
# Install missing packages, build, and run every test with ctest. Exits with
# ctest's status. JOBS sets the number of parallel build and test jobs
# (default 2), and BUILD_DIR the build directory (default build/).
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"

deploy/install-deps.sh
deploy/build.sh
exec ctest --test-dir "${BUILD_DIR:-build}" --output-on-failure --no-tests=error -j "${JOBS:-2}"
