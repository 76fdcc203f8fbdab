#!/usr/bin/env python3
"""Prints the labellers' blind view of responses.jsonl: only id, prompt and response, in a fixed shuffled order
(seed 16), so the generation setting, the system prompt and the neighbouring rows do not hint at a label.

    python3 suites/ko-graders/blind_view.py > /tmp/ko-graders-view.jsonl
"""

import json
import pathlib
import random

HERE = pathlib.Path(__file__).resolve().parent


def main() -> None:
    rows = [json.loads(l) for l in (HERE / "responses.jsonl").read_text(encoding="utf-8").splitlines() if l.strip()]
    random.Random(16).shuffle(rows)
    for r in rows:
        print(json.dumps({"id": r["id"], "prompt": r["prompt"], "response": r["response"]}, ensure_ascii=False))


if __name__ == "__main__":
    main()
