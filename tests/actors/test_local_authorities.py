"""Local authorities named by their town or province ("Gomel police", "the Vitebsk regional
executive committee") are of that place's country, and the local-government nouns are GOV
(``allegiance.actors.resolve``: ``ActorFinder._local_country``; ``data/actors/agents.yaml``).

Every text here was written for these tests."""
from __future__ import annotations

import pytest


@pytest.mark.parametrize("text, head, country, sector", [
    # the tagger reads these towns as no entity, a person or an organisation
    ("Gomel police detained twelve students on Friday.", "police", "BLR", "COP"),
    ("Karachi police said the gunmen had escaped.", "police", "PAK", "COP"),
    ("The Gomel regional executive committee banned all rallies on Friday.", "committee", "BLR", "GOV"),
    ("The Lyon city council voted to close the camp.", "council", "FRA", "GOV"),
    ("Lagos state police detained forty people at the toll gate.", "police", "NGA", "COP"),
])
def test_a_local_authority_takes_its_town_s_country(actor_at, text, head, country, sector):
    m = actor_at(text, head)
    assert m is not None and m.country == country and m.sector == sector


@pytest.mark.parametrize("text, head", [
    ("Traffic police detained a driver near the bridge.", "police"),        # no town at all
    ("The Smith administration imposed new tariffs on steel.", "administration"),  # a surname
])
def test_no_town_no_country(actor_at, text, head):
    m = actor_at(text, head)
    assert m is not None and m.country is None


def test_a_catalog_actor_before_the_noun_is_not_read_as_a_town(actor_at):
    # "Hamas" is also a GeoNames alternate name of the German town of Hamm
    m = actor_at("Hamas police arrested a blogger on Tuesday.", "police")
    assert m is not None and m.country != "DEU"


def test_a_small_town_s_name_does_not_place_its_authorities(actor_at):
    # "Homeland" is a Californian town of a few thousand: too small to outweigh a common word
    m = actor_at("Homeland police detained a driver near the bridge.", "police")
    assert m is not None and m.country is None


@pytest.mark.parametrize("noun", ["city council", "municipality", "regional administration", "prefect",
                                  "district executive committee"])
def test_local_government_nouns_are_gov(actor_at, noun):
    m = actor_at(f"The {noun} banned the march.", noun.split()[-1])
    assert m is not None and m.sector == "GOV"


def test_the_coded_arrest_carries_the_town_s_country(code):
    recs = [r for r in code("Gomel police detained twelve students on Friday.") if r["event_type"] == "COERCE"]
    assert recs and recs[0]["source"]["country"] == "BLR" and recs[0]["target"]["country"] == "BLR"


@pytest.mark.parametrize("text, head", [
    ("A deputy minister was arrested by anti-corruption agents on Monday.", "agents"),
    ("Federal agents searched the senator's office.", "agents"),
    ("Criminal investigators questioned the mayor for six hours.", "investigators"),
])
def test_investigating_agents_are_police(actor_at, text, head):
    m = actor_at(text, head)
    assert m is not None and m.sector == "COP"


def test_a_high_commissioner_is_a_diplomat_of_the_state_named_before_him(actor_at):
    # Commonwealth states exchange high commissioners, not ambassadors
    m = actor_at("Ghana summoned the Nigerian high commissioner on Tuesday.", "commissioner")
    assert m is not None and (m.country, m.sector) == ("NGA", "GOV")


@pytest.mark.parametrize("text, head, country", [
    ("The governor of Kherson region accused the occupying forces of looting.", "governor", "UKR"),
    ("The mayor of Mombasa closed the ferry.", "mayor", "KEN"),
    ("Police in Gomel detained twelve students.", "Police", "BLR"),
])
def test_an_authority_of_a_town_named_after_it_is_of_its_country(actor_at, text, head, country):
    m = actor_at(text, head)
    assert m is not None and m.country == country


def test_the_governor_of_a_bank_is_no_local_authority(actor_at):
    m = actor_at("The governor of the central bank resigned.", "governor")
    assert m is not None and m.country is None


@pytest.mark.parametrize("text, head, country", [
    ("An aide to Kenya's president rejected the proposal.", "aide", "KEN"),
    ("An adviser to the Iraqi prime minister rejected the proposal.", "adviser", "IRQ"),
])
def test_staff_act_for_their_principal_s_side(actor_at, text, head, country):
    m = actor_at(text, head)
    assert m is not None and (m.country, m.sector) == (country, "GOV")


def test_an_envoy_to_a_capital_is_not_that_capital_s(actor_at):
    m = actor_at("An envoy to Moscow delivered the letter.", "envoy")
    assert m is None or m.country != "RUS"
