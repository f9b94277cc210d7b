"""Precision mends for the round-8 senses (review 9): each look-alike the reviewer found, and the
sound positive it must leave alone."""
from __future__ import annotations

import pytest


def of_type(records, etype):
    return [r for r in records if r["event_type"] == etype and not r["modality"]["negated"]]


# -- 1. crowds: mourners, marathon runners, people on an errand, fans chanting at a player --------

@pytest.mark.parametrize("text", [
    "Thousands of mourners lined the streets of Tehran.",
    "Hundreds of residents lined the road as the hearse carrying the former president passed.",
    "Thousands of people packed the main square in Madrid on New Year's Eve.",
    "Crowds lined the avenue to catch a glimpse of the royal couple.",
    "Hundreds of students gathered outside the ministry to collect their exam certificates.",
    "Hundreds of people gathered outside the embassy to apply for visas on Monday.",
    "Thousands of people filled the streets of Berlin for the annual marathon.",
    "Thousands of people lined the streets of Kathmandu as the king's body was carried to the cremation ground.",
    "Thousands of people packed the main avenue for the Black Friday sales.",
    "Residents filled the streets of Valencia with buckets and shovels as the floodwaters receded.",
    "The crowd chanted at the Brazilian striker throughout the second half.",
    "The children chanted at the top of their voices.",
])
def test_crowds_that_are_no_demonstration(code, text):
    assert not of_type(code(text, "2021-03-10"), "PROTEST"), text


@pytest.mark.parametrize("text", [
    "Hundreds of villagers gathered outside the governor's office to demand compensation for their flooded fields.",
    "Thousands of residents filled the central square of Tbilisi on Sunday demanding the government's resignation.",
])
def test_crowds_that_demand_still_protest(code, text):
    assert of_type(code(text, "2021-03-10"), "PROTEST"), text


# -- 6. redeploy: troops, not funds, teachers or nurses ------------------------------------------

@pytest.mark.parametrize("text", [
    "The government redeployed teachers to rural schools to ease the shortage.",
    "The ministry redeployed funds from defence to health care.",
    "Hospitals redeployed nurses to the coronavirus wards.",
])
def test_redeploying_civilians_or_money_is_no_mobilisation(code, text):
    assert not of_type(code(text, "2021-03-10"), "MOBILIZE"), text


def test_redeploying_battalions_mobilises(code):
    assert of_type(code("The army redeployed two battalions from the capital to the eastern front on Tuesday.",
                        "2021-03-10"), "MOBILIZE")


# -- 7. letting troops or a band march is no concession to protesters ----------------------------

@pytest.mark.parametrize("text", [
    "The government allowed the army to march on the rebel stronghold.",
    "The defence ministry allowed troops to demonstrate their new equipment at the parade.",
    "The city authorities let the brass band march through the old town for the festival.",
])
def test_letting_troops_or_a_band_march_is_no_concession(code, text):
    assert not of_type(code(text, "2021-03-10"), "CONCEDE"), text


def test_police_allowing_a_vigil_concede(code):
    assert of_type(code("Police in Hong Kong allowed the candlelight vigil to go ahead in Victoria Park.", "2021-03-10"),
                   "CONCEDE")


# -- 8. regard: only legitimacy or alliance ------------------------------------------------------

@pytest.mark.parametrize("text", [
    "Analysts regard the president as the leader most likely to win.",
    "The president regards the army chief as a friend from his school days.",
    "The party does not regard the former president as a friend of the working class.",
])
def test_regarding_as_a_leader_or_a_friend_is_nothing(code, text):
    recs = code(text, "2021-03-10")
    assert not of_type(recs, "SUPPORT") and not of_type(recs, "REJECT"), text


# -- 9. extremist: an organisation, not views or demands -----------------------------------------

