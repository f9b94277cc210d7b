"""Counts of a corpus: per split, type, mode, register, phenomenon, country; and agreement."""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from typing import Iterable

from .schema import NONSTATE, TYPES

__all__ = ["counts", "markdown", "TARGETS", "shortfalls", "agreement"]

#: What issue 11 asks of the whole corpus.
TARGETS = {"items": 4000, "articles": 150, "events": 6000, "negative_share": 0.15,
           "countries": 120, "test_event_share": 0.20, "rare_type_events": 100}
_RARE = ("CONCEDE", "RETREAT", "MOBILIZE", "COOPERATE")
_SENT = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9])")


def _long_sentences(text: str, limit: int = 40) -> int:
    return sum(len(s.split()) > limit for s in _SENT.split(text))


def counts(groups: dict[str, Iterable[dict]]) -> dict:
    """``groups`` maps a file label ('train', 'articles-test', ...) to its items."""
    out: dict = {"files": {}, "type": defaultdict(Counter), "mode": Counter(), "register": Counter(),
                 "tags": Counter(), "countries": set(), "flags": Counter(), "attribution": Counter()}
    for label, items in groups.items():
        items = list(items)
        n_events = sum(len(i.get("events") or []) for i in items)
        negatives = sum(not i.get("events") for i in items)
        out["files"][label] = {"items": len(items), "events": n_events, "negatives": negatives,
                               "words": sum(len(i["text"].split()) for i in items),
                               "long_sentences": sum(_long_sentences(i["text"]) for i in items)}
        for item in items:
            out["register"][item.get("register")] += 1
            out["tags"].update(item.get("tags") or [])
            for ev in item.get("events") or []:
                out["type"][ev["type"]][label] += 1
                out["mode"][(ev["type"], ev.get("mode"))] += 1
                for key in ("negated", "hypothetical", "future"):
                    out["flags"][key] += bool(ev.get(key))
                out["flags"]["attributed"] += bool(ev.get("attributed_to"))
                out["flags"]["location"] += bool(ev.get("location"))
                out["flags"]["event_date"] += bool(ev.get("event_date"))
                for role in ("source", "target"):
                    actor = ev.get(role)
                    if actor and actor.get("country") and actor["country"] not in NONSTATE:
                        out["countries"].add(actor["country"])
                    if actor:
                        out["flags"][f"{role}_span"] += actor.get("start") is not None
                        out["flags"][f"{role}_convention"] += actor.get("start") is None
    files = out["files"]
    out["total_items"] = sum(v["items"] for k, v in files.items() if not k.startswith("articles"))
    out["total_articles"] = sum(v["items"] for k, v in files.items() if k.startswith("articles"))
    out["total_events"] = sum(v["events"] for v in files.values())
    item_files = [v for k, v in files.items() if not k.startswith("articles")]
    neg = sum(v["negatives"] for v in item_files)
    out["negative_share"] = neg / out["total_items"] if out["total_items"] else 0.0
    test_events = sum(v["events"] for k, v in files.items() if k.endswith("test"))
    out["test_event_share"] = test_events / out["total_events"] if out["total_events"] else 0.0
    out["n_countries"] = len(out["countries"])
    return out


def shortfalls(c: dict) -> list[str]:
    """The issue's targets this corpus does not meet."""
    miss = []
    for key, have in (("items", c["total_items"]), ("articles", c["total_articles"]),
                      ("events", c["total_events"]), ("countries", c["n_countries"])):
        if have < TARGETS[key]:
            miss.append(f"{key}: {have} < {TARGETS[key]}")
    if c["negative_share"] < TARGETS["negative_share"]:
        miss.append(f"negative items: {c['negative_share']:.1%} < 15%")
    if c["test_event_share"] < TARGETS["test_event_share"]:
        miss.append(f"test events: {c['test_event_share']:.1%} < 20%")
    for t in TYPES:
        if sum(c["type"][t].values()) == 0:
            miss.append(f"type {t}: no event")
    for t in _RARE:
        n = sum(c["type"][t].values())
        if n < TARGETS["rare_type_events"]:
            miss.append(f"type {t}: {n} events < {TARGETS['rare_type_events']}")
    return miss


