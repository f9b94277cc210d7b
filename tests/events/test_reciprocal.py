"""Reciprocal acts: conjoined parties acting on "each other" or "one another" give one record
per direction (``allegiance.events.extract``: ``_reciprocal``; ``combine.one_reading`` keeps the
rules' reading, whose parties the model cannot see).

Every text here was written for these tests."""
from __future__ import annotations

import pytest

from allegiance.coder import Coder
from allegiance.models import Document


def _dyads(recs: list[dict], etype: str) -> set[tuple]:
    return {((r["source"] or {}).get("country"), (r["target"] or {}).get("country"))
            for r in recs if r["event_type"] == etype}


@pytest.mark.parametrize("text, etype, a, b", [
    ("Ecuador and Peru accused each other of moving troops to the border.", "ACCUSE", "ECU", "PER"),
    ("Morocco and Algeria blamed one another for the collapse of the talks.", "ACCUSE", "MAR", "DZA"),
    ("Russia and Estonia expelled each other's diplomats on Friday.", "SANCTION", "RUS", "EST"),
])
def test_each_party_acts_on_the_other(code, text, etype, a, b):
    assert {(a, b), (b, a)} <= _dyads(code(text), etype)


def test_the_hybrid_keeps_both_directions():
    coder = Coder()
    recs = coder.code(Document(id="t", text="Russia and Estonia expelled each other's diplomats on Friday.",
                               published="2023-02-03"))
    assert {("RUS", "EST"), ("EST", "RUS")} <= _dyads(recs, "SANCTION")


def test_an_other_that_is_no_reciprocal_is_an_ordinary_object(code):
    # "the other side" names a party of its own, not a reciprocal act
    recs = code("Ecuador and Peru accused the other guarantor states of bias.")
    assert ("ECU", "PER") not in _dyads(recs, "ACCUSE")


def test_two_sanctions_of_one_sentence_are_two_acts():
    # a closed border and a recalled envoy: one type, one dyad, two modes
    coder = Coder()
    recs = coder.code(Document(id="t", text="Niger closed its border with Benin and recalled its ambassador from "
                                            "Cotonou.", published="2023-08-10"))
    modes = {r["mode"] for r in recs if r["event_type"] == "SANCTION" and (r["target"] or {}).get("country") == "BEN"}
    assert len(modes) >= 2


def test_the_model_does_not_turn_a_known_word_round():
    # "truce" is cooperative in the lexicon: the model may not read it as an attack
    coder = Coder()
    recs = coder.code(Document(id="t", text="Egypt brokered a truce between Israel and Islamic Jihad late on "
                                            "Saturday.", published="2023-05-14"))
    assert not any(r["event_type"] == "ASSAULT" for r in recs)


@pytest.mark.parametrize("text, etype", [
    ("Jordanian jets intercepted Iranian drones over the Jordan valley.", "ASSAULT"),
    ("The Italian coast guard intercepted a boat carrying 40 people.", "COERCE"),
])
def test_intercepting(code, text, etype):
    assert any(r["event_type"] == etype for r in code(text))
