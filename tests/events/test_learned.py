"""The trained model's run-time arithmetic (``events.learned``): the fast paths give exactly what
the plain formulas give, on sentences of our own parsed by the real pipeline."""
from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from allegiance.events.learned import (TYPES, MentionFeature, SentenceFeatures, Tree, _tree_paths,
                                       decode_mode, decode_triggers, dep_path, dep_paths, load_model,
                                       mention_means)


def _slow_triggers(p_type, mode_logits, tau):
    """The per-type scan over every token that ``decode_triggers`` replaces."""
    found, n = [], p_type.shape[0]
    for ti, etype in enumerate(TYPES):
        k = 0
        while k < n:
            if p_type[k, ti] >= tau:
                j = k
                while j + 1 < n and p_type[j + 1, ti] >= tau:
                    j += 1
                toks = list(range(k, j + 1))
                best = max(toks, key=lambda x: p_type[x, ti])
                found.append((toks, etype, round(float(p_type[best, ti]), 4),
                              decode_mode(mode_logits[toks].mean(axis=0), etype)))
                k = j + 1
            else:
                k += 1
    return sorted(found, key=lambda t: (t[0][0], t[1]))


def test_triggers_are_runs_of_tokens_above_the_threshold_per_type():
    p = np.zeros((6, len(TYPES)), np.float32)
    a, c = TYPES.index("ASSAULT"), TYPES.index("CONSULT")
    p[1, a], p[2, a], p[4, a] = 0.5, 0.7, 0.3   # "air strikes" (1-2) and another at 4
    p[4, c] = 0.26
    logits = np.zeros((6, 68), np.float32)
    got = decode_triggers(p, logits, 0.25)
    assert [(t.tokens, t.type, t.p) for t in got] == [([1, 2], "ASSAULT", 0.7), ([4], "ASSAULT", 0.3),
                                                         ([4], "CONSULT", 0.26)]
    assert decode_triggers(p, logits, 0.8) == []


def test_trigger_decoding_matches_the_plain_scan_on_random_scores():
    rng = np.random.default_rng(7)
    for _ in range(300):
        n = int(rng.integers(1, 40))
        p = rng.random((n, len(TYPES))).astype(np.float32) ** 4
        logits = rng.standard_normal((n, 68)).astype(np.float32)
        got = [(t.tokens, t.type, t.p, t.mode) for t in decode_triggers(p, logits, 0.25)]
        assert got == _slow_triggers(p, logits, 0.25)


def test_mention_vectors_are_the_means_of_their_tokens_to_the_bit():
    rng = np.random.default_rng(3)
    for _ in range(500):
        n = int(rng.integers(2, 50))
        h = rng.standard_normal((n, 384)).astype(np.float32)
        ms = []
        for _ in range(int(rng.integers(1, 9))):
            a = int(rng.integers(0, n))
            ms.append(MentionFeature(a, int(min(n, a + rng.integers(0, 7))), a, None, 0, 0))
        plain = np.stack([h[m.start:m.end].mean(axis=0) if m.end > m.start else h[m.anchor] for m in ms])
        assert np.array_equal(mention_means(h, ms), plain)


@pytest.fixture(scope="module")
def parsed(coder):
    return coder.nlp("Hooded gunmen loyal to the former mayor fired on protesters outside the town hall in "
                     "Zinder on Friday, and police later detained two of the attackers, a regional "
                     "official told reporters by telephone.")


def _token_path(a, b, limit=5):
    """The path walked on spaCy's tokens, as the coder first wrote it (the reference)."""
    if a.i == b.i:
        return "SELF"
    up_a = [a] + list(a.ancestors)
    pos_a = {t.i: k for k, t in enumerate(up_a)}
    down, node = [], b
    while node.i not in pos_a:
        down.append(node)
        if node.head.i == node.i:
            return "LONG"
        node = node.head
    k = pos_a[node.i]
    if k + len(down) > limit:
        return "LONG"

    def lab(t):
        return f"{t.dep_}:{t.lower_}" if t.dep_ in ("prep", "agent", "dative") and t.pos_ == "ADP" else t.dep_
    return " ".join([f"^{lab(t)}" for t in up_a[:k]] + [f"v{lab(t)}" for t in reversed(down)])


