"""The sides index: each theatre's graph aggregated once and stored, so `allegiance sides` on a big
store reads thousands of rows instead of millions of events (issue 13).

`refresh_sides_index(con)` computes, in one pass over the ``events`` table, what
`sqlgraph.build_graph_sql` computes for one scope, for every scope at once: each theatre (the
theatre of every event assigned once, over the whole store, `theatres.theatre_table_sql`) and
``*`` (every event together, ``sides --all``). Stored, in one transaction:

- ``sides_pairs(scope, a, b, pos, neg, n, evidence)``: per scope and unordered pair, the summed
  cooperation and conflict (summed story by story in `build_graph`'s order, so the same to the
  last bit), the number of stories and the pair's evidence (`Dyad.evidence` of its strongest
  ``MAX_EVIDENCE`` stories of each stance, computed with the very same code);
- ``sides_nodes(scope, key, name, country, sector, label)``: the node of each key the scope's
  pairs use (the first record in store order decides when a key has several variants, as in
  `build_graph`);
- ``sides_theatres(theatre, events, first, last)``: the theatre list (`theatres.list_theatres_sql`
  without a window) and the date range of every scope;
- ``sides_index_state(k, v)``: the store's fingerprint (`stories.store_fingerprint`: documents
  added, replaced or re-coded) and the rule version.

`allegiance run` refreshes it after coding (as it refreshes the stories); the benchmark's
generator after writing its events. Readers use it only when it is fresh: a store written since
(another process, the API's ingest, a run killed before its refresh), an older store without the
tables, or a run killed in the middle of the refresh (one transaction: the old tables and their
old fingerprint stay) is answered by the full aggregation, with the same result. It serves the
entity level without a date window, a half-life or non-default weights (`indexed_graph` says
when); everything else is aggregated from the events as before.
"""
from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

import numpy as np

from .graph import GROUP_CODES, ORG_STATES, PLOVER_SCORES, ActorKey, SignedGraph, Story, \
    _descriptor_stories, actor_key, as_record, country_name, joint_items
from .sqlgraph import _ORDER, AggregatedDyad, _actor_table, _hostility_table, _items_sql, _register, \
    _score_tables, joint_candidates

__all__ = ["INDEX_RULE", "MAX_EVIDENCE", "ALL", "refresh_sides_index", "index_fresh", "indexed_graph",
           "indexed_theatres", "IndexedDyad"]

INDEX_RULE = "3"  # bump when the stored aggregation changes (2: at-odds actors set aside in turn, yield demands -3;
#                  3: co-actor ties)
MAX_EVIDENCE = 10  # event ids stored per pair (the report's default evidence limit)
ALL = "*"  # the scope of every event together
LEVEL = "entity"
TABLES = ("sides_pairs", "sides_nodes", "sides_theatres", "sides_partition", "sides_index_state")
SHRINK = 0.3  # the graph's shrinkage the stored partitions were computed with (build_graph_sql's default)
PARTITION_PARAMS = (0.5, 0.1, 0.25, 0.02, 0)  # alpha, penalty, beta, min_confidence, seed: report_from_graph's defaults
# build_graph_sql's defaults: the only weights the index is computed with
DEFAULTS = {"score": "goldstein", "deescalation": "adversarial", "future_weight": 0.25,
            "historical_weight": 0.5, "contested_weight": 0.5, "descriptor_weight": 0.25, "joint_weight": 0.5}


class IndexedDyad(AggregatedDyad):
    """A pair read from the index: pos, neg, the number of stories and its stored evidence."""

    def __init__(self, pos: float, neg: float, n: int, evidence: list[str]) -> None:
        super().__init__(pos, neg, n, [])
        self._evidence = evidence

    def evidence(self, limit: int | None = 10) -> list[str]:
        return list(self._evidence) if limit is None else self._evidence[:limit]


def _tables(con: Any) -> set[str]:
    return {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main' "
                                      "AND NOT temporary").fetchall()}


def _fingerprint(con: Any) -> str:
    from .stories import store_fingerprint

    return f"{INDEX_RULE}:{store_fingerprint(con)}"


