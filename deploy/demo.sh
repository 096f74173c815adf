#!/usr/bin/env bash
# Show blink-sync end to end on this machine, with nothing leaving loopback:
# a throwaway PostgreSQL cluster holding the demo roster
# (deploy/roster/*.sql), the fake Blink server from the tests, and two sync
# cycles. The first cycle creates every record in the fake Blink, and the
# second finds nothing to send because the roster has not changed.
#
# Everything lives in a new temporary directory. The database cluster is
# stopped and deleted on exit, including after Ctrl-C. The config, the token
# file and the logs stay there for reading; set BLINK_DEMO_KEEP=1 to keep
# the database cluster as well.
#
# Environment:
#   BUILD_DIR               build directory (default: build/)
#   JOBS                    parallel compile jobs (default: 2)
#   BLINK_DEMO_SUMMARY_SQL  query run against the database at the end
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo_root"

build_dir="${BUILD_DIR:-$repo_root/build}"
fake_blink="$build_dir/tests/fake_blink/fake-blink"
daemon="$build_dir/daemon/blink-sync"

# Requests a minute that the demo's fake server allows and the daemon may
# send. Real Blink allows 60.
readonly REQUESTS_PER_MINUTE=600
readonly FAKE_BLINK_START_TIMEOUT_SECONDS=10
# The CMake targets the demo runs. The tests and benchmarks are not built,
# which halves the compile time of a fresh build.
readonly DEMO_TARGETS="blink-sync fake-blink"

# Printed at the end: how many roster records blink-sync has mapped to Blink
# records. A failure here is reported but does not fail the demo.
summary_sql=${BLINK_DEMO_SUMMARY_SQL:-"SELECT entity, count(*) AS records
  FROM blink_sync.mapping GROUP BY entity ORDER BY entity"}

# Printed at the end: how many roster rows hold the Blink id that blink-sync
# wrote back (write_back in deploy/roster/queries.yaml), and how many
# clinicians have a join link.
readonly write_back_sql="SELECT 'pupils' AS roster_table, count(*) AS rows,
         count(blink_session_student_id) AS with_blink_id, NULL::bigint AS with_join_link
    FROM roster.pupils
  UNION ALL
  SELECT 'guardians', count(*), count(blink_session_student_login_id), NULL FROM roster.guardians
  UNION ALL
  SELECT 'clinicians', count(*), count(blink_session_staff_id), count(join_by_link) FROM roster.clinicians"

step() {
  printf '==> %s\n' "$*"
}

fail() {
  echo "demo.sh: $*" >&2
  exit 1
}

work_dir=""
fake_blink_pid=""

stop_fake_blink() {
  if [[ -z "$fake_blink_pid" ]] || ! kill -0 "$fake_blink_pid" 2>/dev/null; then
    return 0
  fi
  step "Stopping the fake Blink server"
  kill "$fake_blink_pid" 2>/dev/null || true
  for _ in {1..50}; do
    kill -0 "$fake_blink_pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -KILL "$fake_blink_pid" 2>/dev/null || true
  wait "$fake_blink_pid" 2>/dev/null || true
}

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  stop_fake_blink
  if [[ -n "$work_dir" && -d "$work_dir/pg" ]]; then
    step "Stopping PostgreSQL"
    deploy/pg-cluster.sh stop "$work_dir/pg" || true
    if [[ "${BLINK_DEMO_KEEP:-0}" != 1 ]]; then
      rm -rf "$work_dir/pg"
    fi
  fi
  if [[ -n "$work_dir" ]]; then
    echo "Files kept in $work_dir (remove with: rm -rf $work_dir)"
  fi
  exit "$status"
}

# Starts fake-blink in the background and sets fake_blink_port from the
# first line it prints.
start_fake_blink() {
  local token=$1 out="$work_dir/fake-blink.out" line=""
  : >"$out"
  # A background job in a script ignores Ctrl-C, so cleanup() stops it.
  "$fake_blink" --listen 127.0.0.1:0 --token "$token" \
    --rate-limit "$REQUESTS_PER_MINUTE" >"$out" 2>"$work_dir/fake-blink.err" &
  fake_blink_pid=$!

  local deadline=$((SECONDS + FAKE_BLINK_START_TIMEOUT_SECONDS))
  while ((SECONDS < deadline)); do
    line=$(head -n 1 "$out")
    if [[ "$line" =~ ^listening\ on\ 127\.0\.0\.1:([0-9]+) ]]; then
      fake_blink_port=${BASH_REMATCH[1]}
      return
    fi
    kill -0 "$fake_blink_pid" 2>/dev/null ||
      fail "fake-blink exited before it was listening; see $work_dir/fake-blink.err"
    sleep 0.1
  done
  fail "fake-blink printed no 'listening on 127.0.0.1:PORT' line within ${FAKE_BLINK_START_TIMEOUT_SECONDS} s (first line: '$line')"
}

