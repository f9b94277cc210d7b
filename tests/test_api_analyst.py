"""API additions of issue 14: bbox and certainty filters, CSV and Parquet downloads, keyed ingestion
(POST /api/documents), 405 answers, and `serve` refusing an open address without a key."""
from __future__ import annotations

import csv
import io
import json
import os
import shutil
import subprocess
import sys
import warnings

import duckdb
import pytest

from allegiance.models import Document
from allegiance.store import Store
from tests.test_api import ROOT, all_records, cli

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

KEY = "s3cret-Key-for-tests"


@pytest.fixture(scope="module")
def coded(tmp_path_factory, coder):
    from tests.test_api import build_store

    path = tmp_path_factory.mktemp("analyst") / "store.duckdb"
    return path, build_store(path, coder)


@pytest.fixture(scope="module")
def client(coded, coder):
    from allegiance.api import create_app

    return TestClient(create_app(coded[0], coder=coder, api_key=""))


def _get(client, **params) -> list[dict]:
    r = client.get("/api/events", params={"limit": 1000, **params})
    assert r.status_code == 200, r.text
    return r.json()


def _located(recs, inside) -> list[dict]:
    return [r for r in recs if r["location"] and r["location"]["lat"] is not None and inside(r["location"])]


def test_bbox_keeps_the_events_located_in_the_box(client, coded):
    recs = all_records(coded)
    europe = _located(recs, lambda p: -10 <= p["lon"] <= 40 and 35 <= p["lat"] <= 60)
    assert europe and len(europe) < len(recs)
    assert _get(client, bbox="-10,35,40,60") == europe
    assert {r["location"]["name"] for r in europe} >= {"Paris", "Warsaw"}
    # a box over the antimeridian (minlon > maxlon): east of 30°E or west of 150°W
    east = _located(recs, lambda p: p["lon"] >= 30 or p["lon"] <= -150)
    assert east and _get(client, bbox="30,-90,-150,90") == east
    assert not {r["event_id"] for r in east} & {r["event_id"] for r in europe if r["location"]["lon"] < 30}
    assert _get(client, bbox="-10,35,40,60", type="ASSAULT") == [r for r in europe if r["event_type"] == "ASSAULT"]
    assert _get(client, bbox="0,60,0.5,40") == []  # minlat above maxlat: an empty box


def test_min_certainty(client, coded):
    recs = all_records(coded)
    levels = sorted({r["certainty"] for r in recs})
    assert len(levels) >= 2, levels
    cut = levels[1]
    kept = _get(client, min_certainty=cut)
    assert kept == [r for r in recs if r["certainty"] >= cut]
    assert 0 < len(kept) < len(recs)
    assert _get(client, min_certainty=0) == recs


def test_csv_download_equals_the_cli_csv(client, coded):
    p = cli("events", "--store", str(coded[0]), "--format", "csv", "--limit", "0", "--type", "ASSAULT")
    assert p.returncode == 0, p.stderr
    r = client.get("/api/events.csv", params={"type": "ASSAULT"})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/csv")
    assert r.headers["content-disposition"] == 'attachment; filename="events.csv"'
    assert r.text == p.stdout
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert r.headers["X-Total-Count"] == str(len(rows)) and rows
    assert {row["event_type"] for row in rows} == {"ASSAULT"}
    everything = client.get("/api/events.csv").text
    assert len(list(csv.DictReader(io.StringIO(everything)))) == len(all_records(coded))
    two = client.get("/api/events.csv", params={"limit": 2})
    assert len(list(csv.DictReader(io.StringIO(two.text)))) == 2
    assert two.headers["X-Total-Count"] == str(len(all_records(coded)))  # the number matching, not sent


def test_parquet_download_has_the_csv_columns_and_filters(client, coded, tmp_path):
    recs = all_records(coded)
    europe = _located(recs, lambda p: -10 <= p["lon"] <= 40 and 35 <= p["lat"] <= 60)
    r = client.get("/api/events.parquet", params={"bbox": "-10,35,40,60"})
    assert r.status_code == 200 and r.headers["content-type"] == "application/vnd.apache.parquet"
    out = tmp_path / "e.parquet"
    out.write_bytes(r.content)
    con = duckdb.connect()
    cols = [c[0] for c in con.execute(f"DESCRIBE SELECT * FROM read_parquet('{out}')").fetchall()]
    header = client.get("/api/events.csv").text.splitlines()[0].split(",")
    assert cols == header
    got = con.execute(f"SELECT event_id, location_lat, location_lon FROM read_parquet('{out}')").fetchall()
    assert [g[0] for g in got] == [e["event_id"] for e in europe]
    assert all(-10 <= lon <= 40 and 35 <= lat <= 60 for _, lat, lon in got)


def test_undeclared_methods_get_405_with_allow(client):
    for method, url, allow in (("POST", "/api/health", "GET"), ("DELETE", "/api/events/abc", "GET"),
                               ("PUT", "/api/documents", "GET, POST"), ("GET", "/api/code", "POST")):
        r = client.request(method, url)
        assert r.status_code == 405 and r.headers["Allow"] == allow, (method, url, r.text)
    assert client.get("/api/nope").status_code == 404


INGEST = {"id": "wire/kenya-1", "date": "2024-04-02", "title": "Nairobi arrests", "url": "https://example.org/k1",
          "text": "Kenyan police arrested twelve protesters in Nairobi on Monday. Ghana and Togo held talks in Accra."}


