"""`allegiance sides` per theatre: two wars in one store are two theatres, not one hairball."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from allegiance.models import Document
from allegiance.store import Store

ROOT = Path(__file__).resolve().parents[2]
EXE = [sys.executable, "-m", "allegiance.cli"]
ENV = dict(os.environ, PYTHONPATH=str(ROOT / "src"), COLUMNS="200")


def actor(name, country, sector=None):
    return {"text": name or "x", "name": name, "country": country, "sector": sector, "id": None}


RUS, UKR, POL = actor("Russia", "RUS"), actor("Ukraine", "UKR"), actor("Poland", "POL")
SDN_ARMY, RSF = actor("Sudanese Armed Forces", "SDN", "MIL"), actor("Rapid Support Forces", "SDN", "REB")
UAE, EGY = actor("United Arab Emirates", "ARE"), actor("Egypt", "EGY")
UNNAMED = actor(None, "SDN", "CVL")  # "Sudanese civilians": generic


def rec(i, etype, src, tgt, place, date):
    return {"event_id": f"e{i:03d}", "doc_id": f"d{i // 4}", "sentence": i % 4, "event_type": etype, "mode": None,
            "goldstein": None, "quad_class": 4, "source": src, "target": tgt, "date": date,
            "location": {"country": place, "name": None}, "certainty": 1.0,
            "modality": {"negated": False, "hypothetical": False, "future": False, "historical": False},
            "evidence": {"text": "x", "start": 0, "end": 1, "trigger": "x", "trigger_start": 0, "trigger_end": 1}}


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    rows = []
    for k in range(3):
        rows += [("ASSAULT", RUS, UKR, "UKR"), ("AID", POL, UKR, "UKR"), ("ASSAULT", UKR, RUS, "RUS")]
        rows += [("ASSAULT", SDN_ARMY, RSF, "SDN"), ("AID", UAE, RSF, "SDN"), ("AID", EGY, SDN_ARMY, "SDN"),
                 ("ASSAULT", RSF, SDN_ARMY, "SDN")]
    rows += [("ASSAULT", RSF, UNNAMED, "SDN"), ("ASSAULT", RSF, UNNAMED, "SDN")]
    records = [rec(i, t, s, g, p, f"2023-0{1 + i % 9}-1{i % 10}") for i, (t, s, g, p) in enumerate(rows)]
    path = tmp_path_factory.mktemp("theatres") / "wars.duckdb"
    with Store(path) as db:
        for d in sorted({r["doc_id"] for r in records}):
            db.add(Document(id=d, text="x", published="2023-12-31"), [r for r in records if r["doc_id"] == d], "test")
    return path


def sides_json(store: Path, *args: str) -> dict:
    p = subprocess.run(EXE + ["sides", "--store", str(store), "--format", "json", *args], capture_output=True,
                       text=True, env=ENV, cwd=ROOT, timeout=300)
    assert p.returncode == 0, p.stderr
    return json.loads(p.stdout)


def members(report: dict) -> set[str]:
    return {m["actor"]["label"] for s in report["sides"] for m in s["members"]} | \
        {u["actor"]["label"] for u in report["unaligned"]}


def test_default_is_the_largest_theatre_and_lists_them_all(store):
    p = subprocess.run(EXE + ["sides", "--store", str(store), "--format", "json"], capture_output=True,
                       text=True, env=ENV, cwd=ROOT, timeout=300)
    assert "theatre Sudan (SDN), the largest of 3" in p.stderr  # which theatre the file holds is said
    rep = sides_json(store)
    assert [(t["code"], t["events"]) for t in rep["theatres"]] == [("SDN", 14), ("UKR", 6), ("RUS", 3)]
    assert rep["theatre"]["code"] == "SDN"
    assert members(rep) == {"Sudan", "Rapid Support Forces", "United Arab Emirates", "Egypt"}
    sides = [{m["actor"]["label"] for m in s["members"]} for s in rep["sides"]]
    assert {"Rapid Support Forces", "United Arab Emirates"} in sides and {"Sudan", "Egypt"} in sides


def test_one_theatre_by_name_and_the_generic_and_thin_actors_on_request(store):
    ukraine = sides_json(store, "--theatre", "ukraine")
    assert ukraine["theatre"]["code"] == "UKR" and members(ukraine) == {"Russia", "Ukraine", "Poland"}
    sudan = sides_json(store, "--theatre", "SDN", "--show-generic")
    assert "Sudan civilians" in members(sudan)
    assert "Sudan civilians" not in members(sides_json(store, "--theatre", "SDN"))
    # three events each for Egypt and the UAE: under --min-events 4 they go
    assert members(sides_json(store, "--theatre", "SDN", "--min-events", "4")) == {
        "Sudan", "Rapid Support Forces"}


def test_all_puts_every_war_in_one_graph(store):
    everything = sides_json(store, "--all")
    assert everything["theatre"] is None
    assert {"Russia", "Rapid Support Forces", "Sudan civilians"} <= members(everything)  # nothing hidden
    assert everything == sides_json(store, "--all", "--min-events", "1", "--show-generic")
    assert "Sudan civilians" not in members(sides_json(store, "--all", "--hide-generic"))


def test_an_unknown_theatre_is_a_usage_error_listing_the_known_ones(store):
    p = subprocess.run(EXE + ["sides", "--store", str(store), "--theatre", "Narnia"], capture_output=True,
                       text=True, env=ENV, cwd=ROOT, timeout=300)
    assert p.returncode == 2 and "--theatre" in p.stderr and "Sudan (SDN)" in p.stderr


def test_the_table_shows_the_theatres_and_their_sides(store):
    p = subprocess.run(EXE + ["sides", "--store", str(store), "--top", "2"], capture_output=True, text=True,
                       env=ENV, cwd=ROOT, timeout=300)
    assert p.returncode == 0, p.stderr
    assert "Theatres" in p.stdout and "Sudan (SDN): 14 events" in p.stdout and "Ukraine (UKR): 6 events" in p.stdout
    assert "Russia (RUS):" not in p.stdout  # the third theatre is listed, its sides not shown (--top 2)


def test_sides_over_time_within_a_theatre(store):
    p = subprocess.run(EXE + ["sides", "--store", str(store), "--theatre", "SDN", "--window", "60d"],
                       capture_output=True, text=True, env=ENV, cwd=ROOT, timeout=300)
    assert p.returncode == 0, p.stderr
    changes = p.stdout.split("Sides over time (windows of 60 days)")[1]
    assert "joined side" in changes or "new side" in changes
    assert "Russia" not in changes and "Ukraine" not in changes  # another theatre's actors stay out
