"""WARC reader (web archives, as Common Crawl and news crawlers write them), with `warcio`.

``.warc`` and ``.warc.gz`` (record-by-record or whole-file gzip), and WET text extracts (``.wet``,
``.warc.wet.gz``). Each ``response`` or ``resource`` record with HTML or plain text, and each
``conversion`` record with plain text (WET), becomes a document: its id and ``url`` are the record's
``WARC-Target-URI``, its date the page's own date when the HTML carries one, else the ``WARC-Date``
(kept in ``extra["warc_date"]``). A response that is not a page (an image, a redirect, an error) is
reported as skipped; request, metadata, warcinfo and revisit records are not documents and pass
unmentioned. Records are streamed, each capped at `MAX_BYTES`.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import IO, Any

from .base import Item, ReadProblem, Source, peekable, read_capped, too_large, valid_date
from .encoding import Decoded, decode_bytes
from .text import html_document, text_document

__all__ = ["WarcReader"]

_DOCUMENT_RECORDS = ("response", "resource", "conversion")
_HTML = ("text/html", "application/xhtml+xml")
_TEXT = ("text/plain",)


def _content_type(value: str | None) -> tuple[str, str | None]:
    """(media type, charset) of a Content-Type header."""
    if not value:
        return "", None
    parts = [p.strip() for p in value.split(";")]
    charset = next((p.split("=", 1)[1].strip().strip("\"'") for p in parts[1:]
                    if p.lower().startswith("charset=")), None)
    return parts[0].lower(), charset


class TruncatedArchive(OSError):
    """The compressed stream of a WARC file ended before its end-of-stream marker."""


class _Strict:
    """A decompressing stream whose truncation raises `TruncatedArchive`: warcio reads an EOFError
    as the normal end of the records, which would drop a truncated file's loss without a word."""

    def __init__(self, stream: IO[bytes]) -> None:
        self._stream = stream

    def read(self, size: int = -1) -> bytes:
        try:
            return self._stream.read(size)
        except EOFError as exc:
            raise TruncatedArchive(f"truncated compressed data ({exc})") from exc

    def readline(self, size: int = -1) -> bytes:
        try:
            return self._stream.readline(size)
        except EOFError as exc:
            raise TruncatedArchive(f"truncated compressed data ({exc})") from exc

    def tell(self) -> int:
        return self._stream.tell()

    def close(self) -> None:
        self._stream.close()


class WarcReader:
    """``.warc``, ``.warc.gz``, ``.wet``, ``.wet.gz``: one document per page record."""

    suffixes = (".warc", ".warc.gz", ".wet", ".wet.gz")

    def read(self, source: Source) -> Iterator[Item]:
        from warcio.archiveiterator import ArchiveIterator  # lazy: only WARC input needs it
        from warcio.exceptions import ArchiveLoadFailed

        with source.open() as raw:
            stream = peekable(raw)
            if stream.peek(2)[:2] == b"\x1f\x8b":
                import gzip

                # record-by-record and whole-file gzip alike: warcio sees the plain records
                stream = _Strict(gzip.GzipFile(fileobj=stream, mode="rb"))  # type: ignore[assignment]
            n = items = docs = 0
            try:
                records = ArchiveIterator(stream, ensure_http_headers=False)
                for n, record in enumerate(records, 1):
                    if record.format != "warc":  # warcio falls back to ARC for any other text
                        yield ReadProblem(source.origin, "not a WARC file (no 'WARC/1.x' record header"
                                                         + (f" at record {n})" if n > 1 else ")"))
                        return
                    item = self._record(record, f"{source.origin} record {n}")
                    if item is not None:
                        items += 1
                        docs += not isinstance(item, ReadProblem)
                        yield item
            except ArchiveLoadFailed as exc:
                first = str(exc).strip().splitlines()[0] if str(exc).strip() else "no WARC header"
                yield ReadProblem(source.origin, f"not a valid WARC file ({first})")
                return
            except TruncatedArchive as exc:
                yield ReadProblem(source.origin, f"{exc}; {docs} document(s) read before it")
                return
            if n == 0:
                yield ReadProblem(source.origin, "empty WARC file (no records)")
            elif items == 0:
                yield ReadProblem(source.origin, f"no page records among its {n} records "
                                                 "(only requests, metadata and the like)", skipped=True,
                                  reason="no page records")

    def _record(self, record: Any, origin: str) -> Item | None:
        if record.rec_type not in _DOCUMENT_RECORDS:
            return None  # request, metadata, warcinfo, revisit: not documents
        uri = record.rec_headers.get_header("WARC-Target-URI") or ""
        if uri.startswith(("dns:", "whois:")):
            return None  # crawler bookkeeping, not a page
        if record.rec_type == "response":
            if record.http_headers is None:
                return ReadProblem(origin, f"response without HTTP headers ({uri}); not a page",
                                   skipped=True, reason="not a page")
            status = record.http_headers.get_statuscode() or "?"
            if not status.startswith("2"):
                return ReadProblem(origin, f"HTTP {status} response ({uri}); not a page",
                                   skipped=True, reason="not a page")
            media, charset = _content_type(record.http_headers.get_header("Content-Type"))
        else:
            media, charset = _content_type(record.rec_headers.get_header("Content-Type"))
        if media not in _HTML + _TEXT:
            return ReadProblem(origin, f"content type {media or 'unknown'} ({uri}); not a page",
                               skipped=True, reason="not a page")
        body: IO[bytes] = record.content_stream()
        data = read_capped(body)
        if data is None:
            return too_large(origin, None)
        missing = getattr(record.raw_stream, "limit", 0)
        if isinstance(missing, int) and missing > 0:
            return ReadProblem(origin, f"truncated record ({uri}): {missing:,} bytes missing")
        if not data.strip():
            return ReadProblem(origin, f"empty {record.rec_type} record ({uri})")
        decoded = decode_bytes(data, origin, declared=charset, html=media in _HTML)
        if not isinstance(decoded, Decoded):
            return decoded
        doc_id = uri or origin
        if media in _HTML:
            doc = html_document(decoded.text, doc_id, origin, decoded.encoding)
        else:
            doc = text_document(decoded.text, doc_id, origin, decoded.encoding)
        if isinstance(doc, ReadProblem):
            return doc
        warc_date = record.rec_headers.get_header("WARC-Date")
        extra = {**doc.extra, "warc_date": warc_date} if warc_date else doc.extra
        return dataclasses.replace(doc, url=uri or None, published=doc.published or valid_date(warc_date),
                                   extra=extra)
