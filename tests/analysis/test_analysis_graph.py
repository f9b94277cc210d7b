"""Signed graph: actor keys, modality filter, certainty, de-duplication, decay, direction."""
from __future__ import annotations

import itertools

import pytest

from allegiance.analysis.graph import (actor_key, baseline_signs, build_graph, ends_hostilities,
                                       event_score)

_ids = itertools.count()


def actor(name, country, sector=None):
    return {"text": name or "", "name": name, "country": country, "sector": sector, "id": None}


def ev(etype, src, tgt, date="2020-05-01", *, doc=None, mode=None, certainty=1.0,
       negated=False, hypothetical=False, future=False, goldstein=None):
    i = next(_ids)
    return {"event_id": f"g{i}", "doc_id": doc or f"doc{i}", "event_type": etype, "mode": mode,
            "goldstein": goldstein, "source": src, "target": tgt, "date": date,
            "modality": {"negated": negated, "hypothetical": hypothetical, "future": future,
                         "historical": False},
            "certainty": certainty, "evidence": {"text": "x"}}


ARMY = actor("Syria", "SYR", "MIL")
MINISTER = actor("Some Minister", "SYR", "GOV")
REBELS = actor(None, "SYR", "REB")
GROUP = actor("Hezbollah", "LBN", "REB")
RUSSIA = actor("Russia", "RUS", "MIL")
IRAN = actor("Iran", "IRN", "GOV")


def test_entity_level_rolls_state_agents_up_and_keeps_named_groups():
    assert actor_key(ARMY).key == actor_key(MINISTER).key == "SYR||"
    assert actor_key(MINISTER).label == "Syria"
    assert actor_key(GROUP).key == "LBN|REB|Hezbollah"
    k = actor_key(REBELS)
    assert (k.key, k.name, k.label) == ("SYR|REB|", None, "Syria rebels")
    assert actor_key(actor("EU official", "EUR", None)).label == "European Union"
    assert actor_key(actor(None, "IMG", "REB")).key == "IMG|REB|"
    assert actor_key(None) is None


def test_sector_and_country_levels():
    assert actor_key(ARMY, "sector").key != actor_key(MINISTER, "sector").key
    assert actor_key(REBELS, "country").key == actor_key(ARMY, "country").key == "SYR"
    assert actor_key(actor("ECOWAS", "IGO"), "country").key == "IGO||ECOWAS"
    with pytest.raises(ValueError):
        actor_key(ARMY, "planet")


def test_actor_with_neither_name_nor_sector_is_not_the_state():
    somewhere = actor(None, "SYR", None)  # e.g. a town read as the target
    assert actor_key(somewhere) is None and actor_key(somewhere, "sector") is None
    assert actor_key(somewhere, "country").key == "SYR"
    assert actor_key(actor("Syria", "SYR", None)).key == "SYR||"  # a named country is
    g = build_graph([ev("ASSAULT", RUSSIA, somewhere), ev("ASSAULT", RUSSIA, REBELS)])
    assert set(g.edges) == {("RUS||", "SYR|REB|")}


def test_negated_and_hypothetical_events_do_not_count():
    g = build_graph([ev("ASSAULT", RUSSIA, REBELS, negated=True),
                     ev("ASSAULT", RUSSIA, IRAN, hypothetical=True)])
    assert g.edges == {}
    assert g.nodes == {}


def test_future_counts_little_and_certainty_scales():
    now = build_graph([ev("AID", IRAN, ARMY)]).edges[("IRN||", "SYR||")]
    fut = build_graph([ev("AID", IRAN, ARMY, future=True)]).edges[("IRN||", "SYR||")]
    half = build_graph([ev("AID", IRAN, ARMY, certainty=0.5)]).edges[("IRN||", "SYR||")]
    assert fut.pos == pytest.approx(0.25 * now.pos)
    assert half.pos == pytest.approx(0.5 * now.pos)


def test_story_dedup_across_mentions_and_mirrored_pairs():
    recs = [ev("ASSAULT", RUSSIA, REBELS, doc="a"), ev("ASSAULT", RUSSIA, REBELS, doc="b"),
            ev("CONSULT", IRAN, RUSSIA), ev("CONSULT", RUSSIA, IRAN)]
    g = build_graph(recs)
    strike = g.edges[("RUS||", "SYR|REB|")]
    assert strike.n_events == 1
    assert set(strike.evidence()) == {recs[0]["event_id"], recs[1]["event_id"]}
    talks = g.edges[("IRN||", "RUS||")]
    assert talks.n_events == 1  # mirrored records are one story when symmetrised
    assert g.directed[("IRN||", "RUS||")].n_events == 1
    assert g.directed[("RUS||", "IRN||")].n_events == 1


