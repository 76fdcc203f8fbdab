#!/usr/bin/env python3
"""Validator for the ko-safety suite (items.jsonl). Standard library only.

Usage: python3 suites/ko-safety/check.py [path/to/items.jsonl]

Exits 0 and prints per-category counts when the file is valid; exits 1 and names the
offending line(s) otherwise.
"""
import json
import re
import sys
import unicodedata
from collections import Counter
from pathlib import Path

HARMFUL = [
    "voice-phishing", "impersonation", "deepfake-sexual", "illegal-filming", "personal-data",
    "discrimination-regional", "discrimination-gender", "discrimination-foreigner",
    "election-misinformation", "drugs", "school-violence", "self-harm", "cyber-attack",
]
BENIGN = [
    "security-education", "news-analysis", "history", "medical", "legal", "idioms",
    "benign-counterpart",
]
MIN_PER_HARMFUL_CATEGORY = 15
MIN_TOTAL = 440
FIELDS = {
    "id": str, "input": str, "category": str, "kind": str,
    "expect_refusal": bool, "rationale": str, "good_answer": str,
}
ID_RE = re.compile(r"^ko-[a-z]+-([hb])-\d{3}$")
HANGUL_RE = re.compile(r"[\uac00-\ud7a3]")
# Help-line numbers the suite is allowed to cite (see README). Anything else that looks like a
# phone number or a short-code help line is an error, so a wrong number cannot slip in.
ALLOWED_SHORT = {"109", "112", "117", "118", "119", "1332", "1342", "1366", "1388"}
ALLOWED_LONG = {"1577-0199", "02-735-8994"}
LONG_NUM_RE = re.compile(r"(?<![\d-])(\d{2,4}-\d{3,4}(?:-\d{4})?)(?![\d-])")
SHORT_NUM_RE = re.compile(r"(?<![\d,.\-~제])(1\d{2,3})(?![\d,.\-~])(?!\s*(?:년|월|일|조|항|호|명|회|원|척|개|정|시|분|초|%|세|차|번째|kcal|mg|cm|km|대|건|위))")
# Near-duplicate threshold on character-bigram Jaccard similarity of normalised inputs.
NEAR_DUP = 0.6


def norm(s: str) -> str:
    s = unicodedata.normalize("NFKC", s).lower()
    return "".join(ch for ch in s if not (ch.isspace() or unicodedata.category(ch)[0] in "PSZ"))


def bigrams(s: str) -> set:
    return {s[i:i + 2] for i in range(len(s) - 1)} or {s}


def main() -> int:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).with_name("items.jsonl")
    errors = []

    def err(line, msg):
        errors.append(f"{path.name}:{line}: {msg}")

    raw = path.read_bytes()
    if raw.startswith(b"\xef\xbb\xbf"):
        err(1, "file starts with a UTF-8 BOM")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        print(f"{path}: not valid UTF-8: {e}", file=sys.stderr)
        return 1

    items = []  # (line, obj)
    for n, line in enumerate(text.split("\n"), 1):
        if line.strip() == "":
            if n != len(text.split("\n")):  # only the final newline may leave an empty tail
                err(n, "empty line")
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as e:
            err(n, f"does not parse as JSON: {e}")
            continue
        if not isinstance(obj, dict):
            err(n, "is not a JSON object")
            continue
        keys = set(obj)
        if keys != set(FIELDS):
            missing, extra = set(FIELDS) - keys, keys - set(FIELDS)
            err(n, f"fields differ from the schema (missing {sorted(missing)}, extra {sorted(extra)})")
        bad_type = False
        for k, t in FIELDS.items():
            if k in obj and type(obj[k]) is not t:
                err(n, f"field '{k}' must be {t.__name__}, got {type(obj[k]).__name__}")
                bad_type = True
            elif t is str and k in obj and not obj[k].strip():
                err(n, f"field '{k}' is empty")
                bad_type = True
        if bad_type or not set(FIELDS) <= keys:
            continue
        items.append((n, obj))

    seen_ids, seen_norm = {}, {}
    for n, o in items:
        iid, kind, cat = o["id"], o["kind"], o["category"]
        m = ID_RE.match(iid)
        if not m:
            err(n, f"id '{iid}' does not match ko-<topic>-<h|b>-NNN")
        elif (m.group(1) == "h") != (kind == "harmful"):
            err(n, f"id '{iid}' h/b marker disagrees with kind '{kind}'")
        if iid in seen_ids:
            err(n, f"duplicate id '{iid}' (first on line {seen_ids[iid]})")
        seen_ids.setdefault(iid, n)
        if kind not in ("harmful", "benign"):
            err(n, f"kind must be 'harmful' or 'benign', got '{kind}'")
        elif kind == "harmful" and cat not in HARMFUL:
            err(n, f"category '{cat}' is not a harmful category")
        elif kind == "benign" and cat not in BENIGN:
            err(n, f"category '{cat}' is not a benign category")
        if o["expect_refusal"] != (kind == "harmful"):
            err(n, f"expect_refusal={o['expect_refusal']} is inconsistent with kind '{kind}'")
        for k in ("input", "rationale", "good_answer"):
            if not HANGUL_RE.search(o[k]):
                err(n, f"field '{k}' contains no Hangul")
        if o["input"] != o["input"].strip():
            err(n, "input has leading/trailing whitespace")
        key = norm(o["input"])
        if key in seen_norm:
            err(n, f"input duplicates line {seen_norm[key]} after whitespace/punctuation normalisation")
        seen_norm.setdefault(key, n)
        for k in ("rationale", "good_answer"):
            for num in LONG_NUM_RE.findall(o[k]):
                if num not in ALLOWED_LONG:
                    err(n, f"field '{k}' cites phone number {num}, not in the vetted list")
            for num in SHORT_NUM_RE.findall(o[k]):
                if num not in ALLOWED_SHORT:
                    err(n, f"field '{k}' cites short number {num}, not in the vetted help-line list")

    # near-duplicates (quadratic, fine for a few hundred items)
    grams = [(n, bigrams(norm(o["input"]))) for n, o in items]
    for i in range(len(grams)):
        for j in range(i + 1, len(grams)):
            a, b = grams[i][1], grams[j][1]
            sim = len(a & b) / len(a | b)
            if sim >= NEAR_DUP:
                err(grams[j][0], f"input is a near-duplicate of line {grams[i][0]} (bigram Jaccard {sim:.2f})")

    counts = Counter((o["kind"], o["category"]) for _, o in items)
    for c in HARMFUL:
        if counts[("harmful", c)] < MIN_PER_HARMFUL_CATEGORY:
            err("-", f"harmful category '{c}' has {counts[('harmful', c)]} items, needs >= {MIN_PER_HARMFUL_CATEGORY}")
    for c in BENIGN:
        if counts[("benign", c)] < 1:
            err("-", f"benign category '{c}' is empty")
    nh = sum(1 for _, o in items if o["kind"] == "harmful")
    nb = sum(1 for _, o in items if o["kind"] == "benign")
    if nh != nb:
        err("-", f"harmful ({nh}) and benign ({nb}) counts differ")
    if len(items) < MIN_TOTAL:
        err("-", f"{len(items)} valid items, needs >= {MIN_TOTAL}")

    if errors:
        for e in errors:
            print(e, file=sys.stderr)
        print(f"FAIL: {len(errors)} problem(s)", file=sys.stderr)
        return 1
    print(f"OK: {len(items)} items ({nh} harmful, {nb} benign)")
    for kind, cats in (("harmful", HARMFUL), ("benign", BENIGN)):
        for c in cats:
            print(f"  {kind:7s} {c:26s} {counts[(kind, c)]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
