"""Benchmark: sides and hostile pairs from event records against the gold articles.

    python benchmarks/sides.py --gold-events          # records built from the gold events
    python benchmarks/sides.py --records OUT.jsonl    # records from `allegiance code`
    python benchmarks/sides.py --run --breakdown      # run `allegiance code`; why pairs are lost
    python benchmarks/sides.py --run --gold examples/gold/sides.jsonl --texts examples/corpus
                                                      # the bundled examples' blind gold sides

For each gold article, sides are computed from that article's records only. Gold pairs: two
actors listed in the same gold side are "same"; actors in different gold sides and every
`hostile_pairs` pair are "opposed" (hostile wins). "sides" predicts as a reader of the CONTRACT
§4 JSON would: "same" / "opposed" from side membership when both actors are in sides, else from
the direct stance (ally / enemy), else it abstains. "connected" is the stricter reading that
never calls two actors opposed when no path of events links them (sides in different
components). The baseline predicts the sign of summed Goldstein per pair (no prediction
without a direct event). Agreement is over all named pairs (abstaining counts as wrong) and
over covered pairs, overall and on pairs with / without a direct event between them.

Gold names are free text; ``match_name`` reads them as CONTRACT §4 actors {name, country,
sector} with the project's actor catalog (canonical names, countries, agent nouns) and keys
them with ``actor_key``, as the analysis does:
1. the canonical name equals a node's name (whatever sector the coder gave it);
2. the actor's key at the level (state agents roll up to the state at entity level;
   descriptions such as "Syrian rebels" -> SYR REB, "X-backed" is an affiliation, not a country);
3. fallbacks: a named group to its unnamed country+sector node ("HTS" -> SYR REB), a
   description with a sector and no country to the only node of that sector. Two gold actors
   that fall back to the same node are not judged. A name with no node is not covered.
``--breakdown`` compares every lost pair with the same analysis run on the gold events and
names the cause (actor not coded, actor without a dyad, missing / wrong / spurious edge, ...).
"""
from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from functools import cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from allegiance.analysis.graph import (SHORT_NAMES, STATE_SECTORS, actor_key,  # noqa: E402
                                       baseline_signs, build_graph, country_name)
from allegiance.analysis.sides import report_from_graph  # noqa: E402

GOLD = ROOT.parent / "shared" / "gold" / "articles.jsonl"
QUAD = {"AGREE": 1, "CONSULT": 1, "SUPPORT": 1, "CONCEDE": 1, "COOPERATE": 2, "AID": 2,
        "RETREAT": 2, "REQUEST": 3, "ACCUSE": 3, "REJECT": 3, "THREATEN": 3, "PROTEST": 4,
        "SANCTION": 4, "MOBILIZE": 4, "COERCE": 4, "ASSAULT": 4}
DEMONYMS = {"us": "USA", "u.s.": "USA", "uk": "GBR", "eu": "EUR", "un": "UNO"}  # + catalog
AGENTS: dict[str, str] = {  # extended by the catalog's agent nouns (catalog wins)
    "rebel": "REB", "rebels": "REB", "insurgents": "REB", "fighters": "REB", "jihadists": "REB",
    "jihadist": "REB", "militants": "REB", "islamists": "REB", "army": "MIL", "military": "MIL",
    "forces": "MIL", "force": "MIL", "troops": "MIL", "soldiers": "MIL", "government": "GOV",
    "regime": "GOV", "militia": "PRM", "militias": "PRM", "paramilitaries": "PRM",
    "protesters": "CVL", "demonstrators": "CVL", "civilians": "CVL", "police": "COP",
    "students": "EDU", "workers": "LAB", "refugees": "REF", "opposition": "OPP",
}
JIHADIST = {"jihadists", "jihadist", "islamists"}
AFFILIATION = re.compile(r"-(backed|aligned|linked|led|allied|sponsored|trained)\b")


