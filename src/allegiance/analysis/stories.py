"""Story events: the records of one real-world event, across sentences and articles, as one story.

Five articles reporting the same air strike give five (or more) records; a story groups them and
counts them the way GDELT's event table does: ``num_mentions`` (distinct evidence sentences),
``num_articles`` (distinct documents) and ``num_sources`` (distinct publishers).

**The rule.** Only factual records take part (neither negated nor hypothetical). Records are
taken in a fixed order (event date, publication date, document, sentence, trigger, id) and each
joins the best story it fits, or starts one. A record fits a story when it is compatible with
*every* record already in it and shares an actor with at least one of them. Two records are
compatible when

1. **type**: they have the same PLOVER type (mode is not compared);
2. **dates**: their event dates are at most ``window`` days apart (default 2; a week-precision date
   allows 7); month- or year-precision dates only match the same date at the same precision;
3. **place**: a missing location fits any; otherwise the location countries are equal, two cities
   must be the same place (same GeoNames id or name, or at most 30 km apart), and when both name
   an admin1 unit it must be the same;
4. **dyad**: source with source and target with target (or, for AGREE, CONSULT and COOPERATE and
   for records whose sentence also gave the mirrored record, source with target and target with
   source). A missing side fits any actor. Two actors fit when their countries are equal and their
   sectors are of the same class: the state sectors (GOV MIL COP JUD LEG SPY) are one class, any
   other sector is its own, and a missing sector fits any. Names are compared only for non-state
   actors (groups such as IGO/NGO/IMG, and non-state sectors): two different names do not fit.
   A record *shares an actor* with another when one side has the same country (or, without a
   country, the same name) in both;
5. **summits**: two multilateral CONSULT records (one per summit participant, no target) fit
   when their dates and (known) places fit, whatever their participants.

When a record fits several stories, the one whose evidence sentences share the most words with
its own wins (Jaccard overlap of content words), then the nearest in date, then the older.

A story's ``story_id`` is a hash of its first record's ``event_id``: it stays the same when later
records join, and changes only if an earlier-dated record joins.

Stories are stored in the store's ``stories`` and ``story_events`` tables by `refresh_stories`
(``allegiance run`` calls it after coding), together with a fingerprint of the store's documents;
`load_stories` reads them when the fingerprint and window match and computes them in memory
otherwise (another window, or a store written since), so every reader sees the same stories.
"""
from __future__ import annotations

import functools
import gc
import hashlib
import json
import math
import os
import re
import tempfile
import unicodedata
from collections import Counter, deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date as Date
from typing import Any
from urllib.parse import urlsplit

from .graph import GROUP_CODES, STATE_SECTORS

__all__ = ["DEFAULT_WINDOW_DAYS", "MAX_WINDOW_DAYS", "RULE_VERSION", "MUTUAL_TYPES", "STORY_CSV_COLUMNS",
           "group_records", "compute_stories", "refresh_stories", "load_stories", "stories_fresh",
           "store_fingerprint", "stories_by_event", "source_key", "story_csv_row"]

RULE_VERSION = "1"
DEFAULT_WINDOW_DAYS = 2
MAX_WINDOW_DAYS = 30
MUTUAL_TYPES = frozenset({"AGREE", "CONSULT", "COOPERATE"})
CITY_KM = 30.0
_NAMED_COUNTRIES = GROUP_CODES  # IGO NGO IMG ISM MNC: the name tells two actors apart
_PRECISION_RANK = {"city": 3, "admin1": 2, "country": 1}
_WORD = re.compile(r"[a-z0-9]+")
_STOP = frozenset(
    "the and for with from that this was were are been has have had its their his her they she "
    "after before over said says say also new who which while into about than then there what when "
    "where would could will can not but one two".split())
_ADMIN_WORDS = frozenset({"oblast", "province", "governorate", "region", "state", "district", "county",
                          "prefecture", "krai", "kray", "republic", "of", "the"})


# -- the records as the grouping sees them -------------------------------------------------------
@dataclass(frozen=True, slots=True)
class _Side:
    country: str | None
    cls: str | None  # "STATE", another sector, or None (no sector)
    name: str | None  # case-folded
    named: bool  # names tell two actors apart (non-state)


@dataclass(frozen=True, slots=True)
class _Place:
    country: str | None
    a1: str | None  # the admin1 unit (normalised): its own name for an admin1-precision place
    name: str | None  # normalised
    gid: int | None
    lat: float | None
    lon: float | None
    precision: str | None


@dataclass(slots=True)
class _Mention:
    order: tuple
    event_id: str
    doc_id: str
    sentence: int
    event_type: str
    day: int | None
    precision: str
    src: _Side | None
    tgt: _Side | None
    place: _Place | None
    mutual: bool
    multi: bool
    text: str | None
    row: Mapping[str, Any]
    sig: tuple = ()
    tokens: frozenset[str] | None = None  # content words of the evidence, computed when needed


