"""Story events (allegiance.analysis.stories): articles written for the project that report the
same events in different words, coded by the real coder through `allegiance run`, become one story
per real event with GDELT-style counts; events that only look alike stay apart."""
from __future__ import annotations

import json
import subprocess
import sys
import warnings
from pathlib import Path

import duckdb
import pytest

from allegiance.analysis.stories import (DEFAULT_WINDOW_DAYS, compute_stories, group_records, load_stories,
                                         source_key, stories_by_event, stories_fresh)
from allegiance.models import Document
from allegiance.store import Store

ROOT = Path(__file__).resolve().parents[2]
ARTICLES = ROOT / "benchmarks" / "stories" / "articles.jsonl"
GOLD = json.loads((ROOT / "benchmarks" / "stories" / "gold.json").read_text(encoding="utf-8"))["events"]
EXE = [sys.executable, "-m", "allegiance.cli"]
STORY_KEYS = {"story_id", "event_type", "source", "target", "location", "date", "num_mentions", "num_sources",
              "num_articles", "event_ids"}


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*EXE, *args], capture_output=True, text=True, cwd=ROOT)


@pytest.fixture(scope="module")
def store(tmp_path_factory) -> Path:
    """The eight articles coded by `allegiance run` (default engine) into a new store."""
    path = tmp_path_factory.mktemp("stories") / "stories.duckdb"
    p = cli("run", str(ARTICLES), "--store", str(path))
    assert p.returncode == 0, p.stderr
    assert "story events" in p.stderr
    return path


def records(path: Path) -> list[dict]:
    with Store(path, read_only=True) as db:
        return list(db.records())


def gold_records(recs: list[dict], event: dict) -> list[dict]:
    """The records of a gold event: same document, the sentence named, the gold type."""
    out = []
    for doc_id, words in event["mentions"]:
        found = [r for r in recs if r["doc_id"] == doc_id and words in r["evidence"]["text"]
                 and r["event_type"] == event["type"]]
        assert found, f"the coder gave no {event['type']} record for {doc_id!r}: {words!r}"
        out += found
    return out


def test_each_real_event_is_one_story_with_the_right_counts(store):
    recs = records(store)
    with Store(store, read_only=True) as db:
        total, stories = load_stories(db.con)
    by_event = stories_by_event(stories)
    claimed: dict[str, str] = {}
    for event in GOLD:
        members = gold_records(recs, event)
        ids = {by_event[r["event_id"]]["story_id"] for r in members}
        assert len(ids) == 1, f"{event['event']} is split over {len(ids)} stories"
        story = by_event[members[0]["event_id"]]
        assert set(story["event_ids"]) == {r["event_id"] for r in members}, event["event"]  # and nothing else
        for key in ("num_mentions", "num_articles", "num_sources"):
            assert story[key] == event[key], (event["event"], key, story[key])
        assert story["event_type"] == event["type"]
        claimed[story["story_id"]] = event["event"]
    assert len(claimed) == len(GOLD)  # no two gold events share a story
    assert total == len(stories) == len(GOLD)


def test_distractors_stay_apart(store):
    with Store(store, read_only=True) as db:
        by_event = stories_by_event(load_stories(db.con)[1])
    recs = records(store)
    named = {e["event"]: e for e in GOLD}
    for event in GOLD:
        if "not_with" not in event:
            continue
        mine = {by_event[r["event_id"]]["story_id"] for r in gold_records(recs, event)}
        theirs = {by_event[r["event_id"]]["story_id"] for r in gold_records(recs, named[event["not_with"]])}
        assert not mine & theirs, f"{event['event']} merged with {event['not_with']} ({event['distractor']})"


def test_story_fields(store):
    with Store(store, read_only=True) as db:
        stories = load_stories(db.con)[1]
    kharkiv = next(s for s in stories if s["num_mentions"] == 4)
    assert kharkiv["event_type"] == "ASSAULT" and kharkiv["date"] == "2025-03-10"
    assert kharkiv["source"]["country"] == "RUS" and kharkiv["target"]["country"] == "UKR"
    assert kharkiv["location"]["name"] == "Kharkiv"
    assert kharkiv["num_records"] == 4 and kharkiv["first_seen"] == "2025-03-10" and kharkiv["last_seen"] == "2025-03-11"
    assert kharkiv["sources"] == ["Northwind Wire", "Harbour Daily", "Meridian Post"]
    talks = next(s for s in stories if s["event_type"] == "CONSULT" and s["num_articles"] == 2)
    assert talks["num_records"] == 4 and talks["num_mentions"] == 3  # Berlin talks: two French visits to Germany, one mirrored pair
    assert {talks["source"]["country"], talks["target"]["country"]} == {"FRA", "DEU"}
    assert [s["date"] for s in stories] == sorted(s["date"] for s in stories)


