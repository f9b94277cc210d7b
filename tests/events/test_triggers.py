"""Entries of the trigger lexicon (``data/triggers.yaml``), each on sentences written for the project."""
from __future__ import annotations

import pytest


def rows(records):
    return {(r["event_type"], r["mode"], (r["source"] or {}).get("country"), (r["target"] or {}).get("country"))
            for r in records if not r["modality"]["negated"]}


@pytest.mark.parametrize("text, source, target", [
    ("Russia cut off gas supplies to Ukraine on Thursday.", "RUS", "UKR"),
    ("Moscow cut oil deliveries to Belarus in January.", "RUS", "BLR"),
])
def test_a_state_cutting_supplies_to_another_state_sanctions_it(code, text, source, target):
    assert ("SANCTION", "discontinue", source, target) in rows(code(text, "2020-03-01"))


@pytest.mark.parametrize("text, source, target", [
    ("Poland declared two Belarusian diplomats persona non grata on Friday.", "POL", "BLR"),
    ("Kenya declared the Somali ambassador persona non grata.", "KEN", "SOM"),
])
def test_a_diplomat_declared_persona_non_grata_is_expelled(code, text, source, target):
    assert ("SANCTION", "expel", source, target) in rows(code(text, "2020-03-01"))


def test_a_declared_emergency_is_still_martial_law(code):
    assert any(r[0] == "COERCE" and r[1] == "martial-law" for r in rows(code("Kenya declared a state of emergency in Nairobi.", "2020-03-01")))


@pytest.mark.parametrize("text, mode", [
    ("Russia's foreign ministry withdrew the accreditation of two Dutch journalists on Monday.", "censor"),
    ("The Nicaraguan government withdrew the passports of three opposition leaders.", "restrict"),
])
def test_an_authority_withdrawing_accreditation_or_passports_coerces(code, text, mode):
    recs = code(text, "2020-03-01")
    assert any(r["event_type"] == "COERCE" and r["mode"] == mode for r in recs)
    assert all(r["event_type"] != "RETREAT" for r in recs)


def test_troops_withdrawn_still_retreat(code):
    assert any(r["event_type"] == "RETREAT" for r in code("Israel withdrew its troops from Gaza.", "2020-03-01"))


@pytest.mark.parametrize("text", [
    "Kenyan police charged protesters with batons outside parliament in Nairobi.",
    "Riot police in Minsk charged into the crowd on Sunday.",
])
def test_police_charging_a_crowd_is_force_not_an_accusation(code, text):
    recs = code(text, "2020-03-01")
    assert any(r["event_type"] == "ASSAULT" and r["mode"] == "crowd-control" for r in recs)
    assert all(r["event_type"] != "ACCUSE" for r in recs)


def test_charging_someone_with_a_crime_is_still_an_accusation(code):
    recs = code("Kenyan police charged three protesters with inciting violence.", "2020-03-01")
    assert any(r["event_type"] == "ACCUSE" for r in recs) and all(r["event_type"] != "ASSAULT" for r in recs)


@pytest.mark.parametrize("text", [
    "A prosecutor in Nairobi issued an arrest warrant for the opposition leader on charges of treason.",
    "A Kenyan court issued a warrant for the arrest of the former finance minister.",
])
def test_an_arrest_warrant_issued_threatens_arrest(code, text):
    assert any(r["event_type"] == "THREATEN" and r["mode"] == "arrest" and (r["source"] or {}).get("sector") == "JUD"
               for r in code(text, "2020-03-01"))


def test_a_search_warrant_or_a_statement_issued_is_no_threat(code):
    for text in ("Police in Nairobi issued a search warrant for the offices of the newspaper.",
                 "The Kenyan government issued a statement on Monday."):
        assert all(r["event_type"] != "THREATEN" for r in code(text, "2020-03-01"))


@pytest.mark.parametrize("text, source", [
    ("Kenya brushed aside the American demand for new elections.", "KEN"),
    ("The Ugandan army ignored an order from parliament to withdraw.", "UGA"),
])
def test_brushing_aside_or_ignoring_a_demand_rejects_it(code, text, source):
    assert any(r["event_type"] == "REJECT" and (r["source"] or {}).get("country") == source
               for r in code(text, "2020-03-01"))


def test_ignoring_a_crowd_rejects_nothing(code):
    assert all(r["event_type"] != "REJECT" for r in code("Kenyan police ignored the crowd in Nairobi.", "2020-03-01"))


@pytest.mark.parametrize("text", [
    "The prime minister brushed aside criticism of his handling of the floods.",
    "The president brushed off concerns about the currency.",
    "The ministry ignored the warning from its own inspectors.",
])
def test_brushing_aside_criticism_or_concern_rejects_no_request(code, text):
    assert not any(t == "REJECT" for t, *_ in rows(code(text, "2020-03-01")))


