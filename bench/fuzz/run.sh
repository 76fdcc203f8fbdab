#!/usr/bin/env bash
# Builds the cargo-fuzz targets in fuzz/ and runs each for a bounded time from its seed corpus, one at a time,
# then writes a Markdown summary (executions, exec/s, coverage, findings) to bench/fuzz/RESULTS.md.
#
#   bench/fuzz/run.sh [SECONDS_PER_TARGET] [TARGET...]     default 60 s, every target
#   bench/fuzz/run.sh --write-ledger-seeds                 regenerate fuzz/corpus/ledger_{entry,note}
#
# Environment:
#   FUZZ_SANITIZER    cargo fuzz sanitizer (default: none — the code under test is safe Rust, and ASan halves the
#                     executions per second; use `address` to check unsafe dependencies too)
#   FUZZ_JOBS         parallel compile jobs (default 2)
#   FUZZ_KEEP_CORPUS  1: keep the working corpus in fuzz/work/ between runs (default: start from the seeds)
#   FUZZ_RESULTS      where to write the summary (default bench/fuzz/RESULTS.md; "-" for none)
#   FUZZ_NOTE         one line for the summary's header (e.g. what this run is for)
#
# Needs cargo-fuzz (`cargo install cargo-fuzz --locked`, installed here if missing). Runs on stable Rust with
# RUSTC_BOOTSTRAP=1, which cargo fuzz needs for its -Z flags. A target that finds something stops early; its input
# is kept in fuzz/artifacts/<target>/ and named in the summary (reproduce with
# `fuzz/target/x86_64-unknown-linux-gnu/release/<target> <file>`).
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD

ALL_TARGETS=(gateway_request policy_guard policy_scope ledger_entry ledger_note ledger_proof eval_suite eval_dataset)
SANITIZER=${FUZZ_SANITIZER:-none}
JOBS=${FUZZ_JOBS:-2}
RESULTS=${FUZZ_RESULTS:-bench/fuzz/RESULTS.md}
BIN=fuzz/target/x86_64-unknown-linux-gnu/release
export RUSTC_BOOTSTRAP=1 CARGO_TERM_COLOR=never

if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "== installing cargo-fuzz"
  cargo install cargo-fuzz --locked
fi

build() {
  echo "== building fuzz targets (sanitizer: $SANITIZER)"
  local t0=$SECONDS
  CARGO_BUILD_JOBS=$JOBS cargo fuzz build -s "$SANITIZER" --codegen-units 16
  BUILD_SECS=$((SECONDS - t0))
  echo "built in ${BUILD_SECS}s"
}

if [ "${1:-}" = "--write-ledger-seeds" ]; then
  build
  for t in ledger_entry ledger_note; do
    rm -rf "fuzz/corpus/$t"
    HAETAE_FUZZ_WRITE_SEEDS="fuzz/corpus/$t" "$BIN/$t"
    echo "$t: $(ls "fuzz/corpus/$t" | wc -l) seeds"
  done
  exit 0
fi

SECS=${1:-60}
shift || true
TARGETS=("$@")
COMMAND="bench/fuzz/run.sh $SECS${*:+ $*}"
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=("${ALL_TARGETS[@]}")

# Per-target options: the longest input worth trying and a dictionary.
max_len() {
  case $1 in
    ledger_proof) echo 2048 ;;
    policy_scope | ledger_entry) echo 4096 ;;
    *) echo 8192 ;;
  esac
}
dict() {
  case $1 in
    gateway_request | policy_guard) echo fuzz/dict/openai.dict ;;
    eval_suite | eval_dataset) echo fuzz/dict/suite.dict ;;
    ledger_note) echo fuzz/dict/ledger.dict ;;
    *) echo "" ;;
  esac
}

