"""The feedback store: what clinicians did with the cards, kept durably in SQLite.

CDS Hooks 2.0 ("Feedback"): the client POSTs ``{"feedback": [...]}`` to
``{baseUrl}/cds-services/{id}/feedback``; each entry names the ``card`` (its uuid), the
``outcome`` (``accepted`` or ``overridden``), the ``acceptedSuggestions`` (required when
accepted), an optional ``overrideReason`` and the ``outcomeTimestamp``.

Every POST is one transaction, committed (WAL journal, ``synchronous=FULL``: the commit is on
disk) before the service answers, so an acknowledged post survives the process being killed.
Writers are serialised by a lock, so concurrent posts lose nothing.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import threading
from collections.abc import Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from attrs import frozen

from ._outcome import CdsError

__all__ = ["DEFAULT_FEEDBACK_DB", "FeedbackEntry", "FeedbackStore", "parse_feedback", "summary_text"]

#: The feedback database used when ``--feedback-db`` is not given.
DEFAULT_FEEDBACK_DB = "rrall-feedback.sqlite3"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY,
    received_at TEXT NOT NULL,
    request_id TEXT NOT NULL,
    service TEXT NOT NULL,
    card TEXT NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome IN ('accepted', 'overridden')),
    outcome_timestamp TEXT NOT NULL,
    accepted_suggestions TEXT NOT NULL,
    override_system TEXT,
    override_code TEXT,
    override_display TEXT,
    user_comment TEXT
)
"""
_UUID = re.compile(
    r"^(urn:uuid:)?[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
)
# RFC 3339 date-time; the spec asks for UTC, and an offset is accepted as RFC 3339 allows it.
_RFC3339 = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")


@frozen
class FeedbackEntry:
    """One feedback entry, checked."""

    card: str
    outcome: str
    outcome_timestamp: str
    accepted_suggestions: tuple[str, ...]
    override_system: str | None
    override_code: str | None
    override_display: str | None
    user_comment: str | None


def _bad(where: str, message: str) -> CdsError:
    return CdsError(400, "invalid-feedback", f"{where}: {message}", expression=where)


def _string(entry: dict[str, Any], name: str, where: str, *, required: bool) -> str | None:
    value = entry.get(name)
    if value is None:
        if required:
            raise _bad(f"{where}.{name}", "is required")
        return None
    if not isinstance(value, str) or not value:
        raise _bad(f"{where}.{name}", "must be a non-empty string")
    return value


def _override(entry: dict[str, Any], where: str) -> tuple[str | None, ...]:
    reason = entry.get("overrideReason")
    if reason is None:
        return (None, None, None, None)
    where = f"{where}.overrideReason"
    if not isinstance(reason, dict):
        raise _bad(where, "must be an object")
    comment = _string(reason, "userComment", where, required=False)
    coding = reason.get("reason")
    if coding is None:
        return (None, None, None, comment)
    if not isinstance(coding, dict):
        raise _bad(f"{where}.reason", "must be a Coding object")
    coded = tuple(_string(coding, name, f"{where}.reason", required=False) for name in ("system", "code"))
    display = _string(coding, "display", f"{where}.reason", required=False)
    return (*coded, display, comment)


def _entry(number: int, entry: object) -> FeedbackEntry:
    where = f"feedback[{number}]"
    if not isinstance(entry, dict):
        raise _bad(where, "must be an object")
    card = _string(entry, "card", where, required=True)
    assert card is not None
    if not _UUID.match(card):
        raise _bad(f"{where}.card", "must be the uuid of a card")
    outcome = _string(entry, "outcome", where, required=True)
    if outcome not in ("accepted", "overridden"):
        raise _bad(f"{where}.outcome", "must be 'accepted' or 'overridden'")
    stamp = _string(entry, "outcomeTimestamp", where, required=True)
    assert stamp is not None
    if not _RFC3339.match(stamp):
        raise _bad(f"{where}.outcomeTimestamp", "must be an RFC 3339 date-time, e.g. 2026-12-01T10:00:00Z")
    accepted = entry.get("acceptedSuggestions")
    if outcome == "accepted" and accepted is None:
        raise _bad(f"{where}.acceptedSuggestions", "is required when the outcome is 'accepted'")
    if accepted is not None and (
        not isinstance(accepted, list)
        or not all(isinstance(item, dict) and isinstance(item.get("id"), str) for item in accepted)
    ):
        raise _bad(f"{where}.acceptedSuggestions", "must be an array of objects with an 'id' string")
    ids = tuple(item["id"] for item in accepted or ())
    return FeedbackEntry(card, outcome, stamp, ids, *_override(entry, where))


