"""Precision and recall of story-event grouping (allegiance.analysis.stories).

    python benchmarks/stories.py                    # codes benchmarks/stories/articles.jsonl with `allegiance run`
    python benchmarks/stories.py --store S.duckdb   # an existing store of those articles
    python benchmarks/stories.py --window 7         # another window
    python benchmarks/stories.py --scale 300000     # speed on synthetic records (plus their own P/R)

The gold (`benchmarks/stories/gold.json`) names, for each real event in the articles, the sentences
that report it and its PLOVER type; a record belongs to the gold event whose sentence it comes from
and whose type it has. Records no gold event claims are counted apart (spurious records) and left out
of the scores. Two measures over the claimed records:

- pairwise: precision = share of record pairs put in one story that belong to one gold event;
  recall = share of record pairs of one gold event put in one story;
- B-cubed: per record, precision = share of its story that is in its gold event, recall = share
  of its gold event that is in its story; averaged over records.

Mirrored pairs (two records of one sentence, "A and B held talks") count as two records.
"""
from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = ROOT / "benchmarks" / "stories" / "articles.jsonl"
GOLD = ROOT / "benchmarks" / "stories" / "gold.json"
sys.path.insert(0, str(ROOT / "src"))


def pairwise(pred: dict[str, str], gold: dict[str, str]) -> tuple[float, float, float]:
    """Pairwise precision, recall, F1 of a clustering ``pred`` (item -> cluster) against ``gold``."""
    items = sorted(gold)
    tp = fp = fn = 0
    by_pred: dict[str, list[str]] = {}
    by_gold: dict[str, list[str]] = {}
    for i in items:
        by_pred.setdefault(pred[i], []).append(i)
        by_gold.setdefault(gold[i], []).append(i)
    for members in by_pred.values():
        for a, b in combinations(members, 2):
            if gold[a] == gold[b]:
                tp += 1
            else:
                fp += 1
    for members in by_gold.values():
        for a, b in combinations(members, 2):
            if pred[a] != pred[b]:
                fn += 1
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def bcubed(pred: dict[str, str], gold: dict[str, str]) -> tuple[float, float, float]:
    """B-cubed precision, recall, F1."""
    by_pred: dict[str, set[str]] = {}
    by_gold: dict[str, set[str]] = {}
    for i in gold:
        by_pred.setdefault(pred[i], set()).add(i)
        by_gold.setdefault(gold[i], set()).add(i)
    ps, rs = [], []
    for i in gold:
        mine, truth = by_pred[pred[i]] & set(gold), by_gold[gold[i]]
        both = len(mine & truth)
        ps.append(both / len(mine))
        rs.append(both / len(truth))
    p, r = sum(ps) / len(ps), sum(rs) / len(rs)
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def score_articles(store: Path, window: int) -> dict:
    from allegiance.analysis.stories import load_stories, stories_by_event
    from allegiance.store import Store

    events = json.loads(GOLD.read_text(encoding="utf-8"))["events"]
    with Store(store, read_only=True) as db:
        recs = list(db.records())
        stories = load_stories(db.con, window)[1]
    by_event = stories_by_event(stories)
    gold: dict[str, str] = {}
    missing = []
    for ev in events:
        for doc_id, words in ev["mentions"]:
            hits = [r for r in recs if r["doc_id"] == doc_id and words in r["evidence"]["text"]
                    and r["event_type"] == ev["type"]]
            if not hits:
                missing.append(f"{ev['event']}: {doc_id}: {words}")
            for r in hits:
                gold[r["event_id"]] = ev["event"]
    factual = [r for r in recs if r["event_id"] in by_event]
    spurious = [r for r in factual if r["event_id"] not in gold]
    gold = {k: v for k, v in gold.items() if k in by_event}
    pred = {k: by_event[k]["story_id"] for k in gold}
    exact = counts_ok = 0
    for ev in events:
        ids = {k for k, v in gold.items() if v == ev["event"]}
        found = {by_event[k]["story_id"] for k in ids}
        if len(found) == 1:
            story = by_event[next(iter(ids))]
            if set(story["event_ids"]) == ids:
                exact += 1
                counts_ok += all(story[k] == ev[k] for k in ("num_mentions", "num_articles", "num_sources"))
    return {"records": len(recs), "factual": len(factual), "claimed": len(gold), "spurious": len(spurious),
            "missing_mentions": missing, "gold_events": len(events), "stories": len(stories),
            "exact_events": exact, "counts_right": counts_ok,
            "pairwise": pairwise(pred, gold), "bcubed": bcubed(pred, gold)}


