"""Eighth round of trigger recall: events the coder missed because the text says them without the
usual word (a crowd filling a square, chanting at a leader, "does not regard X as president",
a channel declared extremist, the internet switched off, units placed on combat readiness, hours
spent with detainees, a rally allowed to go ahead), each with the look-alikes that must stay
silent. Every sentence here was written for these tests."""
from __future__ import annotations

import pytest

from allegiance.events.lexicon import _load_lexicon


def types(records: list[dict]) -> list[str]:
    return sorted(r["event_type"] for r in records if not r["modality"]["negated"])


def of_type(records: list[dict], etype: str) -> list[dict]:
    return [r for r in records if r["event_type"] == etype and not r["modality"]["negated"]]


# -- 1. PROTEST: a crowd of ordinary people in a public space, or chanting at someone ------------

@pytest.mark.parametrize("text", [
    "Some 40,000 people filled Independence Square in the capital on Sunday evening.",
    "A crowd of several thousand packed the main avenue outside the parliament on Friday.",
    "Hundreds of women lined the main avenue holding white ribbons.",
    "About 300 students gathered outside the Ministry of Education on Friday.",
    "Hundreds more gathered outside the city hall in the evening.",
    'Hundreds of miners chanted "Go away!" at the governor during his visit to the pit.',
])
def test_a_crowd_in_a_public_space_or_chanting_at_a_leader_protests(code, text):
    recs = of_type(code(text, "2021-03-10"), "PROTEST")
    assert recs and recs[0]["mode"] == "demo", text


@pytest.mark.parametrize("text", [
    "Thousands of people lined the streets to welcome the pope on Sunday.",
    "Thousands of people filled the main square to celebrate the victory.",
    "Thousands of people filled the square for the Easter mass.",
    "Crowds lined the route of the funeral procession.",
    "Hundreds of people gathered outside the hospital to donate blood.",
    "Hundreds of students gathered outside the court to watch the verdict on a screen.",
    "Foreign ministers gathered in Brussels on Thursday.",
    "Fans filled the stadium for the final on Saturday.",
    "The children chanted the names of the footballers.",
])
def test_a_crowd_that_celebrates_mourns_or_watches_is_no_protest(code, text):
    assert not of_type(code(text, "2021-03-10"), "PROTEST"), text


# -- 2. REJECT / SUPPORT: regarding someone as the lawful leader --------------------------------

def test_not_regarding_someone_as_the_legitimate_president_rejects_him(code):
    recs = code("Canada does not regard Nicolas Maduro as the legitimate president of Venezuela.", "2019-02-01")
    rej = of_type(recs, "REJECT")
    assert rej and rej[0]["source"]["country"] == "CAN" and rej[0]["target"]["country"] == "VEN"


def test_regarding_a_state_as_an_ally_supports_it_but_regarding_it_as_a_rival_does_not(code):
    assert "SUPPORT" in types(code("Armenia regards Russia as its closest ally.", "2019-02-01"))
    recs = code("Armenia regards the new rules as a burden on its farmers.", "2019-02-01")
    assert not of_type(recs, "SUPPORT") and not of_type(recs, "REJECT")


# -- 3. COERCE: outlawing a channel or a group, switching off or throttling the internet --------

@pytest.mark.parametrize("text", [
    "A district court declared the opposition's Telegram channel extremist on Friday.",
    "The Interior Ministry recognised the opposition news site as extremist on Tuesday.",
])
def test_a_channel_declared_extremist_is_coerced(code, text):
    assert of_type(code(text, "2021-03-10"), "COERCE"), text


def test_being_declared_the_winner_or_recognised_as_a_leader_is_not_coercion(code):
    assert not of_type(code("The election commission declared the incumbent the winner on Monday.", "2021-03-10"), "COERCE")
    assert not of_type(code("France recognised the council as the legitimate representative of the Libyan people.",
                            "2011-03-10"), "COERCE")


