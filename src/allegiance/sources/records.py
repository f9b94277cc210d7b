"""Record readers: JSON Lines (``.jsonl``) and CSV (``.csv``), one document per line or row.

Both stream line by line, so a file (or a compressed dump) of any size is read in constant memory;
each line or row is capped at `MAX_BYTES`. Problems name the file and line: ``in.jsonl:2``.
"""
from __future__ import annotations

import codecs
import csv
import dataclasses
import io
import json
import math
import re
from collections import deque
from collections.abc import Iterator
from typing import IO, Any

from ..models import Document
from .base import MAX_BYTES, Item, ReadProblem, Source, no_words, peekable, valid_date
from .encoding import Decoded, LineDecoder

__all__ = ["JsonlReader", "CsvReader", "record_document", "read_jsonl_stream", "parse_json_line", "clean_text"]

_KNOWN = {"id", "text", "event_text", "date", "pub_date", "title", "headline", "url", "publisher"}
MAX_DEPTH = 64  # JSON values nested deeper than this (objects in lists in objects ...) are refused
_SURROGATE = re.compile("[\ud800-\udfff]")


class _TooDeep(ValueError):
    """A record value nested more than `MAX_DEPTH` levels."""


class _NotFinite(ValueError):
    """A record value that is NaN or ±Infinity (not JSON; would be stored as ``nan``/``inf``)."""


def clean_text(text: str) -> str:
    """``text`` with lone surrogates (JSON escapes such as ``\\ud800``, which no UTF-8 file, store
    or JSON output can hold) replaced by U+FFFD."""
    return _SURROGATE.sub("\ufffd", text) if _SURROGATE.search(text) else text


def _clean(value: Any, depth: int = 0) -> Any:
    """``value`` with every string (keys too) passed through `clean_text`; `_TooDeep` past `MAX_DEPTH`,
    `_NotFinite` for a NaN or infinite number."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, float) and not math.isfinite(value):
        raise _NotFinite(str(value))
    if isinstance(value, (dict, list)):
        if depth >= MAX_DEPTH:
            raise _TooDeep
        if isinstance(value, dict):
            return {clean_text(str(k)): _clean(v, depth + 1) for k, v in value.items()}
        return [_clean(v, depth + 1) for v in value]
    return value


def _finite(text: str) -> float:
    """A JSON number as a float; a number too large for one (``1e400``) is refused, not made ``inf``."""
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"number {text[:20]} is out of range")
    return value


def _no_constant(name: str) -> float:
    raise ValueError(f"{name} is not a JSON value")


def parse_json_line(text: str) -> tuple[Any, str | None]:
    """(value, None) for one line of strict JSON (RFC 8259), or (None, why it is refused): malformed
    JSON, ``NaN``/``Infinity`` or a number out of float range (which would reach the document as
    ``nan``/``inf``), nesting deeper than `MAX_DEPTH`, an integer of over 4,300 digits."""
    try:
        return json.loads(text, parse_constant=_no_constant, parse_float=_finite), None
    except json.JSONDecodeError as exc:
        return None, f"malformed JSON ({exc.msg} at column {exc.colno})"
    except RecursionError:
        return None, f"malformed JSON (nested too deeply; limit {MAX_DEPTH} levels)"
    except ValueError as exc:
        return None, f"malformed JSON ({exc})"


def record_document(row: dict[str, Any], origin: str, *, require_words: bool = True) -> Document | ReadProblem:
    """A `Document` from one record (``id``, ``text``/``event_text``, ``date``/``pub_date``, ``title``/
    ``headline``, ``url``, ``publisher``; other fields go to ``extra``), or the problem with it.
    ``require_words``: a text without a letter or digit is a skipped ``empty`` problem (False: coded)."""
    if not isinstance(row, dict):
        return ReadProblem(origin, "line is not a JSON object")
    cleaned: dict[str, Any] = {}
    for key, value in row.items():
        try:
            cleaned[clean_text(str(key))] = _clean(value, 1)
        except _TooDeep:
            return ReadProblem(origin, f"field {str(key)[:40]!r} is nested too deeply (limit {MAX_DEPTH} levels)")
        except _NotFinite as exc:
            return ReadProblem(origin, f"field {str(key)[:40]!r} holds {exc}, which is not a JSON value; refused")
    row = cleaned
    doc_id = row.get("id")
    if doc_id is None or str(doc_id).strip() == "":
        return ReadProblem(origin, "missing required field 'id'")
    if isinstance(doc_id, bool) or not isinstance(doc_id, (str, int, float)) or \
            (isinstance(doc_id, float) and not math.isfinite(doc_id)):
        return ReadProblem(origin, f"field 'id' must be a string or a number, not {_json_type(doc_id)}")
    text = row.get("text", row.get("event_text"))
    if not isinstance(text, str) or not text.strip():
        return ReadProblem(origin, "missing or empty field 'text' (or 'event_text')")
    if require_words and (empty := no_words(text, origin)) is not None:
        return empty  # a corpus line with nothing to code (the API codes what it is sent: its schema says so)
    if len(text.encode("utf-8")) > MAX_BYTES:
        return ReadProblem(origin, f"field 'text' too large (limit {MAX_BYTES:,} bytes)")
    raw_date = row.get("date", row.get("pub_date"))
    published = valid_date(raw_date)
    extra = {k: v for k, v in row.items() if k not in _KNOWN}
    if raw_date not in (None, "") and published is None:
        extra["invalid_date"] = raw_date
    return Document(id=str(doc_id), text=text, published=published,
                    title=_string(row.get("title")) or _string(row.get("headline")), url=_string(row.get("url")),
                    publisher=_string(row.get("publisher")), extra=extra, origin=origin)


def _json_type(value: Any) -> str:
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    return {dict: "an object", list: "a list"}.get(type(value), type(value).__name__)


def _string(value: Any) -> str | None:
    """A metadata field as text: a number becomes its digits; a list, object or blank is no value."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    return value if isinstance(value, str) and value.strip() else None


