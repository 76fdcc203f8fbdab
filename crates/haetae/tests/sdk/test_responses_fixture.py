"""Every Responses event and response object Haetae's translator produces validates against the official `openai`
SDK's own models (strict pydantic validation, not the SDK's lenient construct).

Run by crates/haetae/tests/openai_sdk.rs with the fixture's path as the argument; the fixture is kept equal to the
translator's output by crates/haetae-openai/tests/sdk_fixture.rs.
"""
import json
import sys

import pydantic
from openai.types.responses import Response, ResponseStreamEvent

fixture = json.load(open(sys.argv[1]))
events_adapter = pydantic.TypeAdapter(ResponseStreamEvent)
passed = 0


def fail(what):
    print(f"FAILED: {what}", file=sys.stderr)
    sys.exit(1)


ORDER_FIRST = ["response.created", "response.in_progress"]
TERMINAL = {"response.completed", "response.incomplete", "response.failed"}

for name, case in fixture["streams"].items():
    events = case["events"]
    kinds = [e["type"] for e in events]
    if kinds[:2] != ORDER_FIRST:
        fail(f"{name}: starts with {kinds[:2]}")
    if kinds[-1] not in TERMINAL or any(k in TERMINAL for k in kinds[:-1]):
        fail(f"{name}: exactly one terminal event, last: {kinds}")
    if [e["sequence_number"] for e in events] != list(range(len(events))):
        fail(f"{name}: sequence numbers")
    for e in events:
        try:
            parsed = events_adapter.validate_python(e)
        except pydantic.ValidationError as err:
            fail(f"{name}: {e['type']} does not validate: {err}")
        if parsed.type != e["type"]:
            fail(f"{name}: {e['type']} parsed as {parsed.type}")
        passed += 1
    # The text deltas add up to the final response's text, as the SDK's stream helpers assume.
    final = events_adapter.validate_python(events[-1]).response
    deltas = "".join(e["delta"] for e in events if e["type"] == "response.output_text.delta")
    if final.status != "failed" and final.output_text != deltas:
        fail(f"{name}: output_text {final.output_text!r} != deltas {deltas!r}")
    added = [e["output_index"] for e in events if e["type"] == "response.output_item.added"]
    done = [e["output_index"] for e in events if e["type"] == "response.output_item.done"]
    if final.status != "failed" and (sorted(added) != sorted(done) or len(final.output) != len(added)):
        fail(f"{name}: items added {added}, done {done}, output {len(final.output)}")
    if name != "failed" and name != "refusal" and (final.usage is None or final.usage.total_tokens <= 0):
        fail(f"{name}: usage missing from the terminal event")

for name, obj in fixture["responses"].items():
    try:
        Response.model_validate(obj)
    except pydantic.ValidationError as err:
        fail(f"response {name} does not validate: {err}")
    passed += 1

print(f"{passed} passed, 0 failed")
