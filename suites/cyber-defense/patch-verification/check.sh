#!/bin/sh
# Self-check of the patch-verification tasks.
#
#   sh check.sh [TASK_ID...]        (default: every directory under tasks/)
#
# For every task, in a fresh temporary copy of the task directory (without
# reference/), it checks that
#   1. with the vulnerable files:  build succeeds, tests pass, pov FAILS
#                                  (with exit status 1: PoVs exit 0 when the
#                                  program is not vulnerable, 1 when it is,
#                                  anything else on a harness error);
#   2. with reference/<file> copied over each editable file:
#                                  build succeeds, tests pass, pov PASSES.
# Each command runs under  ulimit -v 524288 -t 10  (512 MiB of address
# space, 10 s of CPU per process) and, where timeout(1) exists, a 60 s wall
# clock limit.  Needs /bin/sh, cc and python3; exits 0 iff every task passes.
# Set KEEP=1 to keep the temporary directories, VERBOSE=1 to print logs.

here=$(cd "$(dirname "$0")" && pwd) || exit 2
tasks_dir=$here/tasks
tmp_root=$(mktemp -d "${TMPDIR:-/tmp}/pv-check.XXXXXX") || exit 2
[ -n "$KEEP" ] || trap 'rm -rf "$tmp_root"' EXIT
if command -v timeout >/dev/null 2>&1; then wall="timeout 60"; else wall=; fi

# field TASK_JSON NAME: prints a task.json field (lists space-separated)
field() {
    python3 - "$1" "$2" <<'PY'
import json, sys
task = json.load(open(sys.argv[1]))
value = task[sys.argv[2]]
print(" ".join(value) if isinstance(value, list) else value)
PY
}

# validate TASK_DIR: checks task.json and the reference files
validate() {
    python3 - "$1" <<'PY'
import json, os, sys
d = sys.argv[1]
t = json.load(open(os.path.join(d, "task.json")))
need = {"id": str, "language": str, "cwe": str, "title": str, "description": str,
        "editable": list, "build": str, "pov": str, "tests": str}
errs = [f"missing or mistyped field {k!r}" for k, ty in need.items() if not isinstance(t.get(k), ty)]
if not errs:
    if t["id"] != os.path.basename(d):
        errs.append(f"id {t['id']!r} does not match the directory name")
    if t["language"] not in ("c", "python"):
        errs.append(f"unexpected language {t['language']!r}")
    if not t["cwe"].startswith("CWE-") or not t["cwe"][4:].isdigit():
        errs.append(f"bad cwe {t['cwe']!r}")
    if not t["editable"]:
        errs.append("no editable files")
    for f in t["editable"]:
        for p in (os.path.join(d, f), os.path.join(d, "reference", f)):
            if not os.path.isfile(p):
                errs.append(f"missing {p}")
        if os.path.isfile(os.path.join(d, f)) and os.path.isfile(os.path.join(d, "reference", f)):
            if open(os.path.join(d, f), "rb").read() == open(os.path.join(d, "reference", f), "rb").read():
                errs.append(f"reference/{f} is identical to {f}")
    extra = set(os.listdir(os.path.join(d, "reference"))) - set(t["editable"]) if os.path.isdir(os.path.join(d, "reference")) else set()
    if extra:
        errs.append(f"reference/ holds non-editable files: {sorted(extra)}")
for e in errs:
    print(f"  {e}")
sys.exit(1 if errs else 0)
PY
}

# step DIR LABEL COMMAND: runs COMMAND in DIR under the limits; returns its status
step() {
    log=$2.log
    if [ -z "$3" ]; then
        return 0
    fi
    (cd "$1" && ulimit -v 524288 && ulimit -t 10 && exec $wall sh -c "$3") >"$tmp_root/$log" 2>&1
    rc=$?
    if [ -n "$VERBOSE" ]; then
        sed 's/^/      | /' "$tmp_root/$log"
    fi
    return $rc
}

# run_variant TASK_DIR VARIANT(vulnerable|reference): prints the failures
run_variant() {
    src=$1 variant=$2 id=$(basename "$1")
    work=$tmp_root/$id-$variant
    rm -rf "$work"
    cp -R "$src" "$work" || return 1
    rm -rf "$work/reference"
    if [ "$variant" = reference ]; then
        for f in $(field "$src/task.json" editable); do
            cp "$src/reference/$f" "$work/$f" || return 1
        done
    fi
    ok=0
    if ! step "$work" "$id-$variant-build" "$(field "$src/task.json" build)"; then
        echo "  $variant: build failed (log: $id-$variant-build.log)"
        tail -n 15 "$tmp_root/$id-$variant-build.log" | sed 's/^/      | /'
        return 1
    fi
    if ! step "$work" "$id-$variant-tests" "$(field "$src/task.json" tests)"; then
        echo "  $variant: tests failed"
        tail -n 15 "$tmp_root/$id-$variant-tests.log" | sed 's/^/      | /'
        ok=1
    fi
    step "$work" "$id-$variant-pov" "$(field "$src/task.json" pov)"
    pov_rc=$?
    if [ "$variant" = vulnerable ] && [ $pov_rc -eq 0 ]; then
        echo "  vulnerable: pov PASSED (it must fail on the vulnerable program)"
        ok=1
    elif [ "$variant" = vulnerable ] && [ $pov_rc -ne 1 ]; then
        echo "  vulnerable: pov exited $pov_rc, not 1 (a harness error rather than a detected vulnerability?)"
        tail -n 15 "$tmp_root/$id-$variant-pov.log" | sed 's/^/      | /'
        ok=1
    fi
    if [ "$variant" = reference ] && [ $pov_rc -ne 0 ]; then
        echo "  reference: pov FAILED (status $pov_rc)"
        tail -n 15 "$tmp_root/$id-$variant-pov.log" | sed 's/^/      | /'
        ok=1
    fi
    return $ok
}

if [ $# -gt 0 ]; then
    ids=$*
else
    ids=$(cd "$tasks_dir" && for d in */; do printf '%s ' "${d%/}"; done)
fi

total=0 failed=0
for id in $ids; do
    total=$((total + 1))
    dir=$tasks_dir/$id
    if [ ! -f "$dir/task.json" ]; then
        echo "FAIL $id: no task.json"
        failed=$((failed + 1))
        continue
    fi
    msgs=$(validate "$dir"; run_variant "$dir" vulnerable; run_variant "$dir" reference)
    if [ -n "$msgs" ]; then
        echo "FAIL $id"
        printf '%s\n' "$msgs"
        failed=$((failed + 1))
    else
        echo "ok   $id  (vulnerable: tests pass, pov fails; reference: tests pass, pov passes)"
    fi
done
echo "$((total - failed))/$total tasks pass"
[ -n "$KEEP" ] && echo "work directories kept in $tmp_root"
[ $failed -eq 0 ]
