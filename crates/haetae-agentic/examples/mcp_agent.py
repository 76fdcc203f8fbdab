#!/usr/bin/env python3
"""A stand-in for an institution's own agent product, talking to a Haetae task over MCP only.

The `external_agent` solver starts it with HAETAE_MCP_URL (the task's MCP endpoint), HAETAE_TASK,
HAETAE_TASK_ID and HAETAE_LANG. It connects with the official MCP Python SDK (streamable HTTP), reads the
task (server instructions and the `task` prompt) and the tool list, then acts:

- with HAETAE_PLAN (a JSON file `{task_id: {"calls": [{"tool", "arguments"}], "answer": "..."}}`) it replays the
  plan for its task id: the test gives it the reference scripts, so the external path can be compared call for
  call with the in-process scripted agent;
- without a plan it is a trivial read-only agent: it calls no tool that changes anything and submits a summary
  of what it was offered (enough to check a deployment end to end).

Exit status: 0 after submitting, 2 on a protocol problem (the task or a planned tool missing).
Requires: pip install "mcp>=2.3,<3"
"""

import asyncio
import json
import os
import sys

from mcp import Client


def log(*parts: object) -> None:
    print("[mcp_agent]", *parts, file=sys.stderr, flush=True)


def text_of(result) -> str:
    return "".join(getattr(block, "text", "") for block in result.content)


def load_plan(task_id: str):
    path = os.environ.get("HAETAE_PLAN")
    if not path:
        return None
    with open(path, encoding="utf-8") as f:
        plans = json.load(f)
    if task_id not in plans:
        raise SystemExit(f"[mcp_agent] the plan file {path} has no entry for task {task_id!r}")
    return plans[task_id]


async def run() -> int:
    url = os.environ["HAETAE_MCP_URL"]
    task_id = os.environ.get("HAETAE_TASK_ID", "")
    task = os.environ.get("HAETAE_TASK", "")
    plan = load_plan(task_id)

    async with Client(url) as client:
        # The task reaches the agent through MCP itself, not only through the environment variables.
        prompt = await client.get_prompt("task")
        prompt_text = "\n".join(getattr(m.content, "text", "") for m in prompt.messages)
        if task and task not in prompt_text:
            log("the `task` prompt does not carry the instruction")
            return 2
        if task and task not in (client.instructions or ""):
            log("the server instructions do not carry the instruction")
            return 2
        tools = {t.name: t for t in (await client.list_tools()).tools}
        if "submit" not in tools:
            log("the server offers no submit tool")
            return 2
        log(f"task {task_id}: {len(tools)} tools")

        if plan is None:
            answer = "Tools offered: " + ", ".join(sorted(tools))
        else:
            for call in plan.get("calls", []):
                name, args = call["tool"], call.get("arguments", {})
                if name not in tools:
                    # A replayed plan calls what the reference calls; the call still goes out (and is refused).
                    log(f"planned tool {name!r} is not offered")
                result = await client.call_tool(name, args)
                log(f"{name} -> {'error' if result.is_error else 'ok'}: {text_of(result)[:200]}")
            answer = plan.get("answer", "")

        result = await client.call_tool("submit", {"answer": answer})
        if result.is_error:
            log(f"submit refused: {text_of(result)}")
            return 2
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(run()))
