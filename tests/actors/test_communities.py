"""Ethnic and religious communities that live in one state are of that state, and the people of a
breakaway region are its de facto authority's (``data/actors/countries.yaml`` adjectives and
demonyms, ``organisations.yaml`` aliases).

Every text here was written for these tests."""
from __future__ import annotations

import pytest


@pytest.mark.parametrize("text, head, country", [
    ("Coptic villagers marched to the governor's office.", "villagers", "EGY"),
    ("Copts rallied outside the cathedral on Sunday.", "Copts", "EGY"),
    ("Alawite militiamen set up checkpoints on the coast road.", "militiamen", "SYR"),
    ("Crimean Tatar activists were detained at dawn.", "activists", "UKR"),
    ("Igbo traders shut their shops for a day.", "traders", "NGA"),
    ("Maronite clergy called for calm.", "clergy", "LBN"),
    ("Walloon farmers blocked the motorway with tractors.", "farmers", "BEL"),
    ("Masalit elders said the camp had been burned.", "elders", "SDN"),
])
def test_a_community_of_one_state_is_of_that_state(actor_at, text, head, country):
    m = actor_at(text, head)
    assert m is not None and m.country == country


@pytest.mark.parametrize("text, head, name, country", [
    ("Transnistrian officials accused Moldova of planning a blockade.", "officials", "Transnistria", "MDA"),
    ("Abkhaz officials accused Georgia of provocations.", "officials", "Abkhazia", "GEO"),
])
def test_a_breakaway_region_s_officials_are_its_de_facto_authority(actor_at, text, head, name, country):
    m = actor_at(text, head)
    assert m is not None and (m.name, m.country, m.sector) == (name, country, "PRE")


def test_a_given_name_is_no_community(actor_at):
    m = actor_at("Karen Lindqvist met the mayor on Friday.", "Lindqvist")
    assert m is None or m.country is None


def test_the_accusation_of_a_breakaway_authority_is_coded_between_it_and_the_state(code):
    recs = [r for r in code("Transnistrian officials accused Moldova of planning a blockade.")
            if r["event_type"] == "ACCUSE"]
    assert recs and recs[0]["source"]["name"] == "Transnistria" and recs[0]["target"]["country"] == "MDA"


def test_a_breakaway_region_s_forces_are_its_own(actor_at):
    m = actor_at("South Ossetian forces detained three farmers near the boundary line.", "forces")
    assert m is not None and (m.name, m.country, m.sector) == ("South Ossetia", "GEO", "PRE")


@pytest.mark.parametrize("text, source, target", [
    ("Somaliland officials condemned Somalia for its deal with the militia.", "Somaliland", "Somalia"),
    ("Georgia accused Abkhaz officials of detaining two teenagers.", "Georgia", "Abkhazia"),
])
def test_a_state_and_its_breakaway_region_are_two_parties(code, source, target, text):
    recs = [r for r in code(text) if r["event_type"] == "ACCUSE"]
    assert recs and recs[0]["source"]["name"] == source and recs[0]["target"]["name"] == target


def test_a_possessor_of_the_state_s_own_country_is_still_no_target(code):
    # "withheld its aid to ...": the rule that drops one's own country as target still holds
    recs = [r for r in code("Moldova withheld its aid to the farmers of the north.") if r["event_type"] == "SANCTION"]
    assert all((r["target"] or {}).get("name") != "Moldova" for r in recs)


def test_nationals_abroad_are_civilians_of_their_state(actor_at):
    m = actor_at("Four Chinese nationals were kidnapped at a gold mine.", "nationals")
    assert m is not None and (m.country, m.sector) == ("CHN", "CVL")


def test_bare_congo_is_the_same_state_for_actors_and_places(code):
    # the actor catalog and the gazetteer read a bare "Congo" alike: the Democratic Republic
    recs = code("Gunmen kidnapped four Chinese nationals at a gold mine in eastern Congo.")
    assert recs and recs[0]["location"]["country"] == "COD" and recs[0]["source"]["country"] == "COD"
