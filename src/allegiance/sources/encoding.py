"""Bytes → text: BOM, UTF-8, a declared charset, then `charset-normalizer` when it is confident.

`decode_bytes` returns a `Decoded` (the text and, when it was not UTF-8, the codec used, which the
readers record in ``doc.extra["encoding"]``) or a `ReadProblem` saying why the bytes are not text.
`LineDecoder` does the same line by line for JSONL and CSV, which are streamed.
"""
from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from .base import ReadProblem

__all__ = ["Decoded", "decode_bytes", "detect_encoding", "LineDecoder", "binary_kind"]

MAX_CHAOS = 0.2  # charset-normalizer's "mess" ratio above which a guess is not trusted
_SAMPLE = 8192
# When several codecs decode equally well, the commonest for news text wins (Windows code pages
# first: they are what legacy news sites and Office exports write).
_PREFERRED = ("cp1252", "cp1256", "cp1251", "cp1250", "cp1253", "cp1254", "cp1255", "cp1257",
              "latin_1", "iso8859_15", "iso8859_6", "koi8_r", "iso8859_2")
_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "a PDF document"),
    (b"\x7fELF", "an ELF executable"),
    (b"PK\x03\x04", "a zip container (.zip, .docx, .xlsx, .odt…)"),
    (b"\x1f\x8b", "gzip-compressed data (name the file .gz)"),
    (b"\xfd7zXZ\x00", "xz-compressed data"),
    (b"(\xb5/\xfd", "zstd-compressed data"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!\x1a\x07", "a RAR archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Office document (.doc, .xls)"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
)
_BZ2 = re.compile(rb"^BZh[1-9]1AY&SY")
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{2,40})""",
                           re.IGNORECASE)


@dataclass(frozen=True)
class Decoded:
    """Text decoded from bytes; ``encoding`` is the codec used when it was not UTF-8, else None."""

    text: str
    encoding: str | None = None


def binary_kind(head: bytes) -> str | None:
    """What a binary file is, from its first bytes (``'a PDF document'``), or None."""
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    if _BZ2.match(head):
        return "bzip2-compressed data (name the file .bz2)"
    return None


def _codec(name: str | None) -> str | None:
    if not name:
        return None
    try:
        codec = codecs.lookup(name.strip().strip("\"'")).name
    except LookupError:
        return None
    # Web content labelled Latin-1 is Windows-1252 in practice (the WHATWG encoding standard).
    return "cp1252" if codec in ("latin-1", "iso8859-1") else codec


def _python_name(codec: str) -> str:
    try:
        return codecs.lookup(codec).name.replace("-", "_")
    except LookupError:
        return codec


def detect_encoding(data: bytes) -> tuple[str, str] | None:
    """(codec, text) when charset-normalizer is confident about ``data``, else None.

    Among codecs that decode equally well the commonest for news wins (Windows-1252 before
    Windows-1250 for a Western text); a Windows-1252 guess for bytes without any of its 0x80-0x9F
    characters is named ``latin_1`` (both decode such bytes identically).
    """
    from charset_normalizer import from_bytes  # lazy: only non-UTF-8 input needs it

    results = list(from_bytes(data))
    if not results:
        return None
    best = min(results, key=lambda r: (r.chaos, -r.coherence))
    if best.chaos > MAX_CHAOS:
        return None
    tied = [r for r in results
            if abs(r.chaos - best.chaos) < 1e-6 and abs(r.coherence - best.coherence) < 1e-6]
    # each guess also names the codecs that decode the bytes to the same text
    names = [_python_name(n) for r in tied for n in (r.encoding, *r.could_be_from_charset)]
    rank = {_python_name(name): i for i, name in enumerate(_PREFERRED)}
    codec = min(names, key=lambda n: rank.get(n, len(rank)))
    if codec in ("utf_8", "ascii"):
        return None  # not UTF-8 was the question; a UTF-8 answer means the bytes are broken
    try:
        text = data.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None
    if best.coherence == 0 and sum(ord(ch) > 127 for ch in text) > 0.3 * len(text):
        return None  # mostly non-ASCII and matching no language: a guess, not a detection
    return _western_name(codec, data), text


def _western_name(codec: str, data: bytes) -> str:
    """``latin_1`` for Windows-1252 bytes without any 0x80-0x9F byte (the two decode them alike)."""
    if codec in ("cp1252", "iso8859_1") and not any(0x80 <= b <= 0x9F for b in data):
        return "latin_1"
    return codec


def _broken_utf8(data: bytes) -> str | None:
    """UTF-8 text with a few bad bytes (a damaged file, not another encoding): decoded with U+FFFD."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd") - data.count(b"\xef\xbf\xbd")
    good = sum(1 for ch in text if ord(ch) > 127 and ch != "\ufffd")
    return text if good >= 4 * bad else None


