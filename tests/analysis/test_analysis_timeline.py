"""Change over time, plots and exports on hand-made event sets."""
from __future__ import annotations

import csv
import io
import itertools

import networkx as nx

from allegiance.analysis.export import render_text, write_csv, write_graphml
from allegiance.analysis.plot import plot_network, plot_stances
from allegiance.analysis.sides import sides_report
from allegiance.analysis.timeline import (match_sides, side_changes, sides_over_time,
                                          stance_flips, stance_series, timeline_report,
                                          window_bounds)

_ids = itertools.count()


def actor(name, country, sector=None):
    return {"text": name or "", "name": name, "country": country, "sector": sector, "id": None}


def ev(etype, src, tgt, date, *, certainty=0.9, mode=None):
    i = next(_ids)
    return {"event_id": f"t{i}", "doc_id": f"doc{i}", "event_type": etype, "mode": mode,
            "goldstein": None, "source": src, "target": tgt, "date": date,
            "modality": {"negated": False, "hypothetical": False, "future": False,
                         "historical": False},
            "certainty": certainty, "evidence": {"text": f"sentence {i}"}}


ARMY = actor("Sudan", "SDN", "MIL")
RSF = actor("Rapid Support Forces", "SDN", "REB")
EGYPT = actor("Egypt", "EGY", "GOV")
UAE = actor("United Arab Emirates", "ARE", "GOV")


def split_story():
    """Allies for three months, then fighting from 15 April; outside backers later."""
    recs = [ev("COOPERATE", ARMY, RSF, d) for d in
            ("2023-01-10", "2023-02-05", "2023-03-01", "2023-03-20")]
    recs += [ev("ASSAULT", RSF, ARMY, "2023-04-15"), ev("ASSAULT", ARMY, RSF, "2023-04-16"),
             ev("ASSAULT", RSF, ARMY, "2023-05-02"), ev("AID", EGYPT, ARMY, "2023-05-10"),
             ev("AID", UAE, RSF, "2023-05-20"), ev("ACCUSE", ARMY, UAE, "2023-05-25")]
    return recs


def test_window_bounds_cover_the_dates():
    recs = split_story()
    wins = window_bounds(recs, window_days=30)
    assert wins[0] == ("2023-01-10", "2023-02-08")
    assert wins[-1][1] == "2023-05-25"
    assert all(a <= b for a, b in wins)


def test_match_sides_hungarian():
    prev = [{"a", "b"}, {"x", "y"}]
    assert match_sides(prev, [{"x", "y", "z"}, {"a"}]) == [1, 0]
    assert match_sides(prev, [{"q"}]) == [None]


def test_stance_flip_detected_at_the_right_date():
    flips = stance_flips(split_story(), half_life_days=30)
    assert len(flips) == 1
    f = flips[0]
    assert {f["a"], f["b"]} == {"Sudan", "Rapid Support Forces"}
    assert (f["from"], f["to"]) == ("ally", "enemy")
    assert "2023-04-15" <= f["date"] <= "2023-04-29"  # within 14 days of the first attack
    assert f["evidence"]


def test_no_flip_without_a_change():
    recs = [ev("COOPERATE", ARMY, RSF, d) for d in ("2023-01-10", "2023-02-05", "2023-03-01")]
    assert stance_flips(recs) == []


def test_stance_series_decays_between_events():
    recs = [ev("AID", EGYPT, ARMY, "2023-01-01"), ev("ASSAULT", RSF, ARMY, "2023-03-01")]
    series = stance_series(recs, half_life_days=10, grid_days=7)
    pts = series[("Egypt", "Sudan")]
    assert pts[0]["stance"] == "ally"
    assert pts[-1]["cooperation"] < pts[0]["cooperation"] / 10


def test_sides_matched_across_windows_and_change_found():
    reports = sides_over_time(split_story(), window_days=30)
    first, last = reports[0], reports[-1]
    assert len(first["sides"]) == 1  # army and RSF together at first
    ids = {m["actor"]["label"]: s["id"] for s in last["sides"] for m in s["members"]}
    assert ids["Sudan"] != ids["Rapid Support Forces"]
    assert ids["Egypt"] == ids["Sudan"]
    assert ids["United Arab Emirates"] == ids["Rapid Support Forces"]
    changes = side_changes(reports)
    assert any(c["kind"] == "moved" for c in changes)
    assert all(c["date"] >= "2023-04-15" for c in changes)
    # the patrons come in after the split: each joins the side of its client
    joined = {c["actor"]: c["to"] for c in changes if c["kind"] == "joined"}
    assert joined == {"Egypt": ids["Sudan"], "United Arab Emirates": ids["Rapid Support Forces"]}


