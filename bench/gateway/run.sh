#!/usr/bin/env bash
# Gateway overhead, side by side: the mock upstream called directly, Haetae with every stage on and with each
# stage off, nginx as a plain reverse proxy, and the LiteLLM proxy, under the same fixed-rate load, in one run.
#
#   bench/gateway/run.sh [--rate 200] [--duration 20] [--connections 32] [--latencies 0,60]
#                        [--skip litellm,nginx,stages,max-rate,scaling] [--haetae-before OLD_BINARY --before-label COMMIT]
#
# At 0 ms it also steps a fixed rate up a ladder (--ladder) for the highest rate each path holds with p99 < 10 ms
# and no errors, and measures closed-loop throughput with the proxy pinned (taskset) to 1, 2, 4, … CPUs (--cores).
#
# Needs: oha (`cargo install oha`), nginx (Debian package), and for LiteLLM a venv with `litellm[proxy]` at
# ~/.cache/haetae-bench/litellm (bench/gateway/setup.sh makes it). Writes the tables to bench/out/gateway.md;
# bench/RESULTS.md keeps the latest run's tables with a summary of the ratios.
set -euo pipefail
cd "$(dirname "$0")/../.."
mkdir -p bench/out
cargo build --release -p haetae --no-default-features -p haetae-mock >&2
exec python3 bench/gateway/compare.py --haetae target/release/haetae --mock target/release/haetae-mock-upstream \
  --out bench/out/gateway.md "$@"
