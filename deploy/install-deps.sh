#!/usr/bin/env bash
# Install the Debian 12 packages that blink-sync needs to build, test and run
# its demo. Installs only what dpkg reports as missing, so a second run does
# nothing and needs no network. Uses sudo when not run as root.
# clang and libclang-rt-14-dev (libFuzzer and clang's sanitizer runtimes)
# are for the fuzz targets that deploy/fuzz.sh builds.
set -euo pipefail

packages=(
  build-essential cmake pkg-config git
  libboost1.81-dev libboost-url1.81-dev
  libssl-dev libpqxx-dev nlohmann-json3-dev libspdlog-dev libyaml-cpp-dev
  libsystemd-dev libhowardhinnant-date-dev libutf8proc-dev libcli11-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  clang libclang-rt-14-dev
  postgresql-15 postgresql-client-15
  tzdata ca-certificates openssl
)

# Prints "ii" when the package is fully installed.
package_state() {
  dpkg-query -W -f='${db:Status-Abbrev}' "$1" 2>/dev/null | tr -d ' ' || true
}

if [[ -r /etc/os-release ]] && ! grep -qx 'VERSION_ID="12"' /etc/os-release; then
  echo "install-deps.sh: warning: this is not Debian 12; package names may differ." >&2
fi

missing=()
for package in "${packages[@]}"; do
  if [[ "$(package_state "$package")" != ii ]]; then
    missing+=("$package")
  fi
done

if ((${#missing[@]} == 0)); then
  echo "install-deps.sh: all ${#packages[@]} packages are already installed."
  exit 0
fi

# Boost 1.81 conflicts with Debian's default Boost 1.74 (pulled in by
# libboost-dev and libboost-all-dev). Removing those is the administrator's
# decision, so stop and name the command instead of letting apt remove them.
if [[ " ${missing[*]} " == *" libboost1.81-dev "* && "$(package_state libboost1.74-dev)" == ii ]]; then
  echo "install-deps.sh: libboost1.74-dev is installed and conflicts with libboost1.81-dev." >&2
  echo "Remove it first: apt-get remove libboost1.74-dev libboost-dev libboost-all-dev" >&2
  exit 1
fi

sudo=()
if ((EUID != 0)); then
  if ! command -v sudo >/dev/null; then
    echo "install-deps.sh: missing packages and no sudo; run as root: apt-get install ${missing[*]}" >&2
    exit 1
  fi
  sudo=(sudo)
fi

echo "install-deps.sh: installing ${#missing[@]} missing packages: ${missing[*]}"
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
  apt-get install -y -q --no-install-recommends "${missing[@]}"
