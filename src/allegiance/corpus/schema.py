"""The corpus item format: compile writers' drafts into items with offsets, and check items.

An *item* is the shared gold format (``../shared/gold/FORMAT.md``) plus spans::

    {"id": "w01-0001", "date": "2016-03-04", "scenario": "syria-2012-2019", "register": "wire",
     "tags": ["passive"], "text": "...",
     "events": [{"type": "ASSAULT", "mode": "aerial",
                 "source": {"name": "Russia", "country": "RUS", "sector": "MIL",
                            "text": "Russian jets", "start": 0, "end": 12},
                 "target": {"name": null, "country": "SYR", "sector": "REB",
                            "text": null, "start": null, "end": null},
                 "location": "Idlib", "event_date": "2016-03-03",
                 "negated": false, "hypothetical": false, "future": false,
                 "attributed_to": null,
                 "trigger": "bombed", "trigger_start": 13, "trigger_end": 19}]}

An actor whose ``text`` is null was supplied by a convention, not by words of the text.
Articles add ``title`` (optional), ``sides`` and ``hostile_pairs``.

A *draft* is what writers type: the same item, with events in a compact form whose offsets are
computed here (``compile_item``)::

    {"type": "ASSAULT", "mode": "aerial", "trigger": "bombed",
     "src": ["Russian jets", "Russia", "RUS", "MIL"], "tgt": [null, null, "SYR", "REB"],
     "loc": "Idlib", "date": "2016-03-03", "attr": null, "neg": false, "hyp": false, "fut": false}

A mention or trigger that occurs more than once names its occurrence with ``#k`` (1-based:
``"attacked#2"``); without it a mention takes the occurrence nearest the trigger, and an ambiguous
trigger is an error.
"""
from __future__ import annotations

import datetime as _dt
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

__all__ = [
    "TYPES", "SECTORS", "NONSTATE", "REGISTERS", "Problem", "compile_item", "check_item",
    "locate", "valid_country", "is_article",
]

TYPES = ("AGREE CONSULT SUPPORT CONCEDE COOPERATE AID RETREAT REQUEST ACCUSE REJECT "
         "THREATEN PROTEST SANCTION MOBILIZE COERCE ASSAULT").split()
SECTORS = frozenset(("GOV MIL REB COP JUD LEG PRM PTY SPY UAF UNK AGR BUS CRM CVL EDU ELI JRN LAB "
                     "MED REF OPP PRE REL SOC").split())
NONSTATE = frozenset("IGO UNO EUR NGO ISM IMG MNC".split())
#: Codes outside ISO 3166-1 that the shared gold admits (Kosovo, as PLOVER writes it).
EXTRA_STATES = frozenset({"KOS"})
REGISTERS = ("wire", "local", "release", "analysis", "transcript", "headline", "liveblog", "brief")
_ITEM_KEYS = {"id", "date", "text", "scenario", "register", "tags", "events"}
_ARTICLE_KEYS = _ITEM_KEYS | {"title", "sides", "hostile_pairs"}
_EVENT_KEYS = {"type", "mode", "source", "target", "location", "event_date", "negated",
               "hypothetical", "future", "attributed_to", "trigger", "trigger_start", "trigger_end"}
_DRAFT_EVENT_KEYS = {"type", "mode", "trigger", "src", "tgt", "loc", "date", "attr", "neg", "hyp",
                     "fut", "source", "target", "location", "event_date", "attributed_to",
                     "negated", "hypothetical", "future", "trigger_start", "trigger_end"}
_ACTOR_KEYS = {"name", "country", "sector", "text", "start", "end"}
_OCCURRENCE = re.compile(r"^(.*?)#(\d+)$", re.S)


@dataclass(frozen=True)
class Problem:
    """One error in an item: where (id, event index) and what."""

    item: str
    message: str
    event: int | None = None

    def __str__(self) -> str:
        where = self.item if self.event is None else f"{self.item} event {self.event + 1}"
        return f"{where}: {self.message}"


@lru_cache(maxsize=1)
def _iso3() -> frozenset[str]:
    import pycountry

    return frozenset(c.alpha_3 for c in pycountry.countries)


