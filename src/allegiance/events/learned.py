"""The learned event model: triggers with PLOVER type and mode, and roles, from a trained encoder.

Features are shared by training (``allegiance.training``) and run time:

- per token of a sentence: the encoder's contextual vector (a fine-tuned MiniLM run with
  onnxruntime; the first word piece of each spaCy token), the token's part of speech and
  dependency label, the PLOVER types the trigger lexicon lists for its lemma, and the types of
  the rule candidates whose trigger it is;
- per (trigger, actor mention) pair: both vectors and their product, the dependency path between
  them, their distance, the mention's kind and sector, and whether a rule gave the mention that
  role for that trigger.

The token head scores "no event" and the 16 types (a softmax; a token of two events, such as a
conviction that is SANCTION and COERCE, shares its mass between them) and the modes; the role head says whether a mention is the trigger's source, target, both (a party to a
symmetric event), or neither. Heads are small numpy MLPs; the encoder is an ONNX file. The model
folder holds ``model.json`` (labels, vocabularies, settings, the sha256 of every file, checked at
load), ``encoder.onnx``, ``heads.npz`` and ``tokenizer.json``.
"""
from __future__ import annotations

import hashlib
import json
import threading
import zlib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence

import numpy as np

from ..errors import AllegianceError
from ..models import PLOVER_TYPES

if TYPE_CHECKING:  # spaCy is not imported where only the model is loaded (the parent of workers)
    from spacy.tokens import Span, Token

__all__ = ["SentenceAnalysis", "TYPES", "ROLES", "MODE_LABELS", "POS_TAGS", "SentenceFeatures", "MentionFeature",
           "featurize", "pair_features", "EventModel", "load_model", "model_dir", "ModelError",
           "trigger_head", "dep_path"]

TYPES: tuple[str, ...] = tuple(PLOVER_TYPES)
ROLES = ("none", "source", "target", "both")
POS_TAGS = ("ADJ ADP ADV AUX CCONJ DET INTJ NOUN NUM PART PRON PROPN PUNCT SCONJ SYM VERB X SPACE").split()
KINDS = ("state", "organisation", "person", "metonym", "agent", "group", "title", "place", "coref",
         "other")
SECTOR_LIST = ("GOV MIL REB COP JUD LEG PRM PTY SPY UAF UNK AGR BUS CRM CVL EDU ELI JRN LAB MED REF "
               "OPP PRE REL SOC").split()
DIST_BUCKETS = 10  # 0..8 by signed token distance, 9: another sentence
_ADP = 85  # spacy.symbols.ADP (checked by the tests; spaCy is not imported here)


def _mode_labels() -> tuple[str, ...]:
    from ..ontology import modes

    return ("-",) + tuple(f"{t}/{m}" for t in TYPES for m in modes(t))


MODE_LABELS: tuple[str, ...] = _mode_labels()
_MODE_INDEX = {m: i for i, m in enumerate(MODE_LABELS)}
_TYPE_INDEX = {t: i for i, t in enumerate(TYPES)}
_POS_INDEX = {p: i for i, p in enumerate(POS_TAGS)}


class ModelError(AllegianceError):
    """The event model is missing, altered or unreadable."""


def mode_index(etype: str, mode: str | None) -> int:
    return _MODE_INDEX.get(f"{etype}/{mode}", 0) if mode else 0


@dataclass
class MentionFeature:
    """An actor mention a role can be given to: its tokens (sentence-relative) and resolution."""

    start: int          # first token: its index in SentenceFeatures.tokens
    end: int            # after the last
    anchor: int         # the head token
    mention: Any        # actors.base.Mention
    kind: int
    sector: int


@dataclass
class SentenceFeatures:
    """What the model sees of one sentence."""

    sent: Span
    text: str
    tokens: list[Token]                 # the sentence's tokens, whitespace excluded
    offsets: list[tuple[int, int]]      # token char spans relative to ``text``
    pos: np.ndarray                     # [n] int
    dep: np.ndarray                     # [n] int (index in the model's dependency vocabulary)
    lex: np.ndarray                     # [n, 17] lexicon types + any
    rule: np.ndarray                    # [n, 17] rule-candidate types + any
    mentions: list[MentionFeature] = field(default_factory=list)
    rule_roles: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)
    rule_triggers: list[Any] = field(default_factory=list)  # the rule candidates of the sentence

    @property
    def n(self) -> int:
        return len(self.tokens)

    def spacy_vectors(self) -> np.ndarray:
        """[n, 96]: the parser's own token vectors (``doc.tensor``), for the spaCy-feature encoder."""
        tensor = self.sent.doc.tensor
        if tensor is None or len(tensor) < len(self.sent.doc):
            return np.zeros((self.n, 96), np.float32)
        return np.asarray(tensor[[t.i for t in self.tokens]], np.float32)

    def lemma_ids(self) -> np.ndarray:
        return np.array([lemma_bucket(t.lemma_) for t in self.tokens], np.int64)

    def tree(self) -> "Tree":
        """The document's dependency tree as integers, read from spaCy once per document."""
        return Tree.of(self.sent.doc)


class _Labels(dict):
    """Path labels by token index, made when first asked for (``_dep_label`` of the token)."""

    def __init__(self, doc: Any, arr: np.ndarray) -> None:
        super().__init__()
        self.strings = doc.vocab.strings
        self.dep, self.pos, self.lower = arr.T.tolist()

    def __missing__(self, i: int) -> str:
        label = self.strings[self.dep[i]]
        if self.pos[i] == _ADP and label in ("prep", "agent", "dative"):
            label = f"{label}:{self.strings[self.lower[i]]}"
        self[i] = label
        return label


