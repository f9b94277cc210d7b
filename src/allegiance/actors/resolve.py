"""Actor resolution in context: phrase → (canonical name, country, PLOVER sector).

`ActorFinder` matches catalog surface forms in a parsed document once, then resolves any
noun-phrase head: named states/organisations/people (with dated roles), metonyms ("the Kremlin"),
partitives ("members of Hezbollah") and conjoined modifiers ("US and Russian officials"). Unnamed
phrases are composed from their modifiers (`compose`: "Iranian troops", "Syria's army", "the UN
chief"); pronouns, descriptors, relative pronouns, appositions and acronyms the text defines are
resolved from the document (`context`).
"""
from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import replace

from spacy.matcher import PhraseMatcher
from spacy.strings import get_string_id
from spacy.tokens import Doc, Span, Token
from spacy.vocab import Vocab

from ..datelines import dateline_spans
from ..geonames import memo
from .base import MOD_DEPS, PERSON_NOUNS, STATE_SECTORS, Mention, _Acronym, _Match
from .catalog import Catalog
from .compose import ORG_HEADS, TOPIC_HEADS, ComposeMixin
from .context import ContextMixin
from .issuer import heading_issuer

# names that lived in this module before the split stay importable from it
from .base import GROUP_SECTORS, ORG_DESCRIPTORS, STATE_DESCRIPTORS  # noqa: F401
from .compose import (AGENT_LEMMAS, ARMED_SECTORS, BACKING_LEMMAS, COUNTRY_HEADS,  # noqa: F401
                      EVENT_HEADS, FOREIGN_POSTS, IGO_CODES, LINK_LEMMAS, OWNER_LEMMAS, PLACE_PREPS,
                      PLACED_SECTORS, TOP_TITLES, WEAPON_HEADS)
from .context import (ACRONYM_LINKS, ARMED_NAME_WORDS, PARTY_NAME_WORDS,  # noqa: F401
                      PERSON_PRONOUNS, PLURAL_PRONOUNS, RELATIVE_PRONOUNS, THING_PRONOUNS)

__all__ = ["ActorFinder", "Mention", "STATE_SECTORS", "GROUP_SECTORS"]

# sectors of a state's own institutions: one state's "Congress" or "Majlis" may be another's
INSTITUTION_SECTORS = frozenset({"LEG", "JUD", "COP", "GOV", "SPY", "MIL"})
LOCATIVE_PREPS = frozenset({"in", "at", "near", "to", "into", "outside", "around", "from", "across",
                            "toward", "towards", "inside", "through", "via", "over", "within", "onto"})
PAIR_NOUNS = frozenset({"side", "party", "country", "nation", "leader", "government", "army", "neighbour",
                        "neighbor", "rival", "foe", "adversary", "capital", "president", "minister",
                        "delegation", "envoy", "negotiator", "diplomat", "counterpart", "premier", "chief"})
#: people counted as a pair only with the definite article ("the two men" are the two just named)
PAIR_PEOPLE = frozenset({"man", "woman", "official", "politician"})
_PAIR_WORDS = PAIR_NOUNS | PAIR_PEOPLE
#: words for people in general: civilians, unless someone's own ("its men")
GENERIC_PEOPLE = frozenset({"people", "person", "persons", "man", "men", "woman"})
HELD_WORDS = frozenset({"held", "controlled", "run", "occupied", "dominated", "administered"})
#: words that place an agent in a region or bloc, not in a state ("Western diplomats", "Gulf officials")
BLOC_WORDS = frozenset({"western", "arab", "gulf", "european", "african", "asian", "nordic", "baltic",
                        "scandinavian", "balkan"})
CONTINENT_AMERICA = frozenset({"latin", "south", "central", "north"})
#: armed men "loyal to X" are X's
LOYAL_WORDS = frozenset({"loyal", "faithful"})
CROWD_COUNTS = frozenset({"hundreds", "thousands", "dozens", "scores", "tens", "millions"})
#: courts, judges and prosecutors, whose seat's state is theirs ("a Harare court", "a court in Schleswig")
SEAT_HEADS = frozenset({"court", "courts", "tribunal", "judge", "judges", "magistrate", "magistrates", "sheriff",
                        "prosecutor", "prosecutors", "courthouse"})
#: people who act for a principal named after them ("an aide to the president", "an adviser to the king")
STAFF_NOUNS = frozenset({"aide", "adviser", "advisor", "spokesman", "spokeswoman", "spokesperson", "assistant",
                         "confidant"})
#: sectors of the authorities a town or province names ("Gomel police", "the Basra provincial council")
LOCAL_SECTORS = frozenset({"GOV", "COP", "JUD", "LEG"})
#: local authorities a town or province may follow ("the governor of Kherson region", "police in Gomel")
LOCAL_HEADS = frozenset({"governor", "mayor", "council", "police", "administration", "authorities", "authority",
                         "prefect", "municipality", "committee", "officials", "official", "governorate"})
#: the smallest town whose name alone places its authorities (smaller names collide with words and surnames)
LOCAL_MIN_POP = 50_000
#: seats of international courts, whose host state is not the court's ("judges in Strasbourg")
INTERNATIONAL_SEATS = frozenset({"strasbourg", "hague", "the hague", "arusha", "luxembourg", "geneva", "san jose",
                                 "san josé", "banjul", "kirchberg"})
#: prepositions tying journalists to their outlet ("reporters for", "a crew from", "a cameraman with")
OUTLET_PREPS = frozenset({"for", "from", "with", "of"})
#: nouns of a news outlet the catalog may not name ("the Poland-based channel", "a German broadcaster")
OUTLET_WORDS = frozenset({"channel", "broadcaster", "radio", "television", "tv", "newspaper", "paper", "daily",
                          "weekly", "agency", "outlet", "station", "network", "magazine", "website", "portal",
                          "service", "tabloid", "publication"})
PARTITIVES = frozenset({"vanguard", "remnants", "bulk", "member", "members", "hundreds", "thousands", "dozens", "scores", "some",
                        "many", "group", "unit", "units", "contingent", "delegation", "team",
                        "battalion", "brigade", "representatives", "envoys", "part", "most", "all",
                        "one", "two", "three", "several", "leader", "leaders", "head", "chief",
                        "spokesman", "spokeswoman", "spokesperson", "commander", "commanders",
                        "associate", "associates", "aide", "aides", "loyalist", "loyalists", "confidant",
                        "confidants", "official", "officials", "representative", "delegate", "delegates"})
SPOKES = frozenset({"spokesman", "spokeswoman", "spokesperson", "spokesmen", "spokeswomen", "spokespeople"})
#: the circle a partitive's members belong to, named by its owner ("members of his inner circle")
CIRCLE_NOUNS = frozenset({"circle", "entourage", "government", "cabinet", "team", "camp", "administration",
                          "regime", "staff"})


# what is given to someone: "aid to Kyiv", "pledged missiles to Kyiv" (the government receives it)
RECIPIENT_HEADS = frozenset({"aid", "assistance", "support", "help", "weapon", "arm", "loan", "grant",
                             "funding", "delivery", "shipment", "package", "pledge", "give", "offer",
                             "provide", "deliver", "supply", "sell", "donate", "lend", "ship", "transfer",
                             "export", "promise", "extend", "grant"})


