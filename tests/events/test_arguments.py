"""Argument rules: who is the source and the target when the parse alone does not say.

Every sentence here was written for these tests. Each test names the rule it exercises.
"""
from __future__ import annotations

import pytest

from tests.conftest import dyads


def _types(records: list[dict]) -> list[str]:
    return sorted(r["event_type"] for r in records)


@pytest.mark.parametrize("text, expected", [
    # the target named inside the object phrase
    ("Kuwait and Qatar severed diplomatic ties with Syria on Tuesday.", ("SANCTION", "KWT", "SYR")),
    ("Ukraine banned imports of grain from Hungary on Monday.", ("SANCTION", "UKR", "HUN")),
    ("Washington imposed sanctions on Venezuelan gold exports.", ("SANCTION", "USA", "VEN")),
    # an attack on a place hits that place's country; "the shelling of X by Y"
    ("The shelling of a bakery in Kharkiv by Russian forces killed four people.", ("ASSAULT", "RUS", "UKR")),
    ("Russian jets bombed a market in Idlib on Sunday.", ("ASSAULT", "RUS", "SYR")),
    # a passive killing takes its attacker from "in an X strike" or "when X bombed"
    ("A Hamas commander was killed in an Israeli strike on a car in Rafah.", ("ASSAULT", "ISR", "PSE")),
    ("Three Turkish soldiers were killed when Syrian government jets bombed their convoy.",
     ("ASSAULT", "SYR", "TUR")),
    # a protest with no named target is addressed to the protesters' government
    ("Thousands of Georgians marched through Tbilisi on Saturday.", ("PROTEST", "GEO", "GEO")),
    ("Farmers from France blocked roads around Strasbourg in protest at EU trade policy.",
     ("PROTEST", "FRA", "EUR")),
    # who is with whom: "together with"
    ("Macron will travel to Kyiv on Friday together with the German chancellor.", ("AGREE", "DEU", "UKR")),
])
def test_target_rules(code, text, expected):
    assert expected in dyads(code(text)), dyads(code(text))


def test_rejected_demand_is_addressed_to_the_rejecter(code):
    got = dyads(code("Tehran dismissed Washington's demands to halt enrichment on Tuesday."))
    assert ("REJECT", "IRN", "USA") in got
    assert ("REQUEST", "USA", "IRN") in got


def test_pressure_from_a_capital_is_a_request(code):
    got = dyads(code("Hungary has refused to send weapons to Ukraine despite pressure from Washington."))
    assert ("REJECT", "HUN", "USA") in got and ("REQUEST", "USA", "HUN") in got


def test_refusing_to_yield_is_reject_not_negated_concession(code):
    recs = code("Serbia will not bow to pressure from Moscow, its president said on Monday.")
    rej = [r for r in recs if r["event_type"] == "REJECT"]
    assert rej and not rej[0]["modality"]["negated"]
    assert not [r for r in recs if r["event_type"] == "CONCEDE"]


def test_will_not_cooperate_is_a_refusal(code):
    recs = code("Washington will not cooperate with the Russian campaign in Syria, the defence secretary said.")
    rej = [r for r in recs if r["event_type"] == "REJECT"]
    assert rej and rej[0]["source"]["country"] == "USA" and not rej[0]["modality"]["negated"]
    assert not [r for r in recs if r["event_type"] in ("AGREE", "COOPERATE")]


def test_joint_raid_is_cooperation_and_two_assaults(code):
    got = dyads(code("Iraqi and American special forces carried out a joint raid on an Islamic State cell."))
    assert {("COOPERATE", "USA", "IRQ"), ("COOPERATE", "IRQ", "USA")} <= got
    assert {("ASSAULT", "IRQ", "IMG"), ("ASSAULT", "USA", "IMG")} <= got


def test_joint_exercise_is_cooperation_not_mobilisation(code):
    recs = code("Egypt and Saudi Arabia began joint naval drills in the Red Sea on Monday.")
    assert "COOPERATE" in _types(recs) and "MOBILIZE" not in _types(recs)


def test_single_country_exercise_stays_mobilisation(code):
    assert "MOBILIZE" in _types(code("Iran began large-scale military drills near the Strait of Hormuz."))


@pytest.mark.parametrize("text", [
    "Brazil, India and South Africa met in Johannesburg on Wednesday.",
    "The leaders of Brazil, India and South Africa met in Johannesburg on Wednesday.",
])
def test_summit_of_three_gives_one_multilateral_record_each(code, text):
    recs = code(text)
    consult = [r for r in recs if r["event_type"] == "CONSULT"]
    assert {r["source"]["country"] for r in consult} == {"BRA", "IND", "ZAF"}
    assert all(r["target"] is None and r["mode"] == "multilateral" for r in consult)


