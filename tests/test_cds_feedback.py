"""Feedback is durable: concurrent posts lose nothing, and a killed server loses nothing it acknowledged."""

from __future__ import annotations

import signal
import sqlite3
import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

from cds_support import Server


def entry(card: str) -> dict:
    return {
        "card": card,
        "outcome": "accepted",
        "acceptedSuggestions": [],
        "outcomeTimestamp": "2026-12-01T10:00:00Z",
    }


def stored_cards(db: Path) -> set[str]:
    with sqlite3.connect(db) as connection:
        return {row[0] for row in connection.execute("SELECT card FROM feedback")}


def test_concurrent_feedback_posts_lose_nothing(tmp_path: Path) -> None:
    db = tmp_path / "feedback.sqlite3"
    server = Server("--allow-unsigned", "--feedback-db", str(db))
    cards = [str(uuid.uuid4()) for _ in range(200)]
    try:
        with httpx.Client(timeout=30) as client, ThreadPoolExecutor(16) as pool:
            url = f"{server.url}/cds-services/rr-all-options/feedback"
            statuses = list(
                pool.map(lambda card: client.post(url, json={"feedback": [entry(card)]}).status_code, cards)
            )
    finally:
        server.stop()
    assert statuses == [200] * len(cards)
    assert stored_cards(db) == set(cards)


def test_a_server_killed_mid_write_loses_no_feedback_it_acknowledged(tmp_path: Path) -> None:
    db = tmp_path / "feedback.sqlite3"
    server = Server("--allow-unsigned", "--feedback-db", str(db))
    acknowledged: list[str] = []
    lock = threading.Lock()
    stop = threading.Event()
    url = f"{server.url}/cds-services/rr-all-options/feedback"

    def writer() -> None:
        with httpx.Client(timeout=10) as client:
            while not stop.is_set():
                cards = [str(uuid.uuid4()) for _ in range(5)]
                try:
                    response = client.post(url, json={"feedback": [entry(card) for card in cards]})
                except httpx.HTTPError:
                    return  # the server is gone
                if response.status_code == 200:
                    with lock:
                        acknowledged.extend(cards)

    threads = [threading.Thread(target=writer) for _ in range(8)]
    for thread in threads:
        thread.start()
    try:
        while True:  # kill it while posts are in flight, once some are acknowledged
            with lock:
                if len(acknowledged) >= 200:
                    break
            threading.Event().wait(0.01)
        server.process.send_signal(signal.SIGKILL)
        server.process.wait(timeout=10)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
        server.stop()
    assert server.process.returncode == -signal.SIGKILL
    stored = stored_cards(db)
    assert set(acknowledged) <= stored
    assert len(acknowledged) >= 200


def test_a_feedback_db_in_a_folder_that_does_not_exist_is_refused_at_start(tmp_path: Path) -> None:
    import subprocess
    import sys

    command = [sys.executable, "-m", "rrall", "serve", "--allow-unsigned", "--port", "0"]
    command += ["--feedback-db", str(tmp_path / "missing" / "feedback.sqlite3")]
    run = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    assert run.returncode == 2
    assert "--feedback-db" in run.stderr
    assert "missing" in run.stderr


def test_a_server_that_gets_no_feedback_leaves_no_database(tmp_path: Path) -> None:
    db = tmp_path / "feedback.sqlite3"
    server = Server("--allow-unsigned", "--feedback-db", str(db))
    try:
        assert httpx.get(f"{server.url}/cds-services", timeout=10).status_code == 200
    finally:
        server.stop()
    assert not db.exists()
