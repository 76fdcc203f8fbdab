#!/usr/bin/env bash
# The cluster topology as processes: three `haetae` replicas (the real binary) on one PostgreSQL and one
# Redis, with the shared ledger. See README.md.
#
#   bench/cluster/run.sh chaos        # the long kill -9 run (default: 5 cycles, 6 s phases, 16 clients)
#   bench/cluster/run.sh throughput   # answered/s at 1 and 3 replicas, file vs PostgreSQL ledger
#   bench/cluster/run.sh rss          # a replica's RSS on an empty and on a 1M-entry log, both ledgers
#   bench/cluster/run.sh all
#
# Needs HAETAE_TEST_POSTGRES_URL (a role that may CREATE DATABASE) and HAETAE_TEST_REDIS_URL. Each run
# works in a database of its own, dropped at the end. Knobs (environment): HAETAE_CLUSTER_CYCLES,
# HAETAE_CLUSTER_PHASE_MS, HAETAE_CLUSTER_CLIENTS, HAETAE_CLUSTER_BENCH_SECS, HAETAE_CLUSTER_RSS_ENTRIES.
# CARGO_PROFILE picks the cargo profile (default: the test profile, the one CI builds; `release` measures
# optimised code). Output goes to bench/out/cluster-<what>-<UTC time>.txt with the machine's description.
set -euo pipefail
cd "$(dirname "$0")/../.."
: "${HAETAE_TEST_POSTGRES_URL:?set HAETAE_TEST_POSTGRES_URL, e.g. postgres://postgres@127.0.0.1:5432/test}"
: "${HAETAE_TEST_REDIS_URL:?set HAETAE_TEST_REDIS_URL, e.g. redis://127.0.0.1:6379}"
what="${1:-chaos}"
profile=()
if [ -n "${CARGO_PROFILE:-}" ]; then profile=(--profile "$CARGO_PROFILE"); fi

run() {
  local name="$1"; shift
  mkdir -p bench/out
  local out="bench/out/cluster-$name-$(date -u +%Y%m%dT%H%M%SZ).txt"
  {
    date -u
    uname -srm
    lscpu | grep -E 'Model name|^CPU\(s\)' || true
    free -g | head -2 || true
    psql "$HAETAE_TEST_POSTGRES_URL" -Atc 'SHOW server_version' 2>/dev/null | sed 's/^/PostgreSQL /' || true
    redis-cli -u "$HAETAE_TEST_REDIS_URL" INFO server 2>/dev/null | grep redis_version || true
    echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "+ $*"
    env CI=true "$@" 2>&1 | grep -v '^ *Compiling'
    echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
  } | tee "$out"
  echo "saved to $out"
}

case "$what" in
  chaos)
    HAETAE_CLUSTER_CYCLES="${HAETAE_CLUSTER_CYCLES:-5}" HAETAE_CLUSTER_PHASE_MS="${HAETAE_CLUSTER_PHASE_MS:-6000}" \
    HAETAE_CLUSTER_CLIENTS="${HAETAE_CLUSTER_CLIENTS:-16}" \
      run chaos cargo test "${profile[@]}" -p haetae --test cluster -- --exact \
        three_replicas_one_log_through_kills_of_a_replica_and_the_integrator --nocapture ;;
  throughput)
    run throughput cargo test "${profile[@]}" -p haetae --test cluster -- --ignored --exact \
      bench_throughput_one_and_three_replicas --nocapture ;;
  rss)
    run rss cargo test "${profile[@]}" -p haetae --test cluster -- --ignored --exact \
      bench_replica_memory_over_a_large_log --nocapture ;;
  all)
    "$0" chaos && "$0" throughput && "$0" rss ;;
  *)
    echo "usage: $0 chaos|throughput|rss|all" >&2; exit 2 ;;
esac