@functools.lru_cache(maxsize=65536)
def _norm(text: str | None) -> str | None:
    if not text:
        return None
    t = unicodedata.normalize("NFKD", text)
    t = "".join(c for c in t if not unicodedata.combining(c)).casefold()
    words = [w for w in re.split(r"[^a-z0-9]+", t) if w]
    return " ".join(words) or None


@functools.lru_cache(maxsize=65536)
def _admin_key(text: str | None) -> str | None:
    key = _norm(text)
    if key is None:
        return None
    words = [w for w in key.split() if w not in _ADMIN_WORDS]
    return " ".join(words) or key


@functools.lru_cache(maxsize=65536)
def _side(country: Any, sector: Any, name: Any) -> _Side | None:
    if not country and not name:
        return None
    cls = None if not sector or sector == "UNK" else ("STATE" if sector in STATE_SECTORS else str(sector))
    named = bool(country in _NAMED_COUNTRIES or (cls is not None and cls != "STATE"))
    return _Side(country or None, cls, _norm(name), named)


def _place(row: Mapping[str, Any]) -> _Place | None:
    return _place_of(row.get("location_country"), row.get("location_admin1"), row.get("location_name"),
                     row.get("location_geonameid"), row.get("location_lat"), row.get("location_lon"),
                     row.get("location_precision"))


@functools.lru_cache(maxsize=65536)
def _place_of(country: Any, admin1: Any, name: Any, gid: Any, lat: Any, lon: Any, precision: Any) -> _Place | None:
    if not country and not name:
        return None
    a1 = _admin_key(admin1)
    if a1 is None and precision == "admin1":
        a1 = _admin_key(name)
    return _Place(country or None, a1, _norm(name), int(gid) if gid is not None else None, lat, lon, precision)


def _tokens(text: str | None) -> frozenset[str]:
    return frozenset(w for w in _WORD.findall((text or "").lower()) if len(w) > 2 and w not in _STOP)


def _day(value: Any) -> int | None:
    if value is None:
        return None
    if isinstance(value, Date):
        return value.toordinal()
    try:
        return Date.fromisoformat(str(value)[:10]).toordinal()
    except ValueError:
        return None


def _iso(value: Any) -> str | None:
    if value is None:
        return None
    return value.isoformat() if isinstance(value, Date) else str(value)[:10]


def source_key(publisher: str | None, url: str | None, doc_id: str) -> tuple[str, str]:
    """(key, label) of a document's source: its publisher, else its URL's host (without
    ``www.``), else the document itself (a document of unknown origin is a source of its own)."""
    if publisher and publisher.strip():
        label = " ".join(publisher.split())
        return "publisher:" + label.casefold(), label
    if url:
        try:
            host = (urlsplit(url.strip()).hostname or "").lower()
        except ValueError:
            host = ""
        for prefix in ("www.", "m.", "amp."):
            if host.startswith(prefix):
                host = host[len(prefix):]
        if host:
            return "host:" + host, host
    return "document:" + doc_id, doc_id


# -- compatibility --------------------------------------------------------------------------------
def _sides(a: _Side | None, b: _Side | None) -> int:
    """-1: the two actors conflict; 0: they fit; 1: they fit and are the same actor (an anchor)."""
    if a is None or b is None:
        return 0
    if a.country and b.country:
        if a.country != b.country:
            return -1
    elif a.country or b.country:
        if a.name and b.name:
            return 1 if a.name == b.name else -1
        return 0
    if a.cls and b.cls and a.cls != b.cls:
        return -1
    if (a.named or b.named) and a.name and b.name and a.name != b.name:
        return -1
    if a.country:
        return 1
    return 1 if a.name and a.name == b.name else 0


def _places(a: _Place | None, b: _Place | None) -> bool:
    if a is None or b is None:
        return True
    if a.country and b.country and a.country != b.country:
        return False
    if a.a1 and b.a1 and a.a1 != b.a1:
        return False
    if a.precision == "city" and b.precision == "city":
        if a.gid is not None and a.gid == b.gid or (a.name and a.name == b.name):
            return True
        if None in (a.lat, a.lon, b.lat, b.lon):
            return False
        return _km(a.lat, a.lon, b.lat, b.lon) <= CITY_KM
    return True


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(min(1.0, math.sqrt(h)))


def _coarse(precision: str) -> bool:
    return precision in ("month", "year")


def _dates(a: _Mention, b: _Mention, window: int) -> bool:
    if _coarse(a.precision) or _coarse(b.precision):
        return a.precision == b.precision and a.day == b.day
    tol = max(window, 7) if "week" in (a.precision, b.precision) else window
    return abs(a.day - b.day) <= tol  # type: ignore[operator]