def _recipient_capital(tok: Token) -> bool:
    """A capital after "to" that receives something is the government, not the place."""
    prep = tok.head
    if prep.lower_ != "to":
        return False
    head = prep.head
    if head.lemma_.lower() in RECIPIENT_HEADS:
        return True
    things = RECIPIENT_HEADS | {"missile", "ammunition", "tank", "drone", "jet", "system"}
    return any(t.lemma_.lower() in things for c in head.children if c.dep_ == "dobj" for t in c.subtree)


_MATCHERS: dict[tuple[int, int], tuple[PhraseMatcher, PhraseMatcher, dict]] = {}


def _matchers(cat_id: int, vocab: Vocab, cat: Catalog) -> tuple[PhraseMatcher, PhraseMatcher, dict]:
    """Phrase matchers for a catalog, built once per (catalog, vocab)."""
    key = (cat_id, id(vocab))
    if key not in _MATCHERS:
        _MATCHERS[key] = _build_matchers(vocab, cat)
    return _MATCHERS[key]


def _form_tokens(texts: list[str]) -> dict[str, list[str]]:
    """Token texts of each catalog form (spaCy's English tokenizer), kept in the user cache
    (`allegiance.geonames.memo`) keyed by the forms and the spaCy version."""
    import spacy

    uniq = sorted(set(texts))  # the regional terms are a set: fix the order for the key

    def tokenise() -> list[list[str]]:
        from spacy.lang.en import English

        tok = English().tokenizer
        return [[t.text for t in tok(text)] for text in uniq]

    words = memo("forms", [spacy.__version__, json.dumps(uniq, ensure_ascii=False)], tokenise)
    return dict(zip(uniq, words))


def _build_matchers(vocab: Vocab, cat: Catalog) -> tuple[PhraseMatcher, PhraseMatcher, dict]:
    """Case-sensitive (ORTH) and case-insensitive (LOWER) matchers of the catalog forms.

    Patterns are given as attribute hashes, and the matchers keep their rule names in a vocab of
    their own: the document vocab would build a full lexeme for each of ≈13k rule names (≈0.6 s).
    The rule names are added to ``vocab.strings``, so match ids decode through the document."""
    table: dict[str, tuple[str, object]] = {}
    entries: list[tuple[bool, str, str]] = []  # (case-sensitive, rule name, text)
    for form, refs in cat.forms.items():
        kind, case, ref = refs[0]
        key = f"{kind}|{form}"
        table[key] = (kind, ref)
        entries.append((case == "cs", key, form))
    for term, sector in cat.agents.items():
        table[f"agent|{term}"] = ("agent", sector)
        entries.append((False, f"agent|{term}", term))
    for term, sector in cat.titles.items():
        table[f"title|{term}"] = ("title", (sector, term))
        entries.append((False, f"title|{term}", term))
    for term in cat.regional:
        table[f"regional|{term}"] = ("regional", None)
        entries.append((False, f"regional|{term}", term))
    words = _form_tokens([text for _, _, text in entries])
    own = Vocab()
    cs, ci = PhraseMatcher(own, attr="ORTH"), PhraseMatcher(own, attr="LOWER")
    by_key: tuple[dict[str, list], dict[str, list]] = ({}, {})
    for case_sensitive, key, text in entries:
        ws = words[text]
        ids = [get_string_id(w) for w in ws] if case_sensitive else [get_string_id(w.lower()) for w in ws]
        by_key[case_sensitive].setdefault(key, []).append(ids)
    for matcher, patterns in ((cs, by_key[True]), (ci, by_key[False])):
        for key, ps in patterns.items():
            vocab.strings.add(key)
            matcher.add(key, ps)
    return cs, ci, table


_NAME_KINDS = frozenset({"organisation", "country", "capital", "metonym"})
#: navies' ship prefixes (ambiguous ones such as INS, India's and Israel's, left out)
SHIP_PREFIXES = {"USS": "USA", "USNS": "USA", "HMS": "GBR", "HMCS": "CAN", "HMAS": "AUS", "HMNZS": "NZL",
                 "ROKS": "KOR", "TCG": "TUR", "HNLMS": "NLD", "HDMS": "DNK", "HSwMS": "SWE", "BRP": "PHL",
                 "PNS": "PAK", "KRI": "IDN", "FGS": "DEU"}  # not Italy's "ITS" or Greece's "HS": common words and initials
#: institutions of that name in many states: the catalog gives the best-known one (the US Congress)
SHARED_INSTITUTIONS = frozenset({"congress", "house of representatives", "house of commons"})
HONORIFICS = frozenset({"mr", "mr.", "mrs", "mrs.", "ms", "ms.", "dr", "dr.", "sen.", "rep.", "senator",
                        "sir", "dame", "madam", "mme", "monsieur"})


def _is_surname(doc: Doc, start: int, end: int) -> bool:
    """A one-word name that closes a person's name: an honorific right before it ("Mr Jordan"), or
    a word the tagger reads as a person among the proper nouns compounded onto it ("Foreign
    Minister Therese Kayikwamba Wagner")."""
    if end - start != 1 or start == 0:
        return False
    tok = doc[start]
    if doc[start - 1].lower_ in HONORIFICS:
        return True
    i = start - 1
    while i >= 0 and doc[i].head.i == tok.i and (doc[i].pos_ == "PROPN" or doc[i].text == "-"):
        if doc[i].ent_type_ == "PERSON":
            return True
        i -= 1
    return False


#: words before a surname that are no given name ("Madame Tsikhanouskaya", "General Almagro")
NAME_PREFIXES = frozenset({"madame", "mademoiselle", "señor", "senor", "señora", "senora", "don", "doña", "dona", "herr",
                           "frau", "signor", "signora", "comrade", "sheikh", "imam", "general", "gen.", "col.", "colonel",
                           "captain", "capt.", "major", "lt.", "lieutenant", "judge", "justice", "chief", "president",
                           "premier", "minister", "leader", "governor", "gov.", "king", "queen", "prince", "princess",
                           "pope", "father", "bishop", "ayatollah", "brother", "sister", "lady", "lord", "professor",
                           "prof.", "interim", "acting", "former", "deputy", "vice", "secretary", "ambassador", "mayor",
                           "chancellor", "emir", "sultan", "marshal", "field", "admiral", "sergeant", "commander", "mrs"})


def _other_first_name(doc: Doc, start: int, end: int, covered: set[int]) -> bool:
    """A catalogued person's bare surname with someone else's first name before it ("Nicolas
    Almagro", "Carlos Torra"): the catalog's full names are matched as longer forms first, so a
    one-word match that follows a given name is of another person."""
    if end - start != 1 or start == 0:
        return False
    prev = doc[start - 1]
    return prev.head.i == start and prev.pos_ == "PROPN" and prev.ent_type_ in ("PERSON", "") \
        and prev.lower_ not in HONORIFICS | NAME_PREFIXES and prev.text[:1].isupper() and prev.i not in covered


_RANK = {"person": 6, "organisation": 5, "metonym": 5, "country": 4, "capital": 3, "regional": 6,
         "demonym": 3, "adjective": 2, "title": 2, "agent": 1}


