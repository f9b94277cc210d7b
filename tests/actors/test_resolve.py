"""Persons described by an apposition (``allegiance.actors.resolve``; agent terms in
``data/actors/agents.yaml``).

Every text here was written for these tests."""
from __future__ import annotations

from allegiance.actors.resolve import ActorFinder


def _sectors(coder, text: str) -> dict[str, str | None]:
    doc = coder.nlp(text)
    finder = ActorFinder(doc, coder.catalog, "2021-05-01")
    out = {}
    for tok in doc:
        if tok.ent_type_ == "PERSON" and tok.dep_ != "compound":
            m = finder.resolve(tok)
            out[tok.text] = m.sector if m else None
    return out


def test_electoral_challengers_are_the_opposition(coder):
    s = _sectors(coder, "Police detained a challenger, Ivan Petrovich, before the vote.")
    assert s.get("Petrovich") == "OPP"


def test_every_conjunct_of_a_described_apposition_takes_the_description(coder):
    s = _sectors(coder, "Police detained two would-be challengers, Ivan Petrovich and Oleg Sidorenko, before the vote.")
    assert s.get("Petrovich") == "OPP" and s.get("Sidorenko") == "OPP"


def test_a_person_conjoined_outside_an_apposition_takes_no_description(coder):
    s = _sectors(coder, "Ivan Petrovich and Oleg Sidorenko met in a cafe on Monday.")
    assert s.get("Sidorenko") is None