_LAST: list[Any] = [None, False]  # the last read-only connection checked, and its answer


def index_fresh(con: Any) -> bool:
    """True when the stored index was computed from the store as it is now. Remembered for the
    last read-only connection (no process can write the file while it is open)."""
    if _LAST[0] is con:
        return _LAST[1]
    fresh = False
    if set(TABLES) <= _tables(con):
        row = con.execute("SELECT v FROM sides_index_state WHERE k = 'fingerprint'").fetchone()
        fresh = row is not None and row[0] == _fingerprint(con)
    read_only = con.execute("SELECT current_setting('access_mode')").fetchone()[0] == "read_only"
    _LAST[:] = [con, fresh] if read_only else [None, False]
    return fresh


def indexed_theatres(con: Any) -> list[dict[str, Any]] | None:
    """`theatres.list_theatres_sql` without a window, from the index; None when it is not fresh."""
    if not index_fresh(con):
        return None
    rows = con.execute("SELECT theatre, events, first, last FROM sides_theatres WHERE theatre IS DISTINCT FROM ?",
                       [ALL]).fetchall()
    out = [{"code": code, "name": country_name(code) if code else "unplaced", "events": int(n),
            "first": lo.isoformat() if lo else None, "last": hi.isoformat() if hi else None}
           for code, n, lo, hi in rows]
    return sorted(out, key=lambda s: (s["code"] is None, -s["events"], s["name"]))


def indexed_graph(con: Any, *, level: str = "entity", since: str | None = None, until: str | None = None,
                  half_life_days: float | None = None, max_evidence: int = 10, all_stories: bool = False,
                  theatre: str | None = None, shrink: float = 0.3, **weights: Any) -> SignedGraph | None:
    """The graph `build_graph_sql` gives for these arguments, read from the index; None when the
    index cannot answer (not fresh, another level, a date window, a half-life, other weights,
    another evidence limit, every story asked for, a theatre without events)."""
    if (level != LEVEL or since is not None or until is not None or half_life_days or all_stories
            or int(max_evidence) != MAX_EVIDENCE
            or any(weights.get(k, v) != v for k, v in DEFAULTS.items()) or set(weights) - set(DEFAULTS)):
        return None
    if not index_fresh(con):
        return None
    scope = ALL if theatre is None else theatre
    graph = _read_graph(con, scope, shrink)
    if graph is None:
        return None
    if shrink == SHRINK:
        rows = con.execute("SELECT key, label, confidence, role, placed FROM sides_partition WHERE scope = ? "
                           "ORDER BY key", [scope]).fetchall()
        if rows:
            graph.stored_sides = {  # type: ignore[attr-defined]  # read by `sides.compute_sides`
                "params": PARTITION_PARAMS, "order": [r[0] for r in rows],
                "labels": np.array([r[1] for r in rows], dtype=int),
                "confidence": np.array([r[2] for r in rows], dtype=float),
                "roles": {r[0]: r[3] for r in rows if r[3] is not None},
                "all_placed": np.array([r[4] for r in rows], dtype=int)}
    return graph


def _read_graph(con: Any, scope: str, shrink: float) -> SignedGraph | None:
    span = con.execute("SELECT first, last FROM sides_theatres WHERE theatre = ?", [scope]).fetchone()
    if span is None:
        return None
    first, last = (d.isoformat() if d else None for d in span)
    edges: dict[tuple[str, str], Any] = {}
    cur = con.execute("SELECT a, b, pos, neg, n, evidence FROM sides_pairs WHERE scope = ? ORDER BY a, b", [scope])
    while batch := cur.fetchmany(50_000):
        for a, b, pos, neg, n, evidence in batch:
            edges[(a, b)] = IndexedDyad(pos, neg, n, evidence)
    nodes = {key: ActorKey(key, name, country, sector, label) for key, name, country, sector, label in con.execute(
        "SELECT key, name, country, sector, label FROM sides_nodes WHERE scope = ? ORDER BY key", [scope]).fetchall()}
    return SignedGraph(LEVEL, nodes, {}, edges, first, last, shrink)