def _pair(a: _Mention, b: _Mention, window: int) -> tuple[bool, bool] | None:
    """None when ``a`` and ``b`` cannot be the same event; else (anchored, mirrored)."""
    if not _dates(a, b, window) or not _places(a.place, b.place):
        return None
    if a.multi and b.multi and a.place is not None and b.place is not None:
        return True, False  # two participants of one summit
    best: tuple[bool, bool] | None = None
    s, t = _sides(a.src, b.src), _sides(a.tgt, b.tgt)
    if s >= 0 and t >= 0:
        best = (s > 0 or t > 0, False)
        if best[0]:
            return best
    if a.mutual or b.mutual:
        s, t = _sides(a.src, b.tgt), _sides(a.tgt, b.src)
        if s >= 0 and t >= 0 and (best is None or s > 0 or t > 0):
            return (s > 0 or t > 0, True)
    return best


# -- grouping -------------------------------------------------------------------------------------
@dataclass(slots=True)
class _Story:
    index: int
    min_day: int
    members: list[_Mention] = field(default_factory=list)
    flipped: list[bool] = field(default_factory=list)
    sigs: dict[tuple, _Mention] = field(default_factory=dict)
    src: str | None = None  # the actor keys of its sides, in the first record's orientation
    tgt: str | None = None
    place: tuple[str | None, str | None] = (None, None)  # its most specific (country, admin1)
    filed: set[tuple] = field(default_factory=set)


def _key(side: _Side | None) -> str | None:
    if side is None:
        return None
    return "c:" + side.country if side.country else "n:" + (side.name or "")


def _place_key(place: _Place | None) -> tuple[str | None, str | None]:
    if place is None:
        return (None, None)
    return (place.country, place.a1 if place.country else None)


class _Index:
    """Open stories by the actor keys of their sides and by place, so that a record is compared
    only with stories it could fit (same or missing actors, same or missing place)."""

    def __init__(self) -> None:
        self.by_dyad: dict[tuple, dict[tuple, deque[_Story]]] = {}
        self.by_src: dict[str, set[str | None]] = {}
        self.by_tgt: dict[str, set[str | None]] = {}

    def file(self, story: _Story) -> None:
        dyads = [("m", story.place[0])] if story.members[0].multi else []
        if story.src is not None or story.tgt is not None:
            dyads.append((story.src, story.tgt))
        for dyad in dyads:
            if (dyad, story.place) in story.filed:
                continue
            story.filed.add((dyad, story.place))
            queue = self.by_dyad.setdefault(dyad, {}).setdefault(story.place, deque())
            queue.append(story)
            if len(queue) > 1 and queue[-2].index > story.index:  # keep queues in creation order
                self.by_dyad[dyad][story.place] = deque(sorted(queue, key=lambda s: s.index))
            if dyad[0] != "m":
                if dyad[0] is not None:
                    self.by_src.setdefault(dyad[0], set()).add(dyad[1])
                if dyad[1] is not None:
                    self.by_tgt.setdefault(dyad[1], set()).add(dyad[0])

    def _dyads(self, s: str | None, t: str | None) -> list[tuple]:
        if s is not None and t is not None:
            return [(s, t), (s, None), (None, t)]
        if s is not None:
            return [(s, x) for x in self.by_src.get(s, ())]
        if t is not None:
            return [(x, t) for x in self.by_tgt.get(t, ())]
        return []

    def candidates(self, m: _Mention, oldest: int) -> Iterable[_Story]:
        s, t = _key(m.src), _key(m.tgt)
        dyads = set(self._dyads(s, t)) | set(self._dyads(t, s))
        if m.multi and m.place is not None:
            dyads.add(("m", m.place.country))
        country, a1 = _place_key(m.place)
        for dyad in dyads:
            places = self.by_dyad.get(dyad)
            if not places:
                continue
            if m.place is None or country is None:
                keys = list(places)
            elif a1 is not None:
                keys = [(country, a1), (country, None), (None, None)]
            else:
                keys = [k for k in places if k[0] == country or k[0] is None]
            for key in keys:
                queue = places.get(key)
                if not queue:
                    continue
                while queue and queue[0].min_day < oldest:
                    queue.popleft()  # stories are created in date order: the oldest leave first
                yield from queue


def _toks(m: _Mention) -> frozenset[str]:
    if m.tokens is None:
        m.tokens = _tokens(m.text)
    return m.tokens


def _similarity(m: _Mention, story: _Story) -> float:
    best = 0.0
    mine = _toks(m)
    for other in story.members[:20]:
        theirs = _toks(other)
        if mine and theirs:
            best = max(best, len(mine & theirs) / len(mine | theirs))
    return best


