"""HTTP service over a store: events, story events, documents, sides (CONTRACT §4) and stateless coding.

``create_app(store)`` returns a FastAPI app; ``allegiance serve`` runs it with uvicorn. The
store is opened read-only for each request and closed after it, so ``allegiance run`` can add
documents between requests (while a run holds the file, requests answer 503 "store busy").
The web UI (``allegiance/web``) is served at ``/``, the API docs at ``/docs`` (vendored
Swagger UI, no CDN).
"""
from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Iterator, Sequence
from importlib.resources import files
from pathlib import Path
from typing import Annotated, Any, Literal, Optional

import duckdb
from fastapi import Depends, FastAPI, Path as PathParam, Query, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, ConfigDict, Field

from . import __version__
from .errors import InputError, StoreError
from .models import PLOVER_TYPES
from .store import Store, event_filter

log = logging.getLogger("allegiance.api")
MAX_OFFSET = 10**9
CODE_WAIT_SECONDS = 30.0

__all__ = ["create_app", "MAX_CODE_CHARS"]

MAX_CODE_CHARS = 100_000  # characters per POST /api/code (a news article is 5–50 kB)
WEB_DIR = Path(str(files("allegiance") / "web"))
# cytoscape injects a <style> element, hence 'unsafe-inline' for styles (never for scripts)
CSP = ("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")


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
    date: str
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


class SidesReport(_Open):
    """CONTRACT §4 object (same as ``allegiance sides --format json``)."""

    window: dict[str, Optional[str]]
    level: Literal["country", "sector", "entity"]
    sides: list[dict[str, Any]]
    unaligned: list[dict[str, Any]]
    stances: list[dict[str, Any]]
    frustration: float


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


class CodeRequest(BaseModel):
    text: str = Field(description="The document text (plain text).")
    id: str = Field("request", max_length=500, description="Document id given to the records (`doc_id`).")
    date: Optional[dt.date] = Field(
        None, description="Publication date YYYY-MM-DD (relative dates resolve against it).")
    title: Optional[str] = Field(None, max_length=2000)
    url: Optional[str] = Field(None, max_length=2000)
    publisher: Optional[str] = Field(None, max_length=500)


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

READ_WAIT_API = 5.0  # seconds a request waits for a writer's batch before answering 503 "store busy"


def _db(request: Request) -> Iterator[Store]:
    """The store, opened read-only for one request and closed after it."""
    handle = Store(request.app.state.store_path, read_only=True, wait=READ_WAIT_API)
    try:
        yield handle
    finally:
        handle.close()


DB = Annotated[Store, Depends(_db)]
Since = Annotated[Optional[dt.date], Query(description="Earliest event date YYYY-MM-DD.")]
Until = Annotated[Optional[dt.date], Query(description="Latest event date YYYY-MM-DD.")]
ERRORS: dict[int | str, dict[str, Any]] = {503: {"model": ErrorBody, "description": "Store missing, busy or invalid."}}


