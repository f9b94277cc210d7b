"""Security review of the API and CLI (issue 15; docs/reliability.md "Security review"): hostile filter
values (SQL injection, LIKE wildcards), path traversal in the static files, ingest and exports, request
body limits (also chunked bodies without a Content-Length), query caps, and the API key (compared in
constant time, never echoed or logged). XSS in the UI: tests/web/test_ui.py; SSRF in URL ingest:
tests/test_web_sources.py (both named in the review)."""
from __future__ import annotations

import json
import logging
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

from allegiance.models import Document
from allegiance.store import Store

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

ROOT = Path(__file__).resolve().parents[1]
KEY = "s3cret-key-for-the-security-test-0123456789"
# written for this test
DOCS = [
    Document(id="sec/1", published="2023-05-02", title="Talks",
             text="Russian forces shelled the Ukrainian city of Kharkiv overnight."),
    Document(id="sec/2", published="2023-05-03", title="Trade",
             text="Kenya and Tanzania signed an agreement on cross-border trade."),
    Document(id="sec/3", published="2023-05-04", title="Quotas",
             text="Police in Dhaka detained dozens of students who protested against job quotas."),
]
HOSTILE = [
    "' OR 1=1 --", "x'); DROP TABLE events; --", "\" OR \"\"=\"", "%", "_", "%%", "\\", "\\%", "RUS' --",
    "1; SELECT * FROM documents", "' UNION SELECT text, text FROM documents --", "\x00", "ʼ OR 1=1",
]


@pytest.fixture(scope="module")
def store(tmp_path_factory, coder):
    path = tmp_path_factory.mktemp("sec") / "store.duckdb"
    with Store(path) as db:
        for doc in DOCS:
            db.add(doc, coder.code(doc), "test")
    return path


@pytest.fixture(scope="module")
def client(store, coder):
    from allegiance.api import create_app

    return TestClient(create_app(store, coder=coder, max_chars=2000))


def _counts(store: Path) -> tuple[int, int]:
    with Store(store, read_only=True) as db:
        return db.counts()


# -- injection through filters --------------------------------------------------------------------

@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_filter_values_are_data_not_sql(client, store, value):
    before = _counts(store)
    assert before[1] > 0
    for path in ("/api/events", "/api/timeline", "/api/stories", "/api/events.csv"):
        r = client.get(path, params={"actor": value})
        assert r.status_code == 200, (path, r.text)
        assert r.headers.get("x-total-count", "0") == "0" or path == "/api/timeline", (path, r.headers)
        if path != "/api/events.csv":
            assert r.json() == []  # no actor is named like that: nothing matches, nothing leaks
    for name in ("type", "since", "until", "bbox", "min_certainty", "limit", "offset"):
        r = client.get("/api/events", params={name: value})
        assert r.status_code == 422 and name in r.json()["message"], (name, r.text)
    r = client.get("/api/sides", params={"level": value})
    assert r.status_code == 422
    from urllib.parse import quote

    r = client.get(f"/api/events/{quote(value, safe='')}")
    assert r.status_code in (404, 422)
    assert _counts(store) == before  # nothing dropped or changed


def test_like_wildcards_in_an_actor_name_match_literally(client):
    everything = int(client.get("/api/events", params={"limit": 1}).headers["x-total-count"])
    assert everything > 0
    assert client.get("/api/events", params={"actor": "Russia"}).headers["x-total-count"] != "0"
    for pattern in ("%", "_", "R_ssia", "Rus%"):  # wildcards before the fix: all events, or Russia's
        assert client.get("/api/events", params={"actor": pattern}).headers["x-total-count"] == "0", pattern


