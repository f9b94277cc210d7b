"""Sides and stances on small hand-made event sets with known structure."""
from __future__ import annotations

import itertools
import json
import random

import numpy as np
import pytest

from allegiance.analysis.sides import (STANCES, baseline_report, partition,
                                       penalised_frustration, sides_report)

_ids = itertools.count()


def actor(name, country, sector=None):
    return {"text": name or "", "name": name, "country": country, "sector": sector, "id": None}


def ev(etype, src, tgt, date="2021-03-01", *, mode=None, certainty=0.9, negated=False):
    i = next(_ids)
    return {"event_id": f"s{i}", "doc_id": f"doc{i}", "event_type": etype, "mode": mode,
            "goldstein": None, "source": src, "target": tgt, "date": date,
            "modality": {"negated": negated, "hypothetical": False, "future": False,
                         "historical": False},
            "certainty": certainty, "evidence": {"text": "x"}}


A, B, C = actor("Austria", "AUT"), actor("Belgium", "BEL"), actor("Chile", "CHL")
X, Y = actor("Mexico", "MEX"), actor("Yemen", "YEM")
M = actor("Switzerland", "CHE")


def names(report):
    return [sorted(m["actor"]["name"] for m in s["members"]) for s in report["sides"]]


def side_of(report):
    return {m["actor"]["name"]: s["id"] for s in report["sides"] for m in s["members"]}


def two_blocs():
    return [ev("AID", A, B), ev("COOPERATE", B, C), ev("SUPPORT", A, C), ev("AID", X, Y),
            ev("ASSAULT", A, X), ev("ASSAULT", Y, B), ev("COERCE", C, Y)]


def test_balanced_two_blocs():
    rep = sides_report(two_blocs())
    assert sorted(names(rep)) == [["Austria", "Belgium", "Chile"], ["Mexico", "Yemen"]]
    assert rep["frustration"] == 0.0
    assert rep["unaligned"] == []
    assert all(m["confidence"] > 0.3 for s in rep["sides"] for m in s["members"])


def test_three_mutual_enemies_are_not_forced_into_two_blocs():
    rep = sides_report([ev("ASSAULT", A, B), ev("ASSAULT", B, C), ev("ASSAULT", C, A)])
    placed = side_of(rep)
    sides = [placed.get(n) for n in ("Austria", "Belgium", "Chile")]
    assigned = [s for s in sides if s is not None]
    assert len(assigned) == len(set(assigned))  # no two enemies share a side
    assert len(assigned) + len(rep["unaligned"]) == 3
    assert all(s["stance"] == "enemy" for s in rep["stances"])


def test_unbalanced_triangle_reports_frustration():
    # A+B, B+C but A-C: no split satisfies every tie
    rep = sides_report([ev("AID", A, B), ev("AID", B, C), ev("ASSAULT", A, C)])
    assert rep["frustration"] > 0.0


def test_three_blocs_of_several_members():
    g, h, i = actor("Ghana", "GHA"), actor("Haiti", "HTI"), actor("India", "IND")
    j, k, lao = actor("Japan", "JPN"), actor("Kenya", "KEN"), actor("Laos", "LAO")
    recs = [ev("AID", g, h), ev("COOPERATE", h, i), ev("SUPPORT", g, i),
            ev("AID", j, k), ev("COOPERATE", k, lao), ev("AID", X, Y),
            ev("ASSAULT", g, j), ev("ASSAULT", k, X), ev("ASSAULT", Y, h),
            ev("COERCE", lao, i), ev("ASSAULT", i, X)]
    rep = sides_report(recs)
    assert sorted(names(rep)) == [["Ghana", "Haiti", "India"], ["Japan", "Kenya", "Laos"],
                                  ["Mexico", "Yemen"]]
    assert rep["frustration"] == 0.0 and rep["unaligned"] == []


def test_unbalanced_triangle_breaks_the_weakest_tie():
    # A and B close allies, A and C at war, B and C only talked once: C goes apart, and the
    # frustrated B-C tie is what the frustration index measures
    recs = [ev("AID", A, B, "2021-03-01"), ev("AID", A, B, "2021-03-02"),
            ev("AID", A, B, "2021-03-03"), ev("ASSAULT", A, C, "2021-03-01"),
            ev("ASSAULT", C, A, "2021-03-02"), ev("ASSAULT", A, C, "2021-03-03"),
            ev("CONSULT", B, C, "2021-03-01")]
    rep = sides_report(recs)
    where = side_of(rep)
    assert where["Austria"] == where["Belgium"] != where["Chile"]
    by_pair = {frozenset((s["a"]["name"], s["b"]["name"])): s for s in rep["stances"]}
    bc = by_pair[frozenset(("Belgium", "Chile"))]
    assert bc["direct"] and bc["score"] > 0 and bc["relation"] == "opposing_sides"
    total = sum(abs(s["score"]) for s in rep["stances"] if s["direct"])
    assert rep["frustration"] == pytest.approx(bc["score"] / total, abs=1e-3)