def _fits(m: _Mention, story: _Story, window: int) -> tuple[bool, bool] | None:
    """(anchored, mirrored relative to the story's first record) when ``m`` fits every record of
    ``story`` (complete linkage) and shares an actor with one; else None."""
    anchored, flip = False, None
    first = story.members[0]
    for other in story.sigs.values():
        res = _pair(m, other, window)
        if res is None:
            return None
        anchored = anchored or res[0]
        if other is first:
            flip = res[1] != story.flipped[0]
    if not anchored:
        return None
    return True, bool(flip)


def _absorb(story: _Story, m: _Mention, flip: bool) -> None:
    story.members.append(m)
    story.flipped.append(flip)
    story.sigs.setdefault(m.sig, m)
    src, tgt = (m.tgt, m.src) if flip else (m.src, m.tgt)
    for attr, side in (("src", src), ("tgt", tgt)):
        current = getattr(story, attr)
        if side is not None and (current is None or current.startswith("n:") and side.country):
            setattr(story, attr, _key(side))  # a country key is preferred to a name key
    country, a1 = _place_key(m.place)
    if story.place[0] is None and country is not None or story.place[1] is None and a1 is not None:
        story.place = (country, a1)


def _group(mentions: list[_Mention], window: int) -> list[_Story]:
    """Greedy complete-linkage grouping of one type's mentions (sorted by ``order``)."""
    reach = max(window, 7) if any(m.precision == "week" for m in mentions) else window
    stories: list[_Story] = []
    index = _Index()
    for m in mentions:
        if m.day is None:
            stories.append(_Story(len(stories), 0, [m], [False], {m.sig: m}))
            continue
        seen: set[int] = set()
        fitting: list[tuple[_Story, bool]] = []
        for story in index.candidates(m, m.day - reach):
            if story.index in seen:
                continue
            seen.add(story.index)
            res = _fits(m, story, window)
            if res is not None:
                fitting.append((story, res[1]))
        best: tuple | None = None
        if len(fitting) == 1:
            best = (None, *fitting[0])
        for story, flip in fitting if len(fitting) > 1 else ():
            gap = min(abs(m.day - o.day) for o in story.members[:20] if o.day is not None)
            score = (_similarity(m, story), -gap, -story.index)
            if best is None or score > best[0]:
                best = (score, story, flip)
        if best is None:
            story = _Story(len(stories), m.day, [], [], {})
            _absorb(story, m, False)
            stories.append(story)
        else:
            story = best[1]
            _absorb(story, m, best[2])
        index.file(story)
    return stories


# -- loading records ------------------------------------------------------------------------------
_FIELDS = (
    "event_id", "doc_id", "sentence", "evidence_trigger_start", "event_type", "mode", "cameo", "cameo_root",
    "quad_class", "goldstein", "source_text", "source_name", "source_country", "source_sector", "source_id",
    "target_text", "target_name", "target_country", "target_sector", "target_id", "date", "date_precision",
    "location_text", "location_name", "location_country", "location_admin1", "location_lat", "location_lon",
    "location_geonameid", "location_precision", "certainty", "evidence_text", "doc_publisher", "doc_url",
    "doc_published",
)
_FACTUAL = "NOT coalesce(modality_negated, false) AND NOT coalesce(modality_hypothetical, false)"


def _rows(con: Any, event_type: str | None = None) -> list[dict[str, Any]]:
    sql = (f"SELECT {', '.join(_FIELDS)}, json_extract_string(record, '$.rule') AS rule FROM events "
           f"WHERE {_FACTUAL}")
    params: list[Any] = []
    if event_type:
        sql += " AND event_type = ?"
        params.append(event_type)
    cur = con.execute(sql, params)
    names = [d[0] for d in cur.description]
    return [dict(zip(names, r)) for r in cur.fetchall()]


def _record_row(rec: Mapping[str, Any]) -> dict[str, Any]:
    """A CONTRACT §2 record as the flat row `group_records` reads."""
    row: dict[str, Any] = {k: rec.get(k) for k in ("event_id", "doc_id", "sentence", "event_type", "mode", "cameo",
                                                   "cameo_root", "quad_class", "goldstein", "date",
                                                   "date_precision", "certainty", "rule")}
    for side in ("source", "target"):
        actor = rec.get(side) or {}
        for f in ("text", "name", "country", "sector", "id"):
            row[f"{side}_{f}"] = actor.get(f)
    loc = rec.get("location") or {}
    for f in ("text", "name", "country", "admin1", "lat", "lon", "geonameid", "precision"):
        row[f"location_{f}"] = loc.get(f)
    ev = rec.get("evidence") or {}
    row["evidence_text"] = ev.get("text")
    row["evidence_trigger_start"] = ev.get("trigger_start")
    doc = rec.get("doc") or {}
    row["doc_publisher"], row["doc_url"], row["doc_published"] = doc.get("publisher"), doc.get("url"), doc.get("published")
    return row