def test_paths_from_the_integer_tree_are_the_token_paths(parsed):
    for sent in parsed.sents:
        tree = Tree(parsed)
        toks = list(sent)
        for a in toks:
            want = [_token_path(a, b) for b in toks]
            assert [dep_path(a, b, same_sentence=True) for b in toks] == want
            assert dep_paths(a, toks) == want
            assert dep_paths(a, toks, tree=tree) == want
            assert _tree_paths(tree, a.i, [b.i for b in toks], 5) == want
    assert any(p not in ("SELF", "LONG") for p in want)  # the sentence has real paths


def test_the_integer_tree_reads_every_head_and_label_of_the_tokens(parsed):
    from spacy.symbols import ADP

    from allegiance.events.learned import _ADP

    assert _ADP == ADP
    tree = Tree(parsed)
    for t in parsed:
        assert tree.up(t.i) == tree.head[t.i] == t.head.i
        want = f"{t.dep_}:{t.lower_}" if t.dep_ in ("prep", "agent", "dative") and t.pos_ == "ADP" else t.dep_
        assert tree.label[t.i] == want
    assert any(":" in tree.label[t.i] for t in parsed)  # "to", "on", "by" carry their word
    assert Tree.of(parsed) is Tree.of(parsed)  # made once per document


def test_the_role_head_fast_path_equals_the_full_head(parsed):
    model = load_model()
    heads = model.heads
    rng = np.random.default_rng(5)
    m, d = 7, 384
    ht = np.repeat(rng.standard_normal((1, d)).astype(np.float32), m, 0)
    hm = rng.standard_normal((m, d)).astype(np.float32)
    path = rng.integers(0, len(model.path_vocab), m)
    dist, kind, sector = rng.integers(0, 9, m), rng.integers(0, 5, m), rng.integers(0, 20, m)
    rr = (rng.random((m, 3)) > 0.5).astype(np.float32)
    for ti in (0, TYPES.index("ASSAULT"), len(TYPES) - 1):
        types = np.zeros((m, len(TYPES)), np.float32)
        types[:, ti] = 1.0
        full = heads.roles(ht, hm, path, dist, kind, sector, rr, types)
        fast = heads.roles_typed(heads.roles_untyped(ht, hm, path, dist, kind, sector, rr), ti)
        assert np.allclose(full, fast, atol=1e-5)
        assert np.allclose(fast.sum(axis=1), 1.0, atol=1e-5)


def test_the_model_holds_numpy_to_one_blas_thread_when_numpy_came_first():
    """numpy imported before allegiance (as a user's script may): loading the model still limits
    OpenBLAS's pool, whose spinning threads made the heads ten times slower on a busy machine."""
    script = ("import numpy, os\n"
              "os.environ.pop('OPENBLAS_NUM_THREADS', None)\n"
              "from threadpoolctl import threadpool_info, threadpool_limits\n"
              "threadpool_limits(limits=2, user_api='blas')\n"
              "before = [p['num_threads'] for p in threadpool_info() if p['user_api'] == 'blas']\n"
              "from allegiance.events.learned import load_model\n"
              "load_model()\n"
              "after = [p['num_threads'] for p in threadpool_info() if p['user_api'] == 'blas']\n"
              "import json; print(json.dumps([before, after]))\n")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    before, after = json.loads(out.stdout.strip().splitlines()[-1])
    assert before and set(before) == {2}
    assert set(after) == {1}


def test_the_in_place_activations_are_the_plain_formulas_to_the_bit():
    from allegiance.events.learned import _gelu, _softmax

    rng = np.random.default_rng(13)
    for shape in ((1, 4), (7, 256), (33, 17), (5, 4)):
        x = (rng.standard_normal(shape) * 6).astype(np.float32)
        keep = x.copy()
        plain = 0.5 * x * (1.0 + np.tanh(0.7978845608028654 * (x + 0.044715 * (x * x * x))))
        assert np.array_equal(_gelu(x), plain) and _gelu(x).dtype == np.float32
        e = np.exp(x - x.max(axis=-1, keepdims=True))
        assert np.array_equal(_softmax(x), e / e.sum(axis=-1, keepdims=True))
        assert np.array_equal(x, keep)  # the input is left alone