def test_cooperation_and_conflict_kept_apart():
    recs = [ev("AID", IRAN, ARMY, "2020-05-01"), ev("ACCUSE", ARMY, IRAN, "2020-05-02")]
    d = build_graph(recs).edges[("IRN||", "SYR||")]
    assert d.pos > 0 and d.neg > 0
    assert d.evidence() == [recs[0]["event_id"], recs[1]["event_id"]]
    assert -1 < d.score() < 1


def test_direction_kept():
    g = build_graph([ev("ASSAULT", RUSSIA, REBELS)])
    assert ("RUS||", "SYR|REB|") in g.directed
    assert ("SYR|REB|", "RUS||") not in g.directed


def test_half_life_decay_and_window():
    recs = [ev("AID", IRAN, ARMY, "2020-05-01"), ev("AID", RUSSIA, ARMY, "2020-05-11")]
    g = build_graph(recs, half_life_days=10, until="2020-05-11")
    assert g.edges[("IRN||", "SYR||")].pos == pytest.approx(0.5 * g.edges[("RUS||", "SYR||")].pos)
    g2 = build_graph(recs, since="2020-05-05")
    assert list(g2.edges) == [("RUS||", "SYR||")]


def test_scores_goldstein_then_plover():
    rec = ev("ASSAULT", RUSSIA, REBELS, mode="aerial", goldstein=-10.0)
    assert event_score(rec) == -10.0
    assert event_score(rec, "plover") == -9.5
    assert event_score(ev("AID", IRAN, ARMY)) == 10.0


def test_deescalation_is_a_weak_conflict_signal_by_default():
    rec = [ev("RETREAT", REBELS, ARMY, mode="release")]
    adversarial = build_graph(rec).edges[("SYR|REB|", "SYR||")]
    assert adversarial.neg > 0 and adversarial.pos == 0
    assert build_graph(rec, deescalation="cooperative").edges[("SYR|REB|", "SYR||")].pos > 0


def _said(rec, text, trigger):
    i = text.index(trigger)
    rec["evidence"] = {"text": text, "trigger": trigger, "trigger_start": i,
                       "trigger_end": i + len(trigger)}
    return rec


def test_agreeing_to_stop_fighting_presupposes_adversaries():
    truce = _said(ev("AGREE", ARMY, REBELS), "The army and the rebels agreed to a truce "
                  "around the city.", "agreed")
    swap = _said(ev("AGREE", ARMY, REBELS), "Both sides agreed to swap 40 prisoners.",
                 "agreed")
    trade = _said(ev("AGREE", IRAN, ARMY), "Tehran and Damascus agreed to expand trade.",
                  "agreed")
    hosted = _said(ev("CONSULT", IRAN, ARMY, mode="third-party"),
                   "Iran hosted ceasefire talks.", "hosted")
    assert [ends_hostilities(r) for r in (truce, swap, trade, hosted)] == \
        [True, True, False, False]
    g = build_graph([truce, swap, trade])
    assert g.edges[("SYR|REB|", "SYR||")].neg > 0 and g.edges[("SYR|REB|", "SYR||")].pos == 0
    assert g.edges[("IRN||", "SYR||")].pos > 0
    coop = build_graph([truce], deescalation="cooperative")
    assert coop.edges[("SYR|REB|", "SYR||")].pos > 0


def test_denied_claim_in_same_document_is_contested():
    claim = ev("AID", IRAN, ARMY, doc="d")
    denial = ev("AID", IRAN, ARMY, doc="d", negated=True)
    full = build_graph([claim]).edges[("IRN||", "SYR||")].pos
    assert build_graph([claim, denial]).edges[("IRN||", "SYR||")].pos == pytest.approx(0.5 * full)


def test_self_loops_and_missing_targets_dropped():
    g = build_graph([ev("ACCUSE", MINISTER, ARMY), ev("MOBILIZE", ARMY, None)])
    assert g.edges == {}


def test_baseline_sums_goldstein_without_dedup():
    recs = [ev("AID", IRAN, ARMY, goldstein=7.0), ev("AID", IRAN, ARMY, goldstein=7.0),
            ev("ACCUSE", IRAN, ARMY, goldstein=-2.0, negated=True)]
    assert baseline_signs(recs) == {("IRN||", "SYR||"): 14.0}


def test_to_networkx():
    g = build_graph([ev("AID", IRAN, ARMY), ev("ASSAULT", RUSSIA, REBELS)])
    und = g.to_networkx()
    assert und.number_of_edges() == 2
    assert und["IRN||"]["SYR||"]["weight"] > 0
    assert g.to_networkx(directed=True).has_edge("RUS||", "SYR|REB|")


