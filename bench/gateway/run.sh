#!/usr/bin/env bash
# Gateway overhead: the same load sent straight to the mock upstream and through the gateway, in one run.
# Usage: bench/gateway/run.sh [--profile release|debug] [--duration 10s] [--connections 8] [--latency-ms 0]
# Needs wrk (Debian package `wrk`). Reports p50/p90/p99 latency and requests/s for both, and the added latency.
set -euo pipefail
cd "$(dirname "$0")/../.."
profile=release duration=10s connections=8 latency=0
while [ $# -gt 0 ]; do
  case "$1" in
    --profile) profile=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --latency-ms) latency=$2; shift 2 ;;
    *) echo "unknown argument $1" >&2; exit 2 ;;
  esac
done
flag=$([ "$profile" = release ] && echo --release || true)
cargo build $flag -p haetae -p haetae-mock --no-default-features >&2
bin=target/$([ "$profile" = release ] && echo release || echo debug)
work=$(mktemp -d); trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
"$bin/haetae-mock-upstream" --listen 127.0.0.1:18181 --latency-ms "$latency" >/dev/null &
sleep 0.5
HAETAE_LOG=warn "$bin/haetae" up --listen 127.0.0.1:18180 --data-dir "$work/data" --upstream http://127.0.0.1:18181/v1 >"$work/up.txt" &
for _ in $(seq 100); do grep -q '^HAETAE_KEY_PUBLIC=' "$work/up.txt" 2>/dev/null && break; sleep 0.2; done
key=$(grep '^HAETAE_KEY_PUBLIC=' "$work/up.txt" | cut -d= -f2)
cat >"$work/post.lua" <<LUA
wrk.method = "POST"
wrk.body = '{"model":"mock-1","messages":[{"role":"user","content":"Summarise this alert: failed ssh logins from 203.0.113.7"}]}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $key"
LUA
run() { wrk -t2 -c"$connections" -d"$duration" --latency -s "$work/post.lua" "$1" | tee "$work/$2.txt" >&2; }
run http://127.0.0.1:18181/v1/chat/completions direct
run http://127.0.0.1:18180/v1/chat/completions gateway
pct() { awk -v p="$2" '$1==p {print $2}' "$work/$1.txt"; }
rps() { awk '/Requests\/sec/ {print $2}' "$work/$1.txt"; }
echo "| path | p50 | p90 | p99 | requests/s |"
echo "| --- | --- | --- | --- | --- |"
for w in direct gateway; do echo "| $w | $(pct $w 50%) | $(pct $w 90%) | $(pct $w 99%) | $(rps $w) |"; done
echo
echo "profile=$profile connections=$connections duration=$duration mock latency=${latency}ms; every stage on (auth, principal, tier authorise, ledger with fsync)"
