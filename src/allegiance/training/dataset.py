"""Training examples from the corpus: parsed sentences, their features and gold labels.

Each corpus item (or article) is parsed by the coder's own pipeline; per sentence we keep what
``events.learned.featurize`` computes at run time, plus the labels: the PLOVER types and mode of
each trigger token, and for each gold trigger the role (source, target, both, none) of every
candidate actor mention. A gold actor is matched to the candidate mention whose tokens overlap
its span (the one with the gold country first). Gold actors no candidate covers are counted
(``Stats``): they measure what the actor resolver misses, which no role model can recover.
"""
from __future__ import annotations

import hashlib
import json
import pickle
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np

from ..events.learned import (TYPES, MentionFeature, SentenceFeatures, dep_path, dist_bucket,
                              featurize, mode_index, trigger_head)

CONTENT_POS = frozenset({"VERB", "NOUN", "ADJ"})

__all__ = ["RoleExample", "SentenceExample", "Stats", "build_examples", "load_corpus_items"]


@dataclass
class RoleExample:
    trigger: list[int]              # token indices in the sentence
    type: int                       # index in TYPES
    mention: int                    # index in SentenceExample.mentions
    label: int                      # index in ROLES


@dataclass
class SentenceExample:
    item: str
    text: str
    offsets: list[tuple[int, int]]
    pos: np.ndarray
    dep_labels: list[str]
    lex: np.ndarray
    rule: np.ndarray
    types: np.ndarray               # [n, 16] gold
    modes: np.ndarray               # [n] gold mode index, -100 where no trigger
    mentions: list[tuple[int, int, int, int, int]]  # (start, end, anchor, kind, sector)
    paths: dict[tuple[int, int], str]               # (trigger head token, mention) -> path
    dists: dict[tuple[int, int], int]
    rule_roles: dict[tuple[int, int], tuple[int, int]]
    roles: list[RoleExample] = field(default_factory=list)
    vec: np.ndarray | None = None       # [n, 96] float16: the parser's token vectors
    lemmas: np.ndarray | None = None    # [n] lemma buckets


@dataclass
class Stats:
    sentences: int = 0
    trigger_tokens: int = 0
    gold_events: int = 0
    unaligned_triggers: int = 0
    actors: Counter = field(default_factory=Counter)  # matched / wrong-country / no-candidate / convention

    def line(self) -> str:
        a = self.actors
        spans = a["matched"] + a["wrong-country"] + a["no-candidate"]
        return (f"{self.sentences} sentences, {self.gold_events} gold events, "
                f"{self.unaligned_triggers} triggers not on a token; actor spans {spans}: "
                f"{a['matched']} matched, {a['wrong-country']} on a candidate of another country, "
                f"{a['no-candidate']} with no candidate; {a['convention']} actors by convention")


def load_corpus_items(paths: Sequence[Path]) -> list[dict]:
    items = []
    for p in paths:
        with open(p, encoding="utf-8") as fh:
            items += [json.loads(line) for line in fh if line.strip()]
    return items


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _sentence_example(item_id: str, sf: SentenceFeatures, events: list[dict], stats: Stats) -> SentenceExample:
    n = sf.n
    base = sf.sent.start_char
    spans = [(base + a, base + b) for a, b in sf.offsets]
    types = np.zeros((n, len(TYPES)), np.float32)
    modes = np.full(n, -100, np.int64)
    groups: dict[tuple[tuple[int, ...], str], list[dict]] = {}
    index = {t.i: k for k, t in enumerate(sf.tokens)}
    for ev in events:
        ts, te = ev["trigger_start"], ev["trigger_end"]
        toks = [k for k, sp in enumerate(spans) if _overlap(sp, (ts, te))]
        if not toks:
            continue
        # the content words of the trigger phrase carry the label ("held talks": held, talks;
        # "flew to Minsk": flew), whatever function words and names the writer's span took in;
        # the phrase's syntactic head always does, and it stands for the trigger in the roles
        head = index.get(trigger_head([sf.tokens[k] for k in toks]).i, toks[0])
        content = [k for k in toks if k == head or sf.tokens[k].pos_ in CONTENT_POS]
        ti = TYPES.index(ev["type"])
        for k in content:
            types[k, ti] = 1.0
            if modes[k] == -100:
                modes[k] = mode_index(ev["type"], ev.get("mode"))
        groups.setdefault(((head,), ev["type"]), []).append(ev)
    ment_spans = []
    for mf in sf.mentions:
        a, b = sf.tokens[mf.start], sf.tokens[mf.end - 1]
        ment_spans.append((a.idx, b.idx + len(b.text)))
    ex = SentenceExample(item_id, sf.text, sf.offsets, sf.pos, [t.dep_.lower() for t in sf.tokens],
                         sf.lex, sf.rule, types, modes,
                         [(m.start, m.end, m.anchor, m.kind, m.sector) for m in sf.mentions], {}, {},
                         dict(sf.rule_roles), [], sf.spacy_vectors().astype(np.float16), sf.lemma_ids())
    for (toks, etype), evs in groups.items():
        head = trigger_head([sf.tokens[k] for k in toks])
        hk = index.get(head.i, toks[0])
        labels = [0] * len(sf.mentions)
        for ev in evs:
            for role, actor in ((1, ev.get("source")), (2, ev.get("target"))):
                if not actor:
                    continue
                if actor.get("start") is None:
                    stats.actors["convention"] += 1
                    continue
                gold = (actor["start"], actor["end"])
                cands = [j for j, sp in enumerate(ment_spans) if _overlap(sp, gold)]
                if not cands:
                    stats.actors["no-candidate"] += 1
                    continue
                # a mention without a country takes the context's when its record is made
                same = [j for j in cands if sf.mentions[j].mention.country in (actor.get("country"), None)]
                stats.actors["matched" if same else "wrong-country"] += 1
                for j in same or cands[:1]:
                    cur = labels[j]
                    if cur == 0:
                        labels[j] = role
                    elif cur != role:
                        labels[j] = 3  # source of one event, target of its mirror: both
        for j, mf in enumerate(sf.mentions):
            ex.paths[(hk, j)] = dep_path(head, sf.tokens[mf.anchor])
            ex.dists[(hk, j)] = dist_bucket(mf.anchor, hk)
            ex.roles.append(RoleExample(list(toks), TYPES.index(etype), j, labels[j]))
    stats.trigger_tokens += int(types.sum() > 0)
    return ex


