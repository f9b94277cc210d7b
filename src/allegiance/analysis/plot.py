"""Plots (matplotlib, Agg backend): the signed network and the stance-over-time chart.

The file type follows the suffix of the path (``.png`` or ``.svg``).
"""
from __future__ import annotations

import math
from datetime import date
from pathlib import Path
from typing import Any, Mapping, Sequence

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

ALLY, ENEMY, MIXED, NEUTRAL = "#1a9641", "#d7191c", "#f28e2b", "#9e9e9e"
EDGE_STYLE = {"ally": (ALLY, "solid"), "enemy": (ENEMY, "solid"),
              "mixed": (MIXED, "dashed"), "neutral": (NEUTRAL, "dotted")}
# node colours avoid the green and red of the edges
SIDE_COLOURS = ["#4e79a7", "#edc948", "#b07aa1", "#76b7b2", "#9c755f", "#ff9da7",
                "#86bcb6", "#f1ce63", "#d4a6c8", "#79706e"]


def _label(actor: Mapping[str, Any]) -> str:
    return actor.get("label") or actor.get("name") or \
        f"{actor.get('country') or ''} {actor.get('sector') or ''}".strip()


def _check_suffix(path: str | Path) -> Path:
    p = Path(path)
    if p.suffix.lower() not in {".png", ".svg"}:
        raise ValueError(f"plot file must end in .png or .svg: {p}")
    p.parent.mkdir(parents=True, exist_ok=True)
    return p


def network_layout(report: Mapping[str, Any]) -> dict[str, tuple[float, float]]:
    """Deterministic positions: each side on its own circle around a ring (members with most
    ties to other sides facing the middle), unaligned actors in a row underneath."""
    pos: dict[str, tuple[float, float]] = {}
    sides = report.get("sides") or []
    k = len(sides)
    ring = 0.0 if k <= 1 else 2.2 + 0.35 * k
    side_of = {_label(m["actor"]): i for i, sd in enumerate(sides) for m in sd["members"]}
    cross: dict[str, int] = {}
    for st in report.get("stances") or []:
        a, b = _label(st["a"]), _label(st["b"])
        if st.get("direct") and side_of.get(a, -1) != side_of.get(b, -2):
            cross[a] = cross.get(a, 0) + 1
            cross[b] = cross.get(b, 0) + 1
    for s_i, side in enumerate(sides):
        ang = math.pi - 2 * math.pi * s_i / max(k, 1)  # first side on the left
        cx, cy = ring * math.cos(ang), ring * math.sin(ang)
        members = sorted(side["members"], key=lambda m: -cross.get(_label(m["actor"]), 0))
        r = 0.0 if len(members) == 1 else 0.5 + 0.22 * len(members)
        step = 2 * math.pi / max(len(members), 1)
        facing = ang + math.pi  # towards the centre of the ring
        for m_i, m in enumerate(members):  # busiest members face the other sides
            off = ((m_i + 1) // 2) * step * (1 if m_i % 2 else -1)
            a = facing + off
            pos[_label(m["actor"])] = (cx + r * math.cos(a), cy + r * math.sin(a))
    un = report.get("unaligned") or []
    y0 = min((y for _, y in pos.values()), default=0.0) - 1.8
    for u_i, u in enumerate(un):  # a row under the sides, away from the busy middle
        pos[_label(u["actor"])] = ((u_i - (len(un) - 1) / 2) * 2.4, y0)
    return pos


def plot_network(report: Mapping[str, Any], path: str | Path, *, title: str | None = None,
                 show_inferred: bool = False) -> Path:
    """Draw sides (node colour), unaligned actors (grey; mediators as diamonds) and direct
    stances (green ally, red enemy, orange dashed mixed, grey dotted neutral)."""
    p = _check_suffix(path)
    pos = network_layout(report)
    side_of = {_label(m["actor"]): s_i for s_i, s in enumerate(report.get("sides") or [])
               for m in s["members"]}
    fig, ax = plt.subplots(figsize=(11, 8), dpi=110)
    for st in report.get("stances") or []:
        a, b = _label(st["a"]), _label(st["b"])
        if a not in pos or b not in pos or (not st.get("direct") and not show_inferred):
            continue
        colour, style = EDGE_STYLE.get(st["stance"], (NEUTRAL, "dotted"))
        if not st.get("direct"):
            style, colour = "dotted", colour
        width = 1.0 + 4.0 * min(1.0, abs(st.get("score", 0.0)))
        (x1, y1), (x2, y2) = pos[a], pos[b]
        ax.plot([x1, x2], [y1, y2], color=colour, linestyle=style, linewidth=width,
                alpha=0.75, zorder=1, solid_capstyle="round")
        if st.get("direct") and st.get("events"):
            ax.text((x1 + x2) / 2, (y1 + y2) / 2, str(st["events"]), fontsize=7,
                    color=colour, ha="center", va="center", zorder=2,
                    bbox={"boxstyle": "circle,pad=0.15", "fc": "white", "ec": colour,
                          "lw": 0.6})
    for label, (x, y) in pos.items():
        if label in side_of:
            colour = SIDE_COLOURS[side_of[label] % len(SIDE_COLOURS)]
            ax.scatter([x], [y], s=520, c=colour, edgecolors="black", linewidths=0.8,
                       zorder=3)
        else:
            role = next((u["role"] for u in report.get("unaligned") or []
                         if _label(u["actor"]) == label), "unaligned")
            ax.scatter([x], [y], s=520, c="white" if role == "mediator" else "#d9d9d9",
                       marker="D" if role == "mediator" else "o", edgecolors="#555555",
                       linewidths=1.2, zorder=3)
        ax.annotate(label, (x, y), xytext=(0, -19), textcoords="offset points", ha="center",
                    va="top", fontsize=9, zorder=4,
                    bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "none",
                          "alpha": 0.85})
    handles = [Patch(fc=SIDE_COLOURS[i % len(SIDE_COLOURS)], ec="black",
                     label=f"side {s['id']} ({len(s['members'])})")
               for i, s in enumerate(report.get("sides") or [])]
    if report.get("unaligned"):
        handles += [Line2D([], [], marker="o", ls="", mfc="#d9d9d9", mec="#555555",
                           ms=10, label="unaligned"),
                    Line2D([], [], marker="D", ls="", mfc="white", mec="#555555", ms=9,
                           label="mediator")]
    handles += [Line2D([], [], color=ALLY, lw=3, label="ally"),
                Line2D([], [], color=ENEMY, lw=3, label="enemy"),
                Line2D([], [], color=MIXED, lw=2, ls="dashed", label="mixed"),
                Line2D([], [], color=NEUTRAL, lw=2, ls="dotted", label="neutral")]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False,
              fontsize=9, title="numbers on edges: events", title_fontsize=8)
    win = report.get("window") or {}
    ax.set_title(title or f"Sides {win.get('since') or '…'} to {win.get('until') or '…'}"
                 f"  (level {report.get('level')}, frustration "
                 f"{report.get('frustration', 0):.2f})", fontsize=11)
    ax.set_aspect("equal")
    ax.margins(0.18)
    ax.axis("off")
    fig.tight_layout()
    fig.savefig(p, bbox_inches="tight")
    plt.close(fig)
    return p


