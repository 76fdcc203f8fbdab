#!/usr/bin/env bash
# Property-based API testing of the running gateway with schemathesis, driven by the gateway's own /openapi.json:
# the OpenAI-compatible /v1 API (member key) and the admin API /admin/v1 (administrator key).
#
#   bench/schemathesis/run.sh [MAX_EXAMPLES_PER_OPERATION] [extra schemathesis args...]   default 50
#
# It builds the binaries (debug), starts the mock upstream and `haetae up --upstream <mock>` on free loopback ports
# with a fresh data directory, reads the keys `haetae up` prints, and runs schemathesis with checks
# not_a_server_error, status_code_conformance, content_type_conformance, response_headers_conformance and
# response_schema_conformance, first on the public API, then on the admin API. Reports (JUnit, NDJSON, and a
# per-operation summary from summarize.py) go to bench/out/schemathesis/ (not committed); the
# schemathesis venv is kept at ~/.cache/haetae-bench/schemathesis. Exit status: schemathesis's.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
EXAMPLES=${1:-50}
shift || true

VENV=${SCHEMATHESIS_VENV:-$HOME/.cache/haetae-bench/schemathesis}
if [ ! -x "$VENV/bin/schemathesis" ]; then
  echo "== installing schemathesis into $VENV" >&2
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check schemathesis
fi

echo "== building haetae and the mock upstream (debug)" >&2
cargo build -p haetae -p haetae-mock >&2

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
MOCK_PORT=$(free_port)
GW_PORT=$(free_port)
DATA=$(mktemp -d /tmp/haetae-schemathesis.XXXXXX)
OUT=bench/out/schemathesis
mkdir -p "$OUT"
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$DATA"
}
trap cleanup EXIT

target/debug/haetae-mock-upstream --listen "127.0.0.1:$MOCK_PORT" >"$OUT/mock.log" 2>&1 &
PIDS+=($!)
HAETAE_LOG_FORMAT=json target/debug/haetae --data-dir "$DATA" up --listen "127.0.0.1:$GW_PORT" \
  --upstream "http://127.0.0.1:$MOCK_PORT/v1" >"$OUT/haetae.out" 2>"$OUT/haetae.log" &
PIDS+=($!)

for _ in $(seq 1 150); do
  grep -q '^HAETAE_KEY_PUBLIC=' "$OUT/haetae.out" 2>/dev/null && break
  if ! kill -0 "${PIDS[1]}" 2>/dev/null; then
    echo "haetae up exited:" >&2
    cat "$OUT/haetae.log" >&2
    exit 1
  fi
  sleep 0.2
done
HAETAE_ADMIN_KEY=$(sed -n 's/^HAETAE_ADMIN_KEY=//p' "$OUT/haetae.out")
HAETAE_KEY_PUBLIC=$(sed -n 's/^HAETAE_KEY_PUBLIC=//p' "$OUT/haetae.out")
[ -n "$HAETAE_ADMIN_KEY" ] && [ -n "$HAETAE_KEY_PUBLIC" ] || { echo "no keys printed" >&2; exit 1; }
export HAETAE_ADMIN_KEY HAETAE_KEY_PUBLIC
BASE=http://127.0.0.1:$GW_PORT
curl -fsS "$BASE/openapi.json" -o "$OUT/openapi.json"

# Each operation gets the key of the security scheme it documents (member_key or admin_key).
CONFIG=$OUT/schemathesis.toml
MODELS=$(curl -fsS "$BASE/v1/models" -H "Authorization: Bearer $HAETAE_KEY_PUBLIC" |
  python3 -c 'import json, sys; print(json.dumps([m["id"] for m in json.load(sys.stdin)["data"]]))')
cat >"$CONFIG" <<EOF
[auth.openapi]
member_key = { bearer = "\${HAETAE_KEY_PUBLIC}" }
admin_key = { bearer = "\${HAETAE_ADMIN_KEY}" }

# Model names the catalogue really has (\`haetae up --upstream\` registers the mock's), so that most generated
# requests get past the catalogue to the policy, the meter and the upstream; the rest test unknown models.
[dictionaries.models]
values = $MODELS

[[operations]]
include-path-regex = "^/v1/(chat/completions|embeddings)\$"
parameters = { "body.model" = { dictionary = "models", probability = 0.8 } }
EOF

# The public API first: the admin run revokes keys and suspends organisations, the member key's among them.
rc=0
for part in public admin; do
  case $part in
    public) filter='^/(v1/|healthz$|readyz$|metrics$)' ;;
    admin) filter='^/admin/v1/' ;;
  esac
  rm -rf "$OUT/$part"
  echo "== schemathesis: $part API ($filter) against $BASE/openapi.json, $EXAMPLES examples per operation" >&2
  set +e
  # From $OUT, so that schemathesis's cache (.schemathesis/) stays out of the work tree.
  (cd "$OUT" && "$VENV/bin/schemathesis" --config-file "$ROOT/$CONFIG" run "$BASE/openapi.json" \
    --include-path-regex "$filter" \
    --checks not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance \
    --max-examples "$EXAMPLES" --seed 1 --workers 1 --request-timeout 20 --continue-on-failure \
    --report junit,ndjson --report-dir "$ROOT/$OUT/$part" "$@") 2>&1 | tee "$OUT/$part.txt"
  part_rc=${PIPESTATUS[0]}
  set -e
  [ "$part_rc" -eq 0 ] || rc=$part_rc
  python3 bench/schemathesis/summarize.py "$OUT/$part"/ndjson-*.ndjson | tee "$OUT/$part-summary.md" >&2
done
# 5xx the gateway logged while under test (the detail of internal errors goes to its log, not the response).
grep -cE '"status":5[0-9][0-9]|status=5[0-9][0-9]' "$OUT/haetae.log" | sed 's/^/gateway log lines with a 5xx status: /' >&2 || true
exit "$rc"
