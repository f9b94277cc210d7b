"""GDELT- and POLECAT-shaped exports and partitioned Parquet (allegiance.export), read back with
DuckDB (and pandas when installed), on a store coded from the story articles written for the project."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from allegiance.analysis.stories import STORY_CSV_COLUMNS, load_stories, stories_by_event
from allegiance.export import (GDELT_COLUMNS, NONSTATE_TO_CAMEO, POLECAT_COLUMNS, SECTOR_TO_CAMEO, cameo_actor,
                               write_parquet)
from allegiance.models import NONSTATE_CODES, SECTORS
from allegiance.store import EVENT_COLUMNS, Store

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = ROOT / "benchmarks" / "stories" / "articles.jsonl"
EXE = [sys.executable, "-m", "allegiance.cli"]


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*EXE, *args], capture_output=True, text=True, cwd=ROOT)


@pytest.fixture(scope="module")
def coded(tmp_path_factory) -> tuple[Path, list[dict], dict[str, dict]]:
    """(store, its records, event_id -> story) of the story articles coded by `allegiance run`."""
    path = tmp_path_factory.mktemp("exports") / "store.duckdb"
    p = cli("run", str(ARTICLES), "--store", str(path))
    assert p.returncode == 0, p.stderr
    with Store(path, read_only=True) as db:
        recs = list(db.records())
        stories = stories_by_event(load_stories(db.con)[1])
    return path, recs, stories


def tsv(path: Path) -> list[dict[str, str]]:
    """A TSV read by DuckDB, every column as text (codes keep their leading zeros)."""
    rel = duckdb.sql(f"SELECT * FROM read_csv('{path}', delim='\t', header=true, all_varchar=true, quote='\"')")
    return [dict(zip(rel.columns, row)) for row in rel.fetchall()]


def test_gdelt_tsv_columns_and_values(coded, tmp_path):
    store, recs, stories = coded
    out = tmp_path / "events.tsv"
    p = cli("events", "--store", str(store), "--format", "gdelt", "--limit", "0", "-o", str(out))
    assert p.returncode == 0, p.stderr
    cols = duckdb.sql(f"SELECT * FROM read_csv('{out}', delim='\t', header=true)").columns
    assert tuple(cols) == GDELT_COLUMNS and len(cols) == 61
    rows = tsv(out)
    assert len(rows) == len(recs)
    by_id = {int(r["GlobalEventID"]): r for r in rows}
    for rec in recs:
        row = by_id[int(rec["event_id"][:15], 16)]
        story = stories.get(rec["event_id"])
        assert row["Day"] == rec["date"].replace("-", "") and row["Year"] == rec["date"][:4]
        assert row["MonthYear"] == rec["date"][:7].replace("-", "")
        assert row["EventRootCode"] == rec["cameo_root"] and row["EventCode"].startswith(rec["cameo_root"])
        assert row["QuadClass"] == str(rec["quad_class"]) and float(row["GoldsteinScale"]) == rec["goldstein"]
        assert row["AvgTone"] is None  # not computed
        assert row["SOURCEURL"] == rec["doc"]["url"]
        assert re.fullmatch(r"\d{14}", row["DATEADDED"])
        if story:
            assert int(row["NumMentions"]) == story["num_mentions"]
            assert int(row["NumArticles"]) == story["num_articles"]
            assert int(row["NumSources"]) == story["num_sources"]
        assert row["Actor1CountryCode"] == (rec["source"] or {}).get("country")
    kharkiv = [r for r in rows if r["ActionGeo_FullName"] and r["ActionGeo_FullName"].startswith("Kharkiv")]
    assert kharkiv and all(r["Actor1Code"] == "RUSMIL" and r["Actor1Type1Code"] == "MIL" for r in kharkiv)
    assert all(r["ActionGeo_CountryCode"] == "UP" and r["ActionGeo_Type"] == "4" for r in kharkiv)  # FIPS, WORLDCITY
    assert {r["NumMentions"] for r in kharkiv} == {"4"}
    assert all(r["ActionGeo_ADM1Code"].startswith("UP") for r in kharkiv)
    kenya = [r for r in rows if r["EventRootCode"] == "14"]
    assert kenya and all(r["Actor1Code"] == "KENCVL" and r["Actor2Code"] == "KENGOV" for r in kenya)
    assert {r["NumSources"] for r in kenya} == {"1"} and {r["NumArticles"] for r in kenya} == {"2"}
    typed = duckdb.sql(f"SELECT * FROM read_csv('{out}', delim='\t', header=true)")
    types = dict(zip(typed.columns, (str(t) for t in typed.types)))
    assert types["GlobalEventID"] == "BIGINT" and types["GoldsteinScale"] == "DOUBLE"


def test_gdelt_in_pandas(coded, tmp_path):
    import pandas as pd  # the test extra installs it: exports must open in pandas
    store, recs, _ = coded
    out = tmp_path / "events.tsv"
    assert cli("events", "--store", str(store), "--format", "gdelt", "--limit", "0", "-o", str(out)).returncode == 0
    df = pd.read_csv(out, sep="\t", dtype={"EventCode": str, "EventBaseCode": str, "EventRootCode": str})
    assert list(df.columns) == list(GDELT_COLUMNS) and len(df) == len(recs)
    assert df["GlobalEventID"].dtype.kind == "i"
    out = tmp_path / "polecat.tsv"
    assert cli("events", "--store", str(store), "--format", "polecat", "--limit", "0", "-o", str(out)).returncode == 0
    df = pd.read_csv(out, sep="\t")
    assert list(df.columns) == list(POLECAT_COLUMNS) and len(df) == len(recs)


def test_stories_as_gdelt_rows(coded, tmp_path):
    store, recs, stories = coded
    out = tmp_path / "stories.tsv"
    p = cli("stories", "--store", str(store), "--format", "gdelt", "--limit", "0", "-o", str(out))
    assert p.returncode == 0, p.stderr
    rows = tsv(out)
    unique = {s["story_id"]: s for s in stories.values()}
    assert len(rows) == len(unique)
    assert sum(int(r["NumMentions"]) for r in rows) == sum(s["num_mentions"] for s in unique.values())
    assert {int(r["GlobalEventID"]) for r in rows} == {int(i[:15], 16) for i in unique}


def test_polecat_tsv_columns_and_values(coded, tmp_path):
    store, recs, stories = coded
    out = tmp_path / "polecat.tsv"
    p = cli("events", "--store", str(store), "--format", "polecat", "--limit", "0", "-o", str(out))
    assert p.returncode == 0, p.stderr
    rows = tsv(out)
    assert tuple(rows[0]) == POLECAT_COLUMNS and len(rows) == len(recs)
    by_id = {r["Event ID"]: r for r in rows}
    quads = {1: "VERBAL COOPERATION", 2: "MATERIAL COOPERATION", 3: "VERBAL CONFLICT", 4: "MATERIAL CONFLICT"}
    for rec in recs:
        row = by_id[rec["event_id"]]
        assert row["Event Date"] == rec["date"] and row["Event Type"] == rec["event_type"]
        assert row["Quad Code"] == quads[rec["quad_class"]]
        assert row["Actor Country"] == (rec["source"] or {}).get("country")
        assert row["Recipient Country"] == (rec["target"] or {}).get("country")
        assert row["Source"] == rec["doc"]["publisher"] and row["Publication Date"] == rec["doc"]["published"]
        assert row["Story ID"] == rec["doc_id"] and row["Event Text"] in rec["evidence"]["text"]
        assert row["Story Event ID"] == stories[rec["event_id"]]["story_id"]
        assert float(row["Event Intensity"]) == pytest.approx(float(row["Event Intensity"]))
    nairobi = [r for r in rows if r["Placename"] == "Nairobi"]
    assert nairobi and all(r["City"] == "Nairobi" and r["Country"] == "KEN" and r["Feature Type"] == "PPL"
                           for r in nairobi)
    stdout = cli("events", "--store", str(store), "--format", "polecat", "--limit", "2")
    assert stdout.returncode == 0 and len(stdout.stdout.splitlines()) == 3
    assert "2 of" in stdout.stderr and "--limit 0" in stdout.stderr


def test_parquet_shapes_and_partitions(coded, tmp_path):
    store, recs, _ = coded
    flat = tmp_path / "flat.parquet"
    assert cli("events", "--store", str(store), "--format", "parquet", "--limit", "0", "-o", str(flat)).returncode == 0
    rel = duckdb.sql(f"SELECT * FROM read_parquet('{flat}')")
    assert rel.columns == [n for n, _ in EVENT_COLUMNS if n != "record"] and len(rel.fetchall()) == len(recs)
    pq = tmp_path / "polecat.parquet"
    assert cli("events", "--store", str(store), "--format", "polecat", "--limit", "0", "-o", str(pq)).returncode == 0
    rel = duckdb.sql(f"SELECT * FROM read_parquet('{pq}')")
    assert tuple(rel.columns) == POLECAT_COLUMNS
    assert dict(zip(rel.columns, map(str, rel.types)))["Event Date"] == "DATE"
    for fmt, columns in (("gdelt", GDELT_COLUMNS), ("polecat", POLECAT_COLUMNS), ("parquet", None)):
        folder = tmp_path / f"{fmt}-parts"
        p = cli("events", "--store", str(store), "--format", fmt, "--partition", "--limit", "0", "-o", str(folder))
        assert p.returncode == 0, p.stderr
        assert sorted(x.name for x in folder.iterdir()) == ["month=2025-03"]
        rel = duckdb.sql(f"SELECT * FROM read_parquet('{folder}/*/*.parquet', hive_partitioning=true)")
        assert len(rel.fetchall()) == len(recs) and rel.columns[-1] == "month"
        if columns:
            assert tuple(rel.columns[:-1]) == columns
        again = cli("events", "--store", str(store), "--format", fmt, "--partition", "--limit", "0", "-o", str(folder))
        assert again.returncode == 0  # an export replaces the folder's earlier partitions
        assert len(duckdb.sql(f"SELECT * FROM read_parquet('{folder}/*/*.parquet')").fetchall()) == len(recs)


def test_write_parquet_directly(coded, tmp_path):
    _, recs, _ = coded
    path = tmp_path / "e.parquet"
    assert write_parquet(recs, path) == len(recs)
    back = duckdb.sql(f"SELECT event_id, date, contexts, location_geonameid FROM read_parquet('{path}')").fetchall()
    assert {r[0] for r in back} == {r["event_id"] for r in recs}
    assert write_parquet([], tmp_path / "empty.parquet") == 0
    assert duckdb.sql(f"SELECT count(*) FROM read_parquet('{tmp_path / 'empty.parquet'}')").fetchall() == [(0,)]


def test_export_usage_errors(coded, tmp_path):
    store = str(coded[0])
    for args, option in ((["--format", "parquet"], "--format"), (["--format", "xml"], "--format"),
                         (["--format", "jsonl", "--partition"], "--partition"),
                         (["--format", "gdelt", "--partition"], "--partition")):
        p = cli("events", "--store", store, *args)
        assert p.returncode == 2 and option in p.stderr, (args, p.stderr)
    p = cli("events", "--help")
    assert "--format gdelt" in p.stdout and "--partition" in p.stdout


def test_cameo_actor_codes():
    assert cameo_actor({"country": "RUS", "sector": "MIL", "name": "Russia"})["code"] == "RUSMIL"
    assert cameo_actor({"country": "SYR", "sector": None, "name": None, "text": "Syria"})["code"] == "SYR"
    un = cameo_actor({"country": "UNO", "sector": None, "name": "United Nations"})
    assert (un["code"], un["known_group"], un["type1"], un["name"]) == ("IGOUNO", "UNO", "IGO", "UNITED NATIONS")
    assert cameo_actor({"country": "EUR", "sector": "GOV", "name": "European Commission"})["code"] == "IGOEUREECGOV"
    assert cameo_actor({"country": "UKR", "sector": "JRN", "name": None, "text": "journalists"})["type1"] == "MED"
    assert cameo_actor(None)["code"] == ""
    assert set(SECTOR_TO_CAMEO) | {"UNK"} == set(SECTORS)  # every PLOVER sector has a mapping (UNK: none)
    assert set(NONSTATE_TO_CAMEO) == set(NONSTATE_CODES)


def test_every_exported_column_is_documented(coded):
    doc = (ROOT / "docs" / "exports.md").read_text(encoding="utf-8")
    story_keys = next(iter(coded[2].values())).keys()
    for col in (*GDELT_COLUMNS, *POLECAT_COLUMNS, *STORY_CSV_COLUMNS, *story_keys, "month"):
        assert f"`{col}`" in doc, col
    for sector, code in SECTOR_TO_CAMEO.items():
        assert f"`{sector}`" in doc and f"`{code}`" in doc
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "docs/exports.md" in readme
