#!/usr/bin/env python3
"""Scores corpus.jsonl with Inspect's own solver and scorer functions (offline: no model is called; the
completion is put in the task state by a stand-in for `generate`, the grader is Inspect's `mockllm` model with
the scripted reply) and writes one result per case.

    python3 suites/parity/inspect_score.py [--out suites/parity/inspect-results.jsonl]

Each result: id, value (1/0/0.5, the F1 value, or null when Inspect leaves the sample unscored), answer,
error (the exception when Inspect raises), prompt (the text Inspect sent the model: the multiple-choice prompt,
or the grader prompt). The Rust test `inspect_parity` compares Haetae's results with these.
"""

import argparse
import asyncio
import json
import pathlib
import sys

import inspect_ai
from inspect_ai.dataset import MemoryDataset, Sample
from inspect_ai.model import ChatMessageUser, ModelOutput, ModelUsage, get_model
from inspect_ai.model._model import ModelName
from inspect_ai.scorer import (
    Target,
    answer,
    choice,
    exact,
    f1,
    includes,
    match,
    model_graded_fact,
    model_graded_qa,
    pattern,
)
from inspect_ai.scorer._metric import value_to_float
from inspect_ai.solver import TaskState, multiple_choice

HERE = pathlib.Path(__file__).resolve().parent
TO_FLOAT = value_to_float()


def state_for(case, completion=None):
    st = TaskState(
        model=ModelName("mockllm/model"),
        sample_id=case["id"],
        epoch=1,
        input=case["input"],
        messages=[ChatMessageUser(content=case["input"])],
        target=Target(case["target"]),
        choices=case.get("choices"),
        metadata=case.get("metadata", {}),
    )
    if completion is not None:
        st.output = ModelOutput.from_content("mockllm/model", completion)
        st.messages.append(st.output.message)
    return st


async def score_case(case):
    p = case["params"]
    target = Target(case["target"])
    prompt = None
    if case["kind"] == "shuffle":
        ds = MemoryDataset(
            [Sample(id=x["id"], input="q", choices=x["choices"] or None, target=x["target"]) for x in case["samples"]]
        )
        try:
            ds.shuffle_choices(seed=p["seed"])
        except Exception as e:
            return {"id": case["id"], "value": None, "answer": None, "error": type(e).__name__, "prompt": None}
        shuffled = [[s.choices or [], s.target] for s in ds]
        return {
            "id": case["id"],
            "value": None,
            "answer": json.dumps(shuffled, ensure_ascii=False, separators=(",", ":")),
            "error": None,
            "prompt": None,
        }
    if case["kind"] == "mc":
        st = state_for(case)

        async def generate(state, **_):
            state.output = ModelOutput.from_content("mockllm/model", case["completion"])
            state.messages.append(state.output.message)
            return state

        st = await multiple_choice(**p)(st, generate)
        prompt = st.messages[0].text
        sc = choice()
    elif case["kind"] == "graded":
        st = state_for(case, case["completion"])
        reply = ModelOutput.from_content("mockllm/model", case["grader_reply"])
        # With usage set, mockllm does not count tokens (which would fetch a tokenizer over the network).
        reply.usage = ModelUsage(input_tokens=1, output_tokens=1, total_tokens=2)
        grader = get_model("mockllm/model", custom_outputs=[reply])
        factory = model_graded_qa if case["scorer"] == "model_graded_qa" else model_graded_fact
        sc = factory(model=grader, **p)
    else:
        st = state_for(case, case["completion"])
        sc = {"match": match, "includes": includes, "pattern": pattern, "answer": answer, "exact": exact, "f1": f1}[
            case["scorer"]
        ](**p)
    try:
        score = await sc(st, target)
    except Exception as e:  # Inspect raising is a result too (e.g. a target past the choices)
        return {"id": case["id"], "value": None, "answer": None, "error": type(e).__name__, "prompt": prompt}
    if case["kind"] == "graded":
        prompt = score.metadata["grading"][0].text
    unscored = score.value is None or (isinstance(score.value, float) and score.value != score.value)
    return {
        "id": case["id"],
        "value": None if unscored else TO_FLOAT(score.value),
        "answer": score.answer,
        "error": None,
        "prompt": prompt,
    }


async def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--corpus", default=str(HERE / "corpus.jsonl"))
    ap.add_argument("--out", default=str(HERE / "inspect-results.jsonl"))
    a = ap.parse_args()
    cases = [json.loads(line) for line in open(a.corpus, encoding="utf-8") if line.strip()]
    with open(a.out, "w", encoding="utf-8") as f:
        f.write(json.dumps({"inspect_ai": inspect_ai.__version__, "cases": len(cases)}) + "\n")
        for case in cases:
            f.write(json.dumps(await score_case(case), ensure_ascii=False) + "\n")
    print(f"scored {len(cases)} cases with inspect_ai {inspect_ai.__version__} -> {a.out}", file=sys.stderr)


asyncio.run(main())
