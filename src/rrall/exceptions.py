"""Every error rrall raises on purpose (`rrall.engine.exceptions`, re-exported here)."""

from .engine.exceptions import (
    DiffError,
    GuidelineError,
    InvalidFhir,
    InvalidRecord,
    LoadError,
    Problem,
    ResultError,
    RrallError,
)

__all__ = [
    "DiffError",
    "GuidelineError",
    "InvalidFhir",
    "InvalidRecord",
    "LoadError",
    "Problem",
    "ResultError",
    "RrallError",
]