build
mkdir -p fuzz/work fuzz/artifacts bench/out/fuzz
ROWS=()
TOTAL_FINDINGS=0
for t in "${TARGETS[@]}"; do
  [ -x "$BIN/$t" ] || { echo "no such target: $t" >&2; exit 2; }
  work=fuzz/work/$t
  arts=fuzz/artifacts/$t
  [ "${FUZZ_KEEP_CORPUS:-0}" = 1 ] || rm -rf "$work"
  mkdir -p "$work" "$arts" "fuzz/corpus/$t"
  before=$(ls "$arts" | sort)
  log=bench/out/fuzz/$t.log
  args=(-max_total_time="$SECS" -print_final_stats=1 -timeout=10 -rss_limit_mb=2048 -max_len="$(max_len "$t")"
        -artifact_prefix="$arts/")
  d=$(dict "$t")
  [ -z "$d" ] || args+=(-dict="$d")
  echo "== $t (${SECS}s)"
  set +e
  "$BIN/$t" "${args[@]}" "$work" "fuzz/corpus/$t" >"$log" 2>&1
  rc=$?
  set -e
  stat() { { grep -oE "stat::$1:[[:space:]]*[0-9]+" "$log" || true; } | tail -1 | awk '{print $2}'; }
  runs=$(stat number_of_executed_units)
  eps=$(stat average_exec_per_sec)
  last=$({ grep -E '#[0-9]+.*cov: [0-9]+' "$log" || true; } | tail -1)
  pick() { { grep -oE "$1" <<<"$last" || true; } | awk '{print $2}'; }
  cov=$(pick 'cov: [0-9]+')
  ft=$(pick 'ft: [0-9]+')
  corp=$(pick 'corp: [0-9]+/[0-9]+[a-zA-Z]*')
  seeds=$(ls "fuzz/corpus/$t" | wc -l)
  new=$(comm -13 <(echo "$before") <(ls "$arts" | sort) | sed '/^$/d')
  if [ -n "$new" ]; then
    findings=$(echo "$new" | sed "s|^|$arts/|" | paste -sd ' ' -)
    what=$({ grep -m1 -A1 -E "panicked at" "$log" || grep -m1 -E "ERROR: libFuzzer" "$log" || true; } \
      | tr '\n' ' ' | sed 's/|/\\|/g' | cut -c1-200)
    findings="**$findings** — ${what}"
    TOTAL_FINDINGS=$((TOTAL_FINDINGS + $(echo "$new" | wc -l)))
  elif [ "$rc" -ne 0 ]; then
    findings="**exit $rc, no artifact** (see $log)"
    TOTAL_FINDINGS=$((TOTAL_FINDINGS + 1))
  else
    findings="none"
  fi
  echo "   runs=${runs:-?} exec/s=${eps:-?} cov=${cov:-?} ft=${ft:-?} corpus=${corp:-?} findings: $findings"
  ROWS+=("| \`$t\` | ${runs:-?} | ${eps:-?} | ${cov:-?} | ${ft:-?} | $seeds → ${corp:-?} | $findings |")
done

if [ "$RESULTS" != "-" ]; then
  notes=""
  if [ -f "$RESULTS" ] && grep -q '^## Notes' "$RESULTS"; then
    notes=$(sed -n '/^## Notes/,$p' "$RESULTS")
  fi
  cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//' || true)
  {
    echo "# Fuzzing results"
    echo
    echo "Generated by \`bench/fuzz/run.sh\`; the Notes section at the end is kept across runs."
    echo
    echo "- date: $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "- machine: $(nproc) cores ($cpu), $(free -g | awk '/Mem:/{print $2}') GiB RAM, shared with other builds"
    echo "- toolchain: $(rustc --version), $(cargo fuzz --version), sanitizer: $SANITIZER, RUSTC_BOOTSTRAP=1"
    echo "- command: \`$COMMAND\`"
    echo "- build: ${BUILD_SECS}s (\`cargo fuzz build\`, incremental unless noted)"
    [ -z "${FUZZ_NOTE:-}" ] || echo "- note: $FUZZ_NOTE"
    echo
    echo "Each target ran ${SECS}s, one at a time, single-threaded, starting from its seed corpus"
    echo "(\`fuzz/corpus/<target>/\`). *cov* is libFuzzer's count of covered edges, *ft* its count of features; *corpus*"
    echo "is seeds → inputs kept at the end (count/bytes)."
    echo
    echo "| target | executions | exec/s | cov | ft | corpus | findings |"
    echo "| --- | ---: | ---: | ---: | ---: | --- | --- |"
    printf '%s\n' "${ROWS[@]}"
    echo
    if [ -n "$notes" ]; then echo "$notes"; fi
  } >"$RESULTS"
  echo "wrote $RESULTS"
fi
echo "findings: $TOTAL_FINDINGS"
[ "$TOTAL_FINDINGS" -eq 0 ]