@pytest.mark.parametrize("text", [
    "The government throttled mobile internet across the capital on election night.",
    "The authorities switched off the internet in three provinces on Monday.",
    "The government slowed down Twitter across the country.",
])
def test_the_internet_throttled_or_switched_off_is_withheld(code, text):
    recs = of_type(code(text, "2021-03-10"), "COERCE")
    assert recs and recs[0]["mode"] == "withhold", text


def test_switching_off_the_lights_or_an_engine_is_nothing(code):
    assert not of_type(code("The driver switched off the engine and slowed down the queue.", "2021-03-10"), "COERCE")


# -- 4. MOBILIZE: placed on combat readiness, redeployed ------------------------------------------

@pytest.mark.parametrize("text", [
    "The army placed its units on combat readiness on Monday.",
    "Two brigades were redeployed to the northern border on Tuesday.",
])
def test_units_put_on_readiness_or_redeployed_are_mobilised(code, text):
    assert of_type(code(text, "2021-03-10"), "MOBILIZE"), text


def test_placing_an_order_or_redeploying_staff_is_no_mobilisation(code):
    assert not of_type(code("The airline placed an order for twenty jets on Monday.", "2021-03-10"), "MOBILIZE")
    assert not of_type(code("The bank redeployed its accountants to the new office.", "2021-03-10"), "MOBILIZE")


# -- 5. CONSULT: hours spent with someone, a meal joined ----------------------------------------

def test_hours_spent_with_prisoners_or_breakfast_with_ministers_is_a_meeting(code):
    recs = of_type(code("The interior minister spent three hours with jailed opposition leaders at the prison.",
                        "2021-03-10"), "CONSULT")
    assert recs and recs[0]["target"] is not None
    assert of_type(code("The opposition leader joined European foreign ministers for breakfast in Brussels.",
                        "2021-03-10"), "CONSULT")


def test_hours_spent_on_a_task_or_a_meal_alone_is_no_meeting(code):
    assert not of_type(code("The minister spent three hours on the budget.", "2021-03-10"), "CONSULT")
    assert not of_type(code("The minister spent the weekend with a novel.", "2021-03-10"), "CONSULT")
    assert not of_type(code("The reporters joined the queue for breakfast.", "2021-03-10"), "CONSULT")


# -- 6. CONCEDE: a rally allowed to go ahead, air time granted ------------------------------------

@pytest.mark.parametrize("text", [
    "The city authorities allowed the opposition rally to go ahead on Saturday.",
    "The government agreed to let residents rally in the central square every evening.",
    "The electoral commission granted the opposition candidate air time on state television.",
])
def test_a_rally_allowed_or_air_time_granted_concedes(code, text):
    assert of_type(code(text, "2021-03-10"), "CONCEDE"), text


def test_allowing_trucks_or_granting_a_loan_is_no_concession_to_protesters(code):
    assert not of_type(code("The authorities allowed aid trucks to enter the city.", "2021-03-10"), "CONCEDE")
    assert not of_type(code("The bank granted the company a loan.", "2021-03-10"), "CONCEDE")


# -- 7. ASSAULT / THREATEN: weapons used against someone; announced by "we", a threat --------------

def test_live_ammunition_used_against_demonstrators_is_an_attack(code):
    recs = of_type(code("Soldiers used live ammunition against demonstrators in the capital.", "2021-03-10"), "ASSAULT")
    assert recs and recs[0]["source"]["sector"] == "MIL"


def test_we_will_use_weapons_against_them_is_a_threat_made_now(code):
    recs = code('Belarus\'s interior minister said on Monday: "We will use weapons against those who attack our officers."',
                "2020-10-12")
    assert [r["mode"] for r in of_type(recs, "THREATEN")] == ["violence"]
    assert not of_type(recs, "ASSAULT") or all((r.get("evidence") or {}).get("trigger") != "use" for r in of_type(recs, "ASSAULT"))


