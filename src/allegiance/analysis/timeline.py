"""Change over time: sliding windows, sides matched across windows, stance series and flips.

- ``window_bounds``: windows of ``window_days`` ending every ``step_days`` (default: the window
  length), the last one ending on the newest date.
- ``sides_over_time``: the sides report of each window; side ids are kept stable across windows by
  Hungarian matching (``scipy.optimize.linear_sum_assignment``) on member overlap (Jaccard), and
  a side with no match gets a new id.
- ``stance_series``: per pair, the decayed score after each day with events (half-life
  ``half_life_days``); ``stance_flips``: the days the decayed sign turns from ally to enemy or
  back, with the events of that day as evidence.
"""
from __future__ import annotations

from datetime import date, timedelta
from typing import Any, Iterable, Mapping

import numpy as np

from .graph import as_record, build_graph
from .sides import classify, report_from_graph


def _d(s: str) -> date:
    return date.fromisoformat(s[:10])


def _plus(day: date, delta: timedelta) -> date:
    """``day + delta``, held at the ends of the calendar (0001-01-01, 9999-12-31) instead of raising."""
    try:
        return day + delta
    except OverflowError:
        return date.max if delta > timedelta(0) else date.min


def window_bounds(events: Iterable[Mapping[str, Any]], *, window_days: int = 30,
                  step_days: int | None = None, since: str | None = None,
                  until: str | None = None) -> list[tuple[str, str]]:
    """(since, until) pairs of sliding windows covering the records' dates."""
    dates = sorted(r["date"][:10] for r in map(as_record, events) if r.get("date"))
    if not dates:
        return []
    first, last = _d(since or dates[0]), _d(until or dates[-1])
    step = timedelta(days=step_days or window_days)
    span = timedelta(days=window_days - 1)
    out, end = [], _plus(first, span)
    while True:
        end = min(end, last)
        out.append((_plus(end, -span).isoformat(), end.isoformat()))
        if end >= last:
            return out
        end = _plus(end, step)


def match_sides(prev: list[set[str]], cur: list[set[str]]) -> list[int | None]:
    """For each current side, the index of the matched previous side (None: no overlap)."""
    from scipy.optimize import linear_sum_assignment

    out: list[int | None] = [None] * len(cur)
    if not prev or not cur:
        return out
    sim = np.array([[len(a & b) / len(a | b) if a | b else 0.0 for a in prev] for b in cur])
    rows, cols = linear_sum_assignment(-sim)
    for r, c in zip(rows, cols):
        if sim[r, c] > 0:
            out[r] = int(c)
    return out


def sides_over_time(events: Iterable[Mapping[str, Any]], *, level: str = "entity",
                    window_days: int = 30, step_days: int | None = None,
                    since: str | None = None, until: str | None = None,
                    half_life_days: float | None = None, graph_of: Any = None,
                    **kwargs: Any) -> list[dict[str, Any]]:
    """One sides report per window; side ``id`` is stable across windows. ``graph_of``: builds a
    window's graph from build_graph's keyword arguments instead of ``events`` (which then only
    give the dates; `sqlgraph.timeline_report_sql`)."""
    events = [as_record(r) for r in events]
    reports: list[dict[str, Any]] = []
    prev_sets: list[set[str]] = []
    prev_ids: list[int] = []
    next_id = 0
    for lo, hi in window_bounds(events, window_days=window_days, step_days=step_days,
                                since=since, until=until):
        graph = build_graph(events, level=level, since=lo, until=hi, half_life_days=half_life_days) \
            if graph_of is None else graph_of(level=level, since=lo, until=hi, half_life_days=half_life_days)
        rep = report_from_graph(graph, **kwargs)
        rep["window"] = {"since": lo, "until": hi}
        cur_sets = [{_akey(m["actor"]) for m in s["members"]} for s in rep["sides"]]
        ids = []
        for m in match_sides(prev_sets, cur_sets):
            if m is None:
                ids.append(next_id)
                next_id += 1
            else:
                ids.append(prev_ids[m])
        for side, sid in zip(rep["sides"], ids):
            side["id"] = sid
        rep["sides"].sort(key=lambda s: s["id"])
        if cur_sets:
            prev_sets, prev_ids = cur_sets, ids
        reports.append(rep)
    return reports


def _akey(actor: Mapping[str, Any]) -> str:
    return actor.get("label") or f"{actor.get('country')} {actor.get('sector')} {actor.get('name')}"