def test_actor_that_fits_no_side_is_unaligned():
    # Zambia aids one member of each bloc and attacks another member of each
    z = actor("Zambia", "ZMB")
    recs = two_blocs() + [ev("AID", z, A), ev("AID", z, X), ev("ASSAULT", z, B),
                          ev("ASSAULT", z, Y)]
    rep = sides_report(recs)
    assert "Zambia" not in side_of(rep)
    roles = {u["actor"]["name"]: u["role"] for u in rep["unaligned"]}
    assert roles == {"Zambia": "unaligned"}  # it fights: not a mediator
    assert sorted(names(rep)) == [["Austria", "Belgium", "Chile"], ["Mexico", "Yemen"]]


def test_enemy_of_my_enemy_is_an_inferred_weaker_ally():
    p, q = actor("Peru", "PER"), actor("Qatar", "QAT")
    recs = [ev("ASSAULT", p, X), ev("ASSAULT", q, X), ev("ASSAULT", X, p, "2021-03-02")]
    rep = sides_report(recs)
    where = side_of(rep)
    assert where["Peru"] == where["Qatar"] != where["Mexico"]
    pq = [s for s in rep["stances"] if {s["a"]["name"], s["b"]["name"]} == {"Peru", "Qatar"}]
    assert len(pq) == 1
    pq = pq[0]
    assert pq["direct"] is False and pq["events"] == 0 and pq["evidence"] == []
    assert pq["stance"] == "ally" and pq["relation"] == "same_side"
    assert pq["basis"] == "inferred from side membership"
    assert 0 < pq["score"] < min(abs(s["score"]) for s in rep["stances"] if s["direct"])
    members = {m["actor"]["name"]: m for s in rep["sides"] for m in s["members"]}
    assert set(members["Qatar"]["evidence"]) <= {r["event_id"] for r in recs}


def test_an_enemy_of_one_bloc_is_not_put_with_a_bloc_it_has_no_tie_to():
    # Denmark is in Austria's bloc and fights no one; Kenya attacks only Denmark: no common enemy,
    # no friend in Mexico's bloc, so Kenya is a side of its own, not a member of that bloc
    d, k = actor("Denmark", "DNK"), actor("Kenya", "KEN")
    base = two_blocs() + [ev("AID", A, d), ev("SUPPORT", d, B)]
    rep = sides_report(base + [ev("ASSAULT", k, d), ev("ASSAULT", k, d, "2021-03-05")])
    where = side_of(rep)
    assert where["Kenya"] not in (where["Mexico"], where["Austria"])
    assert ["Kenya"] in names(rep)
    assert "Kenya" not in {u["actor"]["name"] for u in rep["unaligned"]}  # its conflict places it
    # with a common enemy (Chile fights Yemen) the enemy of my enemy pulls it into Mexico's bloc
    rep = sides_report(base + [ev("ASSAULT", k, C), ev("ASSAULT", k, C, "2021-03-05")])
    where = side_of(rep)
    assert where["Kenya"] == where["Mexico"]


def test_mediator_with_only_talks_to_both_blocs():
    recs = two_blocs() + [ev("CONSULT", M, A, mode="third-party"),
                          ev("CONSULT", M, X, mode="third-party")]
    rep = sides_report(recs)
    assert "Switzerland" not in side_of(rep)
    assert {"actor": {"name": "Switzerland", "country": "CHE", "sector": None,
                      "label": "Switzerland"}, "role": "mediator"} in rep["unaligned"]
    assert sorted(names(rep)) == [["Austria", "Belgium", "Chile"], ["Mexico", "Yemen"]]


def test_negated_events_ignored():
    base = sides_report(two_blocs())
    noisy = sides_report(two_blocs() + [ev("ASSAULT", A, B, negated=True),
                                        ev("AID", A, X, negated=True)])
    assert names(noisy) == names(base)
    ab = [s for s in noisy["stances"] if {s["a"]["name"], s["b"]["name"]} == {"Austria", "Belgium"}]
    assert ab[0]["stance"] == "ally" and ab[0]["events"] == 1
    only_denied = sides_report([ev("ASSAULT", A, B, negated=True)])
    assert only_denied["stances"] == [] and only_denied["sides"] == []


def test_inferred_stances_are_labelled_and_weaker():
    rep = sides_report(two_blocs())
    by_pair = {frozenset((s["a"]["name"], s["b"]["name"])): s for s in rep["stances"]}
    cb = by_pair[frozenset(("Chile", "Mexico"))]  # no event between them
    assert cb["direct"] is False and cb["evidence"] == [] and cb["events"] == 0
    assert cb["stance"] == "enemy" and cb["relation"] == "opposing_sides"
    direct = [s for s in rep["stances"] if s["direct"]]
    assert all(s["evidence"] for s in direct)
    assert max(abs(s["score"]) for s in rep["stances"] if not s["direct"]) < \
        min(abs(s["score"]) for s in direct if s["stance"] != "neutral")


