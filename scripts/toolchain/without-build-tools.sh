#!/usr/bin/env bash
# Runs a command as if this machine had no cmake, clang, llvm-config or libclang: in a private mount namespace,
# those files are hidden (overlay whiteouts over the directories that hold them, an empty tmpfs over LLVM's and
# CMake's own trees). Nothing outside the command sees a change. Needs root (unshare, mount).
#
#   scripts/toolchain/without-build-tools.sh cargo run --release -- up
set -euo pipefail
[[ $# -gt 0 ]] || { echo "usage: $0 COMMAND [ARG...]" >&2; exit 2; }
exec unshare --mount --propagation private bash -s "$@" <<'INNER'
set -euo pipefail
scratch="$(mktemp -d /tmp/haetae-no-tools-XXXXXX)"
mount -t tmpfs none "$scratch"
shopt -s nullglob
n=0
for dir in /usr/bin /usr/local/bin /usr/lib/x86_64-linux-gnu /usr/lib/aarch64-linux-gnu /usr/lib64 /usr/local/lib; do
  [[ -d "$dir" ]] || continue
  hide=()
  for f in "$dir"/{cmake,ccmake,cpack,ctest,clang,clang-[0-9]*,clang++*,clang-cpp*,llvm-config*,libclang*,libLLVM*}; do
    hide+=("$(basename "$f")")
  done
  ((${#hide[@]} > 0)) || continue
  n=$((n + 1))
  mkdir -p "$scratch/$n/upper" "$scratch/$n/work"
  for name in "${hide[@]}"; do mknod "$scratch/$n/upper/$name" c 0 0; done
  mount -t overlay overlay -o "lowerdir=$dir,upperdir=$scratch/$n/upper,workdir=$scratch/$n/work" "$dir"
done
for tree in /usr/lib/llvm-* /usr/share/cmake* /usr/lib/clang /usr/include/clang /usr/local/share/cmake*; do
  [[ -d "$tree" ]] && mount -t tmpfs none "$tree"
done
for tool in cmake clang llvm-config; do
  if command -v "$tool" >/dev/null; then echo "still visible: $tool" >&2; exit 1; fi
done
exec "$@"
INNER
