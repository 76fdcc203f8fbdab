#!/usr/bin/env bash
# Ledger benchmarks: criterion (benches/ledger.rs) and the load run (benches/load.rs), in release.
# Output goes to bench/out/ledger-<UTC time>.txt (ignored by git) with the machine's description; copy the figures into RESULTS.md.
# LEDGER_LOAD_SECS (default 5) and LEDGER_LOAD_ENTRIES (default 1000000) size the load run; TMPDIR picks the disk.
set -euo pipefail
cd "$(dirname "$0")/../.."
mkdir -p bench/out
out="bench/out/ledger-$(date -u +%Y%m%dT%H%M%SZ).txt"
{
  date -u
  uname -srm
  lscpu | grep -E 'Model name|^CPU\(s\)|Thread\(s\) per core' || true
  free -g | head -2 || true
  df -T "${TMPDIR:-/tmp}" | tail -1 || true
  rustc --version
  echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
  cargo bench -p haetae-ledger 2>&1 | grep -v '^ *Compiling'
  echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
} | tee "$out"
echo "saved to $out"
