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


# -- the fast paths of issue 13's speed work give what the plain one-by-one code gave -------------

_SENTENCES = ("Russia vetoed the resolution.",
              "Turkish warplanes struck Kurdish militia positions near the Syrian town of Afrin on Sunday, "
              "killing at least 18 fighters, a monitoring group said, as Ankara vowed to press on.",
              "Iran and Iraq signed a security pact in Baghdad, and the two governments agreed to expel "
              "armed opposition groups from the border region by the end of the year.")


@pytest.fixture(scope="module")
def hybrid_sentences():
    """The three sentences of different lengths in one document, featurised as the coder does."""
    from allegiance.actors.resolve import ActorFinder
    from allegiance.coder import Coder, _sentences
    from allegiance.events.extract import Extractor, extract_sentence
    from allegiance.events.learned import featurize

    coder = Coder(engine="hybrid")
    doc = coder.nlp(" ".join(_SENTENCES))
    ex = Extractor(ActorFinder(doc, coder.catalog, "2018-01-21"), coder.lexicon)
    sents = _sentences(doc)
    assert len(sents) == 3
    cands = [extract_sentence(ex, s) for s in sents]
    feats = [featurize(s, ex, c, coder.model.dep_vocab, coder.geo.gazetteer) for s, c in zip(sents, cands)]
    return coder, ex, sents, cands, feats


def _roles_of(analysis):
    """Every role the coder could ask of a sentence: each token as a trigger of each type."""
    return {(k, etype): [(r.mention.start, r.mention.end, r.probs.tobytes()) for r in analysis.roles([k], etype)]
            for k in range(analysis.sf.n) for etype in TYPES}


def test_a_document_analysed_at_once_is_each_sentence_analysed_alone_to_the_bit(hybrid_sentences):
    coder, _, _, _, feats = hybrid_sentences
    together = coder.model.analyse(feats)
    for sf, got in zip(feats, together):
        alone = coder.model.analyse([sf])[0]
        assert got.h.tobytes() == alone.h.tobytes()
        assert got.p_type.tobytes() == alone.p_type.tobytes()
        assert got.mode_logits.tobytes() == alone.mode_logits.tobytes()
        assert got.triggers(0.25) == alone.triggers(0.25)
        assert _roles_of(got) == _roles_of(alone)
    assert any(a.triggers(0.25) for a in together)  # the sentences have events


def _plain_encode(model, sf):
    """The encoder's vectors of one sentence as the coder first computed them: zero-filled id
    and mask arrays, each token's first word piece copied row by row."""
    from allegiance.events.learned import first_pieces, piece_ids

    enc = model.tokenizer.encode(sf.text)
    n = min(len(enc.ids), model.max_pieces)
    ids, mask = np.zeros((1, n), np.int64), np.zeros((1, n), np.int64)
    pieces, usable = piece_ids(enc.ids, n)
    ids[0, :len(pieces)], mask[0, :len(pieces)] = pieces, 1
    hidden = model.session.run(None, {"ids": ids, "mask": mask})[0][0]
    out = np.zeros((sf.n, hidden.shape[-1]), np.float32)
    for t, j in enumerate(first_pieces(enc.offsets, sf.offsets, usable)):
        if j >= 0:
            out[t] = hidden[j]
    return out


def test_the_encoders_vectors_are_the_plain_computation_to_the_bit(hybrid_sentences):
    coder, _, _, _, feats = hybrid_sentences
    for sf, h in zip(feats, coder.model.encode(feats)):
        assert h.tobytes() == _plain_encode(coder.model, sf).tobytes()


def test_the_role_probabilities_as_floats_are_the_float32_sums_combine_made(hybrid_sentences):
    coder, _, _, _, feats = hybrid_sentences
    seen = 0
    for a in coder.model.analyse(feats):
        for (k, etype), _ in _roles_of(a).items():
            for r in a.roles([k], etype):
                p = r.probs
                assert p.dtype == np.float32
                assert r.values == [float(x) for x in p]
                assert r.source == float(p[1] + p[3]) and r.target == float(p[2] + p[3])
                seen += 1
    assert seen > 100


def test_the_features_read_from_the_documents_columns_are_the_tokens_attributes(hybrid_sentences):
    coder, ex, sents, cands, feats = hybrid_sentences
    from allegiance.events.learned import POS_TAGS, _POS_INDEX

    for sent, sf in zip(sents, feats):
        tokens = [t for t in sent if not t.is_space]
        assert [t.i for t in sf.tokens] == [t.i for t in tokens]
        base = sent.start_char
        assert sf.offsets == [(t.idx - base, t.idx - base + len(t.text)) for t in tokens]
        assert sf.pos.tolist() == [_POS_INDEX.get(t.pos_, len(POS_TAGS) - 1) for t in tokens]
        assert sf.dep.tolist() == [coder.model.dep_vocab.get(t.dep_.lower(), 0) for t in tokens]


def test_the_columns_are_what_spacy_tokens_say_on_odd_text(coder):
    from allegiance.events.learned import Columns

    doc = coder.nlp("Émigrés 🇺🇦 fled —\n\n  «Kyiv»\t\u00a0said 😀😀 x\u200by.  The army  shelled Kharkiv.\n")
    cols = Columns.of(doc)
    assert Columns.of(doc) is cols  # read once per document
    for t in doc:
        assert (cols.pos[t.i], cols.dep[t.i], cols.idx[t.i], cols.length[t.i], cols.space[t.i]) == \
            (t.pos_, t.dep_, t.idx, len(t.text), t.is_space)
    assert any(cols.space)


