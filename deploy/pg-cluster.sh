#!/usr/bin/env bash
# Manage a throwaway PostgreSQL 15 cluster for tests and the demo.
#
#   pg-cluster.sh start DIR [PORT]   create (first time) and start the cluster,
#                                    then print its connection URL on stdout
#   pg-cluster.sh url DIR            print the connection URL again
#   pg-cluster.sh createdb DIR NAME  create database NAME unless it exists
#   pg-cluster.sh stop DIR           stop the cluster (fast mode)
#
# The cluster lives in DIR/data, listens only on 127.0.0.1 and on a unix
# socket in DIR/socket, trusts every local connection (no passwords), and
# runs with fsync off: a crash can lose its data, which is acceptable only
# for throwaway data. Without PORT, start picks a random free port.
# PostgreSQL refuses to run as root, so when called by root the script runs
# the server as the `postgres` system user and gives DIR to that user.
set -euo pipefail

readonly PG_BIN=/usr/lib/postgresql/15/bin
readonly SERVER_USER_WHEN_ROOT=postgres
readonly MAX_PORT_ATTEMPTS=20
# Random ports come from below Linux's default ephemeral range (32768-60999),
# so they do not collide with the local ends of outgoing connections.
readonly RANDOM_PORT_MIN=15000
readonly RANDOM_PORT_SPAN=17000

die() {
  echo "pg-cluster.sh: $*" >&2
  exit 1
}

usage() {
  sed -n '2,8s/^# \{0,1\}//p' "$0" >&2
  exit 2
}

# Runs a command as the user who owns the cluster, from inside DIR, so that
# initdb and pg_ctl never start in a directory that user cannot read.
as_owner() {
  if ((EUID == 0)); then
    (cd "$cluster_dir" && runuser -u "$SERVER_USER_WHEN_ROOT" -- "$@")
  else
    (cd "$cluster_dir" && "$@")
  fi
}

# Escapes a value for a single-quoted string in postgresql.conf.
conf_quote() {
  printf "'%s'" "${1//\'/\'\'}"
}

configured_port() {
  sed -n 's/^port = //p' "$cluster_dir/data/cluster.conf" 2>/dev/null || true
}

print_url() {
  local port
  port="$(configured_port)"
  [[ -n "$port" ]] || die "no cluster in $cluster_dir (run: $0 start $cluster_dir)"
  echo "postgresql://postgres@127.0.0.1:$port/postgres"
}

is_running() {
  as_owner "$PG_BIN/pg_ctl" -D "$cluster_dir/data" status >/dev/null 2>&1
}