def _mentions(rows: Iterable[Mapping[str, Any]]) -> list[_Mention]:
    rows = list(rows)
    pairs = {(r["doc_id"], r["sentence"], r["event_type"], (r["source_country"], r["source_sector"], r["source_name"]),
              (r["target_country"], r["target_sector"], r["target_name"])) for r in rows}
    out = []
    for r in rows:
        src = _side(r["source_country"], r["source_sector"], r["source_name"])
        tgt = _side(r["target_country"], r["target_sector"], r["target_name"])
        mirrored = (r["doc_id"], r["sentence"], r["event_type"],
                    (r["target_country"], r["target_sector"], r["target_name"]),
                    (r["source_country"], r["source_sector"], r["source_name"])) in pairs
        rule = r.get("rule") or ""
        mutual = r["event_type"] in MUTUAL_TYPES or "+mutual" in rule or (mirrored and src is not None and tgt is not None)
        multi = r["event_type"] == "CONSULT" and tgt is None and (r.get("mode") == "multilateral" or "+multilateral" in rule)
        day = _day(r["date"])
        precision = r.get("date_precision") or "day"
        place = _place(r)
        order = (day if day is not None else -1, _iso(r.get("doc_published")) or "", r["doc_id"] or "",
                 r["sentence"] if r["sentence"] is not None else -1, r.get("evidence_trigger_start") or 0, r["event_id"])
        m = _Mention(order, r["event_id"], r["doc_id"], r["sentence"], r["event_type"], day, precision, src, tgt,
                     place, mutual, multi, r.get("evidence_text"), r)
        m.sig = (src, tgt, place, day, precision, mutual, multi)
        out.append(m)
    out.sort(key=lambda m: m.order)
    return out


# -- stories --------------------------------------------------------------------------------------
def _actor(row: Mapping[str, Any], side: str) -> dict[str, Any] | None:
    if not row.get(f"{side}_country") and not row.get(f"{side}_name") and not row.get(f"{side}_text"):
        return None
    return {f: row.get(f"{side}_{f}") for f in ("text", "name", "country", "sector", "id")}


def _pick_actor(candidates: list[dict[str, Any] | None]) -> dict[str, Any] | None:
    present = [a for a in candidates if a]
    if not present:
        return None
    counts = Counter((a.get("country"), a.get("sector"), a.get("name")) for a in present)
    best = max(range(len(present)), key=lambda i: (
        present[i].get("country") is not None, present[i].get("sector") not in (None, "UNK"),
        present[i].get("name") is not None,
        counts[(present[i].get("country"), present[i].get("sector"), present[i].get("name"))], -i))
    return dict(present[best])


def _pick_place(rows: list[Mapping[str, Any]]) -> dict[str, Any] | None:
    places = [r for r in rows if r.get("location_country") or r.get("location_name")]
    if not places:
        return None
    counts = Counter(r.get("location_name") for r in places)
    best = max(range(len(places)), key=lambda i: (_PRECISION_RANK.get(places[i].get("location_precision"), 0),
                                                    counts[places[i].get("location_name")], -i))
    r = places[best]
    out = {f: r.get(f"location_{f}") for f in ("text", "name", "country", "admin1", "lat", "lon", "geonameid", "precision")}
    if out["geonameid"] is not None:
        out["geonameid"] = int(out["geonameid"])
    return out


def _most_common(values: list[Any]) -> Any:
    values = [v for v in values if v is not None]
    if not values:
        return None
    counts = Counter(values)
    top = max(counts.values())
    return next(v for v in values if counts[v] == top)


def _single(m: _Mention) -> dict[str, Any]:
    """`_story` of a one-record story, without the vote counting."""
    r = m.row
    key, label = source_key(r.get("doc_publisher"), r.get("doc_url"), r["doc_id"])
    day = _iso(r.get("date"))
    published = _iso(r.get("doc_published")) or day
    goldstein = r.get("goldstein")
    loc = None
    if r.get("location_country") or r.get("location_name"):
        loc = {f: r.get(f"location_{f}") for f in ("text", "name", "country", "admin1", "lat", "lon", "geonameid",
                                                     "precision")}
        if loc["geonameid"] is not None:
            loc["geonameid"] = int(loc["geonameid"])
    return {
        "story_id": hashlib.sha1(f"story:{m.event_id}".encode()).hexdigest()[:16],
        "event_type": m.event_type, "mode": r.get("mode"), "cameo": r.get("cameo"), "cameo_root": r.get("cameo_root"),
        "quad_class": r.get("quad_class"), "goldstein": float(goldstein) if goldstein is not None else None,
        "source": _actor(r, "source"), "target": _actor(r, "target"), "location": loc,
        "date": day, "date_from": day if m.day is not None else None, "date_to": day if m.day is not None else None,
        "first_seen": published, "last_seen": published,
        "num_mentions": 1, "num_sources": 1, "num_articles": 1, "num_records": 1,
        "certainty": round(float(r.get("certainty") or 0.0), 4),
        "lead": m.sentence is not None and m.sentence < 3, "evidence": r.get("evidence_text"),
        "event_ids": [m.event_id], "doc_ids": [m.doc_id], "sources": [label], "url": r.get("doc_url"),
    }


