#!/usr/bin/env bash
# Starts or stops the throwaway PostgreSQL cluster that the integration tests
# share, as a ctest fixture. Usage: pg_fixture.sh start|stop DIR
set -euo pipefail

action=${1:?usage: pg_fixture.sh start|stop DIR}
dir=${2:?usage: pg_fixture.sh start|stop DIR}
cluster="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/deploy/pg-cluster.sh"

# A cluster left behind by an interrupted run is stopped and removed first,
# so every run starts from an empty cluster.
"$cluster" stop "$dir" >/dev/null 2>&1 || true
rm -rf "$dir" "$dir.url"

if [ "$action" = start ]; then
  mkdir -p "$(dirname "$dir")"
  # The tests read the administrator URL from DIR.url.
  "$cluster" start "$dir" | tail -n 1 >"$dir.url"
  cat "$dir.url"
fi
