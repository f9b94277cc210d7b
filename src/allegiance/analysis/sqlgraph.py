"""The signed actor graph aggregated in DuckDB, for sides on big stores (issue 13).

`build_graph_sql(con, ...)` gives the `SignedGraph` that `build_graph` gives for the store's
records, without loading the records into Python: `allegiance sides` and the API's sides use it.
When the store's sides index is fresh and can answer (entity level, no date window, no
half-life, default weights; `analysis.sideindex`), the graph is read from it instead: the same
graph, with the partition of its sides attached.

In SQL (one scan of the ``events`` table):

- the window (undated records belong to every window), the actor keys (the store's distinct
  (name, country, sector) triples are keyed once by `actor_key` in Python and joined as a table),
  self-ties dropped;
- the event weight: 0 when negated or hypothetical, else certainty (1 when missing) x
  ``future_weight`` / ``historical_weight``, clamped to [0, 1];
- the score: Goldstein (PLOVER type or mode score when missing, and always for REQUEST) or the
  PLOVER score; de-escalation (RETREAT, CONCEDE, and talks that end hostilities) as the weak
  conflict signal; a positive claim the same document also denies (a negated record with the
  same document, dyad and type) x ``contested_weight``; half-life decay by age at the newest
  date (or ``until``); the alignment weight of the type;
- story de-duplication: per unordered pair, date and type, the contribution of largest magnitude
  (ties: smallest event id), mirrored records together;
- per pair: cooperation, conflict and the number of stories; the ``max_evidence`` strongest
  stories of each stance with their event ids (evidence), ranked as `Dyad.evidence` ranks them.

In Python, on the few rows concerned:

- whether an AGREE or CONSULT ends hostilities (a regular expression around the trigger): only
  records whose trigger or sentence contains one of its key words are read; likewise whether an
  AGREE is an offer to mediate (`graph.offered_mediation`, left out);
- descriptor ties ("the Iran-backed Houthis", pro-government militias): the records with
  ``affiliations`` or a PRM actor are read and go through `graph._descriptor_stories`; their
  story items join the events' in SQL;
- co-actor ties (joint sources of one act on one target, `graph._joint_stories`): the records
  that share a document, sentence, trigger, type and target text with another are read and go
  through `graph.joint_items`; their items join the events' in SQL as the descriptors' do;
- node attributes when one key has actors with different attributes (a named group once with a
  sector, once without): the first record in store order decides, as in `build_graph`.

Not kept: the directed dyads (``graph.directed`` is empty) and each pair's full story list
(``stories`` holds the strongest ``max_evidence`` of each stance, ``n_events`` counts them all);
with ``all_stories=True`` every story is kept with its first event id (for stance series). A
pair's cooperation and conflict are summed story by story in `build_graph`'s order, so the
report is the same to the last bit (`tests/analysis/test_sides_sql.py`).
"""
from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

import numpy as np

from .graph import (ALIGNMENT_WEIGHT, DEESCALATION, DEESCALATION_SIGNAL, GROUP_CODES, ORG_STATES,
                    PLOVER_MODE_SCORES, country_name,
                    PLOVER_SCORED, PLOVER_SCORES, ActorKey, Dyad, SignedGraph, Story,
                    MEDIATION_WORDS, _descriptor_stories, actor_key, as_record, ends_hostilities,
                    joint_items, offered_mediation)

__all__ = ["build_graph_sql", "sides_report_sql", "timeline_report_sql", "records_by_id", "has_events",
           "date_range"]

# a talk that ends hostilities names one of these (superset of graph.HOSTILITIES_END)
_HOSTILITY_WORDS = ("cease", "truce", "armistice", "prisoner", "hostage", "detainee", "captive")
_ORDER = "doc_id, sentence, evidence_trigger_start, event_id"  # Store.records order


class AggregatedDyad(Dyad):
    """A pair aggregated in SQL: ``pos``, ``neg``, the number of stories, and only the
    strongest stories of each stance (enough for `evidence` up to the limit it was built for)."""

    def __init__(self, pos: float, neg: float, n: int, stories: list[Story]) -> None:
        super().__init__(pos, neg, stories)
        self._n = n

    @property
    def n_events(self) -> int:
        return self._n