@cache
def _catalog_forms() -> dict[str, list[tuple[str, Any]]]:
    """Lower-cased catalog surface forms -> [(kind, ref)] (countries, organisations, people)."""
    try:
        from allegiance.actors.catalog import load_catalog

        cat = load_catalog()
    except Exception:  # noqa: BLE001 - the benchmark still runs on the small tables
        return {}
    out: dict[str, list[tuple[str, Any]]] = defaultdict(list)
    for form, entries in cat.forms.items():
        for kind, _case, ref in entries:
            out[form.lower()].append((kind, ref))
    for term, sector in cat.agents.items():
        AGENTS[term] = sector
    return dict(out)


@cache
def _country_words() -> dict[str, str]:
    """Country names, aliases, adjectives and demonyms (lower case) -> ISO3: the project's
    actor catalog, pycountry and the short names of the analysis."""
    import pycountry

    words = dict(DEMONYMS)
    for form, entries in _catalog_forms().items():
        for kind, ref in entries:
            if kind in ("country", "adjective", "demonym"):
                words.setdefault(form, ref)
    for c in pycountry.countries:
        for n in (c.name, getattr(c, "common_name", None), getattr(c, "official_name", None)):
            if n:
                words[n.lower()] = c.alpha_3
    for code, n in SHORT_NAMES.items():
        words[n.lower()] = code
    return words


def gold_records(item: dict[str, Any]) -> list[dict[str, Any]]:
    """CONTRACT §2 records built from a gold item's events (no text copied)."""
    out = []
    for i, e in enumerate(item["events"]):
        def actor(a: dict[str, Any] | None) -> dict[str, Any] | None:
            if a is None:
                return None
            return {"text": a.get("name") or "", "name": a.get("name"),
                    "country": a.get("country"), "sector": a.get("sector"), "id": None}
        attributed = e.get("attributed_to")
        out.append({
            "event_id": f"{item['id']}-g{i:03d}", "doc_id": item["id"], "sentence": None,
            "event_type": e["type"], "mode": e.get("mode"), "contexts": [], "cameo": None,
            "cameo_root": None, "goldstein": None, "quad_class": QUAD[e["type"]],
            "source": actor(e.get("source")), "target": actor(e.get("target")),
            "date": e.get("event_date") or item["date"],
            "date_precision": "day" if e.get("event_date") else "publication",
            "location": None,
            "modality": {"negated": bool(e.get("negated")),
                         "hypothetical": bool(e.get("hypothetical")),
                         "future": bool(e.get("future")), "historical": False},
            "certainty": 0.75 if attributed else 0.9,
            "attribution": {"speaker": attributed, "kind": "named" if attributed else "author",
                            "cue": None},
            "evidence": {"text": "", "start": 0, "end": 0, "trigger": e.get("trigger") or "",
                         "trigger_start": 0, "trigger_end": 0},
            "doc": {"title": None, "url": None, "publisher": None, "published": item["date"],
                    "extra": {}},
            "coder": {"name": "gold", "version": "0"}})
    return out


