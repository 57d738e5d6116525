"""Shared test set-up: Hypothesis profiles (fast locally, thorough in CI)."""

import os

from hypothesis import HealthCheck, settings

settings.register_profile("dev", max_examples=50, deadline=None)
settings.register_profile("ci", max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# `make soak`: many more examples, to find rare inputs before CI's random draws do.
settings.register_profile("soak", parent=settings.get_profile("ci"), max_examples=5000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))
