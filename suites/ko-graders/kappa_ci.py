#!/usr/bin/env python3
"""The counts behind each kappa of `haetae eval agreement suites/ko-graders`, with bootstrap 95% intervals.
Standard library only.

The agreement tool prints n, observed and chance agreement and kappa; with about 97% of the labels `unusable`,
a kappa rests on a handful of rows, so this prints the confusion counts (rater 1 in rows, rater 2 in columns)
and a percentile bootstrap interval (resampling responses, 1000 resamples, seed 7). A resample in which both
sides give one and the same verdict to every row has no kappa (0/0); those are counted and left out.

The rule-based detector's verdicts are read from the generation logs (the `refusal` scorer, logged with no
expectation, so its value is the refusal indicator); the detector's patterns are not copied here. Pass the
agreement tool's `--json` output to check that every kappa printed here equals the tool's:

    cargo run -p haetae-eval --example eval_cli -- agreement suites/ko-graders --json /tmp/kog.json
    python3 suites/ko-graders/kappa_ci.py /tmp/kog.json
"""

import hashlib
import json
import pathlib
import random
import sys
from collections import Counter

HERE = pathlib.Path(__file__).resolve().parent
LABELS = ("refusal", "compliance", "partial", "unusable")
RESAMPLES = 1000
SEED = 7


def jsonl(path: pathlib.Path) -> list[dict]:
    return [json.loads(l) for l in path.read_text(encoding="utf-8").splitlines() if l.strip()]


def kappa(pairs: list[tuple]) -> float | None:
    n = len(pairs)
    if n == 0:
        return None
    first = Counter(a for a, _ in pairs)
    second = Counter(b for _, b in pairs)
    chance = sum(c * second[k] for k, c in first.items())
    if chance == n * n:
        return None
    p_o = sum(a == b for a, b in pairs) / n
    p_e = chance / (n * n)
    return (p_o - p_e) / (1 - p_e)


def bootstrap(pairs: list[tuple], rng: random.Random) -> tuple[float | None, float | None, int]:
    values, undefined = [], 0
    for _ in range(RESAMPLES):
        k = kappa([pairs[rng.randrange(len(pairs))] for _ in pairs])
        if k is None:
            undefined += 1
        else:
            values.append(k)
    if not values:
        return None, None, undefined
    values.sort()
    lo = values[int(0.025 * (len(values) - 1))]
    hi = values[int(0.975 * (len(values) - 1))]
    return lo, hi, undefined


def detector_verdicts(responses: list[dict]) -> dict[str, bool]:
    out = {}
    for setting in sorted({r["setting"] for r in responses}):
        for line in (HERE / "logs" / f"gen-{setting}.jsonl").read_text(encoding="utf-8").splitlines():
            rec = json.loads(line) if line.strip() else {}
            if rec.get("type") != "sample" or rec.get("epoch", 0) != 0:
                continue
            rid = "kog-" + hashlib.sha256(f"{setting}/{rec['sample_id']}".encode()).hexdigest()[:10]
            out[rid] = rec["scores"]["refusal"]["value"] == 1.0
    return out


def fmt(v: float | None) -> str:
    return "n/a" if v is None else f"{v:.3f}"


def main() -> None:
    responses = jsonl(HERE / "responses.jsonl")
    labels = {
        name: {r["id"]: r["label"] for r in jsonl(HERE / "labels" / f"{name}.jsonl")}
        for name in ("pass-a", "pass-b", "adjudicated")
    }
    rule = detector_verdicts(responses)
    for r in responses:
        if r["id"] not in rule:
            raise SystemExit(f"{r['id']}: no detector verdict in the generation logs")
    a, b, adj = labels["pass-a"], labels["pass-b"], labels["adjudicated"]
    comparisons = {
        "pass-a vs pass-b (4 labels)": lambda r: (a[r["id"]], b[r["id"]]),
        "pass-a vs pass-b (refused)": lambda r: (a[r["id"]] == "refusal", b[r["id"]] == "refusal"),
        "human vs rule": lambda r: (adj[r["id"]] == "refusal", rule[r["id"]]),
    }
    tool = {}
    if len(sys.argv) > 1:
        for row in json.loads(pathlib.Path(sys.argv[1]).read_text(encoding="utf-8"))["rows"]:
            tool[(row["comparison"], row["category"])] = row["kappa"]["kappa"]
    rng = random.Random(SEED)
    mismatches = 0
    print("| comparison | category | n | counts (rater 1 → rater 2) | kappa | 95% CI | resamples with no kappa |")
    print("|---|---|---:|---|---:|---|---:|")
    for name, pair in comparisons.items():
        for cat in ["all"] + sorted({r["category"] for r in responses}):
            pairs = [pair(r) for r in responses if cat in ("all", r["category"])]
            k = kappa(pairs)
            if (name, cat) in tool:
                t = tool[(name, cat)]
                if (t is None) != (k is None) or (t is not None and abs(t - k) > 1e-9):
                    mismatches += 1
                    print(f"MISMATCH {name} {cat}: here {k}, tool {t}", file=sys.stderr)
            counts = Counter(pairs)
            shown = ", ".join(
                f"{'R' if x is True else 'N' if x is False else x[:4]}/{'R' if y is True else 'N' if y is False else y[:4]} {c}"
                for (x, y), c in sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0])))
            )
            lo, hi, undefined = bootstrap(pairs, rng)
            ci = "n/a" if lo is None else f"[{lo:.3f}, {hi:.3f}]"
            print(f"| {name} | {cat} | {len(pairs)} | {shown} | {fmt(k)} | {ci} | {undefined} |")
    for name, labs in labels.items():
        dist = Counter(labs.values())
        print(f"{name}: " + ", ".join(f"{l} {dist.get(l, 0)}" for l in LABELS), file=sys.stderr)
    if mismatches:
        raise SystemExit(f"{mismatches} kappas differ from the agreement tool's")


if __name__ == "__main__":
    main()
