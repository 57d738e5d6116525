"""Load on the CDS Hooks service over loopback: N patient-view requests, C at a time.

Starts `rrall serve` (unsigned, 127.0.0.1, a free port) in a child process and sends the example
request (examples/cds/patient-view.json) with wrk (Debian's ``wrk``, a C load generator, so the
client takes little of the 2 cores), or an httpx async client where wrk is not installed (each
request then has a fresh hookInstance). Prints throughput, p50, p99 and errors (transport errors,
and any answer that is not 200). Bounded: about ``--requests`` (default 5,000; wrk runs for the
time they take at the warm-up's rate) and a 120 s budget.
Results go in docs/performance.md by hand, with the machine they ran on.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
from cds_demo import start  # noqa: E402 (tools/ is not a package)

REQUEST = json.loads((ROOT / "examples" / "cds" / "patient-view.json").read_text(encoding="utf-8"))
BUDGET = 120.0


async def load(url: str, total: int, concurrency: int) -> tuple[list[float], int, float]:
    latencies: list[float] = []
    errors = 0
    queue = iter(range(total))
    deadline = time.monotonic() + BUDGET
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(limits=limits, timeout=30) as client:

        async def worker() -> None:
            nonlocal errors
            for _ in queue:
                if time.monotonic() > deadline:
                    return
                body = {**REQUEST, "hookInstance": str(uuid.uuid4())}
                started = time.perf_counter()
                try:
                    response = await client.post(f"{url}/cds-services/rr-all-options", json=body)
                    ok = response.status_code == 200 and response.json()["cards"]
                except httpx.HTTPError:
                    ok = False
                latencies.append(time.perf_counter() - started)
                errors += not ok

        began = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - began
    return latencies, errors, elapsed


WRK_SCRIPT = """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = io.open(os.getenv("RRALL_BENCH_BODY")):read("*a")
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) bad = 0 end
function response(status, headers, body)
  if status ~= 200 then bad = bad + 1 end
end
function done(summary, latency, requests)
  local bad_total = 0
  for _, thread in ipairs(threads) do bad_total = bad_total + thread:get("bad") end
  local e = summary.errors
  io.write(string.format("RESULT %d %f %f %f %d\\n", summary.requests, summary.duration / 1e6,
    latency:percentile(50) / 1e3, latency:percentile(99) / 1e3,
    e.connect + e.read + e.write + e.timeout + bad_total))
end
"""


def run_wrk(
    url: str, seconds: float, concurrency: int, scratch: Path
) -> tuple[int, float, float, float, int]:
    """(requests, seconds, p50 ms, p99 ms, errors) from wrk (2 threads) run for ``seconds``."""
    script, body = scratch / "cds.lua", scratch / "body.json"
    script.write_text(WRK_SCRIPT, encoding="utf-8")
    body.write_text(json.dumps(REQUEST), encoding="utf-8")
    env = {**os.environ, "RRALL_BENCH_BODY": str(body)}
    command = [
        "wrk",
        "-t",
        "2",
        "-c",
        str(concurrency),
        "-d",
        f"{max(1, round(seconds))}s",
        "--timeout",
        "10s",
    ]
    command += ["--latency", "-s", str(script), f"{url}/cds-services/rr-all-options"]
    out = subprocess.run(command, capture_output=True, text=True, env=env, check=True)
    found = re.search(r"RESULT (\d+) ([\d.]+) ([\d.]+) ([\d.]+) (\d+)", out.stdout)
    if found is None:
        raise SystemExit("wrk printed no result:\n" + out.stdout + out.stderr)
    count, took, p50, p99, errors = found.groups()
    return int(count), float(took), float(p50), float(p99), int(errors)


def run_httpx(url: str, total: int, concurrency: int) -> tuple[int, float, float, float, int]:
    """(requests, seconds, p50 ms, p99 ms, errors) from an httpx async client."""
    asyncio.run(load(url, 200, concurrency))  # warm-up, not counted
    latencies, errors, elapsed = asyncio.run(load(url, total, concurrency))
    ms = sorted(latency * 1000 for latency in latencies)
    return len(ms), elapsed, statistics.median(ms), ms[min(len(ms) - 1, int(len(ms) * 0.99))], errors


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--requests", type=int, default=5000)
    parser.add_argument("--concurrency", type=int, default=32)
    args = parser.parse_args()
    tool = "wrk" if shutil.which("wrk") else "httpx"
    with tempfile.TemporaryDirectory() as scratch:
        server, url = start(Path(scratch) / "feedback.sqlite3")
        try:
            if tool == "wrk":
                # wrk runs for a time, not a count: a 2 s warm-up (not counted) gives the rate, and
                # the run lasts as long as ``--requests`` take at that rate (at most the budget).
                warm, warm_seconds, *_ = run_wrk(url, 2, args.concurrency, Path(scratch))
                span = min(BUDGET, args.requests / max(warm / warm_seconds, 1.0))
                count, seconds, p50, p99, errors = run_wrk(url, span, args.concurrency, Path(scratch))
            else:
                count, seconds, p50, p99, errors = run_httpx(url, args.requests, args.concurrency)
        finally:
            server.terminate()
            server.wait(timeout=30)
    where = f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}, Python {sys.version.split()[0]}"
    print(f"CDS Hooks patient-view over loopback, by {tool} ({where})")
    print("| requests | concurrency | throughput | p50 | p99 | errors |")
    print("|---:|---:|---:|---:|---:|---:|")
    rate = f"{count / seconds:,.0f} req/s"
    print(f"| {count:,} | {args.concurrency} | {rate} | {p50:.1f} ms | {p99:.1f} ms | {errors} |")
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
