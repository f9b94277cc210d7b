"""Theatres: the arena (country) each event belongs to, so sides are computed per war.

Rule, first that applies:

1. the country of the event's location;
2. else the country of a party that is not a great power (USA RUS CHN GBR FRA) nor a
   non-state group code (IGO NGO IMG ISM MNC, EUR UNO): Russia striking Syrian rebels is the
   Syria theatre; the source is tried before the target;
3. else the document's most frequent event-location country (ties: alphabetical);
4. else None ("unplaced").

A theatre is named by its country name (``graph.country_name``).
"""
from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any, Iterable, Mapping

from .graph import GROUP_CODES, ORG_STATES, country_name

GREAT_POWERS: frozenset[str] = frozenset({"USA", "RUS", "CHN", "GBR", "FRA"})
_NOT_ARENAS: frozenset[str] = GREAT_POWERS | GROUP_CODES | frozenset(ORG_STATES)


def _location_country(rec: Mapping[str, Any]) -> str | None:
    loc = rec.get("location") or {}
    code = loc.get("country") if isinstance(loc, Mapping) else None
    return code or rec.get("location_country") or None


def _party_country(rec: Mapping[str, Any]) -> str | None:
    for role in ("source", "target"):
        actor = rec.get(role) or {}
        code = actor.get("country") if isinstance(actor, Mapping) else None
        if code and code not in _NOT_ARENAS:
            return code
    return None


def assign_theatres(events: Iterable[Mapping[str, Any]]) -> dict[str, str | None]:
    """Event id -> theatre country code (or None when unplaced), by the module's rule."""
    recs = list(events)
    doc_places: dict[Any, Counter[str]] = defaultdict(Counter)
    for r in recs:
        code = _location_country(r)
        if code:
            doc_places[r.get("doc_id")][code] += 1
    out: dict[str, str | None] = {}
    for r in recs:
        code = _location_country(r) or _party_country(r)
        if not code:
            places = doc_places.get(r.get("doc_id"))
            if places:
                code = min(places, key=lambda c: (-places[c], c))
        out[str(r.get("event_id"))] = code
    return out


def list_theatres(events: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Theatres by event count (largest first): code, name, events, first and last date.

    Unplaced events are one entry with code None and name ``unplaced``, listed last.
    """
    recs = list(events)
    theatre = assign_theatres(recs)
    stats: dict[str | None, dict[str, Any]] = {}
    for r in recs:
        code = theatre[str(r.get("event_id"))]
        s = stats.setdefault(code, {"code": code, "name": country_name(code) if code else "unplaced",
                                    "events": 0, "first": None, "last": None})
        s["events"] += 1
        d = r.get("date")
        if d:
            d = str(d)[:10]
            s["first"] = d if s["first"] is None or d < s["first"] else s["first"]
            s["last"] = d if s["last"] is None or d > s["last"] else s["last"]
    return sorted(stats.values(), key=lambda s: (s["code"] is None, -s["events"], s["name"]))


def resolve_theatre(name: str, theatres: Iterable[Mapping[str, Any]]) -> str | None:
    """The code of the listed theatre called ``name`` (country name or ISO3, any case)."""
    want = name.strip().lower()
    for t in theatres:
        if t["code"] and want in (t["code"].lower(), t["name"].lower()):
            return t["code"]
    return None


def in_theatre(events: Iterable[Mapping[str, Any]], code: str) -> list[Mapping[str, Any]]:
    """The events whose theatre is ``code``."""
    recs = list(events)
    theatre = assign_theatres(recs)
    return [r for r in recs if theatre[str(r.get("event_id"))] == code]
