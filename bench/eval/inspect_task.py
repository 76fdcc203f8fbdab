"""The benchmark task for Inspect: the same dataset, Inspect's multiple_choice solver and choice scorer."""
import os
from inspect_ai import Task, task
from inspect_ai.dataset import Sample, json_dataset
from inspect_ai.scorer import choice
from inspect_ai.solver import multiple_choice


def record_to_sample(r):
    return Sample(id=r["id"], input=r["input"], choices=r["choices"], target=r["target"],
                  metadata={"category": r["category"]})


@task
def mc_bench():
    return Task(dataset=json_dataset(os.environ["BENCH_DATASET"], record_to_sample),
                solver=multiple_choice(), scorer=choice())
