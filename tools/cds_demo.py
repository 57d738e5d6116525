"""`make demo`'s CDS Hooks part: start `rrall serve`, post a patient-view request, print the cards, stop.

The server runs unsigned on 127.0.0.1 on a free port (a demo; a real deployment gives --trust FILE).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
REQUEST = ROOT / "examples" / "cds" / "patient-view.json"


def start(feedback_db: Path) -> tuple[subprocess.Popen[str], str]:
    """``rrall serve --port 0 --allow-unsigned`` in a child process, and its base URL.

    Its log lines (stderr) are read on in a thread, so the pipe never fills.
    """
    command = [sys.executable, "-m", "rrall", "serve", "--port", "0", "--allow-unsigned"]
    server = subprocess.Popen(
        [*command, "--feedback-db", str(feedback_db)], stderr=subprocess.PIPE, text=True
    )
    assert server.stderr is not None
    for line in server.stderr:
        found = re.search(r"CDS Hooks at (http://\S+)/cds-services", line)
        if found:
            threading.Thread(target=server.stderr.read, daemon=True).start()
            return server, found.group(1)
    raise SystemExit("rrall serve did not start")


def _show(card: dict[str, object]) -> str:
    lines = [f"[{card['indicator']}] {card['summary']}", ""]
    lines += ["    " + line for line in str(card.get("detail", "")).splitlines()]
    for link in card.get("links", []):  # type: ignore[attr-defined]
        lines.append(f"    -> {link['label']}: {link['url'][:100]}{'…' if len(link['url']) > 100 else ''}")
    return "\n".join(lines)


def main() -> int:
    with tempfile.TemporaryDirectory() as scratch:
        server, url = start(Path(scratch) / "feedback.sqlite3")
        try:
            services = httpx.get(f"{url}/cds-services", timeout=30).json()["services"]
            print(
                f"Discovery at {url}/cds-services: " + ", ".join(f"{s['id']} ({s['hook']})" for s in services)
            )
            body = json.loads(REQUEST.read_text(encoding="utf-8"))
            response = httpx.post(f"{url}/cds-services/rr-all-options", json=body, timeout=30)
            response.raise_for_status()
            cards = response.json()["cards"]
            print(f"POST {REQUEST.relative_to(ROOT)} -> {response.status_code}, {len(cards)} card(s):\n")
            for card in cards:
                print(_show(card) + "\n")
        finally:
            server.terminate()
            server.wait(timeout=30)
    print("The service is stopped.")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
