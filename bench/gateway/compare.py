#!/usr/bin/env python3
"""Gateway overhead, side by side, in one run.

The same fixed-rate load (oha, from a second process) goes to a local mock OpenAI upstream directly (the
baseline), through Haetae with every pipeline stage on, through Haetae with each stage off in turn, through
nginx as a plain reverse proxy, and through the LiteLLM proxy; at each mock latency given. Reports added latency
over the baseline at p50/p90/p99/p99.9, the achieved rate, errors, and the proxy's CPU time and peak memory, as
a Markdown table. Everything runs in the same invocation so the ratios hold on a noisy machine.

Usage (bench/gateway/run.sh builds the binaries and calls this):
  compare.py --haetae target/release/haetae --mock target/release/haetae-mock-upstream \
             [--rate 200] [--duration 20] [--connections 32] [--latencies 0,60] [--skip litellm,nginx] [--out FILE]
"""

import argparse
import datetime
import json
import os
import platform
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

BODY = json.dumps({
    "model": "mock-1",
    "max_tokens": 64,
    "messages": [{"role": "user", "content": "Summarise this alert: failed ssh logins from 203.0.113.7 then a sudo by deploy."}],
})

# Stage switches for Haetae configurations. Authentication and the tier floor always run.
HAETAE_CONFIGS = [
    ("haetae (all stages)", {}),
    ("haetae − guard", {"guard": False}),
    ("haetae − policy (tier floor only)", {"policy": False}),
    ("haetae − meter", {"meter": False}),
    ("haetae − ledger", {"ledger": False}),
]

OPEN_LIMITS = json.dumps({
    "per_key": {"requests_per_minute": 100000000, "tokens_per_minute": 100000000000},
    "per_org": {"requests_per_minute": 100000000, "tokens_per_minute": 100000000000},
})


# oha reports requests still in flight when its own -z deadline passes as "aborted due to deadline": the load
# tool stopping, not a failure of the path under test.
DEADLINE = "aborted due to deadline"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port, timeout=60.0):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing listening on {port} after {timeout}s")


def proc_tree(pid):
    """pid and all its descendants (nginx and LiteLLM run workers)."""
    pids = [pid]
    try:
        out = subprocess.run(["ps", "-o", "pid=", "--ppid", str(pid)], capture_output=True, text=True).stdout
        for child in out.split():
            pids.extend(proc_tree(int(child)))
    except OSError:
        pass
    return pids


