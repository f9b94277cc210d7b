"""Sides (coalitions) and pairwise stances from a signed actor graph.

Partitioning minimises the penalised frustration

    F(C) = alpha * sum(|w| of negative ties inside sides)
         + (1 - alpha) * sum(w of positive ties across sides)
         + penalty * (number of sides - 1)

per connected component (actors with no path between them are never put together). Starts are a
signed spectral embedding (SPONGE: the smallest generalised eigenvectors of
``(L+ + D-) v = lambda (L- + D+) v``, then k-means) for each k up to ``max_k`` plus seeded random
starts; each start is refined by Doreian-Mrvar local moves (relocate one actor to another side or
to a new side) and the lowest F wins, so k is chosen by penalised frustration. A side is then
split into the groups that its positive ties hold together: the side-count penalty would
otherwise seat actors with no tie between them together ("strangers are not allies").

Placement also sees weak two-step ties (``beta`` x the signed two-step sum, only where two
actors have no direct tie: the enemy of my enemy pulls a little, the friend of my enemy pushes a
little). They decide only what direct ties leave open and are never reported as observed.

A member's confidence is the smallest increase of F when it is moved to another side of its
component (or a side of its own), over the most it could be (half its tie strength, plus a
shrinkage constant). Actors whose confidence is at most ``min_confidence`` (0.02: moving them
costs almost nothing, nothing prefers one side), or whose direct conflict with their own side's
members is at least half their cooperation with them, fit no side (``unaligned``); a weakly placed
member stays in its side with its low confidence shown (measured on the gold articles, a 0.1
cut set aside actors that were placed right 95% of the time); actors whose cooperation goes
into two or more sides, with little conflict, are ``mediator``. Both are set
aside and the rest is partitioned again. The reported frustration index is that of the first
partition, with every actor placed (setting frustrated actors aside would hide it). Stances between actors with direct events come from
the events; stances between side members with no direct event are inferred from side
membership, marked ``direct: false`` with empty evidence and a score scaled by both members'
confidence (at most 0.5).
"""
from __future__ import annotations

from typing import Any, Iterable, Mapping

import numpy as np

from .graph import SignedGraph, baseline_signs, build_graph

STANCES: tuple[str, ...] = ("ally", "enemy", "neutral", "mixed")


# ---------------------------------------------------------------- partitioning
def penalised_frustration(w: np.ndarray, labels: np.ndarray, *, alpha: float = 0.5,
                          penalty: float = 0.1) -> float:
    """F(C) for symmetric weights ``w`` and integer side labels."""
    same = labels[:, None] == labels[None, :]
    iu = np.triu_indices(len(labels), 1)
    neg_in = np.clip(-w, 0, None)[iu][same[iu]].sum()
    pos_out = np.clip(w, 0, None)[iu][~same[iu]].sum()
    return float(alpha * neg_in + (1 - alpha) * pos_out
                 + penalty * (len(set(labels.tolist())) - 1))


def _node_costs(w: np.ndarray, labels: np.ndarray, i: int, alpha: float) -> dict[int, float]:
    """Cost of actor i's ties if it sat in each existing side (and -1: a new side)."""
    pos, neg = np.clip(w[i], 0, None), np.clip(-w[i], 0, None)
    pos[i] = neg[i] = 0.0
    total_pos = pos.sum()
    costs = {-1: (1 - alpha) * total_pos}
    for c in np.unique(labels):
        m = labels == c
        costs[int(c)] = alpha * neg[m].sum() + (1 - alpha) * (total_pos - pos[m].sum())
    return costs


def _move_delta(w: np.ndarray, labels: np.ndarray, i: int, alpha: float, penalty: float
                ) -> dict[int, float]:
    """Change of F for moving i to each other side (key -1: a new side of its own)."""
    costs = _node_costs(w, labels, i, alpha)
    cur = int(labels[i])
    alone = int((labels == cur).sum()) == 1
    out = {}
    for c, cost in costs.items():
        if c == cur or (c == -1 and alone):
            continue
        # the count of sides changes: +1 for a new side, -1 when i leaves a side of one
        dk = (1 if c == -1 else 0) - (1 if alone else 0)
        out[c] = cost - costs[cur] + penalty * dk
    return out