def _window(since: str | None, until: str | None, col: str = "date",
            scoped: bool = False) -> tuple[str, list[Any]]:
    """A condition on the events table: the date window (undated events belong to every window)
    and, when ``scoped``, membership of ``_ag_scope`` (the events of one theatre)."""
    cond, params = [], []
    if since:
        cond.append(f"{col} >= ?::DATE")
        params.append(since)
    if until:
        cond.append(f"{col} <= ?::DATE")
        params.append(until)
    out = f"({col} IS NULL OR ({' AND '.join(cond)}))" if cond else "TRUE"
    if scoped:
        prefix = col[: -len("date")]
        out = f"{out} AND {prefix}event_id IN (SELECT event_id FROM _ag_scope)"
    return out, params


def has_events(con: Any) -> bool:
    return con.execute("SELECT 1 FROM events LIMIT 1").fetchone() is not None


def date_range(con: Any, since: str | None = None, until: str | None = None,
               scoped: bool = False) -> tuple[str | None, str | None]:
    """Oldest and newest event date inside [since, until] (ISO strings)."""
    where, params = _window(since, until, scoped=scoped)
    lo, hi = con.execute(f"SELECT min(date), max(date) FROM events WHERE {where}", params).fetchone()
    return (lo.isoformat() if lo else None), (hi.isoformat() if hi else None)


def _objects(values: list[Any]) -> Any:
    """A one-dimensional numpy object array (list values stay lists: np.array would stack them)."""
    out = np.empty(len(values), dtype=object)
    for i, v in enumerate(values):
        out[i] = v
    return out


def _register(con: Any, name: str, columns: dict[str, list[Any]], types: dict[str, str]) -> None:
    """A temporary table from Python columns (works on a read-only connection)."""
    view = f"{name}_src"
    con.register(view, {k: _objects(v) for k, v in columns.items()})
    try:
        cols = ", ".join(f"CAST({k} AS {types[k]}) AS {k}" for k in columns)
        con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT {cols} FROM {view}")
    finally:
        con.unregister(view)


def _actor_table(con: Any, level: str) -> dict[str, list[ActorKey]]:
    """Key every distinct (name, country, sector) of the store at ``level`` into the temporary
    table ``_ag_actor``; RETURNS key -> the distinct ActorKeys found for it."""
    rows = con.execute(
        "SELECT DISTINCT coalesce(source_name, ''), coalesce(source_country, ''), coalesce(source_sector, '') "
        "FROM events UNION SELECT DISTINCT coalesce(target_name, ''), coalesce(target_country, ''), "
        "coalesce(target_sector, '') FROM events").fetchall()
    cols: dict[str, list[Any]] = {"n": [], "c": [], "s": [], "k": []}
    variants: dict[str, list[ActorKey]] = defaultdict(list)
    for n, c, s in rows:
        k = actor_key({"name": n or None, "country": c or None, "sector": s or None}, level)
        if k is None:
            continue
        for col, v in zip("ncsk", (n, c, s, k.key)):
            cols[col].append(v)
        if k not in variants[k.key]:
            variants[k.key].append(k)
    _register(con, "_ag_actor", cols, dict.fromkeys("ncsk", "VARCHAR"))
    return variants


def _score_tables(con: Any) -> None:
    modes = sorted(PLOVER_MODE_SCORES.items())
    _register(con, "_ag_mode", {"t": [t for (t, _), _ in modes], "m": [m for (_, m), _ in modes],
                                "v": [v for _, v in modes]}, {"t": "VARCHAR", "m": "VARCHAR", "v": "DOUBLE"})
    types = sorted(set(PLOVER_SCORES) | set(ALIGNMENT_WEIGHT))
    _register(con, "_ag_type", {"t": types, "v": [PLOVER_SCORES.get(t) for t in types],
                                "a": [ALIGNMENT_WEIGHT.get(t, 0.5) for t in types]},
              {"t": "VARCHAR", "v": "DOUBLE", "a": "DOUBLE"})


