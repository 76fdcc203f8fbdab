#!/usr/bin/env python3
"""Summarises a schemathesis NDJSON report: per operation, the test cases sent, the status codes received and the
failed checks (with the status, the generation phase/scenario and the response's error message).

    python3 bench/schemathesis/summarize.py bench/out/schemathesis/ndjson-*.ndjson  (the newest is used)
"""

import base64
import collections
import json
import sys


def main(paths):
    path = sorted(paths)[-1]
    cases = collections.Counter()
    statuses = collections.defaultdict(collections.Counter)
    failures = collections.defaultdict(set)
    examples = {}
    for line in open(path):
        event = json.loads(line)
        s = event.get("ScenarioFinished")
        if not s:
            continue
        rec = s.get("recorder", {})
        label = rec.get("label", "?")
        for case_id, inter in rec.get("interactions", {}).items():
            resp = inter.get("response") or {}
            code = resp.get("status_code")
            cases[label] += 1
            statuses[label][code] += 1
            for check in rec.get("checks", {}).get(case_id, []):
                if check.get("status") != "failure":
                    continue
                info = check.get("failure_info", {}).get("failure", {})
                meta = rec.get("cases", {}).get(case_id, {}).get("value", {}).get("meta", {})
                scenario = (meta.get("phase", {}).get("data", {}) or {}).get("description") or meta.get(
                    "phase", {}
                ).get("name", "")
                key = (check["name"], code, info.get("title", ""))
                failures[label].add(key)
                if (label, key) not in examples:
                    body = resp.get("content", {}).get("$base64")
                    text = base64.b64decode(body).decode(errors="replace")[:160] if body else ""
                    examples[(label, key)] = (scenario, info.get("message", "").replace("\n", "; "), text)
    total = sum(cases.values())
    print(f"report: {path}")
    print(f"operations: {len(cases)}, test cases: {total}")
    print()
    print("| operation | cases | statuses | failures |")
    print("| --- | ---: | --- | --- |")
    for label in sorted(cases):
        st = ", ".join(f"{c}×{n}" for c, n in sorted(statuses[label].items(), key=lambda x: str(x[0])))
        f = "; ".join(f"{name} ({code})" for name, code, _ in sorted(failures[label], key=str)) or "—"
        print(f"| `{label}` | {cases[label]} | {st} | {f} |")
    if examples:
        print()
        print("Failures:")
        for (label, (name, code, title)), (scenario, message, text) in sorted(examples.items(), key=str):
            print(f"- {label}: {name} {code} {title} — {scenario} — {message} — {text}")


if __name__ == "__main__":
    main(sys.argv[1:])