def parse_feedback(body: object) -> list[FeedbackEntry]:
    """The entries of a feedback request body; `CdsError` 400 naming the bad field otherwise."""
    if not isinstance(body, dict):
        raise _bad("body", "must be a JSON object with a 'feedback' array")
    entries = body.get("feedback")
    if not isinstance(entries, list) or not entries:
        raise _bad("feedback", "must be a non-empty array of feedback entries")
    return [_entry(number, entry) for number, entry in enumerate(entries)]


class FeedbackStore:
    """Feedback entries in one SQLite file; safe to call from several threads.

    The file is created when the first feedback arrives, so a server that gets none leaves none.
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._opened: sqlite3.Connection | None = None
        folder = self.path.resolve().parent
        if not folder.is_dir() or not os.access(folder, os.W_OK):
            raise OSError(f"{folder} is not a folder rrall can write to")

    @property
    def _connection(self) -> sqlite3.Connection:
        # Called with the lock held.
        if self._opened is None:
            connection = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
            connection.execute("PRAGMA journal_mode=WAL")
            connection.execute("PRAGMA synchronous=FULL")
            connection.execute("PRAGMA busy_timeout=10000")
            connection.execute(_SCHEMA)
            self._opened = connection
        return self._opened

    def add(self, service: str, request_id: str, entries: Sequence[FeedbackEntry]) -> int:
        """Store ``entries`` in one transaction, on disk when this returns; the number stored."""
        received = datetime.now(timezone.utc).isoformat(timespec="milliseconds")
        rows = [
            (
                received,
                request_id,
                service,
                entry.card,
                entry.outcome,
                entry.outcome_timestamp,
                json.dumps(list(entry.accepted_suggestions)),
                entry.override_system,
                entry.override_code,
                entry.override_display,
                entry.user_comment,
            )
            for entry in entries
        ]
        with self._lock:
            connection = self._connection
            connection.execute("BEGIN IMMEDIATE")
            try:
                connection.executemany(
                    "INSERT INTO feedback (received_at, request_id, service, card, outcome,"
                    " outcome_timestamp,"
                    " accepted_suggestions, override_system, override_code, override_display, user_comment)"
                    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    rows,
                )
            except BaseException:
                connection.execute("ROLLBACK")
                raise
            connection.execute("COMMIT")
        return len(rows)

    def summary(self) -> dict[str, Any]:
        """Counts of the stored feedback: by service and outcome, and the override reasons given."""
        with self._lock:
            rows = self._connection.execute(
                "SELECT service, outcome, COUNT(*), COUNT(DISTINCT card) FROM feedback"
                " GROUP BY service, outcome ORDER BY service, outcome"
            ).fetchall()
            reasons = self._connection.execute(
                "SELECT COALESCE(override_display, override_code, '(no reason given)'), COUNT(*)"
                " FROM feedback"
                " WHERE outcome = 'overridden' GROUP BY 1 ORDER BY 2 DESC, 1"
            ).fetchall()
            span = self._connection.execute(
                "SELECT MIN(received_at), MAX(received_at) FROM feedback"
            ).fetchone()
        services: dict[str, dict[str, int]] = {}
        cards: dict[str, int] = {}
        for service, outcome, count, distinct in rows:
            services.setdefault(service, {"accepted": 0, "overridden": 0})[outcome] = count
            cards[service] = cards.get(service, 0) + distinct
        total = sum(count for _, _, count, _ in rows)
        return {
            "total": total,
            "first": span[0],
            "last": span[1],
            "services": {name: {**counts, "cards": cards[name]} for name, counts in services.items()},
            "override_reasons": {reason: count for reason, count in reasons},
        }

    def close(self) -> None:
        """Close the database."""
        with self._lock:
            if self._opened is not None:
                self._opened.close()
                self._opened = None


def summary_text(summary: dict[str, Any], path: str | Path) -> str:
    """The summary in words, for ``rrall feedback``."""
    if not summary["total"]:
        return f"No feedback stored in {path}.\n"
    lines = [
        f"Feedback in {path}: {summary['total']} entries, received {summary['first']} to {summary['last']}."
    ]
    for service, counts in summary["services"].items():
        lines.append(
            f"  {service}: {counts['accepted']} accepted, {counts['overridden']} overridden"
            f" ({counts['cards']} cards)"
        )
    if summary["override_reasons"]:
        lines.append("Override reasons:")
        lines += [f"  {count:>5}  {reason}" for reason, count in summary["override_reasons"].items()]
    return "\n".join(lines) + "\n"
