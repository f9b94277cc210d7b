"""Sides with the graph aggregated in DuckDB (`analysis.sqlgraph`, issue 13) give the report the
Python path gives (`build_graph` over every record): on a store coded from the bundled examples
and on a synthetic store made to hit every weighting rule."""
from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from allegiance.analysis import sides_report, timeline_report
from allegiance.analysis.sqlgraph import build_graph_sql, sides_report_sql, timeline_report_sql
from allegiance.models import Document
from allegiance.sources import read_inputs
from allegiance.store import Store

ROOT = Path(__file__).resolve().parents[2]
EXE = [sys.executable, "-m", "allegiance.cli"]
ENV = dict(os.environ, PYTHONPATH=str(ROOT / "src"))


def same(a: object, b: object) -> bool:
    return json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


@pytest.fixture(scope="module")
def examples_store(tmp_path_factory, coder) -> Path:
    path = tmp_path_factory.mktemp("sql") / "examples.duckdb"
    with Store(path) as db:
        for doc in read_inputs([str(ROOT / "examples" / "corpus")]):
            if isinstance(doc, Document):
                db.add(doc, coder.code(doc), "test")
    return path


# ------------------------------------------------------------------ a synthetic store
ACTORS = [
    {"name": "United States", "country": "USA", "sector": "GOV"}, {"name": None, "country": "USA", "sector": "MIL"},
    {"name": "Russia", "country": "RUS", "sector": None}, {"name": None, "country": "RUS", "sector": "MIL"},
    {"name": "Hamas", "country": "PSE", "sector": "REB"}, {"name": None, "country": "SYR", "sector": "REB"},
    {"name": None, "country": "SYR", "sector": "GOV"}, {"name": "Hezbollah", "country": "LBN", "sector": "PRM"},
    {"name": "Wagner Group", "country": "RUS", "sector": "PRM"}, {"name": None, "country": "IRN", "sector": None},
    {"name": "NATO", "country": "IGO", "sector": None}, {"name": "NATO", "country": "IGO", "sector": "MIL"},
    {"name": "Islamic State", "country": "IMG", "sector": "REB"}, {"name": None, "country": "IMG", "sector": "REB"},
    {"name": "Red Crescent", "country": None, "sector": "MED"}, {"name": "Red Crescent", "country": None, "sector": None},
    {"name": None, "country": "UNO", "sector": "MIL"}, {"name": "", "country": "TUR", "sector": "GOV"},
    {"name": None, "country": "UKR", "sector": "CVL"}, {"name": None, "country": None, "sector": None},
]
TYPES = ["ASSAULT", "AID", "COOPERATE", "SUPPORT", "AGREE", "CONSULT", "REQUEST", "RETREAT", "CONCEDE",
         "ACCUSE", "THREATEN", "SANCTION", "PROTEST", "MOBILIZE", "COERCE", "REJECT", "INVESTIGATE"]
MODES = {"CONSULT": ["visit", "phone", "third-party", None], "REQUEST": ["assist", "change", None],
         "ASSAULT": ["aerial", "beat", None], "RETREAT": ["ceasefire", None], "AGREE": [None, "settle"]}
TEXTS = ["The two sides agreed on a ceasefire in the north.", "Officials met to discuss trade and tariffs.",
         "They agreed to exchange prisoners next week.", "A truce was announced after talks.",
         "Leaders discussed the weather and a football match, far from any hostage.",
         "Troops attacked positions overnight."]


def synthetic_records(seed: int = 3, n_docs: int = 60) -> list[tuple[Document, list[dict]]]:
    rng = random.Random(seed)
    out = []
    for d in range(n_docs):
        doc = Document(id=f"s{d:03d}", text=f"synthetic document {d}", published="2023-01-01")
        recs = []
        for i in range(rng.randint(1, 12)):
            src, tgt = dict(rng.choice(ACTORS)), dict(rng.choice(ACTORS))
            if rng.random() < 0.1:
                src["affiliations"] = [{"relation": "backed-by", "name": "Iran", "country": "IRN", "sector": None}]
            if rng.random() < 0.05:
                tgt = None
            etype = rng.choice(TYPES)
            text = rng.choice(TEXTS)
            trig = text.split()[2]
            start = text.index(trig)
            day = rng.choice([None] + [f"2023-{m:02d}-{dd:02d}" for m in (1, 2, 5, 9, 12) for dd in (1, 2, 15)])
            recs.append({
                "event_id": f"e{d:03d}-{i:02d}", "doc_id": doc.id, "sentence": i % 4, "event_type": etype,
                "mode": rng.choice(MODES.get(etype, [None])), "contexts": [],
                "goldstein": rng.choice([None, float("nan"), -10.0, -5.0, 0.0, 1.0, 3.4, 7.0, 8.3]),
                "quad_class": 1, "source": src, "target": tgt, "date": day,
                "modality": {"negated": rng.random() < 0.12, "hypothetical": rng.random() < 0.05,
                             "future": rng.random() < 0.1, "historical": rng.random() < 0.1},
                "certainty": rng.choice([None, 0.0, 0.35, 0.7, 0.9, 1.0]),
                "evidence": {"text": text, "start": 0, "end": len(text), "trigger": trig,
                             "trigger_start": start, "trigger_end": start + len(trig)},
            })
        # a record mirrored: the same event read with source and target swapped
        r = dict(recs[0], event_id=f"e{d:03d}-m", source=recs[0]["target"], target=recs[0]["source"])
        recs.append(r)
        out.append((doc, recs))
    return out


