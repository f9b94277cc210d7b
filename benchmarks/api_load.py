"""Benchmark: the HTTP API under load while `allegiance run` writes to the same store (issue 15).

    python benchmarks/api_load.py                     # 60 s, 8 clients, --engine rules writer
    python benchmarks/api_load.py --seconds 20 --clients 4

A store is first filled with --initial items of `corpus/train.jsonl` (`allegiance run --engine rules`).
Then, on loopback, `allegiance serve` answers --clients concurrent clients (httpx, each sending its
next request when the last is answered) that draw GET /api/events, /api/sides, /api/stories and
/api/timeline with varied filters (type, actor, since/until, factual, bbox, min_certainty, offset;
sides level and half-life; story window), while `allegiance run` writes further train items to the
same store in batches (--batch 20 --batch-seconds 2, --jobs 1), one run after another until the
time is up. A probe reads GET /api/health (documents and events, one snapshot) every 0.2 s.

Printed: requests; % answered 200 with a JSON body (goal >= 95%), and % with data (a non-empty
list or object); 5xx (goal 0) and other statuses; latency p50/p95/p99 overall and per endpoint;
documents written during the load. Checked (exit 1 when one fails): readers see committed data only:
every (documents, events) pair the probe saw is the state after a whole batch (batches are
read back from the store: the documents of one batch share its transaction's ``coded_at``), and the
counts never go down.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TRAIN = ROOT / "corpus" / "train.jsonl"
TYPES = ["ASSAULT", "ACCUSE", "AGREE", "CONSULT", "COERCE", "PROTEST", "SUPPORT", "MOBILIZE", "aid", "threaten"]
ACTORS = ["RUS", "UKR", "SYR", "USA", "ISR", "Houthi", "Iran", "government", "rebels", "TUR", "ru"]
DATES = ["2012-01-01", "2015-06-30", "2016-01-01", "2018-12-31", "2020-03-15", "2022-02-24", "2024-01-01"]
BBOXES = ["20,10,60,45", "30,40,45,55", "-20,-40,55,40", "170,-50,-170,60"]


def _env() -> dict[str, str]:
    return dict(os.environ, PYTHONPATH=str(ROOT / "src"), COLUMNS="100")


def _cli(*args: str) -> list[str]:
    return [sys.executable, "-m", "allegiance.cli", *args]


def _write_items(path: Path, items: list[dict]) -> Path:
    with path.open("w", encoding="utf-8") as fh:
        for it in items:
            fh.write(json.dumps({"id": it["id"], "date": it.get("date"), "text": it["text"]}) + "\n")
    return path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request_for(rng: random.Random) -> tuple[str, str, dict[str, str]]:
    """(endpoint name, path, query) of one varied read request."""
    kind = rng.choice(["events", "events", "sides", "stories", "timeline"])
    q: dict[str, str] = {}
    if kind in ("events", "timeline", "stories"):
        if rng.random() < 0.4:
            q["type"] = rng.choice(TYPES)
        if rng.random() < 0.4:
            q["actor"] = rng.choice(ACTORS)
        if rng.random() < 0.3:
            lo, hi = sorted(rng.sample(DATES, 2))
            q["since"], q["until"] = lo, hi
    if kind in ("events", "timeline"):
        if rng.random() < 0.2:
            q["factual"] = "true"
        if rng.random() < 0.15:
            q["bbox"] = rng.choice(BBOXES)
        if rng.random() < 0.15:
            q["min_certainty"] = rng.choice(["0.3", "0.6", "0.9"])
    if kind == "events":
        q["limit"] = str(rng.choice([10, 50, 200]))
        if rng.random() < 0.2:
            q["offset"] = str(rng.choice([10, 100, 1000]))
    if kind == "stories":
        q["limit"] = str(rng.choice([10, 50]))
        if rng.random() < 0.3:
            q["window"] = str(rng.choice([0, 2, 7]))
    if kind == "sides":
        q["level"] = rng.choice(["country", "sector", "entity"])
        if rng.random() < 0.3:
            q["half_life"] = rng.choice(["30", "365"])
    return kind, f"/api/{kind}", q


async def _client(http, rng: random.Random, until: float, results: list) -> None:
    while time.monotonic() < until:
        kind, path, q = request_for(rng)
        t0 = time.perf_counter()
        try:
            r = await http.get(path, params=q)
            status, body = r.status_code, r.content
        except Exception as exc:  # noqa: BLE001 - a timeout or reset is counted, not raised
            status, body = f"error {type(exc).__name__}", b""
        ms = (time.perf_counter() - t0) * 1000
        ok = data = False
        if status == 200:
            try:
                parsed = json.loads(body)
                ok = isinstance(parsed, (list, dict))
                data = ok and bool(parsed)
            except ValueError:
                pass
        results.append((kind, status, ms, ok, data))


async def _probe(http, until: float, seen: list) -> None:
    while time.monotonic() < until:
        try:
            r = await http.get("/api/health")
            if r.status_code == 200:
                h = r.json()
                seen.append((h["documents"], h["events"]))
        except Exception:  # noqa: BLE001 - the probe only samples; load clients count errors
            pass
        await asyncio.sleep(0.2)


async def _drive(base: str, clients: int, seconds: float, seed: int) -> tuple[list, list]:
    import httpx

    results: list = []
    seen: list = []
    until = time.monotonic() + seconds
    limits = httpx.Limits(max_connections=clients + 1, max_keepalive_connections=clients + 1)
    async with httpx.AsyncClient(base_url=base, timeout=30.0, limits=limits) as http:
        await asyncio.gather(_probe(http, until, seen),
                             *(_client(http, random.Random(seed * 1000 + i), until, results) for i in range(clients)))
    return results, seen


def _committed_states(store: Path) -> list[tuple[int, int]]:
    """(documents, events) after each committed batch, in commit order (a batch's documents share
    the ``coded_at`` of its transaction)."""
    import duckdb

    con = duckdb.connect(str(store), read_only=True)
    try:
        rows = con.execute("SELECT d.coded_at, count(*), sum((SELECT count(*) FROM events e WHERE e.doc_id = d.doc_id)) "
                           "FROM documents d GROUP BY d.coded_at ORDER BY d.coded_at").fetchall()
    finally:
        con.close()
    states, docs, events = [(0, 0)], 0, 0
    for _, n, e in rows:
        docs, events = docs + n, events + int(e or 0)
        states.append((docs, events))
    return states


def pct(values: list[float], q: float) -> float:
    """The ``q`` quantile (0-1) of ``values`` (nearest rank)."""
    if not values:
        return float("nan")
    s = sorted(values)
    return s[min(len(s) - 1, max(0, int(round(q * len(s) + 0.5)) - 1))]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--initial", type=int, default=300, help="train items stored before the load")
    ap.add_argument("--chunk", type=int, default=150, help="train items per writer run")
    ap.add_argument("--seed", type=int, default=15)
    args = ap.parse_args(argv)
    with TRAIN.open(encoding="utf-8") as fh:
        items = [json.loads(line) for line in fh if line.strip()]
    random.Random(args.seed).shuffle(items)
    env = _env()
    with tempfile.TemporaryDirectory(prefix="api-load-") as tmp:
        tmpd = Path(tmp)
        store = tmpd / "load.duckdb"
        subprocess.run(_cli("run", str(_write_items(tmpd / "initial.jsonl", items[:args.initial])), "--store",
                            str(store), "--engine", "rules", "--top", "0"), env=env, check=True, capture_output=True)
        port = _free_port()
        log = (tmpd / "server.log").open("wb")
        server = subprocess.Popen(_cli("serve", "--store", str(store), "--host", "127.0.0.1", "--port", str(port)),
                                  env=env, stdout=log, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}"
        try:
            import httpx

            deadline = time.monotonic() + 60
            while True:
                try:
                    if httpx.get(base + "/api/health", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.monotonic() > deadline or server.poll() is not None:
                    raise SystemExit("the server did not start")
                time.sleep(0.3)
            docs_before = httpx.get(base + "/api/health", timeout=10).json()["documents"]
            stop = time.monotonic() + args.seconds
            writer_runs = []

            async def writer() -> None:
                start = args.initial
                while time.monotonic() < stop and start < len(items):
                    part = _write_items(tmpd / f"w{start}.jsonl", items[start:start + args.chunk])
                    start += args.chunk
                    proc = await asyncio.create_subprocess_exec(
                        *_cli("run", str(part), "--store", str(store), "--engine", "rules", "--top", "0",
                              "--jobs", "1", "--batch", "20", "--batch-seconds", "2"),
                        env=env, stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE)
                    _, err = await proc.communicate()
                    writer_runs.append((proc.returncode, err.decode("utf-8", "replace")[-300:]))

            async def both() -> tuple[list, list]:
                w = asyncio.create_task(writer())
                res = await _drive(base, args.clients, args.seconds, args.seed)
                await w  # the last writer run finishes after the load (its batches are not read)
                return res

            t0 = time.perf_counter()
            results, seen = asyncio.run(both())
            wall = time.perf_counter() - t0
            docs_after = httpx.get(base + "/api/health", timeout=30).json()["documents"]
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
            log.close()
        states = set(_committed_states(store))
        server_log = (tmpd / "server.log").read_text(encoding="utf-8", errors="replace")
    n = len(results)
    ok = sum(r[3] for r in results)
    data = sum(r[4] for r in results)
    statuses: dict[str, int] = {}
    for r in results:
        statuses[str(r[1])] = statuses.get(str(r[1]), 0) + 1
    five = sum(c for s, c in statuses.items() if s.startswith("5"))
    lat = [r[2] for r in results]
    load = os.getloadavg()
    print(f"requests {n} in {args.seconds:.0f} s ({n / args.seconds:.1f}/s), {args.clients} clients; "
          f"load {load[0]:.2f} {load[1]:.2f}")
    print(f"200 with a JSON body {100 * ok / max(n, 1):.1f}% (goal >= 95%); with data {100 * data / max(n, 1):.1f}%; "
          f"5xx {five} (goal 0); statuses {dict(sorted(statuses.items()))}")
    print(f"latency ms p50 {pct(lat, .5):.0f} p95 {pct(lat, .95):.0f} p99 {pct(lat, .99):.0f}")
    for kind in ("events", "sides", "stories", "timeline"):
        k = [r[2] for r in results if r[0] == kind]
        print(f"  {kind:9s} {len(k):5d} requests  p50 {pct(k, .5):6.0f}  p95 {pct(k, .95):6.0f}  p99 {pct(k, .99):6.0f}")
    print(f"writer: {len(writer_runs)} runs (exit codes {[c for c, _ in writer_runs]}), documents "
          f"{docs_before} -> {docs_after} ({docs_after - docs_before} written during {wall:.0f} s)")
    failures = []
    partial = [s for s in seen if s not in states]
    if partial:
        failures.append(f"{len(partial)} of {len(seen)} health snapshots are no committed state: {partial[:3]}")
    down = [(a, b) for a, b in zip(seen, seen[1:]) if b[0] < a[0] or b[1] < a[1]]
    if down:
        failures.append(f"counts went down: {down[:3]}")
    if docs_after <= docs_before:
        failures.append("the writer stored nothing during the load")
    if any(c not in (0, 1) for c, _ in writer_runs):
        failures.append(f"a writer run failed: {writer_runs}")
    print(f"consistency: {len(seen)} health snapshots, {len(set(seen))} distinct, every one a committed "
          f"state: {not partial}; never down: {not down}")
    if five or any(s.startswith("error") for s in statuses):
        errors = [line for line in server_log.splitlines() if "Error" in line or "Traceback" in line]
        print("server log, lines naming errors:", *errors[:20], sep="\n  ")
    for f in failures:
        print("FAIL", f)
    goal = ok / max(n, 1) >= 0.95 and five == 0
    print("goals met" if goal and not failures else "goals NOT met" if not failures else "checks failed")
    return 0 if not failures else 1


if __name__ == "__main__":
    sys.exit(main())
