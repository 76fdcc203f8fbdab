#!/usr/bin/env bash
# Agentic environments: (1) step cost per tool call, criterion, against the harness's key-value environment
# measured in the same run; (2) a full run of all four suites with the scripted reference agent through the
# harness (suite → runner → log → metrics): wall time, CPU time and peak memory from GNU time.
#   bench/agentic/run.sh            (HAETAE_BIN picks the CLI binary; default: a release build, made if missing)
set -euo pipefail
cd "$(dirname "$0")/../.."
out=bench/agentic/out
mkdir -p "$out"

echo "== step cost"
cargo bench -p haetae-agentic --bench step -- --noplot 2>&1 | tee "$out/step.txt" | grep -E "^agentic_step|time:|thrpt:"

echo "== full suites with the scripted reference agent"
bin=${HAETAE_BIN:-target/release/haetae}
[ -x "$bin" ] || cargo build --release -p haetae
tmp=$(mktemp -d)
for d in finance industrial military emergency; do
  # The suite's solver chain swapped for the scripted agent: same dataset, environments, scorers, metrics.
  sed -e 's/^  - agent: .*/  - scripted_agent: { script: reference }/' "suites/agentic/$d.yaml" > "suites/agentic/.bench-$d.yaml"
done
trap 'rm -f suites/agentic/.bench-*.yaml; rm -rf "$tmp"' EXIT
/usr/bin/time -v bash -c "for d in finance industrial military emergency; do
  $bin eval run suites/agentic/.bench-\$d.yaml --model scripted:bench/agentic/no-model.yaml --log $tmp/\$d.jsonl --epochs 4 >/dev/null
done" 2> "$out/time.txt"
grep -E "Elapsed|User time|System time|Maximum resident" "$out/time.txt"
python3 - "$tmp" <<'PY'
import json, sys, glob
calls = samples = 0
for p in sorted(glob.glob(sys.argv[1] + "/*.jsonl")):
    for line in open(p):
        r = json.loads(line)
        if r.get("type") == "sample":
            samples += 1
            calls += sum(1 for e in r.get("events", []) if e.get("type") == "tool")
print(f"samples (tasks x epochs): {samples}, tool calls: {calls}")
PY
