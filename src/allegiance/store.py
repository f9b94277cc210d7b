"""The embedded DuckDB store: documents and events, idempotent under re-runs and interruption.

Each document is written with its events in one transaction, keyed by ``doc_id`` and a hash of
its text: re-running the same input adds nothing; a changed document replaces its old events;
an interrupted run leaves only whole documents behind. `Store.refresh_stories` keeps the
``stories`` and ``story_events`` tables (story events across articles) in step with the events,
`Store.refresh_sides_index` the ``sides_*`` tables (`allegiance.analysis.sideindex`).

One writer, short locks: DuckDB lets one process hold the file for writing, and no reader may
open it meanwhile. `BatchWriter` (used by ``allegiance run`` and ``watch``) keeps coded documents
in memory and writes them in batches (N documents or T seconds, whichever comes first), opening
the file only for the time a batch takes; readers (``Store(read_only=True)``) and writers retry
on a lock conflict with a short backoff for a bounded time (``wait``), then fail with an error
that names the store.
"""
from __future__ import annotations

import glob
import hashlib
import json
import os
import re
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import duckdb

from .errors import StoreError
from .models import PLOVER_TYPES, Document

__all__ = ["Store", "BatchWriter", "flatten", "event_filter", "EVENT_COLUMNS", "READ_WAIT", "WRITE_WAIT"]

READ_WAIT = 10.0  # seconds a reader retries while a writer holds the file
WRITE_WAIT = 300.0  # seconds a writer retries while readers (or another writer) hold it

EVENT_COLUMNS: tuple[tuple[str, str], ...] = (
    ("event_id", "VARCHAR PRIMARY KEY"), ("doc_id", "VARCHAR"), ("sentence", "INTEGER"),
    ("event_type", "VARCHAR"), ("mode", "VARCHAR"), ("contexts", "VARCHAR"), ("cameo", "VARCHAR"),
    ("cameo_root", "VARCHAR"), ("goldstein", "DOUBLE"), ("quad_class", "INTEGER"),
    ("source_text", "VARCHAR"), ("source_name", "VARCHAR"), ("source_country", "VARCHAR"),
    ("source_sector", "VARCHAR"), ("source_id", "VARCHAR"),
    ("target_text", "VARCHAR"), ("target_name", "VARCHAR"), ("target_country", "VARCHAR"),
    ("target_sector", "VARCHAR"), ("target_id", "VARCHAR"),
    ("date", "DATE"), ("date_precision", "VARCHAR"),
    ("location_text", "VARCHAR"), ("location_name", "VARCHAR"), ("location_country", "VARCHAR"),
    ("location_admin1", "VARCHAR"), ("location_lat", "DOUBLE"), ("location_lon", "DOUBLE"),
    ("location_geonameid", "BIGINT"), ("location_precision", "VARCHAR"),
    ("modality_negated", "BOOLEAN"), ("modality_hypothetical", "BOOLEAN"),
    ("modality_future", "BOOLEAN"), ("modality_historical", "BOOLEAN"), ("certainty", "DOUBLE"),
    ("attribution_speaker", "VARCHAR"), ("attribution_kind", "VARCHAR"), ("attribution_cue", "VARCHAR"),
    ("evidence_text", "VARCHAR"), ("evidence_start", "INTEGER"), ("evidence_end", "INTEGER"),
    ("evidence_trigger", "VARCHAR"), ("evidence_trigger_start", "INTEGER"),
    ("evidence_trigger_end", "INTEGER"),
    ("doc_title", "VARCHAR"), ("doc_url", "VARCHAR"), ("doc_publisher", "VARCHAR"),
    ("doc_published", "DATE"), ("coder_version", "VARCHAR"), ("record", "JSON"),
    # extensions of issue 12 (added to older stores when they are opened for writing)
    ("confidence", "DOUBLE"), ("origin", "VARCHAR"), ("coder_model", "VARCHAR"),
)
_ADDED_COLUMNS = (("confidence", "DOUBLE"), ("origin", "VARCHAR"), ("coder_model", "VARCHAR"))
_NESTED = ("source", "target", "location", "modality", "attribution", "evidence")