def _story(story: _Story) -> dict[str, Any]:
    members = story.members
    if len(members) == 1:
        return _single(members[0])
    rows = [m.row for m in members]
    first = rows[0]
    story_id = hashlib.sha1(f"story:{first['event_id']}".encode()).hexdigest()[:16]
    sources = [_actor(r, "target" if flip else "source") for r, flip in zip(rows, story.flipped, strict=True)]
    targets = [_actor(r, "source" if flip else "target") for r, flip in zip(rows, story.flipped, strict=True)]
    cameo = _most_common([r.get("cameo") for r in rows])
    with_cameo = next((r for r in rows if r.get("cameo") == cameo), first)
    dated = [m for m in members if m.day is not None]
    precise = [m for m in dated if m.precision == "day"] or dated
    day_counts = Counter(m.day for m in precise)
    rep_day = min(day_counts, key=lambda d: (-day_counts[d], d)) if day_counts else None
    published = sorted(p for p in (_iso(r.get("doc_published")) for r in rows) if p)
    days = sorted(m.day for m in dated)
    keyed: dict[str, str] = {}
    for r in rows:
        key, label = source_key(r.get("doc_publisher"), r.get("doc_url"), r["doc_id"])
        keyed.setdefault(key, label)
    doc_ids = list(dict.fromkeys(m.doc_id for m in members))
    goldstein = with_cameo.get("goldstein")
    certainty = max((r.get("certainty") or 0.0) for r in rows)
    return {
        "story_id": story_id,
        "event_type": first["event_type"],
        "mode": _most_common([r.get("mode") for r in rows]),
        "cameo": cameo,
        "cameo_root": with_cameo.get("cameo_root"),
        "quad_class": with_cameo.get("quad_class"),
        "goldstein": float(goldstein) if goldstein is not None else None,
        "source": _pick_actor(sources),
        "target": _pick_actor(targets),
        "location": _pick_place(rows),
        "date": Date.fromordinal(rep_day).isoformat() if rep_day is not None else _iso(first.get("date")),
        "date_from": Date.fromordinal(days[0]).isoformat() if days else None,
        "date_to": Date.fromordinal(days[-1]).isoformat() if days else None,
        "first_seen": published[0] if published else (Date.fromordinal(days[0]).isoformat() if days else None),
        "last_seen": published[-1] if published else (Date.fromordinal(days[-1]).isoformat() if days else None),
        "num_mentions": len({(m.doc_id, m.sentence) for m in members}),
        "num_sources": len(keyed),
        "num_articles": len(doc_ids),
        "num_records": len(members),
        "certainty": round(float(certainty), 4),
        "lead": any(m.sentence is not None and m.sentence < 3 for m in members),
        "evidence": first.get("evidence_text"),
        "event_ids": [m.event_id for m in members],
        "doc_ids": doc_ids,
        "sources": list(keyed.values()),
        "url": first.get("doc_url") or next((r.get("doc_url") for r in rows if r.get("doc_url")), None),
    }


def _sort_key(story: Mapping[str, Any]) -> tuple:
    return (story["date"] is not None, story["date"] or "", story["story_id"])


def group_records(rows: Iterable[Mapping[str, Any]], window: int = DEFAULT_WINDOW_DAYS) -> list[dict[str, Any]]:
    """Stories from flat event rows (``events`` table columns, plus ``rule``) or CONTRACT §2
    records; negated and hypothetical records are left out. Sorted by date, then id."""
    _check_window(window)
    flat = []
    for r in rows:
        if "evidence" in r or "source" in r:  # a CONTRACT record
            mod = r.get("modality") or {}
            if mod.get("negated") or mod.get("hypothetical"):
                continue
            flat.append(_record_row(r))
        else:
            flat.append(r)
    enabled = gc.isenabled()
    gc.disable()  # millions of small objects, none cyclic: collections would only cost time
    try:
        by_type: dict[str, list[_Mention]] = {}
        for m in _mentions(flat):
            by_type.setdefault(m.event_type, []).append(m)
        out = []
        for etype in sorted(by_type):
            out.extend(_story(s) for s in _group(by_type[etype], window))
    finally:
        if enabled:
            gc.enable()
    out.sort(key=_sort_key)
    return out


