"""How long the server takes to answer the pages' requests, and how large the answers are.

    .venv/bin/python benchmarks/bench_pages.py [--requests 200]

Starts the real server (uvicorn) on 127.0.0.1 on an ephemeral port and posts
the example patients in turn, over one keep-alive connection, to
``/api/walk`` (the walk as JSON), ``/api/explore`` (what the explorer asks
for: the walk and the route drawn as SVG) and ``/report`` (the report page).
Reports each one's median and 95th-percentile round trip and body size; the
first Graphviz layout is made before timing.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from live_server import live_server  # noqa: E402
from rrall.server import create_app  # noqa: E402

PATHS = ("/api/walk", "/api/explore", "/report")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200, help="requests per path")
    args = parser.parse_args()
    patients = [
        json.loads(path.read_text()) for path in sorted((ROOT / "examples" / "patients").glob("*.json"))
    ]
    print(f"| {args.requests} requests each | median | 95th percentile | body |")
    print("| --- | ---: | ---: | ---: |")
    with live_server(create_app()) as url, httpx.Client(base_url=url, timeout=30) as client:
        client.post("/api/explore", json={})
        for path in PATHS:
            times, size = [], 0
            for number in range(args.requests):
                begin = time.perf_counter()
                response = client.post(path, json=patients[number % len(patients)])
                times.append(time.perf_counter() - begin)
                response.raise_for_status()
                size = max(size, len(response.content))
            times.sort()
            p95 = times[int(0.95 * len(times)) - 1]
            print(
                f"| `POST {path}` | {statistics.median(times) * 1000:.1f} ms | {p95 * 1000:.1f} ms "
                f"| up to {size / 1024:.0f} KB |"
            )


if __name__ == "__main__":
    main()
