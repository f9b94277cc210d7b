"""Shared pieces of actor resolution: the `Mention` record, the catalog-match record, the word
classes every part uses, and `FinderBase`, the document state and lookups the resolver's mixins
(`compose`, `context`) build on. `ActorFinder` in `resolve` puts them together.
"""
from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Token

from .catalog import Catalog, Entity

__all__ = ["FinderBase", "Mention", "STATE_SECTORS", "GROUP_SECTORS", "MOD_DEPS", "ORG_DESCRIPTORS",
           "STATE_DESCRIPTORS", "PERSON_NOUNS"]

STATE_SECTORS = frozenset({"GOV", "MIL", "COP", "SPY", "LEG", "JUD"})
GROUP_SECTORS = frozenset({"REB", "CVL", "OPP", "UAF", "REF", "PRM", "EDU", "LAB", "MED", "AGR",
                           "BUS", "CRM", "JRN", "REL", "SOC", "PRE", "ELI", "PTY", "UNK"})
MOD_DEPS = frozenset({"amod", "compound", "poss", "nmod", "npadvmod", "nummod"})
ORG_DESCRIPTORS = frozenset({"group", "movement", "organisation", "organization", "militia",
                             "faction", "party", "alliance", "coalition", "bloc", "agency"})
STATE_DESCRIPTORS = frozenset({"country", "kingdom", "nation", "state", "republic", "emirate"})
# nouns that describe one person by occupation or role: "banker Tinashe Mutasa", "journalist
# Chin'ono" name a person even where the entity recogniser does not say PERSON
PERSON_NOUNS = frozenset({
    "journalist", "reporter", "correspondent", "photographer", "photojournalist", "blogger", "editor",
    "columnist", "cameraman", "banker", "businessman", "businesswoman", "tycoon", "investor",
    "entrepreneur", "industrialist", "financier", "executive", "activist", "dissident", "campaigner",
    "lawyer", "attorney", "student", "teacher", "professor", "academic", "researcher", "scientist",
    "doctor", "surgeon", "nurse", "cleric", "imam", "priest", "bishop", "rabbi", "monk", "pastor",
    "farmer", "worker", "protester", "demonstrator", "resident", "villager", "politician", "candidate",
    "rapper", "singer", "musician", "artist", "writer", "poet", "novelist", "filmmaker", "footballer",
    "oligarch", "smuggler", "trafficker", "unionist", "opponent", "critic"})


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
    # descriptors of alignment in the phrase ("Iran-backed", "pro-Russian", "backed by Turkey"):
    # (relation, name, country, sector) of each patron; not events, read by the sides analysis
    affiliations: tuple[tuple[str, str | None, str | None, str | None], ...] = ()

    @property
    def key(self) -> tuple[str | None, str | None, str | None]:
        return (self.name, self.country, self.sector)


@dataclass(frozen=True)
class _Match:
    start: int
    end: int
    kind: str
    ref: object


@dataclass(frozen=True)
class _Acronym:
    paren: int   # index of "(" (the definition)
    start: int   # long form span
    end: int
    head: int


class FinderBase:
    """The state of one document's resolution and the lookups shared by its mixins."""

    doc: Doc
    cat: Catalog
    day: str | None
    at: dict[int, _Match]
    mentions: list[Mention]
    acronyms: dict[str, _Acronym]
    _long_heads: dict[int, _Acronym]

    def resolve(self, tok: Token) -> Mention | None:
        """Resolve the noun phrase headed by ``tok``; `ActorFinder` implements it."""
        raise NotImplementedError

    def match(self, tok: Token) -> _Match | None:
        return self.at.get(tok.i)

    def _span_text(self, start: int, end: int) -> str:
        """``doc[start:end].text``, sliced from the document's text (made once by the finder):
        a span's text runs from its first token's offset to its last token's end."""
        doc, text = self.doc, getattr(self, "text", None)
        if text is not None and 0 <= start < end <= len(doc):
            last = doc[end - 1]
            return text[doc[start].idx:last.idx + len(last)]
        return doc[start:end].text

    def _state_name(self, iso3: str | None) -> str | None:
        state = self.cat.states.get(iso3 or "")
        return state.name if state else None

    def _entity(self, ent: Entity) -> tuple[str | None, str | None, str | None]:
        return ent.at(self.day)

    def is_regional(self, tok: Token) -> bool:
        m = self.match(tok)
        return m is not None and m.kind == "regional"

    def _is_head_noun(self, tok: Token, heads: frozenset[str]) -> bool:
        return tok.tag_ in ("NN", "NNP") and tok.lower_ in heads
