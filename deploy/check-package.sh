#!/usr/bin/env bash
# Builds the Debian package from a configured and built tree and checks
# that it lists the expected files, dependencies and maintainer scripts.
# Usage: check-package.sh BUILD_DIR. Needs cpack, dpkg-deb and
# dpkg-shlibdeps (package dpkg-dev).
set -euo pipefail

build_dir=${1:?usage: check-package.sh BUILD_DIR}
out_dir=$(mktemp -d /tmp/blink-sync-package.XXXXXX)
trap 'rm -rf "$out_dir"' EXIT

(cd "$build_dir" && cpack -G DEB -B "$out_dir" >"$out_dir/cpack.log" 2>&1) || {
  cat "$out_dir/cpack.log" >&2
  echo "check-package.sh: cpack failed" >&2
  exit 1
}
package=$(ls "$out_dir"/blink-sync_*.deb)
contents=$(dpkg-deb -c "$package" | awk '{print $6}')
info=$(dpkg-deb -I "$package")

failed=0
expect_file() {
  if ! grep -qx "$1" <<<"$contents"; then
    echo "missing from the package: $1" >&2
    failed=1
  fi
}
expect_info() {
  if ! grep -q -- "$1" <<<"$info"; then
    echo "missing from the control data: $1" >&2
    failed=1
  fi
}

expect_file ./usr/bin/blink-sync
expect_file ./lib/systemd/system/blink-sync.service
expect_file ./lib/systemd/system/blink-sync@.service
expect_file ./etc/blink-sync/config.yaml
expect_file ./etc/logrotate.d/blink-sync
expect_file ./usr/share/blink-sync/migrations/001_initial.sql
expect_file ./usr/share/doc/blink-sync/README.md
expect_file ./usr/share/doc/blink-sync/config.example.yaml
for dependency in libpqxx-6.4 libspdlog1.10 libyaml-cpp0.7 libsystemd0 libssl3 adduser; do
  expect_info "Depends:.*$dependency"
done
for script in postinst prerm postrm conffiles; do
  expect_info " $script"
done

# The packaged configuration is set up for the units and for logrotate.
config=$(dpkg-deb --fsys-tarfile "$package" | tar -xO ./etc/blink-sync/config.yaml)
grep -q '^  token_credential: token$' <<<"$config" || { echo "config.yaml: token_credential is not token" >&2; failed=1; }
grep -q '^  rotation: external$' <<<"$config" || { echo "config.yaml: rotation is not external" >&2; failed=1; }

if [[ $failed -ne 0 ]]; then
  echo "package contents:" >&2
  echo "$contents" >&2
  echo "$info" >&2
  exit 1
fi
echo "$(basename "$package"): $(wc -c <"$package") bytes, $(wc -l <<<"$contents") entries, as expected"