def local_moves(w: np.ndarray, labels: np.ndarray, *, alpha: float = 0.5,
                penalty: float = 0.1, max_rounds: int = 100) -> np.ndarray:
    """Doreian-Mrvar relocation: move single actors while F strictly decreases.

    Each actor's positive and negative ties to every side are kept as running sums (recomputed
    at the start of each round, updated by each move), so a round costs O(n x sides) plus O(n)
    per move instead of O(n^2 x sides) (`_move_delta` computes the same deltas from scratch).
    """
    labels = labels.copy()
    n = len(labels)
    if n == 0:
        return _canonical(labels)
    pos, neg = np.clip(w, 0, None), np.clip(-w, 0, None)
    np.fill_diagonal(pos, 0.0)
    np.fill_diagonal(neg, 0.0)
    total_pos = pos.sum(axis=1)
    for _ in range(max_rounds):
        improved = False
        sides = sorted(set(labels.tolist()))
        psum = {c: pos[:, labels == c].sum(axis=1) for c in sides}
        nsum = {c: neg[:, labels == c].sum(axis=1) for c in sides}
        size = {c: int((labels == c).sum()) for c in sides}
        for i in range(n):
            cur = int(labels[i])
            alone = size[cur] == 1
            tp = total_pos[i]
            base = alpha * nsum[cur][i] + (1 - alpha) * (tp - psum[cur][i])
            best_c, best_d = None, 0.0
            for c in sorted(size):
                if c == cur:
                    continue
                d = alpha * nsum[c][i] + (1 - alpha) * (tp - psum[c][i]) - base - (penalty if alone else 0.0)
                if best_c is None or d < best_d:
                    best_c, best_d = c, d
            if not alone:  # a new side of its own (key -1 sorts first: it wins exact ties)
                d = (1 - alpha) * tp - base + penalty
                if best_c is None or d < best_d or (d == best_d):
                    best_c, best_d = -1, d
            if best_c is None or best_d >= -1e-12:
                continue
            new = max(size) + 1 if best_c == -1 else best_c
            labels[i] = new
            improved = True
            size[cur] -= 1
            psum[cur] = psum[cur] - pos[:, i]
            nsum[cur] = nsum[cur] - neg[:, i]
            if size[cur] == 0:
                del size[cur], psum[cur], nsum[cur]
            if new in size:
                size[new] += 1
                psum[new] = psum[new] + pos[:, i]
                nsum[new] = nsum[new] + neg[:, i]
            else:
                size[new] = 1
                psum[new] = pos[:, i].copy()
                nsum[new] = neg[:, i].copy()
        if not improved:
            break
    return _canonical(labels)


def _canonical(labels: np.ndarray) -> np.ndarray:
    """Relabel sides 0, 1, ... in order of first appearance."""
    seen: dict[int, int] = {}
    return np.array([seen.setdefault(int(x), len(seen)) for x in labels], dtype=int)


def sponge_labels(w: np.ndarray, k: int, *, tau: float = 1.0, seed: int = 0) -> np.ndarray:
    """SPONGE start: k smallest generalised eigenvectors, then seeded k-means."""
    from scipy.cluster.vq import kmeans2
    from scipy.linalg import eigh

    n = len(w)
    if k <= 1 or n <= k:
        return np.arange(n) if n <= k else np.zeros(n, dtype=int)
    ap, an = np.clip(w, 0, None), np.clip(-w, 0, None)
    dp, dn = np.diag(ap.sum(1)), np.diag(an.sum(1))
    lp, ln = dp - ap, dn - an
    eps = 1e-6 * np.eye(n)
    a, b = lp + tau * dn + eps, ln + tau * dp + eps + 1e-3 * np.eye(n)
    try:
        _, vecs = eigh(a, b, subset_by_index=[0, k - 1])
    except np.linalg.LinAlgError:
        # LAPACK's subset solver (gvx) may not converge when weights span many orders of magnitude
        # (stances decayed over years with a short half-life: 1e-94 beside 0.5); the full
        # divide-and-conquer solver does, and its first k vectors are the same subspace
        try:
            vecs = eigh(a, b, driver="gvd")[1][:, :k]
        except np.linalg.LinAlgError:
            return np.zeros(n, dtype=int)  # no spectral start: the local search starts from one side
    emb = vecs / np.maximum(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-12)
    _, lab = kmeans2(emb, k, minit="++", seed=np.random.default_rng(seed))
    return _canonical(lab)


