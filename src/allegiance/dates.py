"""Event dates resolved against the publication date.

Conventions (those of ``shared/gold/README.md``):

- a weekday ("on Monday", "Friday's protests") is the most recent such day on or before
  publication (the same day counts); in a future clause ("will meet on Saturday") it is the next
  such day after publication; "last Monday" is strictly before publication;
- "yesterday" is -1 day, "two days ago" -2, "today"/"this morning" the publication day;
- "a day after X", "two days after X": counted from the date of the governing clause;
- a date without a year takes the year that puts it on the right side of publication;
- vague spans give the start of the span with a coarser precision: "last week" = Monday of the
  previous week (``week``), "this week"/"in recent days"/"in the last 10 days" = start of the span
  (``week``), "over the weekend" = the Saturday (``week``), "last month" = first day of the previous
  month (``month``), "in March" = first of March (``month``), "in 2012" = 2012-01-01 (``year``);
- "the same day", "the next day" refer to the day fixed by the previous sentence, and a past-tense
  sentence with no date of its own continues that day (a news narrative);
- nothing fixes the date: ``(published, "publication")``; without a publication date only
  absolute dates ("3 March 2024", "in 2012") resolve.

Expressions are found with regular expressions (dateparser is not needed for these forms) and
attached to the parse: those on the trigger's own clause win over those of other clauses.
"""
from __future__ import annotations

import re
from datetime import date, timedelta
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from spacy.tokens import Span, Token

__all__ = ["event_date", "is_historical", "find_date_expressions"]

_WD = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
_MONTHS = {m: i + 1 for i, m in enumerate(
    "january february march april may june july august september october november december".split())}
_MONTHS.update({m[:3]: i for m, i in list(_MONTHS.items())} | {"sept": 9})
NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
        "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "fourteen": 14, "fifteen": 15,
        "twenty": 20, "thirty": 30, "several": 3, "few": 3, "a few": 3}
_MON = r"(january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)\.?"
_N = r"(a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fourteen|fifteen|twenty|thirty|several|a few|few|\d{1,3})"
_WDS = r"(monday|tuesday|wednesday|thursday|friday|saturday|sunday)"
_CLAUSAL = {"relcl", "advcl", "ccomp", "parataxis", "conj", "csubj"}


class _Expr(NamedTuple):
    start: int   # character offsets inside the sentence
    end: int
    kind: str
    groups: tuple


_PATTERNS: list[tuple[str, re.Pattern]] = [(k, re.compile(p, re.I)) for k, p in [
    ("bound", rf"\b(?:since|until|till|by|before|after)\s+(?:(?:early|late|mid)[- ])?(?:{_MON}|{_WDS}|\d{{4}})\b"),
    ("dmy", rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MON},?\s+(\d{{4}})\b"),
    ("mdy", rf"\b{_MON}\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b"),
    ("iso", r"\b(\d{4})-(\d{2})-(\d{2})\b"),
    ("dm", rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MON}\b"),
    ("md", rf"\b{_MON}\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?!\s*(?:,\s*)?\d)"),
    ("my", rf"\b{_MON}\s+(\d{{4}})\b"),
    ("rel", r"\b(the day before yesterday|yesterday|today|tonight|tomorrow|this (?:morning|afternoon|evening)|earlier today|later today)\b"),
    ("ago", rf"\b{_N}\s+(day|days|week|weeks|month|months|year|years)\s+(ago|earlier)\b"),
    ("offset", rf"\b(?:({_N})\s+|(the)\s+)?(day|days|hours|hour|week|weeks|month|months)\s+(after|before|later)\b"),
    ("window", rf"\b(?:in|over|during|within)\s+the\s+(?:last|past|previous)\s+(?:{_N}\s+)?(days|day|weeks|week|months|month|24 hours)\b"),
    ("window", r"\b(in|over)\s+(recent)\s+(days|weeks)\b"),
    ("ana", r"\b(the same day|that same day|(?:later|earlier) that day|that day|the next day|the following day|the previous day|the day before)\b"),
    ("span", r"\b(last|this|next|earlier this|later this|early this|late last|earlier last)\s+(week|month|year|weekend)\b"),
    ("weekend", r"\b(over|during|at)\s+the\s+weekend\b"),
    ("wd", rf"\b(last|this|next|on|early on|late on|early|late)?\s*{_WDS}('s|’s)?\b"),
    ("mon", rf"\b(in|early|late|mid|last|this|next|since|until|by|earlier in|later in)[- ]{_MON}\b"),
    ("year", r"\b(in|during|since|until|by|of|from|early|late|mid|the)[- ]((?:19|20)\d{2})\b"),
]]