class Tree:
    """Heads and path labels of a document's tokens by index: the heads read from the document's
    arrays at once (no spaCy ``Token`` made), each label when first needed."""

    def __init__(self, doc: Any) -> None:
        from spacy.attrs import DEP, HEAD, LOWER, POS

        self.doc = doc
        arr = doc.to_array([HEAD, DEP, POS, LOWER])
        self.head: list[int] = (arr[:, 0].view(np.int64) + np.arange(len(doc), dtype=np.int64)).tolist()
        self.label: dict[int, str] = _Labels(doc, arr[:, 1:])

    @classmethod
    def of(cls, doc: Any) -> "Tree":
        """The tree of a parsed document, made once (kept in its ``user_data``)."""
        got = doc.user_data.get("allegiance.tree")
        if got is None or got.doc is not doc:
            got = doc.user_data["allegiance.tree"] = cls(doc)
        return got

    def up(self, i: int) -> int:
        return self.head[i]


class Columns:
    """What the model's features read of every token of a document, read from spaCy once: the
    part of speech and dependency label (as the ``Token`` gives them: a label is read from the
    first token that has its id), the character offset and length, and whether it is whitespace."""

    def __init__(self, doc: Any) -> None:
        from spacy.attrs import DEP, IDX, IS_SPACE, LENGTH, POS

        self.doc = doc
        arr = doc.to_array([POS, DEP, IDX, LENGTH, IS_SPACE])
        pos_ids, dep_ids, self.idx, self.length, space = arr.T.tolist()
        pos_names: dict[int, str] = {}
        dep_names: dict[int, str] = {}
        for i, (p, d) in enumerate(zip(pos_ids, dep_ids)):
            if p not in pos_names:
                pos_names[p] = doc[i].pos_
            if d not in dep_names:
                dep_names[d] = doc[i].dep_
        self.pos: list[str] = [pos_names[p] for p in pos_ids]  # ``Token.pos_``
        self.dep: list[str] = [dep_names[d] for d in dep_ids]  # ``Token.dep_``
        self.space: list[bool] = [bool(x) for x in space]  # ``Token.is_space``
        self._dep_ids: dict[int, list[int]] = {}

    @classmethod
    def of(cls, doc: Any) -> "Columns":
        """The columns of a parsed document, read once (kept in its ``user_data``)."""
        got = doc.user_data.get("allegiance.columns")
        if got is None or got.doc is not doc:
            got = doc.user_data["allegiance.columns"] = cls(doc)
        return got

    def dep_ids(self, dep_vocab: dict[str, int]) -> list[int]:
        """Each token's index in a model's dependency vocabulary (``dep_vocab.get(dep_.lower(), 0)``)."""
        got = self._dep_ids.get(id(dep_vocab))
        if got is None:
            lowered = {d: dep_vocab.get(d.lower(), 0) for d in set(self.dep)}
            got = self._dep_ids[id(dep_vocab)] = [lowered[d] for d in self.dep]
        return got


LEMMA_BUCKETS = 1 << 15


def lemma_bucket(lemma: str) -> int:
    """A stable hash bucket of a lowercased lemma (the spaCy-feature encoder's word embedding)."""
    return zlib.crc32(lemma.lower().encode("utf-8")) % LEMMA_BUCKETS


def trigger_head(tokens: Sequence[Token]) -> Token:
    """The token of a span whose syntactic head lies outside the span (its root)."""
    ids = {t.i for t in tokens}
    for t in tokens:
        if t.head.i not in ids or t.head.i == t.i:
            return t
    return tokens[0]


def dep_path(a: Token, b: Token, limit: int = 5, same_sentence: bool = False) -> str:
    """The dependency path from ``a`` up to the common ancestor and down to ``b``: ``^dobj
    vnsubj``; prepositions carry their word (``vprep:against vpobj``). Longer than ``limit``
    steps: ``LONG``; across sentences: ``XSENT`` (not checked when the caller knows both are in
    one sentence: ``Token.sent`` is costly)."""
    if not same_sentence and a.sent.start != b.sent.start:
        return "XSENT"
    return _tree_paths(Tree.of(a.doc), a.i, [b.i], limit)[0]


def dist_bucket(anchor: int, trig: int, same_sentence: bool = True) -> int:
    """Signed token distance of a mention from its trigger, in 9 bins; 9 for another sentence."""
    if not same_sentence:
        return 9
    d = anchor - trig
    for k, hi in enumerate((-10, -5, -2, -1, 0, 1, 4, 9)):
        if d <= hi:
            return k
    return 8


def _kind(m: Any) -> int:
    if m.rule.startswith(("coref", "relative")):
        return KINDS.index("coref")
    return KINDS.index(m.kind) if m.kind in KINDS else KINDS.index("other")


def _sector(m: Any) -> int:
    return SECTOR_LIST.index(m.sector) + 1 if m.sector in SECTOR_LIST else 0


def _types_hot(types: Sequence[str]) -> np.ndarray:
    v = np.zeros(len(TYPES) + 1, np.float32)
    for t in types:
        if t in _TYPE_INDEX:
            v[_TYPE_INDEX[t]] = 1.0
            v[-1] = 1.0
    return v


ARG_DEPS = frozenset({"nsubj", "nsubjpass", "dobj", "pobj", "dative", "conj", "appos", "attr", "poss"})