def _hostility_table(con: Any, window: str, params: list[Any]) -> None:
    """Event ids of talks that end hostilities (`ends_hostilities`, evaluated in Python on the
    records that name one of its key words) into ``_ag_hostile``."""
    words = " OR ".join(f"contains(lower(coalesce(evidence_text, '') || ' ' || coalesce(evidence_trigger, '')), '{w}')"
                        for w in _HOSTILITY_WORDS)
    rows = con.execute(
        "SELECT event_id, event_type, mode, evidence_text, evidence_trigger, evidence_trigger_start, "
        f"evidence_trigger_end FROM events WHERE event_type IN ('AGREE', 'CONSULT') "
        f"AND coalesce(mode, '') <> 'third-party' AND ({words}) AND {window}", params).fetchall()
    ids = [r[0] for r in rows if ends_hostilities({
        "event_type": r[1], "mode": r[2], "evidence": {"text": r[3], "trigger": r[4], "trigger_start": r[5],
                                                       "trigger_end": r[6]}})]
    _register(con, "_ag_hostile", {"event_id": ids}, {"event_id": "VARCHAR"})
    # offers to mediate (`graph.offered_mediation`): left out of the graph
    words = " OR ".join(f"contains(lower(coalesce(evidence_text, '')), '{w}')" for w in MEDIATION_WORDS)
    rows = con.execute(
        "SELECT event_id, event_type, evidence_text, evidence_start, evidence_trigger_start, evidence_trigger_end "
        f"FROM events WHERE event_type = 'AGREE' AND ({words}) AND {window}", params).fetchall()
    ids = [r[0] for r in rows if offered_mediation({
        "event_type": r[1], "evidence": {"text": r[2], "start": r[3], "trigger_start": r[4], "trigger_end": r[5]}})]
    _register(con, "_ag_offer", {"event_id": ids}, {"event_id": "VARCHAR"})