@pytest.fixture(scope="module")
def synthetic_store(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("sql") / "synthetic.duckdb"
    with Store(path) as db:
        for doc, recs in synthetic_records():
            db.add(doc, recs, "test")
    return path


OPTIONS = [dict(level="entity"), dict(level="country"), dict(level="sector"),
           dict(level="entity", since="2023-02-01", until="2023-10-01"),
           dict(level="entity", half_life_days=30.0), dict(level="sector", since="2023-02-01", half_life_days=60.0)]


@pytest.mark.parametrize("which", ["examples_store", "synthetic_store"])
def test_sql_report_equals_python_report(which, request):
    path = request.getfixturevalue(which)
    with Store(path, read_only=True) as db:
        recs = list(db.records())
        assert len(recs) > 100
        for opts in OPTIONS:
            py = sides_report(recs, **opts)
            sql = sides_report_sql(db.con, **opts)
            assert py["stances"], opts
            assert same(py, sql), opts


def test_synthetic_store_hits_every_rule(synthetic_store):
    """The synthetic store has what the SQL path must reproduce: descriptors, talks ending
    hostilities, contested claims, undated records, missing certainty and Goldstein."""
    from allegiance.analysis.graph import build_graph

    with Store(synthetic_store, read_only=True) as db:
        recs = list(db.records())
        graph = build_graph_sql(db.con)
    types = {s.event_type for d in graph.edges.values() for s in d.stories}
    assert "DESCRIPTOR" in types
    assert any(r["source"] and r["source"].get("affiliations") for r in recs)
    assert any(s.date is None for d in build_graph(recs).edges.values() for s in d.stories)
    from allegiance.analysis.graph import ends_hostilities

    assert any(ends_hostilities(r) for r in recs) and any(r["modality"]["negated"] for r in recs)
    # the node with two descriptions (a name with and without a sector) is described as in Python
    py = build_graph(recs)
    assert {k: v for k, v in py.nodes.items()} == graph.nodes


@pytest.mark.parametrize("which", ["examples_store", "synthetic_store"])
def test_sql_timeline_equals_python_timeline(which, request):
    path = request.getfixturevalue(which)
    with Store(path, read_only=True) as db:
        recs = list(db.records())
        days = 365 if which == "examples_store" else 60
        py = timeline_report(recs, window_days=days, half_life_days=days)
        sql = timeline_report_sql(db.con, window_days=days, half_life_days=days)
    assert py["windows"] and same(py, sql)


def test_cli_sides_json_is_the_python_report(synthetic_store):
    res = subprocess.run(EXE + ["sides", "--store", str(synthetic_store), "--format", "json", "--level", "sector",
                                "--all", "--min-events", "1", "--show-generic"],
                         capture_output=True, text=True, env=ENV, cwd=ROOT, timeout=300)
    assert res.returncode == 0, res.stderr
    with Store(synthetic_store, read_only=True) as db:
        py = sides_report(list(db.records()), level="sector")
    got = json.loads(res.stdout)
    assert got.pop("theatre") is None and got.pop("theatres")  # the extensions of issue 14
    assert same(got, py)
    table = subprocess.run(EXE + ["sides", "--store", str(synthetic_store)], capture_output=True, text=True,
                           env=ENV, cwd=ROOT, timeout=300)
    assert table.returncode == 0 and "Stances" in table.stdout, table.stderr


@pytest.mark.parametrize("which", ["examples_store", "synthetic_store"])
def test_theatres_in_sql_are_the_python_theatres(which, request):
    """Theatres computed in DuckDB (`theatres.list_theatres_sql`) and the sides of one theatre
    aggregated in SQL equal `list_theatres` and the Python report over `in_theatre`'s events."""
    from allegiance.analysis.graph import in_window
    from allegiance.analysis.sqlgraph import _window
    from allegiance.analysis.theatres import in_theatre, list_theatres, list_theatres_sql

    path = request.getfixturevalue(which)
    with Store(path, read_only=True) as db:
        recs = list(db.records())
        for since, until in ((None, None), ("2023-02-01", "2023-10-01")):
            scope = [r for r in recs if in_window(r, since, until)]
            ts = list_theatres(scope)
            assert ts == list_theatres_sql(db.con, *_window(since, until))
            named = [t["code"] for t in ts if t["code"]]
            assert len(named) >= (3 if since is None else 1)
            for code in named[:3]:
                py = sides_report(in_theatre(scope, code), since=since, until=until)
                sql = sides_report_sql(db.con, since=since, until=until, theatre=code)
                assert same(py, sql), (code, since)


def test_records_by_id_fetches_the_asked_records_in_one_query_or_many(synthetic_store):
    from allegiance.analysis.sqlgraph import records_by_id

    with Store(synthetic_store, read_only=True) as db:
        ids = [r for (r,) in db.con.execute("SELECT event_id FROM events ORDER BY event_id").fetchall()]
        few = records_by_id(db.con, [ids[5], ids[2], ids[5], "no-such-event"])  # the index path
        assert [r["event_id"] for r in few] == sorted({ids[2], ids[5]})
        many = records_by_id(db.con, ids[:300])  # past 256 ids: one join
        assert sorted(r["event_id"] for r in many) == ids[:300]
        assert records_by_id(db.con, []) == []
