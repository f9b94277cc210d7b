"""Modality of an event mention: negated, hypothetical, future, historical; and hedges."""
from __future__ import annotations

import re

from spacy.tokens import Token

from ..models import Modality
from .words import MEDIATION_VERBS

__all__ = ["modality", "hedged", "FUTURE_WORDS"]

HYPOTHETICAL_AUX = frozenset({"may", "might", "could"})
FUTURE_AUX = frozenset({"will", "shall", "'ll", "wo"})
FUTURE_WORDS = frozenset({"tomorrow", "next", "upcoming", "coming", "later"})
CONDITIONAL_MARKS = frozenset({"if", "unless", "whether"})
POSSIBILITY = frozenset({"possible", "potential", "possibility", "likely", "prospect", "risk",
                         "feared", "threat", "possibly", "perhaps", "maybe"})
HEDGES = frozenset({"reportedly", "apparently", "allegedly", "purportedly", "supposedly",
                    "seemingly", "presumably", "unconfirmed", "rumoured", "rumored", "believed",
                    "suspected", "claimed", "alleged", "said to", "thought"})
REPORTING_PAST = frozenset({"say", "tell", "announce", "report", "state", "add", "claim", "insist",
                            "confirm", "declare", "warn", "pledge", "promise", "signal", "indicate"})
HISTORICAL_WORDS = frozenset({"previously", "formerly", "once", "earlier", "originally"})
#: a clause these introduce states a fact of its own, outside a denial or failure above it
OWN_CLAUSE_MARKS = frozenset({"after", "before", "when", "because", "since", "as", "while", "although", "though",
                              "once", "until", "whereas"})
_YEAR = re.compile(r"^(19[5-9]\d|20[0-4]\d)$")


def _negated(tok: Token, noun: Token | None) -> bool:
    neg = any(c.dep_ == "neg" for c in tok.children)
    if noun is not None:
        neg = neg or any(c.lower_ in ("no",) and c.dep_ == "det" for c in noun.children)
        if noun.dep_ in ("nsubj", "nsubjpass") and any(c.lower_ == "no" for c in noun.children):
            neg = True
    if any(c.lower_ == "never" for c in tok.children):
        neg = True
    if tok.dep_ in ("xcomp", "advcl") and tok.head.lemma_ in ("use", "employ") and \
            any(c.dep_ == "neg" for c in tok.head.children):
        neg = True  # "has not used missiles to strike": the strike did not happen
    for c in tok.children:  # "No Chinese troops have been sent", "none of the convoys reached"
        if c.dep_ in ("nsubj", "nsubjpass") and (c.lower_ in ("none", "nobody", "neither") or
                                                 any(d.lower_ in ("no", "neither") and d.dep_ == "det" for d in c.children)):
            neg = True
    if noun is None and tok.lemma_.lower() in NOTHING_VERBS and _nothing_done(tok):
        neg = True  # "agreed on nothing", "agreed little else", "arrested nobody"
    head = tok
    for _ in range(3):  # "denied carrying out", "denied that it had attacked"
        if head.dep_ == "advcl" and any(c.dep_ in ("mark", "advmod") and c.lower_ in OWN_CLAUSE_MARKS for c in head.children):
            break  # "failed to agree ... after Cyprus blocked it": the blocking happened
        if head.dep_ in ("xcomp", "ccomp", "pcomp", "advcl") or head.head.dep_ == "prep":
            gov = head.head if head.dep_ != "pcomp" else head.head.head
            if gov.lemma_ in ("deny", "fail") and not any(
                    o.dep_ == "dobj" and o.lemma_.lower() in ("accusation", "charge", "allegation", "claim")
                    for o in gov.children):
                governor_negated = any(c.dep_ == "neg" for c in gov.children)
                return neg != (not governor_negated) if gov.lemma_ == "deny" else not governor_negated
            if head == gov:
                break
            head = gov
        else:
            break
    return neg