# -- the app ------------------------------------------------------------------------------------
def create_app(store: str | Path, *, coder: Any = None, actors: Sequence[str | Path] = (),
               triggers: Sequence[str | Path] = (), max_chars: int = MAX_CODE_CHARS) -> FastAPI:
    """The allegiance HTTP API and web UI over the DuckDB file ``store``.

    ``coder``: a ready `allegiance.coder.Coder` for POST /api/code; otherwise one is built on the
    first request, from ``actors``/``triggers`` catalog files.
    """
    store_path = Path(store)
    max_body = 4 * max_chars + 64_000  # UTF-8 text at most 4 bytes a character, plus the other fields
    app = FastAPI(title="allegiance", version=__version__, docs_url=None, redoc_url=None,
                  description="Sourced political event data (PLOVER + CAMEO) and the sides it implies. "
                              f"Store: `{store_path}`. Records follow CONTRACT §2, sides §4.")
    app.state.store_path = store_path
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

    @app.middleware("http")
    async def _limit_body(request: Request, call_next: Any) -> Any:
        size = request.headers.get("content-length")
        if size is not None and size.isdigit() and int(size) > max_body:
            return JSONResponse({"detail": f"request body too large ({int(size):,} bytes; at most {max_body:,})"},
                                status_code=413)
        return await call_next(request)

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
        store_: DB,
        actor: Annotated[Optional[str], Query(
            description="Actor name (substring) or ISO code, source or target, e.g. RUS.")] = None,
        type: Annotated[Optional[str], Query(description=f"PLOVER type: {' '.join(PLOVER_TYPES)}.")] = None,  # noqa: A002
        since: Since = None,
        until: Until = None,
        factual: Annotated[bool, Query(description="Only events neither negated nor hypothetical.")] = False,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
        offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
    ) -> JSONResponse:
        """Stored records, in store order; the header ``X-Total-Count`` gives the number matching."""
        if since and until and since > until:
            raise _invalid(("query", "until"), f"until ({until}) is before since ({since})")
        try:
            where, params = event_filter(actor, type, _iso(since), _iso(until), factual)
        except ValueError as exc:
            raise _invalid(("query", "type"), str(exc)) from None
        total = store_.query("SELECT count(*) FROM events" + (f" WHERE {where}" if where else ""), params)[0][0]
        recs = list(store_.records(where, params, limit=limit, offset=offset))
        return JSONResponse(recs, headers={"X-Total-Count": str(total)})

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

    @app.get("/api/sides", response_model=SidesReport, responses=ERRORS, tags=["sides"])
    def sides(
        store_: DB, since: Since = None, until: Until = None,
        level: Annotated[Literal["country", "sector", "entity"], Query(description="Actor granularity.")] = "entity",
        half_life: Annotated[Optional[float], Query(
            gt=0, description="Decay old events with this half-life in days.")] = None,
    ) -> JSONResponse:
        """Sides, stances and their evidence: the CONTRACT §4 object of ``allegiance sides --format json``."""
        from .analysis.sqlgraph import sides_report_sql

        report = sides_report_sql(store_.con, level=level, since=_iso(since), until=_iso(until),
                                  half_life_days=half_life)  # aggregated in DuckDB
        return JSONResponse(report)

    @app.get("/api/stories", response_model=list[StoryModel], responses=ERRORS, tags=["stories"])
    def list_stories(
        store_: DB,
        actor: Annotated[Optional[str], Query(
            description="Actor name (substring) or ISO code: stories with a record naming it.")] = None,
        type: Annotated[Optional[str], Query(description=f"PLOVER type: {' '.join(PLOVER_TYPES)}.")] = None,  # noqa: A002
        since: Annotated[Optional[dt.date], Query(description="Earliest story date YYYY-MM-DD.")] = None,
        until: Annotated[Optional[dt.date], Query(description="Latest story date YYYY-MM-DD.")] = None,
        window: Annotated[int, Query(ge=0, le=30, description="Most days between two records of one story.")] = 2,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
        offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
    ) -> JSONResponse:
        """Story events (the same real-world event across articles, with GDELT-style mention, source
        and article counts), the same as `allegiance stories --format jsonl`; ordered by date, then
        id; ``X-Total-Count`` gives the number matching."""
        from .analysis.stories import load_stories

        if since and until and since > until:
            raise _invalid(("query", "until"), f"until ({until}) is before since ({since})")
        try:
            event_filter(event_type=type)
        except ValueError as exc:
            raise _invalid(("query", "type"), str(exc)) from None
        total, found = load_stories(store_.con, window, since=_iso(since), until=_iso(until), event_type=type,
                                    actor=actor, limit=limit, offset=offset, cache_key=str(store_path))
        return JSONResponse(found, headers={"X-Total-Count": str(total)})

    @app.post("/api/code", response_model=list[EventRecord], tags=["coding"],
              responses={422: {"description": "Empty or too long text, bad date."}})
    def code(req: CodeRequest) -> JSONResponse:
        """Code one posted document (stateless: nothing is written to the store)."""
        from .sources import ReadProblem, record_document

        if not req.text.strip():
            raise _invalid(("body", "text"), "text is empty: nothing to code")
        if len(req.text) > max_chars:
            raise _invalid(("body", "text"), f"text too long ({len(req.text):,} characters; this service codes "
                                             f"at most {max_chars:,} per request: use `allegiance code` for more)")
        if not req.id.strip():
            raise _invalid(("body", "id"), "id is empty")
        row = {"id": req.id, "text": req.text, "date": _iso(req.date), "title": req.title,
               "url": req.url, "publisher": req.publisher}
        doc = record_document({k: v for k, v in row.items() if v is not None}, "request")
        if isinstance(doc, ReadProblem):
            raise _invalid(("body", "text"), doc.message)
        coder_ = get_coder()
        if not code_lock.acquire(timeout=CODE_WAIT_SECONDS):  # one spaCy pipeline, one request at a time
            return JSONResponse({"detail": "the coder is busy with other requests; retry"}, status_code=503,
                                headers={"Retry-After": "5"})
        try:
            recs = coder_.code(doc)
        except InputError as exc:
            raise _invalid(("body", "text"), str(exc)) from None
        finally:
            code_lock.release()
        return JSONResponse(recs)

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(openapi_url="/openapi.json", title="allegiance API",
                                   swagger_js_url="/vendor/swagger-ui-bundle.js",
                                   swagger_css_url="/vendor/swagger-ui.css", swagger_favicon_url="/favicon.svg")

    @app.api_route("/api/{rest:path}", methods=["GET", "POST"], include_in_schema=False)
    def api_not_found(rest: str) -> JSONResponse:
        return JSONResponse({"detail": f"no API endpoint /api/{rest}; see /docs"}, status_code=404)

    app.mount("/", StaticFiles(directory=WEB_DIR, html=True), name="web")
    return app
