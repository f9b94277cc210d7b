"""Candidate assembly in ``allegiance.events.extract``: an act said to be done "also".

Every text here was written for these tests."""
from __future__ import annotations

from tests.conftest import dyads


def test_an_also_promise_takes_the_recipient_of_the_delivery_just_reported(code):
    recs = code("Spain delivered its first armoured vehicles to Moldova on Monday. "
                "Italy and Austria have also promised to send vehicles.")
    d = dyads(recs)
    assert ("AGREE", "ITA", "MDA") in d and ("AGREE", "AUT", "MDA") in d


def test_a_promise_without_also_takes_no_earlier_recipient(code):
    recs = code("Spain delivered its first armoured vehicles to Moldova on Monday. "
                "Italy has promised to send vehicles.")
    assert ("AGREE", "ITA", "MDA") not in dyads(recs)


def test_an_also_act_never_takes_its_own_side_as_target(code):
    recs = code("Spain delivered armoured vehicles to Italy on Monday. Italy has also promised to send vehicles.")
    assert ("AGREE", "ITA", "ITA") not in dyads(recs)