def plot_stances(series: Mapping[tuple[str, str], Sequence[Mapping[str, Any]]] | Sequence[
                 Mapping[str, Any]], path: str | Path, *,
                 flips: Sequence[Mapping[str, Any]] = (), top: int = 8,
                 title: str | None = None) -> Path:
    """Stance score over time for the ``top`` pairs with most events, flips marked.

    ``series``: ``stance_series()`` output, or the ``series`` list of ``timeline_report()``.
    """
    p = _check_suffix(path)
    if isinstance(series, Mapping):
        items = [(a, b, list(pts)) for (a, b), pts in series.items()]
    else:
        items = [(s["a"], s["b"], list(s["points"])) for s in series]
    items = [x for x in items if any(pt.get("date") for pt in x[2])]
    items.sort(key=lambda x: (-(x[2][-1]["events"] if x[2] else 0), x[0], x[1]))
    items = items[:top]
    fig, ax = plt.subplots(figsize=(11, 5.5), dpi=110)
    ax.axhspan(0.1, 1.05, color=ALLY, alpha=0.07, zorder=0)
    ax.axhspan(-1.05, -0.1, color=ENEMY, alpha=0.07, zorder=0)
    ax.axhline(0, color="#666666", lw=0.8)
    ax.text(0.005, 0.97, "ally", transform=ax.transAxes, color=ALLY, va="top", fontsize=9)
    ax.text(0.005, 0.03, "enemy", transform=ax.transAxes, color=ENEMY, va="bottom",
            fontsize=9)
    cmap = plt.get_cmap("tab10")
    for i, (a, b, pts) in enumerate(items):
        xs = [date.fromisoformat(pt["date"]) for pt in pts if pt.get("date")]
        ys = [pt["score"] for pt in pts if pt.get("date")]
        ax.step(xs, ys, where="post", color=cmap(i % 10), lw=2, label=f"{a} – {b}")
        ev = [(date.fromisoformat(pt["date"]), pt["score"]) for pt in pts
              if pt.get("date") and pt.get("evidence")]
        if ev:  # markers on days with events; the other points only show decay
            ax.scatter(*zip(*ev), color=cmap(i % 10), s=22, zorder=3, edgecolors="white",
                       linewidths=0.6)
    shown = {(a, b) for a, b, _ in items}
    for f in flips:
        if (f["a"], f["b"]) not in shown or not f.get("date"):
            continue
        d = date.fromisoformat(f["date"])
        ax.axvline(d, color="#333333", ls=":", lw=1)
        ax.annotate(f"{f['a']} – {f['b']}: {f['from']} → {f['to']}\n{f['date']}", (d, 0.0),
                    xytext=(4, 30), textcoords="offset points", fontsize=8,
                    bbox={"boxstyle": "round,pad=0.2", "fc": "white", "ec": "#999999"})
    ax.set_ylim(-1.05, 1.05)
    ax.set_ylabel("stance score (decayed)")
    ax.set_title(title or "Stance over time", fontsize=11)
    if items:
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False, fontsize=9)
    else:
        ax.text(0.5, 0.5, "no dated stances", transform=ax.transAxes, ha="center")
    fig.autofmt_xdate()
    fig.tight_layout()
    fig.savefig(p, bbox_inches="tight")
    plt.close(fig)
    return p
