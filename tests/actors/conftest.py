"""Fixtures shared by the actor tests."""
from __future__ import annotations

import pytest

from allegiance.actors.resolve import ActorFinder


@pytest.fixture(scope="session")
def actor_at(coder):
    """Resolve the noun phrase headed by the first token spelled ``head`` in ``text``."""

    def _actor(text: str, head: str):
        parsed = coder.nlp(text)
        finder = ActorFinder(parsed, coder.catalog, None, parse=coder.nlp)
        return finder.resolve(next(t for t in parsed if t.text == head))

    return _actor
