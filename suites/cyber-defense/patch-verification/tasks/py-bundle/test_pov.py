"""Proof of vulnerability for bundle: entries whose names leave the theme
directory.  Exit status 0 iff each such bundle is refused with BadBundle and
nothing is written outside the theme directory."""

import os
import sys
import tempfile

from test_basic import make_tar

import bundle

failures = []
with tempfile.TemporaryDirectory() as tmp:
    theme = os.path.join(tmp, "site", "themes", "blue")
    os.makedirs(theme)
    outside = {
        "../../escape1.txt": os.path.join(tmp, "site", "escape1.txt"),
        "css/../../../escape2.txt": os.path.join(tmp, "site", "escape2.txt"),
        os.path.join(tmp, "escape3.txt"): os.path.join(tmp, "escape3.txt"),
    }
    for i, (name, path) in enumerate(outside.items()):
        archive = os.path.join(tmp, f"evil{i}.tar.gz")
        make_tar(archive, [("style.css", b"ok"), (name, b"pwned")])
        try:
            bundle.install_bundle(archive, theme)
            failures.append(f"bundle with entry {name!r} was accepted")
        except bundle.BadBundle:
            pass
        except Exception as exc:
            failures.append(f"entry {name!r}: raised {type(exc).__name__}: {exc}")
        if os.path.exists(path):
            failures.append(f"entry {name!r} wrote {path} outside the theme directory")
            os.remove(path)

for f in failures:
    print("FAIL:", f)
if not failures:
    print("ok: entries outside the theme directory are refused")
sys.exit(1 if failures else 0)
