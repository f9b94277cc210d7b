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


def test_code_jsonl_is_byte_identical_and_reports_bad_lines(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join([
        json.dumps({"id": "a", "date": "2022-03-01", "text": "Russian artillery shelled Kharkiv on Monday."}),
        "{broken",
        json.dumps({"id": "b", "date": "2022-03-01", "text": "Poland sent ammunition to the Ukrainian army."}),
    ]))
    out1, out2 = tmp_path / "o1.jsonl", tmp_path / "o2.jsonl"
    p1 = run("code", str(src), "-o", str(out1))
    p2 = run("code", str(src), "-o", str(out2))
    assert p1.returncode == 1, p1.stderr  # a line failed: the others are still coded
    assert "failed " + str(src) + ":2: malformed JSON" in p1.stderr
    assert p1.stderr.rstrip().splitlines()[-1] == "2 coded, 0 skipped, 1 failed"
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
    assert bad.returncode == 2 and "nope.toml" in bad.stderr and "--config" in bad.stderr  # a usage error


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


FRENCH = ("Le gouvernement a annoncé mardi la reprise des discussions avec les syndicats des dockers. "
          "Les représentants des deux parties se retrouveront la semaine prochaine à Marseille pour "
          "examiner les propositions du ministère. Selon un porte-parole, aucun accord n'est attendu "
          "avant la fin du mois.")
FRENCH_2 = ("Les agriculteurs ont bloqué jeudi les routes autour de la préfecture pour protester contre "
            "la baisse des prix du lait. La police a dégagé les accès en fin de journée, selon les "
            "autorités locales, et les syndicats promettent de nouvelles actions la semaine prochaine.")


def test_languages_option_a_folder_of_french_articles_and_a_bad_code(tmp_path):
    (tmp_path / "fr").mkdir()
    (tmp_path / "fr" / "a.txt").write_text(FRENCH, encoding="utf-8")
    (tmp_path / "fr" / "b.txt").write_text(FRENCH_2, encoding="utf-8")
    p = run("code", str(tmp_path / "fr"), "--engine", "rules", "--jobs", "1")
    assert p.returncode == 0, p.stderr  # deliberately skipped, nothing failed
    assert f"skipped {tmp_path / 'fr' / 'a.txt'}: language fr (French), not English" in p.stderr.splitlines()
    assert p.stderr.rstrip().splitlines()[-1] == "0 coded, 2 skipped (2 language fr), 0 failed"
    assert p.stdout == ""
    p = run("code", str(tmp_path / "fr"), "--engine", "rules", "--jobs", "1", "--languages", "en,fr")
    assert p.returncode == 0 and p.stderr.rstrip().splitlines()[-1] == "2 coded, 0 skipped, 0 failed"
    for command, bad in (("code", "en,xx"), ("code", ","), ("run", "english"), ("watch", "xx")):
        store = [] if command == "code" else ["--store", str(tmp_path / "s.duckdb")]
        p = run(command, str(tmp_path / "fr"), "--languages", bad, *store)
        assert p.returncode == 2 and "--languages" in p.stderr and "Traceback" not in p.stderr, bad
    assert not (tmp_path / "s.duckdb").exists()


