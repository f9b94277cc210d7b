"""Defects found on unseen text (issue 12), each pinned by sentences written for the project."""
from __future__ import annotations

import subprocess
import sys

import pytest

from allegiance.places import Gazetteer, find_places


def rows(records):
    return [(r["event_type"], r["mode"], (r["source"] or {}).get("country"), (r["source"] or {}).get("sector"),
             (r["target"] or {}).get("country")) for r in records]


@pytest.mark.parametrize("word", ["Gulf", "Puerto", "Coast", "Port"])
def test_a_common_geographic_word_alone_is_no_place(word):
    assert Gazetteer.default().resolve(word) is None


def test_full_names_with_those_words_still_resolve():
    g = Gazetteer.default()
    assert g.resolve("Gulf of Aden") is not None
    assert g.resolve("Puerto Princesa").country == "PHL"


def test_an_opposition_in_the_gulf_is_not_papua_new_guinea(code):
    recs = code("The Gulf opposition called for a boycott of the vote.", "2021-05-05")
    assert all((r["source"] or {}).get("country") != "PNG" for r in recs)
    assert all((r["location"] or {}).get("country") != "PNG" for r in recs)


def test_a_named_group_is_not_the_town_that_shares_its_name(coder):
    doc = coder.nlp("Rebels clashed with fighters from the Taliban near the river.")
    assert not [span.text for span, place, _ in find_places(doc) if place is not None and span.text == "Taliban"]


@pytest.mark.parametrize("text, country", [
    ("Peru's Congress voted to censure the interior minister.", "PER"),
    ("The Guatemalan Congress rejected the budget.", "GTM"),
    ("Maldivian lawmakers in the Majlis criticised the president.", "MDV"),
])
def test_another_state_s_legislature_is_that_state_s(code, text, country):
    recs = code(text, "2022-05-05")
    assert recs and recs[0]["source"]["country"] == country and recs[0]["source"]["sector"] == "LEG"


def test_the_us_congress_alone_stays_american(code):
    recs = code("Congress approved new sanctions on Iran.", "2022-05-05")
    assert rows(recs)[0][2:4] == ("USA", "LEG")


@pytest.mark.parametrize("text", [
    "HARARE, Zimbabwe (AP) — Police arrested twelve protesters outside parliament.",
    "LUSAKA (Reuters) - Police arrested twelve protesters outside parliament.",
])
def test_a_dateline_with_an_agency_credit_is_no_subject(code, text):
    recs = code(text, "2019-01-16")
    coerce = [r for r in recs if r["event_type"] == "COERCE"]
    assert coerce and coerce[0]["source"]["sector"] == "COP"


def test_an_ultimatum_is_a_threat(code):
    recs = code("Israel issued an ultimatum to Hamas to free the hostages by Friday.", "2024-04-10")
    r = [x for x in recs if x["event_type"] == "THREATEN"]
    assert r and r[0]["cameo"] == "139" and r[0]["target"]["country"] == "PSE"
    assert not [x for x in recs if x["event_type"] == "REQUEST"]
    recs = code("The army gave the rebels a 48-hour ultimatum to leave the town.", "2024-04-10")
    assert [x["event_type"] for x in recs] == ["THREATEN"]


def test_an_announced_ban_is_the_ban(code):
    recs = code("The government announced a ban on the main opposition party.", "2024-04-10")
    assert rows(recs)[0][:2] == ("COERCE", "restrict")
    recs = code("Washington slapped a travel ban on ten Iranian officials.", "2024-04-10")
    assert rows(recs)[0][:3] == ("SANCTION", "discontinue", "USA")
    assert code("The president gave a speech about the economy.", "2024-04-10") == []


def test_a_year_that_names_a_thing_does_not_date_a_present_act(code):
    recs = code("The ministry called the 2014 agreement void and threatened to expel the envoy.", "2024-04-10")
    assert recs and all(not r["date"].startswith("2014") for r in recs)
    recs = code("Kigali accused France on Monday of complicity in the 1994 genocide.", "2024-04-10")
    assert recs[0]["date"] == "2024-04-08"
    recs = code("In 2019, protesters blocked the main highway into the capital.", "2024-04-10")
    assert recs[0]["date"].startswith("2019")  # a year of the clause itself still dates it


