"""Unnamed people and forces take the country of the story's setting (``allegiance.coder``:
``Coder._setting``), and a share of a group ("30 of them") names that group
(``allegiance.actors.context``).

Every text here was written for these tests."""
from __future__ import annotations

import pytest

from allegiance.actors.resolve import ActorFinder


def _by_type(recs: list[dict], etype: str) -> list[dict]:
    return [r for r in recs if r["event_type"] == etype]


def _setting(coder, text: str) -> str | None:
    parsed = coder.nlp(text)
    return coder._setting(parsed, ActorFinder(parsed, coder.catalog, None, parse=coder.nlp))


# -- the story's setting -------------------------------------------------------------------------

def test_police_in_a_story_naming_one_country_s_places_are_of_that_country(code):
    # the tagger does not take "El Prat" for a place; the gazetteer knows the town
    recs = code("Thousands of travellers were stranded at El Prat on Monday. "
                "Riot police fired tear gas at the protesters.")
    hits = _by_type(recs, "ASSAULT")
    assert hits and hits[0]["source"]["sector"] == "COP" and hits[0]["source"]["country"] == "ESP"
    assert hits[0]["target"]["country"] == "ESP"


def test_a_story_naming_places_of_two_countries_has_no_setting(coder):
    assert _setting(coder, "Travellers were stranded at El Prat on Monday. Riot police fired tear gas.") == "ESP"
    assert _setting(coder, "Travellers were stranded at El Prat and in Kutaisi on Monday. "
                           "Riot police fired tear gas.") is None


def test_a_dateline_is_the_setting(coder):
    assert _setting(coder, "GYUMRI, Armenia — Riot police fired tear gas at teachers on Monday.") == "ARM"


def test_an_explicit_nationality_outranks_the_setting(code):
    recs = code("Thousands of travellers were stranded at El Prat on Monday. "
                "French riot police fired tear gas at the protesters.")
    hits = _by_type(recs, "ASSAULT")
    assert hits and hits[0]["source"]["country"] == "FRA"


@pytest.mark.parametrize("sentence", ["The opposition delegation agreed to resume talks.",
                                      "The opposition delegation rejected the offer."])
def test_a_delegation_at_a_venue_does_not_take_the_venue_s_country(code, sentence):
    # talk and diplomacy happen at venues: the hotel's country says nothing of the delegation's
    recs = code("Envoys met at a hotel at El Prat on Monday. " + sentence)
    talk = [r for r in recs if (r["source"] or {}).get("text", "").endswith("delegation")]
    assert talk and talk[0]["source"]["country"] is None


# -- a share of a group ------------------------------------------------------------------------------

@pytest.mark.parametrize("share", ["at least 30 of them", "some of them", "dozens of them"])
def test_a_share_of_them_is_the_crowd_of_the_sentence_before(code, share):
    recs = code(f"Hundreds of people marched through Grodno on Sunday. Riot police detained {share}.")
    arrests = _by_type(recs, "COERCE")
    assert arrests and arrests[0]["source"]["sector"] == "COP"
    target = arrests[0]["target"]
    assert target["text"].endswith("them") and target["sector"] == "CVL" and target["country"] == "BLR"


def test_a_share_of_them_is_not_the_arresting_force(coder):
    from allegiance.actors.context import _partitive_head

    parsed = coder.nlp("Riot police detained at least 30 of them.")
    them = next(t for t in parsed if t.lower_ == "them")
    assert _partitive_head(them).text == "30"
    finder = ActorFinder(parsed, coder.catalog, None, parse=coder.nlp)
    resolved = finder.resolve(them)
    assert resolved is None or resolved.sector != "COP"


def test_a_pronoun_after_a_preposition_other_than_of_is_no_share(coder):
    from allegiance.actors.context import _partitive_head

    parsed = coder.nlp("Riot police fired tear gas at them.")
    them = next(t for t in parsed if t.lower_ == "them")
    assert _partitive_head(them) is None


# -- foreign media -----------------------------------------------------------------------------------

def test_police_in_a_datelined_story_are_not_the_country_of_a_foreign_outlet_s_base(code):
    recs = code("HRODNA, Belarus — Police detained two reporters for the Poland-based Belsat TV channel on Friday.")
    arrests = _by_type(recs, "COERCE")
    assert arrests and arrests[0]["source"]["sector"] == "COP" and arrests[0]["source"]["country"] == "BLR"


def test_police_are_not_the_country_of_a_radio_s_funder(code):
    recs = code("HRODNA, Belarus — Police detained a correspondent of the US-funded Radio Liberty on Friday.")
    arrests = _by_type(recs, "COERCE")
    assert arrests and arrests[0]["source"]["country"] == "BLR"


@pytest.mark.parametrize("reporters, country", [
    ("a cameraman with the Polish channel Belsat", "POL"),
    ("two journalists from the German broadcaster Deutsche Welle", "DEU"),
])
def test_foreign_reporters_keep_their_outlet_s_country(code, reporters, country):
    recs = code(f"HRODNA, Belarus — Police detained {reporters} on Friday.")
    arrests = _by_type(recs, "COERCE")
    assert arrests and arrests[0]["target"]["sector"] == "JRN" and arrests[0]["target"]["country"] == country


