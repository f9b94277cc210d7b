"""Sense choice: a trigger's lexicon key (verb or noun phrase) and the first sense whose constraints fit."""
from __future__ import annotations

from spacy.tokens import Token

from ..actors.resolve import ActorFinder, Mention
from .lexicon import Lexicon, Sense
from .syntax import _obj, _particle, _phrase_lemmas, _preps


_UNSEEN = object()


class SensesMixin:
    """Lexicon lookup and constraint checking for `Extractor` (needs `actors`, `subject`, `_recipients`)."""

    finder: ActorFinder
    lex: Lexicon
    # token index -> what the lookup found (the rules and the model's features ask of the same
    # tokens: a lookup depends on the token, its parse and the lexicon only)
    _verb_senses: dict[int, tuple[str, list[Sense]] | None]
    _noun_senses: dict[int, tuple[str, list[Sense], int] | None]

    def object_preps(self, obj: Token | None, keys: frozenset[str] | set[str] | None) -> dict[str, list[Token]]:
        """The verb's own prepositions that the parser hung on its object: "discussed the ceasefire
        with Netanyahu" (with whom, not which ceasefire), when the object is no actor and the
        prepositional object is one."""
        if obj is None or not keys or self.actors(obj):
            return {}
        return {k: [p for p in v if self.actors(p)] for k, v in _preps(obj).items()
                if k in keys and any(self.actors(p) for p in v)}

    def _fits(self, sense: Sense, verb: Token, obj: Token | None, subj_m: list[Mention],
              noun: Token | None = None) -> bool:
        if sense.light_only and noun is not None and noun.dep_ not in ("dobj", "nsubjpass", "pobj", "attr", "conj"):
            return False
        if sense.particle is not None and noun is None and _particle(verb) != sense.particle:
            return False  # "shot in the chest" is no "shot down"; "cracked the case" no crackdown
        obj_lemmas = _phrase_lemmas(obj) if obj is not None else set()
        if sense.obj is not None and not (obj_lemmas & sense.obj):
            return False
        if sense.obj_not and obj_lemmas & sense.obj_not:
            return False
        if sense.obj_head is not None and (obj is None or obj.lemma_.lower() not in sense.obj_head):
            return False
        if sense.obj_type is not None:
            # the object itself is the actor, not a possessor in its phrase ("the minister's claims")
            heads = {obj.i, *(c.i for c in obj.conjuncts)} if obj is not None else set()
            m = [x for x in self.actors(obj) if x.head in heads]
            if not m or not any(_kind_fits(x, sense.obj_type) for x in m):
                return False
        if sense.obj_none and obj is not None:
            return False
        if sense.pobj is not None and not any(
                _phrase_lemmas(p) & sense.pobj for prep, objs in _preps(verb).items()
                if sense.pobj_prep is None or prep in sense.pobj_prep for p in objs) and not any(
                _phrase_lemmas(p) & sense.pobj for p in _object_pobjs(obj, sense.pobj_prep)) and not (noun is not None and any(
                _phrase_lemmas(p) & sense.pobj for prep, objs in _preps(noun).items()
                if sense.pobj_prep is None or prep in sense.pobj_prep for p in objs)):
            return False  # (the parser may hang the phrase on the object: "stripped Mugabe of the leadership")
        if sense.pobj_type is not None and not any(
                _kind_fits(m, sense.pobj_type) for preps in (_preps(verb), self.object_preps(obj, sense.prep),
                                                             _preps(noun) if noun is not None else {})
                for prep, objs in preps.items()
                if sense.prep is None or prep in sense.prep for p in objs for m in self.actors(p)):
            return False  # (the parser may hang the phrase on the object: "closed its border with Belarus")
        if sense.prep is not None and not ((set(_preps(verb)) | (set(_preps(noun)) if noun is not None else set()))
                                           & sense.prep) and not self.object_preps(obj, sense.prep):
            if not (sense.symmetric and len(subj_m) >= 2):
                return False
        if sense.complement is not None:
            # what the verb calls its object ("called the vote a sham"), not the words of a clause of
            # its own ("called Putin to discuss the occupation")
            clauses = [c for c in verb.children if c.dep_ in ("xcomp", "ccomp", "advcl", "conj") and c.pos_ in ("VERB", "AUX")
                       and not any(t.lower_ == "grata" for t in c.subtree)]  # "persona non grata": misread as a clause
            if sense.judgment:  # "called Putin about the threat": a topic, not what he is called
                clauses += [c for c in verb.children if c.dep_ in ("prep", "npadvmod", "advmod", "agent", "advcl")]
            inner = {t.i for c in clauses for t in c.subtree}
            # what the object is called, never a word of the object itself ("described the fight against
            # crime as its priority", "branded the war on terror a mistake")
            obj1 = next((o for o in verb.children if o.dep_ == "dobj"), None)
            if obj1 is not None:  # its words before its head and in its prepositional phrases (a word
                # after its head, "found the commander guilty", or the head of a phrase the parser ran
                # together, "calling their trip political interference", is what it is called)
                inner |= {t.i for t in obj1.subtree if t.i < obj1.i}
                inner |= {t.i for p in obj1.children if p.dep_ == "prep" and p.lower_ != "as" for t in p.subtree}
            said = [t for t in verb.subtree if t.i > verb.i and t.i not in inner and t.lemma_.lower() in sense.complement]
            if not said or all(any(c.dep_ == "neg" for c in t.children) for t in said):
                return False  # "found him not guilty": no conviction
        if sense.dative is not None and not any(_phrase_lemmas(d) & sense.dative for d in verb.children
                                                if d.dep_ == "dative" or (d.dep_ == "dobj" and d is not obj)):
            return False
        if sense.content is not None:
            comp = [c for c in verb.children if c.dep_ in ("xcomp", "ccomp", "dobj", "advcl")]
            comp += [obj] if obj is not None and obj.dep_ == "npadvmod" else []  # "gave them 48 hours to leave"
            words = {t.lemma_.lower() for c in comp for t in c.subtree}
            if not words & sense.content:
                return False
        if sense.content_not and (_phrase_words(verb, None) & sense.content_not
                                 or (sense.type == "PROTEST" and _errand(verb))):
            return False  # a crowd that fills a square to celebrate, to mourn, for a mass or a match; a crowd
            # of mourners or fans (its subject's words too); one gathered on an errand ("to collect their
            # certificates", "to apply for visas")
        if sense.content_type is not None:
            comp = [c for c in verb.children if c.dep_ in ("xcomp", "ccomp") and c.pos_ in ("VERB", "AUX")]
            found = (self.verb_senses(c) for c in comp)
            if not any(f is not None and any(s.type in sense.content_type for s in f[1]) for f in found):
                return False
        if sense.subj_not and any(x.sector in sense.subj_not for x in subj_m):
            return False
        if sense.subj is not None:
            if not subj_m or not any((x.sector in sense.subj) or (x.country in sense.subj) for x in subj_m):
                return False
        if sense.subj_lemma is not None:
            s = self.subject(verb)
            if s is None or not _head_lemmas(s) & sense.subj_lemma:
                return False
        if sense.recipient_actor and not self._recipients(verb):
            return False
        if sense.modifier is not None and noun is not None:
            mods = {c.lower_ for c in noun.children if c.dep_ in ("amod", "compound")}
            if not mods & sense.modifier:
                return False
        return True

    def verb_senses(self, tok: Token) -> tuple[str, list[Sense]] | None:
        """The lexicon key and senses of a verb (the hyphenated verb, the phrasal verb, the verb
        with its object or preposition, then the lemma), looked up once per token of the document."""
        cache = self._verb_senses
        got = cache.get(tok.i, _UNSEEN)
        if got is _UNSEEN:
            got = self._lookup_verb(tok)
            if tok.doc is self.finder.doc:
                cache[tok.i] = got
        return got

    def _lookup_verb(self, tok: Token) -> tuple[str, list[Sense]] | None:
        lemma = tok.lemma_.lower()
        keys = []
        doc = tok.doc
        if tok.i >= 2 and doc[tok.i - 1].text == "-" and not doc[tok.i - 1].whitespace_:
            keys.append(f"{doc[tok.i - 2].lower_}-{lemma}")  # "test-fired": the hyphenated verb first
        prt = _particle(tok)
        if prt:
            keys.append(f"{lemma} {prt}")
        obj = _obj(tok)
        if obj is not None:
            keys.append(f"{lemma} {obj.lemma_.lower()}")
        for p, objs in _preps(tok).items():
            if objs and all(o.ent_type_ in ("DATE", "TIME") for o in objs):
                continue  # "called on Tuesday" is no "call on": a date is no prepositional object
            keys.append(f"{lemma} {p}")
        keys.append(lemma)
        for k in keys:
            senses = self.lex.verbs.get(k)
            if senses:
                if k == lemma and prt and any(s.particle for s in senses):
                    return k, senses
                return k, senses
        return None

    def noun_senses(self, tok: Token) -> tuple[str, list[Sense], int] | None:
        """The lexicon key (up to three words ending in the noun), senses and first token of a
        noun, looked up once per token of the document."""
        cache = self._noun_senses
        got = cache.get(tok.i, _UNSEEN)
        if got is _UNSEEN:
            got = self._lookup_noun(tok)
            if tok.doc is self.finder.doc:
                cache[tok.i] = got
        return got

    def _lookup_noun(self, tok: Token) -> tuple[str, list[Sense], int] | None:
        lemma, low = tok.lemma_.lower(), tok.lower_
        heads = self.lex.noun_heads
        if lemma not in heads and low not in heads:
            return None  # no noun key ends in this word
        doc = tok.doc
        for n in range(min(3, self.lex.max_noun_words), 0, -1):
            start = tok.i - n + 1
            if start < tok.sent.start:
                continue
            words = [doc[i].lower_ for i in range(start, tok.i)] + [tok.lemma_.lower()]
            key = " ".join(words)
            if key in self.lex.nouns:
                return key, self.lex.nouns[key], start
            key = " ".join([doc[i].lower_ for i in range(start, tok.i + 1)])
            if key in self.lex.nouns:
                return key, self.lex.nouns[key], start
        return None


