"""Benchmark: sides and hostile pairs from event records against the gold articles.

    python benchmarks/sides.py --gold-events          # records built from the gold events
    python benchmarks/sides.py --records OUT.jsonl    # records from `allegiance code`
    python benchmarks/sides.py --run                  # run `allegiance code` on the articles

For each gold article, sides are computed from that article's records only. Gold pairs: two
actors listed in the same gold side are "same"; actors in different gold sides and every
`hostile_pairs` pair are "opposed" (hostile wins). "sides" predicts as a reader of the CONTRACT
§4 JSON would: "same" / "opposed" from side membership when both actors are in sides, else from
the direct stance (ally / enemy), else it abstains. "connected" is the stricter reading that
never calls two actors opposed when no path of events links them (sides in different
components). The baseline predicts the sign of summed Goldstein per pair (no prediction
without a direct event). Agreement is over all named pairs (abstaining counts as wrong) and
over covered pairs, overall and on pairs with / without a direct event between them.

Gold names are free text; the matcher (``match_name``) maps them to actor keys:
1. equality with a node's name or label, then with a canonical actor name in the records (the
   key it rolls up to);
2. a country name or adjective plus an agent word ("Syrian rebels" -> SYR REB, "Sudanese army"
   -> SDN MIL, rolled up at entity level to the state); a country word used as "X-backed",
   "X-aligned" or "X-linked" is an affiliation, not the actor's country; with no country, a
   jihadist word gives IMG REB, another agent word the only node with that sector;
3. the country alone. A name that resolves to no node of the article's graph is not covered.
"""
from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from allegiance.analysis.graph import (SHORT_NAMES, actor_key, baseline_signs,  # noqa: E402
                                       build_graph)
from allegiance.analysis.sides import report_from_graph  # noqa: E402

GOLD = ROOT.parent / "shared" / "gold" / "articles.jsonl"
QUAD = {"AGREE": 1, "CONSULT": 1, "SUPPORT": 1, "CONCEDE": 1, "COOPERATE": 2, "AID": 2,
        "RETREAT": 2, "REQUEST": 3, "ACCUSE": 3, "REJECT": 3, "THREATEN": 3, "PROTEST": 4,
        "SANCTION": 4, "MOBILIZE": 4, "COERCE": 4, "ASSAULT": 4}
DEMONYMS = {
    "afghan": "AFG", "american": "USA", "algerian": "DZA", "armenian": "ARM",
    "azerbaijani": "AZE", "bahraini": "BHR", "belarusian": "BLR", "british": "GBR",
    "burundian": "BDI", "chadian": "TCD", "chinese": "CHN", "congolese": "COD",
    "egyptian": "EGY", "emirati": "ARE", "ethiopian": "ETH", "french": "FRA",
    "georgian": "GEO", "german": "DEU", "indian": "IND", "iranian": "IRN", "iraqi": "IRQ",
    "israeli": "ISR", "jordanian": "JOR", "kenyan": "KEN", "kuwaiti": "KWT",
    "lebanese": "LBN", "libyan": "LBY", "lithuanian": "LTU", "malian": "MLI",
    "moroccan": "MAR", "nigerian": "NGA", "nigerien": "NER", "pakistani": "PAK",
    "palestinian": "PSE", "qatari": "QAT", "russian": "RUS", "rwandan": "RWA", "saudi": "SAU",
    "somali": "SOM", "sudanese": "SDN", "syrian": "SYR", "taiwanese": "TWN", "tunisian": "TUN",
    "turkish": "TUR", "ugandan": "UGA", "ukrainian": "UKR", "yemeni": "YEM", "us": "USA",
    "u.s.": "USA", "uk": "GBR", "eu": "EUR", "un": "UNO",
}
AGENT_WORDS = {
    "rebel": "REB", "rebels": "REB", "insurgents": "REB", "fighters": "REB", "jihadists": "REB",
    "jihadist": "REB", "militants": "REB", "islamists": "REB", "army": "MIL", "military": "MIL",
    "forces": "MIL", "force": "MIL", "troops": "MIL", "soldiers": "MIL", "government": "GOV",
    "regime": "GOV", "militia": "PRM", "militias": "PRM", "paramilitaries": "PRM",
    "protesters": "CVL", "demonstrators": "CVL", "civilians": "CVL", "police": "COP",
    "students": "EDU", "workers": "LAB", "refugees": "REF", "opposition": "OPP",
}
JIHADIST = {"jihadists", "jihadist", "islamists"}
AFFILIATION = re.compile(r"-(backed|aligned|linked|led|allied|sponsored|trained)\b")