def _partitions(con: Any) -> None:
    """The sides of every scope's graph (`sides.compute_sides` with the report's defaults) into
    ``sides_partition``: the partition is the costly part of a report, and it depends only on
    the graph."""
    from .sides import compute_sides

    cols: dict[str, list[Any]] = {c: [] for c in ("scope", "key", "label", "confidence", "role", "placed")}
    alpha, penalty, beta, min_confidence, seed = PARTITION_PARAMS
    for (scope,) in con.execute("SELECT theatre FROM sides_theatres WHERE theatre IS NOT NULL ORDER BY theatre").fetchall():
        graph = _read_graph(con, scope, SHRINK)
        if graph is None or not graph.nodes:
            continue
        res = compute_sides(graph, alpha=alpha, penalty=penalty, beta=beta, min_confidence=min_confidence, seed=seed)
        for i, key in enumerate(res["order"]):
            for col, v in zip(cols, (scope, key, int(res["labels"][i]), float(res["confidence"][i]),
                                     res["roles"].get(key), int(res["all_placed"][i]))):
                cols[col].append(v)
    _register(con, "_ag_partition", cols, {"scope": "VARCHAR", "key": "VARCHAR", "label": "INTEGER",
                                           "confidence": "DOUBLE", "role": "VARCHAR", "placed": "INTEGER"})
    con.execute("CREATE OR REPLACE TABLE sides_partition AS SELECT * FROM _ag_partition ORDER BY scope, key")
    con.execute("DROP TABLE IF EXISTS _ag_partition")


# ------------------------------------------------------------------ building it
def _descriptor_items(con: Any, level: str) -> tuple[dict[str, dict[str, ActorKey]], list[ActorKey]]:
    """Descriptor story items of every event into ``_ag_desc`` (with the event's theatre), as
    `sqlgraph._descriptors` makes them for one scope; RETURNS the descriptor nodes of each scope
    (records with ``affiliations``, first in store order) and the patrons of the PRM rule."""
    weight = DEFAULTS["descriptor_weight"]
    cols: dict[str, list[Any]] = {"a": [], "b": [], "d": [], "etype": [], "raw": [], "event_id": [],
                                  "contrib": [], "theatre": []}
    rows = con.execute(f"SELECT e.record, th.theatre FROM events e LEFT JOIN _ag_theatre th ON th.event_id = e.event_id "
                       f"WHERE contains(e.record, '\"affiliations\"') ORDER BY {', '.join('e.' + c for c in _ORDER.split(', '))}"
                       ).fetchall()
    recs = [(as_record(json.loads(r)), t) for r, t in rows]
    scoped: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for rec, t in recs:
        scoped[ALL].append(rec)
        if t is not None:
            scoped[t].append(rec)
    theatre_of = {str(rec.get("event_id") or ""): t for rec, t in recs}
    nodes: dict[str, dict[str, ActorKey]] = {}
    for scope, group in scoped.items():
        nodes[scope] = {}
        und: dict = defaultdict(list)
        _descriptor_stories(group, level, None, nodes[scope], defaultdict(list), und, weight, None, None)
        if scope != ALL:
            continue
        for (a, b, d, etype), items in und.items():
            for contrib, raw, event_id in items:
                for col, v in zip(cols, (a, b, d, etype, raw, event_id, contrib, theatre_of.get(event_id))):
                    cols[col].append(v)
    _register(con, "_ag_desc", cols, {"a": "VARCHAR", "b": "VARCHAR", "d": "DATE", "etype": "VARCHAR",
                                      "raw": "DOUBLE", "event_id": "VARCHAR", "contrib": "DOUBLE",
                                      "theatre": "VARCHAR"})
    countries = [c for (c,) in con.execute(
        "SELECT DISTINCT source_country FROM events WHERE source_sector = 'PRM' UNION "
        "SELECT DISTINCT target_country FROM events WHERE target_sector = 'PRM'").fetchall()
        if c and c not in GROUP_CODES and c not in ORG_STATES]
    patrons: dict[str, list[Any]] = {"c": [], "k": []}
    patron_nodes = []
    for c in countries:
        p = actor_key({"relation": "pro-government", "name": country_name(c), "country": c, "sector": None}, level)
        if p is not None:
            patrons["c"].append(c)
            patrons["k"].append(p.key)
            patron_nodes.append(p)
    _register(con, "_ag_patron", patrons, {"c": "VARCHAR", "k": "VARCHAR"})
    for role in ("source", "target"):
        con.execute(f"""
            INSERT INTO _ag_desc
            SELECT least(p.k, ak.k), greatest(p.k, ak.k), e.date, 'DESCRIPTOR', {PLOVER_SCORES["SUPPORT"]},
                   e.event_id, ? * coalesce(e.certainty, 1.0) * 1.0, th.theatre
            FROM events e
            JOIN _ag_patron p ON p.c = e.{role}_country
            JOIN _ag_actor ak ON ak.n = coalesce(e.{role}_name, '') AND ak.c = e.{role}_country
                             AND ak.s = e.{role}_sector
            LEFT JOIN _ag_theatre th ON th.event_id = e.event_id
            WHERE e.{role}_sector = 'PRM' AND ak.k <> p.k AND NOT contains(e.record, '"affiliations"')""",
                    [float(weight)])
    _joint_items(con, level, nodes)
    return nodes, patron_nodes