def _check_window(window: int) -> None:
    if isinstance(window, bool) or not isinstance(window, int) or not 0 <= window <= MAX_WINDOW_DAYS:
        raise ValueError(f"window must be a whole number of days from 0 to {MAX_WINDOW_DAYS}, not {window!r}")


def compute_stories(con: Any, window: int = DEFAULT_WINDOW_DAYS, event_type: str | None = None) -> list[dict[str, Any]]:
    """Stories of a store's ``events`` table (a DuckDB connection), computed now. With
    ``event_type``, that type's stories only (the same as filtering all of them: types never mix)."""
    _check_window(window)
    if event_type:
        return group_records(_rows(con, event_type), window)
    # one type at a time (stories never mix types): only that type's rows are in memory at once
    types = [t for (t,) in con.execute(f"SELECT DISTINCT event_type FROM events WHERE {_FACTUAL} "
                                       "ORDER BY 1").fetchall() if t is not None]
    out: list[dict[str, Any]] = []
    for etype in types:
        out.extend(group_records(_rows(con, etype), window))
    out.sort(key=_sort_key)
    return out


# -- the stored tables ----------------------------------------------------------------------------
_STORY_TABLE_COLUMNS = (("story_id", "VARCHAR"), ("event_type", "VARCHAR"), ("date", "DATE"),
                        ("first_seen", "DATE"), ("last_seen", "DATE"), ("num_mentions", "INTEGER"),
                        ("num_sources", "INTEGER"), ("num_articles", "INTEGER"), ("num_records", "INTEGER"),
                        ("story", "JSON"))


def store_fingerprint(con: Any) -> str:
    """Changes whenever a document is added, replaced or re-coded (and so whenever events change)."""
    docs, mix = con.execute(
        "SELECT count(*), coalesce(bit_xor(hash(doc_id, content_hash, coder_version, CAST(coded_at AS VARCHAR))), 0) "
        "FROM documents").fetchone()
    events = con.execute("SELECT count(*) FROM events").fetchone()[0]
    return f"{RULE_VERSION}:{docs}:{events}:{mix}"


