#!/usr/bin/env python3
"""Validator for the vulnerability-detection items (items.jsonl).

    python3 check.py [--items items.jsonl] [--strict] [--no-syntax] [--summary]

Checks, for every line of items.jsonl:
  * it parses as a JSON object with exactly the fields id, pair_id, language,
    cwe, cwe_name, vulnerable, code, rationale, of the right types;
  * ids are unique and well formed (vd-<c|py|js|java>-NNN-<v|p>), the id
    prefix matches the language, pair_id is the id without -v/-p, and
    vulnerable is true exactly for the -v member;
  * every pair has exactly one -v and one -p member with the same language,
    cwe and cwe_name, and the two codes differ;
  * code is 5-40 lines, the rationale is present and short, and the code
    contains no words that give the answer away (vulnerable, unsafe, fixed,
    CWE, TODO, ...);
  * there are at least 15 pairs per language and 60 pairs in all;
  * the code compiles: C with `gcc -fsyntax-only` (implicit declarations are
    errors), Python with compile(), JavaScript with `node --check`, Java with
    `javac` (servlet API stubs are supplied for the servlet items).

A missing compiler is reported as SKIP; with --strict a skip is an error.
Exit status 0 iff every check passes.  Standard library only.
"""

import argparse
import collections
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))

FIELDS = {
    "id": str,
    "pair_id": str,
    "language": str,
    "cwe": str,
    "cwe_name": str,
    "vulnerable": bool,
    "code": str,
    "rationale": str,
}
PREFIX = {"c": "c", "python": "py", "javascript": "js", "java": "java"}
ID_RE = re.compile(r"^vd-(c|py|js|java)-(\d{3})-(v|p)$")
CWE_RE = re.compile(r"^CWE-[1-9]\d*$")
MIN_PAIRS_PER_LANGUAGE = 15
MIN_PAIRS = 60
# Words that would reveal the label or the intent of the code.
GIVEAWAY_RE = re.compile(
    r"vulnerab|\bunsafe|insecure|exploit|\bcwe\b|\bfix(ed|es)?\b|fixme|\btodo\b|\bxxx\b|\bhack|"
    r"\bbug|\bpatch(ed)?\b|\binjection\b|\bsanitiz|\bdangerous|\battack",
    re.IGNORECASE,
)

# Minimal javax.servlet API used by the Java servlet items (not part of the JDK).
SERVLET_STUBS = {
    "javax/servlet/ServletException.java": """
package javax.servlet;
public class ServletException extends Exception {
    public ServletException() { }
    public ServletException(String message) { super(message); }
}
""",
    "javax/servlet/http/HttpServlet.java": """
package javax.servlet.http;
public abstract class HttpServlet {
    protected void doGet(HttpServletRequest req, HttpServletResponse resp)
            throws javax.servlet.ServletException, java.io.IOException { }
    protected void doPost(HttpServletRequest req, HttpServletResponse resp)
            throws javax.servlet.ServletException, java.io.IOException { }
}
""",
    "javax/servlet/http/HttpServletRequest.java": """
package javax.servlet.http;
public interface HttpServletRequest {
    String getParameter(String name);
    String getRemoteUser();
    boolean isUserInRole(String role);
    String getPathInfo();
    HttpSession getSession();
    HttpSession getSession(boolean create);
}
""",
    "javax/servlet/http/HttpSession.java": """
package javax.servlet.http;
public interface HttpSession {
    Object getAttribute(String name);
}
""",
    "javax/servlet/http/HttpServletResponse.java": """
package javax.servlet.http;
public interface HttpServletResponse {
    int SC_NO_CONTENT = 204;
    int SC_BAD_REQUEST = 400;
    int SC_UNAUTHORIZED = 401;
    int SC_FORBIDDEN = 403;
    int SC_NOT_FOUND = 404;
    java.io.PrintWriter getWriter() throws java.io.IOException;
    void setContentType(String type);
    void setStatus(int sc);
    void sendError(int sc) throws java.io.IOException;
    void sendRedirect(String location) throws java.io.IOException;
}
""",
}


class Report:
    def __init__(self):
        self.errors = []
        self.skips = []

    def error(self, where, msg):
        self.errors.append(f"{where}: {msg}")

    def skip(self, msg):
        self.skips.append(msg)