def partition(w: np.ndarray, *, alpha: float = 0.5, penalty: float = 0.1, max_k: int = 6,
              restarts: int = 6, seed: int = 0) -> np.ndarray:
    """Side labels minimising penalised frustration, component by component."""
    from scipy.sparse.csgraph import connected_components

    n = len(w)
    labels = np.zeros(n, dtype=int)
    if n == 0:
        return labels
    _, comp = connected_components(np.abs(w) > 0, directed=False)
    rng = np.random.default_rng(seed)
    next_id = 0
    for c in range(comp.max() + 1):
        idx = np.flatnonzero(comp == c)
        sub = w[np.ix_(idx, idx)]
        best, best_f = np.zeros(len(idx), dtype=int), np.inf
        starts = [sponge_labels(sub, k, seed=seed) for k in range(1, min(max_k, len(idx)) + 1)]
        starts += [rng.integers(0, min(max_k, len(idx)), len(idx)) for _ in range(restarts)]
        for s in starts:
            lab = local_moves(sub, s, alpha=alpha, penalty=penalty)
            f = penalised_frustration(sub, lab, alpha=alpha, penalty=penalty)
            if f < best_f - 1e-9:
                best, best_f = lab, f
        best = _split_unsupported(sub, best)
        labels[idx] = best + next_id
        next_id += best.max() + 1
    return labels


