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
