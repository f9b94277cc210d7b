"""Token-level readings of the dependency parse: children by relation, particle, lemma, object, prepositions."""
from __future__ import annotations

from spacy.tokens import Token

from .words import ADVERB_PARTICLES, LEMMA_FIXES


def _children(tok: Token, *deps: str) -> list[Token]:
    return [c for c in tok.children if c.dep_ in deps]


def _particle(tok: Token) -> str | None:
    for c in tok.children:
        if c.dep_ == "prt":
            return c.lower_
    for c in tok.children:  # "pulled back": the parser often makes the particle an adverb
        if c.dep_ == "advmod" and c.lower_ in ADVERB_PARTICLES and c.i == tok.i + 1:
            return c.lower_
    for c in tok.children:  # "forced the migrants back", "pulled its troops back": after the object
        if c.dep_ == "advmod" and c.lower_ in ADVERB_PARTICLES and \
                any(o.dep_ == "dobj" and o.right_edge.i + 1 == c.i for o in tok.children):
            return c.lower_
    return None


def _lemma(tok: Token) -> str:
    """The lemma, with the small model's known slips corrected ("staged" → "stag")."""
    return LEMMA_FIXES.get(tok.lower_, tok.lemma_.lower())


def _obj(tok: Token) -> Token | None:
    objs = _children(tok, "dobj", "attr")
    if not objs and any(c.dep_ in ("nsubjpass", "auxpass") for c in tok.children):
        objs = _children(tok, "nsubjpass")
    if not objs:  # "Biden called Zelensky on Tuesday": a name parsed as an object predicate is the object
        objs = [c for c in tok.children if c.dep_ == "oprd" and c.pos_ == "PROPN"]
    if not objs:  # "sealed off the area": the parser may hang the object on the particle
        objs = [g for c in tok.children if c.dep_ == "prt" for g in c.children if g.dep_ == "pobj"]
    return objs[0] if objs else None


def _phrase_lemmas(tok: Token) -> set[str]:
    out = {tok.lemma_.lower(), tok.lower_}
    comps = [c for c in tok.children if c.dep_ in ("compound", "amod") and c.i < tok.i]
    for c in comps:
        out.add(f"{c.lower_} {tok.lemma_.lower()}")
        out.add(f"{c.lower_} {tok.lower_}")
    amount = tok.ent_type_ in ("MONEY", "QUANTITY") or tok.like_num or \
        tok.lower_ in ("million", "billion", "trillion", "bn", "tonnes", "tons")
    for c in tok.children:  # "dozens of armoured vehicles": the object is what is counted
        if c.dep_ == "prep" and (c.lower_ == "of" or (amount and c.lower_ in ("in", "worth"))):
            # ("sent $500 million in aid": the amount is of aid)
            for g in c.children:
                if g.dep_ == "pobj":
                    out |= _phrase_lemmas(g)
    return out


def _preps(tok: Token) -> dict[str, list[Token]]:
    out: dict[str, list[Token]] = {}
    for c in tok.children:
        if c.dep_ in ("prep", "agent", "dative") and c.pos_ in ("ADP", "SCONJ") or c.dep_ == "prep":
            objs = [g for g in c.children if g.dep_ in ("pobj", "pcomp")]
            out.setdefault(c.lower_, []).extend(objs)
            for g in objs:  # "between Russia and the United States"
                pass
    return out


def _joint(trigger: Token, verb: Token) -> bool:
    """A joint action: "a joint raid", "jointly", "fought side by side", "together"."""
    if any(c.dep_ in ("amod", "compound") and c.lower_ in ("joint", "combined") for c in trigger.children):
        return True
    for c in verb.children:
        if c.lower_ in ("jointly", "together") and c.dep_ == "advmod":
            return True
        if c.lower_ == "side" and c.i + 2 < len(c.doc) and c.doc[c.i + 1].lower_ == "by":
            return True
    return False