#: what a verb is done to when it is done to nothing ("agreed on nothing", "agreed little", "arrested nobody")
NOTHING_WORDS = frozenset({"nothing", "little", "nobody", "none"})
#: words that make "nothing" or "little" a restriction, not a negation ("agreed on little more than a
#: ceasefire", "nothing but a date for new talks")
NOTHING_BUT = frozenset({"more", "less", "but", "beyond", "except", "besides", "other", "than", "short", "save"})
#: verbs whose object, when nothing, undoes them: an agreement, a concession or a taking or giving up of
#: people ("agreed on nothing"); not talk ("discussed little else" reports a meeting)
NOTHING_VERBS = frozenset({"agree", "accept", "concede", "yield", "sign", "offer", "promise", "pledge", "give",
                           "arrest", "detain", "release", "free", "capture", "seize"})


def _nothing_done(tok: Token) -> bool:
    """The verb's object, or the object of its "on"/"to" phrase, is nothing: "agreed on nothing",
    "agreed little else", "agreed on very little". Not "a little", not "little more than a truce"."""
    objs = [c for c in tok.children if c.dep_ in ("dobj", "advmod", "npadvmod")]
    objs += [o for p in tok.children if p.dep_ == "prep" and p.lower_ in ("on", "to", "upon") for o in p.children
             if o.dep_ == "pobj"]
    for o in objs:
        for w in (o, *(c for c in o.children if c.dep_ in ("amod", "advmod"))):
            if w.lower_ not in NOTHING_WORDS:
                continue
            near = {c.lower_ for x in (o, w) for c in x.subtree if c.i > w.i}
            if any(c.dep_ == "det" and c.lower_ == "a" for c in w.children) or near & NOTHING_BUT:
                continue
            if w.lower_ == "little" and w is not o and o.lower_ != "else":
                continue  # "little progress" is a noun's word, not the object itself
            return True
    return False


def _aux(tok: Token) -> list[Token]:
    out = [c for c in tok.children if c.dep_ in ("aux", "auxpass")]
    if tok.dep_ == "xcomp":  # "is expected to attack": the governor's auxiliaries count
        out += [c for c in tok.head.children if c.dep_ in ("aux", "auxpass")]
    if tok.dep_ == "conj" and tok.tag_ not in ("VBD", "VBZ", "VBP"):
        # "will meet and discuss": the auxiliary is shared; "would not support X but backed Y": a
        # verb with a tense of its own keeps it
        out += [c for c in tok.head.children if c.dep_ == "aux"]
    means = means_of(tok)
    if means is not None:  # "would respond by expelling": the act is the means, at the verb's time
        out += _aux(means)
    return out


def means_of(tok: Token) -> Token | None:
    """The verb a gerund is the means of ("would answer in kind by expelling" -> answer)."""
    if tok.dep_ == "pcomp" and tok.head.lower_ == "by" and tok.head.dep_ == "prep" and \
            tok.head.head.pos_ in ("VERB", "AUX"):
        return tok.head.head
    return None


def _conditional(tok: Token) -> bool:
    for c in tok.children:  # "If Hamas frees the hostages, Israel will halt its offensive"
        if c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in CONDITIONAL_MARKS for m in c.children):
            return True
    node = tok
    for _ in range(4):
        if any(c.dep_ == "mark" and c.lower_ in CONDITIONAL_MARKS for c in node.children):
            return True
        if node.dep_ == "ROOT" or node.head == node:
            return False
        node = node.head
    return False


def _awaited(tok: Token) -> bool:
    """``tok`` heads an "until" clause of a refused or future act: "would not join talks until the
    government resigned", "will keep striking until wages rise": the resignation or the rise is
    awaited, not reported ("fighting went on until the army withdrew" reports it)."""
    mark = next((c for c in tok.children if c.dep_ in ("mark", "advmod") and c.lower_ in ("until", "till")), None)
    if mark is not None and tok.dep_ == "advcl":
        main = tok.head
    elif tok.dep_ == "pcomp" and tok.head.lower_ in ("until", "till"):
        main = tok.head.head
    else:
        return False
    if main.pos_ not in ("VERB", "AUX"):
        return False
    aux = {a.lower_ for a in main.children if a.dep_ in ("aux", "neg")}
    return bool(aux & {"not", "n't", "never", "will", "would", "wo", "shall", "'ll"})


def _in_relative(t: Token, root: Token) -> bool:
    """``t`` sits in a relative clause below ``root`` (it describes a participant)."""
    while t.i != root.i and t.head.i != t.i:
        if t.dep_ == "relcl":
            return True
        t = t.head
    return False


