"""Actor resolution in context: phrase → (canonical name, country, PLOVER sector).

`ActorFinder` matches catalog surface forms in a parsed document once, then resolves any
noun-phrase head: named states/organisations/people (with dated roles), metonyms ("the Kremlin"),
agent nouns composed with nationality or country modifiers ("Iranian troops", "Syria's army",
"forces from Iraq", "protesters in Iran"), with a named person ("Putin's government") or with an
organisation ("UN officials", "jihadists linked to al-Qaeda"), titles mapped to the person holding
them on the day ("Iran's president", "the Hezbollah leader", "the UN chief"), appositions
("the group, Hezbollah,"), acronyms the text defines ("the Rapid Support Forces (RSF)"), and a
rule-based coreference step for pronouns and definite descriptors ("he", "the group").
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
# weapons and platforms name an armed force ("Russian missiles" is RUS MIL) ...
WEAPON_HEADS = frozenset({"bomb", "missile", "rocket", "shell", "drone", "artillery", "warplane", "jet",
                          "aircraft", "plane", "helicopter", "warship", "gunboat", "tank", "convoy",
                          "unit", "force", "vessel", "navy"})
# ... acts of violence do not: "Israel's strike" is ISR with a null sector (the agent is unstated)
EVENT_HEADS = frozenset({"airstrike", "strike", "bombing", "raid", "attack", "fire", "shelling",
                         "offensive", "campaign", "operation", "bombardment", "assault", "incursion",
                         "invasion", "barrage"})
# singular nouns that denote the head of an organisation or a country
ORG_HEADS = frozenset({"leader", "chief", "head", "boss", "chairman", "chair", "president",
                       "secretary-general", "secretary general", "director-general", "commander"})
COUNTRY_HEADS = frozenset({"leader", "ruler", "strongman"})
TOP_TITLES = ("leader", "secretary-general", "supreme leader", "commission president", "council president",
              "head of state", "president", "commander")
IGO_CODES = frozenset({"UNO", "IGO", "EUR", "NGO"})
ARMED_SECTORS = frozenset({"MIL", "COP"})
LINK_LEMMAS = frozenset({"link", "linked", "affiliate", "affiliated", "loyal", "tie", "tied", "align",
                         "aligned", "ally", "allied", "associate", "associated", "connect", "connected"})
BACKING_LEMMAS = frozenset({"back", "backed", "support", "supported", "sponsor", "sponsored", "fund",
                            "funded", "arm", "armed", "train", "trained", "supply", "supplied", "equip",
                            "equipped", "inspire", "inspired", "run"})
# "a Greek-owned tanker", "a Panama-flagged ship": the country owns or flags the vessel
OWNER_LEMMAS = frozenset({"own", "owned", "flag", "flagged", "register", "registered"})
AGENT_LEMMAS = frozenset({"work", "act", "fight", "spy"})
# posts abroad: "the embassy in Kabul" is not Afghanistan's
FOREIGN_POSTS = frozenset({"embassy", "consulate", "ambassador", "envoy", "diplomat", "delegation",
                           "mission", "attache", "consul"})
PLACE_PREPS = frozenset({"in", "across", "inside", "throughout"})
PLACED_SECTORS = frozenset({"CVL", "OPP", "REB", "UAF", "EDU", "LAB", "MED", "AGR", "BUS", "JRN", "REL",
                            "SOC", "CRM", "PTY"})
# words that make an unknown proper name an armed group or a party ("the X Liberation Front")
ARMED_NAME_WORDS = frozenset({"front", "army", "forces", "force", "brigade", "brigades", "battalion",
                              "battalions", "militia", "militias", "liberation", "resistance", "legion",
                              "mujahideen", "guerrillas", "rebels", "insurgents", "tigers", "defenders"})
PARTY_NAME_WORDS = frozenset({"party"})
ACRONYM_LINKS = frozenset({"of", "the", "for", "and", "al", "el", "-", "'s", "de", "du", "des", "la", "le",
                           "wal", "in", "on", "to"})
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


@dataclass(frozen=True)
class _Acronym:
    paren: int   # index of "(" (the definition)
    start: int   # long form span
    end: int
    head: int


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
        self._busy: set[int] = set()
        self.acronyms: dict[str, _Acronym] = {}
        self._long_heads: dict[int, _Acronym] = {}
        if "(" in doc.text:
            self._find_acronyms()
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

    def _is_pro(self, tok: Token) -> bool:
        """"pro-Russian", "anti-Iranian": the nationality is the group's stance, not its own."""
        doc, i = self.doc, tok.i
        prev = doc[i - 1].lower_ if i > 0 else ""
        return prev in ("pro", "anti", "pro-", "anti-") or (
            prev == "-" and i > 1 and doc[i - 2].lower_ in ("pro", "anti"))

    def _backed_by(self, m: _Match) -> bool:
        """"Iran-backed", "UN-run": the match is followed by a hyphen and a backing verb."""
        doc = self.doc
        return (m.end + 1 < len(doc) and doc[m.end].text == "-"
                and doc[m.end + 1].lemma_.lower() in BACKING_LEMMAS)

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
            if c.lemma_.lower() in BACKING_LEMMAS:  # "Iran-backed": a descriptor, not the group's country
                continue
            if c.lemma_.lower() in OWNER_LEMMAS:
                stack += [g for g in c.children if g.dep_ in ("npadvmod", "compound", "amod", "nmod")]
                continue
            m = self.match(c)
            if m is not None and self._backed_by(m):  # flat parse of "UN-run", "Iran-backed"
                continue
            if m is not None:
                if m.kind in ("country", "adjective", "capital", "demonym", "metonym"):
                    if self._is_pro(self.doc[m.start]):
                        continue
                    info.setdefault("country", m.ref[0] if m.kind == "metonym" else m.ref)
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

    def _placed_in(self, head: Token, capitals_only: bool = False) -> str | None:
        """'protesters in Iran': the country an unnamed group is placed in."""
        kinds = ("capital",) if capitals_only else ("country", "capital")
        for prep in head.children:
            if prep.dep_ == "prep" and prep.lower_ in (("in",) if capitals_only else PLACE_PREPS):
                for obj in prep.children:
                    m = self.match(obj)
                    if obj.dep_ == "pobj" and m is not None and m.kind in kinds:
                        return m.ref
        return None

    def _linked(self, head: Token) -> tuple[str | None, str | None] | None:
        """(country, sector) of the actor a group is tied to: "jihadists linked to al-Qaeda",
        "fighters loyal to X", "hackers working for Russian military intelligence"."""
        links = [c for c in head.children if c.dep_ in ("acl", "amod", "relcl")
                 and c.lemma_.lower() in LINK_LEMMAS | AGENT_LEMMAS]
        if head.dep_ in ("nsubj", "nsubjpass") and head.head.lemma_.lower() in LINK_LEMMAS:
            links.append(head.head)
        for link in links:
            agent = link.lemma_.lower() in AGENT_LEMMAS  # "hackers working for Russian intelligence"
            for prep in link.children:
                if prep.dep_ != "prep" or prep.lower_ not in (("for",) if agent else ("to", "with")):
                    continue
                for obj in prep.children:
                    if obj.dep_ != "pobj":
                        continue
                    m = self.match(obj)
                    if m is not None and m.kind in ("organisation", "person"):
                        country, sector, _ = self._entity(m.ref)
                        return country, sector
                    inner = self.resolve(obj) if agent else None
                    if inner is not None and inner.country:
                        return inner.country, None
        return None

    def _led_by(self, person: Mention) -> Entity | None:
        """The organisation a person holds an office in on the day (role ``org``)."""
        for ent in self.cat.people:
            if ent.name == person.name:
                for role in ent.roles:
                    if role.org and role.covers(self.day):
                        return next((o for o in self.cat.organisations if o.name == role.org), None)
        return None

    def _descriptor_owner(self, tok: Token) -> Mention | None:
        """A descriptor as possessor or compound ("the group's fighters", "coalition jets"): the
        last organisation named before it."""
        for c in tok.children:
            if c.dep_ in ("poss", "compound") and c.lemma_.lower() in ORG_DESCRIPTORS and self.match(c) is None:
                if c.dep_ == "poss" and not any(d.lower_ == "the" for d in c.children):
                    continue
                prior = [m for m in self.mentions if m.head < c.i and m.kind == "organisation"]
                return prior[-1] if prior else None
        return None

    def _possessive_pronoun(self, tok: Token) -> Mention | None:
        for c in tok.children:
            if c.dep_ == "poss" and c.pos_ == "PRON" and c.lower_ in ("its", "their", "his", "her"):
                return self.resolve(c)
        return None

    def _person(self, person: Entity, start: int, end: int, head: int, rule: str) -> Mention:
        country, sector, _ = self._entity(person)
        return Mention(start, end, head, self._span_text(start, end), person.name, country, sector,
                       person.id, "person", rule=rule)

    def _org_holder(self, org: Entity, word: str) -> Entity | None:
        """The one person holding ``word`` ("leader", "secretary-general") in ``org`` on the day."""
        if org.office is not None:
            title, name = org.office
            found = self.cat.holders(title, None, self.day, org=name)
            return found[0] if len(found) == 1 else None
        titles = [self.cat.role_title(word)]
        if word in ORG_HEADS:
            titles += [t for t in TOP_TITLES if t not in titles]
        for title in titles:
            found = self.cat.holders(title, None, self.day, org=org.name)
            if found:
                return found[0] if len(found) == 1 else None
        return None

    def _is_head_noun(self, tok: Token, heads: frozenset[str]) -> bool:
        return tok.tag_ in ("NN", "NNP") and tok.lower_ in heads

    # -- resolution ---------------------------------------------------------------------------
    def resolve(self, tok: Token) -> Mention | None:
        """Resolve the noun phrase headed by ``tok`` (pronouns via coreference)."""
        if tok.i in self._cache:
            return self._cache[tok.i]
        if tok.i in self._busy:  # an apposition cycle
            return None
        self._busy.add(tok.i)
        try:
            result = self._resolve(tok)
        finally:
            self._busy.discard(tok.i)
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
        acr = self._acronym(tok)
        if acr is not None:
            return acr
        left = min([tok.i] + [c.i for c in tok.subtree if c.i < tok.i and c.dep_ in MOD_DEPS | {"det"}])
        start, end = (m.start, m.end) if m else (tok.i, tok.i + 1)
        start = min(start, left)
        text = self._span_text(start, end)
        if m is not None and m.kind in ("person", "organisation"):
            ent = m.ref
            if ent.kind == "organisation" and (ent.office or (m.end == tok.i + 1 and self._is_head_noun(tok, ORG_HEADS))):
                holder = self._org_holder(ent, tok.lower_)  # "the UN chief", "UN human rights chief"
                if holder is not None:
                    return self._person(holder, start, end, tok.i, "office")
            country, sector, _ = self._entity(ent)
            return Mention(start, end, tok.i, text, ent.name, country, sector, ent.id,
                           ent.kind, rule=f"catalog:{ent.kind}")
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
        app = self._apposition(tok, m)
        if app is not None:
            return app
        # partitives: "members of Hezbollah", "thousands of Iranian troops", "the leader of Iran"
        if tok.lower_ in PARTITIVES or tok.lemma_ in PARTITIVES:
            for prep in tok.children:
                if prep.dep_ == "prep" and prep.lower_ == "of":
                    for obj in prep.children:
                        if obj.dep_ != "pobj":
                            continue
                        head = self._head_of(tok, obj, start)
                        if head is not None:
                            return head
                        inner = self.resolve(obj)
                        if inner is not None:
                            return replace(inner, start=start, end=max(inner.end, end), head=tok.i,
                                           text=self._span_text(start, max(inner.end, end)))
        result = self._compose(tok, m, start, end, text)
        if tok.i in self._long_heads and (result is None or (result.name is None and result.country is None)):
            return self._adhoc(self._long_heads[tok.i], tok)
        return result

    def _compose(self, tok: Token, m: _Match | None, start: int, end: int, text: str) -> Mention | None:
        """Agent nouns and titles composed with their modifiers."""
        info = self._modifier_info(tok)
        sector = None
        title = None
        if m is not None and m.kind == "agent":
            sector = m.ref
            if tok.lemma_ in ("leader", "leadership") and info.get("sector") in GROUP_SECTORS:
                sector = info["sector"]  # "student leaders", "tribal leaders": leaders of the group
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
                word = title or (tok.lower_ if self._is_head_noun(tok, ORG_HEADS) else None)
                if word is not None and "sector" not in info:  # "the Hezbollah leader", "the NATO secretary-general"
                    holder = self._org_holder(entity, word)
                    if holder is not None:
                        return self._person(holder, start, end, tok.i, "title+organisation")
                    sec = None if e_country in IGO_CODES and e_sector is None else e_sector
                    return Mention(start, end, tok.i, text, entity.name, e_country, sec, entity.id,
                                   "title", rule="title+organisation")
                if e_country in IGO_CODES and e_sector is None:  # "UN officials" stay UNO, sector null
                    sec = sector if sector in ARMED_SECTORS else None
                else:
                    sec = e_sector or sector
                return Mention(start, end, tok.i, text, entity.name, e_country, sec,
                               entity.id, "organisation", rule="agent+organisation")
            # a named person as possessor or compound: "Putin's government", "Jolani's fighters"
            country = country or e_country
            if e_sector in ("REB", "PRM") and sector in STATE_SECTORS:  # "Hemedti's forces"
                sector = e_sector
        if ent is None and country is None:
            owner = self._possessive_pronoun(tok)  # "its fighters", "their troops", "his government"
            if owner is not None and owner.kind == "person" and tok.lemma_ in ORG_DESCRIPTORS:
                org = self._led_by(owner)  # "his group" → the organisation the person leads
                if org is not None:
                    country, sector_, _ = self._entity(org)
                    return Mention(start, end, tok.i, text, org.name, country, sector_, org.id,
                                   "organisation", rule="possessive:leader")
            if owner is None:
                owner = self._descriptor_owner(tok)  # "the coalition's spokesman", "coalition warplanes"
            if owner is not None:
                if owner.kind in ("organisation", "group") and owner.sector not in STATE_SECTORS | {None}:
                    if sector in STATE_SECTORS or sector == owner.sector or title or (
                            sector is None and tok.lemma_ in EVENT_HEADS | WEAPON_HEADS):
                        return Mention(start, end, tok.i, text, owner.name, owner.country, owner.sector,
                                       owner.id, owner.kind, rule=f"possessive:{owner.rule}")
                country = owner.country
        linked = self._linked(tok) if country is None else None
        if linked is not None:
            country = linked[0]
            sector = sector or linked[1]
        if country is None and sector in PLACED_SECTORS:
            country = self._placed_in(tok)
        elif country is None and sector in STATE_SECTORS and tok.lemma_ not in FOREIGN_POSTS:
            country = self._placed_in(tok, capitals_only=True)  # "the defence ministry in Berlin"
        if sector is None:
            if tok.pos_ == "PROPN" and tok.ent_type_ == "PERSON" and (country or title):
                return Mention(start, end, tok.i, text, self._span_text(*self._ent_bounds(tok)),
                               country, "GOV", None, "person", rule="person+title")
            if country and self._is_head_noun(tok, COUNTRY_HEADS):  # "the Russian leader"
                holder = self.cat.executive_holder(country, self.day)
                if holder is not None:
                    return self._person(holder, start, end, tok.i, "leader+country")
                return Mention(start, end, tok.i, text, self._state_name(country), country, "GOV", None,
                               "title", rule="leader+country")
            if country and tok.lemma_ in EVENT_HEADS:
                return Mention(start, end, tok.i, text, self._state_name(country), country, None,
                               None, "agent", rule="event+nationality")
            if country and tok.lemma_ in WEAPON_HEADS:
                return Mention(start, end, tok.i, text, self._state_name(country), country, "MIL",
                               None, "agent", rule="weapon+nationality")
            return None
        if country in IGO_CODES and sector not in ARMED_SECTORS:
            sector = None
        if title and tok.pos_ != "PROPN":
            holders = self.cat.holders(title, country, self.day) if country else []
            if len(holders) == 1:
                return self._person(holders[0], start, end, tok.i, "title")
            return Mention(start, end, tok.i, text, self._state_name(country), country, sector,
                           None, "title", rule="title")
        if title and tok.pos_ == "PROPN":
            return Mention(start, end, tok.i, text, self._span_text(*self._ent_bounds(tok)), country,
                           sector, None, "person", rule="title+name")
        name = self._state_name(country) if sector in STATE_SECTORS else None
        return Mention(start, end, tok.i, text, name, country, sector, None,
                       "agent" if sector in STATE_SECTORS else "group", rule="agent+nationality")

    def _head_of(self, tok: Token, obj: Token, start: int) -> Mention | None:
        """"the leader of Hezbollah", "the head of the UN", "the leader of Iran": the office holder."""
        mo = self.match(obj)
        if mo is None:
            return None
        end = max(mo.end, tok.i + 1)
        if mo.kind == "organisation" and self._is_head_noun(tok, ORG_HEADS):
            holder = self._org_holder(mo.ref, tok.lower_)
            if holder is not None:
                return self._person(holder, start, end, tok.i, "title+organisation")
        if mo.kind in ("country", "capital") and self._is_head_noun(tok, COUNTRY_HEADS):
            holder = self.cat.executive_holder(mo.ref, self.day)
            if holder is not None:
                return self._person(holder, start, end, tok.i, "leader+country")
        return None

    def _apposition(self, tok: Token, m: _Match | None) -> Mention | None:
        """"the group, Hezbollah," and "army chief Abdel Fattah al-Burhan" → the named actor;
        "Hezbollah, the Iran-backed group," → Hezbollah; "the Northern Division, a rebel faction"
        → an organisation named by the text, coded like its description."""
        for c in tok.children:
            if c.dep_ != "appos":
                continue
            mc = self.match(c)
            named = mc is not None and (mc.kind in ("person", "organisation")
                                        or (mc.kind == "country" and tok.lemma_ in STATE_DESCRIPTORS))
            if named or c.i in self._long_heads or self._acronym(c) is not None:
                inner = self.resolve(c)
                if inner is not None:
                    return replace(inner, start=min(inner.start, tok.i), head=tok.i, rule=f"appos:{inner.rule}")
            elif (m is None or m.kind == "agent") and tok.pos_ == "PROPN" \
                    and tok.ent_type_ not in ("GPE", "LOC", "FAC", "DATE"):
                inner = self.resolve(c)
                if inner is not None and inner.name is None and c.pos_ == "NOUN":
                    s, e = self._proper_span(tok)
                    kind = "person" if tok.ent_type_ == "PERSON" else "organisation"
                    return Mention(s, e, tok.i, self._span_text(s, e), self._span_text(s, e), inner.country,
                                   inner.sector, None, kind, rule=f"appos:named:{inner.rule}")
        if tok.dep_ == "appos" and tok.pos_ == "NOUN" and tok.text[:1].islower():
            mh = self.match(tok.head)
            if mh is not None and mh.kind in ("person", "organisation", "country"):
                inner = self.resolve(tok.head)
                if inner is not None:
                    return replace(inner, start=tok.i, end=tok.i + 1, head=tok.i, text=tok.text,
                                   rule=f"appos:{inner.rule}")
        return None

    def _proper_span(self, tok: Token) -> tuple[int, int]:
        """The proper name headed by ``tok``, without its determiner ("the Northern Division")."""
        start = tok.i
        for c in tok.lefts:
            if c.dep_ in ("compound", "amod", "nmod", "poss") and (c.pos_ == "PROPN" or c.text[:1].isupper()):
                start = min(start, c.left_edge.i)
        while start < tok.i and self.doc[start].lower_ in ("the", "a", "an"):
            start += 1
        return start, tok.i + 1

    # -- acronyms defined in the text ---------------------------------------------------------
    def _find_acronyms(self) -> None:
        """"the Rapid Support Forces (RSF)": later "RSF" is the long form's actor."""
        doc = self.doc
        for t in doc:
            if t.text != "(" or t.i + 2 >= len(doc) or doc[t.i + 2].text != ")" or t.i == 0:
                continue
            acro = doc[t.i + 1].text
            letters = [ch for ch in acro if ch.isalpha()]
            if not (2 <= len(letters) <= 8 and sum(ch.isupper() for ch in letters) >= 2 and acro[0].isupper()):
                continue
            want = "".join(letters).upper()
            lo = max(t.sent.start, t.i - 12)
            for s in range(t.i - 1, lo - 1, -1):
                w = doc[s]
                if not (w.text[:1].isupper() or w.lower_ in ACRONYM_LINKS):
                    break
                if w.lower_ in ACRONYM_LINKS and w.lower_ != "the":
                    continue
                initials = "".join(x.text[0] for x in doc[s:t.i] if x.text[:1].isupper() and x.lower_ != "the")
                if initials.upper() == want or (len(initials) == len(want) and sorted(initials.upper()) == sorted(want)):
                    if doc[s].lower_ == "the":
                        s += 1
                    span = doc[s:t.i]
                    if len(span) and acro not in self.acronyms:
                        a = _Acronym(t.i, span.start, span.end, span.root.i)
                        self.acronyms[acro] = a
                        self._long_heads.setdefault(a.head, a)
                    break

    def _acronym(self, tok: Token) -> Mention | None:
        a = self.acronyms.get(tok.text)
        if a is None or tok.i <= a.paren:
            return None
        base = self.resolve(self.doc[a.head])
        if base is None:
            return None
        return replace(base, start=tok.i, end=tok.i + 1, head=tok.i, text=tok.text,
                       rule=f"acronym:{base.rule}")

    def _adhoc(self, a: _Acronym, tok: Token) -> Mention | None:
        """An organisation the catalog does not know, named by the text and defined by an acronym."""
        name = self._span_text(a.start, a.end)
        country = sector = None
        for c in tok.children:  # "the Northern Example Front (NEF), a rebel group in Mali,"
            if c.dep_ == "appos" and c.pos_ == "NOUN":
                inner = self.resolve(c)
                if inner is not None:
                    country, sector = inner.country, inner.sector
                    break
        words = {w.lower_ for w in self.doc[a.start:a.end]}
        if country is None:
            for i in range(a.start, a.end):
                m = self.at.get(i)
                if m is not None and m.kind in ("country", "adjective", "demonym", "capital"):
                    country = m.ref
                    break
        if sector is None:
            if words & PARTY_NAME_WORDS:
                sector = "PTY"
            elif words & ARMED_NAME_WORDS:
                sector = "REB"
        if country is None and sector is None:
            return None
        return Mention(a.start, a.end, tok.i, name, name, country, sector, None, "organisation",
                       rule="acronym:defined")

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
            def fits(m: Mention) -> bool:
                return m.kind in ("person", "title")
        elif low in THING_PRONOUNS:  # states, organisations, and singular groups ("the faction ... its")
            def fits(m: Mention) -> bool:
                return m.kind in ("state", "organisation", "metonym") or (
                    m.kind in ("group", "agent") and self.doc[m.head].tag_ in ("NN", "NNP"))
        elif low in PLURAL_PRONOUNS:
            def fits(m: Mention) -> bool:
                return m.kind in ("group", "agent", "organisation")
        else:
            return None
        bound = self._clause_antecedent(tok, fits)
        if bound is not None:
            return replace(bound, start=tok.i, end=tok.i + 1, head=tok.i, text=tok.text,
                           rule=f"coref:clause:{bound.rule}")
        cands = [m for m in prior if fits(m)]
        if tok.dep_ in ("dobj", "dative", "iobj") and tok.lower_ not in ("its", "his", "her", "their"):
            own = {c.i for c in tok.head.children if c.dep_ in ("nsubj", "nsubjpass")}
            cands = [m for m in cands if m.head not in own]  # "Putin told him": him is not Putin
        # an actor named inside a relative clause ("a faction that Washington armed") is rarely
        # the antecedent of a later pronoun
        cands = [m for m in cands if not self._in_relative(self.doc[m.head])] or cands
        if not cands:
            return None
        subj = [m for m in cands if self.doc[m.head].dep_ in ("nsubj", "nsubjpass")]
        best = (subj or cands)[-1]
        return replace(best, start=tok.i, end=tok.i + 1, head=tok.i, text=tok.text,
                       rule=f"coref:{best.rule}")

    def _clause_antecedent(self, tok: Token, fits) -> Mention | None:
        """The subject of an enclosing clause ("Hezbollah said its fighters ...", "X said it would")
        or the controller of an infinitive ("X urged Y to withdraw its troops" → Y). An object
        pronoun is not bound by its own clause's subject ("Putin told him")."""
        skip = tok.dep_ in ("dobj", "dative", "iobj", "pobj") and tok.lower_ not in ("its", "his", "her", "their")
        node = tok
        for _ in range(10):
            head = node.head
            if head.i == node.i:
                return None
            if head.pos_ in ("VERB", "AUX"):
                if skip:
                    skip = False
                    node = head
                    continue
                cands = []
                if head.dep_ == "xcomp":
                    ctl = head.head
                    cands += [c for c in ctl.children if c.dep_ == "dobj"]
                    cands += [c for c in ctl.children if c.dep_ in ("nsubj", "nsubjpass")]
                cands += [c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")]
                for c in cands:
                    if c.i >= tok.i or c.left_edge.i <= tok.i <= c.right_edge.i:
                        continue
                    m = self.resolve(c)
                    if m is not None and fits(m):
                        return m
                if cands and head.dep_ not in ("ccomp", "xcomp", "advcl", "conj", "relcl"):
                    return None
            node = head
        return None

    @staticmethod
    def _in_relative(tok: Token) -> bool:
        node = tok
        for _ in range(6):
            if node.dep_ in ("relcl", "acl"):
                return True
            if node.head.i == node.i:
                return False
            node = node.head
        return False

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
        # "the presidents of Russia, Iran and Turkey"
        for prep in tok.children:
            if prep.dep_ != "prep" or prep.lower_ not in ("of", "from"):
                continue
            for obj in prep.children:
                mo = self.match(obj)
                if obj.dep_ != "pobj" or mo is None or mo.kind not in ("country", "capital") or mo.ref != m.country:
                    continue
                for conj in obj.conjuncts:
                    mm = self.match(conj)
                    if mm is not None and mm.kind in ("country", "capital") and mm.ref != m.country:
                        out.append(replace(m, country=mm.ref, head=conj.i, text=f"{tok.text} of {conj.text}",
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