def candidate_mentions(extractor: Any, sent: Span, gazetteer: Any = None,
                       tokens: Sequence[Token] | None = None) -> list[MentionFeature]:
    """The actor mentions of a sentence a role can go to, one per (head, actor): resolved actor
    phrases (pronouns through coreference), nationality adjectives of things ("a Turkish
    offensive": Turkey), places (a place that is hit stands for its country), and other nouns in
    argument positions (their country, if any, comes from the context when a record is made).
    ``tokens``: the sentence's tokens when the caller has them (``list(sent)``, every one)."""
    from ..actors.base import Mention

    out: list[MentionFeature] = []
    seen: set = set()
    covered: set[int] = set()
    every = list(sent) if tokens is None else tokens
    cols = Columns.of(sent.doc)
    first = sent.start
    tags, deps, space = cols.pos, cols.dep, cols.space
    position = {i: k for k, i in enumerate(i for i in range(first, sent.end) if not space[i])}

    def add(m: Any, head: int) -> None:
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
    for j, tok in enumerate(every):
        if tags[first + j] not in ("NOUN", "PROPN", "PRON"):
            continue
        try:
            found = extractor.actors(tok)
        except Exception:  # a resolver failure on one phrase must not stop the sentence
            found = []
        for m in found:
            add(m, m.head if sent.start <= m.head < sent.end else tok.i)
    cat = finder.cat
    for j, tok in enumerate(every):
        if first + j in covered or tags[first + j] != "ADJ":
            continue
        match = finder.match(tok)
        if match is not None and match.kind == "adjective" and isinstance(match.ref, str):
            state = cat.states.get(match.ref)
            add(Mention(tok.i, tok.i + 1, tok.i, tok.text, state.name if state else None, match.ref, None,
                        None, "state", bare=True, rule="model:adjective"), tok.i)
    ents = finder.sent_ents(sent) if hasattr(finder, "sent_ents") else sent.ents
    for ent in ents:  # a person the catalog does not know: named, country from the context
        if ent.label_ == "PERSON" and not any(i in covered for i in range(ent.start, ent.end)) and len(ent) <= 5:
            add(Mention(ent.start, ent.end, ent.root.i, ent.text, ent.text, None, None, None, "person",
                        rule="model:person"), ent.root.i)
    if gazetteer is not None:
        for ent in ents:
            if ent.label_ not in ("GPE", "LOC", "FAC") or any(i in covered for i in range(ent.start, ent.end)):
                continue
            try:
                place = gazetteer.resolve(ent.text)
            except Exception:
                place = None
            if place is not None and place.country:
                add(Mention(ent.start, ent.end, ent.root.i, ent.text, None, place.country, None, None,
                            "place", rule="model:place"), ent.root.i)
    for j, tok in enumerate(every):
        i = first + j
        if i in covered or tags[i] not in ("NOUN", "PROPN") or deps[i] not in ARG_DEPS:
            continue
        add(Mention(tok.left_edge.i if tok.left_edge.i >= sent.start else tok.i, tok.i + 1, tok.i,
                    tok.text, None, None, None, None, "other", rule="model:noun"), tok.i)
    return out


def featurize(sent: Span, extractor: Any, rule_cands: Sequence[Any], dep_vocab: dict[str, int],
              gazetteer: Any = None, *, text: str | None = None) -> SentenceFeatures:
    """Features of one parsed sentence; ``extractor`` is the rule coder's ``Extractor`` of its
    document and ``rule_cands`` the candidates it found in the sentence; ``text``: the
    sentence's text when the caller has it."""
    cols = Columns.of(sent.doc)
    every = list(sent)
    first = sent.start
    space = cols.space
    kept = [i for i in range(first, sent.end) if not space[i]]  # the tokens, whitespace excluded
    tokens = [every[i - first] for i in kept]
    base = sent.start_char
    idx, length = cols.idx, cols.length
    offsets = [(idx[i] - base, idx[i] - base + length[i]) for i in kept]
    n = len(tokens)
    all_tags, all_deps = cols.pos, cols.dep_ids(dep_vocab)
    tags = [all_tags[i] for i in kept]
    pos = np.array([_POS_INDEX.get(p, len(POS_TAGS) - 1) for p in tags], np.int64)
    dep = np.array([all_deps[i] for i in kept], np.int64)
    lex = np.zeros((n, len(TYPES) + 1), np.float32)
    rule = np.zeros((n, len(TYPES) + 1), np.float32)
    index = {i: k for k, i in enumerate(kept)}
    for k, t in enumerate(tokens):
        if tags[k] not in ("VERB", "AUX", "NOUN", "PROPN"):
            continue  # no sense is looked up: no lexicon type
        types: set[str] = set()
        try:
            if tags[k] in ("VERB", "AUX"):
                found = extractor.verb_senses(t)
                types |= {s.type for s in found[1]} if found else set()
            if tags[k] in ("NOUN", "PROPN", "VERB"):
                found = extractor.noun_senses(t)
                types |= {s.type for s in found[1]} if found else set()
        except Exception:
            pass
        if types:
            lex[k] = _types_hot(sorted(types))
    roles: dict[tuple[int, int], tuple[int, int]] = {}
    for c in rule_cands:
        span = range(min(c.trigger.i, c.trigger_end - 1), max(c.trigger.i + 1, c.trigger_end))
        for i in span:
            if i in index:
                rule[index[i]] = np.maximum(rule[index[i]], _types_hot([c.sense.type]))
        k = index.get(c.trigger.i)
        if k is None:
            continue
        for role, m in ((0, c.source), (1, c.target)):
            if m is not None and m.head in index:
                cur = list(roles.get((k, index[m.head]), (0, 0)))
                cur[role] = 1
                roles[(k, index[m.head])] = (cur[0], cur[1])
    feats = SentenceFeatures(sent, sent.text if text is None else text, tokens, offsets, pos, dep, lex, rule,
                             candidate_mentions(extractor, sent, gazetteer, every), roles, list(rule_cands))
    return feats


