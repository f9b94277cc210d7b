"""Datelines: the paragraph-initial "where filed, by whom" line of a news story ("KYIV —",
"SANAA/ADEN —", "GOMA, Congo —", "HARARE, Zimbabwe (AP) —", "MINSK, Aug 22 (Reuters) -",
"PORT-AU-PRINCE, Haiti (AFP) -"). A dateline tells where a story is filed from; the agency in its
credit is not an actor of the story, and the dateline is never a sentence's subject."""
from __future__ import annotations

from spacy.tokens import Doc

DASHES = frozenset({"—", "–", "-", "--"})


def _joined(doc: Doc, i: int) -> bool:
    """A hyphen inside a name ("NUR-SULTAN", "PORT-AU-PRINCE"): no space on either side."""
    return i > 0 and doc[i].text == "-" and not doc[i - 1].whitespace_ and not doc[i].whitespace_


def dateline_end(doc: Doc, start: int) -> int | None:
    """Index of the first token after a dateline starting at ``start``, or None: capitalised
    place words, separators and a day of the month, an agency credit in
    parentheses, then a dash, within sixteen tokens (a hyphen inside a name does not end it)."""
    paren = False
    for i in range(start, min(start + 16, len(doc) - 1)):
        tok = doc[i]
        if tok.text in DASHES and not paren and not _joined(doc, i):
            return i + 1 if i > start and doc[start].text.isupper() and len(doc[start].text) > 1 else None
        if tok.text == "(":
            paren = True
            continue
        if tok.text == ")":
            paren = False
            continue
        if not (paren or tok.text in ("/", ",", ".", "-") or tok.is_space or tok.text[:1].isupper()
                or (tok.is_digit and len(tok.text) <= 2)):  # "MINSK, Aug 22 (Reuters) -"
            return None
    return None


def paragraph_starts(doc: Doc) -> list[int]:
    """Token indices that begin a paragraph (the first token, and each after a blank line)."""
    return [0] + [t.i + 1 for t in doc[:-1] if t.is_space and t.text.count("\n") >= 2]


def dateline_spans(doc: Doc, *, limit: int = 8) -> list[tuple[int, int]]:
    """(start, end) token ranges of the datelines of the first ``limit`` paragraphs."""
    out = []
    for start in paragraph_starts(doc)[:limit]:
        end = dateline_end(doc, start)
        if end is not None:
            out.append((start, end))
    return out
