"""Theatre assignment on hand-made records."""
from __future__ import annotations

from allegiance.analysis.sides import sides_report
from allegiance.analysis.theatres import assign_theatres, in_theatre, list_theatres, resolve_theatre


def actor(name, country, sector=None):
    return {"text": name or "", "name": name, "country": country, "sector": sector, "id": None}


def ev(i, etype, src, tgt, date="2021-03-01", *, place=None, doc=None):
    return {"event_id": f"t{i}", "doc_id": doc or f"doc{i}", "event_type": etype, "mode": None,
            "goldstein": None, "source": src, "target": tgt, "date": date,
            "location": {"country": place} if place else None,
            "modality": {"negated": False, "hypothetical": False, "future": False, "historical": False},
            "certainty": 0.9, "evidence": {"text": "x"}}


RUS, SYR, SYR_REB = actor("Russia", "RUS"), actor("Syria", "SYR"), actor("Free Syrian Army", "SYR", "REB")
UKR, IRN, USA, UN = actor("Ukraine", "UKR"), actor("Iran", "IRN"), actor("United States", "USA"), actor("UN", "UNO")


def test_location_then_non_great_power_party_then_document_place():
    recs = [ev(1, "ASSAULT", RUS, SYR_REB),                         # no place: the non-great-power party
            ev(2, "ASSAULT", RUS, UKR, place="UKR"),               # place
            ev(3, "AID", IRN, SYR, place="LBN"),                   # place beats parties
            ev(4, "CONSULT", USA, RUS, doc="d"),                   # great powers only: the document's place
            ev(5, "ASSAULT", RUS, UKR, place="UKR", doc="d"),
            ev(6, "CONSULT", USA, UN)]                             # nothing: unplaced
    assert assign_theatres(recs) == {"t1": "SYR", "t2": "UKR", "t3": "LBN", "t4": "UKR", "t5": "UKR", "t6": None}


def test_russia_in_syria_and_in_ukraine_are_two_theatres_with_counts_and_dates():
    recs = [ev(1, "ASSAULT", RUS, SYR_REB, "2016-01-02", place="SYR"),
            ev(2, "AID", RUS, SYR, "2016-05-01", place="SYR"),
            ev(3, "ASSAULT", RUS, UKR, "2022-03-01", place="UKR"),
            ev(4, "CONSULT", USA, UN, "2022-04-01")]
    ts = list_theatres(recs)
    assert [(t["code"], t["name"], t["events"], t["first"], t["last"]) for t in ts] == [
        ("SYR", "Syria", 2, "2016-01-02", "2016-05-01"),
        ("UKR", "Ukraine", 1, "2022-03-01", "2022-03-01"),
        (None, "unplaced", 1, "2022-04-01", "2022-04-01")]
    assert resolve_theatre("syria", ts) == "SYR" and resolve_theatre("ukr", ts) == "UKR"
    assert resolve_theatre("Narnia", ts) is None and resolve_theatre("unplaced", ts) is None
    syria = in_theatre(recs, "SYR")
    assert [r["event_id"] for r in syria] == ["t1", "t2"]
    rep = sides_report(syria)
    placed = {m["actor"]["name"] for s in rep["sides"] for m in s["members"]}
    assert "Ukraine" not in placed


def test_thin_and_generic_actors_are_hidden_without_moving_anyone():
    from allegiance.analysis.graph import ActorKey, build_graph, hide_actors, is_generic, node_events
    from allegiance.analysis.sides import report_from_graph

    rebels_unnamed = actor(None, "SYR", "REB")
    syrian_rebels = actor("Syrian rebels", "SYR", "REB")  # role words and the country's adjective
    recs = [ev(1, "ASSAULT", RUS, SYR_REB, place="SYR"), ev(2, "ASSAULT", RUS, SYR_REB, "2021-03-02", place="SYR"),
            ev(3, "AID", IRN, SYR, place="SYR"), ev(4, "ASSAULT", SYR, rebels_unnamed, place="SYR"),
            ev(5, "ASSAULT", SYR, syrian_rebels, place="SYR")]
    g = build_graph(recs)
    counts = node_events(g)
    assert counts["SYR|REB|Free Syrian Army"] == 2 and counts["IRN||"] == 1
    assert {k for k, n in g.nodes.items() if is_generic(n)} == {"SYR|REB|", "SYR|REB|Syrian rebels"}
    full = report_from_graph(g)
    shown = hide_actors(full, g, min_events=2, show_generic=False)
    labels = {m["actor"]["label"] for s in shown["sides"] for m in s["members"]} | \
        {u["actor"]["label"] for u in shown["unaligned"]}
    assert labels == {"Russia", "Syria", "Free Syrian Army"}  # Iran (1 event) and the generic rebels hidden
    side_of = {m["actor"]["label"]: s["id"] for s in full["sides"] for m in s["members"]}
    assert all(side_of[m["actor"]["label"]] == s["id"] for s in shown["sides"] for m in s["members"])
    assert all(st["a"]["label"] in labels and st["b"]["label"] in labels for st in shown["stances"])
    assert hide_actors(full, g) == full
    assert not is_generic(ActorKey("SYR||", "Syria", "SYR", None, "Syria"))
    assert is_generic(ActorKey("SYR|GOV|Foreign Ministry", "Foreign Ministry", "SYR", "GOV", "Foreign Ministry"))