def _dep_label(t: Token) -> str:
    if t.dep_ in ("prep", "agent", "dative") and t.pos_ == "ADP":
        return f"{t.dep_}:{t.lower_}"
    return t.dep_


def dep_paths(a: Token, bs: Sequence[Token], limit: int = 5, tree: Tree | None = None) -> list[str]:
    """``dep_path(a, b, limit, same_sentence=True)`` for each ``b`` (all in ``a``'s sentence),
    with ``a``'s ancestors read once; ``tree``: the document's `Tree`, shared by the calls of a
    sentence so that spaCy's tokens are read once."""
    return _tree_paths(tree if tree is not None else Tree.of(a.doc), a.i, [b.i for b in bs], limit)


def _tree_paths(tree: Tree, a: int, bs: Sequence[int], limit: int) -> list[str]:
    head_of = tree.head
    up_a = [a]
    while head_of[up_a[-1]] != up_a[-1]:
        up_a.append(head_of[up_a[-1]])
    pos_a = {t: k for k, t in enumerate(up_a)}
    label = tree.label
    out = []
    for b in bs:
        if a == b:
            out.append("SELF")
            continue
        down: list[int] = []
        node = b
        long = False
        while node not in pos_a:
            down.append(node)
            head = head_of[node]
            if head == node:
                long = True
                break
            node = head
        k = pos_a[node] if not long else 0
        if long or k + len(down) > limit:
            out.append("LONG")
            continue
        out.append(" ".join([f"^{label[t]}" for t in up_a[:k]] + [f"v{label[t]}" for t in reversed(down)]))
    return out


_DIST_EDGES = np.array((-10, -5, -2, -1, 0, 1, 4, 9), np.int64)  # dist_bucket's upper bounds


class _Pairs:
    """What the pair features of a sentence's triggers share, read once per sentence: the
    tokens' document indices, the mentions' anchors, and the rule roles by trigger token."""

    def __init__(self, sf: SentenceFeatures, mentions: Sequence[MentionFeature]) -> None:
        self.ids = [t.i for t in sf.tokens]
        self.anchors = [mf.anchor for mf in mentions]
        self.anchor_ids = [self.ids[k] for k in self.anchors]
        self.anchor_array = np.array(self.anchors, np.int64)
        self.any_rule = sf.rule[:, -1] > 0
        # trigger token -> [(mention row, (source, target))]: the rule roles its mentions have
        rows: dict[int, list[int]] = {}
        for j, k in enumerate(self.anchors):
            rows.setdefault(k, []).append(j)
        self.roles: dict[int, list[tuple[int, tuple[int, int]]]] = {}
        for (k, anchor), got in sf.rule_roles.items():
            for j in rows.get(anchor, ()):
                self.roles.setdefault(k, []).append((j, got))


def _trigger_head_index(tree: "Tree", ids: Sequence[int], trig: Sequence[int]) -> int:
    """``trigger_head`` on the tree: the position (in ``trig``) of the trigger's root token."""
    if len(trig) == 1:
        return trig[0]
    inside = {ids[k] for k in trig}
    for k in trig:
        i = ids[k]
        if tree.head[i] not in inside or tree.head[i] == i:
            return k
    return trig[0]