def test_cooperation_and_conflict_both_shown():
    recs = [ev("AID", A, B, "2021-03-01"), ev("ASSAULT", A, B, "2021-03-02"),
            ev("AID", A, B, "2021-03-03"), ev("ASSAULT", B, A, "2021-03-04")]
    st = sides_report(recs)["stances"][0]
    assert st["stance"] == "mixed"
    assert st["cooperation"] > 0 and st["conflict"] > 0
    types = {r["event_id"]: r["event_type"] for r in recs}
    assert {types[e] for e in st["evidence"]} == {"AID", "ASSAULT"}


def test_json_matches_contract_section_4():
    rep = sides_report(two_blocs() + [ev("CONSULT", M, A, mode="third-party"),
                                      ev("CONSULT", M, X, mode="third-party")])
    rep = json.loads(json.dumps(rep))
    assert {"window", "level", "sides", "unaligned", "stances", "frustration"} <= set(rep)
    assert set(rep["window"]) == {"since", "until"} and rep["level"] == "entity"
    assert isinstance(rep["frustration"], float)
    seen = []
    for s in rep["sides"]:
        assert isinstance(s["id"], int)
        for m in s["members"]:
            assert {"name", "country", "sector"} <= set(m["actor"])
            assert isinstance(m["confidence"], float) and 0 <= m["confidence"] <= 1
            seen.append(m["actor"]["name"])
    for u in rep["unaligned"]:
        assert u["role"] in ("unaligned", "mediator")
        seen.append(u["actor"]["name"])
    assert len(seen) == len(set(seen))  # at most one side per actor
    for st in rep["stances"]:
        assert st["stance"] in STANCES
        assert isinstance(st["score"], float) and isinstance(st["events"], int)
        assert isinstance(st["direct"], bool) and isinstance(st["evidence"], list)
        assert bool(st["evidence"]) == st["direct"]  # empty only when inferred


def test_deterministic_and_order_independent():
    recs = two_blocs() + [ev("CONSULT", M, A, mode="third-party")]
    shuffled = recs[:]
    random.Random(3).shuffle(shuffled)
    assert json.dumps(sides_report(recs)) == json.dumps(sides_report(shuffled))


def test_seed_like_conflict_puts_us_and_russia_on_opposing_sides():
    syria, iran = actor("Syria", "SYR", "MIL"), actor("Iran", "IRN", "MIL")
    russia, hez = actor("Russia", "RUS", "MIL"), actor("Hezbollah", "LBN", "REB")
    rebels, jihad = actor(None, "SYR", "REB"), actor(None, "IMG", "REB")
    usa = actor("United States", "USA", "GOV")
    recs = [ev("AID", iran, syria), ev("AID", russia, syria), ev("COOPERATE", hez, syria),
            ev("ASSAULT", russia, rebels, mode="aerial"), ev("ASSAULT", syria, jihad),
            ev("ASSAULT", hez, rebels), ev("AID", usa, rebels),
            ev("CONSULT", usa, actor("Russia", "RUS", "GOV"), mode="phone")]
    rep = sides_report(recs)
    where = {m["actor"]["label"]: s["id"] for s in rep["sides"] for m in s["members"]}
    assert where["Syria"] == where["Iran"] == where["Russia"] == where["Hezbollah"]
    assert where["Syria rebels"] != where["Syria"]
    assert where["United States"] != where["Russia"]
    members = {m["actor"]["label"]: m for s in rep["sides"] for m in s["members"]}
    assert members["United States"]["evidence"] and members["Russia"]["evidence"]
    us_ru = [s for s in rep["stances"]
             if {s["a"]["label"], s["b"]["label"]} == {"Russia", "United States"}][0]
    assert us_ru["direct"] and us_ru["relation"] == "opposing_sides"
    assert us_ru["stance"] != "ally"  # a single call between enemies is not an alliance


def _held_together(w, labels):
    """Every side is connected by its positive ties (no side of strangers)."""
    from scipy.sparse.csgraph import connected_components

    for c in set(labels):
        idx = [i for i, x in enumerate(labels) if x == c]
        if connected_components(w[np.ix_(idx, idx)] > 0, directed=False)[0] != 1:
            return False
    return True


def _best_by_brute_force(w, penalty):
    n = len(w)
    best = np.inf

    def parts(i, labels, k):
        nonlocal best
        if i == n:
            if _held_together(w, labels):
                best = min(best, penalised_frustration(w, np.array(labels), penalty=penalty))
            return
        for c in range(k + 1):
            parts(i + 1, labels + [c], max(k, c + 1))

    parts(0, [], 0)
    return best


