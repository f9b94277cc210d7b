"""The issuer a statement's heading names is the "we" of the statement."""
from __future__ import annotations

import pytest

from allegiance.actors.issuer import heading, title_case
from allegiance.actors.resolve import ActorFinder


def test_title_case_keeps_length_acronyms_and_function_words():
    for text in ["MINISTRY OF THE INTERIOR OF THE REPUBLIC OF LITHUANIA.",
                 "STATEMENT OF THE NATIONAL UNION OF PRESS WORKERS (SNTP).", "MDC ALLIANCE — PRESS STATEMENT."]:
        assert len(title_case(text)) == len(text)
    assert title_case("MINISTRY OF THE INTERIOR OF THE REPUBLIC OF LITHUANIA.") == \
        "Ministry of the Interior of the Republic of Lithuania."
    assert title_case("NATIONAL UNION OF PRESS WORKERS (SNTP)") == "National Union of Press Workers (SNTP)"
    assert title_case("MDC ALLIANCE") == "MDC Alliance"


@pytest.mark.parametrize("text,is_heading", [
    ("MINISTRY OF DEFENCE — PRESS RELEASE. We deployed two engineer units to the border.", True),
    ("Human Rights Watch\n\nWe documented beatings of detainees in three prisons.", True),
    ("The army said on Monday it had retaken the town. We could not verify the claim.", False),
    ("MINISTRY OF NATIONAL DEFENCE OF POLAND.", False),  # nothing after it: no heading of anything
])
def test_a_heading_is_a_first_sentence_without_a_verb_or_in_capitals(coder, text, is_heading):
    assert (heading(coder.nlp(text)) is not None) is is_heading


@pytest.mark.parametrize("text,country,name", [
    ("MINISTRY OF THE INTERIOR OF THE REPUBLIC OF LITHUANIA. We thank Poland and Estonia for the officers "
     "they sent to the border.", "LTU", None),
    ("JOINT STATEMENT BY UNHCR AND IOM. We call on both governments to let aid workers reach the stranded "
     "migrants.", "UNO", "United Nations High Commissioner for Refugees"),
    ("Amnesty International — public statement. We urge the authorities to release the detained journalists.",
     "NGO", "Amnesty International"),
])
def test_we_in_a_statement_is_its_issuer(code, text, country, name):
    recs = [r for r in code(text, "2021-08-10") if r["source"] and r["source"]["text"] == "We"]
    assert recs and recs[0]["source"]["country"] == country
    if name:
        assert recs[0]["source"]["name"] == name


def test_we_inside_a_quotation_is_the_speaker_not_the_issuer(coder):
    text = ('MINISTRY OF FOREIGN AFFAIRS OF LITHUANIA. The minister met his Polish counterpart. '
            '"We will not let Minsk use migrants as a weapon," said Polish Foreign Minister Zbigniew Rau.')
    doc = coder.nlp(text)
    finder = ActorFinder(doc, coder.catalog, "2021-08-10", parse=coder.nlp)
    we = next(t for t in doc if t.text == "We")
    assert finder.issuer() is not None and finder.issuer().country == "LTU"
    assert finder.resolve(we).country == "POL"


def test_a_news_story_has_no_issuer(coder):
    doc = coder.nlp("Clashes in Tripoli\n\nGunmen attacked a checkpoint on Monday, police said.")
    assert ActorFinder(doc, coder.catalog, "2021-08-10", parse=coder.nlp).issuer() is None