def pair_rows(sf: SentenceFeatures, trig: Sequence[int], mentions: Sequence[MentionFeature],
              path_vocab: dict[str, int], shared: _Pairs | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``pair_features`` of a trigger and every mention, as arrays (path ids, distance buckets,
    rule-role vectors): the trigger's head, ancestors and rule flags computed once; ``shared``:
    the sentence's `_Pairs` (made here when not given)."""
    if shared is None:
        shared = _Pairs(sf, mentions)
    tree = sf.tree()
    head_k = _trigger_head_index(tree, shared.ids, trig)
    paths = _tree_paths(tree, shared.ids[head_k], shared.anchor_ids, 5)
    pid = np.array([path_vocab.get(p, 0) for p in paths], np.int64)
    # dist_bucket of each anchor: the first upper bound the signed distance does not exceed
    dist = np.searchsorted(_DIST_EDGES, shared.anchor_array - head_k, side="left")
    rr = np.zeros((len(mentions), 3), np.float32)
    rr[:, 2] = 1.0 if shared.any_rule[list(trig)].any() else 0.0
    for k in trig:
        for j, got in shared.roles.get(k, ()):
            rr[j, 0] = max(rr[j, 0], got[0])
            rr[j, 1] = max(rr[j, 1], got[1])
    return pid, dist, rr


def pair_features(sf: SentenceFeatures, trig: Sequence[int], mf: MentionFeature,
                  path_vocab: dict[str, int]) -> tuple[int, int, np.ndarray]:
    """(path id, distance bucket, rule-role vector [src, tgt, any]) of a trigger (its token
    indices in ``sf.tokens``) and a mention."""
    head = trigger_head([sf.tokens[k] for k in trig])
    head_k = next((k for k in trig if sf.tokens[k].i == head.i), trig[0])
    path = dep_path(head, sf.tokens[mf.anchor], same_sentence=True)
    pid = path_vocab.get(path, 0)
    dist = dist_bucket(mf.anchor, head_k)
    rr = np.zeros(3, np.float32)
    for k in trig:
        got = sf.rule_roles.get((k, mf.anchor))
        if got:
            rr[0] = max(rr[0], got[0])
            rr[1] = max(rr[1], got[1])
    rr[2] = 1.0 if sf.rule[trig, -1].max() > 0 else 0.0
    return pid, dist, rr


# -- numpy heads ------------------------------------------------------------------------------

def _gelu(x: np.ndarray) -> np.ndarray:
    """``0.5 * x * (1.0 + np.tanh(0.7978845608028654 * (x + 0.044715 * (x * x * x))))``, the
    same operations in the same order, in place in two buffers."""
    t = x * x
    t *= x
    t *= 0.044715
    t += x
    t *= 0.7978845608028654
    np.tanh(t, out=t)
    t += 1.0
    out = 0.5 * x
    out *= t
    return out


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def _softmax(x: np.ndarray) -> np.ndarray:
    e = x - x.max(axis=-1, keepdims=True)
    np.exp(e, out=e)
    e /= e.sum(axis=-1, keepdims=True)
    return e


class Heads:
    """The token and role heads, as trained (``training.heads`` mirrors them in torch)."""

    def __init__(self, w: dict[str, np.ndarray]) -> None:
        self.w = {k: v.astype(np.float32) for k, v in w.items()}
        # transposed weights laid out once: numpy multiplies a strided slice of a matrix (or its
        # transpose) several times slower than a contiguous copy, with the same result
        self._t: dict[str, np.ndarray] = {}
        if "tok.l1.w" in self.w:
            self._t["tok.l1"] = np.ascontiguousarray(self.w["tok.l1.w"].T)

    def tokens(self, h: np.ndarray, pos: np.ndarray, dep: np.ndarray, lex: np.ndarray,
               rule: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        w = self.w
        x = np.concatenate([h, w["tok.pos"][pos], w["tok.dep"][dep], lex, rule], axis=-1)
        z = _gelu(x @ self._t["tok.l1"] + w["tok.l1.b"])
        probs = _softmax(z @ w["tok.type.w"].T + w["tok.type.b"])  # [none, 16 types]
        return probs[:, 1:], z @ w["tok.mode.w"].T + w["tok.mode.b"]

    def spacy_encoder(self, vec: np.ndarray, lemmas: np.ndarray) -> np.ndarray:
        """The spaCy-feature encoder (``training.model.SpacyCNN``): the parser's token vectors and
        a lemma embedding, projected, then two residual convolutions over three tokens."""
        w = self.w
        x = np.concatenate([vec, w["enc.lemma"][lemmas]], axis=-1) @ w["enc.proj.w"].T + w["enc.proj.b"]
        for layer in range(int(self.w["enc.layers"][0])):
            k = w[f"enc.conv{layer}.w"]  # [out, in, 3]
            pad = np.pad(x, ((1, 1), (0, 0)))
            y = pad[:-2] @ k[:, :, 0].T + pad[1:-1] @ k[:, :, 1].T + pad[2:] @ k[:, :, 2].T + w[f"enc.conv{layer}.b"]
            x = x + _gelu(y)
        return x.astype(np.float32)

    def roles(self, ht: np.ndarray, hm: np.ndarray, path: np.ndarray, dist: np.ndarray,
              kind: np.ndarray, sector: np.ndarray, rr: np.ndarray, types: np.ndarray) -> np.ndarray:
        w = self.w
        x = np.concatenate([ht, hm, ht * hm, w["role.path"][path], w["role.dist"][dist],
                            w["role.kind"][kind], w["role.sector"][sector], rr, types], axis=-1)
        z = _gelu(x @ w["role.l1.w"].T + w["role.l1.b"])
        return _softmax(z @ w["role.out.w"].T + w["role.out.b"])

    def roles_untyped(self, ht: np.ndarray, hm: np.ndarray, path: np.ndarray, dist: np.ndarray,
                      kind: np.ndarray, sector: np.ndarray, rr: np.ndarray,
                      hm_proj: np.ndarray | None = None) -> np.ndarray:
        """The role head's first layer before the event type's one-hot is added: computed once
        per trigger, whatever types are then asked of it (``roles_typed``). The same sums as
        ``roles`` when every row of ``ht`` is the same trigger's vector, by blocks: the embeddings are looked up already projected, the trigger's vector
        is projected once, and the mentions' (``hm_proj``, from ``project_mentions``) once per
        sentence."""
        t = self._role_tables()
        d = ht.shape[1]
        w1 = self.w["role.l1.w"]
        if hm_proj is None:
            hm_proj = self.project_mentions(hm)
        return ((ht[:1] @ w1[:, :d].T) + hm_proj + (ht * hm) @ t["prod"]
                + t["path"][path] + t["dist"][dist] + t["kind"][kind] + t["sector"][sector]
                + rr @ t["rr"].T + self.w["role.l1.b"])

    def project_mentions(self, hm: np.ndarray) -> np.ndarray:
        return hm @ self._role_tables()["mention"]

    def mention_rows(self, kind: np.ndarray, sector: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The projected kind and sector embeddings of a sentence's mentions (``roles_first``)."""
        t = self._role_tables()
        return t["kind"][kind], t["sector"][sector]

    def roles_first(self, ht: np.ndarray, hm: np.ndarray, path: np.ndarray, dist: np.ndarray, rr: np.ndarray,
                    hm_proj: np.ndarray, rows: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
        """``roles_untyped`` for one trigger vector ``ht`` [d] (not repeated per mention), with the
        mentions' projection and kind and sector rows made once per sentence (``project_mentions``,
        ``mention_rows``): the same operations on the same operands, in the same order, so the
        same bits; the sums are made in place."""
        t = self._role_tables()
        x = ht.reshape(1, -1) @ t["trigger"]
        x = x + hm_proj
        x += (ht * hm) @ t["prod"]
        x += t["path"][path]
        x += t["dist"][dist]
        x += rows[0]
        x += rows[1]
        x += rr @ t["rr"].T
        x += self.w["role.l1.b"]
        return x

    def _role_tables(self) -> dict[str, np.ndarray]:
        if getattr(self, "_tables", None) is None:
            w, w1 = self.w, self.w["role.l1.w"]
            d = (w1.shape[1] - sum(w[f"role.{k}"].shape[1] for k in ("path", "dist", "kind", "sector"))
                 - 3 - len(TYPES)) // 3
            col, tables = 3 * d, {}
            for k in ("path", "dist", "kind", "sector"):
                e = w[f"role.{k}"]
                tables[k] = e @ w1[:, col:col + e.shape[1]].T
                col += e.shape[1]
            tables["rr"] = w1[:, col:col + 3]
            tables["trigger"] = w1[:, :d].T  # a view, as roles_untyped multiplies it
            # each type's first-layer column, contiguous (added elementwise: the same values)
            tables["type"] = np.ascontiguousarray(w1[:, w1.shape[1] - len(TYPES):].T)
            tables["mention"] = np.ascontiguousarray(w1[:, d:2 * d].T)
            tables["prod"] = np.ascontiguousarray(w1[:, 2 * d:3 * d].T)
            self._tables = tables
        return self._tables

    def roles_typed(self, pre: np.ndarray, type_index: int) -> np.ndarray:
        """``roles`` for a one-hot type, from ``roles_untyped``'s output."""
        w = self.w
        z = _gelu(pre + self._role_tables()["type"][type_index])
        return _softmax(z @ w["role.out.w"].T + w["role.out.b"])


# -- the model at run time --------------------------------------------------------------------

def model_dir() -> Path:
    """The folder of the shipped model."""
    return Path(__file__).resolve().parents[1] / "data" / "model"


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


@dataclass
class Trigger:
    """A trigger the model found: its tokens, type, probability and mode."""

    tokens: list[int]
    type: str
    p: float
    mode: str | None


@dataclass
class Role:
    mention: MentionFeature
    probs: np.ndarray  # over ROLES
    # what ``combine`` reads of ``probs``, made once for all the mentions of a trigger (``_score_roles``):
    # the probabilities as Python floats (the same numbers), and P(source) + P(both) and
    # P(target) + P(both) summed in float32, as ``float(p[1] + p[3])`` sums them
    values: list[float] | None = None
    source: float | None = None
    target: float | None = None


class EventModel:
    """The trained model: load once per process (``load_model``), then ``predict``."""

    def __init__(self, folder: Path) -> None:
        folder = Path(folder)
        meta_path = folder / "model.json"
        if not meta_path.is_file():
            raise ModelError(f"{meta_path}: no model here (run `make train`, or use --engine rules)")
        self.meta = json.loads(meta_path.read_text(encoding="utf-8"))
        for name, digest in self.meta["files"].items():
            path = folder / name
            if not path.is_file():
                raise ModelError(f"{path}: missing (the model folder is incomplete)")
            if _sha256(path) != digest:
                raise ModelError(f"{path}: sha256 differs from model.json; the file was altered or "
                                 f"truncated (re-install allegiance or run `make train`)")
        self.folder = folder
        self.sha256 = _sha256(meta_path)
        self.name = self.meta.get("name", "allegiance-event-model")
        self.dep_vocab: dict[str, int] = {d: i for i, d in enumerate(self.meta["dep_vocab"])}
        self.path_vocab: dict[str, int] = {p: i for i, p in enumerate(self.meta["path_vocab"])}
        self.thresholds: dict[str, float] = self.meta.get("thresholds", {})
        self.calibration: dict[str, Any] = self.meta.get("calibration", {})
        self.max_pieces = int(self.meta.get("max_pieces", 128))
        with np.load(folder / "heads.npz") as npz:
            self.heads = Heads({k: npz[k] for k in npz.files})
        self.encoder_kind = self.meta.get("encoder_kind", "minilm")
        self._lock = threading.Lock()
        if self.encoder_kind == "spacy":
            self.tokenizer = self.session = None
            return
        from tokenizers import Tokenizer

        self.tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self.tokenizer.no_padding()
        self.tokenizer.no_truncation()
        import onnxruntime as ort

        opts = ort.SessionOptions()
        opts.intra_op_num_threads = 1  # fixed: the same scores on every machine and run
        opts.inter_op_num_threads = 1
        opts.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        opts.log_severity_level = 3
        self.session = ort.InferenceSession(str(folder / "encoder.onnx"), opts,
                                            providers=["CPUExecutionProvider"])
        self._lock = threading.Lock()

    @property
    def version(self) -> str:
        return f"{self.name}@{self.sha256[:12]}"

    # -- encoding -----------------------------------------------------------------------------
    def encode(self, feats: Sequence[SentenceFeatures], batch_size: int = 1) -> list[np.ndarray]:
        """Per sentence, a [n_tokens, d] array: the first word piece's vector of each token (or
        the spaCy-feature encoder's vector).

        One sentence per encoder call by default: the int8 encoder quantises its activations per
        call, so a sentence padded beside others would score differently from the same sentence
        alone, and on CPU batches of more than a few sentences are slower anyway (padding; measured
        1.58 ms a sentence alone, 2.8 ms in batches of 32)."""
        if self.encoder_kind == "spacy":
            return [self.heads.spacy_encoder(f.spacy_vectors(), f.lemma_ids()) for f in feats]
        out: list[np.ndarray | None] = [None] * len(feats)
        encs = self.tokenizer.encode_batch([f.text for f in feats])
        if batch_size == 1:  # (the default) each sentence alone: no padding, every piece attended
            for i, enc in enumerate(encs):
                pieces, usable = piece_ids(enc.ids, self.max_pieces)  # ``Encoding.ids`` is a new list each time
                ids = np.array([pieces], np.int64)
                with self._lock:
                    hidden = self.session.run(None, {"ids": ids, "mask": np.ones_like(ids)})[0]
                out[i] = pool(hidden[0], enc.offsets, feats[i].offsets, usable)
            return out  # type: ignore[return-value]
        order = sorted(range(len(feats)), key=lambda i: len(encs[i].ids))
        for b in range(0, len(order), batch_size):
            idx = order[b:b + batch_size]
            n = min(max(len(encs[i].ids) for i in idx), self.max_pieces)
            ids = np.zeros((len(idx), n), np.int64)
            mask = np.zeros((len(idx), n), np.int64)
            usable = {}
            for r, i in enumerate(idx):
                pieces, usable[i] = piece_ids(encs[i].ids, n)
                ids[r, :len(pieces)] = pieces
                mask[r, :len(pieces)] = 1
            with self._lock:
                hidden = self.session.run(None, {"ids": ids, "mask": mask})[0]
            for r, i in enumerate(idx):
                out[i] = pool(hidden[r], encs[i].offsets, feats[i].offsets, usable[i])
        return out  # type: ignore[return-value]

    def analyse(self, feats: Sequence[SentenceFeatures]) -> list["SentenceAnalysis"]:
        """Encode the sentences and score their tokens; roles are scored on demand."""
        if not feats:
            return []
        hidden = self.encode(feats)
        out = []
        for sf, h in zip(feats, hidden):
            p_type, mode_logits = self.heads.tokens(h, sf.pos, sf.dep, sf.lex, sf.rule)
            out.append(SentenceAnalysis(self, sf, h, np.round(p_type, 4), mode_logits))
        return out


class SentenceAnalysis:
    """The model's view of one sentence: type probabilities per token, roles per trigger."""

    def __init__(self, model: EventModel, sf: SentenceFeatures, h: np.ndarray, p_type: np.ndarray,
                 mode_logits: np.ndarray) -> None:
        self.model, self.sf, self.h, self.p_type, self.mode_logits = model, sf, h, p_type, mode_logits
        self._roles: dict[tuple[tuple[int, ...], str], list[Role]] = {}
        self._pre: dict[tuple[int, ...], np.ndarray] = {}
        self._hm: np.ndarray | None = None
        self._hm_proj: np.ndarray | None = None

    def triggers(self, tau: float) -> list[Trigger]:
        return decode_triggers(self.p_type, self.mode_logits, tau)

    def type_prob(self, tokens: Sequence[int], etype: str) -> float:
        ti = _TYPE_INDEX[etype]
        return float(max(self.p_type[k, ti] for k in tokens)) if tokens else 0.0

    def mode(self, tokens: Sequence[int], etype: str) -> str | None:
        return decode_mode(self.mode_logits[list(tokens)].mean(axis=0), etype)

    def roles(self, tokens: Sequence[int], etype: str) -> list[Role]:
        """Role probabilities of every candidate mention for a trigger of ``etype``."""
        key = (tuple(tokens), etype)
        if key not in self._roles:
            self._roles[key] = self._score_roles(list(tokens), etype)
        return self._roles[key]

    def _score_roles(self, tokens: list[int], etype: str) -> list[Role]:
        sf, h = self.sf, self.h
        if not sf.mentions:
            return []
        key = tuple(tokens)
        heads = self.model.heads
        pre = self._pre.get(key)
        if pre is None:  # the pair features and first layer, once per trigger for all its types
            if self._hm is None:  # what the mentions bring, once per sentence
                self._hm = mention_means(h, sf.mentions)
                self._hm_proj = heads.project_mentions(self._hm)
                self._rows = heads.mention_rows(np.array([mf.kind for mf in sf.mentions]),
                                                np.array([mf.sector for mf in sf.mentions]))
                self._pairs = _Pairs(sf, sf.mentions)
            # one token (as the coder asks): its vector, which is its mean to the bit
            ht = h[tokens[0]] if len(tokens) == 1 else h[tokens].mean(axis=0)
            pid, dist, rr = pair_rows(sf, tokens, sf.mentions, self.model.path_vocab, self._pairs)
            pre = heads.roles_first(ht, self._hm, pid, dist, rr, self._hm_proj, self._rows)
            self._pre[key] = pre
        probs = heads.roles_typed(pre, _TYPE_INDEX[etype]).round(4)  # elementwise: as rounding each row
        if probs.dtype != np.float32:  # (never: the heads are float32) combine reads the arrays then
            return [Role(mf, p) for mf, p in zip(sf.mentions, probs)]
        src = (probs[:, 1] + probs[:, 3]).tolist()  # float32 sums, as combine's ``_p`` makes them one by one
        tgt = (probs[:, 2] + probs[:, 3]).tolist()
        return [Role(mf, p, v, a, b) for mf, p, v, a, b in zip(sf.mentions, probs, probs.tolist(), src, tgt)]


def mention_means(h: np.ndarray, mentions: Sequence[MentionFeature]) -> np.ndarray:
    """Each mention's vector: the mean of its tokens' vectors (its anchor's when it has none);
    the same sums, in the same order, as ``h[start:end].mean(axis=0)`` per mention, in one call."""
    starts = np.array([mf.start if mf.end > mf.start else mf.anchor for mf in mentions], np.int64)
    widths = np.array([mf.end - mf.start if mf.end > mf.start else 1 for mf in mentions], np.int64)
    width = int(widths.max())
    if width == 1:  # a sum of one row is that row added to numpy's zero (which makes -0.0 +0.0)
        return (h[starts] + 0.0) / widths.astype(h.dtype)[:, None]
    padded = np.vstack([h, np.zeros((1, h.shape[1]), h.dtype)])  # row -1: zeros, which add nothing
    steps = np.arange(width, dtype=np.int64)
    idx = starts[:, None] + steps
    idx[steps >= widths[:, None]] = -1
    sums = padded[idx].sum(axis=1)  # row by row, as the sum of a mean is
    return sums / widths.astype(h.dtype)[:, None]


def piece_ids(ids: Sequence[int], limit: int) -> tuple[list[int], int]:
    """Word-piece ids cut to ``limit`` (keeping the closing [SEP]) and how many of the original
    pieces are kept whole."""
    if len(ids) <= limit:
        return list(ids), len(ids)
    return list(ids[:limit - 1]) + [ids[-1]], limit - 1


def first_pieces(piece_offsets: Sequence[tuple[int, int]], token_offsets: Sequence[tuple[int, int]],
                 n_pieces: int) -> list[int]:
    """The index of each token's first word piece among the first ``n_pieces`` (-1: none)."""
    starts = [(a, b, j) for j, (a, b) in enumerate(piece_offsets[:n_pieces]) if b > a]
    out, k = [], 0
    for ta, tb in token_offsets:
        while k < len(starts) and starts[k][1] <= ta:
            k += 1
        out.append(starts[k][2] if k < len(starts) and starts[k][0] < tb else -1)
    return out


def pool(hidden: np.ndarray, piece_offsets: Sequence[tuple[int, int]], token_offsets: Sequence[tuple[int, int]],
         n_pieces: int) -> np.ndarray:
    """Each spaCy token's vector: its first word piece (tokens past the truncation get zeros)."""
    out = np.zeros((len(token_offsets), hidden.shape[-1]), np.float32)
    js = np.array(first_pieces(piece_offsets, token_offsets, n_pieces), np.intp)
    got = js >= 0
    out[got] = hidden[js[got]]  # the rows copied in one call
    return out


def decode_triggers(p_type: np.ndarray, mode_logits: np.ndarray, tau: float) -> list[Trigger]:
    """Runs of adjacent tokens above ``tau`` for the same type are one trigger."""
    found: list[Trigger] = []
    hits = p_type >= tau
    for ti in np.flatnonzero(hits.any(axis=0)):  # only the types some token reaches
        etype, col = TYPES[ti], p_type[:, ti]
        ks = np.flatnonzero(hits[:, ti]).tolist()
        runs: list[list[int]] = []
        for k in ks:
            if runs and runs[-1][-1] == k - 1:
                runs[-1].append(k)
            else:
                runs.append([k])
        for toks in runs:
            if len(toks) == 1:  # a run of one token: its mode logits are their own mean (the same argmax)
                best, logits = toks[0], mode_logits[toks[0]]
            else:
                best, logits = max(toks, key=lambda x: col[x]), mode_logits[toks].mean(axis=0)
            found.append(Trigger(toks, etype, round(float(col[best]), 4), decode_mode(logits, etype)))
    return sorted(found, key=lambda t: (t.tokens[0], t.type))


@lru_cache(maxsize=None)
def _allowed(etype: str) -> tuple[int, ...]:
    return (0,) + tuple(i for i, m in enumerate(MODE_LABELS) if m.startswith(etype + "/"))


@lru_cache(maxsize=None)
def _allowed_index(etype: str) -> np.ndarray:
    return np.array(_allowed(etype), np.intp)


def decode_mode(logits: np.ndarray, etype: str) -> str | None:
    """The best scored mode of ``etype`` (or none, index 0): the first of the highest logits,
    as ``max(allowed, key=lambda i: logits[i])`` finds it, compared as Python floats (float32
    values widen exactly, so they order the same)."""
    allowed = _allowed(etype)
    vals = logits[_allowed_index(etype)].tolist()
    best = allowed[max(range(len(vals)), key=vals.__getitem__)]
    return None if best == 0 else MODE_LABELS[best].split("/", 1)[1]


def _blas_threads() -> None:
    """Hold numpy's BLAS to the thread count ``allegiance`` set (one unless the user chose):
    when numpy was imported before allegiance, ``OPENBLAS_NUM_THREADS`` came too late, and the
    heads' small products on a pool of threads spinning against spaCy and onnxruntime cost up to
    ten times more on a busy machine."""
    import os

    try:
        n = int(os.environ.get("OPENBLAS_NUM_THREADS", "1"))
        from threadpoolctl import threadpool_limits
    except (ValueError, ImportError):
        return
    threadpool_limits(limits=max(1, n), user_api="blas")


_LOADED: dict[Path, EventModel] = {}
_LOAD_LOCK = threading.Lock()


def load_model(folder: Path | None = None) -> EventModel:
    """The model of ``folder`` (default: the shipped one), loaded once per process."""
    folder = Path(folder or model_dir()).resolve()
    with _LOAD_LOCK:
        if folder not in _LOADED:
            _blas_threads()
            _LOADED[folder] = EventModel(folder)
        return _LOADED[folder]