def test_a_denial_with_a_common_verb_is_a_negated_event(code):
    recs = code("The Turkish army denied that its drones had hit civilians in northern Syria.", "2024-04-10")
    hit = [r for r in recs if r["event_type"] == "ASSAULT"]
    assert hit and hit[0]["modality"]["negated"] and hit[0]["source"]["country"] == "TUR"


@pytest.mark.parametrize("args, option", [
    (["events", "--since", "2023-13-01"], "--since"),
    (["events", "--until", "2023-2-1"], "--until"),
    (["events", "--format", "parquet"], "--format"),
    (["sides", "--until", "2023-02-30"], "--until"),
])
def test_bad_option_values_exit_2_naming_the_option(tmp_path, args, option):
    proc = subprocess.run([sys.executable, "-m", "allegiance.cli", *args, "--store", str(tmp_path / "none.duckdb")],
                          capture_output=True, text=True, env={"COLUMNS": "200", "PATH": ""})
    assert proc.returncode == 2
    assert option in proc.stderr and "Traceback" not in proc.stderr


def test_strikes_in_a_country_restating_a_strike_on_a_named_target_are_not_an_attack_on_it(code):
    recs = code("American warplanes bombed Islamic State artillery outside Erbil on Friday, the first US strikes "
                "in Iraq since 2011.", "2014-08-09")
    assault = [r for r in recs if r["event_type"] == "ASSAULT"]
    assert assault and all(r["target"]["country"] != "IRQ" or r["target"]["sector"] for r in assault)
    assert all("_place_target" not in r for r in recs)


def test_a_civilian_place_hit_beside_a_named_target_stays_an_event(code):
    recs = code("Russian jets bombed rebel positions and a hospital in Idlib on Monday.", "2016-05-02")
    assert {(r["target"]["country"], r["target"]["sector"]) for r in recs if r["event_type"] == "ASSAULT"} >= \
        {("SYR", "MED")}


def test_strikes_on_a_place_alone_keep_its_country(code):
    recs = code("Turkish jets struck targets in northern Iraq on Monday.", "2020-06-15")
    assert [(r["source"]["country"], r["target"]["country"]) for r in recs if r["event_type"] == "ASSAULT"] == \
        [("TUR", "IRQ")]


# -- round eight (issue 12): classes from the corpus dev misses and a reviewer's faults ----------

def _acts(recs):
    return sorted((r["event_type"], r["mode"], (r["source"] or {}).get("sector"), (r["target"] or {}).get("sector"))
                  for r in recs)


@pytest.mark.parametrize("text", [
    "Defence Minister Oleksandr Tkach tendered his resignation on Friday.",
    "The Moldovan interior minister submitted his resignation to the prime minister.",
    "The finance minister handed in his resignation after the vote.",
])
def test_a_resignation_tendered_or_submitted_is_a_resignation(code, text):
    recs = code(text, "2021-03-01")
    assert [(r["event_type"], r["mode"]) for r in recs] == [("RETREAT", "resign")]


@pytest.mark.parametrize("text", [
    "Police charged the driver with assault with a metal bar after the fight.",
    "The farmer was charged with assault with a club.",
    "Prosecutors charged the mayor with fraud.",
])
def test_an_offence_charged_is_a_legal_charge_whatever_weapon_it_names(code, text):
    recs = code(text, "2021-03-01")
    assert [(r["event_type"], r["mode"]) for r in recs] == [("ACCUSE", "allege")]


@pytest.mark.parametrize("text", [
    "Riot police charged the marchers with batons.",
    "Mounted police charged the students with clubs during the riot.",
])
def test_a_baton_charge_stays_force_beside_an_offence_word(code, text):
    recs = code(text, "2021-03-01")
    assert [(r["event_type"], r["mode"]) for r in recs] == [("ASSAULT", "crowd-control")]


@pytest.mark.parametrize("text", [
    "A court in Tashkent gave the blogger Anvar Karimov eight years in prison on Monday.",
    "A military tribunal handed the former colonel twelve years in a penal colony.",
    "The regional court gave the opposition activist a six-year prison sentence.",
])
def test_a_court_giving_a_prison_term_convicts_and_detains_the_one_it_is_given_to(code, text):
    recs = code(text, "2021-03-01")
    assert [(t, m, s) for t, m, s, _ in _acts(recs)] == [("COERCE", "arrest", "JUD"), ("SANCTION", "convict", "JUD")]
    assert all(r["target"] and r["target"]["sector"] != "JUD" for r in recs)


