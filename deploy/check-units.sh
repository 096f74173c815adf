#!/usr/bin/env bash
# Checks the systemd units offline, without installing them: every unit
# must have an overall exposure of at most 2.0 ("OK") in
# `systemd-analyze security --offline=yes` (systemd 250 or newer).
# Prints each unit's figure. Usage: check-units.sh [DEPLOY_DIR]
set -euo pipefail

deploy_dir=${1:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)}
# systemd-analyze compares --threshold with the exposure times ten.
readonly MAX_EXPOSURE_TIMES_TEN=20
work_dir=$(mktemp -d /tmp/blink-sync-units.XXXXXX)
trap 'rm -rf "$work_dir"' EXIT

# A template is analysed through an instance of it.
cp "$deploy_dir/blink-sync.service" "$work_dir/blink-sync.service"
cp "$deploy_dir/blink-sync@.service" "$work_dir/blink-sync@example.service"

failed=0
for unit in "$work_dir"/*.service; do
  if ! report=$(systemd-analyze security --offline=yes --threshold="$MAX_EXPOSURE_TIMES_TEN" "$unit" 2>&1); then
    failed=1
  fi
  grep -- '→ Overall exposure level' <<<"$report" || { echo "$report" >&2; failed=1; }
done
exit "$failed"
