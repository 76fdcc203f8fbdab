#!/usr/bin/env python3
"""Soak: Haetae with every stage on, under a steady mixed load (streaming and non-streaming) for a long time.

Samples the gateway's resident memory every few seconds and reports the curve (CSV and SVG), its trend after
warm-up, and the error count of both load streams. Memory must stay flat and errors must be zero.

  soak.py --haetae target/release/haetae --mock target/release/haetae-mock-upstream [--minutes 30]
          [--rate 50] [--stream-rate 20] [--no-ledger] [--out-dir bench/soak]

The transparency ledger keeps its Merkle tree and request-id index in memory, so with the ledger on RSS grows
with the number of entries by design; the report divides that growth by the entries appended (bytes per entry).
`--no-ledger` runs the same load with the ledger stage off, which is where memory must be flat.
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
    raise RuntimeError(f"nothing listening on {port}")


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def svg(samples, path):
    """A small self-contained line plot of RSS over time (no plotting library needed)."""
    w, h, pad = 720, 300, 50
    ts = [t for t, _ in samples]
    ms = [m for _, m in samples]
    t1, m0, m1 = max(ts) or 1, 0, max(ms) * 1.2 or 1
    pts = " ".join(f"{pad + (t / t1) * (w - 2 * pad):.1f},{h - pad - (m - m0) / (m1 - m0) * (h - 2 * pad):.1f}"
                   for t, m in samples)
    ticks = "".join(
        f'<text x="{pad - 8}" y="{h - pad - i / 4 * (h - 2 * pad) + 4:.0f}" text-anchor="end" font-size="11">'
        f"{m0 + i / 4 * (m1 - m0):.0f}</text>" for i in range(5))
    with open(path, "w") as f:
        f.write(f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" font-family="sans-serif">'
                f'<rect width="{w}" height="{h}" fill="white"/>'
                f'<line x1="{pad}" y1="{h - pad}" x2="{w - pad}" y2="{h - pad}" stroke="black"/>'
                f'<line x1="{pad}" y1="{pad}" x2="{pad}" y2="{h - pad}" stroke="black"/>{ticks}'
                f'<text x="{w / 2}" y="{h - 12}" text-anchor="middle" font-size="12">minutes (0 – {t1 / 60:.0f})</text>'
                f'<text x="14" y="{h / 2}" font-size="12" transform="rotate(-90 14 {h / 2})" text-anchor="middle">RSS MiB</text>'
                f'<polyline fill="none" stroke="#c0392b" stroke-width="1.5" points="{pts}"/></svg>')


def slope_mib_per_hour(samples):
    n = len(samples)
    if n < 2:
        return 0.0
    mt = sum(t for t, _ in samples) / n
    mm = sum(m for _, m in samples) / n
    num = sum((t - mt) * (m - mm) for t, m in samples)
    den = sum((t - mt) ** 2 for t, _ in samples) or 1
    return num / den * 3600


def growth_per_entry(warm, entries, total_secs):
    """RSS slope after warm-up divided by the append rate: what each ledger entry costs in memory."""
    if not warm or not entries or total_secs <= 0:
        return 0.0
    entries_per_sec = entries / total_secs
    return slope_mib_per_hour(warm) / 3600 * 1024 * 1024 / entries_per_sec


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--haetae", required=True)
    ap.add_argument("--mock", required=True)
    ap.add_argument("--oha", default=shutil.which("oha") or os.path.expanduser("~/.cargo/bin/oha"))
    ap.add_argument("--minutes", type=float, default=30)
    ap.add_argument("--rate", type=int, default=50, help="non-streaming requests per second")
    ap.add_argument("--stream-rate", type=int, default=20, help="streaming requests per second")
    ap.add_argument("--sample-secs", type=float, default=5)
    ap.add_argument("--out-dir", default="bench/soak")
    ap.add_argument("--no-ledger", action="store_true", help="run with the ledger stage off")
    args = ap.parse_args()
    args.haetae, args.mock = os.path.abspath(args.haetae), os.path.abspath(args.mock)
    work = tempfile.mkdtemp(prefix="haetae-soak-")
    mock_port, port = free_port(), free_port()
    procs = []
    try:
        procs.append(subprocess.Popen([args.mock, "--listen", f"127.0.0.1:{mock_port}", "--latency-ms", "20",
                                       "--chunk-delay-ms", "2"], stdout=subprocess.DEVNULL, start_new_session=True))
        wait_port(mock_port)
        env = dict(os.environ, HAETAE_LOG="warn")
        env.pop("HAETAE_CONFIG", None)
        if args.no_ledger:
            with open(os.path.join(work, "haetae.toml"), "w") as f:
                f.write("[stages]\nledger = false\n")
        subprocess.run([args.haetae, "--data-dir", work, "limits", "set", "--tier", "public", OPEN_LIMITS],
                       check=True, cwd=work, env=env, capture_output=True)
        log = open(os.path.join(work, "up.log"), "w")
        gw = subprocess.Popen([args.haetae, "up", "--listen", f"127.0.0.1:{port}", "--data-dir", work, "--upstream",
                               f"http://127.0.0.1:{mock_port}/v1"], stdout=log, stderr=subprocess.STDOUT,
                              env=env, cwd=work, start_new_session=True)
        procs.append(gw)
        key = None
        for _ in range(300):
            time.sleep(0.2)
            for line in open(os.path.join(work, "up.log")):
                if line.startswith("HAETAE_KEY_PUBLIC="):
                    key = line.strip().split("=", 1)[1]
            if key:
                break
        if not key:
            raise RuntimeError("haetae up printed no key")
        wait_port(port)
        url = f"http://127.0.0.1:{port}/v1/chat/completions"
        secs = int(args.minutes * 60)

        def load(body, rate, name):
            out = open(os.path.join(work, f"{name}.json"), "w")
            return subprocess.Popen([args.oha, "--no-tui", "--output-format", "json", "-z", f"{secs}s", "-q", str(rate),
                                     "-c", "16", "--latency-correction", "-m", "POST",
                                     "-H", "content-type: application/json", "-H", f"authorization: Bearer {key}",
                                     "-d", json.dumps(body), url], stdout=out, stderr=subprocess.DEVNULL)

        msg = [{"role": "user", "content": "Summarise this alert: failed ssh logins from 203.0.113.7."}]
        loads = [load({"model": "mock-1", "max_tokens": 64, "messages": msg}, args.rate, "plain"),
                 load({"model": "mock-1", "max_tokens": 64, "stream": True, "messages": msg}, args.stream_rate, "stream")]
        samples = []
        start = time.time()
        while any(p.poll() is None for p in loads):
            samples.append((time.time() - start, rss_mib(gw.pid)))
            time.sleep(args.sample_secs)
        samples.append((time.time() - start, rss_mib(gw.pid)))
        ledger_size = None
        if not args.no_ledger:
            # The checkpoint's second line is the tree size: how many entries the soak appended.
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/ledger/checkpoint", timeout=10) as resp:
                ledger_size = int(resp.read().decode().splitlines()[1])
        results = {}
        for name in ("plain", "stream"):
            with open(os.path.join(work, f"{name}.json")) as f:
                r = json.load(f)
            codes = r.get("statusCodeDistribution", {})
            ok = sum(n for c, n in codes.items() if str(c).startswith("2"))
            errors = sum(codes.values()) - ok + sum(n for e, n in r.get("errorDistribution", {}).items() if e != DEADLINE)
            results[name] = (ok, errors, r.get("latencyPercentiles", {}).get("p99", 0) * 1000)
    finally:
        for p in reversed(procs):
            try:
                os.killpg(p.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
    os.makedirs(args.out_dir, exist_ok=True)
    with open(os.path.join(args.out_dir, "rss.csv"), "w") as f:
        f.write("seconds,rss_mib\n" + "".join(f"{t:.0f},{m:.1f}\n" for t, m in samples))
    svg(samples, os.path.join(args.out_dir, "rss.svg"))
    warm = [s for s in samples if s[0] >= min(120, secs / 4)]
    text = (
        f"# Soak\n\nDate: {datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d %H:%M UTC')}  \n"
        f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, {platform.platform()}  \n"
        f"Command: `{' '.join(sys.argv)}`  \n"
        f"Load: {args.rate} non-streaming + {args.stream_rate} streaming chat completions per second for "
        f"{args.minutes:g} minutes (oha, fixed rate), "
        f"{'every stage on except the ledger' if args.no_ledger else 'every stage on'}, mock upstream 20 ms latency.\n\n"
        f"| stream | served | errors | p99 ms |\n|---|---:|---:|---:|\n"
        + "".join(f"| {n} | {ok} | {err} | {p99:.1f} |\n" for n, (ok, err, p99) in results.items())
        + f"\nRSS: start {samples[0][1]:.1f} MiB, after warm-up {warm[0][1] if warm else 0:.1f} MiB, "
          f"max {max(m for _, m in samples):.1f} MiB, end {samples[-1][1]:.1f} MiB; trend after warm-up "
          f"{slope_mib_per_hour(warm):+.2f} MiB/hour. Curve: `rss.svg`, samples: `rss.csv`.\n"
        + (f"\nLedger: {ledger_size} entries appended; RSS growth after warm-up per entry appended after warm-up: "
           f"{growth_per_entry(warm, ledger_size, samples[-1][0]):.0f} bytes.\n" if ledger_size else ""))
    with open(os.path.join(args.out_dir, "RESULTS.md"), "w") as f:
        f.write(text)
    print(text)
    shutil.rmtree(work, ignore_errors=True)
    total_errors = sum(e for _, e, _ in results.values())
    sys.exit(1 if total_errors else 0)


if __name__ == "__main__":
    main()
