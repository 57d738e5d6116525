"""The HTTP service: ``rrall serve`` (the ``server`` extra)."""

__all__: list[str] = []
