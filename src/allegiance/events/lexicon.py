"""The trigger lexicon (``data/triggers.yaml``): which words express which PLOVER events."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from .. import data
from ..errors import CatalogError
from ..geonames import memo, source_key
from ..models import PLOVER_TYPES
from ..ontology import validate_mode

__all__ = ["Sense", "Lexicon", "load_lexicon"]


@dataclass(frozen=True)
class Sense:
    """One reading of a trigger word, with the constraints under which it applies."""

    type: str
    mode: str | None = None
    cameo: str | None = None
    obj: frozenset[str] | None = None
    obj_not: frozenset[str] = frozenset()
    obj_head: frozenset[str] | None = None  # the object's own head word ("fired the minister", not "the minister's claims")
    obj_type: frozenset[str] | None = None
    prep: frozenset[str] | None = None
    subj: frozenset[str] | None = None
    subj_not: frozenset[str] = frozenset()  # not when the subject resolves to one of these sectors
    subj_lemma: frozenset[str] | None = None
    target: tuple[str, ...] = ()
    modifier: frozenset[str] | None = None
    symmetric: bool = False
    visit: bool = False
    host: bool = False
    recipient: bool = False
    recipient_actor: bool = False
    light_only: bool = False
    dobj_is_target: bool = False
    particle: str | None = None
    content: frozenset[str] | None = None
    content_not: frozenset[str] = frozenset()  # not when the verb's phrase (its subject aside) holds one of
    #                                            these lemmas ("filled the square to celebrate the victory")
    content_type: frozenset[str] | None = None  # "vowed to retake the town": the complement's event type
    complement: frozenset[str] | None = None  # "called the vote a sham": the object complement
    judgment: bool = False  # the complement word must be what the object is called, not a word of a
    #                         prepositional phrase ("called Zelensky after the massacre" is a phone call)
    subject_is_target: bool = False  # "a patrol came under fire"
    mediation: bool = False  # "brokered a truce between X and Y": CONSULT/third-party to each party
    obj_none: bool = False  # only without a direct object ("withdrew from the treaty")
    pobj: frozenset[str] | None = None  # only when a prepositional object has one of these lemmas
    pobj_prep: frozenset[str] | None = None  # with pobj: only the objects of these prepositions count
    dative: frozenset[str] | None = None  # only when the indirect object has one of these lemmas
    pobj_type: frozenset[str] | None = None  # only when a prepositional object is an actor of these kinds
    negated_type: str | None = None  # "will not bow to pressure" is a REJECT, not a negated CONCEDE
    negated_mode: str | None = None
    no_target: bool = False  # the event has no recipient ("attended the summit")
    negated_swap: bool = False  # the refusal runs the other way ("will not be cowed by X": refuses X)
    word: str = ""


@dataclass
class Lexicon:
    verbs: dict[str, list[Sense]] = field(default_factory=dict)
    nouns: dict[str, list[Sense]] = field(default_factory=dict)
    light_verbs: frozenset[str] = frozenset()
    suppress_frames: frozenset[str] = frozenset()
    negate_frames: frozenset[str] = frozenset()
    pass_through: frozenset[str] = frozenset()
    default_targets: dict[str, tuple[str, ...]] = field(default_factory=dict)
    max_noun_words: int = 1
    noun_heads: frozenset[str] = frozenset()  # last words of the noun keys (a quick filter)


def _word(v: Any) -> str:
    """YAML 1.1 reads a bare ``on``/``off`` as a boolean: give the word back."""
    if v is True:
        return "on"
    if v is False:
        return "off"
    return str(v).lower()


def _set(value: Any) -> frozenset[str] | None:
    if value is None:
        return None
    return frozenset(_word(v) for v in (value if isinstance(value, list) else [value]))


SENSE_KEYS = frozenset({"type", "mode", "cameo", "obj", "obj_not", "obj_type", "prep", "subj", "subj_lemma",
                        "target", "modifier", "symmetric", "visit", "host", "recipient", "recipient_actor",
                        "light_only", "dobj_is_target", "dobj_is_target_if_actor", "particle", "content",
                        "negated_type", "negated_mode", "complement", "subject_is_target", "mediation",
                        "obj_none", "pobj", "prep_any", "content_type", "subj_not", "negated_swap", "pobj_type", "no_target",
                        "judgment", "obj_head", "pobj_prep", "dative", "content_not"})


def _senses(word: str, raw: Any, defaults: dict[str, tuple[str, ...]], where: str) -> list[Sense]:
    out = []
    for r in raw if isinstance(raw, list) else [raw]:
        if not isinstance(r, dict):
            raise CatalogError(f"a sense must be a mapping, got {r!r}", file=where, entry=word)
        unknown = set(r) - SENSE_KEYS
        if unknown:  # a misspelt constraint would silently not constrain
            raise CatalogError(f"unknown sense key(s) {', '.join(sorted(unknown))}", file=where, entry=word)
        etype = r.get("type")
        if etype not in PLOVER_TYPES:
            raise CatalogError(f"unknown PLOVER type {etype!r}", file=where, entry=word)
        mode = r.get("mode")
        bad = _set(r.get("content_type") or []) - {t.lower() for t in PLOVER_TYPES}
        if bad:
            raise CatalogError(f"unknown PLOVER type(s) in content_type: {', '.join(sorted(bad))}", file=where, entry=word)
        if r.get("negated_type") is not None and r["negated_type"] not in PLOVER_TYPES:
            raise CatalogError(f"unknown PLOVER type {r['negated_type']!r}", file=where, entry=word)
        if mode is not None and not validate_mode(etype, mode):
            raise CatalogError(f"mode {mode!r} is not a mode of {etype}", file=where, entry=word)
        out.append(Sense(
            type=etype, mode=mode, cameo=r.get("cameo"), obj=_set(r.get("obj")),
            obj_not=_set(r.get("obj_not")) or frozenset(), obj_head=_set(r.get("obj_head")), obj_type=_set(r.get("obj_type")),
            prep=_set(r.get("prep")), subj=frozenset(r["subj"]) if r.get("subj") else None,
            subj_not=frozenset(r.get("subj_not") or ()),
            subj_lemma=_set(r.get("subj_lemma")),
            target=tuple(_word(p) for p in (r.get("target") or defaults.get(etype, ()))),
            modifier=_set(r.get("modifier")), symmetric=bool(r.get("symmetric")),
            visit=bool(r.get("visit")), host=bool(r.get("host")), recipient=bool(r.get("recipient")),
            recipient_actor=bool(r.get("recipient_actor")), light_only=bool(r.get("light_only")),
            dobj_is_target=bool(r.get("dobj_is_target") or r.get("dobj_is_target_if_actor")),
            particle=r.get("particle"), content=_set(r.get("content")),
            content_not=_set(r.get("content_not")) or frozenset(),
            content_type=frozenset(t.upper() for t in r["content_type"]) if r.get("content_type") else None,
            complement=_set(r.get("complement")), judgment=bool(r.get("judgment")),
            subject_is_target=bool(r.get("subject_is_target")),
            mediation=bool(r.get("mediation")), obj_none=bool(r.get("obj_none")), pobj=_set(r.get("pobj")),
            pobj_prep=_set(r.get("pobj_prep")), dative=_set(r.get("dative")),
            pobj_type=_set(r.get("pobj_type")),
            negated_type=r.get("negated_type"), negated_mode=r.get("negated_mode"),
            negated_swap=bool(r.get("negated_swap")), no_target=bool(r.get("no_target")), word=word))
    return out


@cache
def load_lexicon(extra: Sequence[str] = ()) -> Lexicon:
    """Load the built-in lexicon plus user lexicon files (same schema; entries override).

    A successful load is kept in the user cache (`allegiance.geonames.memo`), keyed by the
    files' bytes, the PLOVER ontology and this code; errors are raised by parsing, as without it."""
    paths = [data.path("triggers.yaml"), *(Path(p) for p in extra)]
    key = source_key(paths, ("events/lexicon.py", "ontology.py", "models.py", "errors.py",
                              "data/plover.yaml"))
    if key is None:
        return _load_lexicon(paths)
    return memo("lexicon", key, lambda: _load_lexicon(paths))