def build_examples(items: Iterable[dict], coder, dep_vocab: dict[str, int] | None = None,
                   stats: Stats | None = None) -> list[SentenceExample]:
    """Parse every item with ``coder`` (an ``allegiance.coder.Coder``) and label its sentences."""
    from ..actors.resolve import ActorFinder
    from ..events.extract import Extractor, extract_sentence

    stats = stats if stats is not None else Stats()
    dep_vocab = dep_vocab or {}
    out: list[SentenceExample] = []
    items = list(items)
    docs = coder.nlp.pipe((i["text"] for i in items), batch_size=32)
    for item, parsed in zip(items, docs):
        finder = ActorFinder(parsed, coder.catalog, item.get("date"), parse=coder.nlp)
        ex = Extractor(finder, coder.lexicon)
        events = item.get("events") or []
        stats.gold_events += len(events)
        placed = set()
        for sent in parsed.sents:
            if not sent.text.strip():
                continue
            cands = extract_sentence(ex, sent)
            sf = featurize(sent, ex, cands, dep_vocab, coder.geo.gazetteer)
            if sf.n == 0:
                continue
            mine = [e for e in events if sent.start_char <= e["trigger_start"] < sent.end_char]
            placed |= {id(e) for e in mine}
            out.append(_sentence_example(item["id"], sf, mine, stats))
            stats.sentences += 1
        stats.unaligned_triggers += sum(1 for e in events if id(e) not in placed)
    return out


def _code_files() -> list[Path]:
    """Everything the examples depend on besides the corpus: the package's Python code (actor
    resolution, rules, featurisation) and its curated data (catalogs, lexicon, place aliases)."""
    root = Path(__file__).resolve().parents[1]
    code = [p for p in root.rglob("*.py") if "web" not in p.relative_to(root).parts]
    data = [p for p in (root / "data").rglob("*") if p.suffix in (".yaml", ".csv") and p.is_file()]
    return sorted(code + data)


def cache_key(paths: Sequence[Path], extra: str = "") -> str:
    """The examples' cache key: the corpus files, the code and data that turn them into examples."""
    h = hashlib.sha256(extra.encode())
    for p in paths:
        h.update(p.read_bytes())
    for p in _code_files():
        h.update(str(p.name).encode())
        h.update(p.read_bytes())
    return h.hexdigest()[:16]


def cached_examples(paths: Sequence[Path], coder, cache_dir: Path, label: str) -> tuple[list[SentenceExample], Stats]:
    """``build_examples`` of the files, kept in ``cache_dir`` by the files' and code's hash."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    from .. import __version__

    key = cache_key(paths, __version__)
    path = cache_dir / f"{label}-{key}.pkl"
    if path.exists():
        with open(path, "rb") as fh:
            return pickle.load(fh)
    stats = Stats()
    exs = build_examples(load_corpus_items(paths), coder, None, stats)
    with open(path, "wb") as fh:
        pickle.dump((exs, stats), fh)
    return exs, stats