def synthetic(n: int, seed: int = 13) -> tuple[list[dict], dict[str, str]]:
    """``n`` flat event rows reporting random underlying events 1-6 times each, with the changes
    real reports show (a coarser or missing place, a missing target sector, a date a day later,
    mirrored pairs for talks); RETURNS (rows, event_id -> underlying event)."""
    import datetime as dt

    rng = random.Random(seed)
    countries = ["SYR", "UKR", "RUS", "ISR", "PSE", "IRN", "USA", "TUR", "SDN", "YEM", "IRQ", "AFG", "NGA", "COD",
                 "ETH", "MMR", "PAK", "IND", "CHN", "FRA", "DEU", "GBR", "SAU", "LBN", "SOM"]
    weights = [12, 12, 10, 8, 6, 6, 6, 5, 4, 4, 3, 3, 3, 3, 3, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1]
    types = ["ASSAULT", "ASSAULT", "ASSAULT", "ACCUSE", "CONSULT", "COERCE", "PROTEST", "SANCTION", "AID", "THREATEN"]
    sectors = ["GOV", "MIL", "REB", "CVL", "COP"]
    cities = {c: [(f"{c.lower()}-city-{k}", 10 + i * 2.5 + (k // 6) * 0.5, 20 + (k % 6) * 0.5)
                  for k in range(36)] for i, c in enumerate(countries)}
    words = [f"w{k}" for k in range(3000)]
    base = dt.date(2024, 1, 1).toordinal()
    rows: list[dict] = []
    truth: dict[str, str] = {}
    e = 0
    while len(rows) < n:
        e += 1
        etype = rng.choice(types)
        src, tgt = rng.choices(countries, weights, k=2)
        s_sec, t_sec = rng.choice(sectors), rng.choice(sectors)
        city = rng.choice(cities[rng.choice([src, tgt])])
        day = base + rng.randrange(365)
        vocab = rng.sample(words, 12)
        for rep in range(min(6, 1 + int(rng.expovariate(0.9)))):
            doc = f"d{e}-{rep}"
            place = rng.random()
            date = day + (1 if rng.random() < 0.15 else 0)
            pairs = [(src, s_sec, tgt, t_sec if rng.random() > 0.2 else None)]
            if etype == "CONSULT":
                pairs.append((tgt, pairs[0][3], src, s_sec))
            for k, (a, a_sec, b, b_sec) in enumerate(pairs):
                eid = f"{len(rows):016x}"
                truth[eid] = f"e{e}"
                rows.append({
                    "event_id": eid, "doc_id": doc, "sentence": rng.randrange(12), "evidence_trigger_start": k,
                    "event_type": etype, "mode": None, "cameo": "190", "cameo_root": "19", "quad_class": 4,
                    "goldstein": -10.0, "source_text": a, "source_name": None, "source_country": a,
                    "source_sector": a_sec, "source_id": None, "target_text": b, "target_name": None,
                    "target_country": b, "target_sector": b_sec, "target_id": None,
                    "date": dt.date.fromordinal(date), "date_precision": "day",
                    "location_text": None if place < 0.1 else city[0],
                    "location_name": None if place < 0.1 else (city[0] if place > 0.3 else city[0].split("-")[0].upper()),
                    "location_country": None if place < 0.1 else city[0].split("-")[0].upper(),
                    "location_admin1": None, "location_lat": city[1] if place > 0.3 else None,
                    "location_lon": city[2] if place > 0.3 else None, "location_geonameid": None,
                    "location_precision": None if place < 0.1 else ("city" if place > 0.3 else "country"),
                    "certainty": 0.8, "evidence_text": " ".join(rng.sample(vocab, 8)),
                    "doc_publisher": f"pub{rng.randrange(40)}", "doc_url": None,
                    "doc_published": dt.date.fromordinal(date + 1), "rule": "+mutual" if k else ""})
    rows = rows[:n]
    return rows, {r["event_id"]: truth[r["event_id"]] for r in rows}


def scale(n: int, window: int) -> None:
    import os

    import duckdb

    from allegiance.analysis.stories import group_records, refresh_stories
    from allegiance.store import EVENT_COLUMNS, Store

    rows, truth = synthetic(n)
    t0 = time.perf_counter()
    stories = group_records(rows, window)
    t1 = time.perf_counter()
    pred = {e: s["story_id"] for s in stories for e in s["event_ids"]}
    print(f"synthetic: {n:,} records of {len(set(truth.values())):,} underlying events -> {len(stories):,} stories "
          f"in {t1 - t0:.1f} s (group_records)")
    if n <= 400_000:
        p, r, f = pairwise(pred, truth)
        print(f"  pairwise P/R/F1 {p:.3f} / {r:.3f} / {f:.3f}")
    p, r, f = bcubed(pred, truth)
    print(f"  B-cubed  P/R/F1 {p:.3f} / {r:.3f} / {f:.3f}")
    with tempfile.TemporaryDirectory() as tmp:  # the same records in a store: `allegiance run`'s refresh
        path = Path(tmp) / "scale.duckdb"
        Store(path).close()
        ndjson = Path(tmp) / "rows.jsonl"
        names = [c for c, _ in EVENT_COLUMNS]
        with ndjson.open("w", encoding="utf-8") as f:
            for row in rows:
                out = {c: row.get(c) for c in names if c in row}
                out["date"] = row["date"].isoformat()
                out["doc_published"] = row["doc_published"].isoformat()
                out["modality_negated"] = out["modality_hypothetical"] = False
                out["record"] = {"rule": row["rule"]}
                f.write(json.dumps(out) + "\n")
        con = duckdb.connect(str(path))
        types = {c: t.replace(" PRIMARY KEY", "") for c, t in EVENT_COLUMNS}
        spec = "{" + ", ".join(f"'{c}': '{types[c]}'" for c in names) + "}"
        con.execute(f"INSERT INTO events SELECT * FROM read_json('{ndjson}', columns={spec}, format='newline_delimited')")
        t2 = time.perf_counter()
        stored = refresh_stories(con, window)
        t3 = time.perf_counter()
        con.close()
        size = os.path.getsize(path)
    print(f"  store refresh (read, group, write {stored:,} stories): {t3 - t2:.1f} s; store {size / 1e6:.0f} MB")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--store", type=Path, help="A store of benchmarks/stories/articles.jsonl (default: code it now).")
    ap.add_argument("--engine", default="auto", help="Engine for coding the articles (default: the default).")
    ap.add_argument("--window", type=int, default=2, help="Story window in days (default 2).")
    ap.add_argument("--scale", type=int, help="Also time the grouping of this many synthetic records.")
    ap.add_argument("--json", action="store_true", help="Print the figures as JSON.")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        store = args.store
        if store is None:
            store = Path(tmp) / "stories.duckdb"
            p = subprocess.run([sys.executable, "-m", "allegiance.cli", "run", str(ARTICLES), "--store", str(store),
                                "--engine", args.engine], capture_output=True, text=True, cwd=ROOT)
            if p.returncode != 0:
                sys.exit(p.stderr)
        res = score_articles(store, args.window)
    if args.json:
        print(json.dumps(res, indent=1))
    else:
        print(f"articles: {ARTICLES.relative_to(ROOT)} (8 written for the project); window {args.window} days")
        print(f"  records {res['records']} (factual {res['factual']}); claimed by the gold {res['claimed']}; "
              f"spurious {res['spurious']}; gold mentions the coder missed {len(res['missing_mentions'])}")
        for m in res["missing_mentions"]:
            print(f"    missed: {m}")
        print(f"  gold events {res['gold_events']}, stories {res['stories']}; events that are exactly one story "
              f"{res['exact_events']}, with the right mention/article/source counts {res['counts_right']}")
        print("  pairwise P/R/F1 {:.3f} / {:.3f} / {:.3f}".format(*res["pairwise"]))
        print("  B-cubed  P/R/F1 {:.3f} / {:.3f} / {:.3f}".format(*res["bcubed"]))
    if args.scale:
        scale(args.scale, args.window)


if __name__ == "__main__":
    main()