@pytest.mark.parametrize("seed", range(6))
def test_partition_reaches_the_exact_optimum_on_small_graphs(seed):
    """The lowest penalised frustration over partitions whose sides their positive ties hold
    together."""
    rng = np.random.default_rng(seed)
    n = 7
    w = np.triu(rng.choice([-1.0, 0.0, 0.0, 1.0], size=(n, n)) * rng.uniform(0.2, 1, (n, n)), 1)
    w = w + w.T
    lab = partition(w, penalty=0.1)
    assert penalised_frustration(w, lab, penalty=0.1) == pytest.approx(
        _best_by_brute_force(w, 0.1))


def test_baseline_sign_of_summed_scores():
    recs = [ev("AID", A, B), ev("ACCUSE", A, B), ev("ASSAULT", A, X)]
    base = baseline_report(recs)
    assert base == {("AUT||", "BEL||"): "ally", ("AUT||", "MEX||"): "enemy"}


def test_one_weak_quarrel_places_an_actor_against_the_bloc_with_low_confidence():
    # Guyana only rejects one request of Austria's bloc: weak, but it points to one side
    gy = actor("Guyana", "GUY")
    rep = sides_report(two_blocs() + [ev("REJECT", gy, A)])
    where = side_of(rep)
    assert "Guyana" in where and where["Guyana"] != where["Austria"]
    conf = {m["actor"]["name"]: m["confidence"] for s in rep["sides"] for m in s["members"]}
    assert 0 < conf["Guyana"] < conf["Austria"]


def test_an_actor_fighting_its_own_sides_members_is_set_aside_but_frustration_is_kept():
    rep = sides_report([ev("AID", A, B), ev("AID", B, C), ev("ASSAULT", A, C)])
    assert rep["frustration"] > 0.0
    assert rep["unaligned"]


def test_sponge_start_survives_weights_over_many_orders_of_magnitude():
    """Stances decayed over years with a 30-day half-life span 1e-94 .. 0.5; LAPACK's subset
    eigensolver then failed to converge and GET /api/sides answered 500 (found by
    benchmarks/api_load.py). This matrix (seeded) makes the subset solver fail; the start is
    computed by the full solver instead."""
    import numpy as np
    from scipy.linalg import eigh

    from allegiance.analysis.sides import sponge_labels

    r = np.random.default_rng(196)
    m = 40
    w = np.zeros((m, m))
    for _ in range(80):
        i, j = r.choice(m, 2, replace=False)
        w[i, j] = w[j, i] = r.choice([-1, 1]) * 10.0 ** (-r.integers(0, 100)) * r.random()
    ap, an = np.clip(w, 0, None), np.clip(-w, 0, None)
    dp, dn = np.diag(ap.sum(1)), np.diag(an.sum(1))
    eps = 1e-6 * np.eye(m)
    labels = sponge_labels(w, 6)
    assert labels.shape == (m,) and set(labels.tolist()) <= set(range(6))
    try:
        eigh(dp - ap + dn + eps, dn - an + dp + eps + 1e-3 * np.eye(m), subset_by_index=[0, 5])
    except np.linalg.LinAlgError:
        return  # the failure guarded against is real with this LAPACK (OpenBLAS of the venv)
    pytest.skip("this LAPACK's subset solver converges on the matrix: the fallback was not exercised")


def test_two_members_at_odds_only_with_each_other_lose_the_one_with_no_tie_to_the_side():
    # Norway talks with Peru (allied with Ghana) and trades threats with Yemen, which Sweden
    # sanctions; Iceland, rebuffed by Yemen, only appeals to "both sides" (read as a demand on
    # Norway). Iceland has no cooperation in the side and is set aside; Norway, at odds only
    # with Iceland, keeps its side (both were set aside before).
    no, pe, gh, ye, ic, se = (actor("Norway", "NOR"), actor("Peru", "PER"), actor("Ghana", "GHA"),
                              actor("Yemen", "YEM"), actor("Iceland", "ISL"), actor("Sweden", "SWE"))
    recs = [ev("CONSULT", pe, no, mode="phone"), ev("AGREE", pe, gh),
            ev("THREATEN", no, ye), ev("THREATEN", ye, no),
            ev("SANCTION", se, ye), ev("REJECT", ye, se, mode="change"),
            ev("REJECT", ye, ic, mode="change"), ev("REQUEST", ic, no, mode="change")]
    rep = sides_report(recs)
    where = side_of(rep)
    assert where["Norway"] == where["Peru"] == where["Ghana"] != where["Yemen"]
    assert [u["actor"]["name"] for u in rep["unaligned"]] == ["Iceland"]