def _split_unsupported(w: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Split each side into the groups its positive ties (direct, or the weak two-step pull of a
    common enemy) hold together: actors that share a side only because a new side costs the
    penalty, with no tie between them, are not allies."""
    from scipy.sparse.csgraph import connected_components

    out = np.empty_like(labels)
    next_id = 0
    for c in np.unique(labels):
        idx = np.flatnonzero(labels == c)
        _, sub = connected_components(w[np.ix_(idx, idx)] > 0, directed=False)
        out[idx] = sub + next_id
        next_id += sub.max() + 1
    return _canonical(out)


def member_confidence(w: np.ndarray, labels: np.ndarray, *, alpha: float = 0.5,
                      penalty: float = 0.1, shrink: float = 0.1) -> np.ndarray:
    """Per actor: smallest F increase when moved to another side of its component (or a new
    side), over (half its tie strength + shrink)."""
    conf = np.zeros(len(labels))
    _, comp = _components(w)
    for c in np.unique(comp):
        idx = np.flatnonzero(comp == c)
        sub, lab = w[np.ix_(idx, idx)], labels[idx]
        for pos, i in enumerate(idx):
            deltas = _move_delta(sub, lab, pos, alpha, penalty)
            # a side it has no positive tie to is no alternative (see `_split_unsupported`)
            allowed = {c: d for c, d in deltas.items() if c == -1 or (sub[pos, lab == c] > 0).any()}
            if allowed:
                margin = min(allowed.values())
            elif deltas:  # alone, with only conflict towards the other sides: that conflict
                margin = alpha * float(np.clip(-sub[pos], 0, None).sum())
            else:
                margin = 0.0
            strength = np.abs(sub[pos]).sum() - abs(sub[pos, pos])
            conf[i] = max(0.0, margin) / (0.5 * strength + shrink)
    return np.clip(conf, 0.0, 1.0)


def indirect_ties(w: np.ndarray, *, beta: float = 0.25) -> np.ndarray:
    """Two-step ties (friend of enemy, enemy of enemy) for pairs with no direct tie, scaled by
    ``beta``: a weak, inferred pull used only to place actors, never reported as observed."""
    two = w @ w
    np.fill_diagonal(two, 0.0)
    two[w != 0] = 0.0
    return beta * np.clip(two, -1.0, 1.0)


# ---------------------------------------------------------------- stances
def classify(pos: float, neg: float, score: float, *, threshold: float = 0.1,
             min_net: float = 0.1, mixed_ratio: float = 0.33) -> str:
    """ally / enemy / neutral / mixed from cooperation, conflict and the shrunk score.

    ``mixed``: both sides hold at least ``mixed_ratio`` of the larger one. ``ally`` / ``enemy``
    need a score beyond ``threshold`` and a net weight of ``min_net`` (one phone call is not an
    alliance)."""
    if min(pos, neg) >= mixed_ratio * max(pos, neg) and min(pos, neg) >= 0.05:
        return "mixed"
    if score >= threshold and pos - neg >= min_net:
        return "ally"
    if score <= -threshold and neg - pos >= min_net:
        return "enemy"
    return "neutral"


def compute_sides(graph: SignedGraph, *, alpha: float = 0.5, penalty: float = 0.1,
                  beta: float = 0.25, min_confidence: float = 0.02, seed: int = 0
                  ) -> dict[str, Any]:
    """Partition the graph; return order, labels (-1 = unaligned), confidences and roles.

    Two passes: actors that fit no side (confidence <= ``min_confidence``) or that bridge
    sides (``_is_mediator``) are set aside, and the rest is partitioned again.
    """
    order = graph.order()
    w = graph.matrix(order)
    stored = getattr(graph, "stored_sides", None)  # computed with the graph (`analysis.sideindex`)
    if stored is not None and stored["params"] == (alpha, penalty, beta, min_confidence, seed) \
            and stored["order"] == order:
        return {"order": order, "w": w, "labels": stored["labels"].copy(), "confidence": stored["confidence"].copy(),
                "roles": dict(stored["roles"]), "all_placed": stored["all_placed"].copy()}
    w_place = w + indirect_ties(w, beta=beta) if beta else w
    n = len(order)
    active = np.ones(n, dtype=bool)
    labels = np.full(n, -1)
    conf = np.zeros(n)
    for final in (False, True):
        idx = np.flatnonzero(active)
        sub = w_place[np.ix_(idx, idx)]
        lab = partition(sub, alpha=alpha, penalty=penalty, seed=seed)
        cf = member_confidence(sub, lab, alpha=alpha, penalty=penalty)
        labels[:] = -1
        labels[idx] = lab
        conf[:] = 0.0
        conf[idx] = cf
        if not final:
            whole = labels.copy()  # every actor placed: the network's own distance from balance
        weak = [i for i, c in zip(idx, cf) if c <= min_confidence or _is_mediator(w, labels, i)]
        weak += _at_odds_in_turn(w, labels, weak)
        active[weak] = False
        if final or not weak:
            break
    labels[~active] = -1
    conf[~active] = 0.0
    roles = {order[i]: ("mediator" if _is_mediator(w, labels, i, strict=False) else "unaligned")
             for i in np.flatnonzero(~active)}
    return {"order": order, "w": w, "labels": _canonical_sides(labels, order, graph),
            "confidence": conf, "roles": roles, "all_placed": whole}


def _at_odds_in_turn(w: np.ndarray, labels: np.ndarray, aside: list[int]) -> list[int]:
    """The actors at odds with their own side (`_at_odds_with_own_side`), set aside one at a
    time, the most at odds first (least net cooperation with its side), each time without the
    actors already set aside: two members at odds only with each other (a mediator's appeal to
    "both sides" read as a demand on one of them) lose the one that has nothing else tying it
    to the side, not both."""
    lab = labels.copy()
    lab[aside] = -1
    out: list[int] = []
    while True:
        odd = [i for i in np.flatnonzero(lab >= 0) if _at_odds_with_own_side(w, lab, i)]
        if not odd:
            return out

        def net(i: int) -> tuple[float, int]:
            own = w[i, lab == lab[i]].copy()
            own[np.flatnonzero(lab == lab[i]) == i] = 0.0
            return float(own.sum()), int(i)

        worst = min(odd, key=net)
        out.append(int(worst))
        lab[worst] = -1


def _at_odds_with_own_side(w: np.ndarray, labels: np.ndarray, i: int) -> bool:
    """Direct conflict with members of its own side at least half as strong as its cooperation
    with them: the actor sits in the side only because every other side is worse."""
    if labels[i] < 0:
        return False
    own = w[i, labels == labels[i]].copy()
    own[np.flatnonzero(labels == labels[i]) == i] = 0.0
    pos, neg = own.clip(0, None).sum(), -own.clip(None, 0).sum()
    return bool(neg > 0 and neg >= 0.5 * pos)


def _is_mediator(w: np.ndarray, labels: np.ndarray, i: int, *, strict: bool = True) -> bool:
    """Cooperative ties into two or more sides and little conflict (at most 20% of its
    cooperation). ``strict``: the two strongest sides each hold at least 30% of it."""
    pos, neg = np.clip(w[i], 0, None), np.clip(-w[i], 0, None)
    by_side: dict[int, float] = {}
    for j in np.flatnonzero(pos > 0):
        if j != i and labels[j] >= 0:
            by_side[int(labels[j])] = by_side.get(int(labels[j]), 0.0) + pos[j]
    if len(by_side) < 2 or neg.sum() > 0.2 * pos.sum():
        return False
    if not strict:
        return True
    top = sorted(by_side.values(), reverse=True)
    return top[1] >= 0.3 * pos.sum()


def _canonical_sides(labels: np.ndarray, order: list[str], graph: SignedGraph) -> np.ndarray:
    """Number sides by size (largest first), ties by first member label."""
    groups: dict[int, list[int]] = {}
    for i, lab in enumerate(labels):
        if lab >= 0:
            groups.setdefault(int(lab), []).append(i)
    ranked = sorted(groups.values(), key=lambda m: (-len(m), min(graph.nodes[order[i]].label
                                                                 for i in m)))
    out = np.full(len(labels), -1)
    for sid, members in enumerate(ranked):
        out[members] = sid
    return out


def frustration_index(w: np.ndarray, labels: np.ndarray) -> float:
    """Share of tie weight among side members that breaks balance (0 = balanced)."""
    m = labels >= 0
    sub, lab = w[np.ix_(m, m)], labels[m]
    iu = np.triu_indices(len(lab), 1)
    total = np.abs(sub[iu]).sum()
    if total == 0:
        return 0.0
    same = (lab[:, None] == lab[None, :])[iu]
    bad = np.clip(-sub[iu], 0, None)[same].sum() + np.clip(sub[iu], 0, None)[~same].sum()
    return round(float(bad / total), 4)


def sides_report(events: Iterable[Mapping[str, Any]], *, level: str = "entity",
                 since: str | None = None, until: str | None = None,
                 half_life_days: float | None = None, alpha: float = 0.5,
                 penalty: float = 0.1, beta: float = 0.25, min_confidence: float = 0.02,
                 score: str = "goldstein", seed: int = 0, max_evidence: int = 10,
                 max_inferred: int = 500, **graph_options: Any) -> dict[str, Any]:
    """The CONTRACT §4 JSON object for these records.

    Optional fields beyond §4: actor ``label``; side ``component`` (sides in different
    components share no path of events) and member ``evidence`` (event ids of the ties that
    place it); stance ``cooperation``, ``conflict`` (weighted magnitudes, never netted away),
    ``relation`` (``same_side`` / ``opposing_sides`` / null) and, for inferred stances,
    ``basis``. ``graph_options`` go to ``build_graph`` (e.g. ``deescalation``, ``actor_map``).
    """
    graph = build_graph(events, level=level, since=since, until=until,
                        half_life_days=half_life_days, score=score, **graph_options)
    return report_from_graph(graph, alpha=alpha, penalty=penalty, beta=beta,
                             min_confidence=min_confidence, seed=seed,
                             max_evidence=max_evidence, max_inferred=max_inferred)


def report_from_graph(graph: SignedGraph, *, alpha: float = 0.5, penalty: float = 0.1,
                      beta: float = 0.25, min_confidence: float = 0.02, seed: int = 0,
                      max_evidence: int = 10, max_inferred: int = 500) -> dict[str, Any]:
    """Sides, unaligned actors, stances and frustration for a built graph.

    Direct stances are all listed; inferred ones (no event between the two side members,
    same component) are the ``max_inferred`` strongest."""
    res = compute_sides(graph, alpha=alpha, penalty=penalty, beta=beta,
                        min_confidence=min_confidence, seed=seed)
    order, w, labels, conf = res["order"], res["w"], res["labels"], res["confidence"]
    idx = {k: i for i, k in enumerate(order)}
    actor = {k: graph.nodes[k].to_dict() for k in order}
    _, comp = _components(w)
    sides = []
    for sid in range(labels.max() + 1 if len(labels) else 0):
        members = [i for i in np.flatnonzero(labels == sid)]
        members.sort(key=lambda i: (-conf[i], graph.nodes[order[i]].label))
        sides.append({"id": sid, "component": int(comp[members[0]]), "members": [
            {"actor": actor[order[i]], "confidence": round(float(conf[i]), 3),
             "evidence": _member_evidence(graph, order, labels, w, i)} for i in members]})
    unaligned = [{"actor": actor[k], "role": res["roles"][k]}
                 for k in sorted(res["roles"], key=lambda k: graph.nodes[k].label)]
    stances = []
    for (a, b), dy in graph.edges.items():
        s = dy.score(graph.shrink)
        stances.append({"a": actor[a], "b": actor[b],
                        "stance": classify(dy.pos, dy.neg, s), "score": round(s, 3),
                        "events": dy.n_events, "direct": True,
                        "evidence": dy.evidence(max_evidence),
                        "cooperation": round(dy.pos, 3), "conflict": round(dy.neg, 3),
                        "relation": _relation(labels, comp, idx[a], idx[b])})
    inferred = []
    for i, j, s in _inferred(graph, order, idx, labels, comp, conf, max_inferred):
        same = labels[i] == labels[j]
        inferred.append({"a": actor[order[i]], "b": actor[order[j]],
                         "stance": "ally" if same else "enemy", "score": s,
                         "events": 0, "direct": False, "evidence": [],
                         "cooperation": 0.0, "conflict": 0.0,
                         "relation": "same_side" if same else "opposing_sides",
                         "basis": "inferred from side membership"})
    stances += inferred
    stances.sort(key=lambda x: (not x["direct"], -abs(x["score"]), x["a"]["label"],
                                x["b"]["label"]))
    return {"window": {"since": graph.since, "until": graph.until}, "level": graph.level,
            "sides": sides, "unaligned": unaligned, "stances": stances,
            "frustration": frustration_index(w, res["all_placed"])}


def _inferred(graph: SignedGraph, order: list[str], idx: dict[str, int], labels: np.ndarray, comp: np.ndarray,
              conf: np.ndarray, limit: int) -> list[tuple[int, int, float]]:
    """The ``limit`` strongest inferred stances as (i, j, rounded score): pairs i < j of side members
    of one component with no direct tie, scored 0.5 x conf_i x conf_j (negative across sides);
    strongest first (rounded magnitude), then by the two labels, then by i and j. Vectorised:
    only the pairs that can make the cut are rounded and sorted in Python."""
    n = len(order)
    if n < 2 or limit <= 0:
        return []
    direct = np.zeros((n, n), dtype=bool)
    for a, b in graph.edges:
        direct[idx[a], idx[b]] = True
    iu, ju = np.triu_indices(n, 1)
    keep = (labels[iu] >= 0) & (labels[ju] >= 0) & (comp[iu] == comp[ju]) & ~direct[iu, ju]
    iu, ju = iu[keep], ju[keep]
    if not len(iu):
        return []
    same = labels[iu] == labels[ju]
    score = 0.5 * (conf[iu] * conf[ju]) * np.where(same, 1.0, -1.0)
    mag = np.abs(score)
    if len(mag) > limit:  # round(|s|, 3) grows with |s|: only pairs within 0.001 of the cut can tie it
        cut = np.partition(mag, len(mag) - limit)[len(mag) - limit]
        near = mag >= cut - 0.0011
        iu, ju, score = iu[near], ju[near], score[near]
    label = [graph.nodes[k].label for k in order]
    rows = [(-abs(round(float(s), 3)), label[i], label[j], i, j, round(float(s), 3))
            for i, j, s in zip(iu.tolist(), ju.tolist(), score.tolist())]
    rows.sort()
    return [(i, j, s) for _, _, _, i, j, s in rows[:limit]]


def _components(w: np.ndarray) -> tuple[int, np.ndarray]:
    from scipy.sparse.csgraph import connected_components

    if len(w) == 0:
        return 0, np.zeros(0, dtype=int)
    return connected_components(np.abs(w) > 0, directed=False)


def _relation(labels: np.ndarray, comp: np.ndarray, i: int, j: int) -> str | None:
    if labels[i] < 0 or labels[j] < 0 or comp[i] != comp[j]:
        return None
    return "same_side" if labels[i] == labels[j] else "opposing_sides"


def _member_evidence(graph: SignedGraph, order: list[str], labels: np.ndarray, w: np.ndarray,
                     i: int, top: int = 3) -> list[str]:
    """Event ids of the strongest ties that support the placement (allies in, enemies out)."""
    ties = []
    for j in np.flatnonzero(w[i] != 0):
        if labels[j] < 0 or j == i:
            continue
        same = labels[j] == labels[i]
        if (w[i, j] > 0) == same:
            ties.append((-abs(w[i, j]), order[j]))
    ids: list[str] = []
    for _, k in sorted(ties)[:top]:
        a, b = sorted((order[i], k))
        ids.extend(x for x in graph.edges[(a, b)].evidence(1) if x not in ids)
    return ids


def baseline_report(events: Iterable[Mapping[str, Any]], *, level: str = "entity",
                    since: str | None = None, until: str | None = None
                    ) -> dict[tuple[str, str], str]:
    """Baseline stance per pair with events: sign of summed Goldstein (ally/enemy/neutral)."""
    return {pair: ("ally" if s > 0 else "enemy" if s < 0 else "neutral")
            for pair, s in baseline_signs(events, level=level, since=since,
                                          until=until).items()}
