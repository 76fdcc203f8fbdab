#!/usr/bin/env python3
"""Reads /usr/bin/time -v output of both runs and prints samples/s, CPU time and peak memory, with ratios."""
import json, re, sys

out, n = sys.argv[1], int(sys.argv[2])


def parse(path):
    t = open(path).read()
    g = lambda pat: re.search(pat, t).group(1)
    wall = g(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)")
    parts = [float(p) for p in wall.split(":")]
    secs = sum(p * 60 ** i for i, p in enumerate(reversed(parts)))
    cpu = float(g(r"User time \(seconds\): (\S+)")) + float(g(r"System time \(seconds\): (\S+)"))
    rss = int(g(r"Maximum resident set size \(kbytes\): (\d+)")) / 1024
    return secs, cpu, rss


h, i = parse(f"{out}/haetae.time"), parse(f"{out}/inspect.time")
acc = "?"
try:
    for line in open(f"{out}/haetae.jsonl"):
        rec = json.loads(line)
        if rec.get("type") == "footer":
            acc = f"{rec['metrics']['choice']['mean']:.3f}"
except (OSError, KeyError, ValueError):
    pass
print(f"samples: {n}")
print(f"{'':10} {'wall s':>8} {'samples/s':>10} {'CPU s':>8} {'peak RSS MiB':>13}")
for name, (w, c, r) in [("haetae", h), ("inspect", i)]:
    print(f"{name:10} {w:8.2f} {n / w:10.1f} {c:8.2f} {r:13.1f}")
print(f"ratio (inspect / haetae): speed x{i[0] / h[0]:.1f}, CPU x{i[1] / h[1]:.1f}, memory x{i[2] / h[2]:.1f}")
print(f"haetae accuracy {acc} (the mock answers by hash; both harnesses should agree)")