_MONTH_KINDS = {"bound", "dmy", "mdy", "dm", "md", "my", "mon"}
_MONTH_WORD = re.compile(rf"\b{_MON}(?=\W|$)", re.I)
# Words one of which every match of the pattern contains (lower case): a pattern whose words are
# all absent from a sentence is not run. Every month name contains its three-letter abbreviation.
_MONTH_NEEDLES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_NEEDLES: list[tuple[str, ...]] = [
    ("since", "until", "till", "by", "before", "after"),            # bound
    _MONTH_NEEDLES, _MONTH_NEEDLES, ("-",), _MONTH_NEEDLES, _MONTH_NEEDLES, _MONTH_NEEDLES,
    ("yesterday", "today", "tonight", "tomorrow", "this"),          # rel
    ("ago", "earlier"),                                             # ago
    ("after", "before", "later"),                                   # offset
    ("last", "past", "previous"), ("recent",),                      # window
    ("day",),                                                       # ana
    ("week", "month", "year"), ("weekend",), ("day",),              # span, weekend, wd
    _MONTH_NEEDLES, ("19", "20"),                                   # mon, year
]
assert len(_NEEDLES) == len(_PATTERNS)


def find_date_expressions(text: str) -> list[_Expr]:
    """Date expressions in ``text``, longest first at each position, non-overlapping."""
    found: list[_Expr] = []
    low = text.lower()
    for (kind, pat), needles in zip(_PATTERNS, _NEEDLES):
        if not any(n in low for n in needles):
            continue
        for m in pat.finditer(text):
            if any(m.start() < e.end and e.start < m.end() for e in found):
                continue
            if kind == "wd" and m.group(1) is None and text[m.end():m.end() + 1] == "-":
                continue
            month = _MONTH_WORD.search(m.group(0)) if kind in _MONTH_KINDS else None
            if month and not month.group(0)[0].isupper():
                continue  # "3 may be freed": a modal verb, not a month
            found.append(_Expr(m.start(), m.end(), kind, tuple((g or "").lower() for g in m.groups())))
    return sorted(found)


def _year_for(month: int, day: int, pub: date, future: bool) -> date | None:
    for year in ((pub.year, pub.year + 1) if future else (pub.year, pub.year - 1)):
        try:
            d = date(year, month, day)
        except ValueError:
            return None
        if (future and d >= pub) or (not future and d <= pub):
            return d
    return None


def _resolve(e: _Expr, pub: date | None, future: bool) -> tuple[date, str] | None:
    """(date, precision) of expression ``e`` against publication date ``pub``; None when it fixes no
    date, or one outside the calendar (``yesterday`` published 0001-01-01, ``next year`` in 9999)."""
    try:
        return _resolve_in_calendar(e, pub, future)
    except (ValueError, OverflowError):
        return None


def _shifted(day: str, days: int) -> str | None:
    """``day`` (YYYY-MM-DD) moved by ``days``, or None outside the calendar."""
    try:
        return (date.fromisoformat(day) + timedelta(days=days)).isoformat()
    except (ValueError, OverflowError):
        return None


