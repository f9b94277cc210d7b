"""First-person pronouns resolve to who speaks: a quotation's speaker, a transcript's speaker
label, or the organisation whose statement opens the text."""
from __future__ import annotations

import pytest

from allegiance.actors.resolve import ActorFinder


@pytest.fixture(scope="module")
def resolve(coder):
    def _resolve(text: str, word: str, day: str = "2019-10-10"):
        doc = coder.nlp(text)
        finder = ActorFinder(doc, coder.catalog, day)
        tok = next(t for t in doc if t.text == word)
        m = finder.resolve(tok)
        return None if m is None else (m.name, m.country, m.sector)
    return _resolve


def test_quoted_we_is_the_speaker_of_the_quotation(resolve):
    text = '"We will respond to any attack on our ships," Iran\'s foreign minister said on Monday.'
    assert resolve(text, "We") == ("Mohammad Javad Zarif", "IRN", "GOV")


def test_quotation_running_into_the_next_sentence(resolve):
    text = ('"We have no plans to leave. Our soldiers stay where they are," the French defence '
            'ministry said.')
    assert resolve(text, "We")[1] == "FRA"


def test_transcript_speaker_labels_in_capitals(resolve):
    text = "QUESTION: Will the deliveries go ahead?\nLAVROV: We signed the contracts and we will honour them."
    assert resolve(text, "We") == ("Sergei Lavrov", "RUS", "GOV")


def test_a_statement_opening_with_its_author(resolve):
    text = ("The Norwegian Refugee Council condemns the shelling of the camp. We call on all "
            "parties to let aid through.")
    assert resolve(text, "We")[0] == "Norwegian Refugee Council"


def test_singular_first_person_needs_a_person(resolve):
    assert resolve('Putin said: "I will not negotiate with them."', "I")[0] == "Vladimir Putin"
    # an unquoted 'we' of the writer, with no statement author in the text: no actor
    assert resolve("In the end we all pay for cheaper petrol.", "we") is None


TRANSCRIPT = ("ERDOGAN (address to parliament in Ankara after the Friday prayers, 4 October): We will not "
              "let anyone divide this country. Q: Will you meet the Kurdish parties? ERDOGAN: There will be "
              "no talks with terrorists. I will not bow to pressure.")


def test_a_speaker_label_with_its_occasion_names_who_speaks(resolve):
    # the occasion in brackets makes the label long; "We" is still the labelled speaker's
    assert resolve(TRANSCRIPT, "We") == ("Recep Tayyip Erdogan", "TUR", "GOV")


def test_a_turn_after_a_question_is_the_new_label_s_speaker(resolve):
    assert resolve(TRANSCRIPT, "I") == ("Recep Tayyip Erdogan", "TUR", "GOV")


def test_the_speaker_label_itself_is_the_speaker(coder):
    doc = coder.nlp(TRANSCRIPT)
    finder = ActorFinder(doc, coder.catalog, "2019-10-10")
    labels = [t for t in doc if t.text == "ERDOGAN"]
    assert [finder.resolve(t).name for t in labels] == ["Recep Tayyip Erdogan"] * 2
    assert any(m.text == "ERDOGAN" and m.name == "Recep Tayyip Erdogan" for m in finder.mentions)


def test_a_surname_label_is_the_person_named_before(resolve):
    text = ("State Department spokesman Ned Price took questions on Monday.\n"
            "PRICE (State Department briefing): We reject that claim entirely.")
    assert resolve(text, "We")[:2] == ("Ned Price", "USA")


def test_the_questioner_s_label_names_no_one(resolve):
    assert resolve("ERDOGAN: We will win. Q: Will you meet them? Are we sure of that?", "we") is None
