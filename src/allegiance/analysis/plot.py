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
# node and line colours avoid the green and red that mean ally and enemy
SIDE_COLOURS = ["#4e79a7", "#edc948", "#b07aa1", "#76b7b2", "#9c755f", "#ff9da7",
                "#86bcb6", "#f1ce63", "#d4a6c8", "#79706e"]
LINE_COLOURS = ["#1f77b4", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf",
                "#bcbd22", "#7f7f7f", "#393b79", "#843c39"]


def _label(actor: Mapping[str, Any]) -> str:
    return actor.get("label") or actor.get("name") or \
        f"{actor.get('country') or ''} {actor.get('sector') or ''}".strip()


def _check_suffix(path: str | Path) -> Path:
    p = Path(path)
    if p.suffix.lower() not in {".png", ".svg"}:
        raise ValueError(f"plot file must end in .png or .svg: {p}")
    p.parent.mkdir(parents=True, exist_ok=True)
    return p


def select_actors(report: Mapping[str, Any], max_actors: int = 30) -> set[str]:
    """The ``max_actors`` actors with the most direct events (ties broken by tie strength,
    then label); all of them when there are fewer."""
    weight: dict[str, list[float]] = {}
    for st in report.get("stances") or []:
        if not st.get("direct"):
            continue
        for side in ("a", "b"):
            w = weight.setdefault(_label(st[side]), [0.0, 0.0])
            w[0] += st.get("events", 0)
            w[1] += abs(st.get("score", 0.0))
    members = [_label(m["actor"]) for s in report.get("sides") or [] for m in s["members"]]
    members += [_label(u["actor"]) for u in report.get("unaligned") or []]
    ranked = sorted(set(members), key=lambda a: (-weight.get(a, [0, 0])[0],
                                                 -weight.get(a, [0, 0])[1], a))
    return set(ranked[:max_actors])


def _side_radius(n: int, spacing: float) -> float:
    return 0.0 if n <= 1 else max(0.75, n * spacing / (2 * math.pi))