def test_run_over_a_folder_with_a_corrupt_gz_stores_the_rest_exits_1_and_reports(tmp_path):
    import gzip

    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text("Russian artillery shelled Kharkiv on Monday, officials said.")
    (src / "b.jsonl").write_text(
        json.dumps({"id": "b1", "text": "Poland sent ammunition to the Ukrainian army."}) + "\n" +
        json.dumps({"id": "a.txt", "text": "A second document under the id of the first."}) + "\n" +
        json.dumps({"id": "b1", "text": "Poland sent ammunition to the Ukrainian army."}) + "\n")
    (src / "c.jsonl.gz").write_bytes(gzip.compress(b'{"id": "c1", "text": "Lost."}\n')[:-9])
    (src / "fr.txt").write_text(FRENCH, encoding="utf-8")
    (src / "scan.pdf").write_bytes(b"%PDF-1.4\n")
    (src / "rows.csv").write_text('id,text\nr1,"A quote that is never closed.\n'
                                  "r2,Egyptian police arrested twenty protesters in Cairo.\n")
    store, report = tmp_path / "s.duckdb", tmp_path / "report.jsonl"
    p = run("run", str(src), "--store", str(store), "--engine", "rules", "--jobs", "1", "--top", "0",
            "--report", str(report))
    assert p.returncode == 1, p.stderr  # something failed; the rest is stored
    lines = p.stderr.splitlines()
    for expected in (f"failed {src / 'c.jsonl.gz'}: truncated compressed data",
                     f"failed {src / 'b.jsonl'}:2: document id 'a.txt' was already used by {src / 'a.txt'}",
                     f"skipped {src / 'b.jsonl'}:3: duplicate of document id 'b1'",
                     f"failed {src / 'rows.csv'}:2: unterminated quoted field",
                     f"skipped {src / 'fr.txt'}: language fr (French), not English",
                     f"skipped {src / 'scan.pdf'}: unsupported file type .pdf"):
        assert sum(line.startswith(expected) for line in lines) == 1, (expected, p.stderr)
    summary = next(line for line in lines if " coded, " in line)
    assert summary.startswith("3 coded, 3 skipped (1 duplicate, 1 language fr, 1 unsupported .pdf), "
                              "3 failed; store ")
    import duckdb

    con = duckdb.connect(str(store), read_only=True)
    assert {r[0] for r in con.execute("SELECT doc_id FROM documents").fetchall()} == {"a.txt", "b1", "r2"}
    con.close()
    rows = [json.loads(line) for line in report.read_text().splitlines()]
    assert rows[-1] == {"summary": True, "coded": 3, "skipped": 3, "failed": 3, "already_in_store": 0,
                        "skipped_by_reason": {"duplicate": 1, "language fr": 1, "unsupported .pdf": 1}}
    by_origin = {r["origin"]: r for r in rows[:-1]}
    assert len(rows) == 7 and by_origin[f"{src / 'fr.txt'}"] == {
        "status": "skipped", "origin": f"{src / 'fr.txt'}", "reason": "language fr",
        "message": "language fr (French), not English"}
    assert by_origin[f"{src / 'c.jsonl.gz'}"]["status"] == "failed"
    # re-run after the bad file is removed: nothing fails, nothing is coded twice
    (src / "c.jsonl.gz").unlink()
    (src / "rows.csv").unlink()
    (src / "b.jsonl").write_text(json.dumps({"id": "b1", "text": "Poland sent ammunition to the Ukrainian army."}))
    p = run("run", str(src), "--store", str(store), "--engine", "rules", "--jobs", "1", "--top", "0")
    assert p.returncode == 0, p.stderr
    assert "0 coded, 2 already in the store, 2 skipped" in p.stderr


def test_long_messages_are_one_line_each(tmp_path):
    deep = tmp_path / ("a-folder-with-a-long-name-" * 3) / ("and-another-one-" * 3)
    deep.mkdir(parents=True)
    (deep / "bad.jsonl").write_text("{not json [bold]at all[/bold]\n")
    p = subprocess.run([*EXE, "code", str(deep), "--jobs", "1", "--engine", "rules"], capture_output=True,
                       text=True, cwd=ROOT, env={**__import__("os").environ, "COLUMNS": "40"})
    expected = f"failed {deep / 'bad.jsonl'}:1: malformed JSON (Expecting property name enclosed in double quotes at column 2)"
    assert len(expected) > 120 and expected in p.stderr.splitlines(), p.stderr


def test_progress_total_is_unknown_for_compressed_and_archives(tmp_path):
    from allegiance.cli import _count_hint

    (tmp_path / "a.txt").write_text("One.")
    (tmp_path / "b.jsonl").write_text('{"id": 1, "text": "x"}\n\n{"id": 2, "text": "y"}\n')
    (tmp_path / "c.pdf").write_bytes(b"%PDF")  # named once as unsupported: one item
    (tmp_path / ".hidden.txt").write_text("Not read.")
    assert _count_hint([str(tmp_path)]) == 4
    for name in ("d.jsonl.gz", "d.txt.bz2", "d.zip", "d.warc", "d.warc.gz", "d.wet", "d.csv"):
        (tmp_path / name).write_bytes(b"x")
        assert _count_hint([str(tmp_path)]) is None, name
        assert _count_hint([str(tmp_path / name)]) is None, name
        (tmp_path / name).unlink()
    assert _count_hint([str(tmp_path / "a.txt"), "-"]) is None


def test_watch_keeps_story_events_and_the_sides_index_fresh(tmp_path):
    """After a watch round that stored documents, `stories` and `sides` read stored tables that
    match the store (as after `run`); --no-sides-index leaves only the sides to readers."""
    import duckdb

    from allegiance.analysis.sideindex import index_fresh
    from allegiance.analysis.stories import stories_fresh

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "a.txt").write_text("Chadian troops clashed with rebels near the Libyan border on Sunday.\n")
    (inbox / "b.txt").write_text("Armenia accused Azerbaijan of shelling villages in the south.\n")
    for flag, sides in (("--sides-index", True), ("--no-sides-index", False)):
        store = tmp_path / f"{flag}.duckdb"
        p = run("watch", str(inbox), "--rounds", "1", "--every", "1s", "--engine", "rules", flag,
                "--store", str(store))
        assert p.returncode == 0, p.stderr
        assert "story events" in p.stderr
        con = duckdb.connect(str(store), read_only=True)
        try:
            assert con.execute("SELECT count(*) FROM documents").fetchone()[0] == 2
            assert stories_fresh(con)
            assert index_fresh(con) is sides
        finally:
            con.close()
