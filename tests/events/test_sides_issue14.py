"""Issue 14 (sides on the bundled examples): an offer to mediate is the mediation it offers (not
an agreement with each party, nor between the mediators); forces that link up fight together; a
legislature the story calls opposition-controlled is the opposition, in every mention of it."""
from __future__ import annotations

import pytest


def of_type(records, etype):
    return [r for r in records if r["event_type"] == etype and not r["modality"]["negated"]]


def dyads(records, etype=None):
    return {(r["source"]["name"] or r["source"]["country"] + "/" + str(r["source"]["sector"]),
             r["target"]["name"] or r["target"]["country"] + "/" + str(r["target"]["sector"]))
            for r in records if r["source"] and r["target"] and (etype is None or r["event_type"] == etype)}


def test_offer_to_mediate_is_a_future_offer_to_each_party(code):
    recs = code("Turkey offered to mediate between Russia and Ukraine.", "2022-03-01")
    assert dyads(recs) == {("Turkey", "Russia"), ("Turkey", "Ukraine")}
    assert all(r["modality"]["future"] for r in recs)
    assert all(r["evidence"]["trigger"] == "mediate" for r in recs)


def test_offered_talks_are_no_talks_between_the_parties_yet(code):
    recs = code("Qatar offered to host talks between Israel and Hamas.", "2023-11-01")
    assert ("Israel", "Hamas") not in dyads(recs) and ("Hamas", "Israel") not in dyads(recs)
    assert {("Qatar", "Israel"), ("Qatar", "Hamas")} <= dyads(recs)


def test_an_offer_of_other_things_stays_an_agreement(code):
    recs = code("Germany offered to send tanks to Ukraine.", "2023-01-20")
    assert of_type(recs, "AGREE")


@pytest.mark.parametrize("text", [
    "Rebel fighters linked up with the Free Syrian Army near Aleppo.",
    "Tigrayan forces said they were linking up with OLA fighters advancing from the west.",
])
def test_forces_that_link_up_cooperate(code, text):
    assert of_type(code(text, "2021-11-05"), "COOPERATE"), text


def test_a_company_that_links_up_is_no_military_cooperation(code):
    assert not of_type(code("The company linked up with Google to offer the service.", "2021-11-05"), "COOPERATE")


def test_opposition_controlled_legislature_is_the_opposition(code):
    text = ("Guaido, the head of the opposition-controlled National Assembly, declared himself acting "
            "president. The EU fully supported the National Assembly.")
    sup = [r for r in of_type(code(text, "2019-01-24"), "SUPPORT") if r["source"]["name"] == "European Union"]
    assert sup and sup[0]["target"]["sector"] == "OPP"


def test_a_legislature_alone_stays_the_state_legislature(code):
    sup = of_type(code("The EU fully supported the National Assembly.", "2019-01-24"), "SUPPORT")
    assert sup and sup[0]["target"]["sector"] == "LEG"


def test_a_judged_coup_targets_its_makers(code):
    recs = code("The coup in Niger alarmed the region. Yevgeny Prigozhin welcomed the coup in a message.", "2023-08-02")
    sup = of_type(recs, "SUPPORT")
    assert sup and sup[0]["target"]["country"] == "NER" and sup[0]["target"]["sector"] == "MIL"
    acc = of_type(code("ECOWAS condemned the coup in Niger.", "2023-08-02"), "ACCUSE")
    assert acc and acc[0]["target"]["country"] == "NER"


def test_a_coup_of_no_known_country_has_no_target(code):
    acc = of_type(code("The African Union condemned the coup.", "2023-08-02"), "ACCUSE")
    assert acc and acc[0]["target"] is None


def test_not_applying_anothers_measures_rejects_them(code):
    text = ("The Economic Community of West African States suspended all transactions with Niger. "
            "Guinea's military government said it would not apply the measures.")
    rej = [r for r in of_type(code(text, "2023-08-02"), "REJECT") if r["source"]["name"] == "Guinea"]
    assert rej and rej[0]["target"]["name"] == "ECOWAS" and rej[0]["mode"] == "change"


def test_a_flattened_coordination_of_states_gives_each_state(code):
    text = ("The bloc suspended all transactions with Niger. In a joint statement, the governments of "
            "Mali and Burkina Faso said they rejected the sanctions.")
    srcs = {r["source"]["name"] for r in of_type(code(text, "2023-08-02"), "REJECT")}
    assert {"Mali", "Burkina Faso"} <= srcs


def test_an_offer_to_host_exercises_is_no_mediation(code):
    recs = code("Lukashenko offered to host more exercises with Russian troops on Belarusian soil.", "2020-09-14")
    agree = of_type(recs, "AGREE")
    assert agree and agree[0]["target"]["country"] == "RUS"
    assert not of_type(recs, "CONSULT")


def test_an_act_noun_named_with_its_author_refers_to_that_author(code):
    text = ("Pashinyan said Armenia's armed forces had not taken part in the fighting. Turkish President "
            "Tayyip Erdogan said Ankara supported the steps taken by Azerbaijan to protect its territorial integrity.")
    sup = [r for r in of_type(code(text, "2023-09-22"), "SUPPORT") if r["source"]["name"] == "Turkey"]
    assert sup and sup[0]["target"]["name"] == "Azerbaijan"