def flatten(rec: dict[str, Any], *, list_sep: str = ";") -> dict[str, Any]:
    """CONTRACT §3 flattening: nested objects joined with ``_``, lists joined with ``;``."""
    out: dict[str, Any] = {}
    for key, value in rec.items():
        if key in _NESTED:
            fields = {"source": ("text", "name", "country", "sector", "id"),
                      "target": ("text", "name", "country", "sector", "id"),
                      "location": ("text", "name", "country", "admin1", "lat", "lon", "geonameid", "precision"),
                      "modality": ("negated", "hypothetical", "future", "historical"),
                      "attribution": ("speaker", "kind", "cue"),
                      "evidence": ("text", "start", "end", "trigger", "trigger_start", "trigger_end")}[key]
            for f in fields:
                out[f"{key}_{f}"] = (value or {}).get(f)
        elif key == "doc":
            for f in ("title", "url", "publisher", "published"):
                out[f"doc_{f}"] = (value or {}).get(f)
        elif key == "coder":
            out["coder_version"] = (value or {}).get("version")
            out["coder_model"] = (value or {}).get("model")
        elif key == "contexts":
            out[key] = list_sep.join(value or [])
        elif key == "rule":
            continue
        else:
            out[key] = value
    return out


def _lock_conflict(exc: BaseException) -> bool:
    msg = str(exc)
    return "Could not set lock" in msg or "Conflicting lock" in msg


_WAITING = ".writer-waiting."  # FILE.writer-waiting.PID: a writer is waiting for the file's lock


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, owned by another user
        return True
    return True


def writers_waiting(path: str) -> int:
    """How many live processes wait to write ``path`` (markers of dead ones are removed)."""
    p = Path(path)
    n = 0
    try:
        markers = list(p.parent.glob(glob.escape(p.name) + _WAITING + "*"))
    except OSError:
        return 0
    for marker in markers:
        pid = marker.name.rsplit(".", 1)[-1]
        if pid.isdigit() and _alive(int(pid)):
            n += 1
        else:
            try:
                marker.unlink()  # left by a writer that was killed while it waited
            except OSError:
                pass
    return n


MEMORY_ENV = "ALLEGIANCE_DUCKDB_MEMORY"
DEFAULT_MEMORY = "1GB"


def _duckdb_config() -> dict[str, str]:
    """DuckDB settings of every store connection: its working memory is capped (``$ALLEGIANCE_DUCKDB_MEMORY``,
    default 1GB, DuckDB's size syntax; ``0`` or ``none``: DuckDB's own default of 80% of RAM), beyond
    which big aggregations (sides on millions of events) spill to a temporary folder instead of
    taking the machine's memory."""
    value = os.environ.get(MEMORY_ENV, DEFAULT_MEMORY).strip()
    if value.lower() in ("", "0", "none"):
        return {}
    return {"memory_limit": value}


def _connect(path: str, read_only: bool, wait: float, on_wait: Any = None) -> duckdb.DuckDBPyConnection:
    """duckdb.connect, retried on a lock conflict for ``wait`` seconds.

    Writers go first: a writer that finds the file locked leaves a marker (``FILE.writer-waiting.PID``)
    while it retries every 20 ms, and a reader that sees a marker holds off (up to its own ``wait``)
    until the writer has had the file, so a steady stream of readers (``serve`` under load) cannot
    starve a run's batches."""
    deadline = time.monotonic() + max(0.0, wait)
    pause = 0.05
    told = False
    marker: Path | None = None
    if read_only:
        while time.monotonic() < deadline and writers_waiting(path):
            time.sleep(0.01)
    try:
        while True:
            try:
                return duckdb.connect(path, read_only=read_only, config=_duckdb_config())
            except duckdb.Error as exc:
                if not _lock_conflict(exc):
                    raise StoreError(f"{path}: cannot open DuckDB store ({exc})") from exc
                holder = re.search(r"PID (\d+)", str(exc))
                who = f"process {holder.group(1)}" if holder else "another process"
                if time.monotonic() >= deadline:
                    raise StoreError(
                        f"{path}: store busy: {who} holds its lock ({'writing' if read_only else 'using'} it) "
                        f"and did not release it within {wait:g} s; try again later") from None
                if not told and on_wait is not None:
                    on_wait(f"{path}: store busy ({who} holds its lock); waiting up to {wait:g} s")
                    told = True
                if not read_only and marker is None:
                    marker = Path(f"{path}{_WAITING}{os.getpid()}")
                    try:
                        marker.touch()
                    except OSError:
                        marker = None  # a read-only folder: wait without priority
                time.sleep(min(0.02 if marker is not None else pause, max(0.0, deadline - time.monotonic())))
                pause = min(1.0, pause * 2)
    finally:
        if marker is not None:
            try:
                marker.unlink()
            except OSError:
                pass


