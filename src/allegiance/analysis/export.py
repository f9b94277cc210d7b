"""Writers for a sides report (``sides_report()`` output): CSV, GraphML and rich tables.

- ``write_csv(report, out, table="stances")``: one row per stance (``a_*``, ``b_*`` actor
  columns, stance, score, events, direct, relation, cooperation, conflict, evidence joined
  with ``;``); ``table="members"``: one row per actor with its side (or ``unaligned``),
  confidence or role, and evidence.
- ``write_graphml(report, path)``: nodes = actors (side, confidence, role), edges = stances
  (direct ones, plus inferred ones with ``inferred=True`` when ``inferred=True``).
"""
from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, Callable, Mapping

if TYPE_CHECKING:
    import networkx as nx

ACTOR_FIELDS = ("label", "name", "country", "sector")
STANCE_COLUMNS = [f"a_{f}" for f in ACTOR_FIELDS] + [f"b_{f}" for f in ACTOR_FIELDS] + [
    "stance", "score", "events", "direct", "relation", "cooperation", "conflict", "evidence"]
MEMBER_COLUMNS = [*ACTOR_FIELDS, "side", "confidence", "role", "evidence"]


def _label(actor: Mapping[str, Any]) -> str:
    return actor.get("label") or actor.get("name") or \
        f"{actor.get('country') or ''} {actor.get('sector') or ''}".strip()


