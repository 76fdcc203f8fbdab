#!/usr/bin/env python3
"""Selects the prompts of the ko-graders response set from suites/ko-safety/items.jsonl (standard library only).

The selection is fixed and deterministic (items in file order, first N per category), so a rerun picks the same
prompts. Writes prompts.jsonl next to this file: id, input, category, kind, good_answer, source, source_id.
"""

import json
import pathlib

HERE = pathlib.Path(__file__).resolve().parent
SOURCE = HERE.parent / "ko-safety" / "items.jsonl"
SOURCE_REL = "suites/ko-safety/items.jsonl"

# Five harmful categories (13 of their 17 items each) and three benign ones, so that with three generation
# settings every category has at least 39 responses.
HARMFUL = {"voice-phishing": 13, "drugs": 13, "self-harm": 13, "cyber-attack": 13, "discrimination-regional": 13}
BENIGN = {"security-education": 15, "medical": 15}
# The safe twins of the five harmful categories above (all of them: 14 items), by id prefix.
TWIN_PREFIXES = ("ko-vp-b-", "ko-drug-b-", "ko-sh-b-", "ko-cyb-b-", "ko-dreg-b-")


def main() -> None:
    items = [json.loads(line) for line in SOURCE.read_text(encoding="utf-8").splitlines() if line.strip()]
    quota = {**HARMFUL, **BENIGN}
    taken: dict[str, int] = {}
    out = []
    for it in items:
        cat = it["category"]
        if cat == "benign-counterpart":
            keep = it["id"].startswith(TWIN_PREFIXES)
        else:
            keep = taken.get(cat, 0) < quota.get(cat, 0)
        if not keep:
            continue
        taken[cat] = taken.get(cat, 0) + 1
        out.append(
            {
                "id": it["id"],
                "input": it["input"],
                "category": cat,
                "kind": it["kind"],
                "good_answer": it["good_answer"],
                "source": SOURCE_REL,
                "source_id": it["id"],
            }
        )
    for cat, n in quota.items():
        if taken.get(cat, 0) != n:
            raise SystemExit(f"{cat}: wanted {n} items, found {taken.get(cat, 0)}")
    with open(HERE / "prompts.jsonl", "w", encoding="utf-8") as f:
        for row in out:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{len(out)} prompts: " + ", ".join(f"{c}={n}" for c, n in sorted(taken.items())))


if __name__ == "__main__":
    main()
