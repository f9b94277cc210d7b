"""Datelines: where a story was filed and by whom is neither an actor nor a subject of the story."""
from __future__ import annotations

import pytest

from allegiance.actors.resolve import ActorFinder
from allegiance.datelines import dateline_end, dateline_spans


@pytest.mark.parametrize("text,words", [
    ("NUR-SULTAN (Reuters) - Tokayev proposed an amnesty on Thursday.", 7),
    ("PORT-AU-PRINCE, Haiti, March 3 (AFP) - Gangs attacked a police station.", 14),
    ("KYIV, Ukraine (AP) — Russian forces shelled Kharkiv on Monday.", 7),
    ("MINSK, Oct 26 (Reuters) - Students walked out of lectures.", 8),
])
def test_a_dateline_ends_at_its_dash_not_at_a_hyphen_inside_a_city_name(coder, text, words):
    doc = coder.nlp(text)
    assert dateline_end(doc, 0) == words
    assert dateline_spans(doc) == [(0, words)]


@pytest.mark.parametrize("text", [
    "Police arrested twelve protesters outside parliament - a rare move - on Monday.",
    "The army said on Monday it had retaken the town.",
])
def test_a_sentence_is_no_dateline(coder, text):
    assert dateline_spans(coder.nlp(text)) == []


def test_the_agency_credit_in_a_dateline_is_no_actor(coder):
    doc = coder.nlp("HARARE (Reuters) - Zimbabwe's health board said on Monday it had fired 448 junior doctors.")
    finder = ActorFinder(doc, coder.catalog, "2019-11-25")
    assert [m.text for m in finder.mentions if m.country == "GBR"] == []
    assert finder.resolve(doc[2]) is None  # "Reuters"


@pytest.mark.parametrize("text,country", [
    ("MINSK, Oct 26 (Reuters) - Police detained about 40 workers outside a chemical plant on Monday, "
     "a rights group said.", "BLR"),
    ("NUR-SULTAN (Reuters) - Police detained dozens of people at a rally on Thursday.", "KAZ"),
    ("Police detained about 40 workers outside a chemical plant in Grodno on Monday, a witness told Reuters. "
     "A Reuters photographer saw riot officers beating them.", "BLR"),
])
def test_unnamed_police_belong_to_the_story_not_to_the_news_agency(code, text, country):
    recs = [r for r in code(text, "2020-10-26") if r["event_type"] == "COERCE"]
    assert recs and recs[0]["source"]["country"] == country


@pytest.fixture(scope="module")
def hybrid():
    from allegiance.coder import Coder

    return Coder(engine="hybrid")


def test_a_state_agency_beside_its_own_leader_still_marks_the_story(hybrid):
    from allegiance.models import Document

    text = ("Lukashenko pardoned 18 people jailed over the protests on Wednesday, the state news agency "
            "BelTA reported.")
    recs = hybrid.code(Document(id="t", text=text, published="2021-09-15"))
    concede = [r for r in recs if r["event_type"] == "CONCEDE"]
    assert concede and concede[0]["target"]["country"] == "BLR"


def test_unnamed_police_take_the_one_state_the_story_names(code):
    recs = [r for r in code("Police detain 200 as Belarusians mark Freedom Day.", "2021-03-26")
            if r["event_type"] == "COERCE"]
    assert recs and recs[0]["source"]["country"] == "BLR"


def test_no_country_is_guessed_when_the_story_names_two(code):
    recs = [r for r in code("Police detained a Russian journalist and a Georgian activist on Tuesday.", "2021-03-26")
            if r["event_type"] == "COERCE"]
    assert recs and all(r["source"]["country"] is None for r in recs)
    assert {r["target"]["country"] for r in recs} == {"RUS", "GEO"}
