"""End-to-end coding of sentences written for these tests: types, dyads, voice, conjunction."""
from __future__ import annotations

import pytest

from tests.conftest import dyads


@pytest.mark.parametrize("text, expected", [
    # active voice, nationality + agent noun → country and sector
    ("Russian warplanes bombed rebel positions near Hama on Tuesday.", ("ASSAULT", "RUS", "SYR")),
    # passive voice: the agent of "by" is the source, the subject the target
    ("Government checkpoints outside Aleppo were shelled by Turkish artillery overnight.", ("ASSAULT", "TUR", "SYR")),
    # a light verb takes its event from the noun
    ("Israeli jets carried out airstrikes on Hamas positions in Gaza City.", ("ASSAULT", "ISR", "PSE")),
    ("The Iraqi government imposed a curfew on Basra after the riots.", ("COERCE", "IRQ", "IRQ")),
    ("Germany expelled two Russian diplomats on Monday.", ("SANCTION", "DEU", "RUS")),
    ("Iran accused Saudi Arabia of funding insurgents in Sistan.", ("ACCUSE", "IRN", "SAU")),
    ("The Kenyan government condemned the attack on its border post.", ("ACCUSE", "KEN", None)),
    ("French soldiers withdrew from the base near Gao.", ("RETREAT", "FRA", None)),
])
def test_dyad_is_coded(code, text, expected):
    assert expected in dyads(code(text))


def test_conjoined_sources_give_one_record_each(code):
    recs = code("Iran and Russia sent troops to help the Syrian army.")
    got = dyads(recs)
    assert ("AID", "IRN", "SYR") in got and ("AID", "RUS", "SYR") in got


def test_symmetric_talks_are_mirrored(code):
    got = dyads(code("American and Russian officials held talks by video conference on Thursday."))
    assert {("CONSULT", "USA", "RUS"), ("CONSULT", "RUS", "USA")} <= got


@pytest.mark.parametrize("text", [
    "The senator's attack on the proposal drew applause from the opposition benches.",
    "City crushed United 3-0 in the derby on Saturday, with their striker firing a header past the keeper.",
    "A powerful storm hit the coast on Monday, cutting power to thousands of homes.",
    "Analysts expect the central bank to hold rates steady next month.",
])
def test_traps_give_no_event(code, text):
    assert code(text) == []


def test_negated_event_is_flagged(code):
    recs = code("Moscow denied that its jets had bombed the hospital in Idlib.")
    assault = [r for r in recs if r["event_type"] == "ASSAULT"]
    assert assault and all(r["modality"]["negated"] for r in assault)


def test_attribution_names_the_reporting_source(code):
    recs = code("Russian jets struck rebel bases near Idlib on Wednesday, Syria's state news agency SANA reported.")
    r = next(r for r in recs if r["event_type"] == "ASSAULT")
    assert "SANA" in r["attribution"]["speaker"]
    assert r["attribution"]["kind"] == "media"
    assert r["certainty"] < 0.9


def test_future_aid_is_coded_as_agree(code):
    recs = code("Japan will provide emergency aid to Ukraine, the foreign ministry said.")
    r = next(r for r in recs if r["source"] and r["source"]["country"] == "JPN")
    assert r["event_type"] == "AGREE" and r["modality"]["future"]


def test_record_carries_contract_fields(code):
    (r, *_) = code("Turkish police detained three journalists in Istanbul on Tuesday.", "2019-10-17")
    for key in ("event_id", "doc_id", "sentence", "event_type", "mode", "contexts", "cameo", "cameo_root",
                "goldstein", "quad_class", "source", "target", "date", "date_precision", "location",
                "modality", "certainty", "attribution", "evidence", "doc", "coder"):
        assert key in r
    assert r["event_type"] == "COERCE" and r["mode"] == "arrest"
    assert r["cameo_root"] == r["cameo"][:2] and r["quad_class"] == 4
    ev = r["evidence"]
    assert ev["trigger"] == "detained"
    assert "Turkish police detained" in ev["text"]


def test_seed_like_article(code):
    """The phenomena of the reference article, in sentences of our own."""
    text = ("Iranian ground forces began arriving in Syria this week to join an offensive by President "
            "Bashar al-Assad's army. Russian warplanes bombed rebel groups around Hama on Thursday, "
            "including a faction trained by the CIA. Russia and the United States held a video "
            "conference on Friday on keeping their air forces apart over Syria.")
    got = dyads(code(text, "2015-10-10"))
    assert ("ASSAULT", "RUS", "SYR") in got
    assert any(t == "MOBILIZE" or t == "AID" for t, s, _ in got if s == "IRN")
    assert ("CONSULT", "RUS", "USA") in got or ("CONSULT", "USA", "RUS") in got


