"""The machinery behind `rrall.testing`; import that module, not this package.

``_solve`` (routes and the facts that satisfy them) and ``_checks`` (the
reusable properties) do not need Hypothesis; ``_strategies`` does.
"""

__all__: list[str] = []