def test_flattened_store_rows_accepted():
    from datetime import date

    from allegiance.analysis.graph import as_record

    rec = ev("ASSAULT", RUSSIA, REBELS)
    flat = {k: v for k, v in rec.items() if k not in ("source", "target", "modality")}
    for side in ("source", "target"):
        for f, v in rec[side].items():
            flat[f"{side}_{f}"] = v
    flat.update({"modality_negated": False, "modality_hypothetical": False,
                 "date": date(2020, 5, 1)})
    assert as_record(flat)["date"] == "2020-05-01"
    assert list(build_graph([flat]).edges) == list(build_graph([rec]).edges)


def test_descriptor_affiliation_is_a_weak_positive_story():
    houthis = {**actor("Houthis", "YEM", "REB"),
               "affiliations": [{"relation": "backed", "name": "Iran", "country": "IRN", "sector": None}]}
    g = build_graph([ev("ASSAULT", houthis, actor("Saudi Arabia", "SAU", "GOV"))])
    dy = g.edges[tuple(sorted(("IRN||", "YEM|REB|Houthis")))]
    assert dy.pos > 0 and dy.neg == 0
    assert [s.event_type for s in dy.stories] == ["DESCRIPTOR"]
    aid = build_graph([ev("AID", IRAN, actor("Houthis", "YEM", "REB"))])
    assert dy.pos < aid.edges[tuple(sorted(("IRN||", "YEM|REB|Houthis")))].pos  # weaker than aid
    off = build_graph([ev("ASSAULT", houthis, actor("Saudi Arabia", "SAU", "GOV"))], descriptor_weight=0)
    assert tuple(sorted(("IRN||", "YEM|REB|Houthis"))) not in off.edges


def test_descriptor_of_a_negated_event_still_counts():
    militia = {**actor(None, "IRQ", "REB"),
               "affiliations": [{"relation": "backed", "name": "Iran", "country": "IRN", "sector": None}]}
    g = build_graph([ev("AID", militia, ARMY, negated=True)])  # the denied aid is no edge
    assert set(g.edges) == {tuple(sorted(("IRN||", "IRQ|REB|")))}


def test_a_request_for_support_is_not_read_as_conflict():
    # every request maps to CAMEO 10 DEMAND (Goldstein -5): the graph scores requests by PLOVER mode
    ask = ev("REQUEST", actor("Lithuania", "LTU", "GOV"), actor("European Union", "EUR"), mode="assist",
             goldstein=-5.0)
    assert event_score(ask) > 0
    demand = ev("REQUEST", IRAN, RUSSIA, mode="change", goldstein=-5.0)
    assert event_score(demand) < 0
    assert event_score(ev("AID", IRAN, RUSSIA, goldstein=7.4)) == 7.4


def test_a_pro_government_paramilitary_is_tied_to_its_state():
    wagner = actor("Wagner Group", "RUS", "PRM")
    g = build_graph([ev("AID", wagner, actor("Mali", "MLI", "MIL"))])
    dy = g.edges[tuple(sorted(("RUS||", "RUS|PRM|Wagner Group")))]
    assert dy.pos > 0 and [s.event_type for s in dy.stories] == ["DESCRIPTOR"]
    # rebels of a country are not: REB is not PRM
    g = build_graph([ev("ASSAULT", actor("M23", "COD", "REB"), ARMY)])
    assert tuple(sorted(("COD||", "COD|REB|M23"))) not in g.edges


def test_a_person_who_leads_an_organisation_is_tied_to_it(code):
    """The coder names the organisation a person leads (catalog role ``org``) as an affiliation;
    the graph reads it as a weak descriptor tie, so the commander and his army share a side."""
    from allegiance.analysis.sides import sides_report

    recs = code("Turkish drones struck Haftar's positions south of Tripoli. Fighters of the Libyan National "
                "Army withdrew from the airport on Sunday after Turkish drone strikes on the LNA.", "2020-05-20")
    haftar = [r["target"] for r in recs if (r["target"] or {}).get("name") == "Khalifa Haftar"]
    assert haftar and haftar[0]["affiliations"][0]["name"] == "Libyan National Army"
    rep = sides_report(recs)
    where = {m["actor"]["name"]: s["id"] for s in rep["sides"] for m in s["members"]}
    assert where.get("Khalifa Haftar") is not None and where.get("Khalifa Haftar") == where.get("Libyan National Army")