def _resolve_in_calendar(e: _Expr, pub: date | None, future: bool) -> tuple[date, str] | None:
    g, k = e.groups, e.kind
    try:
        if k == "dmy":
            return date(int(g[2]), _MONTHS[g[1]], int(g[0])), "day"
        if k == "mdy":
            return date(int(g[2]), _MONTHS[g[0]], int(g[1])), "day"
        if k == "iso":
            return date(int(g[0]), int(g[1]), int(g[2])), "day"
        if k == "my":
            return date(int(g[1]), _MONTHS[g[0]], 1), "month"
        if k == "year":
            return date(int(g[1]), 1, 1), "year"
    except (ValueError, KeyError):
        return None
    if pub is None or k in ("bound", "offset", "ana"):
        return None
    if k == "dm":
        d = _year_for(_MONTHS[g[1]], int(g[0]), pub, future)
        return (d, "day") if d else None
    if k == "md":
        d = _year_for(_MONTHS[g[0]], int(g[1]), pub, future)
        return (d, "day") if d else None
    if k == "wd":
        wd, mod = _WD.index(g[1]), g[0]
        if mod == "next" or (future and mod != "last"):
            return pub + timedelta(days=(wd - pub.weekday()) % 7 or 7), "day"
        back = (pub.weekday() - wd) % 7
        return pub - timedelta(days=back or (7 if mod == "last" else 0)), "day"
    if k == "rel":
        shift = {"yesterday": -1, "the day before yesterday": -2, "tomorrow": 1}.get(g[0], 0)
        return pub + timedelta(days=shift), "day"
    if k == "ago":
        n, unit = NUMBER_WORDS.get(g[0]) or int(g[0]), g[1].rstrip("s")
        if unit == "day":
            return pub - timedelta(days=n), ("day" if g[0] not in ("several", "few", "a few") else "week")
        if unit == "week":
            return pub - timedelta(days=7 * n), "week"
        if unit == "month":
            m = pub.month - n
            return date(pub.year + (m - 1) // 12, (m - 1) % 12 + 1, 1), "month"
        return date(pub.year - n, 1, 1), "year"
    if k == "window":
        unit, word = g[-1], (g[-2] if len(g) > 1 else "")
        n = int(word) if word.isdigit() else NUMBER_WORDS.get(word)
        days = {"day": 1, "days": n or 7, "week": 7, "weeks": 7 * (n or 2), "month": 30,
                "months": 30 * (n or 2), "24 hours": 1}[unit]
        return pub - timedelta(days=days), ("week" if days <= 14 else "month")
    if k == "span":
        mod, unit = g
        step = -1 if mod in ("last", "late last", "earlier last") else 1 if mod == "next" else 0
        if unit == "week":
            return pub - timedelta(days=pub.weekday()) + timedelta(days=7 * step), "week"
        if unit == "weekend":
            sat = pub - timedelta(days=(pub.weekday() - 5) % 7)
            return (sat + timedelta(days=7) if step > 0 else sat), "week"
        if unit == "month":
            m = pub.month + step
            return date(pub.year + (m - 1) // 12, (m - 1) % 12 + 1, 1), "month"
        return date(pub.year + step, 1, 1), "year"
    if k == "weekend":
        return pub - timedelta(days=(pub.weekday() - 5) % 7), "week"
    if k == "mon":
        if g[0] in ("since", "until", "by"):
            return None
        month = _MONTHS[g[1]]
        if g[0] == "next" or (future and g[0] != "last"):
            year = pub.year if month > pub.month else pub.year + 1
        else:
            year = pub.year if month <= pub.month else pub.year - 1
        return date(year, month, 1), "month"
    return None


# -- attaching expressions to the parse ---------------------------------------------------
def _clause_verb(tok: Token) -> Token:
    t = tok
    while t.pos_ not in ("VERB", "AUX") and t.head.i != t.i:
        t = t.head
    return t


def _is_future(verb: Token) -> bool:
    for c in verb.children:
        if c.dep_ == "aux" and c.lower_ in ("will", "'ll", "shall", "wo", "would"):
            return True
    head = verb.head
    if verb.dep_ == "xcomp" and head.lemma_ in ("plan", "schedule", "expect", "set", "due", "go", "intend", "be",
                                                 "agree", "promise", "pledge", "vow", "threaten", "offer", "decide"):
        return head.lemma_ != "be" or any(c.lower_ == "to" for c in verb.children)
    return False


def _perfect_past(verb: Token) -> bool:
    return any(c.dep_ == "aux" and c.lower_ in ("had", "'d") for c in verb.children) and verb.tag_ == "VBN"


def _within(tok: Token, root: Token) -> int | None:
    """Edges from ``tok`` up to ``root`` without a clausal edge, else None."""
    n, t = 0, tok
    while t.i != root.i:
        if t.dep_ in _CLAUSAL or t.head.i == t.i:
            return None
        t, n = t.head, n + 1
    return n


def _descends(tok: Token, root: Token) -> bool:
    return tok.i == root.i or root in tok.ancestors


def _attachment(sent: Span, e: _Expr) -> Token | None:
    span = sent.doc.char_span(sent.start_char + e.start, sent.start_char + e.end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    root = span.root
    return root.head if root.head.i not in range(span.start, span.end) else root


def _level(att: Token, trigger: Token, clause: Token) -> float | None:
    d = _within(att, trigger)
    if d is not None:
        return 0 + d / 100
    d = _within(att, clause)
    if d is not None:
        return 1 + d / 100
    related = [clause.head] if clause.dep_ == "conj" else []
    related += [c for c in clause.children if c.dep_ == "conj"]
    if clause.dep_ in ("advcl", "xcomp", "acl") and not any(c.dep_ in ("nsubj", "mark") for c in clause.children):
        related.append(clause.head)
    for r in related:
        d = _within(att, r)
        if d is not None:
            return 2 + d / 100
    blocked = _perfect_past(clause) or (clause.dep_ == "relcl" and any(
        c.dep_ == "aux" and c.lemma_ == "have" for c in clause.children))
    if not blocked:
        for n, anc in enumerate(clause.ancestors):
            if _within(att, anc) is not None:
                return 3 + n / 10
    if _descends(att, trigger) or _descends(att, clause):
        rel = _describing_clause(att, clause)
        if rel is None:
            return 4
        # a relative clause describes a participant ("a blogger who had hoped to run in August"):
        # its date is that clause's, used for the event only when nothing else dates it, and never
        # when the clause is set before the event (past perfect)
        return None if _perfect_past(rel) else 4.5
    return None if blocked else 5


def _describing_clause(att: Token, clause: Token) -> Token | None:
    """The relative clause (on a noun of ``clause``) that ``att`` sits in, if any."""
    t = att
    while t.i != clause.i and t.head.i != t.i:
        if t.dep_ == "relcl":
            return t
        t = t.head
    return None


def _offset(clause: Token) -> tuple[int, str] | None:
    """("two days after" ...) on this clause: (days, unit) counted back from the governing clause."""
    marker = next((c for c in clause.children if c.dep_ in ("mark", "prep") and c.lower_ in ("after", "before")), None)
    if marker is None:
        return None
    qty = [c for c in list(clause.children) + list(marker.children) if c.dep_ == "npadvmod"]
    if not qty:
        return None
    q = qty[0]
    words = [c.lower_ for c in q.children if c.dep_ in ("nummod", "det")]
    w = words[0] if words else ""
    n = 1 if w in ("a", "an", "the", "one") else int(w) if w.isdigit() else NUMBER_WORDS.get(w)
    if w in ("several", "few"):
        n = None
    sign = 1 if marker.lower_ == "after" else -1
    unit = q.lemma_.lower()
    if unit == "hour":
        return 0, "day"
    if unit == "day":
        return (sign * n, "day") if n is not None else (sign * 3, "week")
    if unit == "week":
        return sign * 7 * (n or 2), "week"
    return None


def _parse_pub(published: str | None) -> date | None:
    try:
        return date.fromisoformat(published) if published else None
    except ValueError:
        return None


def _candidates(trigger: Token) -> list[tuple[float, int, _Expr, Token]]:
    sent = trigger.sent
    cache = trigger.doc.user_data.setdefault("allegiance.date_exprs", {})
    if sent.start not in cache:
        cache[sent.start] = [(e, _attachment(sent, e)) for e in find_date_expressions(sent.text)]
    clause = _clause_verb(trigger)
    out = []
    for e, att in cache[sent.start]:
        if att is None:
            continue
        level = _level(att, trigger, clause)
        if level is not None:
            out.append((level, abs(att.i - trigger.i), e, att))
    return sorted(out, key=lambda x: (x[0], x[1]))


def event_date(trigger: Token, *, published: str | None, future: bool = False,
               _depth: int = 0) -> tuple[str | None, str]:
    """(YYYY-MM-DD or None, precision) for the event whose trigger is ``trigger``."""
    pub = _parse_pub(published)
    clause = _clause_verb(trigger)
    off = _offset(clause) if _depth < 3 else None
    anchor = clause
    if off is None and _depth < 3 and clause.dep_ == "conj" and not any(lv < 2 for lv, *_ in _candidates(trigger)):
        # "a day after Minsk forced the jet down and arrested a dissident": the second act shares
        # the first's offset unless it has a date of its own
        anchor = clause.head
        off = _offset(anchor)
    if off is not None and anchor.head.i != anchor.i:
        base, prec = event_date(anchor.head, published=published, _depth=_depth + 1)
        shifted = _shifted(base, -off[0]) if base is not None and prec == "day" else None
        if shifted is not None:
            return shifted, off[1]
    for level, _, e, att in _candidates(trigger):
        if e.kind == "ana" and _depth == 0:
            prev = _previous_date(trigger, published)
            if prev is not None:
                shift = 1 if ("next" in e.groups[0] or "following" in e.groups[0]) else \
                    -1 if ("previous" in e.groups[0] or "before" in e.groups[0]) else 0
                moved = _shifted(prev, shift)
                if moved is not None:
                    return moved, "day"
        if e.kind in ("bound", "offset", "ana"):
            continue
        if clause.tag_ in ("VBZ", "VBP") and _below_a_complement(att, clause):
            continue  # "I ask the mayors to hold rallies this Saturday": the day of the act asked for
        own = _within(att, clause) is not None or _within(att, trigger) is not None
        fut = (future or _is_future(clause)) if own else _is_future(_clause_verb(att))
        if att.lower_ == "for" and att.dep_ == "prep":
            fut = True  # "a strike for Tuesday", "talks set for 3 May": a day looked forward to
        res = _resolve(e, pub, fut)
        if res is not None and _names_a_thing(att, trigger) and (res[1] == "year" or _bare_in_a_noun(att, e)):
            continue  # "the 2014 agreement", "the Oct. 18 election date": a name, not this event's date
        if res is not None:
            return res[0].isoformat(), res[1]
    past = clause.tag_ == "VBD" or (clause.tag_ == "VBN" and not any(
        c.dep_ == "aux" and c.lemma_ in ("have", "will", "would") for c in clause.children))
    if _depth == 0 and past and not any(
            c.lower_ in ("later", "afterwards", "earlier", "previously", "since") for c in clause.children):
        prev = _previous_date(trigger, published)
        if prev is not None:
            return prev, "day"   # a narrative goes on in the day its previous sentence fixed
    return (pub.isoformat() if pub else None), "publication"


def _below_a_complement(att: Token, clause: Token) -> bool:
    """``att`` sits in a clause that ``clause`` asks for, reports or joins (xcomp, ccomp, conj)."""
    t = att
    while t.i != clause.i and t.head.i != t.i:
        if t.dep_ in ("xcomp", "ccomp", "conj") and t.pos_ in ("VERB", "AUX"):
            return True
        t = t.head
    return False


def _names_a_thing(att: Token, trigger: Token) -> bool:
    """A date inside a noun phrase other than the trigger's ("the 2014 agreement", "the Oct. 18
    election date")."""
    if att.pos_ in ("NOUN", "PROPN") and att.i != trigger.i and att.lower_ not in _TIME_NOUNS:
        return True
    return att.dep_ in ("amod", "compound", "nummod", "nmod", "npadvmod", "poss") and \
        att.head.pos_ in ("NOUN", "PROPN") and att.head.i != trigger.i and att.head.lower_ not in _TIME_NOUNS


def _bare_in_a_noun(att: Token, e: _Expr) -> bool:
    """A calendar date with no preposition of its own, modifying a noun that is no preposition's
    object: "endorsing the Oct. 18 election date", not "on the March 3 anniversary" nor a
    prepositional "on Monday" that the parse hung on a noun."""
    if e.kind not in ("dmy", "mdy", "iso", "dm", "md", "my") or att.pos_ not in ("NOUN", "PROPN"):
        return False
    return att.dep_ != "pobj" and not any(c.dep_ == "case" for c in att.children)


_TIME_NOUNS = frozenset({"year", "years", "month", "months", "spring", "summer", "autumn", "fall", "winter",
                         "season", "decade", "term", "session", "quarter", "half", "election", "elections"})


def _previous_date(trigger: Token, published: str | None) -> str | None:
    """The day fixed by the previous sentence's main clause, if any."""
    sent = trigger.sent
    if sent.start == 0:
        return None
    prev = trigger.doc[sent.start - 1].sent
    if prev.end - prev.start < 4:  # a headline fragment or dateline, not a narrative sentence
        return None
    value, prec = event_date(prev.root, published=published, _depth=1)
    return value if prec == "day" else None


def is_historical(trigger: Token, published: str | None) -> bool:
    """True when the trigger's clause carries a date well before publication, or is background
    past perfect outside reported speech."""
    pub = _parse_pub(published)
    clause = _clause_verb(trigger)
    if _perfect_past(clause) and not (clause.dep_ == "ccomp" and clause.head.lemma_ in (
            "say", "tell", "report", "claim", "deny", "announce", "add", "confirm", "insist")):
        return True
    if pub is None:
        return False
    for level, _, e, _att in _candidates(trigger):
        if level >= 2 or e.kind in ("bound", "offset"):
            continue
        res = _resolve(e, pub, False)
        if res is None:
            continue
        d, prec = res
        limit = {"year": 365, "month": 90}.get(prec, 30)
        if prec == "year" and d.year < pub.year or prec != "year" and (pub - d).days > limit:
            return True
    return False