@pytest.mark.parametrize("text", [
    "The blogger was given eight years in prison by a military court.",
    "The journalist was handed ten years in a penal colony by a regional court.",
])
def test_a_prison_term_given_in_the_passive_keeps_the_court_as_source(code, text):
    recs = code(text, "2021-03-01")
    assert [(t, m, s) for t, m, s, _ in _acts(recs)] == [("COERCE", "arrest", "JUD"), ("SANCTION", "convict", "JUD")]


@pytest.mark.parametrize("text", [
    "The court gave the blogger a suspended sentence.",
    "The court handed the trade unionist a suspended sentence.",
    "A Moscow court gave the activist a two-year suspended sentence.",
    "A court in Istanbul handed the academic a suspended 15-month prison term.",
    "A court sentenced the protester to a one-year suspended jail term.",
])
def test_a_suspended_sentence_convicts_and_jails_no_one(code, text):
    """A suspended sentence is a conviction (SANCTION/convict, the court its source) and no detention."""
    recs = code(text, "2021-03-01")
    assert [(r["event_type"], r["mode"], r["source"]["sector"]) for r in recs] == [("SANCTION", "convict", "JUD")]


@pytest.mark.parametrize("text, sector", [
    ("The Polish government cut funding to several NGOs that monitor the courts.", "SOC"),
    ("The government cut off funding to the state broadcaster.", "JRN"),
    ("The ministry slashed funding for the Central European University.", "EDU"),
    ("Canada paused its funding for UNRWA on Friday.", None),
    ("The European Union has cut funding to the Palestinian Authority.", "GOV"),
])
def test_funds_cut_to_a_body_that_is_no_state_sanction_it(code, text, sector):
    recs = code(text, "2021-03-01")
    assert [(r["event_type"], r["mode"]) for r in recs] == [("SANCTION", "discontinue")]
    assert recs[0]["target"] is not None and recs[0]["target"]["sector"] == sector


def test_supplies_cut_to_a_population_or_a_firm_s_own_budget_are_no_sanction(code):
    recs = code("The army cut power to the town.", "2021-03-01")
    assert [(r["event_type"], r["mode"]) for r in recs] == [("COERCE", "withhold")]
    recs = code("The rebels cut food supplies to the refugees.", "2021-03-01")
    assert "SANCTION" not in {r["event_type"] for r in recs}
    assert not code("The company cut funding for its research division.", "2021-03-01")
    assert not code("The government cut spending on health.", "2021-03-01")


@pytest.mark.parametrize("text", [
    "Security forces detained several members of the indigenous community.",
    "Soldiers detained the crew of the fishing boat.",
])
def test_those_detained_need_not_be_a_known_actor(code, text):
    recs = code(text, "2021-03-01")
    assert [(r["event_type"], r["mode"]) for r in recs] == [("COERCE", "arrest")]


def test_two_coercive_acts_of_one_author_are_two_events(code):
    recs = code("Officers searched the newspaper's offices and detained at least a dozen staff.", "2021-03-01")
    assert sorted((r["event_type"], r["mode"]) for r in recs) == [("COERCE", "arrest"), ("COERCE", "seize")]
    assert not code("The measures arrested the decline of the currency.", "2021-03-01")


def test_an_act_agreed_to_that_the_lexicon_does_not_code_leaves_the_agreement(code):
    recs = code("Putin agreed to release the second tranche of a Russian loan to Belarus.", "2021-05-28")
    assert [(r["event_type"], r["source"]["country"], r["target"]["country"]) for r in recs] == [("AGREE", "RUS", "BLR")]
    # an act the lexicon codes is still the event decided ("the decided act is coded instead")
    recs = code("The European Union agreed to impose sanctions on Belarus.", "2021-05-28")
    assert [r["event_type"] for r in recs] == ["SANCTION"]


@pytest.mark.parametrize("text, expected", [
    ("The Somali president agreed to meet the Kenyan president in Nairobi.", "AGREE"),
    ("Ethiopia agreed to provide humanitarian aid to Somalia.", "AGREE"),
    ("Kenya agreed to cooperate with Somalia on border security.", "AGREE"),
])
def test_what_a_party_agrees_to_do_is_a_commitment(code, text, expected):
    recs = code(text, "2021-05-28")
    assert recs and {r["event_type"] for r in recs} == {expected}


