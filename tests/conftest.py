"""Shared fixtures: one real pipeline per test session (spaCy model + catalogs)."""
from __future__ import annotations

import pytest

from allegiance.models import Document


@pytest.fixture(scope="session")
def coder():
    from allegiance.coder import Coder

    return Coder(engine="rules")  # the rule path; the hybrid model has tests of its own


@pytest.fixture(scope="session")
def code(coder):
    """Code one text (published 2015-10-08 unless given) and return its records."""

    def _code(text: str, published: str = "2015-10-08") -> list[dict]:
        return coder.code(Document(id="t", text=text, published=published))

    return _code


def dyads(records: list[dict]) -> set[tuple]:
    """(type, source country, target country) of factual records."""
    out = set()
    for r in records:
        s, t = r["source"], r["target"]
        out.add((r["event_type"], s["country"] if s else None, t["country"] if t else None))
    return out