def network_layout(report: Mapping[str, Any], actors: set[str] | None = None, *,
                   spacing: float = 1.25) -> dict[str, tuple[float, float]]:
    """Deterministic positions: each side on its own circle (``spacing`` units of arc per
    member), the circles around a ring wide enough that no two overlap (members with most ties
    to other sides face the middle); unaligned actors in rows underneath. ``actors``: only
    these (default: all)."""
    keep = (lambda a: True) if actors is None else (lambda a: a in actors)
    sides = [[m for m in sd["members"] if keep(_label(m["actor"]))]
             for sd in report.get("sides") or []]
    sides = [sd for sd in sides if sd]
    side_of = {_label(m["actor"]): i for i, sd in enumerate(sides) for m in sd}
    cross: dict[str, int] = {}
    for st in report.get("stances") or []:
        a, b = _label(st["a"]), _label(st["b"])
        if st.get("direct") and side_of.get(a, -1) != side_of.get(b, -2):
            cross[a] = cross.get(a, 0) + 1
            cross[b] = cross.get(b, 0) + 1
    radii = [_side_radius(len(sd), spacing) for sd in sides]
    k = len(sides)
    ring = 0.0
    if k == 2:
        ring = (radii[0] + radii[1] + 2.2 * spacing) / 2
    elif k > 2:  # adjacent circles on the ring must not touch (labels need room too)
        gap = max(radii[i] + radii[(i + 1) % k] for i in range(k)) + 2.2 * spacing
        ring = gap / (2 * math.sin(math.pi / k))
    pos: dict[str, tuple[float, float]] = {}
    for s_i, members in enumerate(sides):
        ang = math.pi - 2 * math.pi * s_i / max(k, 1)  # first side on the left
        cx, cy = ring * math.cos(ang), ring * math.sin(ang)
        members = sorted(members, key=lambda m: (-cross.get(_label(m["actor"]), 0),
                                                 _label(m["actor"])))
        r = radii[s_i]
        step = 2 * math.pi / max(len(members), 1)
        facing = ang + math.pi  # towards the centre of the ring
        for m_i, m in enumerate(members):  # busiest members face the other sides
            off = ((m_i + 1) // 2) * step * (1 if m_i % 2 else -1)
            a = facing + off
            pos[_label(m["actor"])] = (cx + r * math.cos(a), cy + r * math.sin(a))
    un = [_label(u["actor"]) for u in report.get("unaligned") or [] if keep(_label(u["actor"]))]
    y0 = min((y for _, y in pos.values()), default=0.0) - 2.0 * spacing
    per_row = max(4, int(2 * max(ring, 2.0) / (2.2 * spacing)) + 1)
    for u_i, label in enumerate(un):  # rows under the sides, away from the busy middle
        row, col = divmod(u_i, per_row)
        n_row = min(per_row, len(un) - row * per_row)
        pos[label] = ((col - (n_row - 1) / 2) * 2.2 * spacing, y0 - row * 1.6 * spacing)
    return pos


def _label_offset(pos: dict[str, tuple[float, float]], label: str,
                  centre: tuple[float, float] | None) -> tuple[tuple[float, float], str, str]:
    """Offset (points) and alignment that put a label outside its side's circle."""
    x, y = pos[label]
    if centre is None or math.hypot(x - centre[0], y - centre[1]) < 1e-9:
        return (0.0, -15.0), "center", "top"
    dx, dy = x - centre[0], y - centre[1]
    d = math.hypot(dx, dy)
    ux, uy = dx / d, dy / d
    ha = "left" if ux > 0.35 else "right" if ux < -0.35 else "center"
    va = "bottom" if uy > 0.35 else "top" if uy < -0.35 else "center"
    return (13 * ux, 13 * uy), ha, va


def plot_network(report: Mapping[str, Any], path: str | Path, *, title: str | None = None,
                 show_inferred: bool = False, max_actors: int = 30) -> Path:
    """Draw sides (node colour), unaligned actors (grey; mediators as diamonds) and direct
    stances (green ally, red enemy, orange dashed mixed, grey dotted neutral). At most
    ``max_actors`` actors are drawn (those with most events); the title says so."""
    p = _check_suffix(path)
    everyone = {_label(m["actor"]) for s in report.get("sides") or [] for m in s["members"]}
    everyone |= {_label(u["actor"]) for u in report.get("unaligned") or []}
    shown = select_actors(report, max_actors)
    pos = network_layout(report, shown)
    side_of = {_label(m["actor"]): s_i for s_i, s in enumerate(report.get("sides") or [])
               for m in s["members"]}
    drawn_sides = sorted({i for a, i in side_of.items() if a in pos})
    colour_of = {i: SIDE_COLOURS[n % len(SIDE_COLOURS)] for n, i in enumerate(drawn_sides)}
    centres: dict[int, tuple[float, float]] = {}
    for s_i in set(side_of.values()):
        pts = [pos[a] for a, i in side_of.items() if i == s_i and a in pos]
        if len(pts) > 1:
            centres[s_i] = (sum(x for x, _ in pts) / len(pts), sum(y for _, y in pts) / len(pts))
    xs = [x for x, _ in pos.values()] or [0.0]
    ys = [y for _, y in pos.values()] or [0.0]
    span = max(max(xs) - min(xs), max(ys) - min(ys), 4.0)
    size = min(18.0, max(8.0, 0.75 * span + 4.0))
    fig, ax = plt.subplots(figsize=(size + 2.5, size * 0.85), dpi=100)
    node_size = 420 if len(pos) <= 15 else 260
    font = 9 if len(pos) <= 15 else 8
    drawn = [st for st in report.get("stances") or []
             if _label(st["a"]) in pos and _label(st["b"]) in pos
             and (st.get("direct") or show_inferred)]
    for st in sorted(drawn, key=lambda st: abs(st.get("score", 0.0))):
        a, b = _label(st["a"]), _label(st["b"])
        colour, style = EDGE_STYLE.get(st["stance"], (NEUTRAL, "dotted"))
        if not st.get("direct"):
            style = "dotted"
        width = 1.0 + 4.0 * min(1.0, abs(st.get("score", 0.0)))
        (x1, y1), (x2, y2) = pos[a], pos[b]
        ax.plot([x1, x2], [y1, y2], color=colour, linestyle=style, linewidth=width,
                alpha=0.7, zorder=1, solid_capstyle="round")
        if st.get("direct") and st.get("events") and len(drawn) <= 40:
            t = 0.42  # off the midpoint, so that crossing diagonals keep apart
            ax.text(x1 + t * (x2 - x1), y1 + t * (y2 - y1), str(st["events"]), fontsize=7,
                    color=colour, ha="center", va="center", zorder=2,
                    bbox={"boxstyle": "circle,pad=0.15", "fc": "white", "ec": colour,
                          "lw": 0.6})
    roles = {_label(u["actor"]): u["role"] for u in report.get("unaligned") or []}
    for label, (x, y) in pos.items():
        if label in side_of:
            colour = colour_of[side_of[label]]
            ax.scatter([x], [y], s=node_size, c=colour, edgecolors="black", linewidths=0.8,
                       zorder=3)
            off, ha, va = _label_offset(pos, label, centres.get(side_of[label]))
        else:
            role = roles.get(label, "unaligned")
            ax.scatter([x], [y], s=node_size, c="white" if role == "mediator" else "#d9d9d9",
                       marker="D" if role == "mediator" else "o", edgecolors="#555555",
                       linewidths=1.2, zorder=3)
            off, ha, va = (0.0, -13.0), "center", "top"
        ax.annotate(label, (x, y), xytext=off, textcoords="offset points", ha=ha, va=va,
                    fontsize=font, zorder=4,
                    bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none",
                          "alpha": 0.8})
    sides = report.get("sides") or []
    handles = []
    for i, s in enumerate(sides):
        n_shown, n_all = sum(_label(m["actor"]) in pos for m in s["members"]), len(s["members"])
        if n_shown:
            count = str(n_all) if n_shown == n_all else f"{n_shown} of {n_all}"
            handles.append(Patch(fc=colour_of[i], ec="black", label=f"side {s['id']} ({count})"))
    if len(handles) > 14:
        handles = handles[:13] + [Patch(fc="white", ec="white",
                                        label=f"… {len(handles) - 13} more sides")]
    if any(label in roles for label in pos):
        handles += [Line2D([], [], marker="o", ls="", mfc="#d9d9d9", mec="#555555",
                           ms=10, label="unaligned"),
                    Line2D([], [], marker="D", ls="", mfc="white", mec="#555555", ms=9,
                           label="mediator")]
    handles += [Line2D([], [], color=ALLY, lw=3, label="ally"),
                Line2D([], [], color=ENEMY, lw=3, label="enemy"),
                Line2D([], [], color=MIXED, lw=2, ls="dashed", label="mixed"),
                Line2D([], [], color=NEUTRAL, lw=2, ls="dotted", label="neutral")]
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False,
              fontsize=9, title="numbers on edges: events" if len(drawn) <= 40 else None,
              title_fontsize=8)
    win = report.get("window") or {}
    when = (f"{win['since']} to {win['until']}" if win.get("since") or win.get("until")
            else "all dates")
    subset = "" if len(pos) >= len(everyone) else f", {len(pos)} of {len(everyone)} actors"
    ax.set_title(title or f"Sides, {when}  (level {report.get('level')}, frustration "
                 f"{report.get('frustration', 0):.2f}{subset})", fontsize=11)
    ax.set_aspect("equal")
    ax.margins(0.12)
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
    def cmap(i: int) -> str:
        return LINE_COLOURS[i % len(LINE_COLOURS)]

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
    marked = sorted((f for f in flips if (f["a"], f["b"]) in shown and f.get("date")),
                    key=lambda f: f["date"])
    days = [date.fromisoformat(pt["date"]) for _, _, pts in items for pt in pts
            if pt.get("date")]
    lo, hi = (min(days), max(days)) if days else (None, None)
    for n, f in enumerate(marked):  # stagger the notes so that close flips stay readable
        d = date.fromisoformat(f["date"])
        right = lo is not None and hi is not None and hi > lo and \
            (d - lo).days / (hi - lo).days > 0.6  # notes near the right edge go to the left
        ax.axvline(d, color="#333333", ls=":", lw=1)
        ax.annotate(f"{f['a']} – {f['b']}: {f['from']} → {f['to']}\n{f['date']}",
                    (d, 0.0), xytext=(-4 if right else 4, 30 + 34 * (n % 4)),
                    textcoords="offset points", ha="right" if right else "left",
                    fontsize=8, bbox={"boxstyle": "round,pad=0.2", "fc": "white",
                                      "ec": "#999999"})
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