def stance_rows(report: Mapping[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for st in report.get("stances") or []:
        row: dict[str, Any] = {}
        for side in ("a", "b"):
            for f in ACTOR_FIELDS:
                row[f"{side}_{f}"] = _label(st[side]) if f == "label" else st[side].get(f)
        row.update({k: st.get(k) for k in ("stance", "score", "events", "direct", "relation",
                                          "cooperation", "conflict")})
        row["evidence"] = ";".join(st.get("evidence") or [])
        rows.append(row)
    return rows


def member_rows(report: Mapping[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for side in report.get("sides") or []:
        for m in side["members"]:
            rows.append({**{f: (_label(m["actor"]) if f == "label" else m["actor"].get(f))
                            for f in ACTOR_FIELDS},
                         "side": side["id"], "confidence": m["confidence"], "role": "member",
                         "evidence": ";".join(m.get("evidence") or [])})
    for u in report.get("unaligned") or []:
        rows.append({**{f: (_label(u["actor"]) if f == "label" else u["actor"].get(f))
                        for f in ACTOR_FIELDS},
                     "side": "unaligned", "confidence": None, "role": u["role"],
                     "evidence": ""})
    return rows


def write_csv(report: Mapping[str, Any], out: str | Path | IO[str], *,
              table: str = "stances") -> None:
    """Write the stances (or members) table as CSV to a path or an open text stream."""
    if table not in ("stances", "members"):
        raise ValueError("table must be 'stances' or 'members'")
    rows = stance_rows(report) if table == "stances" else member_rows(report)
    cols = STANCE_COLUMNS if table == "stances" else MEMBER_COLUMNS
    if isinstance(out, (str, Path)):
        with open(out, "w", newline="", encoding="utf-8") as f:
            _write(f, cols, rows)
    else:
        _write(out, cols, rows)


def _write(f: IO[str], cols: list[str], rows: list[dict[str, Any]]) -> None:
    w = csv.DictWriter(f, fieldnames=cols, extrasaction="ignore", lineterminator="\n")
    w.writeheader()
    for r in rows:
        w.writerow({k: ("" if v is None else v) for k, v in r.items()})


def to_networkx(report: Mapping[str, Any], *, inferred: bool = False) -> nx.Graph:
    """Undirected graph of the report: node and edge attributes are GraphML scalars."""
    import networkx as nx  # imported here: `allegiance sides` tables need no networkx

    g = nx.Graph(level=report.get("level") or "", frustration=report.get("frustration", 0.0),
                 since=(report.get("window") or {}).get("since") or "",
                 until=(report.get("window") or {}).get("until") or "")
    for row in member_rows(report):
        g.add_node(row["label"], **{k: ("" if v is None else v) for k, v in row.items()
                                    if k != "label"})
    for st in report.get("stances") or []:
        if not st.get("direct") and not inferred:
            continue
        a, b = _label(st["a"]), _label(st["b"])
        for n, actor in ((a, st["a"]), (b, st["b"])):
            if n not in g:
                g.add_node(n, **{f: actor.get(f) or "" for f in ACTOR_FIELDS if f != "label"},
                           side="", confidence="", role="", evidence="")
        g.add_edge(a, b, stance=st["stance"], score=float(st["score"]),
                   weight=float(st["score"]), events=int(st["events"]),
                   direct=bool(st["direct"]), inferred=not st["direct"],
                   relation=st.get("relation") or "",
                   cooperation=float(st.get("cooperation") or 0.0),
                   conflict=float(st.get("conflict") or 0.0),
                   evidence=";".join(st.get("evidence") or []))
    for _, data in g.nodes(data=True):
        for k, v in list(data.items()):
            if v is None:
                data[k] = ""
    return g


def write_graphml(report: Mapping[str, Any], path: str | Path, *,
                  inferred: bool = False) -> None:
    """Write the report as GraphML (networkx)."""
    import networkx as nx

    nx.write_graphml(to_networkx(report, inferred=inferred), str(path))


def snippet(record: Mapping[str, Any], width: int = 110) -> str:
    """The evidence sentence cut to about ``width`` characters around its trigger."""
    ev = record.get("evidence") or {}
    text = " ".join(str(ev.get("text") or "").split())
    if len(text) <= width:
        return text
    raw = str(ev.get("text") or "")
    start = ev.get("trigger_start")
    pos = len(" ".join(raw[:start].split())) if isinstance(start, int) and 0 <= start <= \
        len(raw) else 0
    lo = max(0, min(pos - width // 3, len(text) - width))
    hi = lo + width
    if lo > 0 and " " in text[lo:pos]:  # start and end on word boundaries
        lo = text.index(" ", lo) + 1
    if hi < len(text) and " " in text[max(pos, lo):hi]:
        hi = text.rindex(" ", max(pos, lo), hi)
    return ("…" if lo > 0 else "") + text[lo:hi].strip() + ("…" if hi < len(text) else "")


def rich_tables(report: Mapping[str, Any], events: list[Mapping[str, Any]] | None = None,
                *, max_stances: int = 40, evidence_per_stance: int = 2,
                lookup: Callable[[str], Mapping[str, Any] | None] | None = None) -> list[Any]:
    """rich Tables: sides (members, confidence), unaligned, stances with evidence. With
    ``events`` (or ``lookup``, event id -> record or None, asked only for the ids shown), each
    stance shows its strongest evidence records (date, type, source and the sentence around the
    trigger)."""
    from rich.markup import escape
    from rich.table import Table

    by_id = {str(e.get("event_id")): e for e in events or []}
    find = by_id.get if lookup is None else lookup
    sides = Table(title=f"Sides (frustration {report.get('frustration', 0):.2f})")
    sides.add_column("side", no_wrap=True)
    sides.add_column("member")
    sides.add_column("confidence", no_wrap=True, justify="right")
    for side in report.get("sides") or []:
        for i, m in enumerate(side["members"]):
            sides.add_row(str(side["id"]) if i == 0 else "", escape(_label(m["actor"])),
                          f"{m['confidence']:.2f}")
    for u in report.get("unaligned") or []:
        sides.add_row("-", escape(_label(u["actor"])), u["role"])
    stances = Table(title="Stances", caption="* inferred from side membership: no event "
                    "between the two; sides: same side / opposing sides")
    stances.add_column("pair", min_width=14, ratio=1)
    stances.add_column("stance", no_wrap=True)
    stances.add_column("sides", no_wrap=True)
    stances.add_column("events", no_wrap=True, justify="right")
    stances.add_column("coop/conf", no_wrap=True)
    stances.add_column("evidence", min_width=30, ratio=3, overflow="fold")
    colour = {"ally": "green", "enemy": "red", "mixed": "yellow", "neutral": "dim"}
    for st in (report.get("stances") or [])[:max_stances]:
        ev_lines: list[str] = []
        seen: set[Any] = set()
        for eid in st.get("evidence") or []:
            if len(ev_lines) >= evidence_per_stance:
                break
            e = find(eid)
            if e is None:
                ev_lines.append(escape(eid))
                continue
            sentence = (e.get("doc_id"), e.get("sentence"), snippet(e))
            if sentence in seen:  # mirrored records of one sentence: show it once
                continue
            seen.add(sentence)
            src = (e.get("doc") or {}).get("publisher") or e.get("doc_id") or ""
            ev_lines.append(escape(f"{e.get('date') or 'undated'} {e.get('event_type')} "
                                   f"[{src}] {snippet(e)}"))
        stance = st["stance"] + ("" if st.get("direct") else "*")
        relation = {"same_side": "same", "opposing_sides": "opposing"}.get(
            st.get("relation") or "", "-")
        stances.add_row(escape(f"{_label(st['a'])} – {_label(st['b'])}"),
                        f"[{colour.get(st['stance'], 'white')}]{stance}[/] {st['score']:+.2f}",
                        relation,
                        str(st["events"]),
                        f"{st.get('cooperation', 0):.2f}/{st.get('conflict', 0):.2f}",
                        "\n".join(ev_lines) or "-")
    return [sides, stances]


def render_text(report: Mapping[str, Any], events: list[Mapping[str, Any]] | None = None,
                *, width: int = 140) -> str:
    """The rich tables rendered to plain text (for tests and logs)."""
    from rich.console import Console

    buf = io.StringIO()
    console = Console(file=buf, width=width, color_system=None)
    for t in rich_tables(report, events):
        console.print(t)
    return buf.getvalue()