def _country_words() -> dict[str, str]:
    """Country names, aliases and adjectives -> ISO3: pycountry, the project's country catalog
    (``data/actors/countries.yaml``) when present, and the small DEMONYMS table."""
    import pycountry

    words = {k: v for k, v in DEMONYMS.items()}
    try:
        from importlib.resources import files

        import yaml

        doc = yaml.safe_load((files("allegiance") / "data" / "actors" / "countries.yaml")
                             .read_text(encoding="utf-8"))
        for c in doc if isinstance(doc, list) else []:
            for n in [c.get("name"), *(c.get("aliases") or []), *(c.get("adjectives") or []),
                      *(c.get("demonyms") or [])]:
                if n and c.get("iso3"):
                    words.setdefault(str(n).lower(), c["iso3"])
    except (OSError, ImportError, ValueError, AttributeError, TypeError):
        pass
    for c in pycountry.countries:
        for n in (c.name, getattr(c, "common_name", None), getattr(c, "official_name", None)):
            if n:
                words[n.lower()] = c.alpha_3
    for code, n in SHORT_NAMES.items():
        words[n.lower()] = code
    return words


COUNTRY_WORDS = _country_words()


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


def seed_check(path: Path, level: str = "entity") -> None:
    """Code the seed article and print its sides, with the US-Russia relation and evidence."""
    text = path.read_text(encoding="utf-8")
    recs = run_coder([{"id": "seed", "text": text, "date": "2015-10-01"}])
    graph = build_graph(recs, level=level)
    rep = report_from_graph(graph)
    by_id = {r["event_id"]: r for r in recs}
    print(f"seed article: {len(recs)} records, {len(graph.nodes)} actors")
    for s in rep["sides"]:
        print(f"  side {s['id']}: " + ", ".join(
            f"{m['actor']['label']} ({m['confidence']:.2f})" for m in s["members"]))
    for u in rep["unaligned"]:
        print(f"  {u['role']}: {u['actor']['label']}")
    where = {m["actor"]["label"]: s["id"] for s in rep["sides"] for m in s["members"]}
    us, ru = where.get("United States"), where.get("Russia")
    print(f"  United States side {us}, Russia side {ru}: "
          f"{'opposing' if us is not None and ru is not None and us != ru else 'NOT opposing'}")
    for s in rep["sides"]:
        for m in s["members"]:
            if m["actor"]["label"] in ("United States", "Russia"):
                for eid in m["evidence"]:
                    e = by_id.get(eid, {})
                    print(f"    {m['actor']['label']}: {e.get('event_type')} "
                          f"{((e.get('evidence') or {}).get('text') or '')[:100]!r}")