def _joint_items(con: Any, level: str, nodes: dict[str, dict[str, ActorKey]]) -> None:
    """Co-actor story items (`graph.joint_items`) into ``_ag_desc``: a pair of records of one
    theatre goes with that theatre (a theatre's own graph sees both), other pairs only with ``*``."""
    rows = joint_candidates(con, "TRUE", [], "th.theatre")
    recs = []
    theatre_of: dict[int, Any] = {}
    for r, t in rows:
        rec = as_record(json.loads(r))
        theatre_of[id(rec)] = t
        recs.append(rec)
    out = []
    for a, b, d, w, eid, ra, rb in joint_items(recs, level, None, DEFAULTS["joint_weight"], None, None,
                                               DEFAULTS["future_weight"], DEFAULTS["historical_weight"]):
        ta, tb = theatre_of[id(ra)], theatre_of[id(rb)]
        theatre = ta if ta is not None and ta == tb else None
        for scope in (ALL, theatre):
            if scope is not None:
                nodes.setdefault(scope, {})
                nodes[scope].setdefault(a.key, a)
                nodes[scope].setdefault(b.key, b)
        out.append((a.key, b.key, d, "JOINT", PLOVER_SCORES["COOPERATE"], eid, w, theatre))
    if out:
        con.executemany("INSERT INTO _ag_desc VALUES (?, ?, ?::DATE, ?, ?, ?, ?, ?)", out)


def _evidence_rows(con: Any, k: int) -> Any:
    """(scope, a, b, evidence) per pair, from the strongest ``k`` stories of each stance."""
    pending: list[Any] = []
    key = None
    pairs = {}
    for scope, a, b, pos, neg in con.execute("SELECT scope, a, b, pos, neg FROM _ag_pairs").fetchall():
        pairs[(scope, a, b)] = (pos, neg)
    cur = con.execute(f"""
        SELECT scope, a, b, strftime(d, '%Y-%m-%d'), etype, best, raw, ids FROM (
            SELECT *, row_number() OVER (PARTITION BY scope, a, b, best > 0
                      ORDER BY CASE WHEN best > 0 THEN -best ELSE best END, ids[1]) AS rk FROM _ag_stories)
        WHERE rk <= {k} ORDER BY scope, a, b""")

    def flush() -> Any:
        pos, neg = pairs[key]
        pending.sort(key=lambda s: (s.date or "", s.event_type, s.event_ids[0]))  # as build_graph_sql holds them
        dyad = AggregatedDyad(pos, neg, 0, pending)
        return (*key, dyad.evidence(k))

    while batch := cur.fetchmany(50_000):
        for scope, a, b, d, etype, best, raw, ids in batch:
            if (scope, a, b) != key:
                if key is not None:
                    yield flush()
                key, pending = (scope, a, b), []
            pending.append(Story(d, etype, best, raw, list(ids)))
    if key is not None:
        yield flush()


