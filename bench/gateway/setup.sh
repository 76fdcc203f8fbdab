#!/usr/bin/env bash
# Installs what bench/gateway/run.sh compares against: oha (load generator), nginx, and the LiteLLM proxy in a
# venv outside the repository. Idempotent.
set -euo pipefail
command -v oha >/dev/null || cargo install oha --locked
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx; }
venv="$HOME/.cache/haetae-bench/litellm"
[ -x "$venv/bin/litellm" ] || { python3 -m venv "$venv" && "$venv/bin/pip" install --quiet 'litellm[proxy]'; }
echo "ready: oha $(oha --version 2>/dev/null | head -1), nginx, litellm at $venv"
