# Sourced by the benchmarks that run the embedded model through the gateway (bench/agentic/embedded.sh,
# bench/scan/embedded.sh): one way to start it, so that they measure the same gateway.
#
#   start_embedded_gateway BIN DIR PORT LOG [WAIT_SECS] < extra.toml
#
# Writes DIR/haetae.toml (the top-level settings read from stdin, then one embedded backend with an 8,192-token
# context: the agentic prompts and the scan's find prompts are ~6,000 tokens, the default 2,048 holds neither),
# starts `BIN up` on 127.0.0.1:PORT with its data in DIR/data and its output in LOG, waits up to WAIT_SECS
# (default 60) for the demo keys, and exports HAETAE_API_KEY (the trusted demo key) and EMBEDDED_GATEWAY_PID.
# The caller stops it (e.g. `trap 'kill $EMBEDDED_GATEWAY_PID' EXIT`). Returns non-zero, with the log's tail, if
# the gateway printed no key in time.
start_embedded_gateway() {
  local bin=$1 dir=$2 port=$3 log=$4 wait=${5:-60}
  {
    cat
    cat <<'TOML'
[[backends]]
kind = "embedded"
name = "embedded"
parallel = 1
queue_depth = 8
threads = 2
context_len = 8192
TOML
  } > "$dir/haetae.toml"
  "$bin" up --config "$dir/haetae.toml" --data-dir "$dir/data" --listen "127.0.0.1:$port" > "$log" 2>&1 &
  EMBEDDED_GATEWAY_PID=$!
  export EMBEDDED_GATEWAY_PID
  local _
  for _ in $(seq "$wait"); do
    grep -q '^HAETAE_KEY_TRUSTED=' "$log" 2>/dev/null && break
    sleep 1
  done
  HAETAE_API_KEY=$(sed -n 's/^HAETAE_KEY_TRUSTED=//p' "$log")
  if [ -z "$HAETAE_API_KEY" ]; then
    echo "the gateway printed no demo key within ${wait}s; the end of $log:" >&2
    tail -n 20 "$log" >&2
    return 1
  fi
  export HAETAE_API_KEY
}
