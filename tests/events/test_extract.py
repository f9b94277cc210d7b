"""Parse rules and candidate assembly of ``events.extract`` (an act said to be done "also"), each on
sentences written for the project."""
from __future__ import annotations

import pytest

from tests.conftest import dyads


def types(records):
    return sorted(r["event_type"] for r in records if not r["modality"]["negated"])


@pytest.mark.parametrize("text", [
    "Will the army storm the town?",
    "Did police fire on the crowd in Harare?",
    "Has Russia expelled the British ambassador?",
    "Would Turkey shell the Kurdish positions near Kobani again?",
])
def test_a_yes_no_question_asserts_no_event(code, text):
    assert types(code(text, "2020-03-01")) == []


def test_a_quoted_question_asserts_no_event(code):
    recs = code('The editor wrote: "Did the Kenyan police arrest the opposition leader?"', "2020-03-01")
    assert "COERCE" not in types(recs)


@pytest.mark.parametrize("text, etype", [
    ("Police fired on the crowd in Harare.", "ASSAULT"),
    ("Russia expelled the British ambassador on Monday.", "SANCTION"),
    ("Police fired on the crowd in Harare, witnesses said, but why?", "ASSAULT"),
])
def test_statements_are_still_coded(code, text, etype):
    assert etype in types(code(text, "2020-03-01"))


def test_a_prison_term_given_by_a_court_is_a_conviction_and_a_detention(code):
    recs = code("The blogger was given a ten-year sentence by a military court in Cairo.", "2020-03-01")
    got = {(r["event_type"], r["mode"], (r["source"] or {}).get("sector"), (r["target"] or {}).get("sector"))
           for r in recs}
    assert ("COERCE", "arrest", "JUD", "JRN") in got
    assert ("SANCTION", "convict", "JUD", "JRN") in got
    assert all(r["event_type"] != "REQUEST" for r in recs)


def test_years_in_prison_given_are_no_ultimatum(code):
    recs = code("The Egyptian blogger was given 38 years in prison on Monday.", "2020-03-01")
    assert "REQUEST" not in types(recs)
    assert "COERCE" in types(recs)


def test_an_event_noun_inside_a_question_is_presupposed(code):
    recs = code("Will the opposition accept Kenya's offer of talks with the rebels?", "2020-03-01")
    assert "AGREE" in types(recs)



def test_an_also_promise_takes_the_recipient_of_the_delivery_just_reported(code):
    recs = code("Spain delivered its first armoured vehicles to Moldova on Monday. "
                "Italy and Austria have also promised to send vehicles.")
    d = dyads(recs)
    assert ("AGREE", "ITA", "MDA") in d and ("AGREE", "AUT", "MDA") in d


def test_a_promise_without_also_takes_no_earlier_recipient(code):
    recs = code("Spain delivered its first armoured vehicles to Moldova on Monday. "
                "Italy has promised to send vehicles.")
    assert ("AGREE", "ITA", "MDA") not in dyads(recs)


def test_an_also_act_never_takes_its_own_side_as_target(code):
    recs = code("Spain delivered armoured vehicles to Italy on Monday. Italy has also promised to send vehicles.")
    assert ("AGREE", "ITA", "ITA") not in dyads(recs)


@pytest.mark.parametrize("text, etype", [
    ("Can the police be trusted after officers shot three protesters in Kisumu?", "ASSAULT"),
    ("Has the army, which shelled the border town on Monday, withdrawn its troops?", "ASSAULT"),
    ("Will the government apologise after police fired on the crowd?", "ASSAULT"),
])
def test_a_clause_under_a_question_is_presupposed(code, text, etype):
    assert etype in types(code(text, "2020-03-01"))


@pytest.mark.parametrize("text", [
    "The minister asked whether police had fired on the protesters.",
    "Opposition leaders asked if the government would release the detained journalists.",
    "The senator asked why the army had shelled the village.",
])
def test_asking_a_question_is_no_request(code, text):
    assert "REQUEST" not in types(code(text, "2020-03-01"))


def test_asking_someone_to_act_is_still_a_request(code):
    assert "REQUEST" in types(code("The minister asked the police to release the journalists.", "2020-03-01"))


@pytest.mark.parametrize("text, source, target", [
    ("The Dutch foreign minister said it was highly likely that Russia was responsible for the downing of the airliner.",
     "NLD", "RUS"),
    ("Secretary of State Pompeo said Iran was behind the attacks on two tankers in the Gulf of Oman.", "USA", "IRN"),
])
def test_saying_another_party_is_responsible_for_or_behind_an_act_accuses_it(code, text, source, target):
    assert ("ACCUSE", source, target) in dyads(code(text, "2019-06-14"))
    # a denial, a question, the speaker's own side, a duty: no one is accused
    for other in ("The Kremlin said Russia was not responsible for the downing of the airliner.",
                  "The minister asked who was behind the attacks on the tankers.",
                  "The general said his forces were responsible for security in the north.",
                  "Nigeria said the army was responsible for security in the delta."):
        assert not any(r["event_type"] == "ACCUSE" for r in code(other, "2019-06-14")), other


def test_lexicon_senses_and_actors_are_found_once_per_token_and_are_what_a_fresh_lookup_finds(coder):
    """The rules and the model's features ask the same tokens for their senses and actors: the
    first answer is kept per token of the document (issue 13), and is the one a lookup finds
    again; the actors come as a new list each time (callers extend what they get)."""
    from allegiance.actors.resolve import ActorFinder
    from allegiance.events.extract import Extractor

    doc = coder.nlp("Russian and Iranian officials met in Tehran, and the two sides agreed to expand military "
                    "cooperation; both condemned the US sanctions, which Washington imposed on the oil sector.")
    ex = Extractor(ActorFinder(doc, coder.catalog, "2020-01-01"), coder.lexicon)
    for t in doc:
        first = (ex.verb_senses(t), ex.noun_senses(t), ex.actors(t))
        assert first == (ex._lookup_verb(t), ex._lookup_noun(t), ex._find_actors(t))
        got = ex.actors(t)
        assert got == first[2] and got is not first[2]
        got.append(None)
        assert ex.actors(t) == first[2]
        assert (ex.verb_senses(t), ex.noun_senses(t)) == first[:2]
    assert sum(1 for t in doc if ex.actors(t)) >= 5 and any(ex.verb_senses(t) for t in doc)
    kept = (dict(ex._actors), dict(ex._verb_senses), dict(ex._noun_senses))
    other = coder.nlp("Sanctions hit Russia.")  # a token of another document is looked up, not kept
    ex.actors(other[2]), ex.verb_senses(other[1]), ex.noun_senses(other[0])
    assert (ex._actors, ex._verb_senses, ex._noun_senses) == kept
