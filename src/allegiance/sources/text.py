"""Single-document readers: plain text (``.txt``) and HTML (``.html``, ``.htm``)."""
from __future__ import annotations

import re
from collections.abc import Iterator

from ..models import Document
from .base import Item, ReadProblem, Source, no_words, read_capped, too_large, valid_date, MAX_BYTES
from .encoding import Decoded, decode_bytes

__all__ = ["TextReader", "HtmlReader", "text_document", "html_document", "read_document_bytes"]

_PUBLISHED = re.compile(r"^\s*(?:Published|Date|Dateline date)\s*:\s*(\d{4}-\d{2}-\d{2})\s*$",
                        re.IGNORECASE | re.MULTILINE)


def _extra(encoding: str | None) -> dict[str, str]:
    return {"encoding": encoding} if encoding else {}


def text_document(text: str, doc_id: str, origin: str, encoding: str | None = None) -> Document | ReadProblem:
    """A plain-text document: a ``Published: YYYY-MM-DD`` line near the top dates it (and is removed);
    a short first line followed by a blank line is its title."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        return ReadProblem(origin, "no text after decoding", skipped=True, reason="empty")
    if (empty := no_words(text, origin)) is not None:
        return empty
    published = None
    m = _PUBLISHED.search(text[:2000])
    if m:
        published = valid_date(m.group(1))
        text = text[:m.start()] + text[m.end():]  # the header line is metadata, not story text
        if not text.strip():
            return ReadProblem(origin, "only a 'Published:' line, no text")
    lines = text.lstrip("\n").split("\n", 2)
    title = lines[0].strip() if len(lines) > 1 and not lines[1].strip() and len(lines[0]) < 200 else None
    return Document(id=doc_id, text=text, published=published, title=title, extra=_extra(encoding),
                    origin=origin)


def html_document(raw: str, doc_id: str, origin: str, encoding: str | None = None) -> Document | ReadProblem:
    """An HTML page's article text (scripts, navigation, headers and footers removed), its title and date."""
    from ..html import extract  # lazy: lxml/trafilatura cost import time

    try:
        title, body, published = extract(raw)
    except Exception as exc:  # hostile or broken markup must not stop the batch
        return ReadProblem(origin, f"HTML could not be parsed ({type(exc).__name__}: {exc})")
    if not body.strip() or no_words(body, origin) is not None:
        return ReadProblem(origin, "HTML page has no article text", skipped=True, reason="no article text")
    text = f"{title}\n\n{body}" if title else body
    return Document(id=doc_id, text=text, published=valid_date(published), title=title,
                    extra=_extra(encoding), origin=origin)


def read_document_bytes(source: Source) -> bytes | ReadProblem:
    """The bytes of a single-document source, or the problem (too large, unreadable)."""
    if source.size is not None and source.size > MAX_BYTES:
        return too_large(source.origin, source.size, "file")
    with source.open() as stream:
        data = read_capped(stream)
    if data is None:
        return too_large(source.origin, source.size, "file")
    return data


class TextReader:
    """``.txt``: one document per file; also the reader of files named explicitly whose extension
    no other reader claims."""

    suffixes = (".txt",)

    def read(self, source: Source) -> Iterator[Item]:
        data = read_document_bytes(source)
        if isinstance(data, ReadProblem):
            yield data
            return
        decoded = decode_bytes(data, source.origin)
        if isinstance(decoded, Decoded):
            yield text_document(decoded.text, source.doc_id, source.origin, decoded.encoding)
        else:
            yield decoded


class HtmlReader:
    """``.html``/``.htm``: one article per page; a ``<meta charset>`` is honoured for non-UTF-8 pages."""

    suffixes = (".html", ".htm")

    def read(self, source: Source) -> Iterator[Item]:
        data = read_document_bytes(source)
        if isinstance(data, ReadProblem):
            yield data
            return
        decoded = decode_bytes(data, source.origin, html=True)
        if isinstance(decoded, Decoded):
            yield html_document(decoded.text, source.doc_id, source.origin, decoded.encoding)
        else:
            yield decoded