def load(path, rep):
    items = []
    with open(path, encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            where = f"line {lineno}"
            if not line.strip():
                rep.error(where, "blank line")
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                rep.error(where, f"invalid JSON: {exc}")
                continue
            if not isinstance(obj, dict):
                rep.error(where, "not a JSON object")
                continue
            missing = [k for k in FIELDS if k not in obj]
            extra = [k for k in obj if k not in FIELDS]
            if missing:
                rep.error(where, f"missing fields {missing}")
            if extra:
                rep.error(where, f"unexpected fields {extra}")
            bad = [k for k, ty in FIELDS.items() if k in obj and not isinstance(obj[k], ty)]
            if bad:
                rep.error(where, f"wrong types for {bad}")
            if missing or bad:
                continue
            obj["_line"] = lineno
            items.append(obj)
    return items


def check_items(items, rep):
    seen = set()
    pairs = collections.defaultdict(list)
    for it in items:
        where = f"line {it['_line']} ({it['id']})"
        if it["id"] in seen:
            rep.error(where, "duplicate id")
        seen.add(it["id"])
        m = ID_RE.match(it["id"])
        if not m:
            rep.error(where, "id must look like vd-<c|py|js|java>-NNN-<v|p>")
            continue
        if it["language"] not in PREFIX:
            rep.error(where, f"unknown language {it['language']!r}")
        elif PREFIX[it["language"]] != m.group(1):
            rep.error(where, f"id prefix {m.group(1)!r} does not match language {it['language']!r}")
        if it["pair_id"] != it["id"][:-2]:
            rep.error(where, f"pair_id {it['pair_id']!r} should be {it['id'][:-2]!r}")
        if it["vulnerable"] != (m.group(3) == "v"):
            rep.error(where, "vulnerable must be true for -v and false for -p")
        if not CWE_RE.match(it["cwe"]):
            rep.error(where, f"bad cwe {it['cwe']!r}")
        if not it["cwe_name"].strip():
            rep.error(where, "empty cwe_name")
        nlines = it["code"].rstrip("\n").count("\n") + 1
        if not 5 <= nlines <= 40:
            rep.error(where, f"code has {nlines} lines (want 5-40)")
        r = it["rationale"].strip()
        if not r or len(r) > 400:
            rep.error(where, f"rationale must be 1-400 characters (has {len(r)})")
        g = GIVEAWAY_RE.search(it["code"])
        if g:
            rep.error(where, f"code contains the give-away word {g.group(0)!r}")
        pairs[it["pair_id"]].append(it)

    per_lang = collections.Counter()
    for pid, members in sorted(pairs.items()):
        kinds = sorted(m["id"][-1] for m in members)
        if kinds != ["p", "v"]:
            rep.error(pid, f"pair must have exactly one -v and one -p member (has {[m['id'] for m in members]})")
            continue
        a, b = members
        for k in ("language", "cwe", "cwe_name"):
            if a[k] != b[k]:
                rep.error(pid, f"members differ in {k}: {a[k]!r} vs {b[k]!r}")
        if a["code"] == b["code"]:
            rep.error(pid, "vulnerable and patched code are identical")
        per_lang[a["language"]] += 1
    for lang in PREFIX:
        if per_lang[lang] < MIN_PAIRS_PER_LANGUAGE:
            rep.error("counts", f"{lang}: {per_lang[lang]} pairs (want >= {MIN_PAIRS_PER_LANGUAGE})")
    if sum(per_lang.values()) < MIN_PAIRS:
        rep.error("counts", f"{sum(per_lang.values())} pairs in all (want >= {MIN_PAIRS})")
    return pairs, per_lang


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120, **kw)


def check_c(items, tmp, rep):
    cc = shutil.which("gcc") or shutil.which("cc")
    if not cc:
        rep.skip("C: no gcc/cc found")
        return 0
    n = 0
    for it in items:
        path = os.path.join(tmp, it["id"] + ".c")
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(it["code"])
        p = run([cc, "-fsyntax-only", "-std=gnu11", "-Wall",
                 "-Werror=implicit-function-declaration", "-Werror=implicit-int", path])
        if p.returncode != 0:
            rep.error(it["id"], "gcc -fsyntax-only failed:\n" + p.stderr.strip())
        n += 1
    return n


def check_python(items, tmp, rep):
    for it in items:
        try:
            compile(it["code"], it["id"] + ".py", "exec", dont_inherit=True)
        except SyntaxError as exc:
            rep.error(it["id"], f"Python syntax error: {exc}")
    return len(items)


