"""Which reader reads which file, and the guard that turns any failure of a reader into a `ReadProblem`."""
from __future__ import annotations

import gzip
import zipfile
import zlib
from collections.abc import Iterator

from ..models import Document
from .base import Item, ReadProblem, Reader, Source, unsupported
from .compressed import Bz2Reader, GzipReader, ZipReader
from .records import CsvReader, JsonlReader
from .text import HtmlReader, TextReader
from .warc import WarcReader

__all__ = ["READERS", "SUFFIXES", "reader_for", "read_source"]

READERS: tuple[Reader, ...] = (TextReader(), HtmlReader(), JsonlReader(), CsvReader(), GzipReader(),
                               Bz2Reader(), ZipReader(), WarcReader())
# longest first, so that ``x.warc.gz`` goes to the WARC reader and ``x.jsonl.gz`` to gzip
_BY_SUFFIX = sorted(((s, r) for r in READERS for s in r.suffixes), key=lambda sr: -len(sr[0]))
SUFFIXES: tuple[str, ...] = tuple(s for r in READERS for s in r.suffixes)


def reader_for(name: str) -> Reader | None:
    """The reader whose extension ends ``name`` (longest match, case-insensitive), or None."""
    lower = name.lower()
    base = lower.rsplit("/", 1)[-1]
    for suffix, reader in _BY_SUFFIX:
        if lower.endswith(suffix) and len(base) > len(suffix):
            return reader
    return None


def _describe(exc: Exception) -> str:
    if isinstance(exc, EOFError):
        return f"truncated compressed data ({exc})"
    if isinstance(exc, gzip.BadGzipFile):
        return f"not valid gzip data ({exc})"
    if isinstance(exc, zlib.error):
        return f"corrupt compressed data ({exc})"
    if isinstance(exc, zipfile.BadZipFile):
        return f"corrupt zip archive ({exc})"
    if isinstance(exc, OSError):
        if exc.strerror:
            return f"cannot read file ({exc.strerror})"
        return f"unreadable data ({exc})"
    return f"could not be read ({type(exc).__name__}: {exc})"


def read_source(source: Source, reader: Reader | None = None) -> Iterator[Item]:
    """The items of ``source`` read by ``reader`` (default: by its name); a reader that fails part-way
    (a truncated archive, a disk error) ends with a `ReadProblem` saying how far it got."""
    reader = reader or reader_for(source.name)
    if reader is None:
        yield unsupported(source.origin, source.name)
        return
    docs = 0
    try:
        for item in reader.read(source):
            docs += isinstance(item, Document)
            yield item
    except MemoryError:
        raise
    except Exception as exc:  # noqa: BLE001 - bad input must never stop a batch
        where = f"; {docs} document(s) read before it" if docs else ""
        yield ReadProblem(source.origin, _describe(exc) + where)