def test_an_act_only_possibly_agreed_to_stays_a_possible_act_and_a_retreat_agreed_to_a_retreat(code):
    recs = code("Kenya said it could agree to meet Somalia.", "2021-05-28")
    assert {(r["event_type"], r["modality"]["hypothetical"]) for r in recs} == {("CONSULT", True)}
    recs = code("Kenya agreed to withdraw its troops from Somalia.", "2021-05-28")
    assert [(r["event_type"], r["mode"]) for r in recs] == [("RETREAT", "withdraw")]


@pytest.mark.parametrize("text, mode", [
    ("Riot police fired tear gas on Saturday to disperse the marchers.", "crowd-control"),
    ("Soldiers fired several shots into the air near the polling station.", "firearms"),
    ("Security forces fired water cannon to break up the sit-in.", "crowd-control"),
])
def test_a_weapon_fired_needs_no_named_victim(code, text, mode):
    recs = code(text, "2021-03-01")
    assert [(r["event_type"], r["mode"]) for r in recs] == [("ASSAULT", mode)]


def test_firing_a_person_or_a_shot_at_goal_is_no_attack(code):
    for text in ("The manager fired the new employee on Monday.", "The striker fired a shot at goal."):
        assert "ASSAULT" not in {r["event_type"] for r in code(text, "2021-03-01")}, text


@pytest.mark.parametrize("text, expected", [
    ("Peru gave the Venezuelan diplomats 72 hours to leave the country.", ("SANCTION", "expel", "VEN")),
    ("Algeria gave Morocco's ambassador 48 hours to leave.", ("SANCTION", "expel", "MAR")),
    ("The army gave the villagers two days to leave their homes.", ("COERCE", "deport", None)),
])
def test_a_deadline_to_leave_expels_envoys_and_deports_others(code, text, expected):
    recs = code(text, "2021-03-01")
    assert [(r["event_type"], r["mode"], r["target"]["country"] if expected[2] else None) for r in recs] == [expected]


def test_a_deadline_for_another_act_stays_a_demand(code):
    recs = code("ECOWAS gave the Malian junta six months to hold elections.", "2021-03-01")
    assert [(r["event_type"], r["mode"]) for r in recs] == [("REQUEST", "change")]


@pytest.mark.parametrize("text", [
    "A Belgian court released the former minister on bail on Thursday.",
    "The former minister was released from custody on Monday.",
    "Police released the suspect without charge.",
])
def test_whoever_is_released_on_bail_from_custody_or_without_charge_is_freed(code, text):
    recs = code(text, "2021-03-01")
    assert [(r["event_type"], r["mode"]) for r in recs] == [("RETREAT", "release")]


def test_a_statement_or_an_album_released_frees_no_one(code):
    for text in ("The army released a statement on Monday.", "The band released a new album from prison."):
        assert not code(text, "2021-03-01"), text


@pytest.mark.parametrize("text", [
    "Managua has allowed Organization of American States observers into the country to watch the vote.",
    "The president allowed the Red Cross to operate in the north.",
    "The junta let UN staff reach the camps.",
])
def test_letting_in_observers_staff_or_an_aid_organisation_gives_access(code, text):
    recs = code(text, "2021-03-01")
    assert [(r["event_type"], r["mode"]) for r in recs] == [("RETREAT", "access")]


def test_letting_schools_reopen_or_a_party_register_gives_no_access(code):
    for text in ("The government allowed schools to reopen.", "The court allowed the opposition party to register."):
        assert not code(text, "2021-03-01"), text


@pytest.mark.parametrize("text", [
    "Turkey pulled its troops back from the Syrian border.",
    "Azerbaijan pulled its forces back from the disputed villages.",
])
def test_a_particle_after_the_object_is_the_verb_s_particle(code, text):
    # "pulled its troops back": the parser makes "back" an adverb after the object
    recs = code(text, "2021-03-01")
    assert [(r["event_type"], r["mode"]) for r in recs] == [("RETREAT", "withdraw")]



@pytest.mark.parametrize("text, target", [
    ("Croatian border guards forced the migrants back into Bosnia.", "REF"),
    ("Afghan asylum seekers were forced back over the fence.", "REF"),
    ("Greek police pushed the refugees back across the river.", "REF"),
    ("Hungarian police began turning back migrants trying to cross from Serbia.", "REF"),
])
def test_migrants_forced_pushed_or_turned_back_are_expelled(code, text, target):
    recs = code(text, "2021-03-01")
    assert [(r["event_type"], r["mode"], r["target"]["sector"]) for r in recs] == [("COERCE", "deport", target)]


