#!/usr/bin/env bash
# Haetae eval vs Inspect on the same 2,000-item multiple-choice dataset, against the same local mock
# OpenAI-compatible server, at the same concurrency. Writes bench/out/ and prints a summary.
#
#   bench/eval/run.sh            # N=2000 CONC=32
#   N=500 CONC=16 bench/eval/run.sh
#
# Needs: python3 (Inspect is installed into a venv under ~/.cache/haetae-bench, not the repo), /usr/bin/time.
set -euo pipefail
cd "$(dirname "$0")/../.."
N=${N:-2000}
CONC=${CONC:-32}
PORT=${PORT:-8099}
LATENCY_MS=${LATENCY_MS:-0}
PROFILE=${PROFILE:-release}
OUT=bench/out
VENV=${VENV:-$HOME/.cache/haetae-bench/venv}
mkdir -p "$OUT"

if [ ! -x "$VENV/bin/inspect" ]; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q inspect-ai openai
fi
if [ "$PROFILE" = release ]; then
  cargo build --release -p haetae-eval --examples
  BIN=target/release/examples
else
  cargo build -p haetae-eval --examples
  BIN=target/debug/examples
fi
python3 bench/eval/gen_dataset.py "$N" "$OUT/mc.jsonl"

"$BIN/mock_openai" --port "$PORT" --latency-ms "$LATENCY_MS" 2>/dev/null &
MOCK=$!
trap 'kill $MOCK 2>/dev/null || true' EXIT
sleep 0.5

echo "== haetae (${PROFILE}) =="
rm -f "$OUT/haetae.jsonl"
/usr/bin/time -v "$BIN/eval_cli" run bench/eval/mc-bench.yaml \
  --model "openai:http://127.0.0.1:$PORT/v1#mock-model" --api-key-env BENCH_NO_KEY \
  --max-samples "$CONC" --max-connections "$CONC" --log "$OUT/haetae.jsonl" --no-progress \
  2> "$OUT/haetae.time" | tee "$OUT/haetae.out"

echo "== inspect =="
rm -rf "$OUT/inspect-logs"
BENCH_DATASET="$PWD/$OUT/mc.jsonl" OPENAI_API_KEY=dummy OPENAI_BASE_URL="http://127.0.0.1:$PORT/v1" \
  /usr/bin/time -v "$VENV/bin/inspect" eval bench/eval/inspect_task.py --model openai/mock-model -M responses_api=false \
  --max-connections "$CONC" --max-samples "$CONC" --log-dir "$OUT/inspect-logs" --display none \
  2> "$OUT/inspect.time" | tee "$OUT/inspect.out"

python3 bench/eval/summarize.py "$OUT" "$N"
