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
from collections.abc import Iterator
from typing import IO, Any

from ..models import Document
from .base import MAX_BYTES, Item, ReadProblem, Source, peekable, valid_date
from .encoding import Decoded, LineDecoder

__all__ = ["JsonlReader", "CsvReader", "record_document", "read_jsonl_stream"]

_KNOWN = {"id", "text", "event_text", "date", "pub_date", "title", "headline", "url", "publisher"}


def record_document(row: dict[str, Any], origin: str) -> Document | ReadProblem:
    """A `Document` from one record (``id``, ``text``/``event_text``, ``date``/``pub_date``, ``title``/
    ``headline``, ``url``, ``publisher``; other fields go to ``extra``), or the problem with it."""
    if not isinstance(row, dict):
        return ReadProblem(origin, "line is not a JSON object")
    doc_id = row.get("id")
    if doc_id is None or str(doc_id).strip() == "":
        return ReadProblem(origin, "missing required field 'id'")
    text = row.get("text", row.get("event_text"))
    if not isinstance(text, str) or not text.strip():
        return ReadProblem(origin, "missing or empty field 'text' (or 'event_text')")
    if len(text.encode("utf-8")) > MAX_BYTES:
        return ReadProblem(origin, f"field 'text' too large (limit {MAX_BYTES:,} bytes)")
    raw_date = row.get("date", row.get("pub_date"))
    published = valid_date(raw_date)
    extra = {k: v for k, v in row.items() if k not in _KNOWN}
    if raw_date not in (None, "") and published is None:
        extra["invalid_date"] = raw_date
    return Document(id=str(doc_id), text=text, published=published,
                    title=row.get("title") or row.get("headline"), url=row.get("url"),
                    publisher=row.get("publisher"), extra=extra, origin=origin)


def _with_encoding(item: Document | ReadProblem, encoding: str | None) -> Document | ReadProblem:
    if encoding and isinstance(item, Document):
        return dataclasses.replace(item, extra={**item.extra, "encoding": encoding})
    return item


def _lines(stream: IO[bytes], name: str) -> Iterator[tuple[int, Decoded | ReadProblem]]:
    """(line number, decoded line or its problem) for every line of ``stream``, newline kept."""
    stream = peekable(stream)
    if stream.peek(2)[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        wrapped = io.TextIOWrapper(stream, encoding="utf-16", newline="")  # type: ignore[arg-type]
        for n, line in enumerate(iter(lambda: wrapped.readline(MAX_BYTES + 1), ""), 1):
            if len(line) > MAX_BYTES:
                yield n, ReadProblem(f"{name}:{n}", f"line too long (limit {MAX_BYTES:,} bytes)")
            else:
                yield n, Decoded(line, "utf_16")
        return
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
        try:
            row = json.loads(line.text)
        except json.JSONDecodeError as exc:
            yield ReadProblem(origin, f"malformed JSON ({exc.msg} at column {exc.colno})")
            continue
        yield _with_encoding(record_document(row, origin), line.encoding)


class JsonlReader:
    """``.jsonl``: one JSON object per line with at least ``id`` and ``text``."""

    suffixes = (".jsonl",)

    def read(self, source: Source) -> Iterator[Item]:
        with source.open() as stream:
            yield from read_jsonl_stream(stream, source.origin)


class CsvReader:
    """``.csv``: a header row with at least ``id`` and ``text``, then one document per row (a quoted
    field may span lines; the row is named by its last line)."""

    suffixes = (".csv",)

    def read(self, source: Source) -> Iterator[Item]:
        name = source.origin
        if csv.field_size_limit() < MAX_BYTES:
            csv.field_size_limit(MAX_BYTES)  # a text field may be as large as a document
        with source.open() as stream:
            pending: list[ReadProblem] = []
            state: dict[str, Any] = {"line": 0, "encoding": None}

            def text_lines() -> Iterator[str]:
                for n, line in _lines(stream, name):
                    state["line"] = n
                    if isinstance(line, ReadProblem):
                        pending.append(line)
                        continue
                    if line.encoding:
                        state["encoding"] = line.encoding
                    yield line.text

            reader = csv.DictReader(text_lines())
            try:
                fields = reader.fieldnames
            except csv.Error as exc:
                yield ReadProblem(f"{name}:{state['line']}", f"malformed CSV header ({exc})")
                return
            yield from pending
            pending.clear()
            if not fields or "id" not in fields:
                yield ReadProblem(name, "CSV needs a header row with at least 'id' and 'text' columns")
                return
            while True:
                try:
                    row = next(reader)
                except StopIteration:
                    break
                except csv.Error as exc:
                    yield from pending
                    yield ReadProblem(f"{name}:{state['line']}", f"malformed CSV ({exc})")
                    return
                yield from pending
                pending.clear()
                item = record_document(dict(row), f"{name}:{state['line']}")
                yield _with_encoding(item, state["encoding"])  # type: ignore[arg-type]
                state["encoding"] = None
            yield from pending
