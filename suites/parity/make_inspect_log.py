#!/usr/bin/env python3
"""Runs a three-item multiple-choice task through Inspect itself with its offline `mockllm` model and writes the
JSON log Inspect produced to crates/haetae-eval/tests/fixtures/inspect/parity_mc.json (the fixture the Rust tests
read as a real Inspect log). The scripted replies are the issue 16 cases: `ANSWER: B` (correct), `A) 3\nB) 4`
(no answer for Inspect), `ANSWER: A` (wrong). Run: python3 suites/parity/make_inspect_log.py

With `--eval [PATH]` it writes the same run as Inspect's `.eval` archive instead, to PATH or by default to
crates/haetae-eval/tests/fixtures/inspect/parity_mc.eval (the Rust test also passes a temporary PATH, to check the
installed Inspect's archive layout).
"""

import pathlib
import shutil
import sys
import tempfile

from inspect_ai import Task, eval
from inspect_ai.dataset import Sample
from inspect_ai.model import ModelOutput, ModelUsage, get_model
from inspect_ai.scorer import choice
from inspect_ai.solver import multiple_choice

ROOT = pathlib.Path(__file__).resolve().parents[2]
FORMAT = "eval" if "--eval" in sys.argv[1:] else "json"
_paths = [a for a in sys.argv[1:] if a != "--eval"]
OUT = pathlib.Path(_paths[0]) if _paths else ROOT / f"crates/haetae-eval/tests/fixtures/inspect/parity_mc.{FORMAT}"


def reply(text):
    out = ModelOutput.from_content("mockllm/model", text)
    # With usage set, mockllm does not count tokens (which would fetch a tokenizer over the network).
    out.usage = ModelUsage(input_tokens=10, output_tokens=3, total_tokens=13)
    return out


dataset = [
    Sample(id="q1", input="Which HTTP status means 'unauthorized'?", choices=["200", "401", "403", "404"], target="B"),
    Sample(id="q2", input="2 + 2 = ?", choices=["3", "4", "5"], target="B"),
    Sample(id="q3", input="Capital of Korea?", choices=["Busan", "Seoul"], target="B"),
]
model = get_model("mockllm/model", custom_outputs=[reply("ANSWER: B"), reply("A) 3\nB) 4"), reply("ANSWER: A")])
task = Task(dataset=dataset, solver=multiple_choice(), scorer=choice(), name="parity_mc")
with tempfile.TemporaryDirectory() as d:
    [log] = eval(task, model=model, log_format=FORMAT, log_dir=d, display="none", max_samples=1)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(pathlib.Path(log.location), OUT)
print(f"{log.status}: accuracy {log.results.scores[0].metrics['accuracy'].value:.4f} -> {OUT}")
