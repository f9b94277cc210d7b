"""HTTP service over a store: events (JSON, CSV, Parquet), story events, documents, sides
(CONTRACT §4), stateless coding and, with a key, ingestion of documents into the store.

``create_app(store)`` returns a FastAPI app; ``allegiance serve`` runs it with uvicorn. The
store is opened read-only for each request and closed after it, so ``allegiance run`` can add
documents between requests (while a run holds the file, requests answer 503 "store busy").
``POST /api/documents`` writes to the store only when the app has a key (``ALLEGIANCE_API_KEY``):
the key is compared in constant time, and a write waits for the requests reading the store.
The web UI (``allegiance/web``) is served at ``/``, the API docs at ``/docs`` (vendored
Swagger UI, no CDN).
"""
from __future__ import annotations

import datetime as dt
import hmac
import io
import logging
import os
import re
import tempfile
import threading
from collections.abc import Iterator, Sequence
from importlib.resources import files
from pathlib import Path
from typing import Annotated, Any, Literal, Optional

import duckdb
from fastapi import Depends, FastAPI, HTTPException, Path as PathParam, Query, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, create_model, field_validator
from starlette.background import BackgroundTask

from . import __version__
from .errors import InputError, StoreError
from .models import PLOVER_TYPES
from .store import Store, event_filter

log = logging.getLogger("allegiance.api")
MAX_OFFSET = 10**9
CODE_WAIT_SECONDS = 30.0

__all__ = ["create_app", "MAX_CODE_CHARS", "API_KEY_ENV", "MAX_DOWNLOAD"]

MAX_CODE_CHARS = 100_000  # characters per POST /api/code (a news article is 5–50 kB)
MAX_DOWNLOAD = 1_000_000  # records per CSV or Parquet download
API_KEY_ENV = "ALLEGIANCE_API_KEY"
WRITE_WAIT_SECONDS = 30.0
ALL_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"})
WEB_DIR = Path(str(files("allegiance") / "web"))
# cytoscape injects a <style> element, hence 'unsafe-inline' for styles (never for scripts)
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


# -- parameter types ----------------------------------------------------------------------------
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_day(value: Any) -> Any:
    """Only ``YYYY-MM-DD`` text is a date here (pydantic alone would also take numbers as Unix times)."""
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or not _ISO_DAY.fullmatch(value):
        raise ValueError("a date must be written YYYY-MM-DD")
    return value


IsoDate = Annotated[dt.date, BeforeValidator(_iso_day)]
# PLOVER types in upper or lower case (the filter ignores case)
PloverType = Literal[tuple(PLOVER_TYPES) + tuple(t.lower() for t in PLOVER_TYPES)]  # type: ignore[valid-type]
_LAT = r"-?(?:90(?:\.0+)?|[1-8]?[0-9](?:\.[0-9]+)?)"
_LON = r"-?(?:180(?:\.0+)?|(?:1[0-7][0-9]|[1-9]?[0-9])(?:\.[0-9]+)?)"
BBOX_PATTERN = f"^{_LON},{_LAT},{_LON},{_LAT}$"


# -- response models (OpenAPI documentation; records are returned exactly as stored) ------------
class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class ActorModel(_Open):
    text: str
    name: Optional[str]
    country: Optional[str]
    sector: Optional[str]
    id: Optional[str]


class PlaceModel(_Open):
    text: str
    name: str
    country: Optional[str]
    admin1: Optional[str]
    lat: Optional[float]
    lon: Optional[float]
    geonameid: Optional[int]
    precision: Literal["city", "admin1", "country"]


class ModalityModel(BaseModel):
    negated: bool
    hypothetical: bool
    future: bool
    historical: bool


class AttributionModel(BaseModel):
    speaker: Optional[str]
    kind: Literal["author", "media", "official", "named", "anonymous"]
    cue: Optional[str]


class EvidenceModel(BaseModel):
    text: str
    start: int
    end: int
    trigger: str
    trigger_start: int
    trigger_end: int


class DocInfoModel(_Open):
    title: Optional[str]
    url: Optional[str]
    publisher: Optional[str]
    published: Optional[str]
    extra: dict[str, Any]


