"""Readers: files, folders, archives and standard input → `Document`s, with problems reported, not raised.

One reader per kind of input, all with one interface (`Reader`: ``suffixes`` and ``read(Source)``):

- `text`: ``.txt``, ``.html``/``.htm`` (one document per file);
- `records`: ``.jsonl``, ``.csv`` (one document per line or row, streamed);
- `compressed`: ``.gz``, ``.bz2`` (the inner name decides: ``x.jsonl.gz``) and ``.zip`` (each member by
  its own extension), streamed;
- `warc`: ``.warc``, ``.warc.gz``, ``.wet``/``.wet.gz`` (web archives; one document per page record).

Bytes that are not UTF-8 are decoded with the detected encoding (`encoding`), recorded in
``doc.extra["encoding"]``; documents confidently not in English are skipped, naming their language
(`language`). Every reader yields a `Document` or a `ReadProblem` naming the file (and line, member or
record) and the reason, so a batch goes on past a bad document; nothing is skipped without a word
except hidden files and folders (names starting with ``.``) inside folders and archives. A problem
is either a deliberate skip (``skipped=True`` with a short ``reason``: another language, a file type
no reader takes, an empty file) or a failure (the input is broken).
"""
from __future__ import annotations

import io
import os
import sys
from collections.abc import Iterable, Iterator, Sequence
from contextlib import nullcontext
from pathlib import Path
from typing import IO

from ..models import Document
from .base import MAX_BYTES, Item, ReadProblem, Reader, Source, peekable, printable, unsupported, valid_date
from .encoding import Decoded, decode_bytes, detect_encoding
from .language import DEFAULT_LANGUAGES, check_codes, check_language, detect_language, language_name
from .records import read_jsonl_stream, record_document
from .registry import READERS, SUFFIXES, read_source, reader_for
from .text import TextReader, html_document, text_document

__all__ = ["ReadProblem", "Item", "Reader", "Source", "read_inputs", "read_path", "read_source",
           "reader_for", "record_document", "text_document", "html_document", "decode_bytes",
           "detect_encoding", "Decoded", "detect_language", "check_language", "language_name",
           "valid_date", "read_jsonl_stream", "READERS", "SUFFIXES", "MAX_BYTES", "DEFAULT_LANGUAGES",
           "check_codes", "folder_files"]

_TEXT_READER = TextReader()


def _file_source(path: Path, doc_id: str, origin: str | None = None) -> Source:
    try:
        size: int | None = path.stat().st_size
    except OSError:
        size = None
    return Source(name=printable(path.name), origin=printable(origin or str(path)), doc_id=printable(doc_id),
                  open=lambda: open(path, "rb"), size=size)


def _screened(items: Iterable[Item], languages: Sequence[str] | None) -> Iterator[Item]:
    for item in items:
        if languages and isinstance(item, Document):
            item = check_language(item, languages)
        yield item


def read_path(path: Path, doc_id: str, *,
              languages: Sequence[str] | None = DEFAULT_LANGUAGES) -> Iterator[Item]:
    """Read one file named by the user. ``doc_id`` is the id of a single-document file (txt, html)
    and the prefix of archive members' ids. A file whose extension no reader claims is read as text."""
    languages = check_codes(languages)
    source = _file_source(path, doc_id)
    reader = reader_for(path.name) or _TEXT_READER
    yield from _screened(read_source(source, reader), languages)


def folder_files(folder: Path, *, special: bool = False) -> list[Path]:
    """The files under ``folder``, hidden files and folders left out, in a stable order; with
    ``special``, also entries that are not regular files (broken links, FIFOs, sockets, devices)."""
    found: list[Path] = []
    for root, dirs, files in os.walk(folder, followlinks=False):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        found.extend(Path(root) / f for f in files if not f.startswith("."))
        # links to folders are not followed (loops, the same files twice); named with `special`
        found.extend(Path(root) / d for d in dirs if (Path(root) / d).is_symlink())
    return sorted(p for p in found if special or p.is_file())


def _not_a_file(path: Path) -> ReadProblem:
    """The problem of a folder entry that is no regular file: named, never passed over in silence."""
    origin = printable(str(path))
    if path.is_symlink() and not path.exists():
        return ReadProblem(origin, f"broken symbolic link (to {printable(os.readlink(path))}); not read")
    if path.is_symlink() and path.is_dir():
        return ReadProblem(origin, f"symbolic link to a folder (to {printable(os.readlink(path))}); not followed "
                           "inside a folder (give the folder itself to read it)", skipped=True,
                           reason="link to a folder")
    return ReadProblem(origin, "not a regular file (a FIFO, socket or device); not read",
                       skipped=True, reason="not a regular file")


def _read_folder(folder: Path, spec: str) -> Iterator[Item]:
    files = folder_files(folder, special=True)
    if not files:
        yield ReadProblem(printable(spec), "folder has no files")
        return
    for file in files:
        if not file.is_file():
            yield _not_a_file(file)
            continue
        rel = file.relative_to(folder).as_posix()
        reader = reader_for(file.name)
        if reader is None:
            yield unsupported(printable(str(file)), printable(file.name))
            continue
        yield from read_source(_file_source(file, rel), reader)


def _sniff(head: bytes) -> str:
    """A file name whose extension fits content read from standard input."""
    h = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    if h.startswith(b"WARC/"):
        return "stdin.warc"
    if h.startswith(b"{"):
        return "stdin.jsonl"
    if h[:15].lower().startswith((b"<!doctype", b"<html")):
        return "stdin.html"
    return "stdin.txt"


def _read_stdin(stream: IO[str]) -> Iterator[Item]:
    raw: IO[bytes] = stream.buffer if hasattr(stream, "buffer") else \
        io.BytesIO(stream.read().encode("utf-8"))  # type: ignore[assignment]
    buf = peekable(raw)
    if buf.peek(2)[:2] == b"\x1f\x8b":
        import gzip
        import zlib

        buf = gzip.GzipFile(fileobj=buf, mode="rb")  # type: ignore[assignment]
        try:
            buf.peek(1)
        except (OSError, EOFError, zlib.error) as exc:  # gzip magic, then garbage or a cut stream
            yield ReadProblem("<stdin>", f"not valid gzip data ({exc})")
            return
    name = _sniff(buf.peek(4096))
    source = Source(name=name, origin="<stdin>", doc_id="stdin", open=lambda: nullcontext(buf))
    yield from read_source(source)


def read_inputs(inputs: Iterable[str], *, stdin: IO[str] | None = None,
                languages: Sequence[str] | None = DEFAULT_LANGUAGES) -> Iterator[Item]:
    """Yield documents (or problems) from files, folders, archives and ``-``, in a stable order.

    ``languages``: ISO 639 codes of the languages to code (default English); a document confidently
    in another language is yielded as a skipped `ReadProblem` naming it. None reads every language.
    An unknown code raises ValueError before anything is read.
    """
    languages = check_codes(languages)
    for spec in inputs:
        if spec == "-":
            yield from _screened(_read_stdin(stdin or sys.stdin), languages)
            continue
        path = Path(spec)
        if path.is_dir():
            yield from _screened(_read_folder(path, spec), languages)
        elif path.is_file():
            yield from read_path(path, path.name, languages=languages)
        else:
            yield _not_a_file(path) if path.exists() or path.is_symlink() else \
                ReadProblem(printable(spec), "no such file or folder")