def markdown(c: dict) -> str:
    """Tables for corpus/README.md."""
    labels = list(c["files"])
    lines = ["| file | items | events | negative items | words | sentences > 40 words |",
             "|---|---|---|---|---|---|"]
    for k in labels:
        v = c["files"][k]
        lines.append(f"| {k} | {v['items']} | {v['events']} | {v['negatives']} | {v['words']} | "
                     f"{v['long_sentences']} |")
    lines.append(f"| **all** | {c['total_items']} items + {c['total_articles']} articles | "
                 f"{c['total_events']} | {c['negative_share']:.1%} of items | "
                 f"{sum(v['words'] for v in c['files'].values())} | "
                 f"{sum(v['long_sentences'] for v in c['files'].values())} |")
    lines += ["", f"Test share of events: {c['test_event_share']:.1%}. Actor countries (ISO): "
              f"{c['n_countries']}.", ""]
    lines += ["| type | " + " | ".join(labels) + " | all | modes (events) |",
              "|---|" + "---|" * (len(labels) + 2)]
    for t in TYPES:
        row = c["type"][t]
        modes = sorted(((m or "(none)", n) for (tt, m), n in c["mode"].items() if tt == t),
                       key=lambda x: -x[1])
        lines.append(f"| {t} | " + " | ".join(str(row[k]) for k in labels) +
                     f" | {sum(row.values())} | " + ", ".join(f"{m} {n}" for m, n in modes) + " |")
    lines += ["", "| register | items |", "|---|---|"]
    lines += [f"| {r} | {n} |" for r, n in c["register"].most_common()]
    lines += ["", "| event field | events |", "|---|---|"]
    lines += [f"| {k} | {n} |" for k, n in sorted(c["flags"].items())]
    tags = [(t, n) for t, n in c["tags"].most_common() if not t.startswith("type:")]
    common = [(t, n) for t, n in tags if n >= 20]
    lines += ["", "Phenomenon tags carried by 20 items or more (of "
              f"{len(tags)} distinct tags): " + ", ".join(f"`{t}` {n}" for t, n in common)]
    return "\n".join(lines)


def _dyads(events: list[dict]) -> list[tuple]:
    return [(e["type"], (e.get("source") or {}).get("country"), (e.get("target") or {}).get("country"))
            for e in events if not e.get("negated")]


def _canon(k: tuple) -> tuple:
    return (k[0], "<->", tuple(sorted(map(repr, (k[1], k[2])))))


def _collapse(keys: list[tuple], sym: set) -> list[tuple]:
    """Mirrored keys of a pair the first coding holds symmetric become one order-free key."""
    c = Counter(keys)
    out, seen = [], set()
    for k in keys:
        ck = _canon(k)
        if ck in sym:
            if ck not in seen:
                seen.add(ck)
                out += [ck] * max(c.get(k, 0), c.get((k[0], k[2], k[1]), 0))
        else:
            out.append(k)
    return out


def _keys(first: list[dict], second: list[dict]) -> tuple[list, list]:
    """Dyad keys of both codings, mirrored pairs collapsed as the shared scorer does."""
    g, p = _dyads(first), _dyads(second)
    cg = Counter(g)
    sym = {_canon(k) for k in cg if k[1] != k[2] and cg.get((k[0], k[2], k[1]))}
    return _collapse(g, sym), _collapse(p, sym)


def agreement(first: dict[str, dict], second: dict[str, dict]) -> dict:
    """Type- and dyad-level P/R/F1 of a second coding against the first, per the shared scorer."""
    tallies = {"type": [0, 0, 0], "dyad": [0, 0, 0]}
    identical = 0
    for iid, item in first.items():
        other = second.get(iid)
        if other is None:
            continue
        gd, pd = _keys(item.get("events") or [], other.get("events") or [])
        gt, pt = [k[0] for k in gd], [k[0] for k in pd]
        identical += Counter(gd) == Counter(pd)
        for name, g, p in (("type", gt, pt), ("dyad", gd, pd)):
            tp = sum((Counter(g) & Counter(p)).values())
            tallies[name][0] += tp
            tallies[name][1] += len(p) - tp
            tallies[name][2] += len(g) - tp
    res: dict = {"items": sum(1 for i in first if i in second), "identical_items": identical}
    for name, (tp, fp, fn) in tallies.items():
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        res[name] = {"p": round(p, 3), "r": round(r, 3),
                     "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0, "tp": tp, "fp": fp, "fn": fn}
    return res
