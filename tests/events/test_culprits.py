"""The unknown culprits a threat or a pledge names ("those responsible for ...", "the culprits of
...") are its target, never the victims their description names (``actors.resolve``: the
"culprits" mention; ``events.arguments._complement_target``).

Every text here was written for these tests."""
from __future__ import annotations

import pytest


@pytest.mark.parametrize("text", [
    "Nigeria's president vowed to punish those responsible for the attack on the mosque.",
    "Nigeria's president vowed to punish the culprits of the attack on the mosque.",
])
def test_the_threatened_are_the_culprits_not_the_victims(code, text):
    recs = [r for r in code(text) if r["event_type"] == "THREATEN"]
    assert recs and recs[0]["target"] is not None and recs[0]["target"]["sector"] == "UAF"


@pytest.mark.parametrize("text, noun", [
    ("Iran executed four men convicted of spying for a foreign service.", "four men"),
    ("Lawyers met the two reporters jailed in Baku last month.", "the two reporters"),
])
def test_a_noun_with_a_participle_of_what_it_underwent_did_not_do_it(code, text, noun):
    recs = code(text)
    assert all((r["source"] or {}).get("text") != noun for r in recs)
