#!/usr/bin/env bash
# CI's short fuzzing pass: every fuzz target for ~10 s from its seed corpus (bench/fuzz/run.sh 10), without touching
# bench/fuzz/RESULTS.md. Skips, saying why, when cargo-fuzz is not installed; fails when a target finds something.
#
#   bench/fuzz/ci-smoke.sh [SECONDS_PER_TARGET]    default 10
set -euo pipefail
cd "$(dirname "$0")/../.."

if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "fuzz smoke: SKIPPED — cargo-fuzz is not installed (cargo install cargo-fuzz --locked)"
  exit 0
fi
export FUZZ_RESULTS=- FUZZ_KEEP_CORPUS=0
exec bench/fuzz/run.sh "${1:-10}"
