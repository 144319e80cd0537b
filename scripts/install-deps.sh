#!/bin/sh
# Installs the Debian packages that apsco needs to build, test and benchmark.
#
# Usage: scripts/install-deps.sh [--bench]
#   Installs only what is missing; safe to run repeatedly. Runs apt-get as root,
#   or through sudo when started by another user. --bench adds the peers that
#   `make bench` measures against (Node.js and npm for satellite.js) and perf for
#   the profile in bench/RESULTS.md.
set -eu

packages="
  cmake make gcc pkg-config git
  clang libclang-rt-14-dev libomp-14-dev clang-format clang-tidy
  libcmocka-dev
  liberfa-dev libjansson-dev libexpat1-dev libsleef-dev
  libsqlite3-dev libcurl4-openssl-dev libmicrohttpd-dev libglpk-dev coinor-libclp-dev libsodium-dev
  python3 python3-sgp4 python3-skyfield python3-numpy
"
if [ "${1:-}" = "--bench" ]; then
  packages="$packages linux-perf"
  # A Node.js that brings its own npm (NodeSource's nodejs conflicts with
  # Debian's npm package) is fine: only ask for the packages when a command
  # is missing.
  if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    packages="$packages nodejs npm"
  fi
fi

missing=""
for p in $packages; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  case "$status" in
    *"ok installed"*) ;;
    *) missing="$missing $p" ;;
  esac
done

if [ -z "$missing" ]; then
  exit 0
fi

if [ "$(id -u)" -eq 0 ]; then
  as_root=""
elif command -v sudo >/dev/null 2>&1; then
  as_root="sudo"
else
  echo "install-deps: missing packages:$missing" >&2
  echo "install-deps: run this script as root or install sudo" >&2
  exit 1
fi

echo "install-deps: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
$as_root apt-get update -q >&2
# shellcheck disable=SC2086
$as_root apt-get install -y -q --no-install-recommends $missing >&2