def check_js(items, tmp, rep):
    node = shutil.which("node")
    if not node:
        rep.skip("JavaScript: no node found")
        return 0
    for it in items:
        path = os.path.join(tmp, it["id"] + ".js")
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(it["code"])
        p = run([node, "--check", path])
        if p.returncode != 0:
            rep.error(it["id"], "node --check failed:\n" + (p.stderr or p.stdout).strip())
    return len(items)


TYPE_RE = re.compile(r"^(?:public\s+)?(?:(?:final|abstract)\s+)*(?:class|interface|record|enum)\s+(\w+)", re.M)
PUBLIC_TYPE_RE = re.compile(r"^public\s+(?:(?:final|abstract)\s+)*(?:class|interface|record|enum)\s+(\w+)", re.M)


def check_java(items, tmp, rep):
    javac = shutil.which("javac")
    if not javac:
        rep.skip("Java: no javac found")
        return 0
    src = os.path.join(tmp, "java-src")
    out = os.path.join(tmp, "java-out")
    os.makedirs(out)
    files, owner = [], {}
    for rel, text in SERVLET_STUBS.items():
        path = os.path.join(src, rel)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(text.lstrip())
        files.append(path)
    for it in items:
        m = PUBLIC_TYPE_RE.search(it["code"]) or TYPE_RE.search(it["code"])
        if not m:
            rep.error(it["id"], "Java code must be a complete compilation unit (no top-level type found)")
            continue
        pkg = "vd." + it["id"].replace("-", "_")
        d = os.path.join(src, *pkg.split("."))
        os.makedirs(d, exist_ok=True)
        path = os.path.join(d, m.group(1) + ".java")
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(f"package {pkg};\n" + it["code"])
        files.append(path)
        owner[os.path.abspath(path)] = it["id"]
    p = run([javac, "-proc:none", "-nowarn", "-Xlint:none", "-encoding", "UTF-8", "-d", out] + files)
    if p.returncode != 0:
        blamed = set()
        for line in (p.stdout + p.stderr).splitlines():
            m = re.match(r"^(.*\.java):(\d+): error: (.*)$", line)
            if m and os.path.abspath(m.group(1)) in owner:
                iid = owner[os.path.abspath(m.group(1))]
                rep.error(iid, f"javac: line {int(m.group(2)) - 1}: {m.group(3)}")
                blamed.add(iid)
        if not blamed:
            rep.error("java", "javac failed:\n" + (p.stdout + p.stderr).strip())
    return len(items)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--items", default=os.path.join(HERE, "items.jsonl"))
    ap.add_argument("--strict", action="store_true", help="treat a missing compiler as an error")
    ap.add_argument("--no-syntax", action="store_true", help="skip the compiler checks")
    ap.add_argument("--summary", action="store_true", help="print the counts per language and CWE")
    args = ap.parse_args()

    rep = Report()
    items = load(args.items, rep)
    pairs, per_lang = check_items(items, rep)

    checked = {}
    if not args.no_syntax:
        by_lang = collections.defaultdict(list)
        for it in items:
            by_lang[it["language"]].append(it)
        with tempfile.TemporaryDirectory() as tmp:
            checked["c"] = check_c(by_lang["c"], tmp, rep)
            checked["python"] = check_python(by_lang["python"], tmp, rep)
            checked["javascript"] = check_js(by_lang["javascript"], tmp, rep)
            checked["java"] = check_java(by_lang["java"], tmp, rep)

    if args.summary:
        cwe_counts = collections.Counter()
        for members in pairs.values():
            cwe_counts[(members[0]["language"], members[0]["cwe"])] += 1
        for lang in PREFIX:
            row = ", ".join(f"{cwe} x{n}" for (l, cwe), n in sorted(
                cwe_counts.items(), key=lambda kv: int(kv[0][1][4:])) if l == lang)
            print(f"{lang:10} {per_lang[lang]:3} pairs: {row}")

    print(f"{len(items)} items, {len(pairs)} pairs "
          f"({', '.join(f'{lang} {per_lang[lang]}' for lang in PREFIX)})")
    if checked:
        print("compiled: " + ", ".join(f"{lang} {n}" for lang, n in checked.items()))
    for s in rep.skips:
        print("SKIP", s)
    for e in rep.errors:
        print("ERROR", e)
    if rep.errors or (args.strict and rep.skips):
        print(f"FAILED: {len(rep.errors)} error(s), {len(rep.skips)} skip(s)")
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
