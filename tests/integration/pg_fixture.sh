#!/usr/bin/env bash
# Starts or stops the throwaway PostgreSQL cluster that the integration tests
# share, as a ctest fixture. Usage: pg_fixture.sh start|stop URL_FILE
#
# The cluster lives in a new folder under /tmp rather than in the build
# tree. When the tests run as root, PostgreSQL runs as the postgres user,
# which may not be able to enter the folder of the checkout.
# URL_FILE receives the administrator URL. URL_FILE.dir names the folder,
# and its cluster/ subfolder contains the cluster.
set -euo pipefail

action=${1:?usage: pg_fixture.sh start|stop URL_FILE}
url_file=${2:?usage: pg_fixture.sh start|stop URL_FILE}
cluster="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/deploy/pg-cluster.sh"

# A cluster left behind by an interrupted run is stopped and removed first.
if [[ -f "$url_file.dir" ]]; then
  old_dir=$(cat "$url_file.dir")
  "$cluster" stop "$old_dir/cluster" >/dev/null 2>&1 || true
  case "$old_dir" in
    /tmp/blink-sync-test-pg.*) rm -rf "$old_dir" ;;
  esac
fi
rm -f "$url_file" "$url_file.dir"

if [[ "$action" == start ]]; then
  mkdir -p "$(dirname "$url_file")"
  dir=$(mktemp -d /tmp/blink-sync-test-pg.XXXXXX)
  chmod 755 "$dir"
  echo "$dir" >"$url_file.dir"
  "$cluster" start "$dir/cluster" | tail -n 1 >"$url_file"
  cat "$url_file"
fi