def test_run_stores_stories_and_a_rerun_changes_nothing(store, tmp_path):
    with Store(store, read_only=True) as db:
        assert stories_fresh(db.con)
        before = load_stories(db.con)[1]
        assert before == compute_stories(db.con)  # the stored stories are the computed ones
        n_links = db.query("SELECT count(*) FROM story_events")[0][0]
        assert n_links == sum(len(s["event_ids"]) for s in before)
    p = cli("run", str(ARTICLES), "--store", str(store))
    assert p.returncode == 0 and "8 already in the store" in p.stderr, p.stderr
    with Store(store, read_only=True) as db:
        assert load_stories(db.con)[1] == before
        assert db.query("SELECT count(*) FROM story_events")[0][0] == n_links


def test_a_store_written_since_is_computed_on_the_fly(store, tmp_path, coder):
    import shutil

    path = tmp_path / "copy.duckdb"
    shutil.copy(store, path)
    doc = Document(id="late", published="2025-03-11", publisher="Late Edition",
                   text="Russian missiles hit Kharkiv on Monday, the city's mayor said.")
    with Store(path) as db:
        db.add(doc, coder.code(doc), "v")  # written without refreshing the stories
    with Store(path, read_only=True) as db:
        assert not stories_fresh(db.con)
        stories = load_stories(db.con)[1]
        late = next(r["event_id"] for r in db.records("doc_id = 'late' AND event_type = 'ASSAULT'"))
    kharkiv = stories_by_event(stories)[late]
    assert kharkiv["num_articles"] == 4 and kharkiv["num_sources"] == 4
    with Store(path) as db:
        db.refresh_stories()
        assert stories_fresh(db.con) and load_stories(db.con)[1] == stories


def test_window_option(store):
    with Store(store, read_only=True) as db:
        default = load_stories(db.con)[1]
        wide = load_stories(db.con, 7)[1]
        narrow = load_stories(db.con, 0)[1]
    sanctions = [s for s in wide if s["event_type"] == "SANCTION"]
    assert len(sanctions) == 1 and sanctions[0]["num_articles"] == 4  # 12 and 19 March, 7 days apart
    assert len(wide) == len(default) - 1
    # every article dates its event to the day (the governor's sentence takes Monday from the one
    # before it), so a window of 0 days groups as the default does
    assert sorted(sorted(s["event_ids"]) for s in narrow) == sorted(sorted(s["event_ids"]) for s in default)
    with pytest.raises(ValueError, match="window"):
        group_records([], window=31)


def test_filters(store, monkeypatch):
    from allegiance.analysis import stories as stories_mod

    with Store(store, read_only=True) as db:
        everything = load_stories(db.con)[1]
        assert load_stories(db.con, event_type="sanction")[1] == [s for s in everything if s["event_type"] == "SANCTION"]
        iran = load_stories(db.con, actor="IRN")[1]
        assert len(iran) == 2 and all(s["target"]["country"] == "IRN" for s in iran)
        assert [s["story_id"] for s in load_stories(db.con, actor="kenya")[1]] == \
            [s["story_id"] for s in everything if s["event_type"] == "PROTEST"]
        window = load_stories(db.con, since="2025-03-11", until="2025-03-12")[1]
        assert window and all("2025-03-11" <= s["date"] <= "2025-03-12" for s in window)
        total, page = load_stories(db.con, limit=3, offset=2)
        assert total == len(everything) and page == everything[2:5]
        # the filters over stories computed in memory agree with the SQL over the stored ones
        cases = ({"actor": "IRN"}, {"actor": "germany"}, {"event_type": "CONSULT"}, {"since": "2025-03-12"},
                 {"until": "2025-03-11", "limit": 2, "offset": 1})
        stored = [load_stories(db.con, **kw) for kw in cases]
        monkeypatch.setattr(stories_mod, "stories_fresh", lambda con, window=2: False)
        assert [load_stories(db.con, **kw) for kw in cases] == stored
        with pytest.raises(ValueError, match="PLOVER type"):
            load_stories(db.con, event_type="BOMB")


def test_cli_stories_jsonl_csv_and_errors(store):
    p = cli("stories", "--store", str(store), "--format", "jsonl", "--limit", "0")
    assert p.returncode == 0, p.stderr
    rows = [json.loads(line) for line in p.stdout.splitlines()]
    assert len(rows) == len(GOLD) and all(STORY_KEYS <= set(r) for r in rows)
    with Store(store, read_only=True) as db:
        assert rows == load_stories(db.con)[1]
    p = cli("stories", "--store", str(store), "--format", "jsonl", "--type", "ASSAULT", "--actor", "RUS",
            "--since", "2025-03-10", "--until", "2025-03-10", "--window", "2")
    assert p.returncode == 0, p.stderr
    assert sorted(json.loads(x)["num_mentions"] for x in p.stdout.splitlines()) == [1, 4]
    p = cli("stories", "--store", str(store), "--format", "csv", "--limit", "0")
    assert p.returncode == 0
    header = p.stdout.splitlines()[0].split(",")
    assert {"story_id", "num_mentions", "num_sources", "num_articles", "event_ids", "source_country"} <= set(header)
    p = cli("stories", "--store", str(store))
    assert p.returncode == 0 and "story event(s)" in p.stderr
    for args, option in ((["--window", "99"], "--window"), (["--window", "two"], "--window"),
                         (["--type", "BOMB"], "--type"), (["--since", "2025-13-01"], "--since"),
                         (["--format", "xml"], "--format"), (["--limit", "-1"], "--limit")):
        p = cli("stories", "--store", str(store), *args)
        assert p.returncode == 2 and option in p.stderr, (args, p.stderr)
    p = cli("stories", "--help")
    assert p.returncode == 0 and "allegiance stories --type ASSAULT" in p.stdout


