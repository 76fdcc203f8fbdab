"""The official OpenAI Python SDK, unchanged, against a running Haetae gateway.

Run by crates/haetae/tests/openai_sdk.rs with HAETAE_BASE_URL and the demo keys in the environment.
"""
import os
import sys

import openai
from openai import OpenAI

BASE = os.environ["HAETAE_BASE_URL"]
PUBLIC = os.environ["HAETAE_KEY_PUBLIC"]
GOV = os.environ["HAETAE_KEY_GOVERNMENT"]
MODEL = os.environ.get("HAETAE_SDK_MODEL", "mock-1")
GOV_MODEL = os.environ.get("HAETAE_SDK_GOV_MODEL", "gov-model")

checks = 0


def check(cond, what):
    global checks
    if not cond:
        print(f"FAILED: {what}", file=sys.stderr)
        sys.exit(1)
    checks += 1


client = OpenAI(base_url=BASE, api_key=PUBLIC, max_retries=0, timeout=30)

ids = [m.id for m in client.models.list()]
check(MODEL in ids, f"{MODEL} listed for public: {ids}")
check(GOV_MODEL not in ids, f"{GOV_MODEL} hidden from public: {ids}")

chat = client.chat.completions.create(
    model=MODEL,
    messages=[{"role": "system", "content": "You are a SOC assistant."}, {"role": "user", "content": "Summarise the alert"}],
)
text = chat.choices[0].message.content
check(isinstance(text, str) and len(text) > 0, "chat returns text")
check(chat.usage is not None and chat.usage.total_tokens > 0, "chat returns usage")

pieces = []
usage = None
stream = client.chat.completions.create(
    model=MODEL,
    messages=[{"role": "system", "content": "You are a SOC assistant."}, {"role": "user", "content": "Summarise the alert"}],
    stream=True,
    stream_options={"include_usage": True},
)
for chunk in stream:
    if chunk.choices and chunk.choices[0].delta.content:
        pieces.append(chunk.choices[0].delta.content)
    if chunk.usage is not None:
        usage = chunk.usage
check("".join(pieces) == text, "stream concatenates to the non-streaming answer")
check(usage is not None and usage.total_tokens == chat.usage.total_tokens, "stream carries usage")

tool_chat = client.chat.completions.create(
    model=MODEL,
    messages=[{"role": "user", "content": "Look up 203.0.113.7"}],
    tools=[{"type": "function", "function": {"name": "lookup_ioc", "parameters": {"type": "object", "properties": {"target": {"type": "string"}}}}}],
)
calls = tool_chat.choices[0].message.tool_calls
check(calls and calls[0].function.name == "lookup_ioc", "tool call comes back")

emb = client.embeddings.create(model=MODEL, input=["a", "b"])
check(len(emb.data) == 2, "embeddings")

try:
    OpenAI(base_url=BASE, api_key="hk_AAAAAAAAAAAA_BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB", max_retries=0).models.list()
    check(False, "a bad key must raise AuthenticationError")
except openai.AuthenticationError as e:
    check(e.status_code == 401 and "Incorrect API key" in str(e), "AuthenticationError with a clear message")

try:
    client.chat.completions.create(model=GOV_MODEL, messages=[{"role": "user", "content": "hi"}])
    check(False, "public calling a government model must raise PermissionDeniedError")
except openai.PermissionDeniedError as e:
    check(e.status_code == 403 and "government" in str(e), "PermissionDeniedError says which tier is needed")

try:
    client.chat.completions.create(model="no-such-model", messages=[{"role": "user", "content": "hi"}])
    check(False, "unknown model must raise NotFoundError")
except openai.NotFoundError:
    check(True, "NotFoundError")

gov = OpenAI(base_url=BASE, api_key=GOV, max_retries=0)
check(gov.chat.completions.create(model=GOV_MODEL, messages=[{"role": "user", "content": "hi"}]).choices[0].message.content, "government may use the government model")

# The Responses API (client.responses.create), as Codex, the Agents SDK and Inspect's default provider call it.
resp = client.responses.create(model=MODEL, instructions="You are a SOC assistant.", input="Summarise the alert")
check(resp.object == "response" and resp.status == "completed", f"responses: a completed response: {resp.status}")
check(resp.id.startswith("resp_") and resp.model == MODEL, f"responses: id and catalogue name: {resp.id} {resp.model}")
check(resp.output_text == text, "responses: the same answer as chat")
check(resp.usage is not None and resp.usage.total_tokens == chat.usage.total_tokens, "responses: usage")

kinds = []
deltas = []
completed = None
with client.responses.create(model=MODEL, instructions="You are a SOC assistant.", input="Summarise the alert",
                             stream=True) as events:
    for event in events:
        kinds.append(event.type)
        if event.type == "response.output_text.delta":
            deltas.append(event.delta)
        if event.type == "response.completed":
            completed = event.response
check(kinds[:2] == ["response.created", "response.in_progress"], f"responses stream starts: {kinds[:2]}")
check(kinds[-1] == "response.completed" and completed is not None, f"responses stream completes: {kinds[-1]}")
check("".join(deltas) == text and completed.output_text == text, "responses stream: deltas add up to the answer")
check(completed.usage is not None and completed.usage.total_tokens > 0, "responses stream: usage at the end")

# The SDK's own stream helper accumulates the events into a final response.
with client.responses.stream(model=MODEL, input=[{"role": "user", "content": "Summarise the alert"}]) as helper:
    for _ in helper:
        pass
    final = helper.get_final_response()
check(final.status == "completed" and len(final.output_text) > 0, "responses.stream helper: final response")

lookup = {"type": "function", "name": "lookup_ioc",
          "parameters": {"type": "object", "properties": {"target": {"type": "string"}}}}
tool_resp = client.responses.create(model=MODEL, input="Look up 203.0.113.7", tools=[lookup])
calls = [o for o in tool_resp.output if o.type == "function_call"]
check(calls and calls[0].name == "lookup_ioc" and calls[0].call_id, f"responses: a function call: {tool_resp.output}")

# Send the call's result back as input items (the gateway keeps no state; previous_response_id is refused).
follow = client.responses.create(model=MODEL, input=[
    {"role": "user", "content": "Look up 203.0.113.7"},
    {"type": "function_call", "call_id": calls[0].call_id, "name": calls[0].name, "arguments": calls[0].arguments},
    {"type": "function_call_output", "call_id": calls[0].call_id, "output": "clean: no detections"},
])
check(follow.status == "completed" and follow.output_text, "responses: a tool result continues the conversation")

streamed_calls = {}
with client.responses.create(model=MODEL, input="Look up 203.0.113.7", tools=[lookup], stream=True) as events:
    for event in events:
        if event.type == "response.output_item.done" and event.item.type == "function_call":
            streamed_calls[event.item.name] = event.item.arguments
check(streamed_calls.get("lookup_ioc") == calls[0].arguments, f"responses stream: the function call: {streamed_calls}")

try:
    client.responses.create(model=MODEL, input="hi", previous_response_id=resp.id)
    check(False, "previous_response_id must raise BadRequestError")
except openai.BadRequestError as e:
    check(e.status_code == 400 and "previous_response_id" in str(e), "previous_response_id refused, naming the field")

try:
    client.responses.create(model=GOV_MODEL, input="hi")
    check(False, "public calling a government model through responses must raise PermissionDeniedError")
except openai.PermissionDeniedError as e:
    check(e.status_code == 403, "responses: the same policy as chat")

print(f"{checks} passed, 0 failed")
