#!/usr/bin/env bash
# Installs the system packages Kernelsmith needs on Debian 12: compilers with OpenMP, MPI (Open MPI and MPICH),
# the sandbox (bubblewrap, and util-linux's prlimit, taskset and setpriv), Redis and fonts for the report's plots; with --tests also what only the tests use (Chromium opens the HTML report;
# Slurm and munge, whose daemons the Slurm tests start themselves: their services are not started here); with --images
# what building and running the container images needs (scripts/build-images.sh).
# Safe to run again: it installs only what is missing. It then proves each toolchain the way the agent uses it (a one-line
# program built and run with gcc -fopenmp, clang's sanitizers, both MPIs, nvcc where present) and stops naming what is
# missing: a package list can be satisfied while a toolchain still lacks its headers (mpich without libmpich-dev).
set -euo pipefail

# libmpich-dev holds MPICH's mpi.h: mpich alone gives mpicc.mpich, which then cannot compile an MPI program.
# time (GNU time) gives every run's CPU time inside the sandbox.
packages=(gcc g++ make bubblewrap util-linux time clang libomp-dev libclang-rt-14-dev openmpi-bin libopenmpi-dev mpich libmpich-dev redis-server fonts-dejavu-core)
if [ "${1:-}" = "--tests" ]; then
  # slurmd and slurm-client bring slurm-wlm-basic-plugins: srun's pmi2 and pmix MPI plugins.
  # zsh: the completion test loads `kernelsmith completion zsh` in a real zsh.
  packages+=(chromium slurmctld slurmd slurm-client munge zsh)
elif [ "${1:-}" = "--images" ]; then
  # scripts/build-images.sh and scripts/test-images.sh: root filesystems from Debian's packages, OCI images, and
  # podman with runc (crun fails here on the hybrid cgroup layout); curl for the probes.
  packages+=(mmdebstrap podman runc umoci uidmap curl)
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

# Capabilities, not package names: each toolchain builds and runs a test program, or the install stops here.
probe=$(mktemp -d)
trap 'rm -rf "$probe"' EXIT
check() {
  local what=$1 source=$2; shift 2
  local build=() run=() seen_run=""
  for word in "$@"; do
    if [ "$word" = "--run" ]; then seen_run=1; elif [ -n "$seen_run" ]; then run+=("$word"); else build+=("$word"); fi
  done
  printf '%s\n' "$source" >"$probe/probe.c"
  if ! log=$("${build[@]}" "$probe/probe.c" -o "$probe/probe" 2>&1); then
    echo "error: $what cannot build a test program (${build[*]}):" >&2
    echo "$log" | grep -m 3 -i error >&2 || echo "$log" | head -n 3 >&2
    exit 1
  fi
  if ! log=$(OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 OMP_NUM_THREADS=2 "${run[@]}" "$probe/probe" 2>&1); then
    echo "error: $what built a test program that does not run (${run[*]} probe):" >&2
    echo "$log" | head -n 3 >&2
    exit 1
  fi
}
openmp='#include <omp.h>
int main(void) { int n = 0;
#pragma omp parallel reduction(+:n)
  n += omp_get_num_threads() > 0;
  return n > 0 ? 0 : 1; }'
mpi='#include <mpi.h>
int main(int argc, char **argv) { int one = 1, sum = 0, rank; MPI_Init(&argc, &argv); MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Allreduce(&one, &sum, 1, MPI_INT, MPI_SUM, MPI_COMM_WORLD); MPI_Finalize(); return sum == 2 ? 0 : 1; }'
check "OpenMP (gcc -fopenmp, libgomp)" "$openmp" gcc -fopenmp --run
check "ThreadSanitizer (clang, libomp-dev, libclang-rt-14-dev)" "$openmp" clang -fopenmp -fsanitize=thread --run env TSAN_OPTIONS=ignore_noninstrumented_modules=1
check "AddressSanitizer/UBSan (clang, libclang-rt-14-dev)" "int main(void) { return 0; }" clang -fopenmp -fsanitize=address,undefined --run
check "Open MPI (mpicc.openmpi, libopenmpi-dev)" "$mpi" mpicc.openmpi --run mpirun.openmpi --oversubscribe --bind-to none -np 2
check "MPICH (mpicc.mpich, libmpich-dev)" "$mpi" mpicc.mpich --run mpirun.mpich -launcher fork -np 2
if command -v nvcc >/dev/null; then
  # Only the build: a machine with nvcc but no GPU (the tests' case) can still compile CUDA.
  printf '__global__ void k(int *x) { *x = 1; }\nint main() { return 0; }\n' >"$probe/probe.cu"
  nvcc "$probe/probe.cu" -o "$probe/probe" >/dev/null 2>&1 || { echo "error: nvcc cannot build a test CUDA program" >&2; exit 1; }
fi
echo "Toolchains checked: gcc -fopenmp, clang TSan/ASan, Open MPI, MPICH$(command -v nvcc >/dev/null && echo ', nvcc')" >&2