@pytest.mark.parametrize("text", [
    "The interior minister declared the opposition's demands extremist.",
    "The prosecutor declared the suspect's views extremist during the trial.",
])
def test_views_or_demands_called_extremist_are_no_coercion(code, text):
    assert not of_type(code(text, "2021-03-10"), "COERCE"), text


def test_a_foundation_declared_extremist_is_restricted(code):
    assert of_type(code("A Moscow court declared Alexei Navalny's anti-corruption foundation extremist on Wednesday.",
                        "2021-06-10"), "COERCE")


# -- 10. return to base is routine ---------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "The rescue helicopter returned to base after the search was called off.",
    "The peacekeepers returned to base after a routine patrol.",
    "The warplanes returned to base after the strikes.",
])
def test_returning_to_base_is_no_withdrawal(code, text):
    assert not of_type(code(text, "2021-03-10"), "RETREAT"), text


# -- 11. use force: armed actors ------------------------------------------------------------------

def test_a_regulator_using_its_force_attacks_nobody(code):
    assert not of_type(code("The regulator used its full force against the banks that broke the rules.", "2021-03-10"),
                       "ASSAULT")
    assert of_type(code("Riot police used force against striking miners near Rustenburg on Friday.", "2021-03-10"),
                   "ASSAULT")


# -- 12. break up, slow, spend ---------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "Police broke up a wedding gathering that breached the coronavirus rules.",
    "Police broke up the meeting of the book club after a noise complaint.",
])
def test_breaking_up_a_party_or_a_club_is_no_crowd_control(code, text):
    assert not of_type(code(text, "2021-03-10"), "ASSAULT"), text


def test_slowing_a_rollout_is_no_throttling(code):
    assert not of_type(code("The government slowed the rollout of broadband in rural areas.", "2021-03-10"), "COERCE")


@pytest.mark.parametrize("text", [
    "The chief executive spent three hours with investors in New York on Monday.",
    "The prince spent the afternoon with schoolchildren in Cardiff.",
])
def test_hours_spent_by_a_businessman_or_a_prince_is_no_meeting(code, text):
    assert not of_type(code(text, "2021-03-10"), "CONSULT"), text


def test_hours_spent_by_two_leaders_is_a_meeting(code):
    assert of_type(code("Biden spent an hour with Xi Jinping on the sidelines of the summit in Bali.", "2022-11-14"),
                   "CONSULT")


# -- 13. catalog people are not found by a bare surname ---------------------------------------------

def test_a_tennis_player_named_almagro_is_no_secretary_general(code):
    recs = code("Nicolas Almagro accused the umpire of bias after losing in Madrid.", "2019-05-10")
    assert not any((r["source"] or {}).get("country") == "IGO" for r in recs)


# -- 2. troops sent to a state "to help" do something help no host state --------------------------

def test_troops_sent_to_a_state_to_help_protect_others_aid_no_host(code):
    recs = code("Russia sent troops to Ukraine to help protect Russian speakers, the Kremlin said.", "2022-02-24")
    assert not of_type(recs, "AID")
    assert of_type(recs, "MOBILIZE")


def test_troops_sent_to_help_a_named_government_aid_it(code):
    recs = of_type(code("Russia sent troops to help the Kazakh government restore order.", "2022-01-06"), "AID")
    assert recs and recs[0]["target"]["country"] == "KAZ"


# -- 3. an agentless future passive is the speaker's only when the speaker holds them ---------------

@pytest.mark.parametrize("text", [
    "Qatar's foreign ministry said the hostages will be released.",
    "The US State Department said Iranian protesters will be executed unless the world acts.",
    "Human rights lawyers said the detainees will be freed only after the election.",
])
def test_an_outsider_announcing_what_others_will_do_is_no_actor(code, text):
    recs = code(text, "2023-11-20")
    assert all(r["source"] is None for r in recs if r["event_type"] in ("CONCEDE", "THREATEN", "ASSAULT")), text


# -- 4. "most of them" after a seizure: the captives, never the captors ----------------------------