def _nodes(con: Any, level: str, variants: dict[str, list[ActorKey]], desc_nodes: dict[str, dict[str, ActorKey]],
           patrons: list[ActorKey]) -> dict[str, list[Any]]:
    """The rows of ``sides_nodes``: per scope, the node of each key its pairs use (`sqlgraph._nodes`)."""
    used: dict[str, list[str]] = defaultdict(list)
    for scope, key in con.execute("SELECT DISTINCT scope, k FROM (SELECT scope, a AS k FROM _ag_pairs UNION ALL "
                                  "SELECT scope, b FROM _ag_pairs) ORDER BY scope, k").fetchall():
        used[scope].append(key)
    open_keys = sorted(k for k, v in variants.items() if len(v) > 1)
    first: dict[tuple[str, str], ActorKey] = {}
    if open_keys:
        _register(con, "_ag_open", {"k": open_keys}, {"k": "VARCHAR"})
        occ = []
        for role, key_col, other in (("source", "sk", "tk"), ("target", "tk", "sk")):
            occ.append(f"""
                SELECT th.theatre, {key_col}.k AS key, e.{role}_name AS n, e.{role}_country AS c,
                       e.{role}_sector AS s, e.doc_id, e.sentence, e.evidence_trigger_start AS ts, e.event_id,
                       {0 if role == 'source' else 1} AS role
                FROM events e
                JOIN _ag_actor sk ON sk.n = coalesce(e.source_name, '') AND sk.c = coalesce(e.source_country, '')
                                 AND sk.s = coalesce(e.source_sector, '')
                JOIN _ag_actor tk ON tk.n = coalesce(e.target_name, '') AND tk.c = coalesce(e.target_country, '')
                                 AND tk.s = coalesce(e.target_sector, '')
                LEFT JOIN _ag_theatre th ON th.event_id = e.event_id
                WHERE sk.k <> tk.k AND {key_col}.k IN (SELECT k FROM _ag_open)""")
        rows = con.execute(f"""
            WITH occ AS ({' UNION ALL '.join(occ)}),
            scoped AS (SELECT '{ALL}' AS scope, * EXCLUDE (theatre) FROM occ
                       UNION ALL SELECT theatre, * EXCLUDE (theatre) FROM occ WHERE theatre IS NOT NULL)
            SELECT scope, key, n, c, s FROM (
                SELECT *, row_number() OVER (PARTITION BY scope, key ORDER BY doc_id, sentence, ts, event_id, role) AS rk
                FROM scoped) WHERE rk = 1""").fetchall()
        for scope, key, n, c, s in rows:
            first[(scope, key)] = actor_key({"name": n, "country": c, "sector": s}, level)
    out: dict[str, list[Any]] = {c: [] for c in ("scope", "key", "name", "country", "sector", "label")}
    for scope, keys in used.items():
        dnodes = dict(desc_nodes.get(scope, {}))
        for p in patrons:
            dnodes.setdefault(p.key, p)
        for key in keys:
            found = variants.get(key, [])
            if len(found) == 1:
                node = found[0]
            elif not found:
                node = dnodes[key]
            else:
                node = first.get((scope, key)) or dnodes.get(key) or found[0]
            for col, v in zip(out, (scope, key, node.name, node.country, node.sector, node.label)):
                out[col].append(v)
    return out


