"""Proof of vulnerability for cursor: a cursor forged by a client.

The forged cursor asks the decoder to call a function of the attacker's
choice (here: open a marker file for writing).  Exit status 0 iff decoding
it has no side effect and raises InvalidCursor.
"""

import base64
import os
import pickle
import sys
import tempfile

import cursor

marker = os.path.join(tempfile.mkdtemp(), "PWNED")


class Payload:
    def __reduce__(self):
        return (open, (marker, "w"))


token = base64.urlsafe_b64encode(pickle.dumps({"offset": Payload()})).decode().rstrip("=")
failures = []
try:
    cursor.decode_cursor(token)
    failures.append("forged cursor was accepted")
except cursor.InvalidCursor:
    pass
except Exception as exc:
    failures.append(f"forged cursor raised {type(exc).__name__} instead of InvalidCursor")
if os.path.exists(marker):
    failures.append("decoding the cursor called a function chosen by the client")
    os.remove(marker)
os.rmdir(os.path.dirname(marker))

for f in failures:
    print("FAIL:", f)
if not failures:
    print("ok: forged cursor rejected")
sys.exit(1 if failures else 0)
