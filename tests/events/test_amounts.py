"""An amount of money or goods stands for the act it measures: "announced $300 million in aid for
X" is aid announced, as "announced aid for X" is (``events.extract._noun`` with ``_amount``,
``events.syntax._phrase_lemmas``).

Every text here was written for these tests."""
from __future__ import annotations

import pytest


def _dyads(recs, etype):
    return {((r["source"] or {}).get("country"), (r["target"] or {}).get("country")) for r in recs
            if r["event_type"] == etype}


@pytest.mark.parametrize("text", [
    "Norway announced $300 million in humanitarian aid for Sudan.",
    "Norway announced 300 million kroner in emergency aid for Sudan.",
])
def test_an_amount_of_aid_announced_is_aid(code, text):
    assert ("NOR", "SDN") in _dyads(code(text), "AID")


def test_an_amount_of_aid_promised_is_an_agreement_to_aid(code):
    recs = code("Norway will send $300 million in humanitarian aid to Sudan.")
    assert ("NOR", "SDN") in _dyads(recs, "AGREE") | _dyads(recs, "AID")


def test_an_amount_of_something_else_is_no_aid(code):
    assert not _dyads(code("Norway announced $300 million in profits for its oil fund."), "AID")


@pytest.mark.parametrize("text, etype", [
    ("The junta imposed an internet shutdown across the northern provinces of Myanmar.", "COERCE"),
    ("The government lifted the communications blackout in Tigray.", "CONCEDE"),
])
def test_a_state_cutting_its_people_off_and_lifting_it(code, text, etype):
    assert any(r["event_type"] == etype for r in code(text))


@pytest.mark.parametrize("text", ["The government shutdown in Washington ended after 35 days.",
                                  "A power blackout hit Caracas on Monday."])
def test_other_shutdowns_and_blackouts_are_no_coercion(code, text):
    assert not any(r["event_type"] in ("COERCE", "CONCEDE") for r in code(text))


@pytest.mark.parametrize("text, source, target", [
    ("Niger announced its withdrawal from ECOWAS on Sunday.", "NER", "IGO"),
    ("Hungary announced its withdrawal from the International Criminal Court.", "HUN", "IGO"),
])
def test_leaving_a_bloc_or_a_court_is_a_sanction_against_it(code, text, source, target):
    assert (source, target) in _dyads(code(text), "SANCTION")


def test_troops_withdrawing_from_a_town_retreat(code):
    recs = code("Russian troops completed their withdrawal from Kherson.")
    assert any(r["event_type"] == "RETREAT" for r in recs)
    assert not any(r["event_type"] == "SANCTION" for r in recs)


def test_settlers_in_the_west_bank_are_israel_s(code):
    recs = [r for r in code("Settlers attacked Palestinian farmers near Nablus on Saturday.")
            if r["event_type"] == "ASSAULT"]
    assert recs and recs[0]["source"]["country"] == "ISR"