def _with_encoding(item: Document | ReadProblem, encoding: str | None) -> Document | ReadProblem:
    if encoding and isinstance(item, Document):
        return dataclasses.replace(item, extra={**item.extra, "encoding": encoding})
    return item


def _lines(stream: IO[bytes], name: str) -> Iterator[tuple[int, Decoded | ReadProblem]]:
    """(line number, decoded line or its problem) for every line of ``stream``, newline kept."""
    stream = peekable(stream)
    if stream.peek(2)[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        wrapped = io.TextIOWrapper(stream, encoding="utf-16", newline="")  # type: ignore[arg-type]
        n = 0
        while True:
            try:
                line = wrapped.readline(MAX_BYTES + 1)
            except UnicodeDecodeError as exc:  # an odd byte count, a lone surrogate: not UTF-16
                yield n + 1, ReadProblem(f"{name}:{n + 1}", f"not valid UTF-16 ({exc.reason}); "
                                                            "the rest of the file is not read")
                return
            if not line:
                return
            n += 1
            if len(line) > MAX_BYTES:
                yield n, ReadProblem(f"{name}:{n}", f"line too long (limit {MAX_BYTES:,} bytes)")
            else:
                yield n, Decoded(line, "utf_16")
    decoder = LineDecoder()
    n = 0
    while True:
        raw = stream.readline(MAX_BYTES + 1)
        if not raw:
            return
        n += 1
        if len(raw) > MAX_BYTES and not raw.endswith(b"\n"):
            while True:  # the rest of the over-long line is read and dropped, never held
                rest = stream.readline(1 << 20)
                if not rest or rest.endswith(b"\n"):
                    break
            yield n, ReadProblem(f"{name}:{n}", f"line too long (over {MAX_BYTES:,} bytes)")
            continue
        yield n, decoder.decode(raw, f"{name}:{n}", first=n == 1)


def read_jsonl_stream(stream: IO[bytes], name: str) -> Iterator[Item]:
    """The records of a JSON Lines stream; ``name`` prefixes each origin (``name:LINE``)."""
    for n, line in _lines(stream, name):
        if isinstance(line, ReadProblem):
            yield line
            continue
        if not line.text.strip():
            continue
        origin = f"{name}:{n}"
        row, why = parse_json_line(line.text)
        if why is not None:
            yield ReadProblem(origin, why)
            continue
        yield _with_encoding(record_document(row, origin), line.encoding)


class JsonlReader:
    """``.jsonl``: one JSON object per line with at least ``id`` and ``text``."""

    suffixes = (".jsonl",)

    def read(self, source: Source) -> Iterator[Item]:
        with source.open() as stream:
            yield from read_jsonl_stream(stream, source.origin)


def _sloppy_row(row_lines: list[tuple[int, str, str | None]], exc: csv.Error,
                at_end: bool) -> tuple[list[str], str | None]:
    """A row that strict parsing rejected: read loosely when it is one line (``a,"x" y``), else the
    message for a quoted field that runs on over the lines after it (or to the end of the file)."""
    if at_end:
        return [], "unterminated quoted field (the quote opened on this line is never closed)"
    if len(row_lines) == 1:
        loose = list(csv.reader([row_lines[0][1]]))
        if len(loose) == 1:
            return loose[0], None
    if len(row_lines) > 1:
        return [], (f"malformed CSV row: a quoted field opened on this line runs on to line "
                    f"{row_lines[-1][0]} ({exc}); probably an unterminated quote")
    return [], f"malformed CSV row ({exc})"


class CsvReader:
    """``.csv``: a header row with at least ``id`` and ``text``, then one document per row (a quoted
    field may span lines; the row is named by its last line).

    Rows are parsed strictly, so that a quote that is never closed cannot swallow the rows after it
    into one field: such a row is reported at the line where it starts, and the lines after it are
    read again as rows. Loose quoting within one line (``a,"quoted" words``) is read as the csv module
    reads it by default.
    """

    suffixes = (".csv",)

    def read(self, source: Source) -> Iterator[Item]:
        name = source.origin
        if csv.field_size_limit() < MAX_BYTES:
            csv.field_size_limit(MAX_BYTES)  # a text field may be as large as a document
        with source.open() as stream:
            lines = _lines(stream, name)
            again: deque[tuple[int, str, str | None]] = deque()  # lines to read again, in order
            row_lines: list[tuple[int, str, str | None]] = []  # (line, text, encoding) of this row
            pending: list[ReadProblem] = []  # lines that could not be decoded
            state = {"exhausted": False}

            def feed() -> Iterator[str]:
                while True:
                    if again:
                        entry = again.popleft()
                    else:
                        try:
                            n, line = next(lines)
                        except StopIteration:
                            state["exhausted"] = True
                            return
                        if isinstance(line, ReadProblem):
                            pending.append(line)
                            continue
                        entry = (n, line.text, line.encoding)
                    row_lines.append(entry)
                    yield entry[1]

            reader = csv.reader(feed(), strict=True)
            try:
                header = next(reader, None)
            except csv.Error as exc:
                yield from pending
                yield ReadProblem(f"{name}:{row_lines[-1][0] if row_lines else 1}",
                                  f"malformed CSV header ({exc})")
                return
            yield from pending
            pending.clear()
            fields = [f.strip() for f in header] if header else []
            if "id" not in fields:
                yield ReadProblem(name, "CSV needs a header row with at least 'id' and 'text' columns")
                return
            while True:
                row_lines.clear()
                try:
                    row, broken = next(reader), None
                except StopIteration:
                    break
                except csv.Error as exc:
                    row, broken = _sloppy_row(row_lines, exc, state["exhausted"])
                yield from pending
                pending.clear()
                if broken is not None:
                    first = row_lines[0][0] if row_lines else 0
                    rest = row_lines[1:]
                    if rest:
                        broken += f"; lines {rest[0][0]}-{rest[-1][0]} are read again as rows"
                    yield ReadProblem(f"{name}:{first}", broken)
                    again.extendleft(reversed(rest))
                    state["exhausted"] = False
                    reader = csv.reader(feed(), strict=True)
                    continue
                if not row:
                    continue  # a blank line
                record: dict[str, Any] = dict(zip(fields, row))
                if len(row) > len(fields):
                    record["extra_cells"] = row[len(fields):]
                item = record_document(record, f"{name}:{row_lines[-1][0]}")
                encoding = next((e for _, _, e in row_lines if e), None)
                yield _with_encoding(item, encoding)
            yield from pending