def test_restored_relations_are_mutual(code):
    got = dyads(code("Bahrain and Qatar restored diplomatic relations on Wednesday."))
    assert {("SUPPORT", "BHR", "QAT"), ("SUPPORT", "QAT", "BHR")} <= got


def test_claimed_attack_takes_the_claimant_as_attacker(code):
    recs = code("A car bomb tore through a market in Kirkuk, killing nine Iraqi civilians. "
                "Islamic State claimed responsibility on its news channel.")
    assault = [r for r in recs if r["event_type"] == "ASSAULT"]
    assert assault and assault[0]["source"]["country"] == "IMG"
    assert "Islamic State" in assault[0]["attribution"]["speaker"]


def test_third_party_prediction_is_not_a_threat(code):
    recs = code("Russia could attack Moldova within weeks, Romanian officials warned on Friday.")
    assert "THREATEN" not in _types(recs)
    assault = [r for r in recs if r["event_type"] == "ASSAULT"]
    assert assault and assault[0]["modality"]["hypothetical"] and assault[0]["modality"]["future"]
    assert "Romanian officials" in assault[0]["attribution"]["speaker"]


def test_own_warning_is_a_threat(code):
    recs = code("Erdogan warned that Turkey would cut off gas supplies to Greece.")
    assert "THREATEN" in _types(recs)


def test_no_subject_negates(code):
    recs = code("No Iranian troops have been sent to Venezuela, Tehran said.")
    assert recs and all(r["modality"]["negated"] for r in recs)


def test_lifting_a_ban_is_a_concession(code):
    recs = code("Egypt's government lifted the ban on the opposition party on Thursday.")
    assert _types(recs) == ["CONCEDE"]


def test_descriptor_is_not_an_event(code):
    assert "SUPPORT" not in _types(code("Fighters of a militia backed by Tehran patrolled the streets."))
    assert "SUPPORT" in _types(code("Tehran backed the militia with money and weapons."))


@pytest.mark.parametrize("text", [
    "The Arab League opened its annual summit in Cairo with a moment of silence.",
    "The Kremlin's charm offensive in Latin America continued with a cultural festival.",
])
def test_lookalikes_give_no_violence(code, text):
    assert "ASSAULT" not in _types(code(text))


def test_arab_league_is_not_sport(code):
    got = dyads(code("The Arab League condemned Israel's strike on Beirut on Monday."))
    assert ("ACCUSE", "IGO", "ISR") in got


def test_withdrawing_own_troops_targets_the_country_left(code):
    got = dyads(code("Canada will withdraw its troops from Latvia next year, the defence minister said."))
    assert ("CONCEDE", "CAN", "LVA") in got


def test_misspelt_sense_key_is_rejected(tmp_path):
    from allegiance.errors import CatalogError
    from allegiance.events.lexicon import load_lexicon

    path = tmp_path / "my_triggers.yaml"
    path.write_text("verbs:\n  snub: {type: REJECT, obj_tpye: [person]}\n", encoding="utf-8")
    with pytest.raises(CatalogError) as info:
        load_lexicon((str(path),))
    assert "obj_tpye" in str(info.value) and str(path) in str(info.value)


def test_denied_charge_is_the_accused_act_negated(code):
    recs = code("Kenya has accused Uganda of arming the rebels in Turkana, a charge Kampala denies.")
    aid = [r for r in recs if r["event_type"] == "AID"]
    assert any(not r["modality"]["negated"] and "Kenya" in r["attribution"]["speaker"] for r in aid)
    denied = [r for r in aid if r["modality"]["negated"]]
    assert denied and denied[0]["source"]["country"] == "UGA" and "Kampala" in denied[0]["attribution"]["speaker"]


def test_unrelated_accusation_does_not_name_the_attacker(code):
    recs = code("Gunmen attacked a police station in Kabul on Monday. Separately, Iran accused Israel of spying.")
    assault = [r for r in recs if r["event_type"] == "ASSAULT"]
    assert assault and assault[0]["source"]["country"] != "ISR"


def test_many_parties_give_one_record_each_not_every_pair(code):
    recs = code("France, Germany, Italy, Spain, Poland, Greece and Austria signed a trade agreement.")
    assert len(recs) == 7 and all(r["target"] is None for r in recs)


