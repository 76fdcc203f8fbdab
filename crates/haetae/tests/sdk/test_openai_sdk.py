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

print(f"{checks} passed, 0 failed")