def _doc_hash(doc: Document) -> str:
    return hashlib.sha1(f"{doc.published}|{doc.title}|{doc.text}".encode("utf-8")).hexdigest()


class Store:
    """A DuckDB file with ``documents`` and ``events`` tables."""

    def __init__(self, path: str | Path = "allegiance.duckdb", *, read_only: bool = False,
                 wait: float | None = None, on_wait: Any = None) -> None:
        """Open (or, for writing, create) the store. While another process holds a conflicting
        lock on the file, retry with a growing pause (50 ms to 1 s) for ``wait`` seconds (default
        `READ_WAIT` / `WRITE_WAIT`), then raise `StoreError` naming the file and the holder;
        ``on_wait(message)`` is called once when waiting starts."""
        self.path = str(path)
        if read_only and not Path(self.path).exists():
            raise StoreError(f"{self.path}: no such store; run `allegiance run` first")
        self.con = _connect(self.path, read_only, READ_WAIT if wait is None and read_only else
                            WRITE_WAIT if wait is None else wait, on_wait)
        if not read_only:
            try:
                self._schema()
            except BaseException:
                self.con.close()
                raise

    def _schema(self) -> None:
        cols = ", ".join(f"{n} {t}" for n, t in EVENT_COLUMNS)
        self.con.execute(
            "CREATE TABLE IF NOT EXISTS documents (doc_id VARCHAR PRIMARY KEY, content_hash VARCHAR, "
            "title VARCHAR, url VARCHAR, publisher VARCHAR, published DATE, origin VARCHAR, "
            "text VARCHAR, n_events INTEGER, coder_version VARCHAR, coded_at TIMESTAMP DEFAULT now())")
        self.con.execute(f"CREATE TABLE IF NOT EXISTS events ({cols})")
        for name, kind in _ADDED_COLUMNS:  # a store written before these columns existed
            self.con.execute(f"ALTER TABLE events ADD COLUMN IF NOT EXISTS {name} {kind}")

    def close(self) -> None:
        self.con.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def is_current(self, doc: Document, version: str) -> bool:
        """True when this exact document was already coded by this coder version."""
        row = self.con.execute("SELECT content_hash, coder_version FROM documents WHERE doc_id = ?",
                               [doc.id]).fetchone()
        return row is not None and row[0] == _doc_hash(doc) and row[1] == version

    def add(self, doc: Document, records: Sequence[dict[str, Any]], version: str) -> int:
        """Write one document and its events atomically; RETURNS the number of events stored."""
        return self.add_many([(doc, records, version)])[0]

    def add_many(self, items: Sequence[tuple[Document, Sequence[dict[str, Any]], str]],
                 chunk_rows: int = 400) -> list[int]:
        """Write documents with their events in one transaction (a document replaces its old
        events; an event id already stored is kept, the first one wins); RETURNS the number of
        events of each document. Rows go in a few multi-row statements: DuckDB binds one
        statement much faster than one per row (``executemany``)."""
        names = [n for n, _ in EVENT_COLUMNS]
        doc_rows, event_rows, counts = [], [], []
        seen: set[Any] = set()
        for doc, records, version in items:
            n = 0
            for rec in records:
                flat = flatten(rec)
                flat["record"] = json.dumps(rec, ensure_ascii=False, sort_keys=True)
                n += 1
                if flat.get("event_id") in seen:
                    continue
                seen.add(flat.get("event_id"))
                event_rows.append([flat.get(c) for c in names])
            counts.append(n)
            doc_rows.append([doc.id, _doc_hash(doc), doc.title, doc.url, doc.publisher, doc.published, doc.origin,
                             doc.text, n, version])
        ids = list(dict.fromkeys(r[0] for r in doc_rows))
        doc_cols = "doc_id, content_hash, title, url, publisher, published, origin, text, n_events, coder_version"
        try:
            self.con.execute("BEGIN TRANSACTION")
            for i in range(0, len(ids), chunk_rows):
                part = ids[i:i + chunk_rows]
                marks = ", ".join("?" for _ in part)
                self.con.execute(f"DELETE FROM events WHERE doc_id IN ({marks})", part)
                self.con.execute(f"DELETE FROM documents WHERE doc_id IN ({marks})", part)
            last = {r[0]: r for r in doc_rows}  # the same id twice in one batch: the last one
            self._insert("documents", doc_cols, list(last.values()), chunk_rows, "")
            self._insert("events", ", ".join(names), event_rows, chunk_rows, " ON CONFLICT DO NOTHING")
            self.con.execute("COMMIT")
        except duckdb.Error as exc:
            self.con.execute("ROLLBACK")
            which = ", ".join(repr(d.id) for d, _, _ in items[:3]) + (" ..." if len(items) > 3 else "")
            raise StoreError(f"{self.path}: could not store document(s) {which} ({exc})") from exc
        return counts

    def _insert(self, table: str, cols: str, rows: list[list[Any]], chunk_rows: int, tail: str) -> None:
        """Insert rows through a registered column view (numpy object arrays), cast to the table's
        column types: one statement for many rows, much faster than binding them one by one."""
        if not rows:
            return
        import numpy as np

        names = [c.strip() for c in cols.split(",")]
        kinds = {n: t.split()[0] for n, t in EVENT_COLUMNS}
        kinds.update({"content_hash": "VARCHAR", "title": "VARCHAR", "url": "VARCHAR", "publisher": "VARCHAR",
                      "published": "DATE", "origin": "VARCHAR", "text": "VARCHAR", "n_events": "INTEGER"})
        view = f"_allegiance_batch_{table}"
        self.con.register(view, {n: np.array([r[i] for r in rows], dtype=object) for i, n in enumerate(names)})
        try:
            self.con.execute(f"INSERT INTO {table} ({cols}) SELECT "
                             f"{', '.join(f'CAST({n} AS {kinds[n]})' for n in names)} FROM {view}{tail}")
        finally:
            self.con.unregister(view)

    def refresh_stories(self, window: int | None = None) -> int:
        """Recompute the ``stories`` and ``story_events`` tables when the store changed since they
        were computed (`allegiance.analysis.stories`); RETURNS the number of stories."""
        from .analysis.stories import DEFAULT_WINDOW_DAYS, refresh_stories

        try:
            return refresh_stories(self.con, DEFAULT_WINDOW_DAYS if window is None else window)
        except duckdb.Error as exc:
            raise StoreError(f"{self.path}: could not store the stories ({exc})") from exc

    def refresh_sides_index(self) -> int:
        """Recompute the sides index (each theatre's graph and partition, `allegiance.analysis.sideindex`)
        when the store changed since it was computed; RETURNS its number of (scope, pair) rows."""
        from .analysis.sideindex import refresh_sides_index

        try:
            return refresh_sides_index(self.con)
        except duckdb.Error as exc:
            raise StoreError(f"{self.path}: could not store the sides index ({exc})") from exc

    def counts(self) -> tuple[int, int]:
        docs = self.con.execute("SELECT count(*) FROM documents").fetchone()[0]
        events = self.con.execute("SELECT count(*) FROM events").fetchone()[0]
        return int(docs), int(events)

    def records(self, where: str = "", params: Iterable[Any] = (), *, limit: int | None = None,
                offset: int = 0) -> Iterator[dict[str, Any]]:
        """Stored event records (CONTRACT §2 dicts), in a stable order."""
        order = "doc_id, sentence, evidence_trigger_start, event_id"
        cond = f" WHERE {where}" if where else ""
        if limit:
            # A page: choose the rows on the sort keys alone, then read only their records (the JSON
            # column is most of the table: sorting it whole cost 0.2-0.3 s a page on 1M events).
            sql = (f"SELECT e.record FROM events e JOIN (SELECT rowid AS r, {order} FROM events{cond} "
                   f"ORDER BY {order} LIMIT {int(limit)}" + (f" OFFSET {int(offset)}" if offset else "") +
                   ") k ON e.rowid = k.r ORDER BY " + ", ".join(f"k.{c.strip()}" for c in order.split(",")))
        else:
            sql = f"SELECT record FROM events{cond} ORDER BY {order}" + (f" OFFSET {int(offset)}" if offset else "")
        for (rec,) in self.con.execute(sql, list(params)).fetchall():
            yield json.loads(rec)

    def query(self, sql: str, params: Iterable[Any] = ()) -> list[tuple]:
        return self.con.execute(sql, list(params)).fetchall()