def run_coder(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Code the article texts with `allegiance code` in a subprocess."""
    exe = shutil.which("allegiance") or str(Path(sys.executable).parent / "allegiance")
    with tempfile.TemporaryDirectory() as tmp:
        src, dst = Path(tmp) / "in.jsonl", Path(tmp) / "out.jsonl"
        with src.open("w") as f:
            for it in items:
                f.write(json.dumps({"id": it["id"], "text": it["text"], "date": it["date"]}) + "\n")
        proc = subprocess.run([exe, "code", str(src), "-o", str(dst)], capture_output=True,
                              text=True)
        if proc.returncode != 0 or not dst.exists():
            sys.stderr.write(proc.stderr[-2000:])
            raise SystemExit(f"`allegiance code` failed (exit {proc.returncode})")
        return [json.loads(x) for x in dst.read_text().splitlines() if x.strip()]


SEED_SIDES = (("Syria", "Iran", "Russia", "Hezbollah"), ("Syrian rebels", "jihadists"))


def seed_check(path: Path, level: str = "entity") -> None:
    """Code the seed article and print its sides against the issue's expectation: Syria's
    government, Iran, Russia and Hezbollah together, rebels / jihadists apart, the United
    States and Russia on opposing sides, each with evidence."""
    recs = run_coder([{"id": "seed", "text": path.read_text(encoding="utf-8"),
                       "date": None}])
    graph = build_graph(recs, level=level)
    rep = report_from_graph(graph)
    by_id = {r["event_id"]: r for r in recs}
    print(f"seed article: {len(recs)} records, {len(graph.nodes)} actors, frustration "
          f"{rep['frustration']}")
    where: dict[str, int] = {}
    evidence: dict[str, list[str]] = {}
    for s in rep["sides"]:
        print(f"  side {s['id']}: " + ", ".join(
            f"{m['actor']['label']} ({m['confidence']:.2f})" for m in s["members"]))
        for m in s["members"]:
            key = actor_key(m["actor"], level)
            if key is not None:
                where[key.key] = s["id"]
                evidence[key.key] = m["evidence"]
    for u in rep["unaligned"]:
        print(f"  {u['role']}: {u['actor']['label']}")
    for group in SEED_SIDES + (("United States",),):
        for name in group:
            k = match_name(name, recs, graph.nodes, level)
            side = where.get(k) if k else None
            ev = [f"{by_id[e]['event_type']}:{e}" for e in evidence.get(k or "", [])[:2]]
            print(f"    {name:15} -> {k or 'not found'}, side {side}, evidence {ev}")
    us, ru = (where.get(match_name(n, recs, graph.nodes, level) or "")
              for n in ("United States", "Russia"))
    print(f"  United States and Russia: "
          f"{'opposing sides' if None not in (us, ru) and us != ru else 'NOT opposing'}")


def resolve_name(name: str, day: str | None = None) -> dict[str, Any] | None:
    """A gold actor name as CONTRACT §4 actor fields ``{name, country, sector}``.

    A catalog form (organisation, person, country) gives the canonical name with its country and
    sector on ``day``; otherwise the name is read as a description: a country word (not one used
    as "X-backed") plus the longest agent noun ("Syrian rebels" -> SYR REB, name null)."""
    low = " ".join(name.split()).lower()
    entries = _catalog_forms().get(low, [])
    for kind in ("organisation", "person", "country"):
        for k, ref in entries:
            if k != kind:
                continue
            if kind == "country":
                return {"name": country_name(ref), "country": ref, "sector": None}
            country, sector, _ = ref.at(day)
            return {"name": ref.name, "country": country, "sector": sector}
    text = AFFILIATION.sub(" <affil>", low)
    country = None
    words = _country_words()
    for w in sorted(words, key=len, reverse=True):
        if re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])(?! <affil>)", text):
            country = words[w]
            break
    sector = None
    for term in sorted(AGENTS, key=len, reverse=True):
        if re.search(rf"(?<![\w-]){re.escape(term)}(?![\w-])", text):
            sector = AGENTS[term]
            break
    if country is None and sector == "REB" and JIHADIST & set(re.findall(r"[a-z]+", text)):
        country = "IMG"
    if country is None and sector is None:
        return None
    return {"name": None, "country": country, "sector": sector}


def match_name(name: str, records: list[dict[str, Any]], nodes: dict[str, Any],
               level: str = "entity", day: str | None = None) -> str | None:
    """Map a free-text gold actor name to a node key of this article's graph (or None)."""
    return _match(name, records, nodes, level, day)[0]


def _match(name: str, records: list[dict[str, Any]], nodes: dict[str, Any],
           level: str = "entity", day: str | None = None) -> tuple[str | None, bool]:
    """(node key or None, whether the key is only a fallback: a named group read as its
    unnamed country+sector node, or the only node of a sector).

    1. the canonical name (``resolve_name``) or the gold name equals a node's name or label, or
       the name of a record actor whose key is a node (sectors may differ: RSF as PRM or REB);
    2. the actor's key at ``level`` (``actor_key``: states roll up at entity level);
    3. a named non-state actor falls back to its unnamed country+sector node ("HTS" -> SYR REB);
    4. a description with a sector but no country: the only node with that sector.
    """
    actor = resolve_name(name, day)
    names = {name.strip().lower()}
    if actor and actor.get("name"):
        names.add(actor["name"].lower())
    for k, n in nodes.items():
        if {(n.name or "").lower(), n.label.lower()} & names:
            return k, False
    for r in records:
        for a in (r.get("source"), r.get("target")):
            if a and (a.get("name") or "").lower() in names:
                key = actor_key(a, level)
                if key is not None and key.key in nodes:
                    return key.key, False
    if actor is None:
        return None, False
    key = actor_key(actor, level)
    if key is not None and key.key in nodes:
        return key.key, False
    if actor.get("name") and actor.get("sector") and actor["sector"] not in STATE_SECTORS:
        key = actor_key({**actor, "name": None}, level)
        if key is not None and key.key in nodes:
            return key.key, True
    if actor.get("country") is None and actor.get("sector"):
        same = [k for k, n in nodes.items() if n.sector == actor["sector"]]
        return (same[0], True) if len(same) == 1 else (None, False)
    return None, False


def gold_pairs(item: dict[str, Any]) -> dict[frozenset[str], str]:
    pairs: dict[frozenset[str], str] = {}
    sides = item.get("sides") or []
    for i, s in enumerate(sides):
        for j, t in enumerate(sides):
            for a in s:
                for b in t:
                    if a != b and (i <= j):
                        pairs[frozenset((a, b))] = "same" if i == j else "opposed"
    for a, b in item.get("hostile_pairs") or []:
        pairs[frozenset((a, b))] = "opposed"
    return pairs


def pair_rows(items: list[dict[str, Any]], by_doc: dict[str, list[dict[str, Any]]], *,
              level: str = "entity", score: str = "goldstein",
              deescalation: str = "adversarial", **kw: Any) -> list[dict[str, Any]]:
    """One row per gold pair: the matched keys, the direct stance and the three predictions."""
    rows = []
    for item in items:
        recs = by_doc.get(item["id"], [])
        graph = build_graph(recs, level=level, score=score, deescalation=deescalation)
        rep = report_from_graph(graph, **kw)
        base = baseline_signs(recs, level=level)
        side_of: dict[str, tuple[int, int]] = {}
        keys = {n.label: k for k, n in graph.nodes.items()}
        for s in rep["sides"]:
            for m in s["members"]:
                side_of[keys[m["actor"]["label"]]] = (s["component"], s["id"])
        direct = {}
        for st in rep["stances"]:
            if st["direct"]:
                a, b = keys[st["a"]["label"]], keys[st["b"]["label"]]
                direct[frozenset((a, b))] = st["stance"]
        for pair, truth in sorted(gold_pairs(item).items(), key=lambda kv: sorted(kv[0])):
            a, b = sorted(pair)
            (ka, fa), (kb, fb) = (_match(x, recs, graph.nodes, level, item.get("date"))
                                  for x in (a, b))
            if ka is not None and ka == kb and (fa or fb):
                ka = kb = None  # two gold actors read as one fallback node: no judgement
            stance = direct.get(frozenset((ka, kb))) if ka and kb and ka != kb else None
            pred = strict = base_pred = None
            if ka is not None and kb is not None:
                if ka == kb:
                    pred = strict = base_pred = "same"
                else:
                    pred = strict = {"ally": "same", "enemy": "opposed"}.get(stance or "")
                    if ka in side_of and kb in side_of:
                        pred = "same" if side_of[ka] == side_of[kb] else "opposed"
                        if side_of[ka][0] == side_of[kb][0]:
                            strict = pred
                    s = base.get(tuple(sorted((ka, kb))), 0.0)
                    base_pred = "same" if s > 0 else "opposed" if s < 0 else None
            # "direct": an event links the two (a descriptor-only tie, "Iran-backed", is not one)
            dy = graph.edges.get(tuple(sorted((ka, kb)))) if ka and kb and ka != kb else None
            has_edge = (dy is not None and any(st.event_type != "DESCRIPTOR" for st in dy.stories)) \
                or (ka == kb and ka is not None)
            rows.append({"doc": item["id"], "a": a, "b": b, "gold": truth, "ka": ka, "kb": kb,
                         "stance": stance, "subset": "direct" if has_edge else "indirect",
                         "sides": pred, "connected": strict, "baseline": base_pred,
                         "fallback": bool(ka and kb and (fa or fb))})
    return rows


def tally(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Coverage and agreement per system, over all pairs and with / without a direct event."""
    t: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0])  # n, covered, ok
    for r in rows:
        for sysname in ("sides", "connected", "baseline"):
            p = r[sysname]
            for sub in ("all", r["subset"]):
                c = t[(sysname, sub)]
                c[0] += 1
                c[1] += p is not None
                c[2] += p == r["gold"]
    return {f"{s}/{sub}": {"pairs": n, "coverage": cov / n if n else 0.0,
                           "agreement": ok / n if n else 0.0,
                           "agreement_covered": ok / cov if cov else 0.0}
            for (s, sub), (n, cov, ok) in sorted(t.items())}


def evaluate(items: list[dict[str, Any]], by_doc: dict[str, list[dict[str, Any]]], *,
             level: str = "entity", verbose: bool = False, **kw: Any) -> dict[str, Any]:
    rows = pair_rows(items, by_doc, level=level, **kw)
    if verbose:
        for r in rows:
            mark = "ok " if r["sides"] == r["gold"] else "BAD"
            print(f"  {r['doc']} {mark} {r['a']!r:32} {r['b']!r:32} gold={r['gold']:7} "
                  f"sides={r['sides']} connected={r['connected']} base={r['baseline']} "
                  f"[{r['subset']}] keys={r['ka']},{r['kb']}")
    return tally(rows)


def _mentions(name: str, recs: list[dict[str, Any]], key: str | None, level: str,
              day: str | None) -> tuple[bool, bool]:
    """(the actor is in some record under ``key`` or its name, under another key)."""
    actor = resolve_name(name, day)
    names = {name.lower()} | ({actor["name"].lower()} if actor and actor.get("name") else set())
    same = other = False
    for r in recs:
        for a in (r.get("source"), r.get("target")):
            if not a:
                continue
            k = actor_key(a, level)
            if k is not None and key is not None and k.key == key:
                same = True
            elif (a.get("name") or "").lower() in names:
                other = True
    return same, other


def blind_cause(r: dict[str, Any], recs: list[dict[str, Any]], nodes: frozenset[str],
                level: str, day: str | None) -> str:
    """Why a lost pair is lost, from the coded run alone (no gold events to compare with):
    ``both actors keyed as one node``; a gold actor without a node (``actor not coded``: no
    record under its name or key; ``actor coded, no dyad``: records under its key but none
    with a keyed counterpart, as a strike on a place; ``actor under another key``: its name
    with another country or sector); ``wrong stance on edge`` (a direct ally / enemy tie
    against the gold); ``partition (direct tie ...)`` (a neutral or mixed tie, or a right one
    the sides overrule); ``indirect (edges elsewhere)``."""
    if r["ka"] is not None and r["ka"] == r["kb"]:
        return "both actors keyed as one node"
    if r["ka"] is None or r["kb"] is None:
        parts = []
        for name, k in ((r["a"], r["ka"]), (r["b"], r["kb"])):
            if k is not None:
                continue
            actor = resolve_name(name, day)
            key = actor_key(actor, level) if actor else None
            in_key, other = _mentions(name, recs, key.key if key else None, level, day)
            parts.append("actor coded, no dyad" if in_key and (key is None or key.key not in nodes)
                         else "actor under another key" if other or in_key else
                         "actor not coded")
        return min(parts)
    want = {"same": "ally", "opposed": "enemy"}[r["gold"]]
    if r["stance"] in ("ally", "enemy") and r["stance"] != want:
        return "wrong stance on edge"
    if r["stance"] is not None:
        return f"partition (direct tie {r['stance']})"
    return "indirect (edges elsewhere)"


def breakdown(items: list[dict[str, Any]], by_doc: dict[str, list[dict[str, Any]]],
              rows: list[dict[str, Any]], gold_rows: list[dict[str, Any]], *,
              level: str = "entity") -> tuple[Counter[str], list[tuple[str, dict[str, Any]]]]:
    """Why each pair the coded run gets wrong (or abstains on) is lost, given the run on the
    gold events (same analysis, perfect coding):

    - ``analysis (wrong on gold events too)``: partition or stance wrong with perfect coding;
      ``analysis: opposed actors keyed as one node``: with perfect coding too, the two gold
      actors have one node (a state's agents roll up to the state: a split inside a state,
      Catalonia's government against Spain's, is not seen);
    - ``both actors keyed as one node``: only in the coded run (a person coded as an agent of
      the state, a group coded without its name);
    - ``gold events give no dyad for an actor``: not derivable even from the gold events;
    - ``actor not coded`` / ``actor coded, no dyad`` / ``actor under another key``: a gold
      actor has no node (never in a record; in records only with no counterpart; or its
      name appears with another country/sector); ``actor not coded by name (its node is)``:
      the node the gold events give the actor (its state) is there, but no record names the
      actor, so its gold name cannot be read as that node (a minister not coded);
    - ``missing edge`` / ``wrong stance on edge`` / ``spurious edge``: the pair's own direct
      tie is absent, of the wrong sign, or present only in the coded run;
    - ``indirect (edges elsewhere)``: no tie between the two either way; the coded graph
      around them differs.

    An article whose gold has no events (examples/gold/sides.jsonl: no gold event gives any
    actor a node) has nothing to compare with: its pairs are judged on the coded run alone (``blind_cause``), not all called
    "gold events give no dyad"."""
    gold_by = {(r["doc"], r["a"], r["b"]): r for r in gold_rows}
    with_events = {it["id"] for it in items if it.get("events")} | {
        r["doc"] for r in gold_rows if r["ka"] is not None or r["kb"] is not None}
    days = {it["id"]: it.get("date") for it in items}

    @cache
    def coded_nodes(doc: str) -> frozenset[str]:
        return frozenset(build_graph(by_doc.get(doc, []), level=level).nodes)

    causes: Counter[str] = Counter()
    detail = []
    for r in rows:
        if r["sides"] == r["gold"]:
            continue
        g = gold_by[(r["doc"], r["a"], r["b"])]
        if r["doc"] not in with_events:
            cause = blind_cause(r, by_doc.get(r["doc"], []), coded_nodes(r["doc"]), level,
                                days[r["doc"]])
        elif g["sides"] != g["gold"]:
            cause = ("gold events give no dyad for an actor" if g["ka"] is None
                     or g["kb"] is None else
                     "analysis: opposed actors keyed as one node (wrong on gold events too)"
                     if g["ka"] == g["kb"] else "analysis (wrong on gold events too)")
        elif r["ka"] is not None and r["ka"] == r["kb"]:
            cause = "both actors keyed as one node"
        elif r["ka"] is None or r["kb"] is None:
            parts = []
            for name, k, gk in ((r["a"], r["ka"], g["ka"]), (r["b"], r["kb"], g["kb"])):
                if k is not None:
                    continue
                in_key, other = _mentions(name, by_doc.get(r["doc"], []), gk, level,
                                          days[r["doc"]])
                if in_key and gk in coded_nodes(r["doc"]):
                    # its node has ties, but no record names the actor (a minister the coder
                    # did not code, whose state it did): not a missing dyad
                    parts.append("actor not coded by name (its node is)")
                    continue
                parts.append("actor coded, no dyad" if in_key else
                             "actor under another key" if other else "actor not coded")
            cause = min(parts)
        elif g["stance"] and not r["stance"]:
            cause = "missing edge"
        elif r["stance"] and g["stance"] and r["stance"] != g["stance"]:
            cause = "wrong stance on edge"
        elif r["stance"] and not g["stance"]:
            cause = "spurious edge"
        else:
            cause = "indirect (edges elsewhere)"
        causes[cause] += 1
        detail.append((cause, r))
    return causes, detail


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    src = ap.add_mutually_exclusive_group(required=True)
    src.add_argument("--records", type=Path, help="coded records (JSON Lines, CONTRACT §2)")
    src.add_argument("--run", action="store_true", help="run `allegiance code` on the articles")
    src.add_argument("--gold-events", action="store_true", help="records from the gold events")
    ap.add_argument("--gold", type=Path, default=GOLD)
    ap.add_argument("--texts", type=Path, help="a folder of ID.txt files: the articles' texts, for a gold "
                    "file that has none (examples/gold/sides.jsonl with --texts examples/corpus)")
    ap.add_argument("--level", default="entity", choices=("country", "sector", "entity"))
    ap.add_argument("--penalty", type=float, default=0.1)
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    ap.add_argument("--save", type=Path, help="with --run: also write the coded records here")
    ap.add_argument("--breakdown", action="store_true", help="with --run / --records: why each "
                    "lost pair is lost (compared with the same analysis on the gold events)")
    ap.add_argument("--seed", type=Path, nargs="?", const=ROOT.parent / "shared" / "reference"
                    / "seed-article.txt", help="with --run: also code the seed article and "
                    "print its sides")
    ap.add_argument("-v", "--verbose", action="store_true", help="print every pair")
    args = ap.parse_args(argv)
    items = [json.loads(x) for x in args.gold.read_text().splitlines() if x.strip()]
    if args.texts:
        for it in items:
            it.setdefault("text", (args.texts / f"{it['id']}.txt").read_text(encoding="utf-8"))
            it.setdefault("events", [])
    if args.gold_events and any(not it.get("events") for it in items):
        ap.error("--gold-events needs a gold file with events")
    if args.gold_events:
        records = [r for it in items for r in gold_records(it)]
    elif args.run:
        records = run_coder(items)
        if args.save:
            args.save.write_text("".join(json.dumps(r) + "\n" for r in records))
    else:
        records = [json.loads(x) for x in args.records.read_text().splitlines() if x.strip()]
    by_doc: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in records:
        by_doc[str(r.get("doc_id"))].append(r)
    res = evaluate(items, by_doc, level=args.level, verbose=args.verbose, penalty=args.penalty)
    if args.json:
        print(json.dumps(res, indent=1))
        return 0
    if args.seed and args.run:
        seed_check(args.seed, args.level)
    origin = "gold events" if args.gold_events else "coder output"
    print(f"sides benchmark on {args.gold.name} ({len(items)} articles, records from {origin}, "
          f"level {args.level})")
    print(f"{'system':9} {'pairs':>10} {'n':>4} {'coverage':>9} {'agreement':>10} "
          f"{'agr.covered':>12}")
    for key, m in res.items():
        s, sub = key.split("/")
        print(f"{s:9} {sub:>10} {m['pairs']:4d} {m['coverage']:9.1%} {m['agreement']:10.1%} "
              f"{m['agreement_covered']:12.1%}")
    if args.breakdown and not args.gold_events:
        gold_by_doc: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for it in items:
            gold_by_doc[it["id"]] = gold_records(it)
        rows = pair_rows(items, by_doc, level=args.level, penalty=args.penalty)
        gold_rows = pair_rows(items, gold_by_doc, level=args.level, penalty=args.penalty)
        causes, detail = breakdown(items, by_doc, rows, gold_rows, level=args.level)
        via = sum(r["fallback"] and r["sides"] == r["gold"] for r in rows)
        print(f"{via} agreeing pairs rest on a fallback match (named group read as its "
              f"country+sector node)")
        print(f"lost pairs by cause ({sum(causes.values())} of {len(rows)}):")
        for cause, n in causes.most_common():
            print(f"  {n:4d}  {cause}")
        if args.verbose:
            for cause, r in sorted(detail, key=lambda x: (x[0], x[1]["doc"])):
                print(f"  [{cause}] {r['doc']} {r['a']} / {r['b']}: gold {r['gold']}, "
                      f"sides {r['sides']}, keys {r['ka']}, {r['kb']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
