"""`rrall report` writes the page; `rrall serve` serves the pages for real; bad input exits 2 in one line."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import rrall
from helpers import run

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "patients" / "ph-positive-two-tkis-failed.json"


def test_rrall_report_writes_one_page_with_the_options_walk_gives(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    assert run(["report", str(EXAMPLE), "-o", str(out)]) == (0, "", "")
    page = out.read_text(encoding="utf-8")
    result = rrall.walk(json.loads(EXAMPLE.read_text(encoding="utf-8")))
    assert re.findall(r'<li class="option \w+" data-option="([^"]+)"', page) == list(result.option_ids)


def test_rrall_report_without_an_output_prints_the_page() -> None:
    status, out, err = run(["report", "-"], stdin='{"ph": "negative"}')
    assert (status, err) == (0, "")
    assert out.startswith("<!DOCTYPE html>")


@pytest.mark.parametrize(
    ("stdin", "field"),
    [
        ('{"age": "forty"}', "age"),
        ('{"age": ', ""),
        ("[1]", "patient"),
        ('{"ph": "positive", "tkis_failed": ["imatinib"], "tkis_received": []}', "tkis_failed"),
        ('{"resourceType": "Patient"}', "resourceType"),
        ("\udcff", ""),
    ],
)
def test_rrall_report_refuses_bad_input_in_the_one_line_rrall_walk_prints(stdin: str, field: str) -> None:
    status, out, err = run(["report", "-"], stdin=stdin)
    assert (status, out, err) == run(["walk", "-"], stdin=stdin)
    assert status == 2
    assert err.startswith("rrall: input: ")
    assert err.count("\n") == 1
    assert field in err


def test_rrall_report_says_when_it_cannot_read_or_write(tmp_path: Path) -> None:
    missing = tmp_path / "nobody.json"
    assert run(["report", str(missing)]) == (
        2,
        "",
        f"rrall: cannot read {missing}: No such file or directory\n",
    )
    status, _, err = run(["report", str(EXAMPLE), "-o", str(tmp_path / "no" / "dir.html")])
    assert status == 2
    assert err.startswith(f"rrall: cannot write {tmp_path / 'no' / 'dir.html'}: ")


def test_rrall_serve_refuses_a_port_out_of_range() -> None:
    assert run(["serve", "--port", "70000"]) == (2, "", "rrall: --port must be from 0 to 65535, got 70000\n")


def test_rrall_serve_serves_the_explorer_and_the_walk_endpoint_on_a_free_loopback_port() -> None:
    httpx = pytest.importorskip("httpx")
    pytest.importorskip("uvicorn", reason="rrall serve needs the server extra: pip install 'rrall[server]'")
    server = subprocess.Popen(
        [sys.executable, "-m", "rrall", "serve", "--host", "127.0.0.1", "--port", "0"],
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        url = None
        deadline = time.monotonic() + 30
        assert server.stderr is not None
        while url is None and time.monotonic() < deadline:
            line = server.stderr.readline()
            if not line and server.poll() is not None:
                break
            found = re.search(r"running on (http://127\.0\.0\.1:\d+)", line)
            url = found[1] if found else None
        assert url, "rrall serve did not say where it listens"
        assert "rrall explorer" in httpx.get(url + "/", timeout=10).text
        facts = {"ph": "negative", "lineage": "T", "age": 40}
        answer = httpx.post(url + "/api/walk", json=facts, timeout=10).json()
        assert [option["id"] for option in answer["options"]] == list(rrall.walk(facts).option_ids)
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def test_rrall_report_needs_no_server_extra_and_serve_says_how_to_get_it(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    code = (
        "import sys; sys.modules['starlette'] = sys.modules['uvicorn'] = None\n"  # as if not installed
        "from rrall._cli import main\n"
        f"assert main(['report', {str(EXAMPLE)!r}, '-o', {str(out)!r}]) == 0\n"
        "main(['serve'])\n"
    )
    run_ = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert run_.returncode == 2
    assert (
        run_.stderr.splitlines()[-1]
        == "rrall: rrall serve needs the server extra: pip install 'rrall[server]'"
    )
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