def _items_sql(window: str, wparams: list[Any], *, score: str, deescalation: str, future_weight: float,
               historical_weight: float, contested_weight: float, half_life_days: float | None,
               ref: str | None, by_theatre: str | None = None) -> tuple[str, list[Any]]:
    """The ``WITH`` clause whose ``items`` are the story items (a, b, d, etype, raw, event_id,
    contrib) of the events that match ``window`` plus the descriptor items of ``_ag_desc``, and
    its parameters. ``by_theatre`` (the sides index, `analysis.sideindex`): ``"all"``, the items
    with a ``scope`` column of '*' (every event together); ``"theatres"``, the items of the events
    that have a theatre (``_ag_theatre``) with that theatre as ``scope``, a denial contesting a
    claim only within the same theatre, as a theatre's own graph does."""
    adversarial = deescalation == "adversarial"
    goldstein = "TRUE" if score == "goldstein" else "FALSE"
    scored = ", ".join(f"'{t}'" for t in sorted(PLOVER_SCORED)) or "''"
    deesc = ", ".join(f"'{t}'" for t in sorted(DEESCALATION))
    decay = ("pow(0.5, greatest(0, ?::DATE - i.date) / ?)" if half_life_days and ref else "1.0")
    decay_params = [ref, float(half_life_days)] if half_life_days and ref else []
    contrib = (f"""i.w0 * (CASE WHEN i.val > 0 AND dn.doc_id IS NOT NULL THEN ? ELSE 1.0 END)
                    * (CASE WHEN i.date IS NOT NULL THEN {decay} ELSE 1.0 END) * i.align * i.val / 10.0""")
    cols = "least(i.skey, i.tkey) AS a, greatest(i.skey, i.tkey) AS b, i.date AS d, i.etype, i.raw, i.event_id"
    item_params = [float(contested_weight), *decay_params]
    theatre_col = theatre_join = denied_t = ""
    if by_theatre:
        theatre_col, theatre_join = ", th.theatre", "LEFT JOIN _ag_theatre th ON th.event_id = e.event_id"
    if by_theatre == "theatres":
        items = f"""
        SELECT i.theatre AS scope, {cols}, {contrib} AS contrib
        FROM v i LEFT JOIN denied_t dn ON dn.doc_id = i.doc_id AND dn.skey = i.skey AND dn.tkey = i.tkey
                                        AND dn.etype = i.etype AND dn.theatre = i.theatre
        WHERE i.theatre IS NOT NULL
        UNION ALL SELECT theatre, a, b, d, etype, raw, event_id, contrib FROM _ag_desc WHERE theatre IS NOT NULL"""
        denied_t = ",\n    denied_t AS (SELECT DISTINCT doc_id, skey, tkey, etype, theatre FROM ev WHERE neg AND theatre IS NOT NULL)"
    else:  # every event together; with by_theatre "all", in one scope '*'
        scope, desc_scope = ("'*' AS scope, ", "'*', ") if by_theatre == "all" else ("", "")
        items = f"""
        SELECT {scope}{cols}, {contrib} AS contrib
        FROM v i LEFT JOIN denied dn ON dn.doc_id = i.doc_id AND dn.skey = i.skey AND dn.tkey = i.tkey
                                      AND dn.etype = i.etype
        UNION ALL SELECT {desc_scope}a, b, d, etype, raw, event_id, contrib FROM _ag_desc"""
    sql = f"""
    WITH ev AS MATERIALIZED (
        SELECT e.event_id, e.doc_id, coalesce(e.event_type, '') AS etype, e.mode, e.date,
               sk.k AS skey, tk.k AS tkey, e.certainty, e.goldstein,
               coalesce(e.modality_negated, FALSE) AS neg, coalesce(e.modality_hypothetical, FALSE) AS hyp,
               coalesce(e.modality_future, FALSE) AS fut, coalesce(e.modality_historical, FALSE) AS hist{theatre_col}
        FROM events e
        JOIN _ag_actor sk ON sk.n = coalesce(e.source_name, '') AND sk.c = coalesce(e.source_country, '')
                         AND sk.s = coalesce(e.source_sector, '')
        JOIN _ag_actor tk ON tk.n = coalesce(e.target_name, '') AND tk.c = coalesce(e.target_country, '')
                         AND tk.s = coalesce(e.target_sector, '')
        {theatre_join}
        WHERE sk.k <> tk.k AND {window} AND e.event_id NOT IN (SELECT event_id FROM _ag_offer)
    ),
    denied AS (SELECT DISTINCT doc_id, skey, tkey, etype FROM ev WHERE neg){denied_t},
    w AS (
        SELECT ev.*, CASE WHEN neg OR hyp THEN 0.0 ELSE least(1.0, greatest(0.0,
                   coalesce(certainty, 1.0) * (CASE WHEN fut THEN ? ELSE 1.0 END)
                                            * (CASE WHEN hist THEN ? ELSE 1.0 END))) END AS w0,
               CASE WHEN {goldstein} AND etype NOT IN ({scored}) AND goldstein IS NOT NULL AND isfinite(goldstein)
                    THEN goldstein ELSE coalesce(ms.v, ts.v, 0.0) END AS raw,
               coalesce(ts.a, 0.5) AS align,
               h.event_id IS NOT NULL AS ends_hostilities
        FROM ev
        LEFT JOIN _ag_mode ms ON ms.t = ev.etype AND ms.m = ev.mode
        LEFT JOIN _ag_type ts ON ts.t = ev.etype
        LEFT JOIN _ag_hostile h ON h.event_id = ev.event_id
    ),
    v AS (
        SELECT w.*, CASE WHEN {'TRUE' if adversarial else 'FALSE'} AND (etype IN ({deesc}) OR ends_hostilities)
                         THEN {DEESCALATION_SIGNAL} ELSE raw END AS val
        FROM w WHERE w0 > 0.0
    ),
    items AS MATERIALIZED ({items}
    )
    """
    return sql, [*wparams, float(future_weight), float(historical_weight), *item_params]