def test_cli_events_with_hostile_actor(store):
    for value in ("' OR 1=1 --", "%", "x'); DROP TABLE events; --"):
        p = subprocess.run([sys.executable, "-m", "allegiance.cli", "events", "--store", str(store), "--actor", value,
                            "--format", "jsonl", "--limit", "0"], capture_output=True, text=True, cwd=ROOT,
                           env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"})
        assert p.returncode == 0 and p.stdout == "", (value, p.stdout[:200], p.stderr[-500:])
    assert _counts(store)[1] > 0


# -- path traversal ------------------------------------------------------------------------------

@pytest.mark.parametrize("url", ["/../../../../etc/passwd", "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
                                 "/vendor/..%2f..%2f..%2fapi.py", "/..%5c..%5capi.py", "/%2e%2e%2fapi.py",
                                 "/app.js/../../api.py", "/api/documents/..%2f..%2fetc%2fpasswd"])
def test_static_files_and_documents_never_read_outside(client, url):
    r = client.get(url)
    assert r.status_code == 404, (url, r.status_code)
    assert "root:" not in r.text and "create_app" not in r.text


def test_ingested_ids_are_data_not_paths(store, coder, tmp_path, monkeypatch):
    from allegiance.api import create_app

    db = tmp_path / "ingest.duckdb"
    Store(db).close()
    c = TestClient(create_app(db, coder=coder, api_key=KEY))
    for doc_id in ("../../escape.txt", "/tmp/abs.txt", "..\\..\\win.txt"):
        r = c.post("/api/documents", json={"id": doc_id, "text": DOCS[1].text},
                   headers={"Authorization": f"Bearer {KEY}"})
        assert r.status_code == 201 and r.json()["doc_id"] == doc_id
        from urllib.parse import quote

        got = c.get(f"/api/documents/{quote(doc_id, safe='')}")  # the id, not a path the client resolves
        assert got.status_code == 200 and got.json()["doc_id"] == doc_id
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ingest.duckdb"]  # no file written by id
    assert not Path("/tmp/abs.txt").exists() and not (tmp_path.parent.parent / "escape.txt").exists()


def test_partitioned_export_stays_inside_its_folder(store, tmp_path):
    out = tmp_path / "parts"
    p = subprocess.run([sys.executable, "-m", "allegiance.cli", "events", "--store", str(store), "--format",
                        "parquet", "--partition", "--limit", "0", "-o", str(out)], capture_output=True, text=True,
                       cwd=ROOT, env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"})
    assert p.returncode == 0, p.stderr[-500:]
    files = [f for f in tmp_path.rglob("*") if f.is_file()]
    assert files and all(f.resolve().is_relative_to(out.resolve()) for f in files)
    # partition folders are named from the DATE column only: month=YYYY-MM (or null), nothing else
    assert all(d.name.startswith("month=") for d in out.iterdir())


# -- request limits -----------------------------------------------------------------------------

def test_body_limit_also_holds_for_chunked_bodies(client):
    def chunks():
        for _ in range(200):  # 20 MB, no Content-Length: sent chunked
            yield b" " * 100_000

    r = client.post("/api/code", content=chunks(), headers={"content-type": "application/json"})
    assert r.status_code == 413 and "too large" in r.json()["detail"]
    r = client.post("/api/code", content=b"{" + b" " * 20_000_000 + b"}", headers={"content-type": "application/json"})
    assert r.status_code == 413
    ok = client.post("/api/code", json={"text": DOCS[1].text})  # a normal body still passes
    assert ok.status_code == 200 and ok.json()


@pytest.mark.parametrize("url", ["/api/events?limit=1001", "/api/events?limit=0", "/api/stories?limit=100000",
                                 "/api/documents?limit=5000", "/api/events?offset=-1", "/api/stories?window=31",
                                 "/api/events.csv?limit=99999999999"])
def test_query_sizes_are_capped(client, url):
    r = client.get(url)
    assert r.status_code == 422, (url, r.status_code)


# -- the API key ---------------------------------------------------------------------------------

def test_key_is_compared_in_constant_time_and_never_echoed(store, coder, tmp_path, caplog, monkeypatch):
    import hmac

    import allegiance.api as api

    calls = []
    real = hmac.compare_digest
    monkeypatch.setattr(api.hmac, "compare_digest", lambda a, b: calls.append((a, b)) or real(a, b))
    db = tmp_path / "k.duckdb"
    Store(db).close()
    c = TestClient(api.create_app(db, coder=coder, api_key=KEY))
    caplog.set_level(logging.DEBUG)
    wrong = KEY[:-1] + "X"
    for headers in ({"Authorization": f"Bearer {wrong}"}, {"X-API-Key": wrong}, {"X-API-Key": KEY[:10]}, {}):
        r = c.post("/api/documents", json={"id": "k1", "text": DOCS[1].text}, headers=headers)
        assert r.status_code == 401
        assert KEY not in r.text and KEY[:10] not in r.text and wrong not in r.text
    assert len(calls) == 3 and all(b == KEY.encode() for _, b in calls)  # every given key went through it
    r = c.post("/api/documents", json={"id": "k1", "text": DOCS[1].text}, headers={"X-API-Key": KEY})
    assert r.status_code == 201
    for path in ("/api/health", "/openapi.json", "/api/documents/k1"):
        assert KEY not in c.get(path).text
    assert KEY not in caplog.text and KEY[:10] not in caplog.text
    assert KEY not in json.dumps(c.app.openapi())
