"""The CLI contract (CONTRACT §1): records on stdout, problems on stderr, exit codes, determinism."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXE = [sys.executable, "-m", "allegiance.cli"]


def run(*args: str, input: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([*EXE, *args], capture_output=True, text=True, input=input, cwd=ROOT)


def test_code_jsonl_is_byte_identical_and_skips_bad_lines(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join([
        json.dumps({"id": "a", "date": "2022-03-01", "text": "Russian artillery shelled Kharkiv on Monday."}),
        "{broken",
        json.dumps({"id": "b", "date": "2022-03-01", "text": "Poland sent ammunition to the Ukrainian army."}),
    ]))
    out1, out2 = tmp_path / "o1.jsonl", tmp_path / "o2.jsonl"
    p1 = run("code", str(src), "-o", str(out1))
    p2 = run("code", str(src), "-o", str(out2))
    assert p1.returncode == 0, p1.stderr
    assert "in.jsonl:2" in p1.stderr and "malformed JSON" in p1.stderr
    assert out1.read_bytes() == out2.read_bytes()
    recs = [json.loads(line) for line in out1.read_text().splitlines()]
    assert {r["doc_id"] for r in recs} == {"a", "b"}


def test_all_documents_bad_exits_1_and_usage_error_exits_2(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\x00\x00")
    assert run("code", str(bad)).returncode == 1
    assert run("code", str(bad), "--format", "xml").returncode == 2


def test_stdin_and_csv_and_parquet(tmp_path):
    p = run("code", "-", "--format", "csv", input="Egyptian police arrested twenty protesters in Cairo.")
    assert p.returncode == 0, p.stderr
    header = p.stdout.splitlines()[0].split(",")
    assert "source_country" in header and "evidence_text" in header
    out = tmp_path / "e.parquet"
    p = run("code", "-", "--format", "parquet", "-o", str(out), input="Egyptian police arrested twenty protesters in Cairo.")
    assert p.returncode == 0, p.stderr
    import duckdb

    n = duckdb.sql(f"SELECT count(*) FROM read_parquet('{out}') WHERE event_type = 'COERCE'").fetchall()[0][0]
    assert n >= 1


def test_run_is_idempotent_and_events_query(tmp_path):
    store = tmp_path / "a.duckdb"
    corpus = ROOT / "examples" / "inputs" / "sample.jsonl"
    p = run("run", str(corpus), "--store", str(store))
    assert p.returncode == 0, p.stderr
    import duckdb

    con = duckdb.connect(str(store), read_only=True)
    first = con.execute("SELECT count(*) FROM events").fetchone()[0]
    con.close()
    assert first > 0
    p = run("run", str(corpus), "--store", str(store))
    assert "already in the store" in p.stderr
    con = duckdb.connect(str(store), read_only=True)
    assert con.execute("SELECT count(*) FROM events").fetchone()[0] == first
    con.close()
    q = run("events", "--store", str(store), "--format", "jsonl", "--limit", "0")
    assert len(q.stdout.splitlines()) == first


def test_help_teaches():
    p = run("--help")
    assert p.returncode == 0 and "allegiance run" in p.stdout


def test_user_places_file_is_used(tmp_path):
    aliases = tmp_path / "places.csv"
    aliases.write_text("alias,name,country,admin1,lat,lon,geonameid,precision\n"
                       "Camp Zulu,Camp Zulu,SDN,Darfur,13.1,24.2,,city\n")
    p = run("code", "-", "--places", str(aliases),
            input="Sudanese soldiers shelled Camp Zulu on Monday, killing four RSF fighters.")
    assert p.returncode == 0, p.stderr
    recs = [json.loads(line) for line in p.stdout.splitlines()]
    assert any(r["location"] and r["location"]["name"] == "Camp Zulu" for r in recs)


def test_published_dates_undated_documents_only(tmp_path):
    undated = tmp_path / "undated.txt"
    undated.write_text("Turkish jets struck Kurdish militant positions in northern Iraq on Monday.\n",
                       encoding="utf-8")
    dated = tmp_path / "dated.txt"
    dated.write_text("Published: 2019-03-06\n\nTurkish jets struck Kurdish militant positions in northern "
                     "Iraq on Monday.\n", encoding="utf-8")
    res = run("code", str(undated), str(dated), "--published", "2016-05-12")
    assert res.returncode == 0, res.stderr
    recs = {json.loads(line)["doc_id"]: json.loads(line) for line in res.stdout.splitlines()}
    by_file = {k.split("/")[-1].split(":")[0]: v for k, v in recs.items()}
    assert any(v["date"] == "2016-05-09" for k, v in recs.items() if "undated" in k)  # Monday before
    assert any(v["date"] == "2019-03-04" for k, v in recs.items() if "undated" not in k)
    assert by_file
    bad = run("code", str(undated), "--published", "12/05/2016")
    assert bad.returncode == 2 and "--published" in bad.stderr


def test_config_file_supplies_actor_catalog_and_store(tmp_path):
    (tmp_path / "mine.yaml").write_text(
        "- name: Example Liberation Front\n  aliases: [ELF]\n  country: SYR\n  sector: REB\n", encoding="utf-8")
    (tmp_path / "allegiance.toml").write_text(
        '[allegiance]\nactors = ["mine.yaml"]\nstore = "events.duckdb"\n', encoding="utf-8")
    story = tmp_path / "story.txt"
    story.write_text("Published: 2021-06-02\n\nThe Example Liberation Front attacked an army checkpoint "
                     "near Hama on Monday.\n", encoding="utf-8")
    res = subprocess.run([*EXE, "--config", str(tmp_path / "allegiance.toml"), "code", str(story)],
                         capture_output=True, text=True, cwd=ROOT)
    assert res.returncode == 0, res.stderr
    rec = json.loads(res.stdout.splitlines()[0])
    assert rec["source"]["name"] == "Example Liberation Front" and rec["source"]["country"] == "SYR"
    res = subprocess.run([*EXE, "run", str(story)], capture_output=True, text=True, cwd=tmp_path)
    assert res.returncode == 0, res.stderr
    assert (tmp_path / "events.duckdb").exists() and not (tmp_path / "allegiance.duckdb").exists()
    bad = subprocess.run([*EXE, "--config", str(tmp_path / "nope.toml"), "version"],
                         capture_output=True, text=True, cwd=ROOT)
    assert bad.returncode == 1 and "nope.toml" in bad.stderr


def test_user_trigger_file_adds_a_verb(tmp_path):
    story = tmp_path / "story.txt"
    story.write_text("Published: 2021-06-02\n\nHungary stonewalled Ukraine on Monday.\n", encoding="utf-8")
    plain = run("code", str(story))
    assert plain.returncode == 0 and plain.stdout.strip() == ""
    mine = tmp_path / "my_triggers.yaml"
    mine.write_text("verbs:\n  stonewall: {type: REJECT, mode: change}\n", encoding="utf-8")
    res = run("code", str(story), "--triggers", str(mine))
    assert res.returncode == 0, res.stderr
    rec = json.loads(res.stdout.splitlines()[0])
    assert (rec["event_type"], rec["source"]["country"], rec["target"]["country"]) == ("REJECT", "HUN", "UKR")


def test_run_summary_keeps_rebels_apart_from_their_state(tmp_path):
    doc = tmp_path / "war.txt"
    doc.write_text("Russian jets bombed rebel positions near Idlib on Monday. Russia and Syria signed a "
                   "military cooperation pact in Damascus on Tuesday.\n", encoding="utf-8")
    p = run("run", str(doc), "--store", str(tmp_path / "w.duckdb"), "--published", "2015-10-08")
    assert p.returncode == 0, p.stderr
    table = p.stdout[p.stdout.index("First ally/enemy table"):]
    rows = {tuple(c.strip() for c in line.split("│")[1:6]) for line in table.splitlines() if line.startswith("│")}
    readings = {(a, b): r for a, b, _, _, r in rows}
    assert readings.get(("Russia", "Syria rebels")) == "enemy"
    assert readings.get(("Russia", "Syria")) == "ally"  # not netted against the strikes on rebels