def test_a_resignation_only_commented_on_is_no_retreat(code):
    recs = code("Analysts said the resignation of the finance minister would not calm the markets.", "2020-03-01")
    assert not any(t == "RETREAT" for t, *_ in rows(recs))


def all_types(records):
    return {(r["event_type"], r["mode"], r["modality"]["negated"]) for r in records}


@pytest.mark.parametrize("text", [
    "The Peruvian government withdrew its contested labour reform on Monday after a week of strikes.",
    "President Lasso suspended the fuel-price reform on Friday amid road blockades.",
    "The Romanian cabinet scrapped its controversial judicial amendment after mass rallies.",
])
def test_withdrawing_or_suspending_ones_own_reform_or_bill_concedes(code, text):
    got = all_types(code(text, "2020-03-01"))
    assert any(t == "CONCEDE" for t, _, _ in got)
    assert not any(t in ("RETREAT", "SANCTION") for t, _, _ in got)


@pytest.mark.parametrize("text", [
    "President Tokayev ordered a general mobilisation of reservists on Tuesday.",
    "The defence minister ordered a partial mobilization of the army reserves.",
])
def test_ordering_a_mobilisation_is_the_mobilisation(code, text):
    got = all_types(code(text, "2020-03-01"))
    assert ("MOBILIZE", "troops", False) in got and not any(t == "REQUEST" for t, _, _ in got)


def test_a_commander_ordering_his_fighters_to_halt_and_return_withdraws_them(code):
    got = all_types(code("The militia commander ordered his fighters to halt their advance and return to base.",
                         "2020-03-01"))
    assert ("RETREAT", "withdraw", False) in got and not any(t == "MOBILIZE" for t, _, _ in got)


@pytest.mark.parametrize("text", [
    "The foreign ministry dismissed the accusations as baseless.",
    "Ankara dismissed the allegations as groundless and politically motivated.",
])
def test_dismissing_an_accusation_rejects_it(code, text):
    got = all_types(code(text, "2020-03-01"))
    assert any(t == "REJECT" for t, _, _ in got) and not any(t == "ACCUSE" for t, _, _ in got)


def test_aircraft_dropping_food_deliver_aid_not_an_attack(code):
    got = all_types(code("Jordanian planes dropped food and medicine to besieged villagers near Aleppo.", "2016-03-01"))
    assert not any(t == "ASSAULT" for t, _, _ in got)
    assert any(t == "AID" for t, _, _ in got)


@pytest.mark.parametrize("text", [
    "A Lagos court acquitted the former governor of fraud on Thursday.",
    "A military tribunal acquitted two officers accused of torturing detainees.",
])
def test_an_acquittal_is_a_negated_conviction(code, text):
    got = all_types(code(text, "2020-03-01"))
    assert ("SANCTION", "convict", True) in got and ("SANCTION", "convict", False) not in got


@pytest.mark.parametrize("text", [
    "The Kurdish rebel group announced an end to its armed struggle on Saturday.",
    "The FARC leadership ordered an end to its armed campaign against the state.",
])
def test_an_end_announced_to_ones_own_armed_campaign_concedes(code, text):
    got = all_types(code(text, "2020-03-01"))
    assert ("CONCEDE", None, False) in got
    # an end ordered to someone else's strike is no concession
    assert not any(t == "CONCEDE" for t, _, _ in all_types(code(
        "The court ordered an end to the dockworkers' strike.", "2020-03-01")))


@pytest.mark.parametrize("text, source, target", [
    ("Rwanda reopened its border with Uganda on Monday.", "RWA", "UGA"),
    ("Islamabad reopened its airspace to Indian airliners after four months.", "PAK", "IND"),
])
def test_reopening_a_closed_border_or_airspace_concedes(code, text, source, target):
    assert ("CONCEDE", None, source, target) in rows(code(text, "2020-03-01"))


def test_a_state_applying_to_join_a_bloc_requests_admission(code):
    assert ("REQUEST", "assist", "SWE", "IGO") in rows(code("Sweden applied to join NATO on Wednesday.", "2022-05-18"))
    assert not any(r["event_type"] == "REQUEST" for r in code("He applied to join the police force in 2010.", "2020-03-01"))


def test_armed_men_setting_fire_destroy_and_protesters_riot(code):
    assert ("ASSAULT", "destroy", False) in all_types(code(
        "Retreating soldiers set fire to the oil wells near the border.", "2020-03-01"))
    assert ("PROTEST", "riot", False) in all_types(code("Protesters set fire to the town hall.", "2020-03-01"))
