"""Example counts per test: the ``ci`` count, times `LONG_FACTOR` under ``HYPOTHESIS_PROFILE=long``."""
from __future__ import annotations

import os

from hypothesis import settings

LONG_FACTOR = 20


def examples(n: int) -> settings:
    """Settings for a test run on ``n`` examples (``n * LONG_FACTOR`` in the long profile)."""
    long = os.environ.get("HYPOTHESIS_PROFILE", "ci") == "long"
    return settings(max_examples=n * LONG_FACTOR if long else n)
