"""The Dask runner: same records as the serial coder, in input order, failures reported per document.

Uses a real `LocalCluster` of 2 worker processes (and the CLI starts its own with --dask local).
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("distributed")

from allegiance.distributed import code_on_dask  # noqa: E402
from allegiance.models import Document  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
EXE = [sys.executable, "-m", "allegiance.cli"]

# Texts written for this test (not gold or seed sentences).
TEXTS = [
    ("n1", "2022-04-02", "Russian forces shelled the outskirts of Kharkiv overnight, regional officials said."),
    ("n2", "2021-06-14", "Germany pledged humanitarian aid to Lebanon after the port explosion."),
    ("n3", None, "Police in Nairobi arrested dozens of demonstrators who marched against fuel prices."),
    ("n4", "2019-03-09", "The weather in Lisbon was mild and the market stalls stayed open late."),
    ("n5", "2020-01-05", "Iran threatened to retaliate against the United States for the drone strike."),
    ("n6", "2018-11-20", "France and Italy signed an agreement on border cooperation in Rome."),
    ("n7", "2023-02-17", "Turkish warplanes struck Kurdish militant positions in northern Iraq on Thursday."),
    ("n8", "2016-07-30", "The European Union imposed new sanctions on Syrian officials."),
    ("n9", "2017-05-11", "Venezuelan opposition leaders accused the government of rigging the vote."),
]


def _docs() -> list[Document]:
    return [Document(id=i, text=t, published=p, origin=f"test:{i}") for i, p, t in TEXTS]


def _dump(triples) -> list[str]:
    return [json.dumps([d.id, recs, err], sort_keys=False, ensure_ascii=False) for d, recs, err in triples]


@pytest.fixture(scope="module")
def scheduler():
    from distributed import LocalCluster

    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                           dashboard_address=None, scheduler_kwargs={"dashboard_address": "127.0.0.1:0"})
    try:
        yield cluster.scheduler_address
    finally:
        cluster.close()


@pytest.mark.parametrize("engine", ["auto", "rules"])
def test_same_records_and_order_as_serial(scheduler, engine):
    # the default engine (the shipped model with the rules) must give byte-identical records in
    # worker processes: the model's scores are rounded and its threads fixed
    from allegiance.coder import Coder

    docs = _docs()
    serial = _dump(Coder(engine=engine).code_many(docs))
    dask = _dump(code_on_dask(docs, scheduler=scheduler, batch_size=2, engine=engine))
    assert [json.loads(x)[0] for x in dask] == [d.id for d in docs]
    assert dask == serial
    n_records = sum(len(json.loads(x)[1]) for x in dask)
    assert n_records >= 5  # the texts do code into events: the comparison is not of empty lists


def test_published_dates_undated_documents():
    # n3 has no date; published= fills it, dated documents keep theirs
    out = {d.id: d.published for d, _, _ in code_on_dask(_docs()[1:3], scheduler=None, batch_size=1,
                                                         published="2024-05-01")}
    assert out == {"n2": "2021-06-14", "n3": "2024-05-01"}


def test_one_bad_document_fails_alone(scheduler, coder):
    # a text over spaCy's max_length (the readers accept up to 5 MB) fails in the parser;
    # the other documents of its batch are still coded
    long = Document(id="huge", text="Rebels attacked the town. " * 40_000, published="2020-01-01")
    docs = _docs()[:2] + [long] + _docs()[2:4]
    got = list(code_on_dask(docs, scheduler=scheduler, batch_size=3, engine="rules"))  # as the fixture
    assert [d.id for d, _, _ in got] == [d.id for d in docs]
    bad = [(d.id, err) for d, recs, err in got if recs is None]
    assert len(bad) == 1 and bad[0][0] == "huge" and "too long" in bad[0][1]
    good = [(d, recs) for d, recs, _ in got if recs is not None]
    assert [json.dumps(r) for _, r in good] == [json.dumps(coder.code(d)) for d, _ in good]


def test_missing_actor_file_on_workers_fails_every_document(scheduler, tmp_path):
    missing = tmp_path / "nowhere" / "actors.yaml"
    got = list(code_on_dask(_docs()[:5], scheduler=scheduler, batch_size=2, actors=[missing]))
    assert len(got) == 5
    for _, recs, err in got:
        assert recs is None
        assert "no such file" in err and str(missing) in err


def test_batch_that_cannot_run_on_the_cluster_does_not_stop_the_run(scheduler, tmp_path, monkeypatch):
    # an object whose module exists only on the client cannot be loaded on the workers:
    # that batch fails as a whole, the other batches are coded
    (tmp_path / "client_only_mod.py").write_text("class Tag:\n    pass\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    import client_only_mod

    docs = _docs()[:4]
    docs[2] = Document(id="odd", text=docs[2].text, published="2020-01-01", extra={"tag": client_only_mod.Tag()})
    got = list(code_on_dask(docs, scheduler=scheduler, batch_size=2))
    assert [d.id for d, _, _ in got] == ["n1", "n2", "odd", "n4"]
    assert [recs is None for _, recs, _ in got] == [False, False, True, True]
    assert "client_only_mod" in got[2][2] and got[3][2] == got[2][2]


def test_places_file_is_used_on_the_workers_and_only_when_given(scheduler, tmp_path):
    aliases = tmp_path / "places.csv"
    aliases.write_text("alias,name,country,admin1,lat,lon,geonameid,precision\n"
                       "Wadi Tarsel,Wadi Tarsel,TCD,Ouaddai,13.5,20.9,,city\n", encoding="utf-8")
    docs = [Document(id="p", text="Chadian soldiers shelled rebel camps near Wadi Tarsel on Tuesday.",
                     published="2021-04-13")] * 2

    def names(places):
        return [((r["location"] or {}).get("name"), (r["location"] or {}).get("lat"))
                for _, recs, _ in code_on_dask(docs, scheduler=scheduler, batch_size=1, places=places)
                for r in recs]

    assert names([aliases]) == [("Wadi Tarsel", 13.5), ("Wadi Tarsel", 13.5)]
    # the same workers, back on the built-in gazetteer: the name is kept, unresolved (no coordinates)
    assert names([]) == [("Wadi Tarsel", None), ("Wadi Tarsel", None)]


def _cli(*args: str, cwd: Path = ROOT, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([*EXE, *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=120)


def _corpus(tmp_path: Path) -> Path:
    src = tmp_path / "news.jsonl"
    lines = [json.dumps({"id": i, "date": p, "text": t}) for i, p, t in TEXTS]
    lines.insert(3, "{not json")
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return src


def test_cli_code_dask_is_byte_identical(tmp_path):
    src = _corpus(tmp_path)
    serial, dask = tmp_path / "serial.jsonl", tmp_path / "dask.jsonl"
    p1 = _cli("code", str(src), "-o", str(serial))
    p2 = _cli("code", str(src), "--dask", "local", "--workers", "2", "-o", str(dask))
    assert p1.returncode == 1 and p2.returncode == 1, p2.stderr  # line 4 failed; the rest is coded
    assert serial.read_bytes() == dask.read_bytes()
    assert serial.stat().st_size > 0
    assert "news.jsonl:4" in p2.stderr and "9 coded, 0 skipped, 1 failed" in p2.stderr
    csv1 = _cli("code", str(src), "--format", "csv")
    csv2 = _cli("code", str(src), "--format", "csv", "--dask", "local")
    assert csv1.stdout == csv2.stdout and csv1.stdout.count("\n") > 1


def test_cli_run_dask_twice_adds_nothing(tmp_path):
    import duckdb

    src = _corpus(tmp_path)
    store = tmp_path / "d.duckdb"
    p = _cli("run", str(src), "--dask", "local", "--store", str(store))
    assert p.returncode == 1, p.stderr  # news.jsonl:4 is malformed
    assert "9 coded, 0 skipped, 1 failed" in p.stderr
    con = duckdb.connect(str(store), read_only=True)
    first = con.execute("SELECT count(*), count(DISTINCT doc_id) FROM events").fetchone()
    ids = {r[0] for r in con.execute("SELECT event_id FROM events").fetchall()}
    con.close()
    serial = [json.loads(x) for x in _cli("code", str(src)).stdout.splitlines()]
    assert ids == {r["event_id"] for r in serial} and first[0] == len(serial) > 0
    p = _cli("run", str(src), "--dask", "local", "--store", str(store))
    assert p.returncode == 1, p.stderr
    assert "0 coded, 9 already in the store, 0 skipped, 1 failed" in p.stderr
    con = duckdb.connect(str(store), read_only=True)
    assert con.execute("SELECT count(*), count(DISTINCT doc_id) FROM events").fetchone() == first
    assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == 9
    con.close()


def test_cli_dask_errors(tmp_path):
    src = _corpus(tmp_path)
    p = _cli("code", str(src), "--dask", "nonsense")
    assert p.returncode == 2 and "tcp://" in p.stderr
    # without the distributed package: a clear error naming what to install
    block = tmp_path / "block"
    block.mkdir()
    (block / "distributed.py").write_text("raise ImportError('not installed here')\n")
    env = {**os.environ, "PYTHONPATH": str(block)}
    p = _cli("code", str(src), "--dask", "local", env=env)
    assert p.returncode == 1
    assert 'pip install "dask[distributed]==2026.8.0"' in " ".join(p.stderr.split())
    # no scheduler at that address: a clear error, not a hang
    env = {**os.environ, "DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "2s"}
    p = _cli("code", str(src), "--dask", "tcp://127.0.0.1:9", env=env)
    assert p.returncode == 1 and "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in p.stderr