@pytest.mark.parametrize("reporters", ["two reporters for the local newspaper",
                                       # exile media: where an outlet sits is not whose its reporters are
                                       "two reporters for the Poland-based Belsat TV channel"])
def test_reporters_of_a_local_or_exiled_outlet_are_of_the_setting(code, reporters):
    recs = code(f"HRODNA, Belarus — Police detained {reporters} on Friday.")
    arrests = _by_type(recs, "COERCE")
    assert arrests and arrests[0]["target"]["country"] == "BLR"


def test_an_explicit_nationality_outranks_the_outlet(code):
    recs = code("HRODNA, Belarus — Police detained two Belarusian reporters for the Poland-based Belsat TV "
                "channel on Friday.")
    arrests = _by_type(recs, "COERCE")
    assert arrests and arrests[0]["target"]["country"] == "BLR"


@pytest.mark.parametrize("outlet", ["the independent weekly Svobodny Golos", "the news website Novy Den"])
def test_an_outlet_named_by_its_kind_is_a_media_actor_of_the_setting(code, outlet):
    recs = code(f"The information ministry in Minsk stripped {outlet} of its licence on Friday.")
    closures = _by_type(recs, "COERCE")
    assert closures and closures[0]["target"]["sector"] == "JRN" and closures[0]["target"]["country"] == "BLR"


def test_a_weekly_event_is_no_outlet(code):
    recs = code("Thousands joined the weekly protests in Minsk on Sunday.")
    assert not any((r.get(role) or {}).get("sector") == "JRN" for r in recs for role in ("source", "target"))


# -- a court's seat ------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, etype, country", [
    ("A Lusaka magistrate freed the opposition leader on bail on Friday.", "RETREAT", "ZMB"),
    ("A week later a court in Schleswig agreed to hand the former minister over to Spain.", "AGREE", "DEU"),
    ("The district court of Grodno sentenced the activist to two years in prison.", "SANCTION", "BLR"),
])
def test_a_court_named_by_its_city_is_of_that_city_s_state(code, text, etype, country):
    recs = _by_type(code(text), etype)
    assert recs and recs[0]["source"]["country"] == country


def test_a_court_s_seat_outranks_the_story_s_state(code):
    # the story is about Spain; the court that bails the Catalan exile sits in Scotland
    recs = code("MADRID — Spain's Supreme Court asked Britain to extradite a former Catalan minister. "
                "On Thursday an Edinburgh magistrate released her on bail.")
    bail = _by_type(recs, "RETREAT")
    assert bail and bail[0]["source"]["country"] == "GBR"


def test_a_judge_s_own_name_is_no_seat(code):
    recs = code("Judge Baltasar Garzón ordered the arrest of the general on Monday.")
    assert not any((r["source"] or {}).get("sector") == "JUD" and (r["source"] or {}).get("country") not in (None, "ESP")
                   for r in recs)


# -- officials of bodies the story does not take place in -------------------------------------------

@pytest.mark.parametrize("text, name, country", [
    ("LA PAZ — The interim government asked Pope Francis on Tuesday to mediate between the parties.",
     "Pope Francis", "VAT"),
    ("CARACAS — Luis Almagro urged the armed forces on Monday to stand with the opposition.", "Luis Almagro", "IGO"),
    ("VILNIUS — Ylva Johansson met Lithuania's interior minister on Monday.", "Ylva Johansson", "EUR"),
])
def test_a_catalogued_official_keeps_the_body_s_country_not_the_setting(code, text, name, country):
    recs = code(text, "2021-08-02")
    actors = [r[role] for r in recs for role in ("source", "target") if r[role] and r[role]["name"] == name]
    assert actors and all(a["country"] == country for a in actors)


@pytest.mark.parametrize("text, published, name, country", [
    # the exiled Catalan leader is Spain's wherever a court that frees him sits
    ("A Belgian judge on Sunday freed Carles Puigdemont pending a ruling on his extradition.", "2017-11-06",
     "Carles Puigdemont", "ESP"),
    ("JOHANNESBURG — Nelson Chamisa accused the electoral commission of fraud on Friday.", "2018-08-03",
     "Nelson Chamisa", "ZWE"),
    ("MEXICO CITY — Marcelo Ebrard thanked Peru for letting the plane refuel.", "2019-11-12", "Marcelo Ebrard", "MEX"),
])
def test_a_catalogued_politician_abroad_keeps_his_country(code, text, published, name, country):
    recs = code(text, published)
    actors = [r[role] for r in recs for role in ("source", "target") if r[role] and r[role]["name"] == name]
    assert actors and all(a["country"] == country for a in actors)


def test_the_teller_of_a_report_given_after_it_is_no_antecedent(code):
    recs = code("Hundreds of gunmen loyal to the governor stormed the market town, villagers said. "
                "They burned the clinic and the police post.")
    burned = [r for r in recs if r["event_type"] == "ASSAULT" and r["evidence"]["trigger"].startswith("burn")]
    assert burned and burned[0]["source"]["sector"] != "CVL"