class EventRecord(_Open):
    """One event (CONTRACT §2); extensions such as ``rule`` and ``affiliations`` pass through."""

    event_id: str
    doc_id: str
    sentence: int
    event_type: Literal[PLOVER_TYPES]  # type: ignore[valid-type]
    mode: Optional[str]
    contexts: list[str]
    cameo: str
    cameo_root: str
    goldstein: float
    quad_class: int = Field(ge=1, le=4)
    source: Optional[ActorModel]
    target: Optional[ActorModel]
    date: Optional[str] = Field(description="Event date YYYY-MM-DD; null when neither the text nor a "
                                            "publication date gives one.")
    date_precision: Literal["day", "week", "month", "year", "publication"]
    location: Optional[PlaceModel]
    modality: ModalityModel
    certainty: float = Field(ge=0, le=1)
    confidence: Optional[float] = Field(default=None, ge=0, le=1)
    origin: Optional[Literal["rule", "model", "both"]] = None
    attribution: AttributionModel
    evidence: EvidenceModel
    doc: DocInfoModel
    coder: dict[str, str]


class TheatreModel(BaseModel):
    """A theatre: the arena (country) of events, by the rule of `analysis.theatres`."""

    code: Optional[str] = Field(description="ISO 3166-1 alpha-3 (or PLOVER) code; null: unplaced events.")
    name: str
    events: int
    first: Optional[str] = Field(description="Earliest event date YYYY-MM-DD.")
    last: Optional[str] = Field(description="Latest event date YYYY-MM-DD.")


class SidesReport(_Open):
    """CONTRACT §4 object (same as ``allegiance sides --format json``), with two extensions:
    ``theatre`` (the theatre of the report, null for every event) and ``theatres`` (all of them)."""

    window: dict[str, Optional[str]]
    level: Literal["country", "sector", "entity"]
    sides: list[dict[str, Any]]
    unaligned: list[dict[str, Any]]
    stances: list[dict[str, Any]]
    frustration: float
    theatre: Optional[TheatreModel]
    theatres: list[TheatreModel]


class StoryModel(_Open):
    """One story event: the records that report the same real-world event (README, "Story events")."""

    story_id: str = Field(description="Stable id: a hash of the story's first record's event_id.")
    event_type: Literal[PLOVER_TYPES]  # type: ignore[valid-type]
    mode: Optional[str] = Field(description="The most frequent mode of its records.")
    cameo: Optional[str]
    cameo_root: Optional[str]
    quad_class: Optional[int] = Field(ge=1, le=4)
    goldstein: Optional[float]
    source: Optional[ActorModel] = Field(description="The most specific source among its records.")
    target: Optional[ActorModel]
    location: Optional[PlaceModel] = Field(description="The most precise location among its records.")
    date: Optional[str] = Field(description="The most frequent day-precision event date of its records.")
    date_from: Optional[str]
    date_to: Optional[str]
    first_seen: Optional[str] = Field(description="Earliest publication date of its documents.")
    last_seen: Optional[str]
    num_mentions: int = Field(ge=1, description="Distinct evidence sentences (document, sentence).")
    num_sources: int = Field(ge=1, description="Distinct sources: publisher, else URL host, else the document.")
    num_articles: int = Field(ge=1, description="Distinct documents.")
    num_records: int = Field(ge=1, description="Records (a mirrored pair is two records of one sentence).")
    certainty: float = Field(ge=0, le=1, description="Highest certainty of its records.")
    lead: bool = Field(description="A record is in the first three sentences of its document.")
    evidence: Optional[str] = Field(description="The first record's evidence sentence.")
    event_ids: list[str]
    doc_ids: list[str]
    sources: list[str]
    url: Optional[str] = None


class DayCount(BaseModel):
    """Events of one PLOVER type on one day."""

    date: str = Field(description="Event date YYYY-MM-DD.")
    event_type: Literal[PLOVER_TYPES]  # type: ignore[valid-type]
    count: int = Field(ge=1)


class Health(BaseModel):
    status: Literal["ok"]
    version: str
    store: str
    documents: int
    events: int
    coder_loaded: bool


class DocumentSummary(BaseModel):
    doc_id: str
    title: Optional[str]
    url: Optional[str]
    publisher: Optional[str]
    published: Optional[str]
    n_events: int


class DocumentDetail(DocumentSummary):
    text: str
    events: list[EventRecord]