def _plain_candidate_mentions(extractor, sent, gazetteer=None):
    """``candidate_mentions`` as first written, on spaCy's tokens (the reference)."""
    from allegiance.actors.base import Mention
    from allegiance.events.learned import ARG_DEPS, _kind, _sector

    out, seen, covered = [], set(), set()
    every = list(sent)
    position = {t.i: k for k, t in enumerate(t for t in every if not t.is_space)}

    def add(m, head):
        key = (head, m.key)
        if key in seen:
            return
        seen.add(key)
        start = max(min(m.start, head), sent.start)
        end = min(max(m.end, head + 1), sent.end)
        covered.update(range(start, end))
        ks = [position[i] for i in range(start, end) if i in position]
        if head not in position or not ks:
            return
        out.append(MentionFeature(min(ks), max(ks) + 1, position[head], m, _kind(m), _sector(m)))

    finder = extractor.finder
    for tok in every:
        if tok.pos_ not in ("NOUN", "PROPN", "PRON"):
            continue
        try:
            found = extractor.actors(tok)
        except Exception:
            found = []
        for m in found:
            add(m, m.head if sent.start <= m.head < sent.end else tok.i)
    cat = finder.cat
    for tok in every:
        if tok.i in covered:
            continue
        match = finder.match(tok)
        if tok.pos_ == "ADJ" and match is not None and match.kind == "adjective" and isinstance(match.ref, str):
            state = cat.states.get(match.ref)
            add(Mention(tok.i, tok.i + 1, tok.i, tok.text, state.name if state else None, match.ref, None,
                        None, "state", bare=True, rule="model:adjective"), tok.i)
    ents = finder.sent_ents(sent)
    for ent in ents:
        if ent.label_ == "PERSON" and not any(i in covered for i in range(ent.start, ent.end)) and len(ent) <= 5:
            add(Mention(ent.start, ent.end, ent.root.i, ent.text, ent.text, None, None, None, "person",
                        rule="model:person"), ent.root.i)
    if gazetteer is not None:
        for ent in ents:
            if ent.label_ not in ("GPE", "LOC", "FAC") or any(i in covered for i in range(ent.start, ent.end)):
                continue
            place = gazetteer.resolve(ent.text)
            if place is not None and place.country:
                add(Mention(ent.start, ent.end, ent.root.i, ent.text, None, place.country, None, None,
                            "place", rule="model:place"), ent.root.i)
    for tok in every:
        if tok.i in covered or tok.pos_ not in ("NOUN", "PROPN") or tok.dep_ not in ARG_DEPS:
            continue
        add(Mention(tok.left_edge.i if tok.left_edge.i >= sent.start else tok.i, tok.i + 1, tok.i,
                    tok.text, None, None, None, None, "other", rule="model:noun"), tok.i)
    return out


def test_candidate_mentions_are_those_the_token_walk_finds(hybrid_sentences):
    coder, ex, sents, _, feats = hybrid_sentences
    for sent, sf in zip(sents, feats):
        plain = _plain_candidate_mentions(ex, sent, coder.geo.gazetteer)
        assert [(m.start, m.end, m.anchor, m.mention, m.kind, m.sector) for m in sf.mentions] == \
            [(m.start, m.end, m.anchor, m.mention, m.kind, m.sector) for m in plain]
    assert sum(len(sf.mentions) for sf in feats) >= 8


def test_mention_vectors_keep_the_sign_of_zero_as_the_padded_sum_did():
    """One-token mentions skip the padded sum; its zero start (which makes -0.0 +0.0) is kept."""
    rng = np.random.default_rng(11)
    for trial in range(400):
        n = int(rng.integers(1, 30))
        h = rng.standard_normal((n, 16)).astype(np.float32)
        h[rng.random((n, 16)) < 0.2] = -0.0
        ms = []
        for _ in range(int(rng.integers(1, 6))):
            a = int(rng.integers(0, n))
            ms.append(MentionFeature(a, min(n, a + (int(rng.integers(0, 3)) if trial % 2 else 1)), a, None, 0, 0))
        spans = [(m.start, m.end) if m.end > m.start else (m.anchor, m.anchor + 1) for m in ms]
        width = max(b - a for a, b in spans)
        padded = np.vstack([h, np.zeros((1, h.shape[1]), h.dtype)])
        idx = np.array([list(range(a, b)) + [-1] * (width - (b - a)) for a, b in spans], np.int64)
        plain = padded[idx].sum(axis=1) / np.array([b - a for a, b in spans], h.dtype)[:, None]
        assert mention_means(h, ms).tobytes() == plain.tobytes()


def test_modes_are_the_first_of_the_best_logits_as_max_found_them():
    from allegiance.events.learned import MODE_LABELS, _allowed

    rng = np.random.default_rng(17)
    for _ in range(2000):
        logits = rng.integers(-3, 3, len(MODE_LABELS)).astype(np.float32)  # many ties
        logits[rng.random(len(MODE_LABELS)) < 0.1] = -0.0
        etype = TYPES[int(rng.integers(0, len(TYPES)))]
        best = max(_allowed(etype), key=lambda i: logits[i])
        want = None if best == 0 else MODE_LABELS[best].split("/", 1)[1]
        assert decode_mode(logits, etype) == want
