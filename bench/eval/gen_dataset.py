#!/usr/bin/env python3
"""Writes the benchmark's multiple-choice dataset: N arithmetic items, four choices, fixed seed."""
import json, random, sys

n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
out = sys.argv[2] if len(sys.argv) > 2 else "mc.jsonl"
rng = random.Random(1234)
with open(out, "w") as f:
    for i in range(n):
        a, b = rng.randint(1, 999), rng.randint(1, 999)
        right = a + b
        wrong = set()
        while len(wrong) < 3:
            w = right + rng.choice([-1, 1]) * rng.randint(1, 50)
            if w != right:
                wrong.add(w)
        choices = [str(x) for x in list(wrong) + [right]]
        rng.shuffle(choices)
        target = "ABCD"[choices.index(str(right))]
        f.write(json.dumps({"id": f"q{i}", "input": f"What is {a} + {b}?", "choices": choices,
                            "target": target, "category": ["small", "large"][right >= 1000]}) + "\n")
