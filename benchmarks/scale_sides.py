"""Benchmark: `allegiance sides` and an event query on a big store (issue 13).

    python benchmarks/scale_sides.py                    # 10,000,000 events (store kept in /tmp)
    python benchmarks/scale_sides.py --events 1000000
    python benchmarks/scale_sides.py --store big.duckdb --keep

A store of N events among 2,000 actors over ten years (2015-2024) is generated in DuckDB by SQL
with a fixed seed (hash-based pseudo-random numbers, the same store on every machine and thread
count). Skewed: 80% of the events fall on 300 "hot" pairs (and, within them, mostly on the
first few dozen), the rest on random pairs of actors drawn with a skew (u^2); each hot pair has a leaning (hostile, friendly,
mixed) that draws its event types; Goldstein and quad class follow the type; 3% negated, 2%
hypothetical, 5% future, 5% historical, certainty 0.5-1.0; 1% of the talks mention a ceasefire;
1% of the actors are pro-government militias (PRM, the descriptor rule). Records (the ``record``
JSON column) are compact: enough for the tables of `events` and `sides`, without location and
document fields.

Printed: generation time and store size; the time to refresh the sides index (`analysis.sideindex`:
each theatre's graph and partition, computed once per store state, as `allegiance run` does after
coding); `sides` whole command (table output, a fresh process: start-up, reading the index, the
report, rendering), `sides --format json` and `sides --all --format json`, and the SQL part
(`build_graph_sql`) and report part in one process; with --full-too the same without the index
(the full aggregation over the events, as for a store written since its last refresh);
`sides --window 365d` whole command (with --window-too); `events --actor X --since ... --limit
50`; peak RSS of each command (``os.wait4``). Goal (issue 13): `sides` <= 2 s.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

N_ACTORS = 2000
HOT_PAIRS = 300
COUNTRIES = ("USA RUS CHN UKR SYR IRN ISR PSE LBN IRQ TUR SAU YEM EGY SDN ETH SOM KEN NGA MLI NER BFA "
             "TCD LBY DZA MAR TUN FRA DEU GBR POL ITA ESP IND PAK AFG BGD MMR THA PHL IDN PRK KOR JPN "
             "TWN VNM VEN COL MEX BRA ARG PER BOL CUB HTI COD RWA UGA SSD CAF CMR MOZ ZWE ZAF AGO GEO "
             "ARM AZE BLR KAZ UZB SRB KOS BIH").split()
SECTORS = ("GOV", "MIL", "REB", "PTY", "OPP", "CVL", "COP", "REB", "PRM", "MIL")
TYPES = [  # type, goldstein, quad, conflict?
    ("ASSAULT", -10.0, 4, 1), ("COERCE", -7.0, 4, 1), ("THREATEN", -4.4, 3, 1), ("ACCUSE", -2.0, 3, 1),
    ("SANCTION", -4.5, 3, 1), ("PROTEST", -6.5, 3, 1), ("MOBILIZE", -7.2, 3, 1), ("REJECT", -4.0, 3, 1),
    ("REQUEST", -5.0, 3, 0), ("CONSULT", 1.0, 1, 0), ("AGREE", 4.8, 1, 0), ("SUPPORT", 3.4, 1, 0),
    ("COOPERATE", 6.0, 2, 0), ("AID", 7.4, 2, 0), ("RETREAT", 5.0, 2, 0), ("CONCEDE", 5.0, 2, 0),
]


def actors() -> list[tuple[int, str | None, str, str]]:
    """2,000 actors: states' agents (rolled up to the state), named groups, unnamed groups."""
    out = []
    for j in range(N_ACTORS):
        country = COUNTRIES[j % len(COUNTRIES)]
        sector = SECTORS[(j // len(COUNTRIES)) % len(SECTORS)]
        if sector == "PRM" and j % 10:  # 1 in 100 actors is a pro-government militia
            sector = "REB"
        named = sector in ("REB", "PTY", "OPP", "PRM") or j % 3 == 0
        out.append((j, f"Actor {j}" if named else None, country, sector))
    return out


def u(k: int) -> str:
    """A uniform number in [0, 1) from the row number and salt ``k`` (deterministic)."""
    return f"((hash(i, {k}) % 1000003) / 1000003.0)"


def generate(path: Path, n: int) -> float:
    import duckdb
    import numpy as np

    from allegiance.store import Store

    Store(path).close()  # the schema
    t0 = time.perf_counter()
    con = duckdb.connect(str(path))
    a = actors()
    con.register("actors_src", {"j": np.array([x[0] for x in a]), "name": np.array([x[1] for x in a], dtype=object),
                                "country": np.array([x[2] for x in a], dtype=object),
                                "sector": np.array([x[3] for x in a], dtype=object)})
    con.execute("CREATE TEMP TABLE actors AS SELECT j::INT AS j, name::VARCHAR AS name, country::VARCHAR AS country, "
                "sector::VARCHAR AS sector FROM actors_src")
    con.register("types_src", {"t": np.arange(len(TYPES)), "etype": np.array([x[0] for x in TYPES], dtype=object),
                               "g": np.array([x[1] for x in TYPES]), "q": np.array([x[2] for x in TYPES]),
                               "conflict": np.array([x[3] for x in TYPES])})
    con.execute("CREATE TEMP TABLE types AS SELECT t::INT AS t, etype::VARCHAR AS etype, g::DOUBLE AS g, q::INT AS q, "
                "conflict::INT AS conflict FROM types_src")
    con.execute(f"""
    CREATE TEMP TABLE gen AS
    SELECT i,
           CASE WHEN {u(1)} < 0.8 THEN floor(pow({u(2)}, 3) * {HOT_PAIRS})::INT ELSE -1 END AS hot,
           {u(3)} AS u3, {u(4)} AS u4, {u(5)} AS u5, {u(6)} AS u6, {u(7)} AS u7
    FROM range({n}) r(i)""")
    con.execute(f"""
    CREATE TEMP TABLE ev AS
    SELECT i,
           -- background events: actors drawn with a skew (u^2: low numbers more often)
           CASE WHEN hot >= 0 THEN (hot * 37) % 400 ELSE floor(u3 * u3 * {N_ACTORS})::INT END AS s,
           CASE WHEN hot >= 0 THEN (hot * 53 + 11) % 400 ELSE floor(u4 * u4 * {N_ACTORS})::INT END AS t0,
           -- the pair's leaning: 0 hostile, 1 friendly, 2 mixed; the type follows it
           CASE WHEN hot >= 0 THEN hot % 3 ELSE 2 END AS lean,
           u5, u6, u7
    FROM gen""")
    con.execute(f"""
    INSERT INTO events (event_id, doc_id, sentence, event_type, mode, contexts, cameo, cameo_root, goldstein,
        quad_class, source_text, source_name, source_country, source_sector, target_text, target_name,
        target_country, target_sector, date, date_precision, modality_negated, modality_hypothetical,
        modality_future, modality_historical, certainty, attribution_kind, evidence_text, evidence_start,
        evidence_end, evidence_trigger, evidence_trigger_start, evidence_trigger_end, coder_version, record)
    SELECT event_id, doc_id, sentence, etype, NULL, '', NULL, NULL, g, q, src.name, src.name, src.country, src.sector,
           tgt.name, tgt.name, tgt.country, tgt.sector, day, 'day', neg, hyp, fut, hist, cert, 'author', text, 0,
           length(text), 'ev', 0, 2, 'bench',
           json_object('event_id', event_id, 'doc_id', doc_id, 'sentence', sentence, 'event_type', etype,
                       'mode', NULL, 'goldstein', g, 'quad_class', q, 'date', strftime(day, '%Y-%m-%d'),
                       'source', json_object('name', src.name, 'country', src.country, 'sector', src.sector, 'text', src.name),
                       'target', json_object('name', tgt.name, 'country', tgt.country, 'sector', tgt.sector, 'text', tgt.name),
                       'modality', json_object('negated', neg, 'hypothetical', hyp, 'future', fut, 'historical', hist),
                       'certainty', cert, 'attribution', json_object('speaker', NULL, 'kind', 'author', 'cue', NULL),
                       'evidence', json_object('text', text, 'start', 0, 'end', length(text), 'trigger', 'ev',
                                               'trigger_start', 0, 'trigger_end', 2))
    FROM (
        SELECT 'e' || i AS event_id, 'd' || (i // 8) AS doc_id, (i % 8)::INT AS sentence,
               ty.etype, ty.g, ty.q, e.s, CASE WHEN e.t0 = e.s THEN (e.s + 1) % {N_ACTORS} ELSE e.t0 END AS t,
               DATE '2015-01-01' + floor(u5 * 3652)::INT AS day,
               {u(8)} < 0.03 AS neg, {u(9)} < 0.02 AS hyp, {u(10)} < 0.05 AS fut, {u(11)} < 0.05 AS hist,
               round(0.5 + 0.5 * {u(12)}, 2) AS cert,
               CASE WHEN ty.etype IN ('AGREE', 'CONSULT') AND {u(13)} < 0.01
                    THEN 'The sides agreed on a ceasefire (event ' || i || ').'
                    ELSE 'Synthetic event ' || i || '.' END AS text
        FROM ev e JOIN types ty ON ty.t = CASE
            WHEN lean = 0 THEN CASE WHEN u6 < 0.8 THEN floor(u7 * 9)::INT ELSE 9 + floor(u7 * 7)::INT END
            WHEN lean = 1 THEN CASE WHEN u6 < 0.8 THEN 9 + floor(u7 * 7)::INT ELSE floor(u7 * 9)::INT END
            ELSE floor(u7 * 16)::INT END
    ) x JOIN actors src ON src.j = x.s JOIN actors tgt ON tgt.j = x.t""")
    con.execute("""INSERT INTO documents (doc_id, content_hash, title, n_events, coder_version)
                   SELECT doc_id, 'bench', doc_id, count(*), 'bench' FROM events GROUP BY doc_id""")
    con.execute("CHECKPOINT")
    con.close()
    return time.perf_counter() - t0


def timed(cmd: list[str]) -> tuple[float, float, int, str]:
    """Seconds, peak RSS (MB), exit code and stderr tail of one fresh process."""
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - t0
    tail = proc.stderr.read()[-300:]
    proc.returncode = os.waitstatus_to_exitcode(status)
    return seconds, usage.ru_maxrss / 1024, proc.returncode, tail


def refresh(path: Path) -> None:
    """Refresh the sides index of the store (in its own process), as `allegiance run` does."""
    import resource

    from allegiance.store import Store

    t0 = time.perf_counter()
    with Store(path) as db:
        n = db.refresh_sides_index()
    print(f"sides index refreshed: {n:,} (scope, pair) rows in {time.perf_counter() - t0:.1f} s "
          f"(peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB)", flush=True)


def parts(path: Path, full: bool = False) -> None:
    """The SQL part and the partition of `sides --all`, timed apart (run in its own process);
    ``full``: without the index."""
    import resource

    from allegiance.analysis import report_from_graph, sideindex
    from allegiance.analysis.sqlgraph import build_graph_sql
    from allegiance.store import Store

    if full:
        sideindex.indexed_graph = lambda *a, **k: None
    with Store(path, read_only=True) as db:
        n = db.query("SELECT count(*) FROM events")[0][0]
        print(("without the index (full aggregation):" if full else "with the index:"), flush=True)
        t0 = time.perf_counter()
        graph = build_graph_sql(db.con)
        t_sql = time.perf_counter() - t0
    rss_sql = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    t0 = time.perf_counter()
    report = report_from_graph(graph)
    t_part = time.perf_counter() - t0
    print(f"{n:,} events; graph: {len(graph.nodes):,} actors, {len(graph.edges):,} pairs; "
          f"{len(report['sides'])} sides, {len(report['unaligned'])} unaligned, {len(report['stances']):,} stances")
    print(f"sides --all, SQL part (build_graph_sql):   {t_sql:6.2f} s  (peak RSS so far {rss_sql:,.0f} MB)")
    print(f"sides --all, partition and report:         {t_part:6.2f} s  (peak RSS "
          f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB)")


def main() -> None:
    if len(sys.argv) in (3, 4) and sys.argv[1] == "--parts":
        parts(Path(sys.argv[2]), full=sys.argv[3:] == ["full"])
        return
    if len(sys.argv) == 3 and sys.argv[1] == "--refresh":
        refresh(Path(sys.argv[2]))
        return
    if len(sys.argv) == 4 and sys.argv[1] == "--generate":
        secs = generate(Path(sys.argv[2]), int(sys.argv[3]))
        print(f"generated {int(sys.argv[3]):,} events in {secs:.1f} s: {sys.argv[2]} "
              f"({Path(sys.argv[2]).stat().st_size / 2**30:.2f} GiB)")
        return
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--events", type=int, default=10_000_000)
    ap.add_argument("--store", type=Path, default=None, help="Use (or create) this store.")
    ap.add_argument("--keep", action="store_true", help="Keep the generated store.")
    ap.add_argument("--window-too", action="store_true", help="Also time `sides --window 365d`.")
    ap.add_argument("--full-too", action="store_true", help="Also time `sides` without the index (full aggregation).")
    args = ap.parse_args()
    path = args.store or Path(tempfile.gettempdir()) / f"allegiance-scale-{args.events}.duckdb"
    if not path.exists():  # in a process of its own: this one stays small
        subprocess.run([sys.executable, __file__, "--generate", str(path), str(args.events)], check=True)
    else:
        print(f"using {path} ({path.stat().st_size / 2**30:.2f} GiB)")
    print(f"load: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} (1, 5 min), {os.cpu_count()} cores")
    subprocess.run([sys.executable, __file__, "--refresh", str(path)], check=True)  # nothing to do when fresh

    exe = [sys.executable, "-m", "allegiance.cli"]
    runs = [("sides (table), whole command", exe + ["sides", "--store", str(path)]),
            ("sides --format json, whole command", exe + ["sides", "--store", str(path), "--format", "json"]),
            ("sides --all --format json, whole command", exe + ["sides", "--store", str(path), "--all", "--format", "json"])]
    if args.window_too:
        runs.append(("sides --window 365d, whole command", exe + ["sides", "--store", str(path), "--window", "365d"]))
    runs.append(("events --actor 'Actor 37' --since 2023-01-01 --limit 50",
                 exe + ["events", "--store", str(path), "--actor", "Actor 37", "--since", "2023-01-01", "--limit", "50"]))
    runs.append(("events --actor SYR --since 2024-06-01 --limit 50 --format jsonl",
                 exe + ["events", "--store", str(path), "--actor", "SYR", "--since", "2024-06-01", "--limit", "50",
                        "--format", "jsonl"]))
    runs.append(("allegiance version (start-up only)", exe + ["version"]))
    for label, cmd in runs:  # this process stays small: a child's peak RSS starts at its parent's
        secs, rss, code, tail = timed(cmd)
        print(f"{label:<62} {secs:6.2f} s  peak RSS {rss:7,.0f} MB" + ("" if code == 0 else f"  EXIT {code}: {tail}"),
              flush=True)
    subprocess.run([sys.executable, __file__, "--parts", str(path)], check=True)
    if args.full_too:
        subprocess.run([sys.executable, __file__, "--parts", str(path), "full"], check=True)
    if not args.keep and args.store is None:
        path.unlink()


if __name__ == "__main__":
    main()
