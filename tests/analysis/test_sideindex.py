"""The sides index (`analysis.sideindex`, issue 13): the graphs and partitions stored per theatre
give the reports the full aggregation and the Python path give; it is used only while it matches
the store (new, replaced and re-coded documents make it stale until refreshed), and a refresh
that fails or is killed leaves the previous index whole."""
from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from allegiance.analysis import sides_report
from allegiance.analysis import sideindex
from allegiance.analysis.sideindex import index_fresh, indexed_graph, refresh_sides_index
from allegiance.analysis.sides import compute_sides, report_from_graph
from allegiance.analysis.sqlgraph import build_graph_sql, sides_report_sql
from allegiance.analysis.theatres import in_theatre, list_theatres, list_theatres_sql
from allegiance.models import Document
from allegiance.store import Store

from tests.analysis.test_sides_sql import same, synthetic_records

ROOT = Path(__file__).resolve().parents[2]
EXE = [sys.executable, "-m", "allegiance.cli"]
ENV = dict(os.environ, PYTHONPATH=str(ROOT / "src"))


def _store(path: Path, seed: int = 3, n_docs: int = 60) -> Path:
    with Store(path) as db:
        for doc, recs in synthetic_records(seed, n_docs):
            for i, r in enumerate(recs):  # some located events: theatres from places, and from documents
                if i % 5 == 1:
                    r["location"] = {"name": "Aleppo", "country": "SYR"}
            db.add(doc, recs, "test")
    return path


@pytest.fixture()
def indexed(tmp_path) -> Path:
    path = _store(tmp_path / "indexed.duckdb")
    with Store(path) as db:
        assert refresh_sides_index(db.con) > 0
    return path


def _check(path: Path) -> int:
    """Every scope's report from the store (index or full aggregation, whichever answers) equals
    the Python report over that scope's records; RETURNS how many scopes the index answered."""
    answered = 0
    with Store(path, read_only=True) as db:
        recs = list(db.records())
        theatres = list_theatres(recs)
        assert list_theatres_sql(db.con) == theatres
        for code in [None] + [t["code"] for t in theatres if t["code"]]:
            scope = recs if code is None else in_theatre(recs, code)
            py = sides_report(scope)
            assert same(py, sides_report_sql(db.con, theatre=code)), code
            answered += indexed_graph(db.con, theatre=code) is not None
    return answered


def test_index_gives_the_python_reports(indexed):
    with Store(indexed, read_only=True) as db:
        assert index_fresh(db.con)
        n = len([t for t in list_theatres_sql(db.con) if t["code"]])
        assert n >= 5
    assert _check(indexed) == n + 1  # every theatre and all events together, from the index


def test_stored_partition_is_the_computed_one(indexed):
    with Store(indexed, read_only=True) as db:
        for code in [None] + [t["code"] for t in list_theatres_sql(db.con) if t["code"]][:4]:
            graph = indexed_graph(db.con, theatre=code)
            stored = compute_sides(graph)
            assert graph.stored_sides  # read from the index
            del graph.stored_sides
            computed = compute_sides(graph)
            for k in ("order", "roles"):
                assert stored[k] == computed[k]
            for k in ("labels", "confidence", "all_placed", "w"):
                assert (stored[k] == computed[k]).all(), k
            graph.stored_sides = None
            assert same(report_from_graph(indexed_graph(db.con, theatre=code)), report_from_graph(graph))
        # other partition settings are computed, not read
        g = indexed_graph(db.con)
        assert same(report_from_graph(g, penalty=0.3), sides_report(list(db.records()), penalty=0.3))


def test_not_used_where_it_cannot_answer(indexed):
    with Store(indexed, read_only=True) as db:
        assert indexed_graph(db.con) is not None
        for opts in (dict(level="country"), dict(since="2023-02-01"), dict(half_life_days=30.0),
                     dict(max_evidence=3), dict(all_stories=True), dict(contested_weight=1.0),
                     dict(theatre="XXX")):
            assert indexed_graph(db.con, **opts) is None, opts
        assert build_graph_sql(db.con, theatre="XXX").edges == {}


@pytest.mark.parametrize("change", ["insert", "replace", "delete"])
def test_stale_until_refreshed(indexed, change):
    """A written document (new, re-coded, or re-coded with no events) makes the index stale:
    readers aggregate the events instead, with the same result; a refresh brings it back."""
    with Store(indexed) as db:
        if change == "insert":
            doc, recs = synthetic_records(seed=11, n_docs=1)[0]
            doc = Document(id="new-doc", text="another document", published="2023-01-01")
            recs = [dict(r, event_id=f"n-{i}", doc_id="new-doc") for i, r in enumerate(recs)]
        else:
            doc, recs = synthetic_records()[7]
            doc = Document(id=doc.id, text=doc.text + " (corrected)", published=doc.published)
            recs = [] if change == "delete" else [dict(r, event_type="ASSAULT") for r in recs]
        db.add(doc, recs, "test-2")
        assert not index_fresh(db.con)
    assert _check(indexed) == 0
    with Store(indexed) as db:
        refresh_sides_index(db.con)
        assert index_fresh(db.con)
    assert _check(indexed) > 5


