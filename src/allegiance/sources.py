"""Readers: files, folders and standard input → `Document`s, with problems reported, not raised.

Supported inputs (CONTRACT §1): ``.txt``, ``.html``/``.htm``, ``.jsonl``, ``.csv`` and ``-``.
A reader yields either a `Document` or a `ReadProblem` naming the file (and line) at fault, so a
batch goes on past a bad document.
"""
from __future__ import annotations

import csv
import io
import json
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO, Any

from .models import Document

__all__ = ["ReadProblem", "read_inputs", "read_path", "record_document", "SUFFIXES", "MAX_BYTES"]

SUFFIXES = (".txt", ".html", ".htm", ".jsonl", ".csv")
MAX_BYTES = 5_000_000  # one document larger than this is skipped (a news article is ~5-50 kB)
_PUBLISHED = re.compile(r"^\s*(?:Published|Date|Dateline date)\s*:\s*(\d{4}-\d{2}-\d{2})\s*$",
                        re.IGNORECASE | re.MULTILINE)
_KNOWN = {"id", "text", "event_text", "date", "pub_date", "title", "headline", "url", "publisher"}


@dataclass(frozen=True)
class ReadProblem:
    """A document that could not be read: where, and why."""

    origin: str
    message: str

    def __str__(self) -> str:
        return f"{self.origin}: {self.message}"


Item = Document | ReadProblem


def _valid_date(value: Any) -> str | None:
    if value in (None, ""):
        return None
    text = str(value).strip()[:10]
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        return None


def _decode(data: bytes, origin: str) -> str | ReadProblem:
    if not data.strip():
        return ReadProblem(origin, "empty file (no text to code)")
    if len(data) > MAX_BYTES:
        return ReadProblem(origin, f"too large ({len(data):,} bytes; limit {MAX_BYTES:,})")
    head = data[:8192]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            return ReadProblem(origin, f"not valid UTF-16 at byte {exc.start}")
    if b"\x00" in head:
        return ReadProblem(origin, "binary file (NUL bytes), not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return ReadProblem(origin, f"not valid UTF-8 at byte {exc.start}; re-encode the file as UTF-8")


def _text_document(text: str, doc_id: str, origin: str) -> Document | ReadProblem:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        return ReadProblem(origin, "no text after decoding")
    published = None
    m = _PUBLISHED.search(text[:2000])
    if m:
        published = _valid_date(m.group(1))
        text = text[:m.start()] + text[m.end():]  # the header line is metadata, not story text
        if not text.strip():
            return ReadProblem(origin, "only a 'Published:' line, no text")
    lines = text.lstrip("\n").split("\n", 2)
    title = lines[0].strip() if len(lines) > 1 and not lines[1].strip() and len(lines[0]) < 200 else None
    return Document(id=doc_id, text=text, published=published, title=title, origin=origin)


def _html_document(raw: str, doc_id: str, origin: str) -> Document | ReadProblem:
    from .html import extract  # lazy: lxml/trafilatura cost import time

    try:
        title, body, published = extract(raw)
    except Exception as exc:  # hostile or broken markup must not stop the batch
        return ReadProblem(origin, f"HTML could not be parsed ({type(exc).__name__}: {exc})")
    if not body.strip():
        return ReadProblem(origin, "HTML page has no article text")
    text = f"{title}\n\n{body}" if title else body
    return Document(id=doc_id, text=text, published=_valid_date(published), title=title, origin=origin)


def record_document(row: dict[str, Any], origin: str) -> Document | ReadProblem:
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
    published = _valid_date(raw_date)
    extra = {k: v for k, v in row.items() if k not in _KNOWN}
    if raw_date not in (None, "") and published is None:
        extra["invalid_date"] = raw_date
    return Document(id=str(doc_id), text=text, published=published,
                    title=row.get("title") or row.get("headline"), url=row.get("url"),
                    publisher=row.get("publisher"), extra=extra, origin=origin)


def _read_jsonl(lines: Iterable[str], name: str) -> Iterator[Item]:
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        origin = f"{name}:{n}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            yield ReadProblem(origin, f"malformed JSON ({exc.msg} at column {exc.colno})")
            continue
        yield record_document(row, origin)


def _read_csv(text: str, name: str) -> Iterator[Item]:
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or "id" not in reader.fieldnames:
        yield ReadProblem(name, "CSV needs a header row with at least 'id' and 'text' columns")
        return
    try:
        for row in reader:
            yield record_document(dict(row), f"{name}:{reader.line_num}")
    except csv.Error as exc:
        yield ReadProblem(f"{name}:{reader.line_num}", f"malformed CSV ({exc})")


def read_path(path: Path, doc_id: str) -> Iterator[Item]:
    """Read one file. ``doc_id`` is used for single-document formats (txt, html)."""
    origin = str(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        yield ReadProblem(origin, f"cannot read file ({exc.strerror})")
        return
    text = _decode(data, origin)
    if isinstance(text, ReadProblem):
        yield text
        return
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        yield from _read_jsonl(text.splitlines(), origin)
    elif suffix == ".csv":
        yield from _read_csv(text, origin)
    elif suffix in (".html", ".htm"):
        yield _html_document(text, doc_id, origin)
    else:
        yield _text_document(text, doc_id, origin)


def _read_stdin(stream: IO[str]) -> Iterator[Item]:
    data = stream.buffer.read() if hasattr(stream, "buffer") else stream.read().encode("utf-8")
    text = _decode(data, "<stdin>")
    if isinstance(text, ReadProblem):
        yield text
        return
    if text.lstrip().startswith("{"):
        yield from _read_jsonl(text.splitlines(), "<stdin>")
    elif text.lstrip()[:15].lower().startswith(("<!doctype", "<html")):
        yield _html_document(text, "stdin", "<stdin>")
    else:
        yield _text_document(text, "stdin", "<stdin>")


def read_inputs(inputs: Iterable[str], *, stdin: IO[str] | None = None) -> Iterator[Item]:
    """Yield documents (or problems) from files, folders and ``-``, in a stable order."""
    for spec in inputs:
        if spec == "-":
            yield from _read_stdin(stdin or sys.stdin)
            continue
        path = Path(spec)
        if path.is_dir():
            files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
            if not files:
                yield ReadProblem(spec, f"folder has no {'/'.join(SUFFIXES)} files")
            for file in files:
                yield from read_path(file, file.relative_to(path).as_posix())
        elif path.is_file():
            yield from read_path(path, path.name)
        else:
            yield ReadProblem(spec, "no such file or folder")