def build_graph_sql(con: Any, *, level: str = "entity", since: str | None = None,
                    until: str | None = None, half_life_days: float | None = None,
                    score: str = "goldstein", deescalation: str = "adversarial",
                    future_weight: float = 0.25, historical_weight: float = 0.5,
                    contested_weight: float = 0.5, shrink: float = 0.3,
                    descriptor_weight: float = 0.25, joint_weight: float = 0.5, max_evidence: int = 10,
                    all_stories: bool = False, theatre: str | None = None) -> SignedGraph:
    """`build_graph` over the store's ``events`` table, aggregated in DuckDB (see module doc).

    ``con`` is a DuckDB connection to the store (read-only is enough: only temporary tables are
    created). ``max_evidence``: stories kept per pair and stance (the evidence limit of the
    report); ``all_stories``: keep every story with its first event id instead; ``theatre``: only
    the events of that theatre (`analysis.theatres`, assigned over the events of the window).
    """
    if score not in ("goldstein", "plover"):
        raise ValueError("score must be 'goldstein' or 'plover'")
    from .sideindex import indexed_graph

    indexed = indexed_graph(con, level=level, since=since, until=until, half_life_days=half_life_days,
                            max_evidence=max_evidence, all_stories=all_stories, theatre=theatre, shrink=shrink,
                            score=score, deescalation=deescalation, future_weight=future_weight,
                            historical_weight=historical_weight, contested_weight=contested_weight,
                            descriptor_weight=descriptor_weight, joint_weight=joint_weight)
    if indexed is not None:  # the stored sides index (`analysis.sideindex`) answers: the same graph
        return indexed
    scoped = theatre is not None
    if scoped:
        from .theatres import theatre_table_sql

        where, params = _window(since, until)
        theatre_table_sql(con, where, params)
        con.execute("CREATE OR REPLACE TEMP TABLE _ag_scope AS SELECT event_id FROM _ag_theatre "
                    "WHERE theatre = ?", [theatre])
    window, wparams = _window(since, until, "e.date", scoped)
    first, newest = date_range(con, since, until, scoped)
    ref = until or newest
    variants = _actor_table(con, level)
    _score_tables(con)
    _hostility_table(con, *_window(since, until, scoped=scoped))
    nodes: dict[str, ActorKey] = {}
    _descriptors(con, level, since, until, half_life_days, ref, descriptor_weight, nodes, scoped)
    _joint(con, level, since, until, half_life_days, ref, joint_weight, nodes, scoped,
           future_weight, historical_weight)
    sql, params = _items_sql(window, wparams, score=score, deescalation=deescalation,
                             future_weight=future_weight, historical_weight=historical_weight,
                             contested_weight=contested_weight, half_life_days=half_life_days, ref=ref)
    k = max(1, int(max_evidence))
    # w0 multiplies in Python's order: certainty x future x historical, x contested x decay,
    # x alignment x value / 10. Stories go to a temporary table, read by the two queries below.
    con.execute("CREATE OR REPLACE TEMP TABLE _ag_stories AS " + sql + """
        , ranked AS (
            SELECT a, b, d, etype, raw, event_id, contrib,
                   row_number() OVER (PARTITION BY a, b, d, etype ORDER BY abs(contrib) DESC, event_id) AS pos
            FROM items)
        SELECT a, b, d, etype, first(contrib ORDER BY pos) AS best, first(raw ORDER BY pos) AS raw,
               list(event_id ORDER BY pos) FILTER (WHERE pos <= ?) AS ids
        FROM ranked GROUP BY a, b, d, etype""", [*params, 1 if all_stories else k])
    # summed story by story in build_graph's order (date, undated first, then type), so that
    # the weights are the same to the last bit
    pairs = con.execute("""
        SELECT a, b, coalesce(list_sum(list(best ORDER BY d NULLS FIRST, etype) FILTER (WHERE best > 0)), 0.0),
               0.0 - coalesce(list_sum(list(best ORDER BY d NULLS FIRST, etype) FILTER (WHERE best <= 0)), 0.0),
               count(*)
        FROM _ag_stories GROUP BY a, b""").fetchall()
    if all_stories:
        story_rows = con.execute("SELECT a, b, strftime(d, '%Y-%m-%d'), etype, best, raw, ids FROM _ag_stories").fetchall()
    else:
        story_rows = con.execute(f"""
            SELECT a, b, strftime(d, '%Y-%m-%d'), etype, best, raw, ids FROM (
                SELECT *, row_number() OVER (PARTITION BY a, b, best > 0
                          ORDER BY CASE WHEN best > 0 THEN -best ELSE best END, ids[1]) AS rk FROM _ag_stories)
            WHERE rk <= {k}""").fetchall()
    con.execute("DROP TABLE IF EXISTS _ag_stories")
    acc: dict[tuple[str, str], list[Any]] = {(a, b): [pos, neg, n, []] for a, b, pos, neg, n in pairs}
    for a, b, d, etype, best, raw, ids in story_rows:
        acc[(a, b)][3].append(Story(d, etype, best, raw, list(ids)))
    edges: dict[tuple[str, str], Dyad] = {}
    for pair in sorted(acc):
        pos, neg, n, stories = acc[pair]
        stories.sort(key=lambda s: (s.date or "", s.event_type, s.event_ids[0]))
        edges[pair] = AggregatedDyad(float(pos), float(neg), int(n), stories)
    used = sorted({x for pair in edges for x in pair})
    nodes = _nodes(con, used, variants, nodes, level, since, until, scoped)
    return SignedGraph(level, nodes, {}, edges, since or first, ref, shrink)


