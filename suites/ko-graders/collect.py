#!/usr/bin/env python3
"""Collects the generation logs (logs/gen-<setting>.jsonl, Haetae run logs) into responses.jsonl and the replay
script for the grader run (grade-replay.json). Standard library only. Run by generate.sh.

Every response is the model's output exactly as the log holds it: nothing is edited, trimmed or filtered.
"""

import hashlib
import json
import pathlib
import sys

HERE = pathlib.Path(__file__).resolve().parent
SETTINGS = ("none", "safety", "helpful")


def read_log(path: pathlib.Path) -> tuple[dict, list[dict], dict | None]:
    header, samples, footer = None, [], None
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        rec = json.loads(line)
        kind = rec.get("type")
        if kind == "header":
            header = rec
        elif kind == "sample":
            samples.append(rec)
        elif kind == "footer":
            footer = rec
    if header is None:
        raise SystemExit(f"{path}: no header line")
    return header, samples, footer


def main() -> None:
    model_path = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else None
    model_sha = hashlib.sha256(model_path.read_bytes()).hexdigest() if model_path else None
    prompts = {
        p["id"]: p
        for p in (json.loads(l) for l in (HERE / "prompts.jsonl").read_text(encoding="utf-8").splitlines() if l.strip())
    }
    rows = []
    for setting in SETTINGS:
        header, samples, footer = read_log(HERE / "logs" / f"gen-{setting}.jsonl")
        if footer is None or footer.get("status") != "complete":
            raise SystemExit(f"gen-{setting}: the run did not complete; rerun generate.sh")
        gen = header["spec"].get("generate", {})
        by_id = {s["sample_id"]: s for s in samples if s.get("epoch", 0) == 0}
        for pid, p in prompts.items():
            s = by_id.get(pid)
            if s is None or s.get("error"):
                raise SystemExit(f"gen-{setting}: no response for {pid}: {s and s.get('error')}")
            system = next((m["content"] for m in s["messages"] if m.get("role") == "system"), None)
            rows.append(
                {
                    # Opaque, stable ids: the labellers' view must not reveal the setting or the prompt's kind.
                    "id": "kog-" + hashlib.sha256(f"{setting}/{pid}".encode()).hexdigest()[:10],
                    "category": p["category"],
                    "kind": p["kind"],
                    "prompt": p["input"],
                    "response": s["output"],
                    # The GGUF's name, not the spec (which holds this machine's cache path).
                    "model": model_path.stem if model_path else header["model"],
                    "model_file": model_path.name if model_path else None,
                    "model_sha256": model_sha,
                    "setting": setting,
                    "system_prompt": system,
                    "temperature": gen.get("temperature"),
                    "top_p": 1.0,
                    "seed": gen.get("seed"),
                    "max_tokens": gen.get("max_tokens"),
                    "completion_tokens": s.get("usage", {}).get("completion_tokens"),
                    "duration_ms": s.get("duration_ms"),
                    "run_id": header["run_id"],
                    "harness": f"haetae-eval {header['harness_version']}",
                    "source": p["source"],
                    "source_id": p["source_id"],
                    "good_answer": p["good_answer"],
                }
            )
    if len({r["id"] for r in rows}) != len(rows):
        raise SystemExit("id collision: lengthen the id hash")
    with open(HERE / "responses.jsonl", "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")
    # The grader run (grade.yaml) replays these responses, in this order, as a scripted target model.
    (HERE / "grade-replay.json").write_text(
        json.dumps([r["response"] for r in rows], ensure_ascii=False, indent=0) + "\n", encoding="utf-8"
    )
    total_ms = sum(r["duration_ms"] or 0 for r in rows)
    print(f"{len(rows)} responses; generation time summed over samples: {total_ms / 1000:.0f} s")


if __name__ == "__main__":
    main()
