"""Opaque pagination cursors for the public search API.

A page of results ends with a ``next`` cursor that the client sends back
verbatim to get the following page.  The cursor carries the query state: a
dict of str keys whose values are str, int, float, bool, None, or lists of
those.  Clients may store cursors and send them days later.
"""

import base64
import binascii
import json


class InvalidCursor(ValueError):
    pass


def encode_cursor(state: dict) -> str:
    raw = json.dumps(state, separators=(",", ":"), allow_nan=False).encode("utf-8")
    return base64.urlsafe_b64encode(raw).decode("ascii").rstrip("=")


def decode_cursor(token: str) -> dict:
    """Returns the state of a cursor; raises InvalidCursor if it is malformed."""
    try:
        raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
        state = json.loads(raw.decode("utf-8"))
    except (binascii.Error, ValueError, RecursionError, TypeError) as exc:
        raise InvalidCursor(str(exc)) from None
    if not isinstance(state, dict) or not all(isinstance(k, str) for k in state):
        raise InvalidCursor("cursor state must be a dict with str keys")
    return state


def next_page(items: list, cursor: str = None, page_size: int = 3):
    """Returns (page, next_cursor) for a list of items; next_cursor is None at the end."""
    state = decode_cursor(cursor) if cursor else {"offset": 0}
    offset = state.get("offset", 0)
    if not isinstance(offset, int) or isinstance(offset, bool) or offset < 0:
        raise InvalidCursor("bad offset")
    page = items[offset:offset + page_size]
    if offset + page_size >= len(items):
        return page, None
    return page, encode_cursor(dict(state, offset=offset + page_size))
