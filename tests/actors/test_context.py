"""Coreference from the document context: who "we" is in a statement, who a transcript's
speaker is, which two actors "the two" are.

Every text here was written for these tests.
"""
from __future__ import annotations

import pytest

from allegiance.actors.resolve import ActorFinder
from tests.conftest import dyads


@pytest.fixture(scope="module")
def resolve(coder):
    def _resolve(text: str, word: str, nth: int = 0, day: str = "2023-05-01"):
        doc = coder.nlp(text)
        finder = ActorFinder(doc, coder.catalog, day, parse=coder.nlp)
        tok = [t for t in doc if t.text == word][nth]
        m = finder.resolve(tok)
        return None if m is None else (m.name, m.country, m.sector)
    return _resolve


# -- the "we" of a statement: its issuer --------------------------------------------------------

def test_a_heading_s_topic_is_not_the_issuer_the_first_subject_is(resolve):
    text = ("Statement from the Press Secretary on sanctions on Nicaragua. Today, President Joe Biden signed "
            "an order freezing the assets of Nicaraguan officials. We will continue to stand with the people "
            "of Nicaragua.")
    assert resolve(text, "We")[1] == "USA"


def test_on_behalf_of_names_the_issuer(resolve):
    text = ("Statement by the Spokesperson on behalf of the EU on the arrests in Georgia. The detention of "
            "opposition leaders in Tbilisi is deeply troubling. We call on the Georgian authorities to "
            "release them.")
    assert resolve(text, "We")[1] == "EUR"


def test_a_passive_first_subject_issues_the_statement(resolve):
    text = ("JOINT PRESS RELEASE. The European Union is deeply troubled by the detention of opposition "
            "leaders in Tbilisi. We call on the Georgian authorities to release them.")
    assert resolve(text, "We")[1] == "EUR"


def test_a_second_heading_line_names_the_issuer(resolve):
    text = ("THE PEOPLE'S DEMANDS. Statement of the office of Sviatlana Tsikhanouskaya. We demand that the "
            "authorities free every political prisoner by Friday.")
    assert resolve(text, "We", day="2021-03-01")[:2] == ("Sviatlana Tsikhanouskaya", "BLR")


def test_a_heading_with_a_dash_is_no_speaker_label(resolve):
    text = ("HUMAN RIGHTS WATCH - Belarus: Police Beat Detainees. Riot police beat dozens of detainees in "
            "Minsk, our researchers found. We urge the UN to investigate.")
    assert resolve(text, "We")[:2] == ("Human Rights Watch", "NGO")


def test_an_unknown_organisation_in_a_capitals_heading_issues_the_statement(resolve):
    got = resolve("UNITED MINERS FRONT — PRESS STATEMENT. We condemn the arrest of our chairman in Kitwe. "
                  "We demand his release.", "We")
    assert got is not None and got[0] == "United Miners Front" and got[2] == "OPP"
    got = resolve("STATEMENT OF THE ZAMBIAN UNION OF MINE WORKERS. We condemn the arrest of our chairman. "
                  "We demand his release.", "We")
    assert got is not None and got[1:] == ("ZMB", "LAB")


def test_a_ministry_in_a_capitals_heading_is_a_state_body_before_the_first_subject(resolve):
    text = ("MINISTRY OF DEFENCE AND VETERANS AFFAIRS. The new academy, built by the People's Republic of "
            "China, was handed over to the army on Friday. We are grateful to our partners.")
    got = resolve(text, "We")
    assert got is not None and got[2] == "GOV" and got[1] != "CHN"


def test_the_story_s_country_fills_an_unknown_issuer(code):
    recs = code("UNITED MINERS FRONT — PRESS STATEMENT. Police in Kitwe arrested our chairman on Monday. "
                "We demand that the Zambian government release him.")
    assert ("REQUEST", "ZMB", "ZMB") in dyads(recs)


# -- transcript speakers the catalog does not know ------------------------------------------------

def test_a_speaker_label_s_brackets_say_whose_the_speaker_is(resolve):
    text = ("Q: The president says the agency plotted against him. Your response? PRICE (State Department "
            "briefing, 19 April): We categorically reject that.")
    assert resolve(text, "We")[1] == "USA"
    text = ("GARCIA (interior minister, news conference in Madrid): We will send 500 more officers to "
            "Barcelona. Q: Will you arrest the organisers? GARCIA: We will arrest anyone who breaks the law.")
    assert resolve(text, "We", 1)[:2] == ("Garcia", "ESP")


# -- "the two" of one state ------------------------------------------------------------------------

@pytest.mark.parametrize("text, state", [
    ("Joe Biden hosted Kevin McCarthy at the White House on Monday. The two leaders agreed to keep talking.",
     "USA"),
    ("Prime Minister Pedro Sánchez received the Catalan president Quim Torra in Madrid on Monday, and the two "
     "governments agreed to revive a joint commission.", "ESP"),
])
def test_the_two_are_two_actors_of_one_state(code, text, state):
    agree = [r for r in code(text, "2023-05-01") if r["event_type"] == "AGREE"]
    assert agree and all(r["target"] and r["source"]["country"] == r["target"]["country"] == state for r in agree)