write_config() {
  local config=$1 database_url=$2 token_file=$3
  cat >"$config" <<EOF
# Demo configuration written by deploy/demo.sh.
database:
  url: "$database_url"
blink:
  base_url: "http://127.0.0.1:$fake_blink_port/v1"
  token_file: "$token_file"
  requests_per_minute: $REQUESTS_PER_MINUTE   # the demo's fake server allows 600; real Blink allows 60
  burst: 1
sync:
  poll_interval_seconds: 60
log:
  file: "$work_dir/blink-sync.log"
  level: info
EOF
  # The write-back statements, from "write_back:" up to the "roster:" line.
  sed -n '/^write_back:$/,/^roster:$/{/^roster:$/!p}' deploy/roster/queries.yaml >>"$config"
  printf 'roster:\n  default_timezone: "America/New_York"\n' >>"$config"
  # The five queries, everything below the "roster:" line.
  sed '1,/^roster:$/d' deploy/roster/queries.yaml >>"$config"
}

# Runs one sync cycle. Returns the daemon's exit status without stopping
# the demo, so the summary still shows what was done.
run_cycle() {
  local config=$1 status=0
  "$daemon" --config "$config" --once || status=$?
  if ((status != 0)); then
    echo "demo.sh: blink-sync exited with status $status" >&2
  fi
  return "$status"
}

main() {
  step "Installing missing packages"
  deploy/install-deps.sh

  step "Building the daemon and the fake Blink server"
  TARGETS="$DEMO_TARGETS" deploy/build.sh

  [[ -x "$fake_blink" ]] || fail "$fake_blink was not built; the fake Blink server is part of the tests (BLINK_SYNC_BUILD_TESTS=ON)"
  [[ -x "$daemon" ]] || fail "$daemon was not built"

  work_dir=$(mktemp -d "${TMPDIR:-/tmp}/blink-sync-demo.XXXXXX")
  # When run as root, the server runs as the postgres user, which must be
  # able to reach $work_dir/pg. Other users can enter it but not list it.
  chmod 711 "$work_dir"
  trap cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM

  step "Starting PostgreSQL (throwaway cluster in $work_dir/pg)"
  local server_url database_url port
  server_url=$(deploy/pg-cluster.sh start "$work_dir/pg")
  port=${server_url##*:}
  port=${port%%/*}
  echo "    listening on 127.0.0.1:$port"
  deploy/pg-cluster.sh createdb "$work_dir/pg" school
  database_url="${server_url%/postgres}/school"

  step "Loading the demo roster into database 'school'"
  psql "$database_url" -X -q -v ON_ERROR_STOP=1 \
    -f deploy/roster/schema.sql -f deploy/roster/demo-data.sql

  step "Starting the fake Blink server"
  local token token_file="$work_dir/token"
  token=$(openssl rand -hex 32)
  (umask 077 && printf '%s\n' "$token" >"$token_file")
  start_fake_blink "$token"
  echo "    listening on 127.0.0.1:$fake_blink_port"

  local config="$work_dir/demo.yaml" status=0
  write_config "$config" "$database_url" "$token_file"
  echo "    config: $config"

  step "Sync cycle 1: blink-sync --once (creates the roster in Blink)"
  run_cycle "$config" || status=1

  step "Sync cycle 2: blink-sync --once (nothing changed, so nothing should be sent)"
  run_cycle "$config" || status=1

  step "Blink ids written back into the roster"
  psql "$database_url" -X -c "$write_back_sql" ||
    echo "demo.sh: the write-back query failed" >&2

  step "Log: $work_dir/blink-sync.log"
  step "Records known to blink-sync"
  psql "$database_url" -X -c "$summary_sql" ||
    echo "demo.sh: the summary query failed; set BLINK_DEMO_SUMMARY_SQL to a query for the blink_sync tables" >&2

  return "$status"
}

main "$@"
