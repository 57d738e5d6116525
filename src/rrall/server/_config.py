"""What the route modules are built with."""

from __future__ import annotations

from attrs import frozen

from ..engine import Guideline
from ..rr_all import RR_ALL

__all__ = ["ServerConfig"]


@frozen
class ServerConfig:
    """What every route module is built with.

    Attributes:
        guideline: The guideline the server walks patients through.
    """

    guideline: Guideline = RR_ALL
