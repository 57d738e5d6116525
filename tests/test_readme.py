"""The README's Python examples run as written."""

from __future__ import annotations

import re
from pathlib import Path

README = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
BLOCKS = re.findall(r"```python\n(.*?)```", README, re.S)


def test_the_readme_has_the_walk_and_the_property_test_examples() -> None:
    assert len(BLOCKS) == 2
    assert "make demo" in README
    assert "make test" in README


def test_the_walk_example_runs() -> None:
    exec(BLOCKS[0], {})


def test_the_property_test_example_runs() -> None:
    namespace: dict[str, object] = {}
    exec(BLOCKS[1], namespace)
    namespace["test_my_integration"]()  # type: ignore[operator]