def match_name(name: str, records: list[dict[str, Any]], nodes: dict[str, Any],
               level: str = "entity") -> str | None:
    """Map a free-text gold actor name to a node key of this article's graph (or None)."""
    low = name.strip().lower()
    for k, n in nodes.items():
        if low in {(n.name or "").lower(), n.label.lower()}:
            return k
    for r in records:
        for a in (r.get("source"), r.get("target")):
            if a and (a.get("name") or "").lower() == low:
                key = actor_key(a, level)
                if key is not None and key.key in nodes:
                    return key.key
    text = AFFILIATION.sub(" <affil>", low)
    country = None
    for w in sorted(COUNTRY_WORDS, key=len, reverse=True):
        m = re.search(rf"(?<![\w-]){re.escape(w)}(?![\w-])(?! <affil>)", text)
        if m:
            country = COUNTRY_WORDS[w]
            break
    sector = next((AGENT_WORDS[t] for t in re.findall(r"[a-z.]+", text) if t in AGENT_WORDS),
                  None)
    if country is None and sector is not None:
        if sector == "REB" and JIHADIST & set(re.findall(r"[a-z]+", text)):
            key = actor_key({"country": "IMG", "sector": "REB", "name": None}, level)
            return key.key if key and key.key in nodes else None
        same = [k for k, n in nodes.items() if n.sector == sector]
        return same[0] if len(same) == 1 else None
    if country is None:
        return None
    for cand in ({"country": country, "sector": sector, "name": None},
                 {"country": country, "sector": None, "name": None}):
        key = actor_key(cand, level)
        if key is not None and key.key in nodes:
            return key.key
    return None


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


def evaluate(items: list[dict[str, Any]], by_doc: dict[str, list[dict[str, Any]]], *,
             level: str = "entity", verbose: bool = False, score: str = "goldstein",
             deescalation: str = "adversarial", **kw: Any) -> dict[str, Any]:
    tally: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0, 0])  # n, covered, ok
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
            ka, kb = (match_name(x, recs, graph.nodes, level) for x in (a, b))
            has_edge = ka is not None and kb is not None and (
                frozenset((ka, kb)) in direct)
            pred = strict = base_pred = None
            if ka is not None and kb is not None:
                if ka == kb:
                    pred = strict = base_pred = "same"
                else:
                    stance = {"ally": "same", "enemy": "opposed"}.get(
                        direct.get(frozenset((ka, kb)), ""))
                    pred = strict = stance
                    if ka in side_of and kb in side_of:
                        pred = "same" if side_of[ka] == side_of[kb] else "opposed"
                        if side_of[ka][0] == side_of[kb][0]:
                            strict = pred
                    s = base.get(tuple(sorted((ka, kb))), 0.0)
                    base_pred = "same" if s > 0 else "opposed" if s < 0 else None
            subset = "direct" if has_edge or ka == kb and ka is not None else "indirect"
            for sysname, p in (("sides", pred), ("connected", strict), ("baseline", base_pred)):
                for sub in ("all", subset):
                    t = tally[(sysname, sub)]
                    t[0] += 1
                    t[1] += p is not None
                    t[2] += p == truth
            if verbose:
                mark = "ok " if pred == truth else "BAD"
                print(f"  {item['id']} {mark} {a!r:32} {b!r:32} gold={truth:7} sides={pred} "
                      f"connected={strict} base={base_pred} [{subset}] keys={ka},{kb}")
    return {f"{s}/{sub}": {"pairs": n, "coverage": cov / n if n else 0.0,
                           "agreement": ok / n if n else 0.0,
                           "agreement_covered": ok / cov if cov else 0.0}
            for (s, sub), (n, cov, ok) in sorted(tally.items())}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    src = ap.add_mutually_exclusive_group(required=True)
    src.add_argument("--records", type=Path, help="coded records (JSON Lines, CONTRACT §2)")
    src.add_argument("--run", action="store_true", help="run `allegiance code` on the articles")
    src.add_argument("--gold-events", action="store_true", help="records from the gold events")
    ap.add_argument("--gold", type=Path, default=GOLD)
    ap.add_argument("--level", default="entity", choices=("country", "sector", "entity"))
    ap.add_argument("--penalty", type=float, default=0.1)
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    ap.add_argument("--seed", type=Path, nargs="?", const=ROOT.parent / "shared" / "reference"
                    / "seed-article.txt", help="with --run: also code the seed article and "
                    "print its sides")
    ap.add_argument("-v", "--verbose", action="store_true", help="print every pair")
    args = ap.parse_args(argv)
    items = [json.loads(x) for x in args.gold.read_text().splitlines() if x.strip()]
    if args.gold_events:
        records = [r for it in items for r in gold_records(it)]
    elif args.run:
        records = run_coder(items)
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
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
