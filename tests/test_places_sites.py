"""Sites finer than a town (squares, streets, buildings, bases, districts, villages the
gazetteer lacks) in event records, on sentences written for these tests."""
from __future__ import annotations

import pytest

from allegiance.models import Place
from allegiance.places import event_location, event_site, norm


@pytest.fixture(scope="session")
def nlp():
    pytest.importorskip("spacy")
    from allegiance.nlp import load_nlp

    return load_nlp()   # the coder's pipeline


def _site(nlp, sentence: str, trigger: str, doc_countries: tuple[str, ...] = ()) -> Place | None:
    doc = nlp(sentence)
    tok = next(t for t in doc if t.text == trigger)
    return event_site(tok, event_location(tok, doc_countries=doc_countries), doc_countries=doc_countries)


# a named site with the town the text puts it in: text is the site, the rest the town's
IN_TOWN = [
    # sentence, trigger, site (normalised substring of text), town (substring of name), country
    ("Riot police fired rubber bullets at marchers on Liberty Square in Tbilisi on Friday.", "fired",
     "liberty square", "tbilisi", "GEO"),
    ("Hundreds of nurses rallied in Lisbon's Rossio Square on Monday.", "rallied",
     "rossio square", "lisbon", "PRT"),
    ("Police detained forty students outside the Kyiv Polytechnic building on Wednesday.", "detained",
     "polytechnic building", "kyiv", "UKR"),
    ("NAIROBI (Reuters) - Police fired tear gas at traders on Moi Avenue on Tuesday.", "fired",
     "moi avenue", "nairobi", "KEN"),
]


@pytest.mark.parametrize("sentence,trigger,site,town,iso3", IN_TOWN)
def test_a_named_site_is_placed_in_its_town(nlp, sentence, trigger, site, town, iso3):
    place = _site(nlp, sentence, trigger)
    assert place is not None
    assert site in norm(place.text)
    assert town in norm(place.name) and place.country == iso3
    assert place.lat is not None and place.precision == "city" and place.geo_precision == "near"


def test_a_site_of_the_dateline_town_takes_its_coordinates(nlp):
    doc = nlp("LAGOS (Reuters) - Soldiers opened fire on a crowd at the Ojukwu Memorial Stadium on Tuesday.")
    tok = next(t for t in doc if t.text == "opened")
    place = event_site(tok, event_location(tok))
    assert place is not None and "ojukwu memorial stadium" in norm(place.text)
    assert place.name == "Lagos" and place.geo_precision == "near"


def test_a_site_outside_towns_does_not_take_the_dateline_town(nlp):
    doc = nlp("ACCRA (Reuters) - Gunmen attacked the Obuasi gold mine on Sunday, the company said.")
    tok = next(t for t in doc if t.text == "attacked")
    place = event_site(tok, event_location(tok))
    assert place is not None and norm(place.text) == "obuasi gold mine"
    assert place.name != "Accra"


# a place the gazetteer lacks keeps its name, without coordinates; its country only when the
# text fixes it
UNRESOLVED = [
    ("In Zarvanetsk, soldiers searched every house on Thursday.", "searched", "zarvanetsk", None),
    ("Riot police dispersed a rally at Humbleton village on Sunday.", "dispersed", "humbleton village", None),
]


@pytest.mark.parametrize("sentence,trigger,name,iso3", UNRESOLVED)
def test_a_place_the_gazetteer_lacks_is_kept_unresolved(nlp, sentence, trigger, name, iso3):
    place = _site(nlp, sentence, trigger)
    assert place is not None
    assert norm(place.text) == name and norm(place.name) == name
    assert place.country == iso3
    assert place.lat is None and place.lon is None and place.geonameid is None
    assert place.geo_precision == "unresolved"
    assert place.country == iso3


def test_the_dateline_country_places_an_unresolved_village(nlp):
    doc = nlp("KAMPALA, Uganda (Reuters) - In Kiryandongoro, soldiers burned twelve huts on Monday.")
    tok = next(t for t in doc if t.text == "burned")
    place = event_site(tok, event_location(tok))
    assert place is not None and place.text == "Kiryandongoro" and place.country == "UGA"


# a court or judge acting in the event places it in its city
def test_a_court_places_its_ruling_in_its_city(nlp):
    for sentence, trigger, city in [
            ("The activist was fined by a Vilnius judge on Tuesday.", "fined", "Vilnius"),
            ("She was jailed for three years by the regional court of Tbilisi.", "jailed", "Tbilisi")]:
        place = _site(nlp, sentence, trigger)
        assert place is not None and place.name == city and place.geo_precision == "named"


# what is not a site
NOT_SITES = [
    # sentence, trigger, expected name (normalised substring) or None
    ("The Kremlin said Russian jets bombed targets in Raqqa.", "bombed", "raqqa"),
    ("Protesters rallied outside the Israeli embassy in Amman on Friday.", "rallied", "amman"),
    ("Police in Minsk detained the activist Bondarenko near his home.", "detained", "minsk"),
    ("The court appealed to the Carter Center for observers.", "appealed", None),
    ("The detainees were beaten, according to the Viasna rights centre.", "beaten", None),
    ("Moldova quits the Eastern Partnership, its ministry said.", "quits", None),
    ("Police raided Acción Popular's headquarters on Monday.", "raided", None),
]


@pytest.mark.parametrize("sentence,trigger,expected", NOT_SITES)
def test_actors_bodies_and_owners_are_not_sites(nlp, sentence, trigger, expected):
    place = _site(nlp, sentence, trigger)
    if expected is None:
        assert place is None
    else:
        assert place is not None and expected in norm(place.name) and place.geo_precision == "named"


def test_a_town_attached_closer_to_the_event_wins_over_a_site_in_a_subordinate_phrase(nlp):
    place = _site(nlp, "Troops shelled Kharkiv on Friday, residents of the Saltivka district said.", "shelled")
    assert place is not None and place.name == "Kharkiv"


def test_a_site_named_after_a_person_or_a_foreign_town_is_not_in_that_town(nlp):
    place = _site(nlp, "Guards fired on migrants crossing the Simón Bolívar bridge on Saturday.", "fired",
                  ("COL",))
    assert place is not None and "bolivar bridge" in norm(place.text)
    assert place.geo_precision == "unresolved" and place.lat is None


def test_a_region_the_gazetteer_lacks_is_not_put_in_the_dateline_town(nlp):
    doc = nlp("BERLIN (Reuters) - Police stopped the convoy as it crossed into Nordfriesland-Holstein.")
    tok = next(t for t in doc if t.text == "stopped")
    place = event_site(tok, event_location(tok))
    assert place is None  # the region belongs to another clause; the dateline town is not the event's place