prepare_dir() {
  mkdir -p "$cluster_dir/socket"
  if ((EUID == 0)); then
    id -u "$SERVER_USER_WHEN_ROOT" >/dev/null 2>&1 ||
      die "user '$SERVER_USER_WHEN_ROOT' not found; install postgresql-15, which creates it"
    chown "$SERVER_USER_WHEN_ROOT:" "$cluster_dir" "$cluster_dir/socket"
    runuser -u "$SERVER_USER_WHEN_ROOT" -- test -w "$cluster_dir" ||
      die "user '$SERVER_USER_WHEN_ROOT' cannot reach $cluster_dir; make its parent directories searchable (chmod o+x)"
  fi
  chmod 700 "$cluster_dir/socket"

  # A unix socket path is limited to 107 bytes on Linux.
  local socket_path="$cluster_dir/socket/.s.PGSQL.65535"
  ((${#socket_path} <= 107)) || die "path too long for a unix socket: $cluster_dir (use a shorter DIR)"
}

init_cluster() {
  echo "pg-cluster.sh: creating a PostgreSQL 15 cluster in $cluster_dir/data" >&2
  as_owner "$PG_BIN/initdb" -D "$cluster_dir/data" -U postgres --auth=trust \
    --encoding=UTF8 --locale=C.UTF-8 --no-sync >"$cluster_dir/initdb.log" 2>&1 ||
    die "initdb failed; see $cluster_dir/initdb.log"

  # Trust only the socket and IPv4 loopback. The server listens nowhere else.
  as_owner tee "$cluster_dir/data/pg_hba.conf" >/dev/null <<'EOF'
# TYPE  DATABASE  USER  ADDRESS       METHOD
local   all       all                 trust
host    all       all   127.0.0.1/32  trust
EOF
  echo "include 'cluster.conf'" | as_owner tee -a "$cluster_dir/data/postgresql.conf" >/dev/null
}

write_settings() {
  local port=$1
  as_owner tee "$cluster_dir/data/cluster.conf" >/dev/null <<EOF
# Written by pg-cluster.sh. Throwaway data only: fsync is off.
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = $(conf_quote "$cluster_dir/socket")
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
}

# Starts the server on the configured port. Returns 3 when the port is taken,
# so the caller can try another one.
start_server() {
  local log="$cluster_dir/postgres.log" lines_before=0
  [[ -f "$log" ]] && lines_before=$(wc -l <"$log")

  local output
  if output=$(as_owner "$PG_BIN/pg_ctl" -D "$cluster_dir/data" -l "$log" -w -t 60 start 2>&1); then
    return 0
  fi
  if tail -n "+$((lines_before + 1))" "$log" | grep -q 'Address already in use'; then
    return 3
  fi
  echo "$output" >&2
  tail -n 20 "$log" >&2
  die "PostgreSQL failed to start; see $log"
}

cmd_start() {
  local requested_port=${1:-}
  if [[ -n "$requested_port" && ! "$requested_port" =~ ^[0-9]+$ ]]; then
    die "invalid port '$requested_port': expected a number"
  fi

  prepare_dir
  [[ -f "$cluster_dir/data/PG_VERSION" ]] || init_cluster

  if is_running; then
    echo "pg-cluster.sh: already running" >&2
    print_url
    return
  fi

  # Keep the port of an earlier start unless a new one was requested.
  local port=${requested_port:-$(configured_port)} attempt status
  for ((attempt = 1; attempt <= MAX_PORT_ATTEMPTS; attempt++)); do
    [[ -n "$port" ]] || port=$((RANDOM_PORT_MIN + RANDOM % RANDOM_PORT_SPAN))
    write_settings "$port"
    status=0
    start_server || status=$?
    if ((status == 0)); then
      print_url
      return
    fi
    if [[ -n "$requested_port" ]]; then
      die "port $port on 127.0.0.1 is already in use"
    fi
    port=""
  done
  die "found no free port after $MAX_PORT_ATTEMPTS attempts"
}

cmd_stop() {
  if [[ ! -f "$cluster_dir/data/PG_VERSION" ]]; then
    echo "pg-cluster.sh: no cluster in $cluster_dir; nothing to stop" >&2
    return
  fi
  if ! is_running; then
    echo "pg-cluster.sh: not running" >&2
    return
  fi
  as_owner "$PG_BIN/pg_ctl" -D "$cluster_dir/data" -m fast -w stop >/dev/null
  echo "pg-cluster.sh: stopped the cluster in $cluster_dir" >&2
}

cmd_createdb() {
  local name=${1:-}
  [[ -n "$name" ]] || usage
  is_running || die "the cluster in $cluster_dir is not running (run: $0 start $cluster_dir)"

  local connection=(-h "$cluster_dir/socket" -p "$(configured_port)" -U postgres)
  local exists
  exists=$("$PG_BIN/psql" "${connection[@]}" -X -A -t -d postgres -v name="$name" \
    <<<"SELECT 1 FROM pg_database WHERE datname = :'name'")
  if [[ "$exists" == 1 ]]; then
    echo "pg-cluster.sh: database '$name' already exists" >&2
    return
  fi
  "$PG_BIN/createdb" "${connection[@]}" "$name"
  echo "pg-cluster.sh: created database '$name'" >&2
}

main() {
  (($# >= 2)) || usage
  local command=$1
  cluster_dir=$(realpath -m -- "$2")
  shift 2

  case "$command" in
    start) (($# <= 1)) || usage; cmd_start "$@" ;;
    stop) (($# == 0)) || usage; cmd_stop ;;
    url) (($# == 0)) || usage; print_url ;;
    createdb) (($# == 1)) || usage; cmd_createdb "$@" ;;
    *) usage ;;
  esac
}

main "$@"
