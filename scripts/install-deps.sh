#!/usr/bin/env bash
# Installs the system packages Kernelsmith needs on Debian 12: compilers with OpenMP, MPI (Open MPI and MPICH),
# the sandbox (bubblewrap, and util-linux's prlimit, taskset and setpriv), Redis and fonts for the report's plots; with --tests also what only the tests use (Chromium opens the HTML report;
# Slurm and munge, whose daemons the Slurm tests start themselves: their services are not started here).
# Safe to run again: it installs only what is missing.
set -euo pipefail

packages=(gcc g++ make bubblewrap util-linux time clang libomp-dev libclang-rt-14-dev openmpi-bin libopenmpi-dev mpich redis-server fonts-dejavu-core)
if [ "${1:-}" = "--tests" ]; then
  # slurmd and slurm-client bring slurm-wlm-basic-plugins: srun's pmi2 and pmix MPI plugins.
  packages+=(chromium slurmctld slurmd slurm-client munge)
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
  # Packaged daemons (munge, slurmctld, slurmd) must not start as services: policy-rc.d refuses them during the install.
  policy=/usr/sbin/policy-rc.d
  added_policy=""
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null && $sudo chmod 755 "$policy" && added_policy=1
  fi
  status=0
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null || status=$?
  [ -z "$added_policy" ] || $sudo rm -f "$policy"
  [ "$status" -eq 0 ] || exit "$status"
fi

command -v dotnet >/dev/null || { echo "error: the .NET 10 SDK (dotnet) is required" >&2; exit 1; }