def decode_bytes(data: bytes, origin: str, *, declared: str | None = None,
                 html: bool = False) -> Decoded | ReadProblem:
    """Decode one document's bytes: BOM, strict UTF-8, the ``declared`` charset (or an HTML
    ``<meta charset>``), mostly-UTF-8 with a few bad bytes, then charset-normalizer."""
    if not data.strip():
        return ReadProblem(origin, "empty file (no text to code)", skipped=True, reason="empty")
    head = data[:_SAMPLE]
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return Decoded(data.decode("utf-16"), "utf_16")
        except UnicodeDecodeError as exc:
            return ReadProblem(origin, f"not valid UTF-16 at byte {exc.start}")
    kind = binary_kind(head)
    if kind:
        return ReadProblem(origin, f"binary file ({kind}), not text")
    if b"\x00" in head:
        return ReadProblem(origin, "binary file (NUL bytes), not text")
    try:
        return Decoded(data.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    label = declared
    if label is None and html:
        m = _META_CHARSET.search(head)
        label = m.group(1).decode("ascii", "ignore") if m else None
    codec = _codec(label)
    if codec and codec not in ("utf-8", "utf-16", "utf-16-le", "utf-16-be"):
        try:
            return Decoded(data.decode(codec), _western_name(_python_name(codec), data))
        except UnicodeDecodeError:
            pass
    broken = _broken_utf8(data)
    if broken is not None:
        return Decoded(broken, "utf_8 (invalid bytes replaced)")
    found = detect_encoding(data)
    if found is None:
        return ReadProblem(origin, f"not valid UTF-8 at byte {first_bad}, and no other encoding could "
                                   "be detected with confidence; re-encode the file as UTF-8")
    codec, text = found
    return Decoded(text, codec)


class LineDecoder:
    """Decodes the lines of one streamed file: UTF-8, else the codec detected on the first line that
    is not UTF-8 (a file has one encoding), else a fresh detection on that line."""

    def __init__(self) -> None:
        self.encoding: str | None = None

    def decode(self, raw: bytes, origin: str, first: bool = False) -> Decoded | ReadProblem:
        """One line's text (its encoding when not UTF-8), or the problem naming ``origin``."""
        if first and raw.startswith(codecs.BOM_UTF8):
            raw = raw[3:]
        try:
            return Decoded(raw.decode("utf-8"))
        except UnicodeDecodeError as exc:
            first_bad = exc.start
        if b"\x00" in raw:
            return ReadProblem(origin, "binary data (NUL bytes), not text")
        if self.encoding:
            try:
                return Decoded(raw.decode(self.encoding), _western_name(self.encoding, raw))
            except (UnicodeDecodeError, LookupError):
                pass
        broken = _broken_utf8(raw)
        if broken is not None:
            return Decoded(broken, "utf_8 (invalid bytes replaced)")
        found = detect_encoding(raw)
        if found is None:
            return ReadProblem(origin, f"not valid UTF-8 at byte {first_bad} of the line, and no other "
                                       "encoding could be detected with confidence")
        codec, text = found
        self.encoding = "cp1252" if codec == "latin_1" else codec  # later lines may hold 0x80-0x9F
        return Decoded(text, codec)
