"""`local_moves` keeps running sums of each actor's ties per side; it must move exactly as the
from-scratch relocation (`_move_delta` on every actor, every round) does."""
from __future__ import annotations

import numpy as np
import pytest

from allegiance.analysis.sides import _canonical, _move_delta, local_moves, penalised_frustration


def reference_moves(w, labels, alpha=0.5, penalty=0.1, max_rounds=100):
    labels = labels.copy()
    for _ in range(max_rounds):
        improved = False
        for i in range(len(labels)):
            deltas = _move_delta(w, labels, i, alpha, penalty)
            if not deltas:
                continue
            c, d = min(deltas.items(), key=lambda kv: (kv[1], kv[0]))
            if d < -1e-12:
                labels[i] = labels.max() + 1 if c == -1 else c
                improved = True
        if not improved:
            break
    return _canonical(labels)


def signed_graph(rng, n, density, integer):
    w = rng.integers(-3, 4, (n, n)).astype(float) if integer else rng.normal(0, 1, (n, n))
    w[rng.random((n, n)) > density] = 0.0
    w = np.triu(w, 1)
    return w + w.T


@pytest.mark.parametrize("seed", range(12))
def test_running_sums_move_as_the_from_scratch_relocation(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 40))
    # integer weights make exact ties common: the tie-breaks must agree too
    w = signed_graph(rng, n, float(rng.uniform(0.1, 0.9)), integer=seed % 2 == 0)
    start = rng.integers(0, int(rng.integers(1, 6)), n)
    for alpha, penalty in ((0.5, 0.1), (0.3, 0.0), (0.7, 1.0)):
        got = local_moves(w, start, alpha=alpha, penalty=penalty)
        assert got.tolist() == reference_moves(w, start, alpha, penalty).tolist()
        # and it is a local optimum: no single move lowers the penalised frustration
        f = penalised_frustration(w, got, alpha=alpha, penalty=penalty)
        for i in range(n):
            for c in set(got.tolist()) | {got.max() + 1}:
                if c != got[i]:
                    moved = got.copy()
                    moved[i] = c
                    assert penalised_frustration(w, moved, alpha=alpha, penalty=penalty) >= f - 1e-9


def test_two_camps_are_found_from_a_wrong_split():
    w = np.zeros((4, 4))
    w[0, 1] = w[1, 0] = w[2, 3] = w[3, 2] = 1.0
    w[0, 2] = w[2, 0] = w[1, 3] = w[3, 1] = -1.0
    assert local_moves(w, np.array([0, 1, 0, 1]), penalty=0.0).tolist() == [0, 0, 1, 1]
    # from one side no single move pays (a lone actor costs a new side): partition() starts elsewhere too
    assert local_moves(w, np.zeros(4, dtype=int)).tolist() == [0, 0, 0, 0]