def cpu_seconds(pids):
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for p in pids:
        try:
            with open(f"/proc/{p}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / tick
        except (OSError, IndexError, ValueError):
            pass
    return total


def peak_rss_mib(pids):
    total = 0
    for p in pids:
        try:
            with open(f"/proc/{p}/status") as f:
                for line in f:
                    if line.startswith("VmHWM:"):
                        total += int(line.split()[1])
        except OSError:
            pass
    return total / 1024


class Proxy:
    """A process under test: started, warmed, measured, stopped."""

    def __init__(self, name, url, headers, popen):
        self.name, self.url, self.headers, self.popen = name, url, headers, popen

    def stop(self):
        if self.popen is None:
            return
        try:
            os.killpg(self.popen.pid, signal.SIGTERM)
            self.popen.wait(timeout=15)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            try:
                os.killpg(self.popen.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


def spawn(cmd, log, env=None, cwd=None):
    return subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=cwd, start_new_session=True)


def start_haetae(args, work, mock_url, stages, cpus=None, binary=None):
    binary = binary or args.haetae
    data = tempfile.mkdtemp(dir=work, prefix="haetae-")
    with open(os.path.join(data, "haetae.toml"), "w") as f:
        f.write("[stages]\n" + "".join(f"{k} = {str(v).lower()}\n" for k, v in stages.items()))
    env = dict(os.environ, HAETAE_LOG="warn")
    env.pop("HAETAE_CONFIG", None)
    # Open the demo tier's limits first: the bench measures latency, not the meter refusing the load.
    subprocess.run([binary, "--data-dir", data, "limits", "set", "--tier", "public", OPEN_LIMITS],
                   check=True, cwd=data, env=env, capture_output=True)
    port = free_port()
    log = open(os.path.join(data, "up.log"), "w")
    p = spawn(pinned(cpus) + [binary, "up", "--listen", f"127.0.0.1:{port}", "--data-dir", data,
                              "--upstream", mock_url], log, env=env, cwd=data)
    key = None
    deadline = time.time() + 60
    while time.time() < deadline and key is None:
        time.sleep(0.2)
        with open(os.path.join(data, "up.log")) as f:
            for line in f:
                if line.startswith("HAETAE_KEY_PUBLIC="):
                    key = line.strip().split("=", 1)[1]
    if key is None:
        raise RuntimeError("haetae up printed no key; see " + os.path.join(data, "up.log"))
    wait_port(port)
    return p, f"http://127.0.0.1:{port}/v1/chat/completions", {"authorization": f"Bearer {key}"}


NGINX_CONF = """
worker_processes auto;
pid {work}/nginx.pid;
error_log {work}/nginx-error.log warn;
events {{ worker_connections 4096; }}
http {{
  access_log off;
  client_body_temp_path {work}/nginx-body;
  proxy_temp_path {work}/nginx-proxy;
  upstream mock {{ server 127.0.0.1:{mock_port}; keepalive 64; }}
  server {{
    listen 127.0.0.1:{port};
    location / {{
      proxy_pass http://mock;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_buffering off;
    }}
  }}
}}
"""


def pinned(cpus):
    """A command prefix that keeps the process (and its threads) on `cpus` ("0", "0-1"); none when not given."""
    return ["taskset", "-c", cpus] if cpus else []


def start_nginx(work, mock_port, cpus=None):
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    port = free_port()
    conf = os.path.join(work, f"nginx-{mock_port}.conf")
    with open(conf, "w") as f:
        f.write(NGINX_CONF.format(work=work, mock_port=mock_port, port=port))
    log = open(os.path.join(work, "nginx.log"), "w")
    p = spawn(pinned(cpus) + [nginx, "-c", conf, "-g", "daemon off;"], log)
    wait_port(port)
    return p, f"http://127.0.0.1:{port}/v1/chat/completions", {}


def start_litellm(args, work, mock_url):
    port = free_port()
    conf = os.path.join(work, "litellm.yaml")
    with open(conf, "w") as f:
        f.write(
            "model_list:\n"
            "  - model_name: mock-1\n"
            "    litellm_params:\n"
            "      model: openai/mock-1\n"
            f"      api_base: {mock_url}\n"
            "      api_key: none\n"
            "litellm_settings:\n"
            "  telemetry: false\n"
        )
    log = open(os.path.join(work, "litellm.log"), "w")
    # With a master key LiteLLM authenticates every request, as Haetae does: the comparison is like for like.
    master = "sk-" + os.urandom(16).hex()
    env = dict(os.environ, LITELLM_LOG="ERROR", LITELLM_MASTER_KEY=master)
    p = spawn([args.litellm, "--config", conf, "--host", "127.0.0.1", "--port", str(port), "--num_workers", "1"],
              log, env=env)
    wait_port(port, timeout=180)
    return p, f"http://127.0.0.1:{port}/v1/chat/completions", {"authorization": f"Bearer {master}"}


def oha(args, url, headers, duration, rate):
    """oha at a fixed `rate` (latency-corrected), or closed-loop as fast as it can when `rate` is None."""
    cmd = [args.oha, "--no-tui", "--output-format", "json", "-z", f"{duration}s", "-c", str(args.connections),
           "-m", "POST", "-H", "content-type: application/json", "-d", BODY]
    if rate is not None:
        cmd += ["-q", str(rate), "--latency-correction"]
    for k, v in headers.items():
        cmd += ["-H", f"{k}: {v}"]
    cmd.append(url)
    out = subprocess.run(cmd, capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(f"oha failed: {out.stderr[-2000:]}")
    return json.loads(out.stdout)


def measure(args, proxy, pids, rate="default", duration=None):
    rate = args.rate if rate == "default" else rate
    duration = duration or args.duration
    # Warm up (connection pools, JIT-free but caches and SQLite pages), then measure.
    oha(args, proxy.url, proxy.headers, 3, rate)
    cpu0 = cpu_seconds(pids)
    result = oha(args, proxy.url, proxy.headers, duration, rate)
    cpu = cpu_seconds(pids) - cpu0
    pct = result.get("latencyPercentiles", {})
    summary = result.get("summary", {})
    codes = result.get("statusCodeDistribution", {})
    ok = sum(n for c, n in codes.items() if str(c).startswith("2"))
    total = sum(codes.values()) + sum(n for e, n in result.get("errorDistribution", {}).items() if e != DEADLINE)
    return {
        "name": proxy.name,
        "p50": pct.get("p50", 0) * 1000,
        "p90": pct.get("p90", 0) * 1000,
        "p99": pct.get("p99", 0) * 1000,
        "p999": pct.get("p99.9", 0) * 1000,
        "rps": summary.get("requestsPerSec", 0.0),
        "errors": total - ok,
        "requests": total,
        "cpu_per_1k": (cpu / ok * 1000) if ok else float("nan"),
        "rss": peak_rss_mib(pids),
    }


def run_config(args, work, name, start):
    try:
        popen, url, headers = start()
    except Exception as e:  # noqa: BLE001 - a proxy that will not start is reported, not fatal
        print(f"  {name}: did not start: {e}", file=sys.stderr)
        return None
    proxy = Proxy(name, url, headers, popen)
    try:
        pids = proc_tree(popen.pid) if popen else []
        r = measure(args, proxy, pids)
        r["rss"] = peak_rss_mib(proc_tree(popen.pid)) if popen else 0.0
        print(f"  {name}: p50 {r['p50']:.2f} ms, p99 {r['p99']:.2f} ms, {r['rps']:.0f} rps, {r['errors']} errors",
              file=sys.stderr)
        return r
    finally:
        proxy.stop()


def holds(r):
    return r["errors"] == 0 and r["p99"] < MAX_RATE_P99_MS


# The bar for the highest sustained rate: p99 under 10 ms with zero errors.
MAX_RATE_P99_MS = 10.0


def max_rate(args, work, name, start):
    """Step a fixed rate up a ladder against one running proxy; the highest step that holds p99 < 10 ms with no
    errors is the answer. Every step is reported, so the knee is visible."""
    try:
        popen, url, headers = start()
    except Exception as e:  # noqa: BLE001 - reported, not fatal
        print(f"  {name}: did not start: {e}", file=sys.stderr)
        return None, []
    proxy = Proxy(name, url, headers, popen)
    steps, best = [], None
    try:
        pids = proc_tree(popen.pid) if popen else []
        for rate in [int(x) for x in args.ladder.split(",")]:
            r = measure(args, proxy, pids, rate=rate, duration=args.step_duration)
            r["target"] = rate
            steps.append(r)
            ok = holds(r) and r["rps"] >= 0.97 * rate
            print(f"  {name} @ {rate} rps: p99 {r['p99']:.2f} ms, {r['rps']:.0f} rps, {r['errors']} errors"
                  f"{'' if ok else ' (does not hold)'}", file=sys.stderr)
            if not ok:
                break
            best = rate
    finally:
        proxy.stop()
    return best, steps


def max_rate_table(results):
    out = ["### Highest fixed rate holding p99 < 10 ms with zero errors (mock upstream 0 ms)\n",
           "| path | highest rate held | steps (target rps: achieved rps, p99 ms, errors) |", "|---|---:|---|"]
    for name, best, steps in results:
        trail = "; ".join(f"{s['target']}: {s['rps']:.0f}, {s['p99']:.2f}, {s['errors']}" for s in steps)
        out.append(f"| {name} | {best if best is not None else 'below the first step'} | {trail} |")
    return "\n".join(out) + "\n"


def scaling(args, work, mock_url, mock_port):
    """Closed-loop throughput with the proxy pinned to 1, 2, … CPUs (taskset), the load generator unpinned."""
    rows = []
    for cpus in args.cores.split(","):
        n = int(cpus)
        spec = "0" if n == 1 else f"0-{n - 1}"
        for name, start in [
            (f"haetae (all stages), {n} CPU", lambda s=spec: start_haetae(args, work, mock_url, {}, cpus=s)),
            (f"nginx, {n} CPU", lambda s=spec: start_nginx(work, mock_port, cpus=s)),
        ]:
            try:
                popen, url, headers = start()
            except Exception as e:  # noqa: BLE001 - reported, not fatal
                print(f"  {name}: did not start: {e}", file=sys.stderr)
                continue
            proxy = Proxy(name, url, headers, popen)
            try:
                r = measure(args, proxy, proc_tree(popen.pid), rate=None, duration=args.step_duration)
                r["cpus"] = n
                rows.append(r)
                print(f"  {name}: {r['rps']:.0f} rps closed-loop, p50 {r['p50']:.2f} ms", file=sys.stderr)
            finally:
                proxy.stop()
    out = ["### Closed-loop throughput by CPUs given to the proxy (mock upstream 0 ms, load generator unpinned)\n",
           "| path | CPUs | rps | p50 ms | p99 ms | errors | proxy CPU s / 1k req |", "|---|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        out.append(f"| {r['name']} | {r['cpus']} | {r['rps']:.0f} | {r['p50']:.2f} | {r['p99']:.2f} | {r['errors']} | "
                   f"{r['cpu_per_1k']:.2f} |")
    return "\n".join(out) + "\n"


def table(latency, rows):
    base = next(r for r in rows if r["name"] == "direct (baseline)")
    out = [f"### Mock upstream latency {latency} ms\n",
           "| path | p50 ms | p90 ms | p99 ms | p99.9 ms | added p50 | added p99 | added p99.9 | achieved rps | errors | proxy CPU s / 1k req | proxy peak RSS MiB |",
           "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for r in rows:
        added = lambda k: "—" if r is base else f"{r[k] - base[k]:+.2f}"  # noqa: E731
        cpu = "—" if r is base else f"{r['cpu_per_1k']:.2f}"
        rss = "—" if r is base else f"{r['rss']:.1f}"
        out.append(f"| {r['name']} | {r['p50']:.2f} | {r['p90']:.2f} | {r['p99']:.2f} | {r['p999']:.2f} | {added('p50')} | "
                   f"{added('p99')} | {added('p999')} | {r['rps']:.0f} | {r['errors']} | {cpu} | {rss} |")
    return "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--haetae", required=True)
    ap.add_argument("--mock", required=True)
    ap.add_argument("--oha", default=shutil.which("oha") or os.path.expanduser("~/.cargo/bin/oha"))
    ap.add_argument("--litellm", default=os.path.expanduser("~/.cache/haetae-bench/litellm/bin/litellm"))
    ap.add_argument("--rate", type=int, default=200)
    ap.add_argument("--duration", type=int, default=20)
    ap.add_argument("--connections", type=int, default=32)
    ap.add_argument("--latencies", default="0,60")
    ap.add_argument("--skip", default="", help="comma-separated: litellm, nginx, stages, max-rate, scaling")
    ap.add_argument("--ladder", default="500,1000,2000,3000,4000,5000,6000,8000,10000,12000",
                    help="fixed rates tried, in order, for the highest rate that holds (0 ms upstream only)")
    ap.add_argument("--cores", default=",".join(str(n) for n in (1, 2, 4, 8, 16) if n <= (os.cpu_count() or 1)),
                    help="CPU counts the proxy is pinned to for the closed-loop scaling table")
    ap.add_argument("--haetae-before", default="", help="a previous haetae binary, measured beside this one")
    ap.add_argument("--before-label", default="previous build", help="what --haetae-before is (a commit)")
    ap.add_argument("--step-duration", type=int, default=10, help="seconds per max-rate step and scaling row")
    ap.add_argument("--out", default="")
    args = ap.parse_args()
    args.haetae, args.mock = os.path.abspath(args.haetae), os.path.abspath(args.mock)
    if args.haetae_before:
        args.haetae_before = os.path.abspath(args.haetae_before)
    skip = set(filter(None, args.skip.split(",")))
    work = tempfile.mkdtemp(prefix="haetae-bench-")
    sections = []
    for latency in [int(x) for x in args.latencies.split(",")]:
        print(f"mock latency {latency} ms", file=sys.stderr)
        mock_port = free_port()
        mock = spawn([args.mock, "--listen", f"127.0.0.1:{mock_port}", "--latency-ms", str(latency)],
                     open(os.path.join(work, f"mock-{latency}.log"), "w"))
        wait_port(mock_port)
        mock_url = f"http://127.0.0.1:{mock_port}/v1"
        try:
            rows = []
            direct = Proxy("direct (baseline)", f"{mock_url}/chat/completions", {}, None)
            rows.append(measure(args, direct, []))
            configs = HAETAE_CONFIGS if "stages" not in skip else HAETAE_CONFIGS[:1]
            for name, stages in configs:
                r = run_config(args, work, name, lambda s=stages: start_haetae(args, work, mock_url, s))
                if r:
                    rows.append(r)
                if args.haetae_before and not stages:
                    # The previous build, all stages on, in the same run: the before/after ratio holds on a noisy
                    # machine where absolute figures do not.
                    r = run_config(args, work, f"haetae before ({args.before_label}, all stages)",
                                   lambda: start_haetae(args, work, mock_url, {}, binary=args.haetae_before))
                    if r:
                        rows.append(r)
            if "nginx" not in skip:
                r = run_config(args, work, "nginx (plain reverse proxy)", lambda: start_nginx(work, mock_port))
                if r:
                    rows.append(r)
            if "litellm" not in skip and os.path.exists(args.litellm):
                r = run_config(args, work, "LiteLLM proxy", lambda: start_litellm(args, work, mock_url))
                if r:
                    rows.append(r)
            # The baseline again at the end: if it moved, the machine's load moved during the run.
            again = measure(args, Proxy("direct (baseline, again)", f"{mock_url}/chat/completions", {}, None), [])
            rows.append(again)
            sections.append(table(latency, rows))
            if latency == 0 and "max-rate" not in skip:
                results = []
                direct_best, direct_steps = max_rate(args, work, "direct (baseline)",
                                                     lambda: (None, f"{mock_url}/chat/completions", {}))
                results.append(("direct (baseline)", direct_best, direct_steps))
                ladder = [("haetae (all stages)", lambda: start_haetae(args, work, mock_url, {}))]
                if args.haetae_before:
                    ladder.append((f"haetae before ({args.before_label})",
                                   lambda: start_haetae(args, work, mock_url, {}, binary=args.haetae_before)))
                ladder.append(("nginx (plain reverse proxy)", lambda: start_nginx(work, mock_port)))
                for name, start in ladder:
                    if name.startswith("nginx") and "nginx" in skip:
                        continue
                    best, steps = max_rate(args, work, name, start)
                    results.append((name, best, steps))
                sections.append(max_rate_table(results))
            if latency == 0 and "scaling" not in skip:
                sections.append(scaling(args, work, mock_url, mock_port))
        finally:
            mock.terminate()
    header = (f"Date: {datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d %H:%M UTC')}  \n"
              f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, {platform.platform()}, load average "
              f"{os.getloadavg()[0]:.1f} at the end  \n"
              f"Load: oha, {args.rate} requests/s fixed rate (latency-corrected), {args.connections} connections, "
              f"{args.duration} s per configuration after a 3 s warm-up; non-streaming chat completions.  \n"
              f"Command: `{' '.join(sys.argv)}`\n\n")
    text = header + "\n".join(sections)
    print(text)
    if args.out:
        with open(args.out, "w") as f:
            f.write(text)
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
