"""The DuckDB store: idempotent re-runs, replaced documents, flattened columns."""
from __future__ import annotations

from allegiance.models import Document
from allegiance.store import Store

TEXT = "Iranian troops arrived in Syria on Monday. Russian jets bombed rebel positions near Hama."


def test_rerun_adds_nothing_twice(tmp_path, coder):
    path = tmp_path / "s.duckdb"
    doc = Document(id="d1", text=TEXT, published="2015-10-08")
    recs = coder.code(doc)
    assert recs
    with Store(path) as db:
        db.add(doc, recs, "v")
        first = db.counts()
        assert db.is_current(doc, "v")
        db.add(doc, recs, "v")
        assert db.counts() == first == (1, len(recs))


def test_changed_document_replaces_its_events(tmp_path, coder):
    path = tmp_path / "s.duckdb"
    with Store(path) as db:
        d1 = Document(id="d1", text=TEXT, published="2015-10-08")
        db.add(d1, coder.code(d1), "v")
        d2 = Document(id="d1", text="Turkey condemned the strike.", published="2015-10-08")
        assert not db.is_current(d2, "v")
        db.add(d2, coder.code(d2), "v")
        types = {r[0] for r in db.query("SELECT event_type FROM events")}
        assert types == {"ACCUSE"}


def test_records_round_trip_and_columns(tmp_path, coder):
    path = tmp_path / "s.duckdb"
    doc = Document(id="d1", text=TEXT, published="2015-10-08")
    recs = coder.code(doc)
    with Store(path) as db:
        db.add(doc, recs, "v")
        back = list(db.records())
        assert {r["event_id"] for r in back} == {r["event_id"] for r in recs}
        row = db.query("SELECT source_country, event_type FROM events WHERE event_type = 'ASSAULT'")
        assert row and row[0][0] == "RUS"


def test_duckdb_working_memory_is_capped_and_configurable(tmp_path, monkeypatch):
    """Big aggregations spill to disk past the cap instead of taking the machine's memory."""
    from allegiance.store import MEMORY_ENV, Store

    def limit() -> str:
        with Store(tmp_path / "m.duckdb") as db:
            return db.con.execute("SELECT current_setting('memory_limit')").fetchone()[0]

    monkeypatch.delenv(MEMORY_ENV, raising=False)
    capped = limit()
    assert capped.endswith(("MiB", "GiB")) and float(capped.split()[0]) <= 1024  # 1GB = 953.6 MiB
    monkeypatch.setenv(MEMORY_ENV, "300MB")
    assert float(limit().split()[0]) < 300
    monkeypatch.setenv(MEMORY_ENV, "none")
    assert limit() != capped  # DuckDB's own default (80% of RAM)