def side_changes(reports: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Actors that move between (matched) sides from one window to the next (``moved``), actors
    that join a side for the first time after the first window (``joined``), and new sides."""
    out: list[dict[str, Any]] = []
    prev: dict[str, int] = {}
    ever: set[str] = set()
    seen_ids: set[int] = set()
    for rep in reports:
        cur = {_akey(m["actor"]): s["id"] for s in rep["sides"] for m in s["members"]}
        when = rep["window"]["until"]
        for s in rep["sides"]:
            if s["id"] not in seen_ids and seen_ids:
                out.append({"date": when, "kind": "new_side", "side": s["id"],
                            "members": sorted(_akey(m["actor"]) for m in s["members"])})
            seen_ids.add(s["id"])
        for actor in sorted(cur.keys() & prev.keys()):
            if cur[actor] != prev[actor]:
                out.append({"date": when, "kind": "moved", "actor": actor,
                            "from": prev[actor], "to": cur[actor]})
        if ever:
            for actor in sorted(cur.keys() - ever):
                out.append({"date": when, "kind": "joined", "actor": actor, "to": cur[actor]})
        ever |= cur.keys()
        if cur:
            prev = cur
    return out


def stance_series(events: Iterable[Mapping[str, Any]], *, level: str = "entity",
                  half_life_days: float | None = 30, since: str | None = None,
                  until: str | None = None, score: str = "goldstein",
                  grid_days: int | None = None, graph: Any = None
                  ) -> dict[tuple[str, str], list[dict[str, Any]]]:
    """Per symmetrised pair (actor labels), the decayed stance after each day with events;
    with ``grid_days``, also every ``grid_days`` from the pair's first event to the last date
    (so that decay between events shows). ``graph``: a built graph (every story) instead of
    ``events``."""
    if graph is None:
        graph = build_graph(events, level=level, since=since, until=until, score=score)
    out: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for (a, b), dyad in graph.edges.items():
        stories = sorted(dyad.stories, key=lambda s: (s.date or "", s.event_ids[0]))
        days = sorted({s.date or "" for s in stories})
        if grid_days and graph.until and days and days[-1]:
            first = next((d for d in days if d), None)
            t = _d(first) if first else None
            while t is not None and t <= _d(graph.until):
                days.append(t.isoformat())
                t = None if t == date.max else _plus(t, timedelta(days=grid_days))
            days = sorted(set(days + [graph.until[:10]]))
        series = []
        for t in days:
            pos = neg = 0.0
            n = 0
            for s in stories:
                if (s.date or "") > t:
                    break
                n += 1
                f = 1.0
                if half_life_days and s.date and t:
                    f = 0.5 ** ((_d(t) - _d(s.date)).days / half_life_days)
                if s.contribution > 0:
                    pos += f * s.contribution
                else:
                    neg -= f * s.contribution
            sc = (pos - neg) / (pos + neg + graph.shrink)
            series.append({"date": t or None, "score": round(sc, 4),
                           "stance": classify(pos, neg, sc), "cooperation": round(pos, 4),
                           "conflict": round(neg, 4), "events": n,
                           "evidence": [x for s in stories if (s.date or "") == t
                                        for x in s.event_ids[:1]]})
        out[(graph.nodes[a].label, graph.nodes[b].label)] = series
    return dict(sorted(out.items()))


def stance_flips(events: Iterable[Mapping[str, Any]], *, level: str = "entity",
                 half_life_days: float | None = 30, threshold: float = 0.1,
                 min_events: int = 1, since: str | None = None, until: str | None = None,
                 graph: Any = None) -> list[dict[str, Any]]:
    """Days when a pair's decayed sign turns ally -> enemy or enemy -> ally.

    ``min_events``: events that must stand behind the earlier stance.
    """
    flips = []
    series = stance_series(events, level=level, half_life_days=half_life_days,
                           since=since, until=until, graph=graph)
    for (a, b), points in series.items():
        last, start_n, prev_n = None, 0, 0
        for p in points:
            sign = "ally" if p["score"] >= threshold else "enemy" if p["score"] <= -threshold \
                else None
            if sign is not None and sign != last:
                if last is not None and prev_n - start_n >= min_events:
                    flips.append({"a": a, "b": b, "date": p["date"], "from": last, "to": sign,
                                  "score": p["score"], "evidence": p["evidence"]})
                last, start_n = sign, prev_n
            prev_n = p["events"]
    flips.sort(key=lambda f: (f["date"] or "", f["a"], f["b"]))
    return flips


def timeline_report(events: Iterable[Mapping[str, Any]], *, level: str = "entity",
                    window_days: int = 30, step_days: int | None = None,
                    half_life_days: float | None = 30, since: str | None = None,
                    until: str | None = None) -> dict[str, Any]:
    """Windows with matched sides, side changes, stance series and stance flips (JSON-ready)."""
    events = [as_record(r) for r in events]
    reports = sides_over_time(events, level=level, window_days=window_days,
                              step_days=step_days, since=since, until=until,
                              half_life_days=half_life_days)
    series = stance_series(events, level=level, half_life_days=half_life_days, since=since,
                           until=until, grid_days=max(1, window_days // 4))
    return {"level": level, "window_days": window_days, "half_life_days": half_life_days,
            "windows": reports, "changes": side_changes(reports),
            "series": [{"a": a, "b": b, "points": pts} for (a, b), pts in series.items()],
            "flips": stance_flips(events, level=level, half_life_days=half_life_days,
                                  since=since, until=until)}