# entity labels a name the recogniser missed may carry (small models call rare names ORG or PRODUCT)
_NAME_LABELS = frozenset({"", "PERSON", "ORG", "PRODUCT", "WORK_OF_ART"})


#: cities that stand for the international body seated there when they act or are acted on
#: (news usage: "Brussels" is the EU; the countries' capitals are their governments, in countries.yaml)
SEAT_METONYMS = {"Brussels": "European Union"}
PLACE_PREPOSITIONS = frozenset({"in", "at", "near", "outside", "around", "inside", "across", "within", "throughout"})


OPPOSITION_HELD = frozenset({"controlled", "led", "dominated", "held", "run"})


def _phrase_key(head: Token) -> str:
    """A noun phrase's head with its compound words, lower case ("national assembly")."""
    words = [c for c in head.lefts if c.dep_ == "compound"] + [head]
    return " ".join(w.lower_ for w in words)


def _a_place(tok: Token) -> bool:
    """The city as a place: "met in Brussels", "a summit at Brussels", "Brussels airport"."""
    if tok.dep_ in ("compound", "amod", "nmod", "npadvmod"):
        return True
    return tok.dep_ == "pobj" and tok.head.lower_ in PLACE_PREPOSITIONS


class ActorFinder(ContextMixin, ComposeMixin):
    """Finds and resolves actor mentions in one parsed document, as of ``day`` (YYYY-MM-DD)."""

    def __init__(self, doc: Doc, cat: Catalog, day: str | None,
                 parse: Callable[[str], Doc] | None = None) -> None:
        """``parse`` (the pipeline, optional) parses an all-capitals heading again in title case
        to find who issues a statement (see ``issuer``)."""
        self.doc, self.cat, self.day = doc, cat, day
        self._parse = parse
        self._issuer: Mention | None | bool = False
        self.text = doc.text  # Doc.text joins every token's text on each call
        self._ents: tuple | None = None
        cs, ci, table = _matchers(id(cat), doc.vocab, cat)
        found: list[_Match] = []
        for matcher in (cs, ci):
            for match_id, start, end in matcher(doc):
                kind, ref = table[doc.vocab.strings[match_id]]
                if kind in _NAME_KINDS and _is_surname(doc, start, end):
                    continue  # "Foreign Minister Therese Kayikwamba Wagner" is a person
                found.append(_Match(start, end, kind, ref))
        covered = {i for m in found for i in range(m.start, m.end) if not (m.kind == "person" and m.end - m.start == 1)}
        # "Nicolas Almagro" (a tennis player) is not Luis Almagro
        found = [m for m in found if not (m.kind == "person" and _other_first_name(doc, m.start, m.end, covered))]
        found.sort(key=lambda m: (-(m.end - m.start), -_RANK.get(m.kind, 0), m.start))
        self.at: dict[int, _Match] = {}
        for m in found:
            taken = list({id(self.at[i]): self.at[i] for i in range(m.start, m.end) if i in self.at}.values())
            if len(taken) == 1 and (k := taken[0]).kind == m.kind and k.ref is m.ref:
                # two forms of one name overlap ("Prime Minister Abiy" + "Abiy Ahmed"): their union
                m = _Match(min(k.start, m.start), max(k.end, m.end), m.kind, m.ref)
            elif taken:
                continue
            for i in range(m.start, m.end):
                self.at[i] = m
        self._cache: dict[int, Mention | None] = {}
        self.antecedents: dict[int, Mention] = {}  # pronoun index -> the mention it refers to
        self._busy: set[int] = set()
        self.acronyms: dict[str, _Acronym] = {}
        self._long_heads: dict[int, _Acronym] = {}
        if "(" in self.text:
            self._find_acronyms()
        # a dateline ("HARARE (Reuters) -") names where the story was filed and by which agency:
        # neither is an actor of the story
        self.dateline: frozenset[int] = frozenset(i for a, b in dateline_spans(doc) for i in range(a, b))
        self.mentions: list[Mention] = []
        for tok in doc:
            if tok.i in self.dateline:
                continue
            if tok.pos_ in ("NOUN", "PROPN") and (tok.dep_ not in MOD_DEPS or tok.dep_ == "poss"):
                m = self.resolve(tok)
                if m is not None and (not self.mentions or self.mentions[-1].head != m.head):
                    self.mentions.append(m)

    def issuer(self) -> Mention | None:
        """Who issues the text, from its heading ("MINISTRY OF DEFENCE — PRESS RELEASE"), or None."""
        if self._issuer is False:
            self._issuer = None  # no recursion while it is computed
            parse = None
            if self._parse is not None:
                pipeline = self._parse

                def parse(text: str) -> list[tuple[int, int, Mention]]:
                    sub = pipeline(text)
                    found = ActorFinder(sub, self.cat, self.day)
                    return [(sub[m.start].idx, sub[m.end - 1].idx + len(sub[m.end - 1]), m) for m in found.mentions]
            self._issuer = heading_issuer(self.doc, self.mentions, parse)
        return self._issuer  # type: ignore[return-value]

    @property
    def ents(self) -> tuple:
        """``doc.ents``, built once (``Doc.ents`` builds every entity span on each call)."""
        if self._ents is None:
            self._ents = tuple(self.doc.ents)
        return self._ents

    def sent_ents(self, span: Span) -> list:
        """``span.ents`` from the document's entities built once (the same spans, in order)."""
        out = []
        start, end = span.start, span.end
        for ent in self.ents:
            if ent.start >= start:
                if ent.end <= end:
                    out.append(ent)
                else:
                    break
        return out

    # -- resolution ---------------------------------------------------------------------------
    def resolve(self, tok: Token) -> Mention | None:
        """Resolve the noun phrase headed by ``tok`` (pronouns via coreference)."""
        if tok.i in self._cache:
            return self._cache[tok.i]
        if tok.i in self.dateline:
            return None
        if tok.i in self._busy:  # an apposition cycle
            return None
        self._busy.add(tok.i)
        try:
            result = self._label_at(tok) if tok.is_upper and len(tok.text) > 1 else None
            if result is not None:  # a transcript's speaker label ("LUKASHENKO (address, 4 August):")
                self._cache[tok.i] = result
                return result
            result = self._resolve(tok)
            if result is None and tok.lower_ in ("those", "whoever") and any(
                    c.lower_ == "responsible" and c.dep_ in ("amod", "acomp") for c in tok.children):
                # "punish those responsible for the attack on the embassy": the unknown culprits,
                # not the victims named in their description
                result = Mention(tok.i, tok.i + 1, tok.i, tok.text, None, None, "UAF", None, "group",
                                 rule="culprits")
            if result is not None and any(c.dep_ == "poss" and c.i > 0 and (tok.doc[c.i - 1].lower_, c.lower_)
                                          in (("each", "other"), ("one", "another")) for c in tok.children):
                result = None  # "each other's diplomats": the parties are the clause's subjects
            if result is None and tok.text in SEAT_METONYMS and not _a_place(tok):
                # "pressure from Brussels", "Brussels imposed sanctions": the body seated there, as
                # a capital is its government; "talks in Brussels" stays a place
                org = next((e for e in self.cat.organisations if e.name == SEAT_METONYMS[tok.text]), None)
                if org is not None:
                    country, sector, _ = self._entity(org)
                    result = Mention(tok.i, tok.i + 1, tok.i, tok.text, org.name, country, sector, org.id,
                                     "organisation", rule="metonym:seat")
            if result is None and tok.pos_ == "PROPN" and tok.ent_type_ != "PERSON" and self.match(tok) is None:
                # "spoke to Barzani" after "Massoud Barzani", the surname tagged as a place or a
                # group: the person named before (a PERSON entity is handled in `_compose`)
                a, b = self._ent_bounds(tok) if tok.ent_type_ else (tok.i, tok.i + 1)
                earlier = self._same_person(tok, a, b) if b - a <= 2 else None
                if earlier is not None:
                    result = replace(earlier, start=a, end=b, head=tok.i, text=self._span_text(a, b),
                                     rule=f"coref:surname:{earlier.rule}")
            if result is not None and result.sector == "CVL" and tok.lemma_.lower() in GENERIC_PEOPLE:
                owner = next((c for c in tok.children if c.dep_ == "poss"), None)
                mine = self.resolve(owner) if owner is not None else None
                if mine is not None:  # "its men", "the group's people": the owner's own
                    result = replace(mine, start=result.start, end=result.end, head=tok.i, text=result.text,
                                     rule=f"owner:{mine.rule}")
            if result is not None and result.name is None and result.kind in ("agent", "group") \
                    and tok.pos_ in ("NOUN", "PROPN") and not result.rule.startswith(("coref", "relative")):
                named = self._described_person(tok)
                if named is not None:  # "banker Babaryka", "activist Maria Kolesnikova": that person
                    a, b = named
                    result = replace(result, end=max(result.end, b), name=self._span_text(a, b), kind="person",
                                     text=self._span_text(result.start, max(result.end, b)),
                                     rule=f"appos:person:{result.rule}")
            if result is not None and result.kind == "person" and result.sector is None and tok.dep_ == "conj":
                # "two challengers, Ivan Petrovich and Oleg Sidorenko": every conjunct of the
                # apposition is described by its noun, not only the first
                first = tok
                while first.dep_ == "conj" and first.head.i != first.i:
                    first = first.head
                if first.dep_ == "appos" and first.head.pos_ == "NOUN":
                    desc = self.resolve(first.head)
                    if desc is not None and desc.sector and (desc.kind in ("agent", "group") or
                                                             desc.rule.startswith("appos:person:")):
                        result = replace(result, sector=desc.sector, country=result.country or desc.country,
                                         rule=f"appos:conj:{result.rule}")
            if result is not None and result.kind != "person" and result.head == tok.i \
                    and not result.rule.startswith(("coref", "relative")):
                aff = self.affiliations(tok, (result.name, result.country))
                if aff:
                    result = replace(result, affiliations=aff)
            elif result is not None and result.kind == "person" and not result.rule.startswith("coref"):
                org = self._led_by(result)  # the organisation the person leads on the day
                if org is not None:
                    country, sector, _ = self._entity(org)
                    result = replace(result, affiliations=(("led", org.name, country, sector),))
            if result is not None and result.kind == "person" and result.name and " " not in result.name \
                    and result.id is None and not result.rule.startswith("coref:surname"):
                earlier = self._same_person(tok, tok.i, tok.i + 1) if tok.text == result.name else None
                if earlier is not None:  # "Amini, a 22-year-old woman" after "Mahsa Amini": her full name
                    result = replace(result, name=earlier.name, id=earlier.id,
                                     country=result.country or earlier.country, sector=result.sector or earlier.sector)
            ship = self._ship(tok, result)
            if ship is not None:  # "the aircraft carrier USS Dwight D. Eisenhower": the US Navy's ship
                result = ship
            if result is not None and result.sector == "LEG" and result.name is None and result.kind == "agent" \
                    and _phrase_key(tok) in self._opposition_held():
                # "the opposition-controlled National Assembly" (and "the National Assembly" later in the
                # same story): a legislature the opposition holds is the opposition, not the state
                result = replace(result, sector="OPP", rule=f"opposition-held:{result.rule}")
        finally:
            self._busy.discard(tok.i)
        self._cache[tok.i] = result
        return result

    def _opposition_held(self) -> frozenset[str]:
        """The legislatures the document says the opposition holds ("the opposition-controlled
        National Assembly", "the opposition-dominated parliament"), as `_phrase_key`s."""
        held = getattr(self, "_opposition_held_keys", None)
        if held is None:
            doc, out = self.doc, set()
            for t in doc:
                if t.lower_ != "opposition" or t.i + 2 >= len(doc) or doc[t.i + 1].text != "-" \
                        or doc[t.i + 2].lower_ not in OPPOSITION_HELD:
                    continue
                head = next((h for h in (doc[t.i + 2].head, t.head) if h.pos_ in ("NOUN", "PROPN") and h.i > t.i + 2),
                            None)
                if head is not None:
                    out.add(_phrase_key(head))
            held = self._opposition_held_keys = frozenset(out)
        return held

    def _described_person(self, tok: Token) -> tuple[int, int] | None:
        """The span of a person's name described by the phrase ("activist Maria Kolesnikova", or in
        apposition after the description: "banker Babaryka"): a PERSON entity the catalog does not
        know (a known one resolves itself)."""
        if tok.pos_ == "PROPN":
            if self.match(tok) is not None:
                return None
            if tok.ent_type_ == "PERSON":
                return self._ent_bounds(tok)
            described = any(c.dep_ == "compound" and c.i < tok.i and c.tag_ == "NN" and c.lemma_.lower() in PERSON_NOUNS
                            for c in tok.children)
            if described and tok.ent_type_ in _NAME_LABELS:
                names = [c.i for c in tok.children if c.dep_ == "compound" and c.pos_ == "PROPN" and c.i < tok.i]
                return min(names + [tok.i]), tok.i + 1
            return None
        for c in tok.children:
            if c.dep_ == "appos" and c.i > tok.i and c.pos_ == "PROPN" and self.match(c) is None and (
                    c.ent_type_ == "PERSON" or (tok.lemma_.lower() in PERSON_NOUNS and c.ent_type_ in _NAME_LABELS)):
                return self._ent_bounds(c)
        return None

    def _resolve(self, tok: Token) -> Mention | None:
        if self._is_relative(tok):  # "a faction that Washington armed" → the faction
            return self._relative(tok)
        if self._is_pronoun(tok):
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
        owner = self._owner_state(tok, m) if m is not None and m.kind in ("metonym", "organisation") else None
        if m is not None and m.kind in ("person", "organisation"):
            ent = m.ref
            if ent.kind == "organisation" and (ent.office or (m.end == tok.i + 1 and self._is_head_noun(tok, ORG_HEADS))):
                holder = self._org_holder(ent, tok.lower_)  # "the UN chief", "UN human rights chief"
                if holder is not None:
                    return self._person(holder, start, end, tok.i, "office")
            country, sector, _ = self._entity(ent)
            if owner is not None and owner != country and sector in INSTITUTION_SECTORS and country in self.cat.states:
                # "the Maldivian Majlis": another state's institution of the same name
                return Mention(start, end, tok.i, text, self._state_name(owner), owner, sector, None,
                               "metonym", rule="metonym:owner")
            return Mention(start, end, tok.i, text, ent.name, country, sector, ent.id,
                           ent.kind, rule=f"catalog:{ent.kind}")
        if m is not None and m.kind == "country":
            return Mention(start, end, tok.i, text, self._state_name(m.ref), m.ref, "GOV", None,
                           "state", bare=True, rule="catalog:state")
        if m is not None and m.kind == "capital":
            if tok.dep_ == "pobj" and tok.head.lower_ in LOCATIVE_PREPS and not _recipient_capital(tok):
                return None  # "in Damascus" is a place, not the government
            return Mention(start, end, tok.i, text, self._state_name(m.ref), m.ref, "GOV", None,
                           "metonym", rule="metonym:capital")
        if m is not None and m.kind == "metonym":
            iso3, sector = m.ref
            if owner is not None and owner != iso3:
                iso3 = owner  # "Peru's Congress", "the Brazilian Senate": the owner's institution
            elif owner is None and self._span_text(m.start, m.end).lower().removeprefix("the ") in SHARED_INSTITUTIONS:
                iso3 = self._story_state(tok.i, iso3)  # "Congress" in a story about Peru is Peru's
            if tok.dep_ == "pobj" and tok.head.lower_ in LOCATIVE_PREPS and sector != "GOV":
                return None
            return Mention(start, end, tok.i, text, self._state_name(iso3), iso3, sector, None,
                           "metonym", rule="metonym")
        if m is not None and m.kind == "demonym":
            return Mention(start, end, tok.i, text, None, m.ref, "CVL", None, "group", rule="demonym")
        app = self._apposition(tok, m)
        if app is not None:
            return app
        held = self._held_by(tok) if m is None and tok.pos_ == "NOUN" else None
        if held is not None:  # "rebel-held districts", "Houthi-controlled areas": the holder's
            return replace(held, start=start, end=end, head=tok.i, text=text, rule=f"held-by:{held.rule}")
        # partitives: "members of Hezbollah", "thousands of Iranian troops", "the leader of Iran"
        if tok.lower_ in PARTITIVES or tok.lemma_ in PARTITIVES:
            for prep in tok.children:
                # "a spokesman for the movement" speaks for it ("an envoy for Sudan" does not)
                if prep.dep_ == "prep" and (prep.lower_ == "of" or (prep.lower_ == "for" and tok.lower_ in SPOKES)):
                    for obj in prep.children:
                        if obj.dep_ != "pobj":
                            continue
                        if obj.lemma_.lower() in TOPIC_HEADS:
                            return None  # "part of its military aid" is a thing, not a group
                        head = self._head_of(tok, obj, start)
                        if head is not None:
                            return head
                        inner = self.resolve(obj)
                        if inner is None and obj.lemma_.lower() in CIRCLE_NOUNS:
                            inner = next((self.resolve(c) for c in obj.children if c.dep_ == "poss"), None)
                        if inner is not None and inner.kind == "person":
                            # "seven members of his inner circle", "associates of Orban": that
                            # person's side, not the person
                            inner = replace(inner, name=None, id=None, kind="group")
                        if inner is None and obj.lower_ == "people" and tok.lower_ in CROWD_COUNTS:
                            # "hundreds of people", "thousands of people": a crowd of civilians
                            return Mention(start, max(obj.i + 1, end), tok.i, self._span_text(start, max(obj.i + 1, end)),
                                           None, self._placed_in(tok), "CVL", None, "group", rule="crowd")
                        if inner is not None:
                            return replace(inner, start=start, end=max(inner.end, end), head=tok.i,
                                           text=self._span_text(start, max(inner.end, end)))
        result = self._compose(tok, m, start, end, text)
        if result is not None and result.rule == "agent+nationality" and self._regional(tok, start, result):
            return None  # "a Western diplomat", "Latin American governments": a regional construct, no actor
        if result is not None and (result.name is None or result.rule == "agent+nationality") \
                and result.kind in ("agent", "group") and result.sector in ARMED_SECTORS | {"REB", "PRM", "UAF"}:
            patron = self._loyal_to(tok)
            if patron is not None:  # "army units loyal to the former president": his forces
                result = replace(result, name=patron.name, country=patron.country or result.country,
                                 sector=patron.sector, id=patron.id, rule=f"loyal-to:{patron.rule}")
        if result is not None and result.sector == "JRN" and result.country is None and result.name is None \
                and result.kind in ("agent", "group"):
            outlet = self._outlet(tok)
            if outlet is not None:  # "reporters for the Poland-based channel": the outlet's country
                result = replace(result, country=outlet, rule=f"{result.rule}+outlet")
        if result is not None and result.country is None and result.name is None and \
                tok.lemma_.lower() in SEAT_HEADS and result.kind in ("agent", "title", "group"):
            seat = self._seat_country(tok)
            if seat is not None:  # "an Edinburgh sheriff", "a court in Schleswig": its city's state's
                result = replace(result, country=seat, rule=f"{result.rule}+seat")
        if result is not None and result.country is None and result.name is None and \
                result.sector in LOCAL_SECTORS and result.kind in ("agent", "title", "group"):
            local = self._local_country(tok, result.start)
            if local is not None:  # "Gomel police", "the Vitebsk regional executive committee"
                result = replace(result, country=local, rule=f"{result.rule}+local")
        if tok.lemma_.lower() in STAFF_NOUNS and (result is None or (result.name is None and result.country is None)):
            principal = self._principal(tok)
            if principal is not None:  # "an aide to Ukraine's president": the principal's side
                end = max(t.i for t in tok.subtree) + 1
                result = Mention(start, end, tok.i, self._span_text(start, end), None, principal.country,
                                 principal.sector or (result.sector if result is not None else "GOV"), None,
                                 "agent", rule=f"staff-of:{principal.rule}")
        if tok.i in self._long_heads and (result is None or (result.name is None and result.country is None)):
            return self._adhoc(self._long_heads[tok.i], tok)
        return result

    def _seat_country(self, tok: Token) -> str | None:
        """The country of the city a court, judge or prosecutor sits in, named before it ("a
        Harare court", "an Edinburgh sheriff") or after it ("a court in Schleswig", "the district
        court of Grodno"): a court is its state's, wherever the story's other actors are from."""
        try:
            from ..gazetteer import Gazetteer
        except ImportError:  # pragma: no cover
            return None
        names = [c for c in tok.children if c.dep_ == "compound" and c.i < tok.i and c.ent_type_ in ("GPE", "LOC")]
        for prep in tok.children:
            if prep.dep_ == "prep" and prep.lower_ in ("in", "of"):
                names += [o for o in prep.children if o.dep_ == "pobj" and o.pos_ == "PROPN"
                          and not (o.ent_type_ == "PERSON" and o.ent_iob_ == "I")
                          and not any(c.dep_ == "compound" and c.ent_type_ == "PERSON" for c in o.children)]
        for name in names:
            if name.text.lower() in INTERNATIONAL_SEATS or name.lemma_.lower() in INTERNATIONAL_SEATS:
                return None  # "judges in Strasbourg", "the tribunal in Arusha": an international court's seat
            apposed = self._apposed_country(name)
            if apposed is not False:
                return apposed  # "Tripoli, in northern Lebanon": the state named after it; "Birmingham,
                # Alabama": a state or province we cannot place, so none
            m = self.match(name)
            if m is not None and m.kind != "capital":
                continue  # a catalog actor ("the court of the ECOWAS"), or a country (the catalog's)
            if m is not None:
                found = m.ref
            else:
                parts = [c for c in name.children if c.dep_ == "compound" and c.pos_ == "PROPN"] + [name]
                place = Gazetteer.default().resolve(" ".join(t.text for t in sorted(parts, key=lambda t: t.i)))
                found = place.country if place is not None and place.country in self.cat.states else None
            if found is None:
                continue
            return found
        return None

    def _principal(self, tok: Token) -> Mention | None:
        """Whom a staff member serves: "an aide to Ukraine's president", "an adviser to the Iraqi
        prime minister", "a spokeswoman for the ministry" (an actor with a country)."""
        for prep in tok.children:
            if prep.dep_ == "prep" and prep.lower_ in ("to", "for", "of"):
                for o in prep.children:
                    if o.dep_ == "pobj":
                        m = self.resolve(o)
                        if m is not None and m.country:
                            return m
        return None

    def _local_country(self, tok: Token, start: int) -> str | None:
        """The country of the town or province named with a local authority, before it ("Gomel
        police", "the Vitebsk regional executive committee", "Lagos state police") or after it
        ("the governor of Kherson region", "police in Gomel"): the tagger often misses such names
        (no entity, or an organisation), so the gazetteer decides, taking a city of some size or a
        province only, and never a name the catalog knows as an actor."""
        try:
            from ..gazetteer import Gazetteer
        except ImportError:  # pragma: no cover
            return None
        doc = tok.doc
        run: list[Token] = []
        runs: list[list[Token]] = []
        for t in doc[start:tok.i]:
            if (t.pos_ == "PROPN" or t.ent_type_ in ("GPE", "LOC")) and t.text[:1].isupper() and t.ent_type_ != "NORP" \
                    and t.dep_ in ("compound", "nmod", "amod"):
                run.append(t)
            elif run:
                runs.append(run)
                run = []
        if run:
            runs.append(run)
        # after it: "the governor of Kherson region", "the mayor of Odesa", "police in Gomel"
        for prep in tok.children if tok.lemma_.lower() in LOCAL_HEADS else ():
            if prep.dep_ != "prep" or prep.lower_ not in ("of", "in"):
                continue
            for o in prep.children:
                if o.dep_ != "pobj" or o.ent_type_ == "PERSON":
                    continue
                apposed = self._apposed_country(o)
                if apposed is not False:
                    return apposed  # "a court in Birmingham, Alabama": a state we cannot place, so none
                names = [c for c in o.children if c.dep_ == "compound" and c.pos_ == "PROPN" and c.i < o.i]
                if o.pos_ == "PROPN" or o.ent_type_ in ("GPE", "LOC"):
                    names.append(o)
                elif names and o.lower_ in ("region", "province", "oblast", "state", "district", "governorate",
                                            "county", "city", "prefecture"):
                    names.append(o)  # "Kherson region": the province named with its kind
                if names and names[0].text[:1].isupper() and not names[0].is_upper and \
                        " ".join(t.lower_ for t in names) not in INTERNATIONAL_SEATS:
                    runs.append(sorted(names, key=lambda t: t.i))
        gaz = Gazetteer.default()
        for run in runs:
            if any(self.match(t) is not None for t in run):
                return None  # a catalog actor or a country ("Hamas police", "the Kremlin administration")
            # the name, then shorter and shorter: the words of the office may be capitalised too
            # ("the Gomel Regional Executive Committee")
            for k in range(len(run), 0, -1):
                place, why = gaz.resolve_explained(" ".join(t.text for t in run[:k]))
                if place is None or place.country not in self.cat.states:
                    continue
                if place.precision == "admin1" or why.startswith("curated alias") or \
                        (place.precision == "city" and _city_size(why) >= LOCAL_MIN_POP):
                    return place.country
        return None

    def _apposed_country(self, name: Token) -> str | None | bool:
        """What follows a court's city after a comma: the country it names ("Tripoli, in northern
        Lebanon", "Hyderabad, in Pakistan's Sindh province"), None for a state or province alone
        ("Birmingham, Alabama"), False when nothing is apposed."""
        doc = name.doc
        end = name.i + 1
        if end >= len(doc) - 1 or doc[end].text != ",":
            return False
        nxt = doc[end + 1]
        if not (nxt.pos_ == "PROPN" or nxt.lower_ == "in"):
            return False
        for t in doc[end + 1:min(len(doc), end + 8)]:
            if t.text == "," or t.pos_ in ("VERB", "AUX"):
                break
            m = self.match(t)
            if m is not None and m.kind == "country":
                return m.ref
        return None

    def _outlet(self, tok: Token) -> str | None:
        """The country of the news outlet unnamed journalists work for, when the catalog knows it
        or the text calls it another country's ("a cameraman with the German broadcaster", "two
        journalists from Deutsche Welle"): foreign media keep their outlet's country wherever
        their reporters are. The phrase may hang on the noun or on its verb ("detained two
        reporters for ...")."""
        preps = [c for c in tok.children if c.dep_ == "prep" and c.lower_ in OUTLET_PREPS]
        if tok.dep_ in ("dobj", "nsubjpass"):
            preps += [c for c in tok.head.children if c.dep_ == "prep" and c.lower_ in OUTLET_PREPS and c.i > tok.i]
        for prep in preps:
            for obj in prep.children:
                if obj.dep_ == "pobj":
                    found = self._outlet_country(obj)
                    if found is not None:
                        return found
        return None

    def _outlet_country(self, obj: Token) -> str | None:
        names = [obj] + [c for c in obj.children if c.dep_ in ("appos", "compound")]
        for t in names:
            m = self.match(t)
            if m is not None and m.kind == "organisation":
                country, sector, _ = self._entity(m.ref)
                return country if sector == "JRN" and country and country in self.cat.states else None
        if obj.lemma_.lower() not in OUTLET_WORDS and not any(
                c.dep_ == "compound" and c.lemma_.lower() in OUTLET_WORDS for c in obj.children):
            return None
        for a in obj.children:
            m = self.match(a)
            if a.dep_ == "amod" and m is not None and m.kind == "adjective":
                return m.ref  # "the German broadcaster"
        # not "the Poland-based channel": where an outlet sits says nothing of its staff (exile
        # media: a Poland-based channel's reporters in Minsk are Belarusians)
        return None

    def _held_by(self, tok: Token) -> Mention | None:
        """The actor that holds a territory named by ``tok`` ("rebel-held districts", "Houthi-
        controlled areas", "government-held neighbourhoods"): attacking it attacks the holder."""
        for a in tok.children:
            if a.dep_ == "amod" and a.lower_ in HELD_WORDS:
                for c in a.children:
                    if c.dep_ in ("npadvmod", "compound", "nmod", "amod", "nsubj") and c.i < a.i:
                        m = self.resolve(c)
                        if m is not None and m.kind not in ("place",):
                            return m
        return None

    def _regional(self, tok: Token, start: int, result: Mention) -> bool:
        """Whether an agent noun is described by a region or bloc rather than a state ("a Western
        diplomat", "Arab officials", "Latin American governments"; the catalog's regional
        constructs in the singular or with other nouns): no state when none is named beside it."""
        if tok.pos_ == "PROPN" or tok.ent_type_ in ("ORG", "FAC", "GPE"):
            return False  # a name: "the Central European University"
        span = self.doc[start:tok.i]
        # "Latin American", "South American": the adjective names a continent, not the United States
        if any(t.lower_ in CONTINENT_AMERICA and t.nbor(1).lower_ == "american" for t in span):
            return True
        # "Arab officials", "a Western diplomat": a bloc's states; "Sunni Arab volunteers" are people
        return result.country is None and result.sector in STATE_SECTORS and any(t.lower_ in BLOC_WORDS for t in span)

    def _loyal_to(self, tok: Token) -> Mention | None:
        """The named person or organisation armed men are loyal to ("troops loyal to Haftar",
        "army units that remain loyal to the former president X"): they fight for that actor,
        who may be at war with the state whose uniform they wear."""
        for c in tok.children:
            loyal = None
            if c.dep_ in ("amod", "acl") and c.lower_ in LOYAL_WORDS:
                loyal = c
            elif c.dep_ == "relcl" and c.lemma_ in ("be", "remain", "stay"):
                loyal = next((a for a in c.children if a.dep_ == "acomp" and a.lower_ in LOYAL_WORDS), None)
            if loyal is None:
                continue
            for prep in loyal.children:
                if prep.dep_ == "prep" and prep.lower_ == "to":
                    for obj in prep.children:
                        m = self.resolve(obj) if obj.dep_ == "pobj" else None
                        if m is not None and m.name and m.kind in ("person", "organisation"):
                            return m
        return None

    def backers(self, head: int) -> set[str]:
        """Countries said to back the actor headed at ``head`` in a participle on it ("rebels
        backed by Turkey", "a militia armed and funded by Tehran"): the actor is not theirs."""
        out: set[str] = set()
        for c in self.doc[head].children:
            if c.dep_ != "acl" or c.tag_ not in ("VBN", "JJ"):  # the tagger reads some as adjectives
                continue
            verbs = [c] + [v for v in c.children if v.dep_ == "conj" and v.tag_ == "VBN"]
            if not any(v.lemma_.lower() in BACKING_LEMMAS for v in verbs):
                continue
            for v in verbs:
                for a in v.children:
                    if a.dep_ == "agent":
                        for o in a.children:
                            m = self.resolve(o) if o.dep_ == "pobj" else None
                            if m is not None and m.country:
                                out.add(m.country)
        return out

    def _ship(self, tok: Token, found: Mention | None) -> Mention | None:
        """A warship named with its navy's prefix ("USS Dwight D. Eisenhower", "HMS Defender",
        "the BRP Sierra Madre"): that state's armed forces, whatever the name's words resolve to."""
        doc = tok.doc
        lo, hi = (found.start, found.end) if found is not None else (tok.i, tok.i + 1)
        while lo > 0 and (doc[lo - 1].pos_ == "PROPN" or doc[lo - 1].text in SHIP_PREFIXES) and \
                (doc[lo - 1].is_title or doc[lo - 1].is_upper):
            lo -= 1
        for i in range(lo, hi):
            iso3 = SHIP_PREFIXES.get(doc[i].text)
            if iso3 is None or i + 1 >= len(doc) or not doc[i + 1].text[:1].isupper():
                continue
            end = i + 1
            while end < len(doc) and (doc[end].pos_ == "PROPN" or doc[end].text in (".",)) and doc[end].text[:1].isupper():
                end += 1
            if not (i <= tok.i < end or (found is not None and found.start <= i < found.end)):
                continue
            text = self._span_text(i, end)
            return Mention(i, end, end - 1, text, text, iso3, "MIL", None, "agent", rule="ship-prefix")
        return None

    def _story_state(self, before: int, default: str) -> str:
        """The state of an institution many states have ("Congress"): the state the story names
        most before it, unless it has named ``default`` (the catalog's reading, the US Congress)."""
        seen: dict[str, int] = {}
        for m in self.mentions:
            if m.head >= before:
                break
            if m.country == default:
                return default
            if m.country in self.cat.states and m.kind in ("state", "agent", "metonym", "person", "organisation"):
                seen[m.country] = seen.get(m.country, 0) + 1
        # the most named, the first named on a tie (the story's lead actor, not a passing embassy)
        return max(seen, key=lambda c: seen[c]) if seen else default

    def _owner_state(self, tok: Token, m: _Match) -> str | None:
        """The state named by a possessor or adjective of ``tok`` outside the matched phrase
        ("Peru's Congress", "the Maldivian Majlis"), if any."""
        for c in tok.children:
            if c.dep_ not in ("poss", "amod", "compound", "nmod") or m.start <= c.i < m.end:
                continue
            cm = self.match(c)
            if cm is not None and cm.kind in ("country", "adjective") and isinstance(cm.ref, str):
                return cm.ref
        return None

    def conjoined_modifiers(self, tok: Token, m: Mention) -> list[Mention]:
        """"US and Russian officials" → a second mention for each conjoined nationality."""
        partitive = m.kind == "state" and (tok.lower_ in PARTITIVES or tok.lemma_ in PARTITIVES)
        if (m.kind not in ("agent", "group", "title") and not partitive) or m.country is None:
            return []
        out = []
        for c in tok.children:  # "US and Russian officials"
            if c.dep_ in ("amod", "compound", "nmod", "poss"):
                out += self._conjoined_states(m, c, ("country", "adjective"), False,
                                              lambda x: f"{x.text} {tok.text}")
                for conj in c.conjuncts:  # "Israeli and Hamas delegations": the named group itself
                    mm = self.match(conj)
                    if mm is not None and mm.kind == "organisation" and conj.i < tok.i:
                        org = self.resolve(conj)
                        if org is not None and org.key != m.key:
                            out.append(replace(org, head=conj.i, rule=org.rule + "+conjoined"))
        for prep in tok.children:  # "the presidents of Russia, Iran and Turkey"
            if prep.dep_ == "prep" and prep.lower_ in ("of", "from"):
                for obj in prep.children:
                    if obj.dep_ == "pobj":
                        out += self._conjoined_states(m, obj, ("country", "capital"), True,
                                                      lambda x: f"{tok.text} of {x.text}")
                        out += self._conjoined_groups(m, obj)
        return out

    def _conjoined_groups(self, m: Mention, first: Token) -> list[Mention]:
        """"fighters from Iran and Lebanon's Hezbollah": a named organisation conjoined with the
        state the agents come from is an actor of its own."""
        mf = self.match(first)
        if mf is None or mf.kind not in ("country", "capital") or mf.ref != m.country:
            return []
        out = []
        for conj in first.conjuncts:
            mm = self.match(conj)
            if mm is not None and mm.kind == "organisation":
                org = self.resolve(conj)
                if org is not None and org.key != m.key:
                    out.append(replace(org, rule=org.rule + "+conjoined"))
        return out

    def _conjoined_states(self, m: Mention, first: Token, kinds: tuple[str, ...], same_state: bool,
                          text) -> list[Mention]:
        """Copies of ``m`` for each state conjoined with ``first`` (with ``same_state``, ``first``
        must name m's own state)."""
        mf = self.match(first)
        if mf is None or not self._kind_in(mf, first, kinds) or (same_state and mf.ref != m.country):
            return []
        out = []
        conjuncts = list(first.conjuncts)
        # "the governments of Mali and Burkina Faso", parsed with "Mali" as a modifier of "Faso" (the
        # small parser flattens a coordination before a two-word name): a coordinated modifier
        # that names a state is a conjunct too
        conjuncts += [c for c in first.children if c.dep_ in ("nmod", "compound") and c.i < first.i
                      and any(x.dep_ == "cc" for x in c.children)]
        for conj in conjuncts:
            mm = self.match(conj)
            if mm is not None and self._kind_in(mm, conj, kinds) and mm.ref != m.country:
                out.append(replace(m, country=mm.ref, head=conj.i, text=text(conj),
                                   name=self._state_name(mm.ref) if m.name else None, rule=m.rule + "+conjoined"))
        return out

    @staticmethod
    def _kind_in(mt: _Match, tok: Token, kinds: tuple[str, ...]) -> bool:
        """``mt`` is of one of ``kinds``; a people's name used as a noun's modifier ("the French
        and German envoys": "the French" matched as the people) counts as the adjective."""
        return mt.kind in kinds or (mt.kind == "demonym" and "adjective" in kinds and
                                    tok.dep_ in ("amod", "compound", "conj") and tok.head.pos_ in ("NOUN", "PROPN", "ADJ"))

    def phrase(self) -> Mention | None:
        """The actor a whole short phrase denotes: its ROOT first, then the other tokens."""
        heads = [t for t in self.doc if t.dep_ == "ROOT"] + [t for t in self.doc if t.dep_ != "ROOT"]
        for tok in heads:
            m = self.resolve(tok)
            if m is not None:
                return m
        return None

    def expand(self, tok: Token) -> Iterator[Token]:
        """The head and its conjuncts ("Iran and Russia" → Iran, Russia).

        A list the parser read as an apposition ("Iran, Russia, Hezbollah and Iraq" with Russia as
        ``appos`` of Iran) is a list too: an appositive proper name that is another named state or
        organisation is a member, with its own conjuncts.
        """
        seen = {tok.i}
        yield tok
        members = [c for c in tok.conjuncts if c.i != tok.i]
        for c in [tok, *members]:
            for a in c.children:
                if a.dep_ == "appos" and a.pos_ == "PROPN" and self._other_named(tok, a):
                    members += [a, *[x for x in a.conjuncts if x.i != a.i]]
        for c in members:
            if c.i not in seen:
                seen.add(c.i)
                yield c

    def _other_named(self, head: Token, other: Token) -> bool:
        m_head, m_other = self.match(head), self.match(other)
        return (m_head is not None and m_other is not None and m_other.kind in ("country", "organisation")
                and m_head.kind in ("country", "organisation") and m_other.ref != m_head.ref)

    def both_parties(self, tok: Token) -> list[Mention]:
        """"both sides", "the two countries", "the two leaders": the last two distinct parties named
        in this or the two previous sentences (by country; unnamed groups count by their key)."""
        if tok.lower_ not in ("two", "both") and tok.lemma_.lower() not in _PAIR_WORDS:
            return []  # the checks below need one of these words
        bare_two = tok.lower_ == "two" and tok.dep_ in ("nsubj", "nsubjpass") and any(
            c.lower_ == "the" and c.dep_ == "det" for c in tok.children)  # "... and the two agreed"
        bare_two = bare_two or (tok.lower_ == "both" and tok.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj")
                                and tok.pos_ in ("PRON", "DET", "NOUN"))  # "..., accusing both of stoking unrest"
        the_two_people = tok.lemma_.lower() in PAIR_PEOPLE and any(  # "the two men", not "two men were shot"
            c.lower_ == "the" and c.dep_ == "det" for c in tok.children)
        if not bare_two and ((tok.lemma_.lower() not in PAIR_NOUNS and not the_two_people) or not any(
                c.lower_ in ("both", "two") and c.dep_ in ("det", "nummod", "predet", "amod") for c in tok.children)):
            return []
        sent = tok.sent
        start = sent.start
        for _ in range(2):
            if start > 0:
                start = self.doc[start - 1].sent.start
        found: dict[str, Mention] = {}
        own: set[int] = set()  # who addresses the pair ("the UN urged both sides") is not one of them
        prev = tok
        for anc in tok.ancestors:
            if prev.dep_ == "conj" and any(c.dep_ in ("nsubj", "nsubjpass") for c in prev.children):
                break  # a coordinated clause of its own: "X received Y, and the two governments agreed"
            own.update(t.i for c in anc.children if c.dep_ in ("nsubj", "nsubjpass") for t in c.subtree)
            prev = anc
        named = [m for m in self.mentions if start <= m.head < tok.i and m.head not in own]
        named += [x for m in named for x in self.conjoined_modifiers(self.doc[m.head], m)]  # "Ethiopian and Eritrean officials"
        for m in sorted(named, key=lambda m: m.head, reverse=True):
            key = m.country or m.key
            if m.country is None and m.name is None and m.sector not in ("MIL", "REB", "PRM", "GOV"):
                continue
            role = self.doc[m.head]
            if role.dep_ == "pobj" and role.head.lower_ == "as":
                continue  # "his first trip as president": a role, not a party
            if key not in found:
                found[key] = m
            if len(found) == 2:
                break
        if len(found) != 2:
            return []
        return [replace(m, start=tok.i, end=tok.i + 1, head=tok.i, text=tok.text, rule=f"coref:both:{m.rule}")
                for m in reversed(list(found.values()))]

    def members(self, tok: Token, m: Mention) -> list[Mention]:
        """The other members of a plural pronoun's conjoined antecedent: "the governments of Mali,
        Burkina Faso and Niger said they were leaving" → Burkina Faso and Niger too."""
        ante = self.antecedents.get(tok.i)
        if ante is None or tok.lower_ not in PLURAL_PRONOUNS:
            return []
        head = self.doc[ante.head]
        out = [x for t in self.expand(head) if t.i != head.i for x in [self.resolve(t)] if x is not None]
        out += self.conjoined_modifiers(head, ante)
        return [replace(x, start=tok.i, end=tok.i + 1, head=tok.i, text=tok.text, rule=f"coref:{x.rule}")
                for x in out if x.key != m.key]

    def in_span(self, span: Span) -> list[Mention]:
        return [m for m in self.mentions if span.start <= m.head < span.end]


def _city_size(reason: str) -> int:
    """The population a gazetteer explanation gives ("GeoNames city pop 501193 ..."), 0 if none."""
    import re

    m = re.search(r"pop (\d+)", reason)
    return int(m.group(1)) if m else 0
