#!/usr/bin/env bash
# Installs the system packages Kernelsmith needs on Debian 12: compilers with OpenMP, MPI (Open MPI and MPICH),
# the sandbox (bubblewrap, and util-linux's prlimit, taskset and setpriv), Redis and fonts for the report's plots; with --tests also what only the tests use (Chromium opens the HTML report).
# Safe to run again: it installs only what is missing.
set -euo pipefail

packages=(gcc g++ make bubblewrap util-linux clang libomp-dev libclang-rt-14-dev openmpi-bin libopenmpi-dev mpich redis-server fonts-dejavu-core)
if [ "${1:-}" = "--tests" ]; then
  packages+=(chromium)
fi
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done

if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "Installing: ${missing[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

command -v dotnet >/dev/null || { echo "error: the .NET 10 SDK (dotnet) is required" >&2; exit 1; }