def _descriptors(con: Any, level: str, since: str | None, until: str | None, half_life_days: float | None,
                 ref: str | None, weight: float, nodes: dict[str, ActorKey], scoped: bool = False) -> None:
    """Descriptor story items (patron -> actor) into the temporary table ``_ag_desc``, and their
    actors into ``nodes``: records with ``affiliations`` go through `_descriptor_stories` (their
    JSON is read); the pro-government rule for PRM actors of the other records runs in SQL."""
    cols: dict[str, list[Any]] = {"a": [], "b": [], "d": [], "etype": [], "raw": [], "event_id": [], "contrib": []}
    window, params = _window(since, until, scoped=scoped)
    if weight > 0:
        rows = con.execute(f"SELECT record FROM events WHERE contains(record, '\"affiliations\"') AND {window} "
                           f"ORDER BY {_ORDER}", params).fetchall()
        recs = [as_record(json.loads(r)) for (r,) in rows]
        dir_groups: dict = defaultdict(list)
        und_groups: dict = defaultdict(list)
        _descriptor_stories(recs, level, None, nodes, dir_groups, und_groups, weight, half_life_days, ref)
        for (a, b, d, etype), items in und_groups.items():
            for contrib, raw, event_id in items:
                for col, v in zip(cols, (a, b, d, etype, raw, event_id, contrib)):
                    cols[col].append(v)
    _register(con, "_ag_desc", cols, {"a": "VARCHAR", "b": "VARCHAR", "d": "DATE", "etype": "VARCHAR",
                                      "raw": "DOUBLE", "event_id": "VARCHAR", "contrib": "DOUBLE"})
    if weight <= 0:
        return
    # the pro-government rule: a PRM actor of a state is tied to that state (graph._descriptor_stories)
    countries = [c for (c,) in con.execute(
        "SELECT DISTINCT source_country FROM events WHERE source_sector = 'PRM' UNION "
        "SELECT DISTINCT target_country FROM events WHERE target_sector = 'PRM'").fetchall()
        if c and c not in GROUP_CODES and c not in ORG_STATES]
    patrons: dict[str, list[Any]] = {"c": [], "k": []}
    for c in countries:
        p = actor_key({"relation": "pro-government", "name": country_name(c), "country": c, "sector": None}, level)
        if p is not None:
            patrons["c"].append(c)
            patrons["k"].append(p.key)
            nodes.setdefault(p.key, p)
    _register(con, "_ag_patron", patrons, {"c": "VARCHAR", "k": "VARCHAR"})
    decay = "1.0"
    dparams: list[Any] = []
    if half_life_days and ref:
        decay = "CASE WHEN e.date IS NOT NULL THEN pow(0.5, greatest(0, ?::DATE - e.date) / ?) ELSE 1.0 END"
        dparams = [ref, float(half_life_days)]
    for role in ("source", "target"):
        con.execute(f"""
            INSERT INTO _ag_desc
            SELECT least(p.k, ak.k), greatest(p.k, ak.k), e.date, 'DESCRIPTOR', {PLOVER_SCORES["SUPPORT"]},
                   e.event_id, ? * coalesce(e.certainty, 1.0) * {decay}
            FROM events e
            JOIN _ag_patron p ON p.c = e.{role}_country
            JOIN _ag_actor ak ON ak.n = coalesce(e.{role}_name, '') AND ak.c = e.{role}_country
                             AND ak.s = e.{role}_sector
            WHERE e.{role}_sector = 'PRM' AND ak.k <> p.k AND {window.replace("date", "e.date")}
              AND NOT contains(e.record, '"affiliations"')""", [float(weight), *dparams, *params])


