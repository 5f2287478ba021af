#!/usr/bin/env bash
# Runs the images of scripts/build-images.sh (silo, agent, redis) with podman on host networking, as a small cluster:
# one Redis, two silos, one agent. Submits the quickstart through the first silo, kills that silo's container once the
# first experiment has recorded, watches the sweep to its end through the second silo, and checks that every
# experiment has its record. Prints the readiness probes (curl --http1.1) before and while Redis is down.
#
#   scripts/build-images.sh silo agent redis && scripts/test-images.sh [--tag TAG] [--out DIR]
#
# Needs root and podman (scripts/install-deps.sh --images). Debian's podman 4.3 runs containers on this kind of
# machine only with runc, cgroupfs and explicit ulimits (crun fails on the hybrid cgroup layout). The agent container
# needs its /proc unmasked for bubblewrap's own /proc (unmask=ALL), nothing more: no capability, no privilege.
set -euo pipefail
cd "$(dirname "$0")/.."

tag=dev
out=out/podman
while [ $# -gt 0 ]; do
  case "$1" in
    --tag) tag=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    *) echo "error: unknown argument '$1' (expected --tag TAG, --out DIR)" >&2; exit 2 ;;
  esac
done

run_id=ks$$
cluster=podman-$run_id
redis_port=16390
silo_url=(http://127.0.0.1:15171 http://127.0.0.1:15172)
podman=(podman --runtime runc --cgroup-manager=cgroupfs)
run=("${podman[@]}" run -d --network host --ulimit nofile=1024:1024 --ulimit nproc=1024:1024)
containers=()

cleanup() {
  for container in "${containers[@]}"; do
    "${podman[@]}" logs "$container" >"$out/$container.log" 2>&1 || true
    "${podman[@]}" rm -f "$container" >/dev/null 2>&1 || true
  done
}
trap cleanup EXIT
mkdir -p "$out"
rm -f "$out"/results.jsonl

wait_for() { # URL WHAT: until it answers 200 over HTTP/1.1, at most 3 minutes
  for _ in $(seq 180); do
    [ "$(curl -s --http1.1 -o /dev/null -w '%{http_code}' "$1")" = 200 ] && return 0
    sleep 1
  done
  echo "error: $2 never became ready ($1)" >&2
  return 1
}
probe() { echo "  $1: $(curl -s --http1.1 -o /dev/null -w '%{http_code}' "$2")"; }

started=$(date +%s)
containers+=("$run_id-redis")
"${run[@]}" --name "$run_id-redis" "localhost/kernelsmith-redis:$tag" --port "$redis_port" --appendonly yes --save "" >/dev/null
for i in 0 1; do
  containers+=("$run_id-silo$i")
  "${run[@]}" --name "$run_id-silo$i" \
    -e "ASPNETCORE_URLS=${silo_url[$i]}" -e "Silo__Redis=127.0.0.1:$redis_port" -e "Silo__ClusterId=$cluster" \
    -e "Silo__SiloPort=1511$i" -e "Silo__GatewayPort=3511$i" -e "Health__Port=1818$i" \
    "localhost/kernelsmith-silo:$tag" >/dev/null
done
# The agent registers with the second silo: the first one is the one that dies.
containers+=("$run_id-agent")
"${run[@]}" --name "$run_id-agent" --security-opt unmask=ALL \
  -e "ASPNETCORE_URLS=http://127.0.0.1:15180" -e "Health__Port=18182" -e "Agent__Silo=${silo_url[1]}" -e "Agent__Pool=default" \
  "localhost/kernelsmith-agent:$tag" >/dev/null

wait_for http://127.0.0.1:18180/health "silo 0"
wait_for http://127.0.0.1:18181/health "silo 1"
wait_for http://127.0.0.1:18182/health "the agent"
echo "cluster ready in $(( $(date +%s) - started )) s; readiness:"
probe "silo 0 /health" http://127.0.0.1:18180/health
probe "silo 1 /health" http://127.0.0.1:18181/health
probe "agent /health " http://127.0.0.1:18182/health

id=$(./kernelsmith submit examples/quickstart.yaml --cluster "${silo_url[0]}" | tail -n 1)
echo "submitted $id"
# Mid-sweep: once experiments are running and before all have recorded (they tend to finish together, so waiting
# for the first record would kill the silo after the last).
for _ in $(seq 600); do
  line=$(./kernelsmith status "$id" --cluster "${silo_url[1]}" 2>/dev/null || true)
  recorded=$(sed -n 's/.*: done \([0-9]*\)\/.*/\1/p' <<<"$line")
  running=$(sed -n 's/.*| running \([0-9]*\) .*/\1/p' <<<"$line")
  [ "${running:-0}" -ge 1 ] && break
  sleep 1
done
[ "${recorded:-0}" -lt 6 ] || { echo "error: the sweep finished before silo 0 could be killed mid-sweep" >&2; exit 1; }
echo "killing silo 0 with $recorded of 6 records written and $running experiment(s) running"
"${podman[@]}" kill "$run_id-silo0" >/dev/null
sweep_started=$(date +%s)
./kernelsmith watch "$id" --cluster "${silo_url[1]}" --out "$out" >"$out/watch.log" 2>&1
echo "sweep finished $(( $(date +%s) - sweep_started )) s after the kill"

records=$(wc -l <"$out/results.jsonl")
echo "records: $records; verdicts:"
python3 -c 'import collections, json, sys; [print(f"  {n} {v}") for v, n in sorted(collections.Counter(json.loads(l)["verdict"] for l in open(sys.argv[1])).items())]' "$out/results.jsonl"
[ "$records" -eq 6 ] || { echo "error: expected 6 records (2 kernels x 3 models), got $records" >&2; exit 1; }
! grep -q '^{[^{]*"verdict":"infra_error"' "$out/results.jsonl" || { echo "error: the silo's death was recorded as infra_error" >&2; exit 1; }

echo "stopping Redis; readiness:"
"${podman[@]}" stop -t 2 "$run_id-redis" >/dev/null
sleep 8
probe "silo 1 /health" http://127.0.0.1:18181/health
probe "silo 1 /alive " http://127.0.0.1:18181/alive
probe "agent /health " http://127.0.0.1:18182/health