class BatchWriter:
    """Writes coded documents in batches and holds the store file only while a batch is written.

    `add` keeps a document and its records in memory; when ``max_docs`` documents are waiting, or
    the oldest has waited ``max_seconds``, the batch is written: the file is opened (retrying
    while readers hold it, up to ``wait`` seconds), the batch's documents go in with their events
    in one transaction (`Store.add_many`), and the file is closed again. Between batches `allegiance events`,
    `sides`, `stories` and `serve` can open it. `is_current` answers from the documents the store
    held when the writer started plus those written since, without opening the file. A process
    killed between batches loses only the documents not yet written; a re-run codes them again.
    """

    def __init__(self, path: str | Path, *, max_docs: int = 200, max_seconds: float = 2.0,
                 wait: float | None = None, on_wait: Any = None) -> None:
        self.path = str(path)
        self.max_docs, self.max_seconds = max(1, int(max_docs)), float(max_seconds)
        self.wait, self.on_wait = wait, on_wait
        self._pending: list[tuple[Document, list[dict[str, Any]], str]] = []
        self._since = 0.0
        self.batches = 0
        with self.open() as db:  # creates the store and its tables before any coding
            self._known = {doc_id: _stamp(h, v) for doc_id, h, v in
                           db.con.execute("SELECT doc_id, content_hash, coder_version FROM documents").fetchall()}

    def open(self) -> Store:
        """The store opened for writing (retrying on a lock conflict); close it soon."""
        return Store(self.path, wait=self.wait, on_wait=self.on_wait)

    def is_current(self, doc: Document, version: str) -> bool:
        """True when this exact document was already coded by this coder version."""
        return self._known.get(doc.id) == _stamp(_doc_hash(doc), version)

    def is_stored(self, doc_id: str) -> bool:
        return doc_id in self._known

    def add(self, doc: Document, records: Sequence[dict[str, Any]], version: str) -> int:
        """Queue one document with its records; write the batch when it is due. RETURNS the
        number of records queued."""
        if not self._pending:
            self._since = time.monotonic()
        self._pending.append((doc, list(records), version))
        if len(self._pending) >= self.max_docs or time.monotonic() - self._since >= self.max_seconds:
            self.flush()
        return len(records)

    def flush(self) -> None:
        """Write the waiting documents now (one transaction each) and release the file."""
        if not self._pending:
            return
        with self.open() as db:
            db.add_many(self._pending)  # one transaction: readers see the whole batch or none of it
        for doc, _, version in self._pending:
            self._known[doc.id] = _stamp(_doc_hash(doc), version)
        self._pending = []
        self.batches += 1

    def close(self) -> None:
        self.flush()

    def __enter__(self) -> BatchWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.flush()  # what was coded is kept, also when the run stops on an error or Ctrl-C


