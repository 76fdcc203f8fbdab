#!/usr/bin/env python3
"""Consistency checks for the log-analysis suite (python3 stdlib only).

Run from anywhere:  python3 suites/cyber-defense/log-analysis/check.py
Exits non-zero on any failure.

Checks:
  * determinism: generate.py, re-run into a temporary folder, reproduces items.jsonl and
    reference_answers.jsonl byte for byte;
  * schema, unique ids, fixed label vocabulary, every label used at least twice, attack label fits the
    log kind, roughly one third of the instructions in Korean;
  * each input: an instruction naming the whole vocabulary, then 40-150 lines numbered 0001.. without gaps;
  * first_malicious_line is null exactly for "none"; otherwise it is in range, that line contains at least
    one indicator, and the first indicator occurs nowhere earlier; every indicator occurs in the log;
  * reference_answers.jsonl equals the labels of items.jsonl;
  * safety: every IPv4 literal in a log is an RFC 5737 documentation or private address and every host
    name under a common public TLD is an example name;
  * score_answer() (the reference scorer) gives full marks to every reference answer and zero to wrong ones.
"""
import json
import os
import re
import subprocess
import sys
import tempfile
import ipaddress

HERE = os.path.dirname(os.path.abspath(__file__))
LABELS = [
    "ssh-brute-force", "sql-injection", "path-traversal", "webshell", "credential-stuffing",
    "encoded-powershell", "credential-dumping", "ransomware-precursor", "persistence-scheduled-task",
    "dns-tunnelling", "none",
]
KIND_OF = {"ssh-brute-force": "auth", "sql-injection": "web", "path-traversal": "web", "webshell": "web",
           "credential-stuffing": "web", "encoded-powershell": "process", "credential-dumping": "process",
           "ransomware-precursor": "process", "persistence-scheduled-task": "process", "dns-tunnelling": "dns"}
ITEM_KEYS = {"id", "log_kind", "input", "attack", "first_malicious_line", "indicators", "rationale"}
ANSWER_KEYS = {"id", "attack", "first_malicious_line", "indicators"}
SAFE_NETS = [ipaddress.ip_network(n) for n in (
    "10.0.0.0/8", "127.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16",
    "192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24")]
PUBLIC_TLDS = {"com", "net", "org", "io", "ru", "cn", "info", "xyz", "top", "co", "uk", "de", "biz", "me", "us", "kr",
               "app", "dev", "cloud", "site", "online", "su", "tk", "pw", "cc", "ws", "in", "jp", "eu", "fr", "nl", "onion"}
LINE_RE = re.compile(r"^(\d{4}) \| (.*)$")
IPV4_RE = re.compile(r"(?<![0-9./])([0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3})(?![0-9]|\.[0-9])")
HOST_RE = re.compile(r"(?i)(?<![a-z0-9_.-])((?:[a-z0-9-]+\.)+([a-z]{2,}))(?![a-z0-9_-])")
HANGUL = re.compile(r"[\uac00-\ud7a3]")

errors = []


def fail(msg):
    errors.append(msg)


