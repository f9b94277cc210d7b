"""The HTTP API (allegiance.api) on a real store coded from short texts written for these tests."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from allegiance import __version__
from allegiance.models import PLOVER_TYPES, Document
from allegiance.store import Store

with warnings.catch_warnings():  # starlette's TestClient warns about httpx at import time
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

ROOT = Path(__file__).resolve().parents[1]
EXE = [sys.executable, "-m", "allegiance.cli"]

# Invented news items (events paraphrased, not taken from any article). The last one carries
# hostile HTML in its title and text: the UI must show it as text.
DOCS = [
    Document(id="levant-1", published="2024-03-04", title="Jets strike rebel towns",
             text="Jets strike rebel towns\n\nRussian warplanes bombed rebel positions near Idlib on Monday, "
                  "a monitoring group said. Turkey condemned the air strikes and called for a ceasefire. "
                  "Russia denied that its jets had bombed a hospital in Aleppo."),
    Document(id="gulf-2", published="2024-03-06", title="Washington targets Tehran",
             text="Washington targets Tehran\n\nThe United States imposed new sanctions on Iran on Tuesday. "
                  "Iran accused the United States of economic warfare. Iran sent drones to Russia, "
                  "according to Ukrainian officials."),
    Document(id="europe-3", published="2024-03-08", title="Paris and Berlin deepen ties",
             text="Paris and Berlin deepen ties\n\nFrance and Germany signed a defence cooperation agreement "
                  "in Paris on Thursday. Germany sent air defence systems to Ukraine. Ukraine thanked "
                  "Germany for the aid."),
    Document(id="news/hostile-4", published="2024-03-09",
             title="<script>window.__pwned=1</script>Warsaw arrests",
             text="<script>window.__pwned=2</script>\n\nPolish police arrested ten protesters in Warsaw "
                  "<img src=x onerror=\"window.__pwned=3\"> on Saturday."),
]
CODE_TEXT = ("Brazilian police arrested forty protesters in Manaus on Friday. "
             "Argentina and Chile held talks on their border dispute.")


def build_store(path: Path, coder) -> dict[str, list[dict]]:
    """Code DOCS with the real coder into a new store at ``path``; RETURNS records by doc id."""
    out = {}
    with Store(path) as db:
        for doc in DOCS:
            out[doc.id] = coder.code(doc)
            db.add(doc, out[doc.id], __version__)
    return out


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([*EXE, *args], capture_output=True, text=True, cwd=ROOT)


@pytest.fixture(scope="module")
def coded(tmp_path_factory, coder):
    path = tmp_path_factory.mktemp("api") / "store.duckdb"
    return path, build_store(path, coder)


@pytest.fixture(scope="module")
def client(coded, coder):
    from allegiance.api import create_app

    return TestClient(create_app(coded[0], coder=coder))


def all_records(coded) -> list[dict]:
    with Store(coded[0], read_only=True) as db:
        return list(db.records())


def test_health_counts_and_version(client, coded):
    r = client.get("/api/health")
    assert r.status_code == 200
    body = r.json()
    n_events = sum(len(v) for v in coded[1].values())
    assert n_events >= 10
    assert body == {"status": "ok", "version": __version__, "store": str(coded[0]), "documents": 4,
                    "events": n_events, "coder_loaded": True}


def test_events_are_the_stored_records_and_match_the_model(client, coded):
    from pydantic import TypeAdapter

    from allegiance.api import EventRecord

    r = client.get("/api/events", params={"limit": 1000})
    assert r.status_code == 200
    recs = r.json()
    assert recs == all_records(coded)
    assert r.headers["X-Total-Count"] == str(len(recs))
    coded_ids = {rec["event_id"] for recs_ in coded[1].values() for rec in recs_}
    assert {rec["event_id"] for rec in recs} == coded_ids
    TypeAdapter(list[EventRecord]).validate_python(recs)  # the documented schema fits real records
    page = client.get("/api/events", params={"limit": 3, "offset": 2})
    assert page.json() == recs[2:5] and page.headers["X-Total-Count"] == str(len(recs))


def test_event_filters(client, coded):
    recs = all_records(coded)
    get = lambda **p: client.get("/api/events", params={"limit": 1000, **p}).json()  # noqa: E731
    assaults = get(type="assault")
    assert assaults and assaults == [r for r in recs if r["event_type"] == "ASSAULT"]
    iran = get(actor="IRN")
    assert iran and all("IRN" in ((r["source"] or {}).get("country"), (r["target"] or {}).get("country")) for r in iran)
    assert {r["doc_id"] for r in get(actor="germ")} == {"europe-3"}  # name substring, any case
    window = get(since="2024-03-06", until="2024-03-08")
    assert window and all("2024-03-06" <= r["date"] <= "2024-03-08" for r in window)
    assert len(window) < len(recs)
    factual = get(factual="true")
    negated = [r for r in recs if r["modality"]["negated"] or r["modality"]["hypothetical"]]
    assert negated, "the Russian denial must be coded as a negated event"
    assert len(factual) == len(recs) - len(negated)
    assert not any(r["event_id"] in {n["event_id"] for n in negated} for r in factual)


@pytest.mark.parametrize("args, params", [
    (["--type", "ASSAULT"], {"type": "ASSAULT"}),
    (["--actor", "USA", "--since", "2024-03-05"], {"actor": "USA", "since": "2024-03-05"}),
    (["--factual", "--until", "2024-03-08"], {"factual": "true", "until": "2024-03-08"}),
])
def test_event_filters_equal_the_cli(client, coded, args, params):
    p = cli("events", "--store", str(coded[0]), "--format", "jsonl", "--limit", "0", *args)
    assert p.returncode == 0, p.stderr
    expected = [json.loads(line) for line in p.stdout.splitlines()]
    got = client.get("/api/events", params={"limit": 1000, **params}).json()
    assert expected and got == expected


@pytest.mark.parametrize("params, name", [
    ({"since": "2024-13-01"}, "since"), ({"until": "yesterday"}, "until"), ({"type": "BOMB"}, "type"),
    ({"limit": 0}, "limit"), ({"limit": 5000}, "limit"), ({"offset": -1}, "offset"),
    ({"until": "0"}, "until"), ({"since": "20240301"}, "since"), ({"bbox": "10,20,30"}, "bbox"),
    ({"bbox": "10,95,30,40"}, "bbox"), ({"min_certainty": 1.5}, "min_certainty"),
])
def test_event_query_errors_are_422_naming_the_parameter(client, params, name):
    r = client.get("/api/events", params=params)
    assert r.status_code == 422
    body = r.json()
    assert f"'{name}'" in body["message"]
    assert any(e["loc"][-1] == name for e in body["detail"])
    if name == "type":
        assert all(t in body["message"] for t in PLOVER_TYPES)


def test_an_empty_date_window_matches_nothing(client):
    r = client.get("/api/events", params={"since": "2024-03-09", "until": "2024-03-01"})
    assert r.status_code == 200 and r.json() == [] and r.headers["X-Total-Count"] == "0"


def test_event_by_id_and_404(client, coded):
    rec = coded[1]["gulf-2"][0]
    r = client.get(f"/api/events/{rec['event_id']}")
    assert r.status_code == 200 and r.json() == json.loads(json.dumps(rec))
    r = client.get("/api/events/0000000000000000")
    assert r.status_code == 404 and "0000000000000000" in r.json()["detail"]


def test_documents_list_and_detail(client, coded):
    r = client.get("/api/documents")
    assert r.status_code == 200
    docs = {d["doc_id"]: d for d in r.json()}
    assert set(docs) == {d.id for d in DOCS}
    assert docs["europe-3"]["title"] == "Paris and Berlin deepen ties"
    assert docs["europe-3"]["published"] == "2024-03-08"
    assert all(docs[k]["n_events"] == len(v) for k, v in coded[1].items())
    r = client.get("/api/documents/news/hostile-4")  # an id with a slash
    assert r.status_code == 200
    body = r.json()
    assert body["text"] == DOCS[3].text and body["title"].startswith("<script>")
    assert [e["event_id"] for e in body["events"]] == [e["event_id"] for e in coded[1]["news/hostile-4"]]
    for e in body["events"]:  # evidence offsets index the document text
        ev = e["evidence"]
        assert body["text"][ev["trigger_start"]:ev["trigger_end"]] == ev["trigger"]
        assert body["text"][ev["start"]:ev["end"]] == ev["text"]
    assert client.get("/api/documents/nowhere").status_code == 404
    assert client.get("/api/documents", params={"limit": 0}).status_code == 422


@pytest.mark.parametrize("args, params", [
    ([], {}),
    (["--since", "2024-03-05", "--level", "country"], {"since": "2024-03-05", "level": "country"}),
    (["--half-life", "3"], {"half_life": 3}),
])
def test_sides_equal_the_cli_json(client, coded, args, params):
    p = cli("sides", "--store", str(coded[0]), "--format", "json", "--all", "--min-events", "1", "--show-generic", *args)
    assert p.returncode == 0, p.stderr
    expected = json.loads(p.stdout)
    r = client.get("/api/sides", params=params)
    assert r.status_code == 200
    assert r.json() == expected
    assert expected["stances"] and expected["sides"]
    ids = {rec["event_id"] for rec in all_records(coded)}
    assert all(set(st["evidence"]) <= ids for st in expected["stances"])


def test_theatres_and_the_sides_of_one_theatre(client, coded):
    ts = client.get("/api/theatres").json()
    assert ts and all(set(t) == {"code", "name", "events", "first", "last"} for t in ts)
    assert [t["events"] for t in ts if t["code"]] == sorted((t["events"] for t in ts if t["code"]), reverse=True)
    code = ts[0]["code"]
    r = client.get("/api/sides", params={"theatre": ts[0]["name"].lower()})
    assert r.status_code == 200 and r.json()["theatre"]["code"] == code and r.json()["theatres"] == ts
    p = cli("sides", "--store", str(coded[0]), "--format", "json", "--theatre", code, "--min-events", "1",
            "--show-generic")
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout) == r.json()
    everything = client.get("/api/sides").json()
    assert everything["theatre"] is None
    assert sum(t["events"] for t in ts) >= ts[0]["events"]
    missing = client.get("/api/sides", params={"theatre": "Narnia"})
    assert missing.status_code == 404 and "GET /api/theatres" in missing.json()["detail"]
    assert client.get("/api/sides", params={"min_events": 0}).status_code == 422


def test_sides_validation(client):
    for params, name in (({"level": "planet"}, "level"), ({"half_life": -2}, "half_life"),
                         ({"since": "03/05/2024"}, "since")):
        r = client.get("/api/sides", params=params)
        assert r.status_code == 422 and f"'{name}'" in r.json()["message"]


def test_code_is_lazy_stateless_and_equals_the_cli(coded, tmp_path):
    from allegiance.api import create_app

    app_client = TestClient(create_app(coded[0]))  # no coder given: built on the first POST
    assert app_client.get("/api/health").json()["coder_loaded"] is False
    payload = {"text": CODE_TEXT, "id": "req-1", "date": "2024-05-10", "title": "Manaus arrests"}
    r = app_client.post("/api/code", json=payload)
    assert r.status_code == 200, r.text
    got = r.json()
    health = app_client.get("/api/health").json()
    assert health["coder_loaded"] is True
    assert health["events"] == sum(len(v) for v in coded[1].values())  # nothing written
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps(payload) + "\n", encoding="utf-8")
    p = cli("code", str(src))
    assert p.returncode == 0, p.stderr
    expected = [json.loads(line) for line in p.stdout.splitlines()]
    assert got == expected
    assert {r["event_type"] for r in got} >= {"COERCE", "CONSULT"}
    assert {r["doc_id"] for r in got} == {"req-1"} and got[0]["doc"]["title"] == "Manaus arrests"


def test_code_errors_are_422(coded, coder):
    from allegiance.api import create_app

    c = TestClient(create_app(coded[0], coder=coder, max_chars=200))
    for body, name, words in (({"text": "   "}, "text", "empty"), ({"text": "x" * 201}, "text", "too long"),
                              ({"text": "Chile protested.", "date": "2024-02-30"}, "date", "date"),
                              ({"title": "no text"}, "text", "required"),
                              ({"text": "Chile protested.", "id": " "}, "id", "empty")):
        r = c.post("/api/code", json=body)
        assert r.status_code == 422, body
        msg = r.json()["message"]
        assert f"'{name}'" in msg and words in msg.lower(), msg
    ok = c.post("/api/code", json={"text": "Chilean police arrested six miners in Santiago."})
    assert ok.status_code == 200 and ok.json()[0]["doc_id"] == "request"


def test_missing_store_is_a_clear_503(tmp_path):
    from allegiance.api import create_app

    missing = tmp_path / "nothing.duckdb"
    c = TestClient(create_app(missing))
    for url in ("/api/health", "/api/events", "/api/sides", "/api/documents"):
        r = c.get(url)
        assert r.status_code == 503
        assert str(missing) in r.json()["detail"] and "allegiance run" in r.json()["detail"]
    assert c.get("/").status_code == 200  # the UI still loads and can show the message


def test_store_is_reopened_per_request_and_busy_is_503(coded, coder, tmp_path):
    from allegiance.api import create_app

    path = tmp_path / "copy.duckdb"
    shutil.copy(coded[0], path)
    c = TestClient(create_app(path, coder=coder))
    assert c.get("/api/health").json()["documents"] == 4
    extra = Document(id="late-5", published="2024-03-11", text="Kenyan police arrested twelve traders in Nairobi.")
    with Store(path) as db:  # a writer between two requests, as `allegiance run` would be
        db.add(extra, coder.code(extra), __version__)
    assert c.get("/api/health").json()["documents"] == 5
    holder = subprocess.Popen(
        [sys.executable, "-c", f"import duckdb, sys; c = duckdb.connect({str(path)!r}); print('ready', flush=True); sys.stdin.read()"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "ready"
        r = c.get("/api/events")
        assert r.status_code == 503 and "busy" in r.json()["detail"] and r.headers["Retry-After"]
    finally:
        holder.communicate("", timeout=20)
    assert c.get("/api/health").status_code == 200


def test_web_ui_docs_and_openapi_are_served_offline(client):
    index = client.get("/")
    assert index.status_code == 200 and "<title>allegiance</title>" in index.text
    csp = index.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    for asset in ("/app.js", "/style.css", "/vendor/allegiance-libs.js", "/vendor/swagger-ui-bundle.js"):
        assert client.get(asset).status_code == 200, asset
    docs = client.get("/docs").text
    assert "/vendor/swagger-ui-bundle.js" in docs and "cdn." not in docs
    spec = client.get("/openapi.json").json()
    assert {"/api/events", "/api/events/{event_id}", "/api/sides", "/api/code", "/api/documents/{doc_id}"} <= set(spec["paths"])
    assert set(spec["components"]["schemas"]["EventRecord"]["properties"]["event_type"]["enum"]) == set(PLOVER_TYPES)
    r = client.get("/api/nope")
    assert r.status_code == 404 and "/docs" in r.json()["detail"]


def test_serve_help_has_an_example():
    p = cli("serve", "--help")
    assert p.returncode == 0
    assert "allegiance serve --store" in p.stdout and "--port" in p.stdout and "--host" in p.stdout


def test_inputs_are_bounded_and_store_internals_do_not_leak(coded, coder, tmp_path):
    from allegiance.api import create_app

    c = TestClient(create_app(coded[0], coder=coder, max_chars=200))
    for url in ("/api/events?offset=99999999999999999999", "/api/documents?offset=99999999999999999999"):
        r = c.get(url)
        assert r.status_code == 422 and "offset" in r.json()["message"], r.text
    r = c.post("/api/code", json={"text": "Chile protested.", "id": "x" * 501})
    assert r.status_code == 422 and "'id'" in r.json()["message"]
    r = c.post("/api/code", content=b'{"text": "' + b"a" * 70_000 + b'"}',
               headers={"content-type": "application/json"})
    assert r.status_code == 413 and "too large" in r.json()["detail"]
    junk = tmp_path / "junk.duckdb"
    junk.write_bytes(b"this is not a database" * 100)
    r = TestClient(create_app(junk)).get("/api/events")
    assert r.status_code == 503 and "junk.duckdb" in r.json()["detail"]  # names the file at fault
    assert "SELECT" not in r.text  # but no SQL


def test_sides_reports_are_reused_until_the_store_changes(tmp_path, coder):
    from allegiance.api import create_app
    from allegiance.analysis import sqlgraph

    path = tmp_path / "s.duckdb"
    build_store(path, coder)
    client = TestClient(create_app(path, coder=coder))
    calls = []
    real = sqlgraph.build_graph_sql

    def counting(*args, **kwargs):
        calls.append(kwargs)
        return real(*args, **kwargs)

    from allegiance.analysis import theatres as th

    listed = []
    real_list = th.list_theatres_sql

    def counting_list(*args, **kwargs):
        listed.append(1)
        return real_list(*args, **kwargs)

    sqlgraph.build_graph_sql = counting
    th.list_theatres_sql = counting_list
    try:
        ts = client.get("/api/theatres").json()
        assert client.get("/api/theatres").json() == ts and len(listed) == 1  # the theatre list too
        first = client.get("/api/sides").json()
        assert client.get("/api/sides").json() == first and len(calls) == 1  # the same store: reused
        client.get("/api/sides", params={"level": "country"})
        assert len(calls) == 2  # another query is computed
        extra = Document(id="extra", published="2024-03-09", title="Talks",
                         text="Argentina and Chile held talks on their border dispute in Santiago on Friday.")
        with Store(path) as db:
            db.add(extra, coder.code(extra), __version__)
        after = client.get("/api/sides").json()
        assert len(calls) == 3  # the store changed: computed again
        assert after != first
        n = len(listed)
        client.get("/api/theatres")
        assert len(listed) == n + 1
    finally:
        sqlgraph.build_graph_sql = real
        th.list_theatres_sql = real_list