def test_api_stories_equal_the_cli(store):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient
    from allegiance.api import create_app

    client = TestClient(create_app(store))
    for args, params in (([], {}), (["--actor", "IRN"], {"actor": "IRN"}),
                         (["--type", "CONSULT", "--window", "5"], {"type": "CONSULT", "window": 5}),
                         (["--since", "2025-03-12"], {"since": "2025-03-12"})):
        p = cli("stories", "--store", str(store), "--format", "jsonl", "--limit", "0", *args)
        expected = [json.loads(line) for line in p.stdout.splitlines()]
        r = client.get("/api/stories", params={"limit": 1000, **params})
        assert r.status_code == 200 and r.json() == expected and expected
        assert r.headers["X-Total-Count"] == str(len(expected))
    for params, name in (({"window": 31}, "window"), ({"type": "BOMB"}, "type"), ({"since": "03/05/2025"}, "since"),
                         ({"limit": 0}, "limit")):
        r = client.get("/api/stories", params=params)
        assert r.status_code == 422 and f"'{name}'" in r.json()["message"]
    r = client.get("/api/stories", params={"since": "2025-03-12", "until": "2025-03-01"})  # an empty window
    assert r.status_code == 200 and r.json() == [] and r.headers["X-Total-Count"] == "0"
    spec = client.get("/openapi.json").json()
    assert "/api/stories" in spec["paths"] and "StoryModel" in spec["components"]["schemas"]


def test_more_phrasings_of_one_event(coder):
    """A summit reported as talks in one article and a summit in another; an arrest reported twice."""
    docs = [Document(id="a", published="2025-05-06", publisher="A", text="Italy, France and Germany held talks in Rome on Monday."),
            Document(id="b", published="2025-05-06", publisher="B",
                     text="The leaders of Italy, France and Germany held a summit in Rome on Monday."),
            Document(id="c", published="2025-05-06", url="https://www.example.org/kampala",
                     text="Ugandan police arrested opposition supporters in Kampala on Monday."),
            Document(id="d", published="2025-05-07", url="https://example.org/uganda",
                     text="Police in Kampala detained dozens of opposition activists on Monday.")]
    recs = [r for d in docs for r in coder.code(d)]
    stories = group_records(recs)
    summit = [s for s in stories if s["event_type"] == "CONSULT"]
    assert len(summit) == 1 and summit[0]["num_records"] == 6 and summit[0]["num_articles"] == 2
    arrests = [s for s in stories if s["event_type"] == "COERCE"]
    assert len(arrests) == 1 and arrests[0]["num_articles"] == 2
    assert arrests[0]["num_sources"] == 1  # the same host, with and without www.
    assert group_records(recs, window=DEFAULT_WINDOW_DAYS) == group_records(list(reversed(recs)))  # order-free


def test_source_key():
    assert source_key("Reuters ", "https://www.reuters.com/x", "d")[0] == source_key("reuters", None, "e")[0]
    assert source_key(None, "https://www.bbc.co.uk/a", "d") == ("host:bbc.co.uk", "bbc.co.uk")
    assert source_key(None, None, "doc-7") == ("document:doc-7", "doc-7")


def test_many_copies_group_the_same_way(store):
    """The coded records copied 300 times, 30 days apart (5,400 records): 300 times the stories."""
    import datetime as dt

    recs = records(store)
    with Store(store, read_only=True) as db:
        base = load_stories(db.con)[1]
    copies = []
    for k in range(300):
        for r in recs:
            c = json.loads(json.dumps(r))
            c["event_id"] = f"{k:04d}{r['event_id'][4:]}"
            c["doc_id"] = f"{k}:{r['doc_id']}"
            c["date"] = (dt.date.fromisoformat(r["date"]) + dt.timedelta(days=30 * k)).isoformat()
            copies.append(c)
    stories = group_records(copies)
    assert len(stories) == 300 * len(base)
    assert sorted(s["num_mentions"] for s in stories) == sorted([s["num_mentions"] for s in base] * 300)