def load_jsonl(path):
    with open(path, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def log_lines(item):
    """The numbered log lines of an item's input, as (number, text)."""
    out = []
    for raw in item["input"].split("\n"):
        m = LINE_RE.match(raw)
        if m:
            out.append((int(m.group(1)), m.group(2)))
    return out


# ------------------------------------------------------------------------------ reference scorer
def parse_answer(text):
    """First JSON object in a model reply (code fences and surrounding prose are tolerated)."""
    dec = json.JSONDecoder()
    for i, ch in enumerate(text):
        if ch == "{":
            try:
                obj, _ = dec.raw_decode(text[i:])
            except json.JSONDecodeError:
                continue
            if isinstance(obj, dict):
                return obj
    return None


def _norm(s):
    s = str(s).strip().strip("\"'`").strip().lower()
    return s.replace("\\\\", "\\")


def score_answer(item, text):
    """Reference scoring of one reply.

    attack: 1 iff the label equals the reference label.
    line_exact / line_within_2: for attack items, 1 iff first_malicious_line is an integer equal to /
      within 2 of the reference; for "none" items, 1 iff it is null.
    indicator_recall: share of the reference indicators that are named, i.e. occur (case-insensitively,
      as a substring) in at least one reported indicator; None for "none" items.
    """
    ans = parse_answer(text) or {}
    gold_attack, gold_line, gold_inds = item["attack"], item["first_malicious_line"], item["indicators"]
    attack = ans.get("attack")
    line = ans.get("first_malicious_line")
    inds = ans.get("indicators")
    inds = [_norm(x) for x in inds if isinstance(x, (str, int, float))] if isinstance(inds, list) else []
    out = {"parsed": bool(ans), "attack": 1.0 if attack == gold_attack else 0.0}
    if gold_attack == "none":
        ok = 1.0 if line is None else 0.0
        out.update(line_exact=ok, line_within_2=ok, indicator_recall=None)
    else:
        is_int = isinstance(line, int) and not isinstance(line, bool)
        d = abs(line - gold_line) if is_int else None
        out.update(line_exact=1.0 if d == 0 else 0.0, line_within_2=1.0 if d is not None and d <= 2 else 0.0)
        named = sum(1 for g in gold_inds if any(_norm(g) in m for m in inds))
        out["indicator_recall"] = named / len(gold_inds)
    return out


# ------------------------------------------------------------------------------------------ checks
def check_determinism():
    with tempfile.TemporaryDirectory() as tmp:
        r = subprocess.run([sys.executable, os.path.join(HERE, "generate.py"), "--out", tmp],
                           capture_output=True, text=True)
        if r.returncode != 0:
            fail(f"generate.py failed: {r.stderr.strip()}")
            return
        for name in ("items.jsonl", "reference_answers.jsonl"):
            with open(os.path.join(tmp, name), "rb") as a, open(os.path.join(HERE, name), "rb") as b:
                if a.read() != b.read():
                    fail(f"{name} differs from a fresh run of generate.py (not deterministic, or not regenerated)")


def check_safety(iid, lines):
    for n, text in lines:
        for m in IPV4_RE.finditer(text):
            ip = ipaddress.ip_address(m.group(1))
            if not any(ip in net for net in SAFE_NETS):
                fail(f"{iid} line {n}: address {ip} is not documentation/private")
        for m in HOST_RE.finditer(text):
            host, tld = m.group(1).lower(), m.group(2).lower()
            if tld in PUBLIC_TLDS and "example" not in host.split("."):
                fail(f"{iid} line {n}: host {host} is not an example name")


def main():
    check_determinism()
    items = load_jsonl(os.path.join(HERE, "items.jsonl"))
    answers = load_jsonl(os.path.join(HERE, "reference_answers.jsonl"))
    ids, counts, korean = set(), {lab: 0 for lab in LABELS}, 0
    for it in items:
        if set(it) != ITEM_KEYS:
            fail(f"item {it.get('id')}: keys {sorted(it)} != {sorted(ITEM_KEYS)}")
            continue
        iid = it["id"]
        if not re.fullmatch(r"la-\d{3}", iid) or iid in ids:
            fail(f"{iid}: bad or duplicate id")
        ids.add(iid)
        if it["log_kind"] not in ("auth", "web", "process", "dns"):
            fail(f"{iid}: unknown log_kind {it['log_kind']}")
        lab = it["attack"]
        if lab not in LABELS:
            fail(f"{iid}: unknown attack label {lab}")
            continue
        counts[lab] += 1
        if lab != "none" and KIND_OF[lab] != it["log_kind"]:
            fail(f"{iid}: {lab} in a {it['log_kind']} log")
        head = it["input"].split("\n0001 | ", 1)[0]
        for v in LABELS:
            if v not in head:
                fail(f"{iid}: instruction does not list label {v}")
        if "first_malicious_line" not in head or "indicators" not in head:
            fail(f"{iid}: instruction does not state the JSON answer format")
        if HANGUL.search(head):
            korean += 1
        lines = log_lines(it)
        nums = [n for n, _ in lines]
        if nums != list(range(1, len(lines) + 1)):
            fail(f"{iid}: log lines are not numbered 1..n without gaps")
        if not 40 <= len(lines) <= 150:
            fail(f"{iid}: {len(lines)} log lines (need 40-150)")
        if f"({len(lines)} lines)" not in head and f"({len(lines)}줄)" not in head:
            fail(f"{iid}: instruction states the wrong line count")
        texts = [t for _, t in lines]
        first, inds = it["first_malicious_line"], it["indicators"]
        if not isinstance(inds, list) or not all(isinstance(x, str) and x for x in inds) or len(set(inds)) != len(inds):
            fail(f"{iid}: indicators must be distinct non-empty strings")
            continue
        if lab == "none":
            if first is not None or inds:
                fail(f"{iid}: a none item needs first_malicious_line null and no indicators")
        else:
            if not (isinstance(first, int) and not isinstance(first, bool) and 1 <= first <= len(lines)):
                fail(f"{iid}: first_malicious_line {first!r} out of range")
                continue
            if not 1 <= len(inds) <= 4:
                fail(f"{iid}: {len(inds)} indicators (need 1-4)")
            for ind in inds:
                if not any(ind in t for t in texts):
                    fail(f"{iid}: indicator {ind!r} does not occur in the log")
            if not any(ind in texts[first - 1] for ind in inds):
                fail(f"{iid}: line {first} contains none of the indicators")
            earliest = next((i + 1 for i, t in enumerate(texts) if inds[0] in t), None)
            if earliest != first:
                fail(f"{iid}: first indicator {inds[0]!r} first occurs at line {earliest}, not {first}")
            if f"line {first}" not in it["rationale"]:
                fail(f"{iid}: rationale does not cite line {first}")
        if len(it["rationale"]) < 60:
            fail(f"{iid}: rationale too short")
        check_safety(iid, lines)

    for lab, c in counts.items():
        if c < 2:
            fail(f"label {lab}: used {c} times (need >= 2)")
    if len(items) < 40:
        fail(f"{len(items)} items (need >= 40)")
    share = korean / max(1, len(items))
    if not 0.25 <= share <= 0.42:
        fail(f"Korean instructions: {korean}/{len(items)} (want about one third)")

    by_id = {it["id"]: it for it in items if "id" in it}
    if [a.get("id") for a in answers] != [it.get("id") for it in items]:
        fail("reference_answers.jsonl ids/order differ from items.jsonl")
    for a in answers:
        it = by_id.get(a.get("id"))
        if it is None or set(a) != ANSWER_KEYS:
            fail(f"reference answer {a.get('id')}: bad keys or unknown id")
            continue
        for k in ("attack", "first_malicious_line", "indicators"):
            if a[k] != it[k]:
                fail(f"reference answer {a['id']}: {k} differs from the item")
        reply = "```json\n" + json.dumps({k: a[k] for k in ("attack", "first_malicious_line", "indicators")}) + "\n```"
        s = score_answer(it, reply)
        if s["attack"] != 1 or s["line_exact"] != 1 or s["indicator_recall"] not in (None, 1.0):
            fail(f"reference answer {a['id']} does not score full marks: {s}")
        if it["attack"] != "none":
            wrong = score_answer(it, '{"attack": "none", "first_malicious_line": null, "indicators": []}')
            near = score_answer(it, json.dumps({"attack": it["attack"], "first_malicious_line": it["first_malicious_line"] + 2,
                                                "indicators": [it["indicators"][0].upper()]}))
            if wrong["attack"] or wrong["line_exact"] or wrong["line_within_2"] or wrong["indicator_recall"]:
                fail(f"scorer gives credit to a 'none' reply on {a['id']}: {wrong}")
            if near["line_exact"] or not near["line_within_2"] or near["indicator_recall"] != 1 / len(it["indicators"]):
                fail(f"scorer mis-scores a near-miss on {a['id']}: {near}")

    if errors:
        for e in errors:
            print("FAIL:", e)
        print(f"{len(errors)} problem(s)")
        return 1
    summary = ", ".join(f"{lab}={counts[lab]}" for lab in LABELS)
    kinds = {}
    for it in items:
        kinds[it["log_kind"]] = kinds.get(it["log_kind"], 0) + 1
    print(f"ok: {len(items)} items ({summary}); kinds {kinds}; Korean {korean}/{len(items)}; deterministic")
    return 0


if __name__ == "__main__":
    sys.exit(main())
