"""The sides benchmark's gold-name matching and loss breakdown, on hand-made items."""
from __future__ import annotations

import importlib.util
import itertools
from pathlib import Path

import pytest

from allegiance.analysis.graph import build_graph

_path = Path(__file__).resolve().parents[2] / "benchmarks" / "sides.py"
_spec = importlib.util.spec_from_file_location("bench_sides", _path)
bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench)

_ids = itertools.count()


def actor(name, country, sector=None):
    return {"text": name or "", "name": name, "country": country, "sector": sector, "id": None}


def ev(etype, src, tgt, doc="d1"):
    i = next(_ids)
    return {"event_id": f"b{i}", "doc_id": doc, "event_type": etype, "mode": None,
            "goldstein": None, "source": src, "target": tgt, "date": "2023-05-01",
            "modality": {"negated": False, "hypothetical": False, "future": False,
                         "historical": False},
            "certainty": 0.9, "evidence": {"text": "x"}}


ARMY = actor("Sudan", "SDN", "MIL")
RSF_AS_PRM = actor("Rapid Support Forces", "SDN", "PRM")
REBELS = actor(None, "SYR", "REB")
EGYPT = actor("Egypt", "EGY", "GOV")


@pytest.mark.parametrize("name, expected", [
    ("Syrian rebels", {"name": None, "country": "SYR", "sector": "REB"}),
    ("Sudanese army", {"name": None, "country": "SDN", "sector": "MIL"}),
    ("Iranian protesters", {"name": None, "country": "IRN", "sector": "CVL"}),
    ("Iran-backed militias", {"name": None, "country": None, "sector": "PRM"}),
    ("jihadists", {"name": None, "country": "IMG", "sector": "REB"}),
])
def test_descriptions_read_as_country_and_sector(name, expected):
    assert bench.resolve_name(name) == expected


def test_catalog_names_give_canonical_actor_fields():
    hez = bench.resolve_name("Hezbollah", "2020-01-01")
    assert hez["name"] == "Hezbollah" and hez["country"] == "LBN"
    egypt = bench.resolve_name("Egypt")
    assert (egypt["country"], egypt["sector"]) == ("EGY", None)
    assert bench.resolve_name("a cloud of words") is None


def test_match_by_name_state_rollup_and_fallbacks():
    recs = [ev("ASSAULT", RSF_AS_PRM, ARMY), ev("AID", EGYPT, ARMY),
            ev("ASSAULT", ARMY, REBELS)]
    nodes = build_graph(recs).nodes
    # the canonical name wins even when the coder chose another sector
    assert bench.match_name("Rapid Support Forces", recs, nodes) == "SDN|PRM|Rapid Support Forces"
    assert bench.match_name("Sudanese army", recs, nodes) == "SDN||"  # state agents roll up
    assert bench.match_name("Egypt", recs, nodes) == "EGY||"
    # a named group the coder only saw as "rebels" falls back to its country+sector node
    assert bench._match("Hayat Tahrir al-Sham", recs, nodes, "entity", "2024-12-01") == \
        ("SYR|REB|", True)
    assert bench.match_name("Qatar", recs, nodes) is None


def _item(sides, hostile=(), doc="d1"):
    return {"id": doc, "date": "2023-05-01", "text": "", "events": [], "sides": sides,
            "hostile_pairs": [list(p) for p in hostile]}



def _causes(item: dict, coded: list[dict], gold: list[dict]) -> dict:
    """The breakdown's cause of each lost pair of one article, coded run against its gold events."""
    rows = bench.pair_rows([item], {"d1": coded})
    gold_rows = bench.pair_rows([item], {"d1": gold})
    _, detail = bench.breakdown([item], {"d1": coded}, rows, gold_rows)
    return {frozenset((r["a"], r["b"])): c for c, r in detail}

def test_two_gold_actors_on_one_fallback_node_are_not_judged():
    recs = [ev("ASSAULT", actor("Syria", "SYR", "MIL"), REBELS)]
    item = _item([["Syria"], ["Hayat Tahrir al-Sham", "Syrian Democratic Forces"]])
    rows = bench.pair_rows([item], {"d1": recs})
    pair = next(r for r in rows if {r["a"], r["b"]} == {"Hayat Tahrir al-Sham",
                                                        "Syrian Democratic Forces"})
    assert pair["sides"] is None and pair["ka"] is None
    other = next(r for r in rows if {r["a"], r["b"]} == {"Hayat Tahrir al-Sham", "Syria"})
    assert other["sides"] == "opposed" and other["subset"] == "direct"


