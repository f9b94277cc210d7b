"""A munition named without its owner is the instrument of an attack, never its target."""
from __future__ import annotations

import pytest

from allegiance.actors.base import Mention
from allegiance.events.extract import bare_munition


def mention(text: str) -> Mention:
    return Mention(0, 1, 0, text, None, None, "MIL")


@pytest.mark.parametrize("text, bare", [
    ("missiles", True), ("the drones", True), ("two ballistic missiles", True), ("artillery shells", True),
    ("a convoy", False), ("Russian drones", False), ("Houthi missiles", False), ("the army", False),
    ("", False),
])
def test_bare_munition(text, bare):
    assert bare_munition(mention(text)) is bare


@pytest.mark.parametrize("text, target", [
    ("Russian forces launched missiles at Kharkiv on Monday.", "UKR"),  # the place's country, not "missiles"
    ("Houthi fighters fired rockets at Saudi border posts on Tuesday.", "SAU"),
])
def test_launched_munitions_are_not_targets(code, text, target):
    recs = [r for r in code(text, "2025-03-11") if r["event_type"] == "ASSAULT"]
    assert recs, text
    for r in recs:
        t = r["target"] or {}
        assert t.get("text") not in ("missiles", "rockets")
        assert t.get("country") == target


def test_owned_munitions_shot_down_keep_their_owner(code):
    recs = code("Ukrainian air defences shot down Russian drones over Odesa on Sunday.", "2025-03-11")
    assert any(r["target"] and r["target"]["country"] == "RUS" for r in recs)
