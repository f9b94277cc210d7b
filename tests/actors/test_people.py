"""People the catalog does not know, surnames after a full name, and object pronouns."""
from __future__ import annotations

import pytest

from allegiance.actors.resolve import ActorFinder


def finder(coder, text: str) -> ActorFinder:
    doc = coder.nlp(text)
    return ActorFinder(doc, coder.catalog, "2019-03-12")


def resolved(coder, text: str, word: str):
    f = finder(coder, text)
    tok = next(t for t in f.doc if t.text == word)
    return f.resolve(tok)


def test_a_full_name_the_catalog_does_not_know_is_a_person_of_no_stated_country(coder):
    m = resolved(coder, "Marc Vidal urged his supporters to stay calm.", "Vidal")
    assert m is not None and (m.kind, m.name, m.country) == ("person", "Marc Vidal", None)


def test_a_lone_capitalised_word_is_not_made_a_person(coder):
    f = finder(coder, "Monday was calm in the capital.")
    assert [m for m in f.mentions if m.kind == "person"] == []


def test_a_surname_refers_to_the_person_named_in_full_before(coder):
    text = "Spanish Prime Minister Pedro Sánchez met the Catalan leader on Monday. Sánchez rejected a referendum."
    f = finder(coder, text)
    last = [t for t in f.doc if t.text == "Sánchez"][-1]
    m = f.resolve(last)
    assert m is not None and m.country == "ESP" and m.rule.startswith("coref:surname")


@pytest.mark.parametrize("text,word,name", [
    ("Comptroller General Elvis Amoroso barred Juan Guaidó from office on Thursday, accusing him of fraud.",
     "him", "Juan Guaido"),
    ("Putin met Erdogan in Sochi and thanked him for his help.", "him", "Recep Tayyip Erdogan"),
    ("Lukashenko said he would not let the opposition topple him.", "him", "Alexander Lukashenko"),
])
def test_an_object_pronoun_is_not_the_subject_its_verb_shares(coder, text, word, name):
    m = resolved(coder, text, word)
    assert m is not None and m.name == name


def test_an_unknown_person_in_a_story_takes_the_story_country(code):
    recs = code("MADRID (Reuters) - Spanish police detained Jordi Cuixart, a Catalan activist leader, on Monday.",
                "2017-10-16")
    coerce = [r for r in recs if r["event_type"] == "COERCE"]
    assert coerce and coerce[0]["target"]["country"] == "ESP"


@pytest.mark.parametrize("text,word,sector,country", [
    ("Russian jets bombed rebel-held districts of Idlib city on Sunday.", "districts", "REB", None),
    ("Saudi jets struck Houthi-controlled areas of Hodeidah.", "areas", "REB", "YEM"),
    ("Rebels shelled government-held neighbourhoods of Aleppo.", "neighbourhoods", "GOV", None),
])
def test_a_held_territory_is_its_holder(coder, text, word, sector, country):
    m = resolved(coder, text, word)
    assert m is not None and m.sector == sector and m.country == country and m.rule.startswith("held-by")


def test_a_territory_without_a_holder_is_no_actor(coder):
    assert resolved(coder, "Jets struck densely populated districts of the city.", "districts") is None


@pytest.mark.parametrize("text,word", [
    ("Six masked men beat her and dumped her in the bush.", "men"),
    ("Men in balaclavas beat him and dragged him away.", "Men"),
    ("Unidentified men abducted the activist on Tuesday.", "men"),
])
def test_unidentified_armed_men_are_an_unidentified_armed_force(coder, text, word):
    m = resolved(coder, text, word)
    assert m is not None and m.sector == "UAF"


def test_men_who_died_in_a_crash_are_no_armed_force(coder):
    assert [m for m in finder(coder, "Two men died in the crash.").mentions if m.sector == "UAF"] == []


@pytest.mark.parametrize("text,word,name,sector", [
    ("Police in Harare detained banker Tinashe Mutasa on Thursday.", "Mutasa", "Tinashe Mutasa", "BUS"),
    ("Zimbabwe arrests journalist Chin'ono over tweets", "Chin'ono", "Chin'ono", "JRN"),
    ("Activist Tendai Moyo was detained by plain-clothes officers.", "Moyo", "Tendai Moyo", "OPP"),
    ("Soldiers beat a protester, Chipo, outside the court.", "protester", "Chipo", "CVL"),
])
def test_a_described_person_keeps_the_description_and_the_name(coder, text, word, name, sector):
    m = resolved(coder, text, word)
    assert m is not None and (m.kind, m.name, m.sector) == ("person", name, sector)


def test_a_description_without_a_name_stays_a_group(coder):
    m = resolved(coder, "Police detained a banker and two activists on Thursday.", "banker")
    assert m is not None and (m.kind, m.name, m.sector) == ("group", None, "BUS")


@pytest.mark.parametrize("text,word,name", [
    ("Troops loyal to Khalifa Haftar shelled the airport.", "Troops", "Khalifa Haftar"),
    ("The rebels fought beside army units that remain loyal to Ali Abdullah Saleh.", "units", "Ali Abdullah Saleh"),
    ("Gunmen who are loyal to Hezbollah blocked the road.", "Gunmen", "Hezbollah"),
])
def test_armed_men_loyal_to_a_named_actor_are_that_actors(coder, text, word, name):
    m = resolved(coder, text, word)
    assert m is not None and m.name == name and m.rule.startswith("loyal-to")


def test_armed_men_loyal_to_no_one_named_keep_their_state(coder):
    m = resolved(coder, "Syrian troops loyal to their commanders held the line.", "troops")
    assert m is not None and m.country == "SYR" and m.sector == "MIL" and not m.rule.startswith("loyal-to")


def test_a_surname_described_in_apposition_keeps_the_full_name_given_before(coder):
    text = ("Protesters marked the death of Sara Karimi in police custody. Karimi, a 30-year-old teacher, "
            "was detained by police in March.")
    f = finder(coder, text)
    last = [t for t in f.doc if t.text == "Karimi"][-1]
    m = f.resolve(last)
    assert m is not None and m.name == "Sara Karimi"
