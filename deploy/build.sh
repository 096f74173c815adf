#!/usr/bin/env bash
# Configure and build blink-sync into build/ (RelWithDebInfo by default).
# Re-running re-uses the existing build directory and rebuilds only what
# changed. JOBS sets the number of parallel compile jobs (default 2),
# BUILD_DIR another build directory, and TARGETS a space-separated list of
# CMake targets to build instead of all of them.
# Extra arguments go to the CMake configure step, e.g. -DBLINK_SYNC_WERROR=ON.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${BUILD_DIR:-$repo_root/build}"

# CMAKE_BUILD_TYPE is set only on the first configure, so a type chosen
# later with -DCMAKE_BUILD_TYPE=... stays in the cache.
configure_args=()
if [[ ! -f "$build_dir/CMakeCache.txt" ]]; then
  configure_args+=(-DCMAKE_BUILD_TYPE=RelWithDebInfo)
fi

target_args=()
for target in ${TARGETS:-}; do
  target_args+=(--target "$target")
done

cmake -S "$repo_root" -B "$build_dir" "${configure_args[@]}" "$@"
cmake --build "$build_dir" --parallel "${JOBS:-2}" "${target_args[@]}"