#: quantities and collectives whose "of" phrase names who they are ("thousands of protesters")
_PARTITIVES = frozenset({"thousand", "hundred", "dozen", "score", "million", "group", "number", "band",
                         "gang", "crowd", "throng", "column", "busload", "hundreds", "thousands", "dozens"})


def _head_lemmas(tok: Token) -> set[str]:
    """The subject's head lemma, and through a quantity or collective the lemma of its "of"
    phrase ("thousands of protesters", "a crowd of students")."""
    out = {tok.lemma_.lower()}
    if tok.lemma_.lower() in _PARTITIVES:
        of = {c.lemma_.lower() for p in tok.children if p.dep_ == "prep" and p.lower_ == "of"
              for c in p.children if c.dep_ == "pobj"}
        if of and tok.lemma_.lower() in _NUMBERS:
            return of  # "thousands of mourners" are mourners: the number alone says nothing of who they are
        out |= of
    return out


_NUMBERS = frozenset({"thousand", "hundred", "dozen", "score", "million", "hundreds", "thousands", "dozens", "several",
                      "many", "more", "number"})

# what a crowd may gather "to" do and still be protesting
_PROTEST_PURPOSES = frozenset({"demand", "protest", "denounce", "condemn", "oppose", "call", "press", "voice", "express",
                               "demonstrate", "show", "support", "urge", "reject", "rally", "challenge", "defend", "back",
                               "seek", "insist", "block", "stop", "prevent", "resist", "save", "decry", "criticise",
                               "criticize", "complain", "petition", "object", "denounce", "chant", "shout", "voice",
                               "commemorate", "mark", "honour", "honor", "mourn"})


