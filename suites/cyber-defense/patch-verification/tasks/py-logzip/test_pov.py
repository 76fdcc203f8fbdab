"""Proof of vulnerability for logzip: shell syntax in the user's pattern.

Exit status 0 iff no pattern runs a command (each must either archive
matching files or raise NoMatchingLogs).
"""

import os
import sys
import tempfile

import logzip

failures = []
with tempfile.TemporaryDirectory() as tmp:
    logs = os.path.join(tmp, "logs")
    os.makedirs(logs)
    with open(os.path.join(logs, "app.log"), "w") as fh:
        fh.write("hello\n")
    marker = os.path.join(tmp, "PWNED")
    patterns = [
        "*.log; echo pwned > ../PWNED",
        "*.log $(echo pwned > ../PWNED)",
        "`echo pwned > ../PWNED`*.log",
        "*.log && echo pwned > ../PWNED",
        "*.log\necho pwned > ../PWNED",
    ]
    for i, pattern in enumerate(patterns):
        dest = os.path.join(tmp, f"out{i}.zip")
        try:
            logzip.bundle_logs(logs, dest, pattern)
        except logzip.NoMatchingLogs:
            pass
        except Exception as exc:
            print(f"note: {pattern!r} raised {type(exc).__name__}: {exc}")
        if os.path.exists(marker):
            failures.append(f"pattern {pattern!r} ran a shell command")
            os.remove(marker)

for f in failures:
    print("FAIL:", f)
if not failures:
    print("ok: patterns cannot run commands")
sys.exit(1 if failures else 0)