def test_meeting_noun_as_subject_takes_parties_from_between(code):
    got = dyads(code("A phone call took place on Monday between Turkey and Iran to discuss the border."))
    assert ("CONSULT", "TUR", "IRN") in got or ("CONSULT", "IRN", "TUR") in got


def test_allies_uniting_to_fight_are_not_coded_as_fighting_each_other(code):
    recs = code("Iran, Russia and Hezbollah have united with the Syrian army to fight the rebels.")
    assert not [r for r in recs if r["event_type"] == "ASSAULT"
                and r["source"] and r["target"] and r["target"]["country"] in ("IRN", "RUS", "LBN")]
    assert any(r["event_type"] == "COOPERATE" for r in recs)


def test_over_long_text_fails_alone_and_order_is_kept(coder):
    from allegiance.models import Document

    docs = [Document("a", "Russian jets bombed Idlib on Monday.", published="2024-03-05"),
            Document("b", "word " * 220_000, published="2024-03-05"),
            Document("c", "Iran accused Israel of sabotage.", published="2024-03-05")]
    out = [(d.id, recs is not None, err) for d, recs, err in coder.code_many(docs, batch_size=2)]
    assert [o[0] for o in out] == ["a", "b", "c"]
    assert out[0][1] and out[2][1]
    assert not out[1][1] and "too long" in out[1][2]


def test_headline_is_its_own_sentence_and_not_double_counted(code):
    text = ("Turkey strikes Kurdish militants in Iraq\n\n"
            "Turkish jets struck Kurdish militant positions in northern Iraq on Monday, the defence "
            "ministry said. Iraq's foreign ministry condemned the raids.")
    recs = code(text)
    assaults = [r for r in recs if r["event_type"] == "ASSAULT"]
    assert len(assaults) == 1 and assaults[0]["sentence"] == 1
    assert any(r["event_type"] == "ACCUSE" for r in recs)


@pytest.mark.parametrize("text,etype,negated", [
    ("Moscow does not recognise the new authorities in Kyiv, the foreign ministry said.", "REJECT", False),
    ("Brazil recognised the opposition leader as interim president of Venezuela.", "SUPPORT", False),
])
def test_withheld_recognition_is_a_rejection(code, text, etype, negated):
    recs = [r for r in code(text, "2014-03-01") if r["evidence"]["trigger"].startswith("recogni")]
    assert recs and recs[0]["event_type"] == etype and recs[0]["modality"]["negated"] is negated


@pytest.mark.parametrize("text,source,target", [
    ("A team of British Army engineers has been deployed to Lithuania at the request of the Lithuanian government.",
     "LTU", "GBR"),
    ("Moscow sent paratroopers to Armenia at Prime Minister Nikol Pashinyan's request.", "ARM", "RUS"),
])
def test_acting_at_someones_request_codes_the_request(code, text, source, target):
    recs = [r for r in code(text, "2021-11-20") if r["event_type"] == "REQUEST"]
    assert recs and recs[0]["source"]["country"] == source and recs[0]["target"]["country"] == target


def test_a_request_for_nothing_is_not_an_event(code):
    assert [r for r in code("The request arrived at the ministry on Friday.", "2021-11-20")
            if r["event_type"] == "REQUEST"] == []


@pytest.mark.parametrize("text,etype,mode", [
    # a date after the verb is no particle: "called on Tuesday" is no "call on" (a request)
    ("Scholz called Zelensky on Tuesday to discuss the Russian invasion.", "CONSULT", "phone"),
    # what a clause of the verb's own says is not what the caller calls the object
    ("Macron called Putin to discuss the occupation of the nuclear plant.", "CONSULT", "phone"),
    ("The foreign ministry in Moscow called the deployment a provocation.", "ACCUSE", "disapprove"),
])
def test_call_is_a_phone_call_unless_it_labels_its_object(code, text, etype, mode):
    recs = [r for r in code(text, "2022-03-07") if r["evidence"]["trigger"] == "called"]
    assert [(r["event_type"], r["mode"]) for r in recs][:1] == [(etype, mode)]
