#!/usr/bin/env bash
# Embedded model benchmark: Haetae's embedded backend vs llama.cpp through llama-cpp-python, same GGUF, same
# prompt, same thread count, one after the other in this run. Peak memory is each process's maximum RSS.
#
#   bench/embedded/run.sh [--threads N] [--gen N] [--runs N]
#
# Needs: the model (scripts/fetch-model.sh), /usr/bin/time, and llama-cpp-python
# built with the same kernels as ours: CMAKE_ARGS="-DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON
# -DGGML_F16C=ON -DGGML_BMI2=ON" python3 -m pip install llama-cpp-python. Output: bench/out/embedded/*.
set -euo pipefail
cd "$(dirname "$0")/../.."

THREADS=2 GEN=128 RUNS=3 PROFILE=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --release) PROFILE=(--release); shift ;;
    --threads) THREADS="$2"; shift 2 ;;
    --gen) GEN="$2"; shift 2 ;;
    --runs) RUNS="$2"; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done

MODEL="${HAETAE_MODEL_PATH:-$(scripts/fetch-model.sh)}"
OUT=bench/out/embedded
mkdir -p "$OUT"

# Build first so compilation is not measured. The GGML_* variables select llama.cpp's AVX2 kernels (see
# docs/embedded-model.md); they are inherited from the environment when set. The default (dev) profile is enough:
# llama.cpp is compiled RelWithDebInfo (-O2) in both dev and release here, and no Rust code is on the per-token hot
# path beyond a few microseconds; --release builds the bench binary optimised as well.
BENCH_BIN="$(cargo build -p haetae-models --bench embedded_bench "${PROFILE[@]}" --message-format=json \
  | python3 -c 'import json,sys
for l in sys.stdin:
    m = json.loads(l)
    if m.get("reason") == "compiler-artifact" and m["target"]["name"] == "embedded_bench" and m.get("executable"):
        print(m["executable"])')"

echo "== haetae (llama-cpp-2), $THREADS threads" >&2
/usr/bin/time -v -o "$OUT/haetae.time" "$BENCH_BIN" --model "$MODEL" --threads "$THREADS" --gen "$GEN" --runs "$RUNS" \
  | tee "$OUT/haetae.jsonl"
echo "== llama-cpp-python, $THREADS threads" >&2
/usr/bin/time -v -o "$OUT/llama_cpp_python.time" python3 bench/embedded/llama_cpp_python.py --model "$MODEL" \
  --threads "$THREADS" --gen "$GEN" --runs "$RUNS" | tee "$OUT/llama_cpp_python.jsonl"

python3 - "$OUT" <<'PY'
import json, re, sys
out = sys.argv[1]
def summary(name):
    lines = [json.loads(l) for l in open(f"{out}/{name}.jsonl") if l.strip()]
    s = [l for l in lines if l.get("summary")][0]
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", open(f"{out}/{name}.time").read()).group(1))
    s["peak_rss_mib"] = rss / 1024
    return s
h, r = summary("haetae"), summary("llama_cpp_python")
print(f"| metric | haetae | llama-cpp-python | ratio |")
print(f"|---|---|---|---|")
for k, label in [("prompt_tok_s", "prompt tokens/s"), ("gen_tok_s", "generated tokens/s"), ("peak_rss_mib", "peak RSS (MiB)")]:
    print(f"| {label} | {h[k]:.1f} | {r[k]:.1f} | {h[k] / r[k]:.2f} |")
PY