def valid_country(code: Any) -> bool:
    """ISO 3166-1 alpha-3, a PLOVER non-state code, or KOS (Kosovo, PLOVER's code)."""
    return isinstance(code, str) and (code in _iso3() or code in NONSTATE or code in EXTRA_STATES)


@lru_cache(maxsize=1)
def _modes() -> dict[str, frozenset[str]]:
    from .. import ontology

    return {t: frozenset(ontology.modes(t)) for t in TYPES}


def is_article(item: dict) -> bool:
    return "sides" in item or "hostile_pairs" in item


def _pattern(phrase: str) -> re.Pattern:
    body = re.escape(phrase)
    left = r"(?<![\w])" if phrase[:1].isalnum() else ""
    right = r"(?![\w])" if phrase[-1:].isalnum() else ""
    return re.compile(left + body + right)


def occurrences(text: str, phrase: str) -> list[tuple[int, int]]:
    """Every (start, end) of ``phrase`` in ``text`` on word boundaries."""
    return [(m.start(), m.end()) for m in _pattern(phrase).finditer(text)] if phrase else []


def locate(text: str, phrase: str, near: int | None = None) -> tuple[int, int]:
    """Offsets of ``phrase`` (``phrase#k`` for its k-th occurrence) in ``text``.

    Without ``#k``: the only occurrence, or the one nearest ``near`` (a trigger offset); raises
    ``ValueError`` naming the problem otherwise.
    """
    k = None
    m = _OCCURRENCE.match(phrase)
    if m:
        phrase, k = m.group(1), int(m.group(2))
    hits = occurrences(text, phrase)
    if not hits:
        raise ValueError(f"{phrase!r} does not occur in the text (as whole words)")
    if k is not None:
        if not 1 <= k <= len(hits):
            raise ValueError(f"{phrase!r} occurs {len(hits)} time(s); #{k} does not exist")
        return hits[k - 1]
    if len(hits) == 1:
        return hits[0]
    if near is None:
        raise ValueError(f"{phrase!r} occurs {len(hits)} times: write {phrase!r}#k for the k-th")
    return min(hits, key=lambda h: (min(abs(h[0] - near), abs(h[1] - near)), h[0]))


def _actor(value: Any, text: str, near: int | None, role: str, problems: list[str]) -> dict | None:
    if value is None:
        return None
    if isinstance(value, list):
        if len(value) != 4:
            problems.append(f"{role}: a list actor is [mention, name, country, sector], got {value!r}")
            return None
        mention, name, country, sector = value
        actor = {"name": name, "country": country, "sector": sector, "text": None,
                 "start": None, "end": None}
    elif isinstance(value, dict):
        unknown = set(value) - _ACTOR_KEYS - {"mention"}
        if unknown:
            problems.append(f"{role}: unknown keys {sorted(unknown)}")
        mention = value.get("mention", value.get("text"))
        actor = {k: value.get(k) for k in ("name", "country", "sector")}
        actor.update(text=None, start=None, end=None)
        if value.get("start") is not None and value.get("end") is not None and "mention" not in value:
            start, end = value["start"], value["end"]
            if isinstance(start, int) and isinstance(end, int) and text[start:end] == value.get("text"):
                actor.update(text=value["text"], start=start, end=end)
                return actor
    else:
        problems.append(f"{role}: an actor is a list or an object, got {value!r}")
        return None
    if mention is not None:
        if not isinstance(mention, str) or not mention.strip():
            problems.append(f"{role}: mention must be a non-empty string or null")
            return actor
        try:
            start, end = locate(text, mention, near)
        except ValueError as exc:
            problems.append(f"{role} mention: {exc}")
            return actor
        actor.update(text=text[start:end], start=start, end=end)
    return actor