def _tables(con: Any) -> set[str]:
    return {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main'").fetchall()}


def _state(con: Any) -> dict[str, str]:
    if "story_state" not in _tables(con):
        return {}
    return dict(con.execute("SELECT k, v FROM story_state").fetchall())


def stories_fresh(con: Any, window: int = DEFAULT_WINDOW_DAYS) -> bool:
    """True when the stored stories were computed with this window from the store as it is now."""
    state = _state(con)
    return bool(state) and state.get("window") == str(window) and state.get("fingerprint") == store_fingerprint(con)


def refresh_stories(con: Any, window: int = DEFAULT_WINDOW_DAYS, *, force: bool = False) -> int:
    """Recompute the stored ``stories``/``story_events`` tables (in one transaction) unless they are
    fresh; RETURNS the number of stories stored. ``con``: a writable DuckDB connection."""
    if not force and stories_fresh(con, window):
        return int(con.execute("SELECT count(*) FROM stories").fetchone()[0])
    stories = compute_stories(con, window)
    fingerprint = store_fingerprint(con)
    fd, tmp = tempfile.mkstemp(prefix="allegiance-stories-", suffix=".jsonl")
    try:  # DuckDB reads a JSON Lines file in bulk far faster than row-by-row inserts
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            for s in stories:
                row = {n: s.get(n) for n, _ in _STORY_TABLE_COLUMNS if n != "story"}
                row["story"] = s
                f.write(json.dumps(row, ensure_ascii=False) + "\n")
        columns = "{" + ", ".join(f"'{n}': '{t}'" for n, t in _STORY_TABLE_COLUMNS) + "}"
        select = f"SELECT * FROM read_json(?, columns={columns}, format='newline_delimited')"
        empty = "SELECT " + ", ".join(f"CAST(NULL AS {t}) AS {n}" for n, t in _STORY_TABLE_COLUMNS) + " WHERE false"
        con.execute("BEGIN TRANSACTION")
        try:
            if stories:
                con.execute(f"CREATE OR REPLACE TABLE stories AS {select}", [tmp])
            else:
                con.execute(f"CREATE OR REPLACE TABLE stories AS {empty}")
            con.execute("CREATE OR REPLACE TABLE story_events AS SELECT CAST(story_id AS VARCHAR) AS story_id, "
                        "CAST(unnest(CAST(json_extract(story, '$.event_ids') AS VARCHAR[])) AS VARCHAR) AS event_id "
                        "FROM stories")
            con.execute("CREATE OR REPLACE TABLE story_state (k VARCHAR, v VARCHAR)")
            con.execute("INSERT INTO story_state VALUES ('fingerprint', ?), ('window', ?), ('rule', ?)",
                        [fingerprint, str(window), RULE_VERSION])
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise
    finally:
        os.unlink(tmp)
    return len(stories)


_CACHE: dict[tuple, list[dict[str, Any]]] = {}


def _computed(con: Any, key: Any, window: int, event_type: str | None) -> list[dict[str, Any]]:
    """Computed stories, cached per (store, fingerprint, window, type) for repeated API calls."""
    cache_key = (key, store_fingerprint(con), window, event_type)
    hit = _CACHE.get(cache_key)
    if hit is None:
        hit = compute_stories(con, window, event_type)
        if len(_CACHE) >= 4:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[cache_key] = hit
    return hit


def load_stories(con: Any, window: int = DEFAULT_WINDOW_DAYS, *, since: str | None = None, until: str | None = None,
                 event_type: str | None = None, actor: str | None = None, limit: int | None = None,
                 offset: int = 0, cache_key: Any = None) -> tuple[int, list[dict[str, Any]]]:
    """(number matching, stories) of a store, stored or computed (see the module doc), ordered by
    date then id. Filters: story date range, PLOVER type, and an actor as in ``allegiance events``
    (a story matches when one of its records does). ``cache_key`` (e.g. the store path) lets
    repeated calls reuse computed stories."""
    from ..store import event_filter

    _check_window(window)
    where, params = event_filter(actor, event_type)  # validates the type; the actor's clause
    event_type = event_type.upper() if event_type else None
    if stories_fresh(con, window):
        clauses, args = [], []
        if event_type:
            clauses.append("event_type = ?")
            args.append(event_type)
        if since:
            clauses.append("date >= ?")
            args.append(since)
        if until:
            clauses.append("date <= ?")
            args.append(until)
        if actor:
            actor_where, actor_params = event_filter(actor)
            clauses.append("story_id IN (SELECT se.story_id FROM story_events se JOIN events USING (event_id) "
                           f"WHERE {actor_where})")
            args += actor_params
        cond = f" WHERE {' AND '.join(clauses)}" if clauses else ""
        total = int(con.execute(f"SELECT count(*) FROM stories{cond}", args).fetchone()[0])
        sql = f"SELECT story FROM stories{cond} ORDER BY date NULLS FIRST, story_id"
        if limit:
            sql += f" LIMIT {int(limit)}"
        if offset:
            sql += f" OFFSET {int(offset)}"
        return total, [json.loads(r[0]) for r in con.execute(sql, args).fetchall()]
    stories = _computed(con, cache_key, window, event_type) if cache_key is not None else \
        compute_stories(con, window, event_type)
    if since:
        stories = [s for s in stories if s["date"] is not None and s["date"] >= since]
    if until:
        stories = [s for s in stories if s["date"] is not None and s["date"] <= until]
    if actor:
        actor_where, actor_params = event_filter(actor)
        ids = {r[0] for r in con.execute(f"SELECT event_id FROM events WHERE {actor_where}", actor_params).fetchall()}
        stories = [s for s in stories if any(e in ids for e in s["event_ids"])]
    total = len(stories)
    end = offset + limit if limit else None
    return total, stories[offset:end]


def stories_by_event(stories: Sequence[Mapping[str, Any]]) -> dict[str, Mapping[str, Any]]:
    """event_id -> its story."""
    return {e: s for s in stories for e in s["event_ids"]}


STORY_CSV_COLUMNS = (
    "story_id", "event_type", "mode", "cameo", "quad_class", "goldstein",
    "source_name", "source_country", "source_sector", "target_name", "target_country", "target_sector",
    "location_name", "location_country", "location_admin1", "location_lat", "location_lon",
    "date", "date_from", "date_to", "first_seen", "last_seen",
    "num_mentions", "num_sources", "num_articles", "num_records", "certainty", "evidence",
    "event_ids", "doc_ids", "sources", "url",
)


def story_csv_row(story: Mapping[str, Any]) -> dict[str, Any]:
    """A story flattened for CSV: actors and place with ``_``, lists joined with ``;``."""
    row: dict[str, Any] = {}
    for col in STORY_CSV_COLUMNS:
        head, _, rest = col.partition("_")
        if head in ("source", "target", "location") and rest and col not in story:
            row[col] = (story.get(head) or {}).get(rest)
        elif isinstance(story.get(col), list):
            row[col] = ";".join(story[col])
        else:
            row[col] = story.get(col)
    return row