def test_timeline_report_is_json_ready():
    import json

    rep = timeline_report(split_story(), window_days=30)
    assert json.loads(json.dumps(rep))["flips"][0]["to"] == "enemy"


def test_plots_written(tmp_path):
    recs = split_story()
    rep = sides_report(recs)
    png = plot_network(rep, tmp_path / "net.png")
    svg = plot_network(rep, tmp_path / "net.svg")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 5000
    assert "<svg" in svg.read_text()[:2000]
    tl = timeline_report(recs, window_days=30)
    chart = plot_stances(tl["series"], tmp_path / "stances.png", flips=tl["flips"])
    assert chart.read_bytes()[:4] == b"\x89PNG" and chart.stat().st_size > 5000
    assert "<svg" in plot_stances(tl["series"], tmp_path / "s.svg").read_text()[:2000]


def test_exports(tmp_path):
    recs = split_story()
    rep = sides_report(recs, since="2023-04-10")
    buf = io.StringIO()
    write_csv(rep, buf)
    rows = list(csv.DictReader(io.StringIO(buf.getvalue())))
    assert len(rows) == len(rep["stances"])
    row = next(r for r in rows if {r["a_label"], r["b_label"]} == {"Sudan", "Rapid Support Forces"})
    assert row["stance"] == "enemy" and row["direct"] == "True" and row["evidence"]
    write_csv(rep, tmp_path / "m.csv", table="members")
    assert "confidence" in (tmp_path / "m.csv").read_text().splitlines()[0]
    write_graphml(rep, tmp_path / "g.graphml")
    g = nx.read_graphml(tmp_path / "g.graphml")
    assert g.has_edge("Sudan", "Rapid Support Forces")
    assert g.edges["Sudan", "Rapid Support Forces"]["stance"] == "enemy"
    text = render_text(rep, recs)
    assert "Rapid Support Forces" in text and "ASSAULT" in text


def _many_actor_report():
    """Three blocs of twelve: allies inside, each bloc's first member at war with the others."""
    blocs = [[actor(f"Actor {b}{i:02d}", "SYR", "REB") for i in range(12)] for b in "ABC"]
    recs = [ev("AID", bloc[0], m, "2023-01-02") for bloc in blocs for m in bloc[1:]]
    recs += [ev("ASSAULT", blocs[0][0], blocs[1][0], "2023-01-03"),
             ev("ASSAULT", blocs[1][0], blocs[2][0], "2023-01-03"),
             ev("ASSAULT", blocs[2][0], blocs[0][0], "2023-01-03"),
             ev("ASSAULT", blocs[0][0], blocs[1][0], "2023-01-04")]
    return sides_report(recs)


def test_network_layout_keeps_actors_apart():
    import math

    from allegiance.analysis.plot import network_layout

    rep = _many_actor_report()
    assert len(rep["sides"]) == 3
    pos = network_layout(rep)
    pts = list(pos.values())
    assert len(pts) == 36
    nearest = min(math.dist(p, q) for i, p in enumerate(pts) for q in pts[i + 1:])
    assert nearest >= 1.0  # side circles never overlap; members keep their spacing


def test_big_networks_show_the_busiest_actors(tmp_path):
    from allegiance.analysis.plot import select_actors

    rep = _many_actor_report()
    shown = select_actors(rep, 5)
    assert len(shown) == 5
    assert {"Actor A00", "Actor B00", "Actor C00"} <= shown  # the hubs have most events
    png = plot_network(rep, tmp_path / "big.png", max_actors=5)
    assert png.read_bytes()[:4] == b"\x89PNG"


def test_window_bounds_at_the_ends_of_the_calendar():
    """Events dated near 9999-12-31 or 0001-01-01 (extreme publication dates) gave OverflowError in
    `allegiance sides --window` and the timeline; windows are held inside the calendar instead."""
    late = [{"date": "9999-12-20"}, {"date": "9999-12-30"}]
    assert window_bounds(late, window_days=30) == [("9999-12-01", "9999-12-30")]
    assert window_bounds([{"date": "9999-11-20"}, {"date": "9999-12-31"}], window_days=30, step_days=7)[-1] == \
        ("9999-12-02", "9999-12-31")
    assert window_bounds([{"date": "0001-01-01"}, {"date": "0001-01-03"}], window_days=30) == \
        [("0001-01-01", "0001-01-03")]
