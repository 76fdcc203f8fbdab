"""Proof of vulnerability for validators: a long e-mail-like string.

The sign-up form validates whatever the client typed.  Exit status 0 iff
validating each probe below finishes within 2 seconds (a correct validator
takes microseconds) and rejects it.
"""

import subprocess
import sys

PROBES = ["a" * 40 + "!", "a" * 38 + "@example.c"]
CHILD = "import sys, validators; sys.exit(0 if not validators.is_valid_email(sys.argv[1]) else 3)"

failures = []
for probe in PROBES:
    try:
        proc = subprocess.run([sys.executable, "-c", CHILD, probe], timeout=2)
    except subprocess.TimeoutExpired:
        failures.append(f"is_valid_email({probe!r}) did not finish within 2 s")
        continue
    if proc.returncode != 0:
        failures.append(f"is_valid_email({probe!r}) returned True or failed (status {proc.returncode})")

for f in failures:
    print("FAIL:", f)
if not failures:
    print("ok: validation is fast")
sys.exit(1 if failures else 0)
