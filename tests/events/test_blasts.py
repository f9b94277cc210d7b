"""An explosion first reported with no author ("a car bomb exploded outside a police station") is an
attack (ASSAULT/explosives) with no known source; what it hit or whom it killed is the target, and
a group that claims it becomes the source (``events.extract.Extractor._blast``, ``Coder._claims``).

Every text here was written for these tests."""
from __future__ import annotations

import pytest


def _blasts(recs):
    return [r for r in recs if r["event_type"] == "ASSAULT"]


@pytest.mark.parametrize("text, country", [
    ("A roadside bomb tore through an army truck near Gao on Friday, killing four soldiers.", "MLI"),
    ("A car bomb exploded outside a police station in Peshawar, killing six officers.", "PAK"),
    ("A grenade exploded in a bus station in Kampala, wounding eleven passengers.", "UGA"),
])
def test_an_explosion_with_no_author_is_an_attack_on_what_it_hit(code, text, country):
    recs = _blasts(code(text))
    assert recs and recs[0]["target"] is not None and recs[0]["target"]["country"] == country
    assert recs[0]["mode"] == "explosives"


def test_the_group_that_claims_it_is_its_source(code):
    recs = _blasts(code("A car bomb exploded outside a police station in Peshawar, killing six officers. "
                        "The Pakistani Taliban claimed responsibility."))
    assert recs and recs[0]["source"] is not None and recs[0]["source"]["country"] == "PAK"


@pytest.mark.parametrize("text", [
    "Her report exploded several myths about the war.",               # a figure of speech
    "Sales of the new phone exploded after the launch in Nairobi.",   # no explosive at all
])
def test_no_explosive_no_attack(code, text):
    assert not _blasts(code(text))


def test_the_blast_told_again_is_not_a_second_attack(code):
    recs = _blasts(code("A bomb exploded at a bus stop in Kaduna, killing five people. "
                        "The blast also damaged a church."))
    assert len(recs) == 1