class _UniqueKeyLoader(yaml.SafeLoader):
    """Safe YAML loading that refuses a key written twice in one mapping: the second entry would
    silently replace the first (a duplicated "pull out" once undid a sense constraint)."""


def _unique_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen: set = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r} (line {key_node.start_mark.line + 1})", key_node.start_mark)
        seen.add(key)
    return yaml.SafeLoader.construct_mapping(loader, node, deep)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _unique_mapping)


def _load_lexicon(paths: list[Path]) -> Lexicon:
    """Parse and check the lexicon files, later files over earlier ones."""
    lex = Lexicon()
    for path in paths:
        try:
            doc = yaml.load(path.read_text(encoding="utf-8"), Loader=_UniqueKeyLoader) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise CatalogError(f"cannot load trigger lexicon ({exc})", file=str(path)) from exc
        defaults = {k: tuple(_word(p) for p in v) for k, v in (doc.get("default_target_preps") or {}).items()}
        lex.default_targets.update(defaults)
        defaults = lex.default_targets
        for word, raw in (doc.get("verbs") or {}).items():
            word = str(word).strip()
            if word.endswith("-"):  # a placeholder spelling kept out of matching
                continue
            lex.verbs[word] = _senses(word, raw, defaults, str(path))
        for word, raw in (doc.get("nouns") or {}).items():
            word = str(word).strip()
            lex.nouns[word] = _senses(word, raw, defaults, str(path))
            lex.max_noun_words = max(lex.max_noun_words, len(word.split()))
        lex.light_verbs |= frozenset(doc.get("light_verbs") or [])
        frames = doc.get("frames") or {}
        lex.suppress_frames |= frozenset(frames.get("suppress") or [])
        lex.negate_frames |= frozenset(frames.get("negate") or [])
        lex.pass_through |= frozenset(frames.get("pass_through") or [])
    lex.noun_heads = frozenset(k.split()[-1] for k in lex.nouns)
    return lex