def _build(con: Any) -> int:
    from .theatres import theatre_table_sql

    level = LEVEL
    theatre_table_sql(con)
    variants = _actor_table(con, level)
    _score_tables(con)
    _hostility_table(con, "TRUE", [])
    desc_nodes, patrons = _descriptor_items(con, level)
    w = {k: v for k, v in DEFAULTS.items() if k not in ("descriptor_weight", "joint_weight")}
    # every event's items come twice (scope '*' and its theatre): ranked one half at a time, so that
    # DuckDB's working memory (capped, `store._duckdb_config`) holds one scope class, as the full
    # aggregation of one scope does
    for i, half in enumerate(("all", "theatres")):
        sql, params = _items_sql("TRUE", [], half_life_days=None, ref=None, by_theatre=half, **w)
        con.execute(("CREATE OR REPLACE TEMP TABLE _ag_stories AS " if i == 0 else "INSERT INTO _ag_stories ")
                    + sql + """
        , ranked AS (
            SELECT scope, a, b, d, etype, raw, event_id, contrib,
                   row_number() OVER (PARTITION BY scope, a, b, d, etype ORDER BY abs(contrib) DESC, event_id) AS pos
            FROM items)
        SELECT scope, a, b, d, etype, first(contrib ORDER BY pos) AS best, first(raw ORDER BY pos) AS raw,
               list(event_id ORDER BY pos) FILTER (WHERE pos <= ?) AS ids
        FROM ranked GROUP BY scope, a, b, d, etype""", [*params, MAX_EVIDENCE])
    con.execute("""
        CREATE OR REPLACE TEMP TABLE _ag_pairs AS
        SELECT scope, a, b,
               coalesce(list_sum(list(best ORDER BY d NULLS FIRST, etype) FILTER (WHERE best > 0)), 0.0) AS pos,
               0.0 - coalesce(list_sum(list(best ORDER BY d NULLS FIRST, etype) FILTER (WHERE best <= 0)), 0.0) AS neg,
               count(*) AS n
        FROM _ag_stories GROUP BY scope, a, b""")
    evidence: dict[str, list[Any]] = {"scope": [], "a": [], "b": [], "evidence": []}
    for scope, a, b, ids in _evidence_rows(con, MAX_EVIDENCE):
        for col, v in zip(evidence, (scope, a, b, ids)):
            evidence[col].append(v)
    _register(con, "_ag_evidence", evidence, {"scope": "VARCHAR", "a": "VARCHAR", "b": "VARCHAR",
                                              "evidence": "VARCHAR[]"})
    nodes = _nodes(con, level, variants, desc_nodes, patrons)
    _register(con, "_ag_nodes", nodes, dict.fromkeys(nodes, "VARCHAR"))
    con.execute("DROP TABLE IF EXISTS _ag_stories")
    fingerprint = _fingerprint(con)
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute("CREATE OR REPLACE TABLE sides_pairs AS SELECT p.scope, p.a, p.b, p.pos, p.neg, p.n::INTEGER AS n, "
                    "coalesce(ev.evidence, []::VARCHAR[]) AS evidence FROM _ag_pairs p LEFT JOIN _ag_evidence ev "
                    "ON ev.scope = p.scope AND ev.a = p.a AND ev.b = p.b ORDER BY p.scope, p.a, p.b")
        con.execute("CREATE OR REPLACE TABLE sides_nodes AS SELECT * FROM _ag_nodes ORDER BY scope, key")
        con.execute(f"""CREATE OR REPLACE TABLE sides_theatres AS
            SELECT theatre, count(*)::BIGINT AS events, min(date) AS first, max(date) AS last FROM _ag_theatre GROUP BY theatre
            UNION ALL SELECT '{ALL}', count(*)::BIGINT, min(date), max(date) FROM events""")
        _partitions(con)
        con.execute("CREATE OR REPLACE TABLE sides_index_state (k VARCHAR, v VARCHAR)")
        con.execute("INSERT INTO sides_index_state VALUES ('fingerprint', ?), ('rule', ?), ('level', ?), "
                    "('max_evidence', ?)", [fingerprint, INDEX_RULE, level, str(MAX_EVIDENCE)])
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    n = int(con.execute("SELECT count(*) FROM _ag_pairs").fetchone()[0])
    for t in ("_ag_pairs", "_ag_evidence", "_ag_nodes"):
        con.execute(f"DROP TABLE IF EXISTS {t}")
    return n


def refresh_sides_index(con: Any, *, force: bool = False) -> int:
    """Recompute the stored sides index (one transaction) unless it is fresh; RETURNS the number
    of (scope, pair) rows. ``con``: a writable DuckDB connection to the store."""
    if not force and index_fresh(con):
        return int(con.execute("SELECT count(*) FROM sides_pairs").fetchone()[0])
    return _build(con)