def modality(tok: Token, *, noun: Token | None = None, published_year: int | None = None) -> Modality:
    """Modality of the event whose governing verb is ``tok`` (``noun``: a nominal trigger)."""
    aux = _aux(tok)
    aux_lemmas = {a.lower_ for a in aux}
    negated = _negated(tok, noun)
    hypothetical = bool(aux_lemmas & HYPOTHETICAL_AUX) or _conditional(tok) or _awaited(tok)
    words = list(noun.children) if noun is not None else []
    if any(c.lower_ in POSSIBILITY for c in words):
        hypothetical = True
    nominal = noun if noun is not None else (tok if tok.pos_ in ("NOUN", "PROPN") else None)
    if nominal is not None and any(c.dep_ == "det" and c.lower_ in ("any", "every") for c in nominal.children):
        hypothetical = True  # "any attack on Niger would be treated as war": no attack is reported
    if tok.lower_ in POSSIBILITY or (noun is not None and noun.head.lower_ in ("possibility", "risk")):
        hypothetical = True
    future = bool(aux_lemmas & FUTURE_AUX)
    if "would" in aux_lemmas:
        node = tok
        while (node.dep_ in ("conj", "xcomp") and node.head != node) or means_of(node) is not None:
            node = means_of(node) or node.head
        if node.dep_ == "ccomp" and node.head.lemma_ in REPORTING_PAST:
            future = True  # "said it would": a future in reported speech
        elif not hypothetical:
            hypothetical = _conditional(tok)
    if any(a.lower_ == "going" for a in aux) or (tok.dep_ == "xcomp" and tok.head.lemma_ in ("set", "expect", "due", "schedule", "go")):
        future = True
    if tok.dep_ == "xcomp" and tok.head.lemma_ in ("offer", "volunteer") and tok.lemma_ in MEDIATION_VERBS:
        future = True  # "offered to mediate": a mediation offered, not under way
    skip: set[int] = set()
    for c in tok.children:  # "delivered X last week and will send Y next year": each clause its own time
        if c.dep_ in ("conj", "advcl", "ccomp", "parataxis") and c.i > tok.i:
            skip |= {t.i for t in c.subtree}
    clause = [t for t in tok.subtree if t.i not in skip]
    if any(t.lower_ in ("tomorrow",) or (t.lower_ == "next" and t.head.lower_ in ("week", "month", "year", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")) for t in clause):
        future = True
    if hypothetical and not future and not negated:
        # "could meet", "may deliver", "if the RSF captures": a possible event lies ahead, unless
        # the text speaks of the past ("may have been carried out")
        perfect = "have" in aux_lemmas or any(a.lower_ in ("had", "has") for a in aux) or tok.tag_ in ("VBD",)
        if not perfect:
            future = True
    ahead = any(t.lower_ in ("coming", "upcoming") and t.head.lower_ in ("weeks", "days", "months", "year")
                for t in clause)
    within = any(t.lower_ == "within" and any(g.lower_ in ("weeks", "days", "months", "hours") for g in t.children)
                 for t in clause)
    if not future and (ahead or within) and tok.tag_ != "VBD":  # "expelled him within hours": past
        future = True
    historical = False
    if published_year is not None:
        for t in clause:
            if _in_relative(t, tok):
                continue  # "arrested a lawyer who had represented him in 2019": the lawyer's past, not the arrest's
            if _YEAR.match(t.text) and int(t.text) < published_year and t.head.lower_ in {"in", "since", "during", "of"} | {"january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"}:
                historical = True
    if any(c.lower_ in HISTORICAL_WORDS and c.dep_ == "advmod" for c in tok.children):
        historical = True
    if future and negated and "wo" in aux_lemmas:
        pass
    return Modality(negated=negated, hypothetical=hypothetical, future=future, historical=historical)


def hedged(tok: Token) -> bool:
    """True when a hedge ("reportedly", "allegedly", "claimed") qualifies the clause of ``tok``."""
    node = tok
    for _ in range(3):
        if any(c.lower_ in HEDGES for c in node.children):
            return True
        if node.head == node:
            break
        node = node.head
    return False