@pytest.mark.parametrize("text", [
    "\n\nIran condemns Israel\n\nIran condemned Israel on Monday, officials said.",
    "Russia attacks Ukraine\n\nRussia attacked Ukraine on Monday.",
])
def test_headline_duplicates_are_dropped(code, text):
    recs = code(text)
    assert len(recs) == 1 and recs[0]["sentence"] > 0


def test_attack_denied_in_a_relative_clause(code):
    recs = code("Artillery shells hit a market in Aleppo, in an attack that Damascus denied carrying out.")
    denied = [r for r in recs if r["event_type"] == "ASSAULT" and r["modality"]["negated"]]
    assert denied and denied[0]["source"]["country"] == "SYR"


def test_not_using_weapons_to_strike_is_a_negated_strike(code):
    recs = code("Kyiv has not used British cruise missiles to strike targets inside Russia, the defence minister said.")
    strike = [r for r in recs if r["event_type"] == "ASSAULT"]
    assert strike and strike[0]["modality"]["negated"]
    assert (strike[0]["source"]["country"], strike[0]["target"]["country"]) == ("UKR", "RUS")


@pytest.mark.parametrize("text", [
    "President Ruto accepted the resignation of the interior minister on Friday.",
    "Kenya's president accepted the resignation of the finance minister after the scandal.",
])
def test_an_accepted_resignation_is_the_ministers_retreat(code, text):
    recs = [r for r in code(text, "2020-03-01") if r["event_type"] == "RETREAT"]
    assert recs and all(r["mode"] == "resign" for r in recs)
    assert all((r["source"] or {}).get("name") != "William Ruto" for r in recs)  # the minister, not the president


def test_a_resignation_only_demanded_is_no_retreat(code):
    recs = code("Protesters in Nairobi called for the resignation of the interior minister.", "2020-03-01")
    assert all(r["event_type"] != "RETREAT" for r in recs)


# -- a response to an earlier statement or act is addressed to its author -------------------------

@pytest.mark.parametrize("text, expected", [
    ("UN investigators said in a report on Thursday that security forces had tortured detainees in Nicaragua. "
     "The government rejected the report as biased.", ("REJECT", "NIC", "UNO")),
    ("The Arab League suspended Syria on Saturday. Syria's foreign ministry rejected the suspension as illegal.",
     ("REJECT", "SYR", "IGO")),
    ("The EU said on Monday it would add ten officials to its blacklist. Britain welcomed the move.",
     ("SUPPORT", "GBR", "EUR")),
    ("Q: The Kremlin says Washington organised the protests. Your response? PRICE (State Department "
     "briefing): We categorically reject that.", ("REJECT", "USA", "RUS")),
])
def test_an_answered_statement_s_author_is_the_target(code, text, expected):
    assert expected in dyads(code(text)), dyads(code(text))


def test_an_answer_needs_a_made_thing_and_another_author(code):
    # the statement is the second clause's, whose author is no actor here: no guess at the first's
    got = dyads(code("Britain warned of consequences, and several rights groups issued a joint statement on "
                     "Monday. Iran's foreign ministry rejected the statement."))
    assert ("REJECT", "IRN", "GBR") not in got
    # a state does not answer itself
    got = dyads(code("Iran's president announced a new plan on Monday. Iran's parliament rejected the plan."))
    assert ("REJECT", "IRN", "IRN") not in got


@pytest.mark.parametrize("text, etype", [
    # the subject that the parser hangs on a fronted phrase as an apposition of its last name
    ("At the request of Prosecutor General Patricia Benavides, the Supreme Court on Monday barred Pedro "
     "Castillo from leaving the country.", "COERCE"),
    ("At the request of Interior Minister Kithure Kindiki, the High Court on Friday froze the bank accounts "
     "of the church.", "SANCTION"),
])
def test_a_subject_after_a_fronted_phrase_is_the_source(code, text, etype):
    recs = [r for r in code(text, "2023-05-01") if r["event_type"] == etype]
    assert recs and recs[0]["source"] is not None and recs[0]["source"]["sector"] == "JUD"
    requests = [r for r in code(text, "2023-05-01") if r["event_type"] == "REQUEST"]
    assert requests and (requests[0]["target"] or {}).get("sector") == "JUD"  # asked of the court


def test_the_last_apposition_of_a_fronted_phrase_is_the_subject_not_the_first(code):
    # "William Ruto, the president," is a true apposition; the court after it is the subject
    recs = [r for r in code("At the request of William Ruto, the president, the Supreme Court of Kenya on Monday "
                            "barred the former governor from leaving the country.", "2023-05-01")
            if r["event_type"] == "COERCE"]
    assert recs and recs[0]["source"]["sector"] == "JUD"
