"""Actor resolution in context: phrase → (canonical name, country, PLOVER sector).

`ActorFinder` matches catalog surface forms in a parsed document once, then resolves any
noun-phrase head: named states/organisations/people (with dated roles), metonyms ("the Kremlin"),
agent nouns composed with nationality or country modifiers ("Iranian troops", "Syria's army",
"forces from Iraq"), titles ("Iran's president"), and a rule-based coreference step for pronouns
and definite descriptors ("he", "the group", "the militants").
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.vocab import Vocab

from .catalog import Catalog, Entity

__all__ = ["ActorFinder", "Mention", "STATE_SECTORS", "GROUP_SECTORS"]

STATE_SECTORS = frozenset({"GOV", "MIL", "COP", "SPY", "LEG", "JUD"})
GROUP_SECTORS = frozenset({"REB", "CVL", "OPP", "UAF", "REF", "PRM", "EDU", "LAB", "MED", "AGR",
                           "BUS", "CRM", "JRN", "REL", "SOC", "PRE", "ELI", "PTY", "UNK"})
MOD_DEPS = frozenset({"amod", "compound", "poss", "nmod", "npadvmod", "nummod"})
LOCATIVE_PREPS = frozenset({"in", "at", "near", "to", "into", "outside", "around", "from", "across",
                            "toward", "towards", "inside", "through", "via", "over", "within", "onto"})
WEAPON_HEADS = frozenset({"airstrike", "strike", "bomb", "missile", "rocket", "shell", "drone",
                          "artillery", "warplane", "jet", "aircraft", "plane", "helicopter", "bombing",
                          "raid", "attack", "fire", "shelling", "offensive", "campaign", "operation",
                          "warship", "gunboat", "tank", "convoy", "unit", "force", "vessel", "navy"})
PARTITIVES = frozenset({"vanguard", "remnants", "bulk", "member", "members", "hundreds", "thousands", "dozens", "scores", "some",
                        "many", "group", "unit", "units", "contingent", "delegation", "team",
                        "battalion", "brigade", "representatives", "envoys", "part", "most", "all",
                        "one", "two", "three", "several", "leader", "leaders", "head", "chief",
                        "spokesman", "spokeswoman", "spokesperson", "commander", "commanders"})
RELATIVE_PRONOUNS = frozenset({"that", "which", "who", "whom", "whose"})
PERSON_PRONOUNS = frozenset({"he", "him", "his", "she", "her", "hers"})
THING_PRONOUNS = frozenset({"it", "its"})
PLURAL_PRONOUNS = frozenset({"they", "them", "their", "theirs"})
ORG_DESCRIPTORS = frozenset({"group", "movement", "organisation", "organization", "militia",
                             "faction", "party", "alliance", "coalition", "bloc", "agency"})
STATE_DESCRIPTORS = frozenset({"country", "kingdom", "nation", "state", "republic", "emirate"})


@dataclass(frozen=True)
class Mention:
    """A resolved actor mention. ``bare`` marks a bare country name (sector set by the event)."""

    start: int
    end: int
    head: int
    text: str
    name: str | None
    country: str | None
    sector: str | None
    id: str | None = None
    kind: str = "agent"  # state | organisation | person | metonym | agent | group | title
    bare: bool = False
    rule: str = ""

    @property
    def key(self) -> tuple[str | None, str | None, str | None]:
        return (self.name, self.country, self.sector)


@dataclass(frozen=True)
class _Match:
    start: int
    end: int
    kind: str
    ref: object


_MATCHERS: dict[tuple[int, int], tuple[PhraseMatcher, PhraseMatcher, dict]] = {}


def _matchers(cat_id: int, vocab: Vocab, cat: Catalog) -> tuple[PhraseMatcher, PhraseMatcher, dict]:
    """Phrase matchers for a catalog, built once per (catalog, vocab)."""
    key = (cat_id, id(vocab))
    if key not in _MATCHERS:
        _MATCHERS[key] = _build_matchers(vocab, cat)
    return _MATCHERS[key]


def _build_matchers(vocab: Vocab, cat: Catalog) -> tuple[PhraseMatcher, PhraseMatcher, dict]:
    from spacy.lang.en import English

    tok = English(vocab=vocab).tokenizer
    cs, ci = PhraseMatcher(vocab, attr="ORTH"), PhraseMatcher(vocab, attr="LOWER")
    table: dict[str, tuple[str, object]] = {}
    cs_docs, ci_docs = [], []
    for form, refs in cat.forms.items():
        kind, case, ref = refs[0]
        key = f"{kind}|{form}"
        table[key] = (kind, ref)
        (cs_docs if case == "cs" else ci_docs).append((key, tok(form)))
    for term, sector in cat.agents.items():
        table[f"agent|{term}"] = ("agent", sector)
        ci_docs.append((f"agent|{term}", tok(term)))
    for term, sector in cat.titles.items():
        table[f"title|{term}"] = ("title", (sector, term))
        ci_docs.append((f"title|{term}", tok(term)))
    for term in cat.regional:
        table[f"regional|{term}"] = ("regional", None)
        ci_docs.append((f"regional|{term}", tok(term)))
    for matcher, docs in ((cs, cs_docs), (ci, ci_docs)):
        by_key: dict[str, list] = {}
        for key, d in docs:
            by_key.setdefault(key, []).append(d)
        for key, ds in by_key.items():
            matcher.add(key, ds)
    return cs, ci, table


_RANK = {"person": 6, "organisation": 5, "metonym": 5, "country": 4, "capital": 3, "regional": 6,
         "demonym": 3, "adjective": 2, "title": 2, "agent": 1}


class ActorFinder:
    """Finds and resolves actor mentions in one parsed document, as of ``day`` (YYYY-MM-DD)."""

    def __init__(self, doc: Doc, cat: Catalog, day: str | None) -> None:
        self.doc, self.cat, self.day = doc, cat, day
        cs, ci, table = _matchers(id(cat), doc.vocab, cat)
        found: list[_Match] = []
        for matcher in (cs, ci):
            for match_id, start, end in matcher(doc):
                kind, ref = table[doc.vocab.strings[match_id]]
                found.append(_Match(start, end, kind, ref))
        found.sort(key=lambda m: (-(m.end - m.start), -_RANK.get(m.kind, 0), m.start))
        self.at: dict[int, _Match] = {}
        for m in found:
            if any(i in self.at for i in range(m.start, m.end)):
                continue
            for i in range(m.start, m.end):
                self.at[i] = m
        self._cache: dict[int, Mention | None] = {}
        self.mentions: list[Mention] = []
        for tok in doc:
            if tok.pos_ in ("NOUN", "PROPN") and (tok.dep_ not in MOD_DEPS or tok.dep_ == "poss"):
                m = self.resolve(tok)
                if m is not None and (not self.mentions or self.mentions[-1].head != m.head):
                    self.mentions.append(m)

    # -- helpers -----------------------------------------------------------------------------
    def match(self, tok: Token) -> _Match | None:
        return self.at.get(tok.i)

    def _span_text(self, start: int, end: int) -> str:
        return self.doc[start:end].text

    def _state_name(self, iso3: str | None) -> str | None:
        state = self.cat.states.get(iso3 or "")
        return state.name if state else None

    def _entity(self, ent: Entity) -> tuple[str | None, str | None, str | None]:
        return ent.at(self.day)

    def is_regional(self, tok: Token) -> bool:
        m = self.match(tok)
        return m is not None and m.kind == "regional"

    def _modifier_info(self, head: Token) -> dict:
        """Country, sector, organisation and title carried by a head's modifiers."""
        info: dict = {}
        stack = [c for c in head.children if c.dep_ in MOD_DEPS or c.dep_ == "prep"]
        seen = set()
        while stack:
            c = stack.pop(0)
            if c.i in seen:
                continue
            seen.add(c.i)
            if c.dep_ == "prep":
                if c.lower_ in ("of", "from") and c.i > head.i:
                    stack += [g for g in c.children if g.dep_ == "pobj"]
                continue
            m = self.match(c)
            if m is not None:
                if m.kind in ("country", "adjective", "capital", "demonym"):
                    info.setdefault("country", m.ref)
                elif m.kind == "metonym":
                    info.setdefault("country", m.ref[0])
                elif m.kind in ("organisation", "person"):
                    country, sector, _ = self._entity(m.ref)
                    info.setdefault("entity", (m.ref, country, sector))
                elif m.kind == "agent":
                    info.setdefault("sector", m.ref)
                elif m.kind == "title":
                    info.setdefault("title", m.ref)
            # follow compound chains and possessors of possessors ("Syria's army's units")
            stack += [g for g in c.children if g.dep_ in ("compound", "amod", "poss", "nmod")]
            if c.dep_ == "poss" or c.dep_ == "pobj":
                stack += [g for g in c.children if g.dep_ == "prep"]
        return info

    # -- resolution ---------------------------------------------------------------------------
    def resolve(self, tok: Token) -> Mention | None:
        """Resolve the noun phrase headed by ``tok`` (pronouns via coreference)."""
        if tok.i in self._cache:
            return self._cache[tok.i]
        result = self._resolve(tok)
        self._cache[tok.i] = result
        return result

    def _resolve(self, tok: Token) -> Mention | None:
        if tok.lower_ in RELATIVE_PRONOUNS and tok.head.dep_ == "relcl" and tok.head.head.pos_ in ("NOUN", "PROPN"):
            ante = self.resolve(tok.head.head)  # "a faction that Washington armed" → the faction
            return replace(ante, rule=f"relative:{ante.rule}") if ante is not None else None
        if tok.pos_ == "PRON" or tok.lower_ in PERSON_PRONOUNS | THING_PRONOUNS | PLURAL_PRONOUNS:
            return self._coref(tok)
        m = self.match(tok)
        if m is not None and m.kind == "regional":
            return None
        left = min([tok.i] + [c.i for c in tok.subtree if c.i < tok.i and c.dep_ in MOD_DEPS | {"det"}])
        start, end = (m.start, m.end) if m else (tok.i, tok.i + 1)
        start = min(start, left)
        text = self._span_text(start, end)
        info = self._modifier_info(tok)
        if m is not None and m.kind in ("person", "organisation"):
            country, sector, _ = self._entity(m.ref)
            return Mention(start, end, tok.i, text, m.ref.name, country, sector, m.ref.id,
                           m.ref.kind, rule=f"catalog:{m.ref.kind}")
        if m is not None and m.kind == "country":
            return Mention(start, end, tok.i, text, self._state_name(m.ref), m.ref, "GOV", None,
                           "state", bare=True, rule="catalog:state")
        if m is not None and m.kind == "capital":
            if tok.dep_ == "pobj" and tok.head.lower_ in LOCATIVE_PREPS:
                return None  # "in Damascus" is a place, not the government
            return Mention(start, end, tok.i, text, self._state_name(m.ref), m.ref, "GOV", None,
                           "metonym", rule="metonym:capital")
        if m is not None and m.kind == "metonym":
            iso3, sector = m.ref
            if tok.dep_ == "pobj" and tok.head.lower_ in LOCATIVE_PREPS and sector != "GOV":
                return None
            return Mention(start, end, tok.i, text, self._state_name(iso3), iso3, sector, None,
                           "metonym", rule="metonym")
        if m is not None and m.kind == "demonym":
            return Mention(start, end, tok.i, text, None, m.ref, "CVL", None, "group", rule="demonym")
        # agent nouns, titles and partitives composed with their modifiers
        if tok.lower_ in PARTITIVES or tok.lemma_ in PARTITIVES:
            for prep in tok.children:
                if prep.dep_ == "prep" and prep.lower_ == "of":
                    for obj in prep.children:
                        if obj.dep_ == "pobj":
                            inner = self.resolve(obj)
                            if inner is not None:
                                return replace(inner, start=start, end=max(inner.end, end), head=tok.i,
                                               text=self._span_text(start, max(inner.end, end)))
        sector = None
        title = None
        if m is not None and m.kind == "agent":
            sector = m.ref
        elif m is not None and m.kind == "title":
            sector, title = m.ref
        else:
            sector = info.get("sector")
            title = info.get("title", (None, None))[1] if "title" in info else None
            if title:
                sector = info["title"][0]
        ent = info.get("entity")
        country = info.get("country")
        if ent is not None:
            entity, e_country, e_sector = ent
            if entity.kind == "organisation":
                return Mention(start, end, tok.i, text, entity.name, e_country, e_sector or sector,
                               entity.id, "organisation", rule="agent+organisation")
            if tok.pos_ == "PROPN" or sector is None:  # "Putin's government" stays the state
                country = country or e_country
        if sector is None:
            if tok.pos_ == "PROPN" and tok.ent_type_ == "PERSON" and (country or title):
                return Mention(start, end, tok.i, text, self._span_text(*self._ent_bounds(tok)),
                               country, sector or "GOV", None, "person", rule="person+title")
            if country and tok.lemma_ in WEAPON_HEADS:
                return Mention(start, end, tok.i, text, self._state_name(country), country, "MIL",
                               None, "agent", rule="weapon+nationality")
            return None
        if title and tok.pos_ != "PROPN":
            holders = self.cat.holders(title, country, self.day) if country else []
            name = holders[0].name if len(holders) == 1 else self._state_name(country)
            return Mention(start, end, tok.i, text, name, country, sector,
                           holders[0].id if len(holders) == 1 else None, "title", rule="title")
        if title and tok.pos_ == "PROPN":
            return Mention(start, end, tok.i, text, self._span_text(*self._ent_bounds(tok)), country,
                           sector, None, "person", rule="title+name")
        name = self._state_name(country) if sector in STATE_SECTORS else None
        return Mention(start, end, tok.i, text, name, country, sector, None,
                       "agent" if sector in STATE_SECTORS else "group", rule="agent+nationality")

    def _ent_bounds(self, tok: Token) -> tuple[int, int]:
        for ent in self.doc.ents:
            if ent.start <= tok.i < ent.end:
                return ent.start, ent.end
        return tok.i, tok.i + 1

    def _coref(self, tok: Token) -> Mention | None:
        low = tok.lower_
        window_start = self.doc[max(0, tok.sent.start - 1)].sent.start if tok.sent.start else 0
        window_start = max(0, min(window_start, tok.sent.start))
        prior = [m for m in self.mentions if window_start <= m.head < tok.i]
        # prefer earlier sentences' subjects; inside the sentence, the nearest
        if low in PERSON_PRONOUNS:
            cands = [m for m in prior if m.kind in ("person", "title")]
        elif low in THING_PRONOUNS:
            cands = [m for m in prior if m.kind in ("state", "organisation", "metonym")]
        elif low in PLURAL_PRONOUNS:
            cands = [m for m in prior if m.kind in ("group", "agent", "organisation")]
        else:
            return None
        if not cands:
            return None
        subj = [m for m in cands if self.doc[m.head].dep_ in ("nsubj", "nsubjpass")]
        best = (subj or cands)[-1]
        return replace(best, start=tok.i, end=tok.i + 1, head=tok.i, text=tok.text,
                       rule=f"coref:{best.rule}")

    def descriptor(self, tok: Token) -> Mention | None:
        """Resolve "the group", "the country" to the last compatible named mention."""
        if tok.lemma_ not in ORG_DESCRIPTORS | STATE_DESCRIPTORS:
            return None
        if not any(c.lower_ == "the" for c in tok.children):
            return None
        want = ("organisation",) if tok.lemma_ in ORG_DESCRIPTORS else ("state",)
        prior = [m for m in self.mentions if m.head < tok.i and m.kind in want]
        if not prior:
            return None
        best = prior[-1]
        return replace(best, start=tok.i - 1, end=tok.i + 1, head=tok.i, text=f"the {tok.text}",
                       rule=f"coref:descriptor:{best.rule}")

    def conjoined_modifiers(self, tok: Token, m: Mention) -> list[Mention]:
        """"US and Russian officials" → a second mention for each conjoined nationality."""
        if m.kind not in ("agent", "group", "title") or m.country is None:
            return []
        out = []
        for c in tok.children:
            if c.dep_ not in ("amod", "compound", "nmod", "poss"):
                continue
            mc = self.match(c)
            if mc is None or mc.kind not in ("country", "adjective"):
                continue
            for conj in c.conjuncts:
                mm = self.match(conj)
                if mm is not None and mm.kind in ("country", "adjective") and mm.ref != m.country:
                    out.append(replace(m, country=mm.ref, head=conj.i, text=f"{conj.text} {tok.text}",
                                       name=self._state_name(mm.ref) if m.name else None,
                                       rule=m.rule + "+conjoined"))
        return out

    def phrase(self) -> Mention | None:
        """The actor a whole short phrase denotes: its ROOT first, then the other tokens."""
        heads = [t for t in self.doc if t.dep_ == "ROOT"] + [t for t in self.doc if t.dep_ != "ROOT"]
        for tok in heads:
            m = self.resolve(tok)
            if m is not None:
                return m
        return None

    def expand(self, tok: Token) -> Iterator[Token]:
        """The head and its conjuncts ("Iran and Russia" → Iran, Russia)."""
        yield tok
        for c in tok.conjuncts:
            if c.i != tok.i:
                yield c

    def in_span(self, span: Span) -> list[Mention]:
        return [m for m in self.mentions if span.start <= m.head < span.end]
