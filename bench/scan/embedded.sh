#!/usr/bin/env bash
# The embedded model (SmolLM2-135M) running `haetae scan` on the patch-verification suite's twelve repositories,
# through the gateway like any other client (the trusted demo key; access control, the guard, the meter and the
# ledger apply). Each task's repository is copied without what would give the answer away (the reference fix,
# the suite's PoV script and task.json) and gets a haetae-scan.toml naming its own build and test scripts.
# Expected: few or no verified findings; the point is the record of what a small model does at each stage.
#   bench/scan/embedded.sh [TASK...]     (a build of the CLI first; HAETAE_BIN picks it; OUT the results folder)
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=${HAETAE_BIN:-target/release/haetae}
out=${OUT:-bench/scan/out/embedded}
tasks_dir=suites/cyber-defense/patch-verification/tasks
mkdir -p "$out"
out=$(cd "$out" && pwd)
work=$(mktemp -d)
# shellcheck source=../lib/embedded-gateway.sh
. bench/lib/embedded-gateway.sh
trap 'kill "${EMBEDDED_GATEWAY_PID:-}" 2>/dev/null; rm -rf "$work"' EXIT
# A find prompt carries up to 12,000 characters of code: on two shared cores the small model can take longer than
# the default five minutes to read it and answer.
start_embedded_gateway "$bin" "$work" 18089 "$out/up.log" 120 <<'TOML'
request_timeout_secs = 1800
TOML
tasks=("$@")
[ ${#tasks[@]} -gt 0 ] || mapfile -t tasks < <(ls "$tasks_dir")
for t in "${tasks[@]}"; do
  repo="$work/repos/$t"
  mkdir -p "$repo"
  cp -r "$tasks_dir/$t/." "$repo/"
  rm -rf "$repo/reference" "$repo/pov.sh" "$repo/task.json"
  case "$t" in
    c-*) cat > "$repo/haetae-scan.toml" <<'TOML'
language = "c"
build = "sh build.sh"
test = "sh build.sh && sh tests.sh"
pov_file = "pov.c"
pov = "ASAN_OPTIONS=detect_leaks=0 cc -fsanitize=address,undefined -fno-omit-frame-pointer -g -I. -o .haetae-pov/pov .haetae-pov/pov.c $(ls *.c | grep -v '^main.c$') && ASAN_OPTIONS=detect_leaks=0 ./.haetae-pov/pov"
trigger = "sanitizer"
TOML
    ;;
    py-*) cat > "$repo/haetae-scan.toml" <<'TOML'
language = "python"
test = "sh tests.sh"
pov_file = "pov.py"
pov = "PYTHONPATH=. python3 .haetae-pov/pov.py"
trigger = "marker"
TOML
    ;;
  esac
  /usr/bin/time -f "$t: %e s wall" "$bin" scan "$repo" --gateway http://127.0.0.1:18089/v1 \
    --model smollm2-135m --out "$out/$t" --max-candidates 3 --max-tokens 768 --timeout 900 > "$out/$t.log" 2>&1 \
    || echo "$t: scan exited $?" >> "$out/$t.log"
  tail -n 3 "$out/$t.log"
done
python3 - "$out" "${tasks[@]}" <<'PY'
import json, sys, os, collections
out, tasks = sys.argv[1], sys.argv[2:]
print("| task | units | model calls | candidates (over budget) | by status | verified findings |")
print("|---|---:|---:|---:|---|---:|")
for t in tasks:
    p = os.path.join(out, t, "report.json")
    if not os.path.exists(p):
        print(f"| {t} | — | — | — | no report (see {t}.log) | — |")
        continue
    r = json.load(open(p))
    cands = r.get("candidates", [])
    st = collections.Counter(c.get("status") for c in cands)
    calls = len(r.get("find_calls", [])) + sum(
        1 for c in cands for s in c.get("stages", []) if s.get("call"))
    units = r.get("units", "?")
    print(f"| {t} | {units} | {calls} | {len(cands)} ({len(r.get('over_budget', []))}) | {', '.join(f'{k} {v}' for k, v in sorted(st.items())) or '—'} | {len(r.get('findings', []))} |")
PY