def test_index_of_an_older_rule_is_stale_until_rebuilt(tmp_path, monkeypatch):
    """A store indexed before the partition rule changed (INDEX_RULE bumped: actors at odds with
    their side are now set aside in turn) holds partitions of the old rule: it is not fresh, so
    readers aggregate the events with the new rule, and a refresh rebuilds it."""
    path = _store(tmp_path / "old-rule.duckdb")
    with Store(path) as db:
        monkeypatch.setattr(sideindex, "INDEX_RULE", "1")
        refresh_sides_index(db.con)
        assert index_fresh(db.con)
        monkeypatch.undo()  # the current rule
        sideindex._LAST[:] = [None, False]
        assert not index_fresh(db.con)
        assert indexed_graph(db.con) is None
    assert _check(path) == 0  # the full aggregation answers, with the current rule
    with Store(path) as db:
        assert refresh_sides_index(db.con) > 0
        assert index_fresh(db.con)
        assert db.query("SELECT v FROM sides_index_state WHERE k = 'rule'") == [(sideindex.INDEX_RULE,)]
    assert _check(path) > 5


def test_failed_refresh_keeps_the_old_index(indexed, monkeypatch):
    with Store(indexed) as db:
        before = db.query("SELECT * FROM sides_pairs ORDER BY scope, a, b")
        doc, recs = synthetic_records(seed=5, n_docs=1)[0]
        db.add(Document(id="x", text="x", published="2023-01-01"),
               [dict(r, event_id=f"x-{i}", doc_id="x") for i, r in enumerate(recs)], "test")

        def boom(con):
            raise RuntimeError("killed")

        monkeypatch.setattr(sideindex, "_partitions", boom)
        with pytest.raises(RuntimeError):
            refresh_sides_index(db.con)
        assert not index_fresh(db.con)  # the old index, stale: not used
        assert db.query("SELECT * FROM sides_pairs ORDER BY scope, a, b") == before
    assert _check(indexed) == 0


_REFRESH = """
import sys
from allegiance.store import Store
from allegiance.analysis.sideindex import refresh_sides_index
with Store(sys.argv[1]) as db:
    print("start", flush=True)
    refresh_sides_index(db.con, force=True)
    print("done", flush=True)
"""


def test_refresh_killed_leaves_a_whole_index(tmp_path):
    """kill -9 at random moments of a refresh: the store opens, and the index is either the
    previous one (stale after the new documents: not used) or the new one, complete."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import scale_sides
    finally:
        sys.path.pop(0)
    base = tmp_path / "gen.duckdb"
    scale_sides.generate(base, 60_000)
    with Store(base) as db:
        refresh_sides_index(db.con)
        db.add(Document(id="late", text="late", published="2024-01-01"), [], "test")  # the index is stale now
    rng = random.Random(1)
    outcomes = set()
    for attempt in range(4):
        path = tmp_path / f"kill{attempt}.duckdb"
        shutil.copy(base, path)
        proc = subprocess.Popen([sys.executable, "-c", _REFRESH, str(path)], env=ENV, stdout=subprocess.PIPE, text=True)
        assert proc.stdout.readline().strip() == "start"
        time.sleep(rng.uniform(0.05, 1.5))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        with Store(path, read_only=True) as db:
            fresh = index_fresh(db.con)
            outcomes.add(fresh)
            graph = build_graph_sql(db.con)  # the index when fresh, else the events
            if fresh:
                n = db.query("SELECT count(*) FROM sides_pairs WHERE scope = '*'")[0][0]
                assert n == len(graph.edges) > 0
        with Store(path) as db:  # a refresh after the kill completes
            refresh_sides_index(db.con)
            assert index_fresh(db.con)
    assert outcomes


def test_run_refreshes_the_index(tmp_path):
    """`allegiance run` leaves a fresh index; `sides` then reads it and prints the same JSON as the
    full aggregation."""
    folder = tmp_path / "in"
    folder.mkdir()
    for name in sorted(os.listdir(ROOT / "examples" / "corpus"))[:6]:
        shutil.copy(ROOT / "examples" / "corpus" / name, folder / name)
    store = tmp_path / "run.duckdb"
    res = subprocess.run(EXE + ["run", str(folder), "--store", str(store), "--engine", "rules"],
                         capture_output=True, text=True, env=ENV, cwd=ROOT, timeout=600)
    assert res.returncode == 0, res.stderr
    with Store(store, read_only=True) as db:
        assert index_fresh(db.con)
    outputs = []
    for attempt in range(2):
        if attempt:  # the second time without the index
            with Store(store) as db:
                db.con.execute("DROP TABLE sides_index_state")
        got = subprocess.run(EXE + ["sides", "--store", str(store), "--format", "json"], capture_output=True,
                             text=True, env=ENV, cwd=ROOT, timeout=300)
        assert got.returncode == 0, got.stderr
        outputs.append(json.loads(got.stdout))
    assert outputs[0] == outputs[1] and outputs[0]["stances"]
    bare = tmp_path / "bare.duckdb"  # --no-sides-index: no index, the same sides on demand
    res = subprocess.run(EXE + ["run", str(folder), "--store", str(bare), "--engine", "rules", "--no-sides-index"],
                         capture_output=True, text=True, env=ENV, cwd=ROOT, timeout=600)
    assert res.returncode == 0, res.stderr
    with Store(bare, read_only=True) as db:
        assert not index_fresh(db.con)
    got = subprocess.run(EXE + ["sides", "--store", str(bare), "--format", "json"], capture_output=True,
                         text=True, env=ENV, cwd=ROOT, timeout=300)
    assert got.returncode == 0, got.stderr
    assert json.loads(got.stdout) == outputs[0]
