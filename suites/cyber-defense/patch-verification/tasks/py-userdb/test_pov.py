"""Proof of vulnerability for userdb: attacker-controlled names.

Exit status 0 iff a crafted user name can neither log in without the right
password nor make search_users return data other than names and display
names of matching users.
"""

import hashlib
import sys

import userdb

conn = userdb.connect()
userdb.add_user(conn, "admin", "Administrator", "a long random admin password")
userdb.add_user(conn, "bob", "Bob Stone", "s3cret!")
failures = []

# Log in as a forged row whose salt and hash the attacker chose.
salt = b"\x00" * 16
forged = hashlib.pbkdf2_hmac("sha256", b"x", salt, userdb.ITERATIONS).hex()
name = f"nobody' UNION SELECT 1, '{salt.hex()}', '{forged}' --"
try:
    uid = userdb.authenticate(conn, name, "x")
except Exception as exc:  # an error is not a bypass
    uid = None
    print(f"authenticate raised {type(exc).__name__}: {exc}")
if uid is not None:
    failures.append(f"authenticate({name!r}, 'x') returned user id {uid}")

# Read password hashes through the search box.
probe = "zzz' UNION SELECT name, pw_hash FROM users --"
try:
    rows = userdb.search_users(conn, probe)
except Exception as exc:
    rows = []
    print(f"search_users raised {type(exc).__name__}: {exc}")
hashes = {r[0] for r in conn.execute("SELECT pw_hash FROM users")}
if any(col in hashes for row in rows for col in row) or rows:
    failures.append(f"search_users({probe!r}) returned {rows!r}")

for f in failures:
    print("FAIL:", f)
if not failures:
    print("ok: crafted names are treated as data")
sys.exit(1 if failures else 0)