@pytest.mark.parametrize("text", [
    "Kidnappers seized 20 villagers on Sunday. Police freed most of them on Tuesday.",
    "The rebels held 40 hostages in the jungle. Soldiers freed 30 of them on Tuesday.",
])
def test_a_share_of_them_after_a_seizure_is_of_the_captives(code, text):
    recs = of_type(code(text, "2021-03-10"), "RETREAT")
    assert recs and recs[0]["target"]["sector"] == "CVL", text


def test_a_share_of_them_after_a_march_is_of_the_marchers(code):
    recs = of_type(code("Hundreds of miners marched on the mine offices in Marikana. Police shot dozens of them.",
                        "2012-08-16"), "ASSAULT")
    assert recs and recs[0]["target"]["sector"] == "LAB"


# -- 5. a court named by its city: an apposed state or country, homonyms, international seats ------

@pytest.mark.parametrize("text,wrong", [
    ("A court in Birmingham, Alabama, sentenced the former mayor to ten years in prison.", "GBR"),
    ("A court in Hyderabad, in Pakistan's Sindh province, sentenced a cleric to death for blasphemy.", "IND"),
    ("A federal court in Alexandria, Virginia, sentenced the former official to 12 years in prison.", "EGY"),
    ("Judges in Strasbourg ordered Russia to pay compensation to the family.", "FRA"),
])
def test_a_court_is_not_of_a_homonym_city_or_an_international_seat(code, text, wrong):
    recs = code(text, "2021-03-10")
    assert recs and all((r["source"] or {}).get("country") != wrong for r in recs), text


@pytest.mark.parametrize("text,country", [
    ("A Harare magistrate on Friday freed the opposition activist on bail.", "ZWE"),
    ("A court in Schleswig freed Carles Puigdemont on bail.", "DEU"),
])
def test_a_court_named_by_its_city_is_its_state(code, text, country):
    recs = code(text, "2018-04-06")
    assert recs and recs[0]["source"]["country"] == country


def test_a_catalogued_surname_after_another_first_name_is_another_person(code):
    recs = code("Spanish police arrested Carlos Torra, a Barcelona businessman, on fraud charges.", "2019-05-10")
    assert recs and all((r["target"] or {}).get("sector") != "GOV" for r in recs)
    recs = code("Torra has condemned the rioting but accuses Madrid of inflaming tensions.", "2019-10-16")
    assert any((r["source"] or {}).get("country") == "ESP" and (r["source"] or {}).get("sector") == "GOV" for r in recs)


# -- 12. a charge led is no legal charge; a stoppage called off is no strike called ---------------

def test_leading_a_charge_is_no_accusation(code):
    assert not of_type(code("The Light Brigade led a charge against the Russian guns at Balaclava.", "2021-03-10"), "ACCUSE")
    assert of_type(code("Prosecutors brought charges against the opposition leader on Monday.", "2021-03-10"), "ACCUSE")


def test_a_stoppage_called_off_by_the_unions_is_no_strike(code):
    assert not of_type(code("Play resumed after a stoppage called off by the unions.", "2021-03-10"), "PROTEST")


def test_troops_sent_to_a_host_that_asked_for_them_aid_it(code):
    recs = of_type(code("A small team of British Army engineers has been deployed to Poland at the request of the Polish "
                        "government to help reinforce the border with Belarus.", "2021-11-19"), "AID")
    assert recs and recs[0]["target"]["country"] == "POL"


def test_a_catalogued_surname_after_an_honorific_is_still_the_catalogued_person(code):
    recs = of_type(code("I met Madame Tsikhanouskaya this morning, Macron said.", "2020-09-29"), "CONSULT")
    assert recs and any((r["target"] or {}).get("country") == "BLR" for r in recs)


def test_a_media_regulator_slowing_twitter_withholds(code):
    assert of_type(code("Russia's media regulator slowed down Twitter on Wednesday.", "2021-03-10"), "COERCE")