def _request_models(max_chars: int) -> tuple[type[BaseModel], type[BaseModel]]:
    """The bodies of POST /api/code and POST /api/documents, with this app's text limit in their schema."""
    text_doc = (f"The document text (plain text): at least one non-space character, at most "
                f"{max_chars:,} characters.")

    def check_text(cls: Any, value: str) -> str:
        if not value.strip():
            raise ValueError("text is empty: nothing to code")
        if len(value) > max_chars:
            raise ValueError(f"text too long ({len(value):,} characters; this service codes at most "
                             f"{max_chars:,} per request: use `allegiance code` for more)")
        return value

    def check_id(cls: Any, value: str) -> str:
        if not value.strip():
            raise ValueError("id is empty")
        return value

    text_field = (str, Field(description=text_doc, json_schema_extra={"pattern": r"\S", "maxLength": max_chars}))
    common: dict[str, Any] = {
        "date": (Optional[IsoDate], Field(None, description="Publication date YYYY-MM-DD (relative dates "
                                                              "resolve against it).")),
        "title": (Optional[str], Field(None, max_length=2000)),
        "url": (Optional[str], Field(None, max_length=2000)),
        "publisher": (Optional[str], Field(None, max_length=500)),
    }
    validators = {"text_ok": field_validator("text")(check_text), "id_ok": field_validator("id")(check_id)}
    code = create_model(
        "CodeRequest", __validators__=validators, text=text_field,
        id=(str, Field("request", max_length=500, json_schema_extra={"pattern": r"\S"},
                       description="Document id given to the records (`doc_id`).")), **common)
    ingest = create_model(
        "DocumentIn", __validators__=validators, text=text_field,
        id=(str, Field(max_length=500, json_schema_extra={"pattern": r"\S"}, description="Document id (`doc_id`): posting the same "
                       "id again with the same text changes nothing; with another text, it replaces the document.")),
        **common)
    return code, ingest


class IngestResult(BaseModel):
    """What POST /api/documents did with the document."""

    doc_id: str
    status: Literal["added", "replaced", "unchanged"] = Field(
        description="added: a new id; replaced: the id was stored with another text or by another coder "
                    "version; unchanged: already stored as posted (nothing written).")
    events: int = Field(ge=0, description="Events stored for the document.")
    event_ids: list[str]


class ErrorBody(BaseModel):
    detail: str
    store: Optional[str] = None


# -- helpers ------------------------------------------------------------------------------------
def _invalid(loc: tuple[str, ...], msg: str) -> RequestValidationError:
    return RequestValidationError([{"type": "value_error", "loc": loc, "msg": msg, "input": None}])


def _iso(value: Any) -> str | None:
    return value.isoformat() if isinstance(value, (dt.date, dt.datetime)) else value


def _doc_row(row: tuple) -> dict[str, Any]:
    keys = ("doc_id", "title", "url", "publisher", "published", "n_events")
    return {k: _iso(v) for k, v in zip(keys, row, strict=True)}


_DOC_SQL = ("SELECT d.doc_id, d.title, d.url, d.publisher, d.published, "
            "(SELECT count(*) FROM events e WHERE e.doc_id = d.doc_id) FROM documents d")

SIDES_CACHE_SIZE = 16  # sides reports kept per app (store state, filters)
READ_WAIT_API = 5.0  # seconds a request waits for a writer's batch before answering 503 "store busy"


def _db(request: Request) -> Iterator[Store]:
    """The store, opened read-only for one request and closed after it."""
    lock: _ReadWriteLock = request.app.state.rw_lock
    if not lock.acquire_read(WRITE_WAIT_SECONDS):
        raise StoreError(f"{request.app.state.store_path}: store busy (lock held by a write); retry")
    try:
        handle = Store(request.app.state.store_path, read_only=True, wait=READ_WAIT_API)
        try:
            yield handle
        finally:
            handle.close()
    finally:
        lock.release_read()


DB = Annotated[Store, Depends(_db)]
Since = Annotated[Optional[IsoDate], Query(description="Earliest event date YYYY-MM-DD.")]
Until = Annotated[Optional[IsoDate], Query(
    description="Latest event date YYYY-MM-DD (before `since`: an empty window, nothing matches).")]
ERRORS: dict[int | str, dict[str, Any]] = {503: {"model": ErrorBody, "description": "Store missing, busy or invalid."}}
BAD_BODY: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "The body is not JSON."},
    413: {"model": ErrorBody, "description": "The body is too large."},
    422: {"description": "Empty or too long text, a bad date or field."}}


class EventQuery(BaseModel):
    """The filter of GET /api/events and its downloads."""

    where: str
    params: list[Any]


def event_query(
    actor: Annotated[Optional[str], Query(
        description="Actor name (substring) or ISO code, source or target, e.g. RUS.")] = None,
    type: Annotated[Optional[PloverType], Query(  # noqa: A002
        description="PLOVER type, upper or lower case.")] = None,
    since: Since = None,
    until: Until = None,
    factual: Annotated[bool, Query(description="Only events neither negated nor hypothetical.")] = False,
    bbox: Annotated[Optional[str], Query(
        pattern=BBOX_PATTERN, description="Only events located in the box `minlon,minlat,maxlon,maxlat` "
        "(degrees; minlon > maxlon crosses the antimeridian); events without coordinates are left out.",
        examples=["20,40,45,60"])] = None,
    min_certainty: Annotated[Optional[float], Query(
        ge=0, le=1, description="Only events whose certainty is at least this (0-1).")] = None,
) -> EventQuery:
    """The SQL filter of the event query parameters (`allegiance.store.event_filter`)."""
    box = tuple(float(x) for x in bbox.split(",")) if bbox else None
    where, params = event_filter(actor, type, _iso(since), _iso(until), factual,
                                 bbox=box, min_certainty=min_certainty)  # type: ignore[arg-type]
    return EventQuery(where=where, params=params)


