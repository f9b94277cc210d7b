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
from typing import IO, Any, Mapping

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
    nx.write_graphml(to_networkx(report, inferred=inferred), str(path))


def rich_tables(report: Mapping[str, Any], events: list[Mapping[str, Any]] | None = None,
                *, max_stances: int = 40, evidence_per_stance: int = 2) -> list[Any]:
    """rich Tables: sides (members, confidence), unaligned, stances with evidence. With
    ``events``, each stance shows its strongest evidence records (date, source, sentence)."""
    from rich.table import Table

    by_id = {str(e.get("event_id")): e for e in events or []}
    sides = Table(title=f"Sides (frustration {report.get('frustration', 0):.2f})")
    for col in ("side", "member", "confidence"):
        sides.add_column(col)
    for side in report.get("sides") or []:
        for i, m in enumerate(side["members"]):
            sides.add_row(str(side["id"]) if i == 0 else "", _label(m["actor"]),
                          f"{m['confidence']:.2f}")
    for u in report.get("unaligned") or []:
        sides.add_row("-", _label(u["actor"]), u["role"])
    stances = Table(title="Stances")
    for col in ("a", "b", "stance", "score", "events", "coop/conflict", "evidence"):
        stances.add_column(col, overflow="fold")
    colour = {"ally": "green", "enemy": "red", "mixed": "yellow", "neutral": "dim"}
    for st in (report.get("stances") or [])[:max_stances]:
        ev_lines = []
        for eid in (st.get("evidence") or [])[:evidence_per_stance]:
            e = by_id.get(eid)
            if e is None:
                ev_lines.append(eid)
                continue
            text = ((e.get("evidence") or {}).get("text") or "").strip()
            src = (e.get("doc") or {}).get("publisher") or e.get("doc_id") or ""
            ev_lines.append(f"{e.get('date') or ''} {e.get('event_type')} [{src}] "
                            f"{text[:160]}")
        stance = st["stance"] + ("" if st.get("direct") else " (inferred)")
        stances.add_row(_label(st["a"]), _label(st["b"]),
                        f"[{colour.get(st['stance'], 'white')}]{stance}[/]",
                        f"{st['score']:+.2f}", str(st["events"]),
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