def joint_candidates(con: Any, window: str, params: list[Any], theatre_col: str = "") -> list[Any]:
    """The records of the acts that may have co-actors (`graph.joint_items`: two records of one
    document, sentence, trigger and type with the same target text), every record of such an act
    (a mirrored record is told by its reverse), in store order, each with ``theatre_col`` (an
    expression on ``e``, or nothing)."""
    extra = f", {theatre_col}" if theatre_col else ""
    join = "LEFT JOIN _ag_theatre th ON th.event_id = e.event_id" if "th." in theatre_col else ""
    return con.execute(f"""
        WITH k AS (SELECT DISTINCT doc_id, sentence, evidence_trigger_start, event_type FROM (
                       SELECT doc_id, sentence, evidence_trigger_start, event_type, target_text FROM events e
                       WHERE target_text IS NOT NULL AND evidence_trigger_start IS NOT NULL AND {window}
                       GROUP BY ALL HAVING count(*) > 1))
        SELECT e.record{extra} FROM events e {join}
        SEMI JOIN k ON k.doc_id = e.doc_id AND k.sentence IS NOT DISTINCT FROM e.sentence
                   AND k.evidence_trigger_start = e.evidence_trigger_start
                   AND k.event_type IS NOT DISTINCT FROM e.event_type
        WHERE {window}
        ORDER BY {', '.join('e.' + c for c in _ORDER.split(', '))}""", [*params, *params]).fetchall()


def _joint(con: Any, level: str, since: str | None, until: str | None, half_life_days: float | None,
           ref: str | None, weight: float, nodes: dict[str, ActorKey], scoped: bool,
           future_weight: float, historical_weight: float) -> None:
    """Co-actor story items (`graph.joint_items`) into ``_ag_desc``, their actors into ``nodes``."""
    if weight <= 0:
        return
    window, params = _window(since, until, "e.date", scoped)
    recs = [as_record(json.loads(r)) for (r,) in joint_candidates(con, window, params)]
    rows = []
    for a, b, d, w, eid, _ra, _rb in joint_items(recs, level, None, weight, half_life_days, ref,
                                                 future_weight, historical_weight):
        nodes.setdefault(a.key, a)
        nodes.setdefault(b.key, b)
        rows.append((a.key, b.key, d, "JOINT", PLOVER_SCORES["COOPERATE"], eid, w))
    if rows:
        con.executemany("INSERT INTO _ag_desc VALUES (?, ?, ?::DATE, ?, ?, ?, ?)", rows)