def _stamp(content_hash: str | None, version: str | None) -> int:
    return hash((content_hash, version))


def event_filter(actor: str | None = None, event_type: str | None = None, since: str | None = None,
                 until: str | None = None, factual: bool = False, *,
                 bbox: tuple[float, float, float, float] | None = None,
                 min_certainty: float | None = None) -> tuple[str, list[Any]]:
    """SQL WHERE clause and parameters over the ``events`` table: an actor (ISO code, or part of
    a name, as source or target), a PLOVER type, a date range, factual events only, a box
    ``(minlon, minlat, maxlon, maxlat)`` holding the event's coordinates (minlon > maxlon: the box
    crosses the antimeridian), a least certainty.

    Raises ``ValueError`` for an unknown PLOVER type.
    """
    where: list[str] = []
    params: list[Any] = []
    if actor:
        # a name part is matched literally: % and _ in it are no wildcards (escaped), and every value
        # is a bound parameter, never SQL text
        like = "%" + actor.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        where.append("(source_country = ? OR target_country = ? OR source_name ILIKE ? ESCAPE '\\' "
                     "OR target_name ILIKE ? ESCAPE '\\')")
        params += [actor.upper(), actor.upper(), like, like]
    if event_type:
        if event_type.upper() not in PLOVER_TYPES:
            raise ValueError(f"unknown PLOVER type {event_type!r}; one of {' '.join(PLOVER_TYPES)}")
        where.append("event_type = ?")
        params.append(event_type.upper())
    if since:
        where.append("date >= ?")
        params.append(since)
    if until:
        where.append("date <= ?")
        params.append(until)
    if factual:
        where.append("NOT modality_negated AND NOT modality_hypothetical")
    if bbox is not None:
        min_lon, min_lat, max_lon, max_lat = bbox
        lon = "location_lon BETWEEN ? AND ?" if min_lon <= max_lon else "(location_lon >= ? OR location_lon <= ?)"
        where.append(f"location_lat BETWEEN ? AND ? AND {lon}")
        params += [min_lat, max_lat, min_lon, max_lon]
    if min_certainty is not None:
        where.append("certainty >= ?")
        params.append(min_certainty)
    return " AND ".join(where), params
