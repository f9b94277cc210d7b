"""Entries of the trigger lexicon (``data/triggers.yaml``), each on sentences written for the project."""
from __future__ import annotations

import pytest


def rows(records):
    return {(r["event_type"], r["mode"], (r["source"] or {}).get("country"), (r["target"] or {}).get("country"))
            for r in records if not r["modality"]["negated"]}


@pytest.mark.parametrize("text, source, target", [
    ("Russia cut off gas supplies to Ukraine on Thursday.", "RUS", "UKR"),
    ("Moscow cut oil deliveries to Belarus in January.", "RUS", "BLR"),
])
def test_a_state_cutting_supplies_to_another_state_sanctions_it(code, text, source, target):
    assert ("SANCTION", "discontinue", source, target) in rows(code(text, "2020-03-01"))