def test_using_force_on_a_door_or_a_weapon_as_a_word_is_nothing(code):
    assert not of_type(code("The doctor used force to open the door.", "2021-03-10"), "ASSAULT")
    assert not of_type(code("The company will use its weapons division to grow.", "2021-03-10"), "ASSAULT")


# -- the sense key that keeps celebrations out ---------------------------------------------------

def test_content_not_is_read_and_checked(tmp_path):
    f = tmp_path / "mine.yaml"
    f.write_text("verbs:\n  fill: {type: PROTEST, content_not: [celebrate, mass]}\n", encoding="utf-8")
    sense = _load_lexicon([f]).verbs["fill"][0]
    assert sense.content_not == frozenset({"celebrate", "mass"})


def test_a_crowd_that_rallies_chanting_a_name_protests_once_and_not_against_the_name(code):
    recs = of_type(code('Several thousand people rallied outside the regional parliament on Monday chanting "Navalny, our hero".',
                        "2021-03-10"), "PROTEST")
    assert len(recs) == 1 and (recs[0]["target"] or {}).get("name") != "Alexei Navalny"


# -- 8. an act announced in the agentless passive is the announcer's own ---------------------------

def test_detainees_who_will_be_freed_are_freed_by_the_minister_who_says_so(code):
    recs = of_type(code("Belarus's interior minister said on Monday that all the detainees will be released on Friday.",
                        "2020-08-14"), "CONCEDE")
    assert recs and recs[0]["source"]["sector"] == "GOV" and recs[0]["source"]["country"] == "BLR"


def test_a_release_reporters_expect_or_a_past_release_is_no_one_s_announcement(code):
    recs = code("Reporters said the detainees would be freed on Friday.", "2020-08-14")
    assert all(r["source"] is None or r["source"]["sector"] != "JRN" for r in recs)
    past = of_type(code("All the detainees were released on Friday, the interior minister said.", "2020-08-14"), "RETREAT")
    assert past and past[0]["source"] is None


@pytest.fixture(scope="module")
def hybrid():
    from allegiance.coder import Coder
    from allegiance.models import Document

    coder = Coder(engine="hybrid")
    return lambda text, published: coder.code(Document(id="t", text=text, published=published))


def test_no_negotiations_with_them_is_a_refusal_made_now(hybrid):
    # (the model reads "there will be no negotiations"; the refusal is made now, not negated)
    recs = hybrid("The government said there will be no negotiations with the strikers.", "2020-08-14")
    assert [r["modality"]["negated"] for r in recs if r["event_type"] == "REJECT"] == [False]


# -- 9. strikes called by unions, cases opened, troops back to barracks, roads blocked with vehicles --

@pytest.mark.parametrize("text", [
    "A three-day national stayaway called by the trade unions began on Monday.",
    "A nationwide stoppage called by the dockers' unions shut the ports on Tuesday.",
    "A general strike called by the teachers' unions closed most schools.",
])
def test_a_strike_called_by_unions_is_the_unions_strike(code, text):
    recs = of_type(code(text, "2021-03-10"), "PROTEST")
    assert recs and recs[0]["mode"] == "strike" and recs[0]["source"]["sector"] == "LAB", text


def test_an_attack_condemned_by_someone_is_not_theirs(code):
    recs = code("An attack condemned by the United Nations killed five villagers.", "2021-03-10")
    assert not [r for r in recs if r["event_type"] == "ASSAULT" and (r["source"] or {}).get("country") == "UNO"]


def test_a_criminal_case_opened_against_someone_investigates_them(code):
    recs = of_type(code("Police opened a criminal case against the blogger on Monday.", "2021-03-10"), "ACCUSE")
    assert recs and recs[0]["mode"] == "investigate" and recs[0]["target"] is not None
    assert not of_type(code("The museum opened a case of ancient coins to visitors.", "2021-03-10"), "ACCUSE")