def test_rebels_or_a_deadline_pushed_back_and_a_plane_turned_back_are_no_pushback(code):
    assert not code("The electoral commission pushed back the deadline.", "2021-03-01")
    recs = code("Colombia turned back two US military planes on Sunday.", "2021-03-01")
    assert [r["event_type"] for r in recs] == ["REJECT"]
    recs = code("The army pushed the rebels back from the town.", "2021-03-01")
    assert "COERCE" not in {r["event_type"] for r in recs}


@pytest.mark.parametrize("text", [
    "The ruling party expelled the vice-president from the party on Sunday.",
    "President Morales expelled USAID from Bolivia in 2013.",
])
def test_expelled_from_a_body_or_an_organisation_expelled_loses_its_standing(code, text):
    recs = code(text, "2021-03-01")
    assert [(r["event_type"], r["mode"]) for r in recs] == [("SANCTION", "expel")]


def test_people_expelled_from_a_country_are_deported(code):
    recs = code("The government expelled thousands of migrants from the country.", "2021-03-01")
    assert [(r["event_type"], r["mode"]) for r in recs] == [("COERCE", "deport")]


@pytest.mark.parametrize("text", [
    "The EU urged Minsk to end the violence and release all detainees.",
    "We call on the authorities to stop harassing reporters and to free every jailed journalist.",
    "The UN demanded that Russia stop the shelling and withdraw its troops.",
])
def test_every_act_of_a_coordinated_demand_is_only_asked_for(code, text):
    recs = code(text, "2021-03-01")
    assert [r["event_type"] for r in recs] == ["REQUEST"]


def test_a_finite_verb_after_a_demand_and_coordinated_denials_keep_their_own_frame(code):
    recs = code("The EU urged Minsk to release the detainees and called on Moscow to stay out.", "2021-03-01")
    assert [r["event_type"] for r in recs] == ["REQUEST", "REQUEST"]
    recs = code("Moscow denied attacking and shelling the town.", "2021-03-01")
    assert [(r["event_type"], r["modality"]["negated"]) for r in recs] == [("ASSAULT", True), ("ASSAULT", True)]


def test_a_year_in_a_relative_clause_on_a_participant_does_not_make_the_event_historical(code):
    # the lawyer's past ("who had represented him in 2019") is not the arrest's time
    recs = code("Police arrested a lawyer who had represented the opposition leader in 2019, officials said "
                "on Monday.", "2021-03-10")
    assert [(r["event_type"], r["modality"]["historical"]) for r in recs] == [("COERCE", False)]
    # a year of the act itself still does
    recs = code("Police arrested the opposition leader's lawyer in 2019.", "2021-03-10")
    assert [(r["event_type"], r["modality"]["historical"]) for r in recs] == [("COERCE", True)]


@pytest.mark.parametrize("text", [
    "Customs officers detained a shipment of weapons at the port.",
    "Border guards detained 200 kilograms of cocaine hidden in a truck.",
])
def test_goods_detained_are_no_arrest(code, text):
    assert not code(text, "2021-03-10"), text


def test_people_detained_with_goods_are_still_arrested(code):
    recs = code("Customs officers detained two smugglers with a shipment of weapons at the port.", "2021-03-10")
    assert [(r["event_type"], r["mode"]) for r in recs] == [("COERCE", "arrest")]


def test_a_court_dismissing_charges_refuses_no_one(code):
    for text in ("The court dismissed the charges against the opposition leader.",
                 "A judge in Minsk dismissed the charges against two journalists."):
        assert not [r for r in code(text, "2021-03-10") if r["event_type"] == "REJECT"], text
    recs = code("The ministry dismissed the accusations as groundless.", "2021-03-10")
    assert [r["event_type"] for r in recs] == ["REJECT"]


def test_a_sentence_handed_as_a_second_object_convicts(code):
    # "handed the blogger a three-year prison sentence": parsed as two objects, the second is what is given
    recs = code("A Moscow court handed the blogger a three-year prison sentence.", "2021-03-10")
    assert sorted((r["event_type"], r["mode"], r["source"]["country"]) for r in recs) == [
        ("COERCE", "arrest", "RUS"), ("SANCTION", "convict", "RUS")]
    assert not code("The president gave the army a free hand.", "2021-03-10")