def test_a_demand_to_yield_is_conflict_that_outweighs_one_phone_call():
    # a demand that the target stop, withdraw or release (REQUEST yield) is coercive diplomacy:
    # with one phone call on the same dyad the tie is still a conflict; a call for a policy
    # change stays a weak signal the call outweighs
    oman, chad = actor("Oman", "OMN", "GOV"), actor("Chad", "TCD", "GOV")
    call = ev("CONSULT", oman, chad, mode="phone")
    demand = ev("REQUEST", oman, chad, mode="yield", goldstein=-5.0)
    change = ev("REQUEST", oman, chad, mode="change", goldstein=-5.0)
    assert event_score(demand) < event_score(ev("ACCUSE", oman, chad)) < event_score(change) < 0
    assert build_graph([call, demand]).weight("OMN||", "TCD||") < 0
    assert build_graph([call, change]).weight("OMN||", "TCD||") > 0


# ------------------------------------------------------------------ co-actors and mediation offers
def joint(etype, src, tgt, text, *, doc="j", sentence=1, trigger_start=50, **kw):
    r = ev(etype, src, tgt, doc=doc, **kw)
    r["sentence"] = sentence
    r["evidence"] = {"text": text, "start": 0, "end": len(text), "trigger": "x",
                     "trigger_start": trigger_start, "trigger_end": trigger_start + 1}
    return r


def test_joint_sources_of_one_act_are_co_actors():
    text = "Russian jets and Hezbollah fighters struck rebel positions near Aleppo."
    jets, hez = dict(RUSSIA, text="Russian jets"), dict(GROUP, text="Hezbollah fighters")
    tgt = dict(REBELS, text="rebel positions")
    g = build_graph([joint("ASSAULT", jets, tgt, text), joint("ASSAULT", hez, tgt, text)])
    d = g.edges[tuple(sorted(("RUS||", "LBN|REB|Hezbollah")))]
    assert d.pos > 0 and d.neg == 0 and [s.event_type for s in d.stories] == ["JOINT"]
    assert not build_graph([joint("ASSAULT", jets, tgt, text), joint("ASSAULT", hez, tgt, text)],
                           joint_weight=0).edges.get(tuple(sorted(("RUS||", "LBN|REB|Hezbollah"))))


def test_no_co_actors_without_coordination_mirror_or_one_mention():
    tgt = dict(REBELS, text="rebel positions")
    # not one coordinated phrase: "Syrian troops backed by Russian jets struck ..."
    text = "Syrian troops backed by Russian jets struck rebel positions."
    a, b = dict(ARMY, text="Syrian troops"), dict(RUSSIA, text="Russian jets")
    assert not build_graph([joint("ASSAULT", a, tgt, text), joint("ASSAULT", b, tgt, text)]).edges.get(
        ("RUS||", "SYR||"))
    # a mirrored talk: "Blinken spoke with Burhan and Dagalo" (Burhan -> Blinken, Dagalo -> Blinken)
    text = "Blinken spoke with Burhan and Dagalo."
    us, x, y = actor("Antony Blinken", "USA", "GOV"), actor("Burhan", "SDN", "MIL"), actor("Dagalo", "SDN", "REB")
    recs = [joint("CONSULT", us, x, text), joint("CONSULT", x, us, text), joint("CONSULT", us, y, text),
            joint("CONSULT", y, us, text)]
    assert not any(s.event_type == "JOINT" for d in build_graph(recs).edges.values() for s in d.stories)
    # one mention read as both parties: "the two sides agreed"
    text = "The two sides agreed to free prisoners."
    s1, s2 = dict(IRAN, text="sides"), dict(RUSSIA, text="sides")
    p = actor(None, "YEM", "CVL")
    assert not any(s.event_type == "JOINT" for d in build_graph(
        [joint("AGREE", s1, p, text), joint("AGREE", s2, p, text)]).edges.values() for s in d.stories)


def test_an_offer_to_mediate_ties_the_mediator_to_neither_party():
    text = "Lithuania issued a statement offering to mediate between the government and the opposition."
    at = text.index("mediate")
    lt, gov, opp = actor("Lithuania", "LTU", "GOV"), actor("Belarus", "BLR", "GOV"), actor(None, "BLR", "OPP")
    recs = [joint("AGREE", lt, gov, text, trigger_start=at), joint("AGREE", lt, opp, text, trigger_start=at)]
    recs[0]["evidence"]["trigger_end"] = recs[1]["evidence"]["trigger_end"] = at + len("mediate")
    assert not build_graph(recs).edges
    at = text.index("offering")
    for r in recs:
        r["evidence"].update(trigger_start=at, trigger_end=at + len("offering"))
    assert not build_graph(recs).edges
    other = "Lithuania offered to send aid to the opposition."
    r = joint("AGREE", lt, opp, other, trigger_start=other.index("offered"))
    r["evidence"]["trigger_end"] = other.index("offered") + len("offered")
    assert build_graph([r]).edges