def test_the_two_countries_are_never_one_state(code):
    recs = code("Pedro Sánchez visited Barcelona on Thursday. The two countries agreed to cooperate.",
                "2019-01-10")
    assert not [r for r in recs if r["target"] and r["target"]["country"] == "ESP"]


# -- definite descriptions: "the army", "the ministry", "the militia" ------------------------------

@pytest.mark.parametrize("text, word, country", [
    ("Israel's army struck targets in Gaza overnight. The army said it had hit a weapons depot in Khan Younis.",
     "it", "ISR"),
    ("Rwanda's foreign ministry summoned Congo's ambassador on Monday. The ministry accused Kinshasa of "
     "backing rebels.", "ministry", "RWA"),
    ("Turkey's military struck Kurdish militants in northern Syria. The military said it killed 20 fighters.",
     "it", "TUR"),
    ("Hezbollah fired rockets at northern Israel. The militia said it had targeted a base in Metula.", "it", "LBN"),
    ("The Wagner Group took control of the town on Friday. The militia later withdrew its fighters to Belarus.",
     "militia", "RUS"),
])
def test_a_definite_institution_or_armed_group_is_the_one_just_named(resolve, text, word, country):
    got = resolve(text, word, -1)
    assert got is not None and got[1] == country


def test_a_definite_institution_is_only_one_of_the_same_kind(resolve):
    # a ministry named before is no antecedent of "the army": left to the story's context
    got = resolve("Israel's foreign ministry condemned the raid in Gaza. The army said it had hit a depot.",
                  "army")
    assert got is None or got[1] is None


# -- quotations in single quotation marks; a speaker named by a pronoun ----------------------------

def test_a_single_quoted_first_person_is_the_speaker_a_pronoun_names(resolve):
    text = ("Sviatlana Tsikhanouskaya spoke in Vilnius on Sunday. 'I ask the Russian people not to pay for his "
            "repression,' she said.")
    assert resolve(text, "I", day="2020-09-01")[:2] == ("Sviatlana Tsikhanouskaya", "BLR")


def test_apostrophes_and_plural_possessives_open_no_quotation():
    from allegiance.actors.context import _single_quote_open

    def open_at_end(text: str) -> bool:
        return _single_quote_open(text, 0, len(text))

    assert not open_at_end("Russia's envoy met the Saudis' delegation and the ministers' aides in Riyadh ")
    assert open_at_end("The minister said: 'We don't ")
    assert not open_at_end("'We will not go back,' she said, and the Saudis' envoy ")


# -- a name described by a person's noun is a person's ----------------------------------------------

def test_a_name_in_apposition_with_a_person_s_noun_is_a_person_pronouns_reach(resolve):
    # the tagger reads the invented name as an organisation; its description says it is a person
    text = ("Teodoro Lugo Azul, twice the opposition's presidential candidate, was barred from office on "
            "Friday by the comptroller's office, which accused him of irregularities.")
    assert resolve(text, "him")[0] == "Teodoro Lugo Azul"


# -- an object pronoun of a coordinated verb or a participle: the first verb's object ---------------

@pytest.mark.parametrize("text, word, name", [
    ("Vladimir Putin spoke at the summit on Monday. On Tuesday the foreign ministry summoned Dutch envoy Pieter "
     "Hollander and gave him two days to leave.", "him", "Pieter Hollander"),
    ("Vladimir Putin spoke at the summit on Monday. On Tuesday the foreign ministry expelled Dutch envoy Pieter "
     "Hollander, accusing him of espionage.", "him", "Pieter Hollander"),
])
def test_an_object_pronoun_of_a_shared_subject_verb_is_the_first_verb_s_object(resolve, text, word, name):
    got = resolve(text, word, day="2019-01-01")
    assert got is not None and got[0] == name


# -- a quotation of several sentences: its speaker, before or after it -----------------------------

@pytest.mark.parametrize("text", [
    "Gabrielius Landsbergis spoke in Vilnius on Monday. \"We will defend every metre of our territory. The "
    "border is closed. Nobody will pass. The regime in Minsk should know this,\" Landsbergis told reporters.",
    "Gabrielius Landsbergis spoke in Vilnius on Monday.\nLandsbergis told reporters: \"The border is closed. "
    "Nobody will pass. The regime in Minsk should know this. We will defend every metre of our territory.\"",
])
def test_a_long_quotation_s_we_is_its_speaker(resolve, text):
    got = resolve(text, "We", day="2021-09-01")
    assert got is not None and got[:2] == ("Gabrielius Landsbergis", "LTU")


def test_a_closed_quotation_lends_no_speaker_to_the_next_one(resolve):
    text = ("\"The border is closed,\" Gabrielius Landsbergis said on Monday. Nobody will pass. The regime "
            "should know this. \"We are ready,\" a spokesman for the opposition said.")
    got = resolve(text, "We", day="2021-09-01")
    assert got is None or got[0] != "Gabrielius Landsbergis"


def test_the_object_of_an_act_done_also_is_the_one_it_befell_before(resolve):
    text = "Emmanuel Macron praised Olaf Scholz for the gas deal on Monday. Italy's prime minister also praised him."
    got = resolve(text, "him", day="2023-01-10")
    assert got is not None and got[:2] == ("Olaf Scholz", "DEU")
