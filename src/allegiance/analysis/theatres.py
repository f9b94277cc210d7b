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


# ------------------------------------------------------------------ the same rule in DuckDB
def _not_arenas_sql() -> str:
    return ", ".join(f"'{c}'" for c in sorted(_NOT_ARENAS))


def theatre_table_sql(con: Any, where: str = "TRUE", params: Iterable[Any] = ()) -> None:
    """Each event's theatre (the module's rule, over the events that match ``where``) into the
    temporary table ``_ag_theatre(event_id, theatre, date)``; unplaced events have theatre NULL.

    ``where`` is a condition on the ``events`` table (e.g. a date window), with its ``params``.
    """
    params = list(params)
    no = _not_arenas_sql()
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE _ag_theatre AS
        WITH scope AS (SELECT event_id, doc_id, date, nullif(location_country, '') AS loc,
                              nullif(source_country, '') AS sc, nullif(target_country, '') AS tc
                       FROM events WHERE {where}),
             places AS (SELECT doc_id, loc, count(*) AS n FROM scope WHERE loc IS NOT NULL GROUP BY doc_id, loc),
             top AS (SELECT doc_id, loc FROM (
                        SELECT doc_id, loc, row_number() OVER (PARTITION BY doc_id ORDER BY n DESC, loc) AS rk
                        FROM places) WHERE rk = 1)
        SELECT s.event_id, coalesce(s.loc,
                   CASE WHEN s.sc IS NOT NULL AND s.sc NOT IN ({no}) THEN s.sc END,
                   CASE WHEN s.tc IS NOT NULL AND s.tc NOT IN ({no}) THEN s.tc END,
                   t.loc) AS theatre, s.date
        FROM scope s LEFT JOIN top t ON t.doc_id IS NOT DISTINCT FROM s.doc_id""", params)


def list_theatres_sql(con: Any, where: str = "TRUE", params: Iterable[Any] = ()) -> list[dict[str, Any]]:
    """`list_theatres` of the store's events that match ``where``, computed in DuckDB (read from
    the sides index, `analysis.sideindex`, when there is no condition and the index is fresh)."""
    params = list(params)
    if where == "TRUE" and not params:
        from .sideindex import indexed_theatres

        listed = indexed_theatres(con)
        if listed is not None:
            return listed
    theatre_table_sql(con, where, params)
    rows = con.execute("SELECT theatre, count(*), min(date), max(date) FROM _ag_theatre GROUP BY theatre").fetchall()
    out = [{"code": code, "name": country_name(code) if code else "unplaced", "events": int(n),
            "first": lo.isoformat() if lo else None, "last": hi.isoformat() if hi else None}
           for code, n, lo, hi in rows]
    return sorted(out, key=lambda s: (s["code"] is None, -s["events"], s["name"]))