Filter = Annotated[EventQuery, Depends(event_query)]
Download = Annotated[Optional[int], Query(
    ge=1, le=MAX_DOWNLOAD, description=f"At most this many records (default: all, up to {MAX_DOWNLOAD:,}).")]
_bearer = HTTPBearer(auto_error=False, description=f"The server's key ({API_KEY_ENV}) as a bearer token.")
_key_header = APIKeyHeader(name="X-API-Key", auto_error=False, description=f"The server's key ({API_KEY_ENV}).")
Bearer = Annotated[Optional[HTTPAuthorizationCredentials], Depends(_bearer)]
KeyHeader = Annotated[Optional[str], Depends(_key_header)]


class CSVResponse(Response):
    media_type = "text/csv"


class ParquetResponse(Response):
    media_type = "application/vnd.apache.parquet"


class _ReadWriteLock:
    """Many readers or one writer: DuckDB will not open a file read-write in a process that has it
    open read-only (and the other way round)."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._readers = 0
        self._writer = False

    def acquire_read(self, timeout: float) -> bool:
        with self._cond:
            return self._cond.wait_for(lambda: not self._writer, timeout) and self._enter()

    def _enter(self) -> bool:
        self._readers += 1
        return True

    def release_read(self) -> None:
        with self._cond:
            self._readers -= 1
            self._cond.notify_all()

    def acquire_write(self, timeout: float) -> bool:
        with self._cond:
            if not self._cond.wait_for(lambda: not self._writer, timeout):
                return False
            self._writer = True  # new readers wait from here on
            if self._cond.wait_for(lambda: self._readers == 0, timeout):
                return True
            self._writer = False
            self._cond.notify_all()
            return False

    def release_write(self) -> None:
        with self._cond:
            self._writer = False
            self._cond.notify_all()


class _BodyTooLarge(HTTPException):
    """A request body that grew past the limit while it was read (no or a false Content-Length)."""


class _BodyLimit:
    """ASGI middleware: a request body is refused with 413 once it exceeds ``max_body`` bytes, whether
    its Content-Length says so up front or it arrives chunked (without one) and grows too large as it
    is read; the body is never buffered whole first."""

    def __init__(self, app: Any, max_body: int) -> None:
        self.app, self.max_body = app, max_body

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        size = dict(scope.get("headers") or ()).get(b"content-length")
        if size is not None and size.isdigit() and int(size) > self.max_body:
            await self._refuse(send, int(size))
            return
        seen = 0

        async def limited() -> dict:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_body:
                    raise _BodyTooLarge(413, f"request body too large (more than the {self.max_body:,} "
                                             "bytes allowed)")
            return message

        await self.app(scope, limited, send)

    async def _refuse(self, send: Any, size: int) -> None:
        await JSONResponse({"detail": f"request body too large ({size:,} bytes; at most {self.max_body:,})"},
                           status_code=413)({"type": "http"}, None, send)  # type: ignore[arg-type]


# -- the app ------------------------------------------------------------------------------------
def create_app(store: str | Path, *, coder: Any = None, actors: Sequence[str | Path] = (),
               triggers: Sequence[str | Path] = (), max_chars: int = MAX_CODE_CHARS,
               api_key: str | None = None) -> FastAPI:
    """The allegiance HTTP API and web UI over the DuckDB file ``store``.

    ``coder``: a ready `allegiance.coder.Coder` for POST /api/code and /api/documents; otherwise one
    is built on the first request, from ``actors``/``triggers`` catalog files. ``api_key`` (default:
    the ``ALLEGIANCE_API_KEY`` environment variable) enables POST /api/documents; without one the
    store is never written.
    """
    store_path = Path(store)
    key = api_key if api_key is not None else os.environ.get(API_KEY_ENV)
    key_bytes = key.encode("utf-8") if key else None
    CodeRequest, DocumentIn = _request_models(max_chars)  # noqa: N806
    max_body = 4 * max_chars + 64_000  # UTF-8 text at most 4 bytes a character, plus the other fields
    app = FastAPI(title="allegiance", version=__version__, docs_url=None, redoc_url=None,
                  description="Sourced political event data (PLOVER + CAMEO) and the sides it implies. "
                              f"Store: `{store_path}`. Records follow CONTRACT §2, sides §4.")
    app.state.store_path = store_path
    app.state.rw_lock = rw_lock = _ReadWriteLock()
    lock = threading.Lock()  # building the coder
    code_lock = threading.Lock()  # using it
    state: dict[str, Any] = {"coder": coder}

    def get_coder() -> Any:
        with lock:
            if state["coder"] is None:
                from .coder import Coder

                state["coder"] = Coder(actors=[str(a) for a in actors], lexicon=[str(t) for t in triggers])
            return state["coder"]

    @app.exception_handler(StoreError)
    async def _store_error(request: Request, exc: StoreError) -> JSONResponse:
        busy = "lock" in str(exc).lower()
        detail = f"{store_path}: store busy (another process is writing it); retry" if busy else str(exc)
        return JSONResponse({"detail": detail, "store": str(store_path)}, status_code=503,
                            headers={"Retry-After": "2"} if busy else None)

    @app.exception_handler(duckdb.Error)
    async def _duckdb_error(request: Request, exc: duckdb.Error) -> JSONResponse:
        log.error("store error on %s: %s", request.url.path, exc)  # details stay in the server log
        return JSONResponse({"detail": f"{store_path.name}: the store could not answer this request",
                             "store": store_path.name}, status_code=503)

    app.add_middleware(_BodyLimit, max_body=max_body)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = jsonable_encoder(exc.errors())
        parts = []
        for e in errors:
            loc = [str(x) for x in e.get("loc", ())]
            where = f"{loc[0]} parameter {loc[-1]!r}" if len(loc) > 1 and loc[0] in ("query", "path") else \
                f"body field {'.'.join(loc[1:])!r}" if len(loc) > 1 else "request body"
            parts.append(f"{where}: {e.get('msg')}")
        return JSONResponse({"detail": errors, "message": "; ".join(parts)}, status_code=422)

    @app.middleware("http")
    async def _security_headers(request: Request, call_next: Any) -> Any:
        response = await call_next(request)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        if not request.url.path.startswith(("/api/", "/docs", "/openapi.json")):
            response.headers.setdefault("Content-Security-Policy", CSP)
        return response

    @app.get("/api/health", response_model=Health, responses=ERRORS, tags=["service"])
    def health(store_: DB) -> dict[str, Any]:
        """Version, store path and its document and event counts."""
        n_docs, n_events = store_.counts()
        return {"status": "ok", "version": __version__, "store": str(store_path), "documents": n_docs,
                "events": n_events, "coder_loaded": state["coder"] is not None}

    @app.get("/api/events", response_model=list[EventRecord], responses=ERRORS, tags=["events"])
    def list_events(
        store_: DB, filt: Filter,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
        offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
    ) -> JSONResponse:
        """Stored records, in store order; the header ``X-Total-Count`` gives the number matching."""
        where = filt.where
        total = store_.query("SELECT count(*) FROM events" + (f" WHERE {where}" if where else ""), filt.params)[0][0]
        recs = list(store_.records(where, filt.params, limit=limit, offset=offset))
        return JSONResponse(recs, headers={"X-Total-Count": str(total)})

    @app.get("/api/timeline", response_model=list[DayCount], responses=ERRORS, tags=["events"])
    def timeline(store_: DB, filt: Filter) -> JSONResponse:
        """Events per day and PLOVER type (the same filters as GET /api/events; events without a
        date are left out), by date then type: the web UI's timeline."""
        where = " AND ".join(x for x in ("date IS NOT NULL", filt.where) if x)
        rows = store_.query(f"SELECT strftime(date, '%Y-%m-%d'), event_type, count(*) FROM events WHERE {where} "
                            "GROUP BY ALL ORDER BY 1, 2", filt.params)
        return JSONResponse([{"date": d, "event_type": t, "count": n} for d, t, n in rows])

    def _download_headers(store_: Store, filt: EventQuery, limit: int | None, name: str) -> tuple[dict[str, str], int]:
        where = filt.where
        total = store_.query("SELECT count(*) FROM events" + (f" WHERE {where}" if where else ""), filt.params)[0][0]
        return {"X-Total-Count": str(total), "Content-Disposition": f'attachment; filename="{name}"'}, \
            min(total, limit or MAX_DOWNLOAD)

    @app.get("/api/events.csv", response_class=CSVResponse, tags=["events"],
             responses={200: {"description": "CONTRACT §3 CSV: the columns of `allegiance events --format csv`.",
                              "content": {"text/csv": {"schema": {"type": "string"}}}}, **ERRORS})
    def events_csv(store_: DB, filt: Filter, limit: Download = None) -> Response:
        """The matching records as CSV (the same filters as GET /api/events), in store order;
        ``X-Total-Count`` gives the number matching."""
        from .export import write_csv

        headers, n = _download_headers(store_, filt, limit, "events.csv")
        buf = io.StringIO()
        write_csv(store_.records(filt.where, filt.params, limit=n), buf)
        return CSVResponse(buf.getvalue(), headers=headers)

    @app.get("/api/events.parquet", response_class=ParquetResponse, tags=["events"],
             responses={200: {"description": "Parquet with the CSV's columns, typed "
                                             "(`allegiance events --format parquet`).",
                              "content": {"application/vnd.apache.parquet": {
                                  "schema": {"type": "string", "format": "binary"}}}}, **ERRORS})
    def events_parquet(store_: DB, filt: Filter, limit: Download = None) -> FileResponse:
        """The matching records as Parquet (the same filters as GET /api/events), in store order;
        ``X-Total-Count`` gives the number matching."""
        from .export import write_parquet

        headers, n = _download_headers(store_, filt, limit, "events.parquet")
        fd, name = tempfile.mkstemp(prefix="allegiance-", suffix=".parquet")
        os.close(fd)
        try:
            write_parquet(store_.records(filt.where, filt.params, limit=n), name)
        except BaseException:
            os.unlink(name)
            raise
        return FileResponse(name, media_type=ParquetResponse.media_type, headers=headers,
                            background=BackgroundTask(os.unlink, name))

    @app.get("/api/events/{event_id}", response_model=EventRecord,
             responses={404: {"model": ErrorBody}, **ERRORS}, tags=["events"])
    def get_event(store_: DB, event_id: str) -> JSONResponse:
        """One record by its ``event_id``."""
        recs = list(store_.records("event_id = ?", [event_id]))
        if not recs:
            return JSONResponse({"detail": f"no event {event_id!r} in the store"}, status_code=404)
        return JSONResponse(recs[0])

    @app.get("/api/documents", response_model=list[DocumentSummary], responses=ERRORS, tags=["documents"])
    def list_documents(store_: DB, limit: Annotated[int, Query(ge=1, le=1000)] = 100,
                       offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0) -> list[dict[str, Any]]:
        """Stored documents (id, title, dates, number of events), by id."""
        rows = store_.query(_DOC_SQL + " ORDER BY d.doc_id LIMIT ? OFFSET ?", [limit, offset])
        return [_doc_row(r) for r in rows]

    @app.get("/api/documents/{doc_id:path}", response_model=DocumentDetail,
             responses={404: {"model": ErrorBody}, **ERRORS}, tags=["documents"])
    def get_document(store_: DB,
                     doc_id: Annotated[str, PathParam(description="Document id (may contain /).")]) -> JSONResponse:
        """A document's text and its event records (evidence offsets index into ``text``)."""
        rows = store_.query(_DOC_SQL + " WHERE d.doc_id = ?", [doc_id])
        if not rows:
            return JSONResponse({"detail": f"no document {doc_id!r} in the store"}, status_code=404)
        text = store_.query("SELECT text FROM documents WHERE doc_id = ?", [doc_id])[0][0]
        body = {**_doc_row(rows[0]), "text": text, "events": list(store_.records("doc_id = ?", [doc_id]))}
        return JSONResponse(body)

    sides_cache: dict[tuple, dict[str, Any]] = {}
    sides_lock = threading.Lock()

    @app.get("/api/theatres", response_model=list[TheatreModel], responses=ERRORS, tags=["sides"])
    def theatres(store_: DB, since: Since = None, until: Until = None) -> JSONResponse:
        """The theatres of the events in the window, largest first (unplaced events last)."""
        from .analysis.sqlgraph import _window
        from .analysis.stories import store_fingerprint
        from .analysis.theatres import list_theatres_sql

        key = ("theatres", store_fingerprint(store_.con), _iso(since), _iso(until))  # kept as sides are
        with sides_lock:
            listed = sides_cache.get(key)
        if listed is None:
            listed = list_theatres_sql(store_.con, *_window(_iso(since), _iso(until)))
            with sides_lock:
                sides_cache[key] = listed
                while len(sides_cache) > SIDES_CACHE_SIZE:
                    sides_cache.pop(next(iter(sides_cache)))
        return JSONResponse(listed)

    @app.get("/api/sides", response_model=SidesReport, tags=["sides"],
             responses={404: {"model": ErrorBody, "description": "No such theatre in the window."}, **ERRORS})
    def sides(
        store_: DB, since: Since = None, until: Until = None,
        level: Annotated[Literal["country", "sector", "entity"], Query(description="Actor granularity.")] = "entity",
        half_life: Annotated[Optional[float], Query(
            gt=0, description="Decay old events with this half-life in days.")] = None,
        theatre: Annotated[Optional[str], Query(
            max_length=200, description="Only this theatre's events (country name or ISO3, as GET /api/theatres lists).")] = None,
        min_events: Annotated[int, Query(ge=1, le=1_000_000, description="Hide actors with fewer events (the sides are computed with them).")] = 1,
        show_generic: Annotated[bool, Query(description="Show unnamed and generic actors (hidden ones still count for the sides).")] = True,
    ) -> JSONResponse:
        """Sides, stances and their evidence: the CONTRACT §4 object of ``allegiance sides --format json``
        (every event unless ``theatre`` is given; ``theatre`` and ``theatres`` are extensions)."""
        from .analysis.graph import hide_actors
        from .analysis.sides import report_from_graph
        from .analysis.sqlgraph import _window, build_graph_sql
        from .analysis.stories import store_fingerprint
        from .analysis.theatres import list_theatres_sql, resolve_theatre

        # The partition is the costly part (seconds on big stores) and only changes with the store:
        # reports are kept per store state and query, so repeated requests answer at once.
        key = (store_fingerprint(store_.con), level, _iso(since), _iso(until), half_life, theatre, min_events,
               show_generic)
        with sides_lock:
            report = sides_cache.get(key)
        if report is None:
            listed = list_theatres_sql(store_.con, *_window(_iso(since), _iso(until)))
            code = None
            if theatre is not None:
                code = resolve_theatre(theatre, listed)
                if code is None:
                    return JSONResponse({"detail": f"no theatre {theatre!r} in the store for this window; "
                                                   "GET /api/theatres lists them"}, status_code=404)
            graph = build_graph_sql(store_.con, level=level, since=_iso(since), until=_iso(until),
                                    half_life_days=half_life, theatre=code)  # aggregated in DuckDB
            report = hide_actors(report_from_graph(graph), graph, min_events=min_events, show_generic=show_generic)
            report["theatre"] = next((t for t in listed if code and t["code"] == code), None)
            report["theatres"] = listed
            with sides_lock:
                sides_cache[key] = report
                while len(sides_cache) > SIDES_CACHE_SIZE:
                    sides_cache.pop(next(iter(sides_cache)))
        return JSONResponse(report)

    @app.get("/api/stories", response_model=list[StoryModel], responses=ERRORS, tags=["stories"])
    def list_stories(
        store_: DB,
        actor: Annotated[Optional[str], Query(
            description="Actor name (substring) or ISO code: stories with a record naming it.")] = None,
        type: Annotated[Optional[PloverType], Query(description="PLOVER type, upper or lower case.")] = None,  # noqa: A002
        since: Annotated[Optional[IsoDate], Query(description="Earliest story date YYYY-MM-DD.")] = None,
        until: Annotated[Optional[IsoDate], Query(
            description="Latest story date YYYY-MM-DD (before `since`: nothing matches).")] = None,
        window: Annotated[int, Query(ge=0, le=30, description="Most days between two records of one story.")] = 2,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
        offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
    ) -> JSONResponse:
        """Story events (the same real-world event across articles, with GDELT-style mention, source
        and article counts), the same as `allegiance stories --format jsonl`; ordered by date, then
        id; ``X-Total-Count`` gives the number matching."""
        from .analysis.stories import load_stories

        total, found = load_stories(store_.con, window, since=_iso(since), until=_iso(until), event_type=type,
                                    actor=actor, limit=limit, offset=offset, cache_key=str(store_path))
        return JSONResponse(found, headers={"X-Total-Count": str(total)})

    def _code_document(req: Any, origin: str) -> tuple[Any, Any, list[dict[str, Any]] | JSONResponse]:
        """(coder, document, its records) of a posted body, or the 503 answer when the coder stays busy."""
        from .sources import ReadProblem, record_document

        row = {"id": req.id, "text": req.text, "date": _iso(req.date), "title": req.title,
               "url": req.url, "publisher": req.publisher}
        doc = record_document({k: v for k, v in row.items() if v is not None}, origin, require_words=False)
        if isinstance(doc, ReadProblem):
            raise _invalid(("body", "text"), doc.message)
        coder_ = get_coder()
        if not code_lock.acquire(timeout=CODE_WAIT_SECONDS):  # one spaCy pipeline, one request at a time
            return coder_, doc, JSONResponse({"detail": "the coder is busy with other requests; retry"},
                                             status_code=503, headers={"Retry-After": "5"})
        try:
            return coder_, doc, coder_.code(doc)
        except InputError as exc:
            raise _invalid(("body", "text"), str(exc)) from None
        finally:
            code_lock.release()

    def code(req: CodeRequest) -> JSONResponse:  # type: ignore[valid-type]
        """Code one posted document (stateless: nothing is written to the store)."""
        _, _, recs = _code_document(req, "request")
        return recs if isinstance(recs, JSONResponse) else JSONResponse(recs)

    code.__annotations__["req"] = CodeRequest
    app.post("/api/code", response_model=list[EventRecord], tags=["coding"],
             responses={**BAD_BODY, 503: {"model": ErrorBody, "description": "The coder is busy; retry."}})(code)

    def ingest(req: DocumentIn, bearer: Bearer, x_api_key: KeyHeader) -> JSONResponse:  # type: ignore[valid-type]
        """Code a document with the server's coder and store it with its events (one transaction,
        idempotent by id and text). Needs the server's key as ``Authorization: Bearer KEY`` or
        ``X-API-Key: KEY``; a server started without ``ALLEGIANCE_API_KEY`` takes no writes (403)."""
        if key_bytes is None:
            return JSONResponse({"detail": f"writes are disabled: this server has no API key (start it with "
                                           f"{API_KEY_ENV} set to enable POST /api/documents)"}, status_code=403)
        given = bearer.credentials if bearer is not None else x_api_key
        if not given or not hmac.compare_digest(given.encode("utf-8", "surrogateescape"), key_bytes):
            return JSONResponse({"detail": "missing or wrong API key: send it as 'Authorization: Bearer KEY' "
                                           "or 'X-API-Key: KEY'"}, status_code=401,
                                headers={"WWW-Authenticate": "Bearer"})
        coder_, doc, recs = _code_document(req, "api")
        if isinstance(recs, JSONResponse):
            return recs
        version = coder_.version
        if not rw_lock.acquire_write(WRITE_WAIT_SECONDS):
            return JSONResponse({"detail": f"{store_path.name}: store busy (other requests are reading it); retry",
                                 "store": store_path.name}, status_code=503, headers={"Retry-After": "2"})
        try:
            with Store(store_path) as db:
                if db.is_current(doc, version):
                    ids = [r[0] for r in db.query("SELECT event_id FROM events WHERE doc_id = ? ORDER BY "
                                                  "sentence, evidence_trigger_start, event_id", [doc.id])]
                    body = {"doc_id": doc.id, "status": "unchanged", "events": len(ids), "event_ids": ids}
                    return JSONResponse(body, status_code=200)
                existed = bool(db.query("SELECT count(*) FROM documents WHERE doc_id = ?", [doc.id])[0][0])
                n = db.add(doc, recs, version)
                ids = [r[0] for r in db.query("SELECT event_id FROM events WHERE doc_id = ? ORDER BY "
                                              "sentence, evidence_trigger_start, event_id", [doc.id])]
        finally:
            rw_lock.release_write()
        log.info("stored document %r (%d events) from %s", doc.id, n, "POST /api/documents")
        return JSONResponse({"doc_id": doc.id, "status": "replaced" if existed else "added", "events": n,
                             "event_ids": ids}, status_code=201)

    ingest.__annotations__["req"] = DocumentIn
    app.post("/api/documents", response_model=IngestResult, status_code=201, tags=["documents"], responses={
        200: {"model": IngestResult, "description": "Already stored as posted: nothing written."},
        201: {"model": IngestResult, "description": "Stored (added or replaced)."},
        401: {"model": ErrorBody, "description": "Missing or wrong API key."},
        403: {"model": ErrorBody, "description": f"Writes are disabled (the server has no {API_KEY_ENV})."},
        **BAD_BODY, **ERRORS})(ingest)

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(openapi_url="/openapi.json", title="allegiance API",
                                   swagger_js_url="/vendor/swagger-ui-bundle.js",
                                   swagger_css_url="/vendor/swagger-ui.css", swagger_favicon_url="/favicon.svg")

    @app.api_route("/api/{rest:path}", methods=sorted(ALL_METHODS), include_in_schema=False)
    def api_not_found(request: Request, rest: str) -> JSONResponse:
        """405 with ``Allow`` for a method an endpoint does not take, else 404."""
        allowed = sorted({m for route in app.routes if route is not api_route and getattr(route, "methods", None)
                          and getattr(route, "path_regex", None) and route.path_regex.match(request.url.path)
                          for m in route.methods})
        if allowed:
            return JSONResponse({"detail": f"{request.method} is not allowed on {request.url.path}; "
                                           f"allowed: {', '.join(allowed)}"},
                                status_code=405, headers={"Allow": ", ".join(allowed)})
        return JSONResponse({"detail": f"no API endpoint /api/{rest}; see /docs"}, status_code=404)

    api_route = app.routes[-1]

    app.mount("/", StaticFiles(directory=WEB_DIR, html=True), name="web")
    return app