def _nodes(con: Any, used: list[str], variants: dict[str, list[ActorKey]], descriptor_nodes: dict[str, ActorKey],
           level: str, since: str | None, until: str | None, scoped: bool = False) -> dict[str, ActorKey]:
    """The ActorKey of each used key: the only one, or that of its first record in store order
    (source before target), as `build_graph` does; keys only descriptors name keep theirs."""
    out: dict[str, ActorKey] = {}
    open_keys = set()
    for key in used:
        found = variants.get(key, [])
        if len(found) == 1:
            out[key] = found[0]
        elif not found:
            out[key] = descriptor_nodes[key]
        else:
            open_keys.add(key)
    if open_keys:
        _register(con, "_ag_open", {"k": sorted(open_keys)}, {"k": "VARCHAR"})
        window, params = _window(since, until, "e.date", scoped)
        cur = con.execute(f"""
            SELECT sk.k, e.source_name, e.source_country, e.source_sector,
                   tk.k, e.target_name, e.target_country, e.target_sector
            FROM events e
            JOIN _ag_actor sk ON sk.n = coalesce(e.source_name, '') AND sk.c = coalesce(e.source_country, '')
                             AND sk.s = coalesce(e.source_sector, '')
            JOIN _ag_actor tk ON tk.n = coalesce(e.target_name, '') AND tk.c = coalesce(e.target_country, '')
                             AND tk.s = coalesce(e.target_sector, '')
            WHERE sk.k <> tk.k AND {window} AND (sk.k IN (SELECT k FROM _ag_open) OR tk.k IN (SELECT k FROM _ag_open))
            ORDER BY e.{_ORDER.replace(', ', ', e.')}""", params)
        while open_keys:
            batch = cur.fetchmany(1000)
            if not batch:
                break
            for row in batch:
                for key, name, country, sector in (row[0:4], row[4:8]):
                    if key in open_keys:
                        out[key] = actor_key({"name": name, "country": country, "sector": sector}, level)
                        open_keys.discard(key)
        for key in open_keys:  # only in descriptor ties
            out[key] = descriptor_nodes.get(key) or variants[key][0]
    return {k: out[k] for k in sorted(out)}


def records_by_id(con: Any, ids: list[str]) -> list[dict[str, Any]]:
    """The stored records with these event ids (for the evidence shown in tables)."""
    ids = sorted(set(ids))
    if not ids:
        return []
    if len(ids) <= 256:  # a list of constants is looked up in the event id's index (a join scans the table:
        # ~1 s per 10M events); one query, not one per id (240 ids on 10M events: 0.02 s against 0.7 s)
        marks = ", ".join("?" * len(ids))
        rows = con.execute(f"SELECT record FROM events WHERE event_id IN ({marks}) ORDER BY event_id", ids).fetchall()
        return [json.loads(r) for (r,) in rows]
    _register(con, "_ag_ids", {"event_id": ids}, {"event_id": "VARCHAR"})
    rows = con.execute("SELECT record FROM events WHERE event_id IN (SELECT event_id FROM _ag_ids)").fetchall()
    return [json.loads(r) for (r,) in rows]


def sides_report_sql(con: Any, *, level: str = "entity", since: str | None = None, until: str | None = None,
                     half_life_days: float | None = None, max_evidence: int = 10, theatre: str | None = None,
                     **options: Any) -> dict[str, Any]:
    """`sides.sides_report` of the store's events, the graph aggregated in SQL."""
    from .sides import report_from_graph

    graph = build_graph_sql(con, level=level, since=since, until=until, half_life_days=half_life_days,
                            max_evidence=max_evidence, theatre=theatre)
    return report_from_graph(graph, max_evidence=max_evidence, **options)


def timeline_report_sql(con: Any, *, level: str = "entity", window_days: int = 30, step_days: int | None = None,
                        half_life_days: float | None = 30, since: str | None = None,
                        until: str | None = None, theatre: str | None = None) -> dict[str, Any]:
    """`timeline.timeline_report` of the store's events: each window's graph aggregated in SQL;
    stance series and flips from every story (one row per pair, date and type, from SQL)."""
    from .timeline import side_changes, sides_over_time, stance_flips, stance_series

    lo, hi = date_range(con)
    dates = [{"date": d} for d in (lo, hi) if d]  # window_bounds needs only the first and last date
    reports = sides_over_time(dates, level=level, window_days=window_days, step_days=step_days, since=since,
                              until=until, half_life_days=half_life_days,
                              graph_of=lambda **kw: build_graph_sql(con, theatre=theatre, **kw))
    whole = build_graph_sql(con, level=level, since=since, until=until, all_stories=True, theatre=theatre)
    series = stance_series(None, half_life_days=half_life_days, grid_days=max(1, window_days // 4), graph=whole)
    return {"level": level, "window_days": window_days, "half_life_days": half_life_days,
            "windows": reports, "changes": side_changes(reports),
            "series": [{"a": a, "b": b, "points": pts} for (a, b), pts in series.items()],
            "flips": stance_flips(None, half_life_days=half_life_days, graph=whole)}