def compile_item(item: dict) -> tuple[dict, list[str]]:
    """A draft (or an already compiled item) -> a full item with offsets, and its problems."""
    problems: list[str] = []
    text = item.get("text")
    if not isinstance(text, str):
        return item, ["text must be a string"]
    out = {k: item[k] for k in item if k != "events"}
    events = []
    raw_events = item.get("events")
    if not isinstance(raw_events, list):
        return out | {"events": []}, ["events must be a list"]
    for n, ev in enumerate(raw_events):
        errs: list[str] = []
        if not isinstance(ev, dict):
            problems.append(f"event {n + 1}: not an object")
            continue
        unknown = set(ev) - _DRAFT_EVENT_KEYS
        if unknown:
            errs.append(f"unknown keys {sorted(unknown)}")
        trigger = ev.get("trigger")
        t_start = t_end = None
        if isinstance(trigger, str) and trigger.strip():
            if isinstance(ev.get("trigger_start"), int) and isinstance(ev.get("trigger_end"), int) \
                    and text[ev["trigger_start"]:ev["trigger_end"]] == trigger:
                t_start, t_end = ev["trigger_start"], ev["trigger_end"]
            else:
                try:
                    t_start, t_end = locate(text, trigger)
                except ValueError as exc:
                    errs.append(f"trigger: {exc}")
        else:
            errs.append("trigger must be a non-empty string")
        near = t_start
        src = ev["source"] if "source" in ev else ev.get("src")
        tgt = ev["target"] if "target" in ev else ev.get("tgt")
        full = {
            "type": ev.get("type"),
            "mode": ev.get("mode"),
            "source": _actor(src, text, near, "source", errs),
            "target": _actor(tgt, text, near, "target", errs),
            "location": ev["location"] if "location" in ev else ev.get("loc"),
            "event_date": ev["event_date"] if "event_date" in ev else ev.get("date"),
            "negated": bool(ev["negated"] if "negated" in ev else ev.get("neg", False)),
            "hypothetical": bool(ev["hypothetical"] if "hypothetical" in ev else ev.get("hyp", False)),
            "future": bool(ev["future"] if "future" in ev else ev.get("fut", False)),
            "attributed_to": ev["attributed_to"] if "attributed_to" in ev else ev.get("attr"),
            "trigger": text[t_start:t_end] if t_start is not None else trigger,
            "trigger_start": t_start,
            "trigger_end": t_end,
        }
        for key in ("neg", "hyp", "fut", "negated", "hypothetical", "future"):
            if key in ev and not isinstance(ev[key], bool):
                errs.append(f"{key} must be true or false")
        problems += [f"event {n + 1}: {e}" for e in errs]
        events.append(full)
    out["events"] = events
    return out, problems


def _date(value: Any) -> _dt.date | None:
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return None
    try:
        return _dt.date.fromisoformat(value)
    except ValueError:
        return None


def _check_actor(actor: Any, text: str, role: str) -> list[str]:
    if actor is None:
        return []
    if not isinstance(actor, dict):
        return [f"{role} must be an object or null"]
    errs = []
    unknown = set(actor) - _ACTOR_KEYS
    if unknown:
        errs.append(f"{role}: unknown keys {sorted(unknown)}")
    if not valid_country(actor.get("country")):
        errs.append(f"{role}: country {actor.get('country')!r} is not ISO 3166-1 alpha-3 nor "
                    f"a PLOVER non-state code")
    sector = actor.get("sector")
    if sector is not None and sector not in SECTORS:
        errs.append(f"{role}: sector {sector!r} is not a PLOVER sector code")
    name = actor.get("name")
    if name is not None and (not isinstance(name, str) or not name.strip()):
        errs.append(f"{role}: name must be a non-empty string or null")
    span_text, start, end = actor.get("text"), actor.get("start"), actor.get("end")
    if span_text is None:
        if start is not None or end is not None:
            errs.append(f"{role}: offsets without text")
    elif not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
        errs.append(f"{role}: offsets {start!r}..{end!r} are not a span of the text")
    elif text[start:end] != span_text:
        errs.append(f"{role}: text[{start}:{end}] is {text[start:end]!r}, not {span_text!r}")
    return errs


