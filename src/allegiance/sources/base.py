"""What every reader shares: the `ReadProblem` it reports, the `Source` it reads, the `Reader` interface.

A reader takes one `Source` (a name whose extension chose the reader, an origin for messages, the id
of a single-document input, and a way to open a fresh binary stream) and yields `Item`s: a
`Document`, or a `ReadProblem` naming the file (and line, member or record) and the reason. Readers
stream: nothing reads a whole file or archive into memory, and no single document may exceed
`MAX_BYTES`.
"""
from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date
from typing import IO, Any, Protocol

from ..models import Document

MAX_BYTES = 5_000_000  # one document larger than this is skipped (a news article is ~5-50 kB)
MAX_DEPTH = 3  # archives inside archives: deeper nesting is refused


@dataclass(frozen=True)
class ReadProblem:
    """A document that could not be read, or was deliberately not read: where, and why.

    ``skipped`` is True for inputs that were readable but are deliberately not coded (a file type that
    has no reader, a document in another language, an empty file, a page robots.txt disallows); False
    for failures (bad encoding, malformed line, corrupt archive, …). ``reason`` is a short label that
    run summaries count by (``language fr``, ``unsupported .pdf``, ``empty``); may be empty.
    """

    origin: str
    message: str
    skipped: bool = False
    reason: str = ""

    def __str__(self) -> str:
        return f"{self.origin}: {self.message}"


Item = Document | ReadProblem

Opener = Callable[[], AbstractContextManager[IO[bytes]]]


@dataclass(frozen=True)
class Source:
    """One input for a reader.

    ``name`` is the file (or archive member) name whose extension chose the reader; ``origin`` names
    it in messages (``in/a.zip/x.jsonl``); ``doc_id`` is the id of a single-document input (txt,
    html); ``open`` returns a fresh binary stream as a context manager; ``size`` is the byte size when
    known before reading; ``depth`` counts the archives this input is inside.
    """

    name: str
    origin: str
    doc_id: str
    open: Opener
    size: int | None = None
    depth: int = 0


class Reader(Protocol):
    """A reader of one kind of input: the extensions it claims and a streaming ``read``."""

    suffixes: tuple[str, ...]

    def read(self, source: Source) -> Iterator[Item]:
        """Yield the documents (and problems) of ``source``; never raise for bad input."""
        ...


def valid_date(value: Any) -> str | None:
    """``YYYY-MM-DD`` from the first ten characters of ``value``, or None when it is not a date."""
    if value in (None, ""):
        return None
    text = str(value).strip()[:10]
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        return None


def read_capped(stream: IO[bytes], limit: int = MAX_BYTES) -> bytes | None:
    """At most ``limit`` bytes of ``stream``; None when it holds more (the rest is not read)."""
    chunks: list[bytes] = []
    total = 0
    while total <= limit:
        chunk = stream.read(min(1 << 20, limit + 1 - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    return None if total > limit else b"".join(chunks)


def too_large(origin: str, size: int | None, what: str = "document") -> ReadProblem:
    """The problem of a document over `MAX_BYTES`."""
    got = f"{size:,} bytes" if size is not None else f"over {MAX_BYTES:,} bytes"
    return ReadProblem(origin, f"{what} too large ({got}; limit {MAX_BYTES:,})")


def peekable(stream: IO[bytes]) -> IO[bytes]:
    """``stream`` itself when it can ``peek``, else wrapped in a buffer that can."""
    if hasattr(stream, "peek"):
        return stream
    return io.BufferedReader(stream)  # type: ignore[arg-type]


_LETTER_OR_DIGIT = re.compile(r"[^\W_]")


def no_words(text: str, origin: str) -> ReadProblem | None:
    """The (skipped, ``empty``) problem of a text without a single letter or digit, such as a flood of
    zero-width spaces or only punctuation: nothing to code. None when ``text`` has words."""
    if _LETTER_OR_DIGIT.search(text):
        return None
    what = "no text" if not text.strip() else "no letters or digits (only spaces, punctuation or invisible characters)"
    return ReadProblem(origin, f"{what}; nothing to code", skipped=True, reason="empty")


def printable(name: str) -> str:
    """A file name as text that UTF-8 can hold: bytes that were not UTF-8 (which Python keeps as lone
    surrogates, ``\\udcff``) become U+FFFD, so that ids, messages and reports never fail to encode."""
    try:
        return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    except UnicodeEncodeError:
        from .records import clean_text

        return clean_text(name)


def suffix_of(name: str) -> str:
    """The last extension of ``name`` in lower case (``.pdf``), or ``''``."""
    base = name.rsplit("/", 1)[-1]
    dot = base.rfind(".")
    return base[dot:].lower() if dot > 0 else ""


def unsupported(origin: str, name: str, inside: str | None = None) -> ReadProblem:
    """The problem of a file that no reader takes (reported, never silently ignored)."""
    suffix = suffix_of(name)
    kind = f"unsupported file type {suffix}" if suffix else "unsupported file type (no extension)"
    if inside:
        kind += f" inside {inside}"
    return ReadProblem(origin, kind, skipped=True, reason=f"unsupported {suffix or '(no extension)'}")
