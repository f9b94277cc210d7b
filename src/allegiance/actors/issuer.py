"""The issuer of a statement or press release, named in its heading ("MINISTRY OF THE INTERIOR
OF THE REPUBLIC OF LITHUANIA.", "HUMAN RIGHTS WATCH — NEWS RELEASE", "Joint statement by UNHCR and
IOM"): the "we", "us" and "our" of the text outside quotations are the issuer.

spaCy's small English model parses an all-capitals line badly (every word a proper noun, no
phrase structure), so an all-capitals heading is resolved from a copy in title case, parsed on its
own; the mention is then placed on the heading's tokens in the document."""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from spacy.tokens import Doc, Span

from .base import Mention

__all__ = ["heading", "heading_issuer", "title_case"]

# words of the document-type label, not of the issuer's name
LABEL_WORDS = frozenset({"press", "statement", "release", "news", "service", "office", "public", "joint",
                         "communiqué", "communique", "note", "information", "message", "center", "centre",
                         "preliminary", "official", "briefing", "update", "notice", "declaration"})
_LOWER = frozenset({"of", "the", "and", "for", "on", "in", "by", "at", "to", "a", "an", "de", "la", "del"})
_MAX_TOKENS = 24


def heading(doc: Doc) -> Span | None:
    """The document's first sentence when it is a heading: no verb, or written in capitals."""
    sent = next((s for s in doc.sents if s.text.strip()), None)
    if sent is None or len(sent) > _MAX_TOKENS or sent.end >= len(doc):
        return None  # a one-sentence text has no heading
    if _capitals(sent.text) and sum(c.isalpha() for c in sent.text) >= 6:
        return sent
    if not any(t.pos_ in ("VERB", "AUX") for t in sent):
        return sent
    return None


def _capitals(text: str) -> bool:
    """Written in capitals: at least 80% of its letters upper case."""
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and sum(c.isupper() for c in letters) / len(letters) >= 0.8


def title_case(text: str) -> str:
    """Title case word by word, the same length as ``text``: function words in lower case,
    acronyms in parentheses ("(SNTP)") and words with no vowel ("MDC", "UNHCR") kept."""
    def word(m: re.Match) -> str:
        w = m.group(0)
        low = w.lower()
        before = m.string[max(0, m.start() - 1):m.start()]
        if before == "(" or not re.search(r"[AEIOUYaeiouy]", w) or len(w) <= 2 and low not in _LOWER:
            return w
        if low in _LOWER and m.start() > 0:
            return low
        out = w[:1] + w[1:].lower()
        return out if len(out) == len(w) else w
    return re.sub(r"[^\W\d_]+", word, text)




def heading_issuer(doc: Doc, mentions: list[Mention],
                   parse: Callable[[str], list[tuple[int, int, Mention]]] | None) -> Mention | None:
    """The actor that issues the text: the first mention of its heading that is not the label
    ("PRESS RELEASE"); for an all-capitals heading, ``parse(title-cased heading)`` gives the
    mentions as (first char, end char, mention), placed back on the heading's tokens."""
    head = heading(doc)
    if head is None:
        return None
    for m in mentions:  # names the catalog knows in any case ("JOINT STATEMENT BY UNHCR AND IOM")
        if head.start <= m.head < head.end and not _label_text(doc[m.start:m.end].text) and (m.country or m.name):
            return replace(m, rule=f"issuer:{m.rule}")
    if parse is not None and _capitals(head.text):
        recased = title_case(head.text)
        base = head.start_char
        for a, b, m in parse(recased):
            if m.country is None and m.name is None:
                continue
            span = doc.char_span(base + a, base + b, alignment_mode="expand")
            if span is None or _label_text(recased[a:b]):
                continue
            return replace(m, start=span.start, end=span.end, head=span.end - 1, text=span.text,
                           rule=f"issuer:{m.rule}")
    return None


def _label_text(text: str) -> bool:
    """Only the document-type label ("PRESS RELEASE", "Joint statement"), no name."""
    words = [w.lower() for w in re.findall(r"[^\W\d_]+", text) if w.lower() not in _LOWER]
    return not words or all(w in LABEL_WORDS for w in words)
