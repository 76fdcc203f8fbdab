"""User accounts for the team wiki, stored in SQLite."""

import hashlib
import hmac
import os
import sqlite3

ITERATIONS = 20_000


def _hash(password: str, salt: bytes) -> str:
    return hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, ITERATIONS).hex()


def connect(path: str = ":memory:") -> sqlite3.Connection:
    conn = sqlite3.connect(path)
    conn.execute(
        "CREATE TABLE IF NOT EXISTS users ("
        " id INTEGER PRIMARY KEY,"
        " name TEXT UNIQUE NOT NULL,"
        " display_name TEXT NOT NULL,"
        " salt TEXT NOT NULL,"
        " pw_hash TEXT NOT NULL)"
    )
    return conn


def add_user(conn: sqlite3.Connection, name: str, display_name: str, password: str) -> int:
    salt = os.urandom(16)
    cur = conn.execute(
        "INSERT INTO users (name, display_name, salt, pw_hash) VALUES (?, ?, ?, ?)",
        (name, display_name, salt.hex(), _hash(password, salt)),
    )
    conn.commit()
    return cur.lastrowid


def authenticate(conn: sqlite3.Connection, name: str, password: str):
    """Returns the user id if name/password are correct, else None."""
    row = conn.execute(
        "SELECT id, salt, pw_hash FROM users WHERE name = ?", (name,)
    ).fetchone()
    if row is None:
        return None
    user_id, salt_hex, pw_hash = row
    if hmac.compare_digest(_hash(password, bytes.fromhex(salt_hex)), pw_hash):
        return user_id
    return None


def search_users(conn: sqlite3.Connection, prefix: str):
    """Returns (name, display_name) of users whose name starts with prefix."""
    pattern = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    rows = conn.execute(
        "SELECT name, display_name FROM users WHERE name LIKE ? ESCAPE '\\' ORDER BY name",
        (pattern,),
    ).fetchall()
    return [tuple(r) for r in rows]