def test_ingest_is_refused_without_a_configured_key(client, coded):
    r = client.post("/api/documents", json=INGEST, headers={"Authorization": "Bearer anything"})
    assert r.status_code == 403 and "writes are disabled" in r.json()["detail"]
    assert "ALLEGIANCE_API_KEY" in r.json()["detail"]
    assert client.get("/api/health").json()["documents"] == 4


def test_ingest_codes_and_stores_idempotently(coded, coder, tmp_path, monkeypatch):
    import hmac

    from allegiance.api import create_app

    path = tmp_path / "copy.duckdb"
    shutil.copy(coded[0], path)
    monkeypatch.delenv("ALLEGIANCE_API_KEY", raising=False)
    compared = []
    real = hmac.compare_digest
    monkeypatch.setattr(hmac, "compare_digest", lambda a, b: compared.append((a, b)) or real(a, b))
    c = TestClient(create_app(path, coder=coder, api_key=KEY))
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"X-API-Key": KEY + "x"}, {"Authorization": f"Basic {KEY}"}):
        r = c.post("/api/documents", json=INGEST, headers=headers)
        assert r.status_code == 401, headers
        assert r.headers["WWW-Authenticate"] == "Bearer" and "API key" in r.json()["detail"]
    assert compared and all(b == KEY.encode() for _, b in compared)  # the key is compared in constant time
    assert c.get("/api/health").json()["documents"] == 4

    r = c.post("/api/documents", json=INGEST, headers={"Authorization": f"Bearer {KEY}"})
    assert r.status_code == 201, r.text
    body = r.json()
    expected = coder.code(Document(id=INGEST["id"], text=INGEST["text"], published="2024-04-02",
                                   title=INGEST["title"], url=INGEST["url"], origin="api"))
    assert {e["event_type"] for e in expected} >= {"COERCE", "CONSULT"}
    assert {k: v for k, v in body.items() if k != "event_ids"} == {"doc_id": INGEST["id"], "status": "added",
                                                                   "events": len(expected)}
    assert sorted(body["event_ids"]) == sorted(e["event_id"] for e in expected)  # listed in store order
    doc = c.get(f"/api/documents/{INGEST['id']}").json()  # an id with a slash
    assert doc["text"] == INGEST["text"] and doc["title"] == "Nairobi arrests" and doc["published"] == "2024-04-02"
    assert [e["event_id"] for e in doc["events"]] == body["event_ids"]
    assert {e["event_id"]: e for e in doc["events"]} == {e["event_id"]: json.loads(json.dumps(e)) for e in expected}
    assert c.get("/api/health").json()["documents"] == 5

    again = c.post("/api/documents", json=INGEST, headers={"X-API-Key": KEY})
    assert again.status_code == 200 and again.json() == {**body, "status": "unchanged"}
    changed = {**INGEST, "text": "Kenyan police arrested twelve protesters in Nairobi on Monday."}
    r = c.post("/api/documents", json=changed, headers={"X-API-Key": KEY})
    assert r.status_code == 201 and r.json()["status"] == "replaced"
    stored = c.get("/api/events", params={"limit": 1000}).json()
    mine = [e for e in stored if e["doc_id"] == INGEST["id"]]
    assert [e["event_id"] for e in mine] == r.json()["event_ids"] and {e["event_type"] for e in mine} == {"COERCE"}
    with Store(path, read_only=True) as db:
        assert db.counts() == (5, len(all_records(coded)) + len(mine))
    bad = c.post("/api/documents", json={**INGEST, "text": "  "}, headers={"X-API-Key": KEY})
    assert bad.status_code == 422 and "empty" in bad.json()["message"]
    nojson = c.post("/api/documents", content=b"\xff{", headers={"X-API-Key": KEY, "content-type": "application/json"})
    assert nojson.status_code in (400, 422)


def test_openapi_documents_the_new_endpoints(client):
    spec = client.get("/openapi.json").json()
    paths = spec["paths"]
    assert {"/api/events.csv", "/api/events.parquet", "/api/stories"} <= set(paths)
    post = paths["/api/documents"]["post"]
    assert set(post["responses"]) >= {"200", "201", "401", "403", "422", "503"}
    assert {"HTTPBearer", "APIKeyHeader"} <= {k for s in post["security"] for k in s}
    params = {p["name"] for p in paths["/api/events"]["get"]["parameters"]}
    assert {"bbox", "min_certainty", "actor", "type", "since", "until", "factual"} <= params
    assert "text/csv" in paths["/api/events.csv"]["get"]["responses"]["200"]["content"]


@pytest.mark.parametrize("host, loopback", [("127.0.0.1", True), ("127.8.0.1", True), ("::1", True),
                                            ("[::1]", True), ("localhost", True), ("0.0.0.0", False),
                                            ("192.168.1.4", False), ("::", False), ("example.org", False)])
def test_loopback_addresses(host, loopback):
    from allegiance.cli import is_loopback

    assert is_loopback(host) is loopback


def test_serve_refuses_an_open_address_without_a_key(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "ALLEGIANCE_API_KEY"}
    p = subprocess.run([sys.executable, "-m", "allegiance.cli", "serve", "--store", str(tmp_path / "s.duckdb"),
                        "--host", "0.0.0.0", "--port", "1"], capture_output=True, text=True, cwd=ROOT, env=env,
                       timeout=120)
    assert p.returncode == 2
    assert "refusing to serve on 0.0.0.0" in p.stderr and "ALLEGIANCE_API_KEY" in p.stderr
    assert "Traceback" not in p.stderr