def check_item(item: Any, *, article: bool | None = None) -> list[Problem]:
    """Every problem of one compiled item (an empty list when it is valid)."""
    if not isinstance(item, dict):
        return [Problem("?", "an item must be a JSON object")]
    iid = item.get("id") if isinstance(item.get("id"), str) else "?"
    probs: list[Problem] = []

    def bad(msg: str, event: int | None = None) -> None:
        probs.append(Problem(iid, msg, event))

    if article is None:
        article = is_article(item)
    if iid == "?":
        bad("id must be a non-empty string")
    allowed = _ARTICLE_KEYS if article else _ITEM_KEYS
    for key in sorted(set(item) - allowed):
        bad(f"unknown field {key!r}")
    text = item.get("text")
    if not isinstance(text, str) or not text.strip():
        bad("text must be a non-empty string")
        return probs
    pub = _date(item.get("date"))
    if pub is None:
        bad(f"date {item.get('date')!r} is not a valid YYYY-MM-DD date")
    for key in ("scenario", "register"):
        if not isinstance(item.get(key), str) or not item.get(key):
            bad(f"{key} must be a non-empty string")
    if isinstance(item.get("register"), str) and item["register"] not in REGISTERS:
        bad(f"register {item['register']!r} is not one of {', '.join(REGISTERS)}")
    tags = item.get("tags", [])
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        bad("tags must be a list of strings")
        tags = []
    events = item.get("events")
    if not isinstance(events, list):
        bad("events must be a list")
        return probs
    if ("negative" in tags) != (not events):
        bad("tag 'negative' must be set exactly when events is empty")
    if article:
        words = len(text.split())
        if not 300 <= words <= 700:
            bad(f"an article has 300-700 words; this one has {words}")
        for key in ("sides", "hostile_pairs"):
            val = item.get(key)
            if not isinstance(val, list) or not all(
                    isinstance(g, list) and all(isinstance(x, str) and x for x in g) for g in val):
                bad(f"{key} must be a list of lists of actor names")
        if isinstance(item.get("hostile_pairs"), list):
            for pair in item["hostile_pairs"]:
                if isinstance(pair, list) and len(pair) != 2:
                    bad(f"hostile pair {pair!r} must have two names")
        names = {a.get("name") for e in events if isinstance(e, dict)
                 for a in (e.get("source"), e.get("target")) if isinstance(a, dict)}
        for key in ("sides", "hostile_pairs"):
            for group in item.get(key) or []:
                for name in group if isinstance(group, list) else []:
                    if name not in names:
                        bad(f"{key}: {name!r} is the name of no actor in the events")
    modes = _modes()
    for n, ev in enumerate(events):
        if not isinstance(ev, dict):
            bad("event must be an object", n)
            continue
        for key in sorted(set(ev) - _EVENT_KEYS):
            bad(f"unknown field {key!r}", n)
        etype = ev.get("type")
        if etype not in TYPES:
            bad(f"type {etype!r} is not a PLOVER type", n)
        elif ev.get("mode") is not None and ev["mode"] not in modes[etype]:
            bad(f"mode {ev['mode']!r} is not a mode of {etype} ({', '.join(sorted(modes[etype]))})", n)
        for role in ("source", "target"):
            for msg in _check_actor(ev.get(role), text, role):
                bad(msg, n)
        if ev.get("source") is None and ev.get("target") is None:
            bad("an event needs a source or a target", n)
        trig, ts, te = ev.get("trigger"), ev.get("trigger_start"), ev.get("trigger_end")
        if not (isinstance(ts, int) and isinstance(te, int) and 0 <= ts < te <= len(text)):
            bad(f"trigger offsets {ts!r}..{te!r} are not a span of the text", n)
        elif text[ts:te] != trig:
            bad(f"text[{ts}:{te}] is {text[ts:te]!r}, not the trigger {trig!r}", n)
        elif len(trig.split()) > 6:
            bad(f"trigger {trig!r} is longer than 6 words: give the words that express the event", n)
        loc = ev.get("location")
        if loc is not None and (not isinstance(loc, str) or not occurrences(text, loc)):
            bad(f"location {loc!r} does not occur in the text", n)
        attr = ev.get("attributed_to")
        if attr is not None and (not isinstance(attr, str) or not attr.strip()):
            bad("attributed_to must be a non-empty string or null", n)
        for key in ("negated", "hypothetical", "future"):
            if not isinstance(ev.get(key), bool):
                bad(f"{key} must be true or false", n)
        edate = ev.get("event_date")
        if edate is not None:
            day = _date(edate)
            if day is None:
                bad(f"event_date {edate!r} is not a valid YYYY-MM-DD date", n)
            elif pub is not None:
                if ev.get("future") and day < pub:
                    bad(f"a future event is dated {edate}, before publication {item['date']}", n)
                if not ev.get("future") and not ev.get("hypothetical") and day > pub:
                    bad(f"a past event is dated {edate}, after publication {item['date']}", n)
    return probs
