#!/usr/bin/env bash
# Regenerates the ko-graders response set (responses.jsonl) with the embedded model through haetae-eval's own
# `eval run` path (the `eval_cli` example is `haetae eval` without the rest of the binary):
#
#   suites/ko-graders/generate.sh
#
# 1. make_prompts.py picks the prompts from suites/ko-safety/items.jsonl into prompts.jsonl;
# 2. scripts/fetch-model.sh fetches SmolLM2-135M-Instruct (Q4_1 GGUF) into the model cache (not into the repo);
# 3. one `eval run` per generation setting (gen-none.yaml, gen-safety.yaml, gen-helpful.yaml) writes
#    logs/gen-<setting>.jsonl;
# 4. collect.py turns the logs into responses.jsonl (and grade-replay.json for the grader run).
#
# MODEL=/path/other.gguf picks another GGUF. Takes about 15 minutes on a loaded 2-core machine.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
DIR="$ROOT/suites/ko-graders"
cd "$ROOT"

python3 "$DIR/make_prompts.py"
MODEL="${MODEL:-$(scripts/fetch-model.sh)}"
# EVAL_CLI=/path/to/eval_cli uses an already built binary (it must have the `embedded` feature).
if [[ -z "${EVAL_CLI:-}" ]]; then
  cargo build -p haetae-eval --features embedded --example eval_cli
fi
BIN="${EVAL_CLI:-${CARGO_TARGET_DIR:-$ROOT/target}/debug/examples/eval_cli}"
mkdir -p "$DIR/logs"
# The three settings run side by side (each one request at a time): on a small shared machine that takes a larger
# share of the CPU than one run after another, and the runs do not depend on each other.
# One llama.cpp thread per run: with three runs on a shared machine, more threads than free cores make llama.cpp's
# threads wait on each other and generation collapses.
export HAETAE_EMBEDDED_THREADS="${HAETAE_EMBEDDED_THREADS:-1}"
start=$(date +%s)
pids=()
for setting in none safety helpful; do
  "$BIN" run "$DIR/gen-$setting.yaml" --model "embedded:$MODEL" --log "$DIR/logs/gen-$setting.jsonl" \
    --overwrite --no-progress --max-samples 1 &
  pids+=("$!")
done
for pid in "${pids[@]}"; do wait "$pid"; done
echo "generation: $(( $(date +%s) - start )) s wall clock"
python3 "$DIR/collect.py" "$MODEL"
