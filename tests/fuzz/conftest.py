"""Hypothesis profiles for the fuzz tests, and the loaded pipeline they share.

``ci`` (the default) is deterministic (``derandomize=True``: the same examples on every run and
machine) with each test's bounded example count, so the whole set stays well under 90 s on two
cores. ``HYPOTHESIS_PROFILE=long`` draws fresh random examples, 20 times as many per test, for a
search run by hand (docs/reliability.md, "Fuzzing and option validation").
"""
from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

_COMMON = dict(deadline=None, database=None, print_blob=True,
               suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                      HealthCheck.filter_too_much])
settings.register_profile("ci", derandomize=True, **_COMMON)
settings.register_profile("long", derandomize=False, **_COMMON)
PROFILE = os.environ.get("HYPOTHESIS_PROFILE", "ci")
settings.load_profile(PROFILE)


@pytest.fixture(scope="session")
def nlp():
    from allegiance.nlp import load_nlp

    return load_nlp()


@pytest.fixture(scope="session")
def hybrid_coder():
    """The default engine (rules and model), loaded once for the session."""
    from allegiance.coder import Coder

    return Coder()