def test_troops_back_to_barracks_withdraw_and_announced_it_concedes(code):
    assert [r["mode"] for r in of_type(code("The soldiers returned to barracks on Friday.", "2021-03-10"), "RETREAT")] == ["withdraw"]
    assert of_type(code("The army said its soldiers would return to barracks by Friday.", "2021-03-10"), "CONCEDE")
    assert not code("The soldiers returned home after the parade.", "2021-03-10")


def test_vehicles_parked_across_a_road_block_it_but_a_minister_s_car_does_not(code):
    recs = of_type(code("Dozens of farmers parked their tractors across the highway on Tuesday.", "2021-03-10"), "PROTEST")
    assert recs and recs[0]["mode"] == "obstruct"
    assert not of_type(code("The minister parked his car across the road.", "2021-03-10"), "PROTEST")


def test_migrants_hemmed_in_by_guards_are_restricted(code):
    recs = of_type(code("About 200 migrants were hemmed in by border guards at the frontier.", "2021-03-10"), "COERCE")
    assert recs and recs[0]["mode"] == "restrict"


def test_a_strike_word_describing_another_noun_is_no_strike(code):
    recs = code("Police in Harare arrested a pastor on Monday over his stayaway videos.", "2016-07-10")
    assert not of_type(recs, "PROTEST") and of_type(recs, "COERCE")


# -- 10. a rally broken up, charges filed ----------------------------------------------------------

def test_police_breaking_up_a_rally_disperse_it_but_a_band_breaking_up_does_nothing(code):
    recs = of_type(code("Riot police broke up the opposition rally outside the parliament on Sunday.", "2021-03-10"), "ASSAULT")
    assert [r["mode"] for r in recs] == ["crowd-control"]
    assert not code("The band broke up after the tour.", "2021-03-10")
    assert not of_type(code("The police broke up a gang of car thieves.", "2021-03-10"), "ASSAULT")


def test_charges_filed_against_someone_accuse_them_but_a_charge_for_a_visa_does_not(code):
    recs = of_type(code("Prosecutors filed charges against the opposition leader on Monday.", "2021-03-10"), "ACCUSE")
    assert recs and recs[0]["target"] is not None
    assert not of_type(code("The minister is in charge of the security forces.", "2021-03-10"), "ACCUSE")


# -- 11. troops or helicopters sent to help someone do something aid them --------------------------

def test_troops_sent_to_help_a_government_restore_order_aid_it(code):
    recs = of_type(code("Russia sent troops to help the Kazakh government restore order.", "2022-01-06"), "AID")
    assert recs and recs[0]["source"]["country"] == "RUS" and recs[0]["target"]["country"] == "KAZ"
    recs = of_type(code("South Africa's army sent two helicopters to help Mozambican rescuers reach the villages.",
                        "2021-03-10"), "AID")
    assert recs and recs[0]["target"]["country"] == "MOZ"


def test_troops_sent_to_help_stop_smugglers_aid_no_one(code):
    assert not of_type(code("The army sent troops to the border to help stop smugglers.", "2021-03-10"), "AID")


# -- 12. beaten in custody ------------------------------------------------------------------------

def test_detainees_beaten_in_custody_are_assaulted_but_a_champion_beaten_in_the_final_is_not(code):
    recs = of_type(code("Several detainees were beaten during interrogation, their lawyers said.", "2021-03-10"), "ASSAULT")
    assert [r["mode"] for r in recs] == ["beat"]
    assert not of_type(code("The champion was beaten in the final.", "2021-03-10"), "ASSAULT")


def test_a_budget_voted_down_is_rejected_but_a_vote_on_it_is_not(code):
    recs = of_type(code("The opposition parties voted down the government's budget on Wednesday.", "2021-03-10"), "REJECT")
    assert recs and recs[0]["source"]["sector"] == "OPP"
    assert not of_type(code("The committee voted on the budget on Wednesday.", "2021-03-10"), "REJECT")