def test_breakdown_names_the_cause_of_each_lost_pair():
    item = _item([["Sudan", "Egypt"], ["Rapid Support Forces", "United Arab Emirates"]],
                 hostile=[("Sudan", "Rapid Support Forces")])
    gold = [ev("ASSAULT", RSF_AS_PRM, ARMY), ev("AID", EGYPT, ARMY),
            ev("AID", actor("United Arab Emirates", "ARE", "GOV"), RSF_AS_PRM)]
    coded = [ev("AID", RSF_AS_PRM, ARMY),  # the sign is wrong
             ev("AID", EGYPT, ARMY),
             ev("MOBILIZE", actor("United Arab Emirates", "ARE", "GOV"), None)]  # no dyad
    rows = bench.pair_rows([item], {"d1": coded})
    gold_rows = bench.pair_rows([item], {"d1": gold})
    assert all(r["sides"] == r["gold"] for r in gold_rows)
    causes, detail = bench.breakdown([item], {"d1": coded}, rows, gold_rows)
    by_pair = {frozenset((r["a"], r["b"])): c for c, r in detail}
    assert by_pair[frozenset(("Sudan", "Rapid Support Forces"))] == "wrong stance on edge"
    assert by_pair[frozenset(("Egypt", "United Arab Emirates"))] == "actor coded, no dyad"
    assert by_pair[frozenset(("Egypt", "Rapid Support Forces"))] == \
        "indirect (edges elsewhere)"
    assert sum(causes.values()) == len(detail) == sum(r["sides"] != r["gold"] for r in rows)


def test_breakdown_names_pairs_lost_because_both_actors_are_one_node():
    # a state's agents roll up to the state: an opposition leader coded as a state agent (coded
    # run only), and a dissident official against the state (gold events too) share its node
    item = _item([["Venezuela", "Diosdado Cabello"], ["Juan Guaidó", "Julio Borges"]],
                 hostile=[("Venezuela", "Juan Guaidó")])
    state = actor("Venezuela", "VEN", "GOV")
    gold = [ev("COERCE", state, actor("Juan Guaidó", "VEN", "OPP")),
            ev("SUPPORT", actor("Diosdado Cabello", "VEN", "GOV"), state),
            ev("REJECT", actor("Julio Borges", "VEN", "LEG"), state),
            ev("SANCTION", actor("United States", "USA", "GOV"), state)]
    coded = [ev("COERCE", state, actor("Juan Guaidó", "VEN", "GOV")),
             ev("SANCTION", actor("United States", "USA", "GOV"), state)]
    by_pair = _causes(item, coded, gold)
    assert by_pair[frozenset(("Venezuela", "Juan Guaidó"))] == "both actors keyed as one node"
    assert by_pair[frozenset(("Venezuela", "Julio Borges"))] == \
        "analysis: opposed actors keyed as one node (wrong on gold events too)"


def test_breakdown_tells_an_uncoded_name_from_a_missing_dyad():
    # the gold events name the minister; the coder coded her state's act without her name: her
    # gold name cannot be read as the state's node, though the node and its ties are there
    item = _item([["Ona Petraite", "Lithuania"], ["Belarus"]],
                 hostile=[("Ona Petraite", "Belarus")])
    belarus = actor("Belarus", "BLR", "GOV")
    gold = [ev("ACCUSE", actor("Ona Petraite", "LTU", "GOV"), belarus),
            ev("SANCTION", actor("Lithuania", "LTU", "GOV"), belarus)]
    coded = [ev("ACCUSE", actor(None, "LTU", "GOV"), belarus),
             ev("SANCTION", actor("Lithuania", "LTU", "GOV"), belarus)]
    by_pair = _causes(item, coded, gold)
    assert by_pair[frozenset(("Ona Petraite", "Belarus"))] == "actor not coded by name (its node is)"
    assert frozenset(("Lithuania", "Belarus")) not in by_pair  # placed right


def test_breakdown_of_a_gold_file_without_events_judges_the_coded_run_alone():
    # blind gold sides (no events): causes come from the coded run, not "gold events give no
    # dyad for an actor" for every lost pair
    item = _item([["Sudan", "Egypt", "Qatar"], ["Rapid Support Forces", "United Arab Emirates"]],
                 hostile=[("Sudan", "Rapid Support Forces")])
    uae = actor("United Arab Emirates", "ARE", "GOV")
    coded = [ev("AID", RSF_AS_PRM, ARMY),  # the sign is wrong
             ev("AID", EGYPT, ARMY),
             ev("MOBILIZE", uae, None),  # no counterpart: no node
             ev("ASSAULT", uae, actor(None, "SDN", None))]  # a place read as an actor
    rows = bench.pair_rows([item], {"d1": coded})
    gold_rows = bench.pair_rows([item], {"d1": []})
    causes, detail = bench.breakdown([item], {"d1": coded}, rows, gold_rows)
    by_pair = {frozenset((r["a"], r["b"])): c for c, r in detail}
    assert by_pair[frozenset(("Sudan", "Rapid Support Forces"))] == "wrong stance on edge"
    assert by_pair[frozenset(("Egypt", "United Arab Emirates"))] == "actor coded, no dyad"
    assert by_pair[frozenset(("Qatar", "Sudan"))] == "actor not coded"
    assert "gold events give no dyad for an actor" not in causes
    assert sum(causes.values()) == sum(r["sides"] != r["gold"] for r in rows)
