#!/usr/bin/env bash
# The embedded model (SmolLM2-135M) on every agentic environment, through the gateway like any other client
# (access control, the guard and the ledger apply). The embedded backend returns no OpenAI tool calls, so the
# agent loop uses the text ReAct protocol; the first LIMIT tasks of a seeded shuffle (a mix of kinds and
# languages) of each domain, at most TURNS turns each. Results: docs/suite-results.md.
#   bench/agentic/embedded.sh [LIMIT] [TURNS]     (a debug or release build of the CLI first; HAETAE_BIN picks it)
set -euo pipefail
cd "$(dirname "$0")/../.."
limit=${1:-3}
turns=${2:-2}
bin=${HAETAE_BIN:-target/debug/haetae}
out=${OUT:-bench/agentic/out/embedded}
mkdir -p "$out"
data=$(mktemp -d)
# shellcheck source=../lib/embedded-gateway.sh
. bench/lib/embedded-gateway.sh
trap 'kill "${EMBEDDED_GATEWAY_PID:-}" 2>/dev/null; rm -f suites/agentic/.embedded-*.yaml; rm -rf "$data"' EXIT
start_embedded_gateway "$bin" "$data" 18087 "$out/up.log" 60 < /dev/null
for d in finance industrial military emergency; do
  sed -e "s/^  - agent: .*/  - agent: { max_turns: $turns, protocol: react }/" \
      -e "s|^  path: $d/tasks.jsonl|  path: $d/tasks.jsonl\n  shuffle: true\n  seed: 1|" \
      "suites/agentic/$d.yaml" > "suites/agentic/.embedded-$d.yaml"
  /usr/bin/time -f "$d: %e s wall, %U s user" "$bin" eval run "suites/agentic/.embedded-$d.yaml" \
    --model 'gateway:http://127.0.0.1:18087/v1#smollm2-135m' --limit "$limit" --max-tokens 96 \
    --max-samples 1 --max-connections 1 --no-progress --overwrite --log "$out/$d.jsonl"
done
"$bin" eval report "$out"/*.jsonl -o "$out/report.html"