def _errand(verb: Token) -> bool:
    """A purpose clause ("to collect their pensions", "to apply for visas") that is no protest."""
    return any(c.dep_ in ("advcl", "xcomp") and c.pos_ == "VERB" and c.lemma_.lower() not in _PROTEST_PURPOSES
               and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children) for c in verb.children)


def _phrase_words(verb: Token, subj: Token | None) -> set[str]:
    """The lemmas of the verb's phrase and of the clauses it heads, its subject's words aside (and,
    for a relative clause, the noun it describes is not in its subtree anyway)."""
    skip = {t.i for t in subj.subtree} if subj is not None and subj.head.i == verb.i else set()
    return {t.lemma_.lower() for t in verb.subtree if t.i not in skip} | {t.lower_ for t in verb.subtree if t.i not in skip}


BLOC_CODES = frozenset({"IGO", "UNO", "EUR"})


def _object_pobjs(obj: Token | None, preps: frozenset[str] | None = None) -> list[Token]:
    """The objects of prepositional phrases on a verb's object or its apposition, where the parser
    often hangs the verb's own phrase ("stripped the weekly Nasha Niva of its registration", "got 28
    years in prison"); never the object's own words ("stripped the party office of its computers")."""
    if obj is None:
        return []
    return [p for h in (obj, *(c for c in obj.children if c.dep_ == "appos")) for prep, ps in _preps(h).items()
            if preps is None or prep in preps for p in ps]


def _kind_fits(m: Mention, kinds: frozenset[str]) -> bool:
    """An actor of one of ``kinds``; ``bloc`` is a named intergovernmental organisation itself
    ("left ECOWAS", not "left Hamas headquarters")."""
    if m.kind in kinds:
        return True
    return "bloc" in kinds and m.kind == "organisation" and m.country in BLOC_CODES and m.rule.startswith("catalog")
