"""Headless Chromium for the browser tests: Debian's chromium, driven by Playwright.

Playwright's own browser download cannot work here, so the tests drive the
system's Chromium (``/usr/bin/chromium``, or ``RRALL_CHROMIUM``). Where it is
missing the tests skip with the command that installs it; with
``RRALL_REQUIRE_BROWSER=1`` (set by ``.ci/run``) they fail instead.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = os.environ.get("RRALL_CHROMIUM", "/usr/bin/chromium")
AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
INSTALL_HINT = (
    "the browser tests need Debian's Chromium and Playwright's Python package: "
    "apt-get install -y chromium (as root), then pip install -e '.[dev]'"
)
#: The flags the developers' guide gives: no sandbox (root in CI), no GPU, no network of its own.
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def require_browser() -> None:
    """Skip (or, under CI, fail) when Chromium or Playwright is missing."""
    missing = []
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        missing.append(f"no Chromium at {CHROMIUM}")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing.append("no playwright")
    if missing:
        message = f"{'; '.join(missing)}: {INSTALL_HINT}"
        if os.environ.get("RRALL_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)


@contextmanager
def chromium(profile: Path) -> Iterator[Any]:
    """A headless Chromium context with a fresh user-data dir at ``profile``."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile),
            executable_path=CHROMIUM,
            headless=True,
            args=FLAGS,
            viewport={"width": 1400, "height": 1000},
            reduced_motion="reduce",
        )
        try:
            yield context
        finally:
            context.close()


class Console:
    """The console errors and uncaught exceptions of one page."""

    def __init__(self, page: Any) -> None:
        self.errors: list[str] = []
        page.on("console", lambda message: message.type == "error" and self.errors.append(message.text))
        page.on("pageerror", lambda error: self.errors.append(f"uncaught: {error}"))
        page.on("dialog", lambda dialog: (self.errors.append(f"dialog: {dialog.message}"), dialog.dismiss()))


def serious_violations(page: Any) -> list[dict[str, Any]]:
    """axe-core's serious and critical violations on the page as it is now."""
    page.add_script_tag(path=str(AXE))
    found: list[dict[str, Any]] = page.evaluate(
        """async () => {
            const results = await axe.run(document, {resultTypes: ["violations"]});
            return results.violations
                .filter(v => v.impact === "serious" || v.impact === "critical")
                .map(v => ({id: v.id, impact: v.impact, help: v.help,
                            nodes: v.nodes.slice(0, 5).map(n => n.target.join(" "))}));
        }"""
    )
    return found


#: The contrast of each text of the page's flowchart with what is behind it (its node's fill, else the
#: section's pale blue, the darkest of the chart's backgrounds), lowest first.
_CONTRASTS = """() => {
    const rgb = (colour) => {
        const probe = document.createElement("div");
        probe.style.color = colour;
        document.body.appendChild(probe);
        const parts = getComputedStyle(probe).color.match(/[0-9.]+/g).map(Number);
        probe.remove();
        return parts.slice(0, 3);
    };
    const luminance = ([r, g, b]) => {
        const [R, G, B] = [r, g, b].map((c) => {
            c /= 255;
            return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
        });
        return 0.2126 * R + 0.7152 * G + 0.0722 * B;
    };
    const ratio = (a, b) => {
        const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
        return (hi + 0.05) / (lo + 0.05);
    };
    return Array.from(document.querySelectorAll("svg.flowchart text")).map((text) => {
        const node = text.closest("g.node");
        const shape = node && node.querySelector("polygon, path, ellipse");
        const fill = shape && shape.getAttribute("fill");
        const behind = fill && fill !== "none" ? fill : "#f7f9fc";
        return [ratio(rgb(getComputedStyle(text).fill), rgb(behind)), text.textContent];
    }).sort((a, b) => a[0] - b[0]);
}"""


def flowchart_contrasts(page: Any) -> list[tuple[float, str]]:
    """Each text of the page's flowchart and its contrast ratio with its background, lowest first."""
    return [(ratio, text) for ratio, text in page.evaluate(_CONTRASTS)]
