"""Candidates from rules and model, scored together.

Both paths propose events: the rules (``extract``) from the lexicon and the parse, the model
(``learned``) from its trigger and role heads. Each proposal is scored by the model — the
probability of its type at its trigger, and of its source and target in those roles — and the
scores go through the calibrator in ``model.json`` to a ``confidence``: the model's belief that
the record is right. Proposals the two paths share are one proposal (``origin: both``).
"""
from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, replace
from typing import Any, Sequence

import numpy as np
from spacy.tokens import Token

from .extract import Candidate, bare_munition
from .learned import ROLES, Columns, Role, SentenceAnalysis, Tree, trigger_head
from .lexicon import Sense

__all__ = ["Proposal", "propose", "FEATURES", "confidence", "one_reading", "one_blow"]

#: the calibrator's inputs, in order (``model.json`` ``calibration.weights`` follows it)
FEATURES = ("bias", "p_type", "p_src", "p_tgt", "p_all", "src_none", "tgt_none", "origin_rule",
            "origin_model", "origin_both", "src_unscored", "tgt_unscored", "logit_type",
            "same_country", "same_actor_kind", "repeat_dyad", "src_no_country", "tgt_no_country")
_DEFAULT_WEIGHTS = (-3.0, 3.0, 1.5, 1.5, 2.0, 0.0, 0.0, 0.0, 0.0, 0.5, -0.5, -0.5, 0.0,
                    0.0, -1.0, -1.0, -0.5, -0.5)


@dataclass
class Proposal:
    cand: Candidate
    origin: str           # rule | model | both
    p_type: float
    p_src: float
    p_tgt: float
    src_scored: bool = True
    tgt_scored: bool = True
    repeat: bool = False  # a better proposal of the sentence has the same type and countries

    @property
    def base(self) -> float:
        return self.p_type * self.p_src * self.p_tgt

    def features(self) -> list[float]:
        p = min(max(self.p_type, 1e-4), 1 - 1e-4)
        s, t = self.cand.source, self.cand.target
        same_country = s is not None and t is not None and s.country is not None and s.country == t.country
        same_kind = same_country and s.sector == t.sector
        return [1.0, self.p_type, self.p_src, self.p_tgt, self.base,
                float(s is None), float(t is None),
                float(self.origin == "rule"), float(self.origin == "model"), float(self.origin == "both"),
                float(not self.src_scored), float(not self.tgt_scored), math.log(p / (1 - p)),
                float(same_country), float(same_kind), float(self.repeat),
                float(s is not None and s.country is None), float(t is not None and t.country is None)]


def confidence(prop: Proposal, weights: Sequence[float] | None,
               platt: Sequence[float] | None = None, doc_sents: int = 1) -> float:
    """The proposal's score through the calibrator: ``weights`` (one per ``FEATURES``) give the
    score that the record thresholds gate on; ``platt`` ``[a, b]`` or ``[a, b, c]``, when given,
    maps its logit z to the record's published confidence, sigmoid(a + b z + c log n), n the
    number of sentences of the document (the records of a long article are right more often than
    those of a lone sentence at the same score). Fitted on the records that pass the gate; within
    a document it never reorders records."""
    w = weights if weights and len(weights) == len(FEATURES) else _DEFAULT_WEIGHTS
    z = max(min(sum(a * b for a, b in zip(w, prop.features())), 30.0), -30.0)
    if platt and len(platt) in (2, 3):
        z = platt[0] + platt[1] * z + (platt[2] * math.log(max(1, doc_sents)) if len(platt) == 3 else 0.0)
        z = max(min(z, 30.0), -30.0)
    return round(1.0 / (1.0 + math.exp(-z)), 3)


def _governing_verb(tok: Token) -> Token:
    """The verb whose modality and attribution a trigger takes: itself when it is a verb; for a
    noun, the light verb it is the object or subject of, else the noun itself."""
    if tok.pos_ in ("VERB", "AUX"):
        return tok
    if tok.dep_ in ("dobj", "nsubj", "nsubjpass", "attr", "xcomp") and tok.head.pos_ in ("VERB", "AUX"):
        return tok.head
    return tok


COMPLEMENTS = frozenset({"dobj", "xcomp", "ccomp", "dative"})


def _other_conjunct(trigger: Token, doc: Any, head: int) -> bool:
    """The mention belongs to another conjoined predicate than the trigger's ("condemned the
    attacks and urged states to support the government": the government is no party to the
    condemning), so it is not an argument of the trigger; a subject the conjuncts share is, and
    so is an object they share ("condemned and sanctioned Russia": the trigger has none of its own).
    Only a clause's own subject or object is held to its clause."""
    return _other_conjuncts(trigger, doc, [head])[0]


def _other_conjuncts(trigger: Token, doc: Any, heads: Sequence[int]) -> list[bool]:
    """``_other_conjunct`` of each mention head, the trigger's verb read once."""
    verb = trigger if trigger.pos_ in ("VERB", "AUX") else trigger.head
    if verb.pos_ not in ("VERB", "AUX") or not any(c.dep_ in COMPLEMENTS for c in verb.children):
        return [False] * len(heads)
    verb_i = verb.i
    conj_head = verb.head.i if verb.dep_ == "conj" else None
    own_subject: bool | None = None
    n = len(doc)
    # the document's heads, labels and parts of speech as lists, read once (the same walk on integers)
    up, cols = Tree.of(doc).head, Columns.of(doc)
    dep, pos = cols.dep, cols.pos
    out = []
    for head in heads:
        if not 0 <= head < n:
            out.append(False)
            continue
        core = head
        while dep[core] == "conj" and up[core] != core:
            core = up[core]
        if dep[core] not in ("dobj", "dative", "nsubj", "nsubjpass", "attr") or pos[up[core]] not in ("VERB", "AUX"):
            out.append(False)  # a party named inside a phrase ("its partnership with Tehran") may carry over
            continue
        found = False
        below = head
        steps = 1
        while up[below] != below and steps < 60:
            node = up[below]
            steps += 1
            if node == verb_i:  # under the trigger's verb: through a conjoined predicate or not
                found = dep[below] == "conj" and pos[below] in ("VERB", "AUX")
                break
            if conj_head is not None and node == conj_head:
                # under the verb the trigger's verb is conjoined to: its subject is shared, the rest is its own
                if dep[below] not in ("nsubj", "nsubjpass"):
                    found = True
                else:
                    if own_subject is None:
                        own_subject = any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children)
                    found = own_subject
                break
            below = node
        out.append(found)
    return out


#: violence whose "with" names the other side ("clashed with", "a war with"); for the rest
#: ("an offensive with the army", "joined a raid with") "with" names a partner
WITH_OPPONENT = frozenset({"clash", "fight", "battle", "war", "skirmish", "conflict", "fighting", "firefight",
                           "exchange", "standoff", "confrontation", "hostility", "engage", "duel", "spar"})


def _companion(trigger: Token, doc: Any, head: int) -> bool:
    """The mention is the trigger's companion, not its target: "massing to join a ground
    offensive with the Syrian army" (with / alongside / together with, on the trigger or its verb)."""
    if not 0 <= head < len(doc) or trigger.lemma_.lower() in WITH_OPPONENT:
        return False
    tok = doc[head]
    while tok.dep_ == "conj" and tok.head.i != tok.i:
        tok = tok.head
    prep = tok.head
    if tok.dep_ != "pobj" or prep.lower_ not in ("with", "alongside"):
        return False
    if prep.head.lemma_.lower() in WITH_OPPONENT:
        return False  # "the attack sparked a clash with X"
    return prep.head.i in (trigger.i, _governing_verb(trigger).i)


def _role_index(roles: Sequence[Role], m: Any) -> Role | None:
    if m is None:
        return None
    for r in roles:
        if r.mention.mention.key == m.key and (r.mention.mention.head == m.head or
                                               r.mention.anchor == m.head):
            return r
    for r in roles:
        if r.mention.mention.head == m.head:
            return r
    return None


_ROLE_INDEX = {r: i for i, r in enumerate(ROLES)}
_BOTH = ROLES.index("both")


def _p(role: Role | None, which: str) -> float:
    if role is None:
        return 0.5
    got = role.source if which == "source" else role.target if which == "target" else None
    if got is not None:  # the same float32 sum, made for all the trigger's mentions at once
        return got
    p = role.probs
    return float(p[_ROLE_INDEX[which]] + p[_BOTH])


def _values(role: Role) -> list[float]:
    """``role.probs`` as Python floats (the same numbers: float32 widens exactly)."""
    return role.values if role.values is not None else role.probs.tolist()


def _symmetric(role: Role, theta_low: float, low32: float) -> bool:
    """The mention is a party to a symmetric event: P(both) reaches ``theta_low`` and the
    source's and the target's probabilities. ``low32``: ``theta_low`` in float32, for the float32
    probabilities made Python floats (``probs[3] >= theta_low`` compares in float32)."""
    v = role.values
    if v is None:
        p = role.probs
        return bool(p[3] >= theta_low and p[3] >= max(p[1], p[2]))
    return v[3] >= low32 and v[3] >= max(v[1], v[2])


def _f32(x: float) -> float:
    """``x`` rounded to float32: a float32 probability compares with a Python threshold in
    float32, so a Python float of it must compare with this to agree."""
    return float(np.float32(x))


def _p_none(roles: Sequence[Role], which: str) -> float:
    """Probability that no mention has the role: 1 - the best mention's."""
    return 1.0 - max((_p(r, which) for r in roles), default=0.0)


def _bare_weapon(role: Role) -> bool:
    """The role's mention is a weapon without its owner: an instrument, never a target."""
    return bare_munition(role.mention.mention)


def _model_pairs(roles: Sequence[Role], theta: float, theta_low: float = 0.25) -> list[tuple[Role | None, Role | None, bool]]:
    """(source, target, mirrored) of a trigger from its role probabilities: every mention whose
    role probability reaches ``theta``, and the best one for each role from ``theta_low``; two or
    more parties of a symmetric event give mirrored pairs."""
    roles = _unique_spans(roles)
    ps = {id(r): _p(r, "source") for r in roles}
    pt = {id(r): _p(r, "target") for r in roles}
    low32 = _f32(theta_low)
    B = [r for r in roles if _symmetric(r, theta_low, low32)]
    out: list[tuple[Role | None, Role | None, bool]] = []
    if len(B) >= 2:
        for a, b in itertools.permutations(B[:4], 2):
            out.append((a, b, a is not B[0]))
        taken = {id(r) for r in B}
        roles = [r for r in roles if id(r) not in taken]
    S = [r for r in roles if ps[id(r)] >= theta and ps[id(r)] >= pt[id(r)]]
    T = [r for r in roles if pt[id(r)] >= theta and pt[id(r)] > ps[id(r)] and not _bare_weapon(r)]
    # membership by identity: two distinct roles never compare equal (their probability arrays
    # would make ``==`` raise), so this is what ``in`` found, without comparing dataclasses
    chosen = {id(r) for r in S} | {id(r) for r in T}
    rest = [r for r in roles if id(r) not in chosen]
    if not S and rest:
        best = max(rest, key=lambda r: ps[id(r)])
        if ps[id(best)] >= theta_low and ps[id(best)] >= pt[id(best)]:
            S.append(best)
    if not T and rest:
        in_s = {id(r) for r in S}
        # the best scored of the rest that is no weapon, when it reaches theta_low: looked for among
        # those that reach it (the first of the best, as ``max`` finds it, whichever way)
        best = max((r for r in rest if pt[id(r)] >= theta_low and id(r) not in in_s and not _bare_weapon(r)),
                   key=lambda r: pt[id(r)], default=None)
        if best is not None:
            T.append(best)
    S = _best_per_country(S, ps)
    T = _best_per_country(T, pt)
    if out and not S and not T:
        return out
    for s in S or [None]:
        for t in T or [None]:
            if s is None and t is None:
                continue
            if s is not None and t is not None and s.mention.mention.key == t.mention.mention.key:
                continue
            out.append((s, t, False))
    return out


def _best_per_country(chosen: list[Role], score: dict[int, float]) -> list[Role]:
    """Two mentions of one party ("the court" and "Kyiv") are alternatives, not two parties:
    the better scored per country stays (conjoined parties of different countries all stay)."""
    best: dict[str | None, Role] = {}
    for r in chosen:
        key = r.mention.mention.country
        if key not in best or score[id(r)] > score[id(best[key])]:
            best[key] = r
    kept = [r for r in chosen if best.get(r.mention.mention.country) is r]

    def beside(a: Role, b: Role) -> bool:
        """``a`` is part of ``b``'s phrase ("border guards" in "Lithuanian border guards") or its
        description just before it ("the aircraft carrier | USS Eisenhower")."""
        return (b.mention.start <= a.mention.start and a.mention.end <= b.mention.end) or \
            (a.mention.start <= b.mention.start and b.mention.end <= a.mention.end) or \
            a.mention.end == b.mention.start or b.mention.end == a.mention.start

    # a party of no known country inside or just before one of a known country is that party
    return [r for r in kept if r.mention.mention.country is not None or
            not any(q.mention.mention.country is not None and beside(r, q) for q in kept)]


def _unique_spans(roles: Sequence[Role]) -> list[Role]:
    """One role entry per mention span and actor (the resolver may offer one phrase twice)."""
    seen: dict[tuple, Role] = {}
    for r in roles:
        key = (r.mention.start, r.mention.end, r.mention.mention.country, r.mention.mention.name)
        if key not in seen or _values(r)[0] < _values(seen[key])[0]:
            seen[key] = r
    return list(seen.values())


def propose(analysis: SentenceAnalysis, rule_cands: Sequence[Candidate], *, tau: float = 0.3,
            theta: float = 0.5) -> list[Proposal]:
    """Every proposal of one sentence, from the rules' candidates and the model's triggers."""
    sf = analysis.sf
    pos = {t.i: k for k, t in enumerate(sf.tokens)}
    props: list[Proposal] = []
    index: dict[tuple, Proposal] = {}
    for c in rule_cands:
        toks = [pos[c.trigger.i]] if c.trigger.i in pos else []  # the trigger's head word, as trained
        if not toks:
            props.append(Proposal(c, "rule", 0.5, 0.5, 0.5, False, False))
            continue
        roles = analysis.roles(toks, c.sense.type)
        rs, rt = _role_index(roles, c.source), _role_index(roles, c.target)
        prop = Proposal(c, "rule", analysis.type_prob(toks, c.sense.type),
                        _p(rs, "source") if c.source is not None else _p_none(roles, "source"),
                        _p(rt, "target") if c.target is not None else _p_none(roles, "target"),
                        c.source is None or rs is not None, c.target is None or rt is not None)
        props.append(prop)
        for k in toks:
            index[(k, c.sense.type, c.source.key if c.source else None, c.target.key if c.target else None)] = prop
    for trig in analysis.triggers(tau):
        head = trigger_head([sf.tokens[k] for k in trig.tokens]) if len(trig.tokens) > 1 else sf.tokens[trig.tokens[0]]
        roles = analysis.roles([pos[head.i]], trig.type)  # the head word stands for the trigger, as trained
        roles = [r for r, other in zip(roles, _other_conjuncts(head, sf.tokens[0].doc,
                                                                [r.mention.mention.head for r in roles])) if not other]
        partners: list[Role] = []
        if trig.type in ("ASSAULT", "MOBILIZE"):
            partners = [r for r in roles if _companion(head, sf.tokens[0].doc, r.mention.mention.head)]
            taken = {id(r) for r in partners}
            roles = [r for r in roles if id(r) not in taken]
        sense = Sense(type=trig.type, mode=trig.mode, word=" ".join(sf.tokens[k].text for k in trig.tokens))
        end = sf.tokens[trig.tokens[-1]].i + 1
        for rs, rt, mirrored in _model_pairs(roles, theta):
            src = rs.mention.mention if rs else None
            tgt = rt.mention.mention if rt else None
            keys = (src.key if src else None, tgt.key if tgt else None)
            shared = next((index[(k, trig.type) + keys] for k in trig.tokens if (k, trig.type) + keys in index), None)
            if shared is not None:
                if shared.origin == "rule":
                    shared.origin = "both"
                continue
            cand = Candidate(sense, head, _governing_verb(head), max(end, head.i + 1), src, tgt, "model",
                             mirrored=mirrored)
            prop = Proposal(cand, "model", trig.p,
                            _p(rs, "source") if rs else _p_none(roles, "source"),
                            _p(rt, "target") if rt else _p_none(roles, "target"))
            props.append(prop)
            for k in trig.tokens:
                index[(k, trig.type) + keys] = prop
            for r in partners if src is not None else []:
                # "join a ground offensive with the Syrian army": fighting together is cooperation
                ally = r.mention.mention
                if ally.key == src.key or (ally.country and ally.country == src.country):
                    continue
                joint = Sense(type="COOPERATE", word=f"joint {head.text.lower()}")
                props.append(Proposal(Candidate(joint, head, _governing_verb(head), max(end, head.i + 1), src, ally,
                                                "model"), "model", trig.p, prop.p_src, _p(r, "target")))
    return one_blow(_one_act(_one_sense(_dedupe(props), analysis)))


def _one_sense(props: list[Proposal], analysis: SentenceAnalysis) -> list[Proposal]:
    """A trigger word has one sense, rarely two: a proposal only the model makes, on a word the
    rules read as another type (the rules' "seized" as COERCE, the model's as ASSAULT), stays
    only when the model scores its own type well above the rules' (a conviction may still be
    SANCTION and COERCE)."""
    pos = {t.i: k for k, t in enumerate(analysis.sf.tokens)}
    ruled: dict[int, set[str]] = {}
    for p in props:
        if p.origin != "model":
            ruled.setdefault(p.cand.trigger.i, set()).add(p.cand.sense.type)
    out = []
    for p in props:
        i, t = p.cand.trigger.i, p.cand.sense.type
        others = ruled.get(i, set()) - {t}
        if p.origin == "model" and others and i in pos:
            mine = analysis.type_prob([pos[i]], t)
            if mine < SENSE_RATIO * max(analysis.type_prob([pos[i]], o) for o in others):
                continue
        out.append(p)
    return out


def _elaborates(tok: Token, verb: Token) -> bool:
    """``tok`` names the act of ``verb`` again: its noun object ("signed an agreement"), the noun
    of a prepositional adjunct ("spoke by telephone", "agreed to a ceasefire"), the object of a
    verb it controls ("pledged to implement a ceasefire"), or a participial clause elaborating
    it ("imposed sanctions, banning imports"), with that clause's object."""
    if tok.i == verb.i:
        return False
    t = tok
    if t.dep_ == "pobj" and t.head.dep_ in ("prep", "agent") and t.head.head.i == verb.i:
        # the act's manner or goal ("by telephone", "via video link", "to a truce"), not its
        # occasion ("after clashes", "over the arrests")
        return t.pos_ in ("NOUN", "PROPN") and t.head.lower_ in ("by", "via", "to")
    if t.dep_ in ("dobj", "attr") and t.pos_ in ("NOUN", "PROPN"):
        if t.head.i == verb.i:
            return True
        t = t.head  # the verb whose object it is
    elif t.pos_ != "VERB":
        return False
    if t.i == verb.i:
        return False
    if t.head.i != verb.i:
        return False
    return (t.dep_ == "xcomp") or (t.dep_ == "advcl" and t.tag_ == "VBG")


def _same_parties(p: Candidate, r: Candidate) -> bool:
    """Every party of ``p`` is one of ``r``'s, its source ``r``'s source: the same country, and the
    same sector where both name one ("President" of Iran beside "Iranian President Hassan Rouhani";
    "Turkish" beside "Turkey"). A party of no country matches none."""
    mine = [a for a in (p.source, p.target) if a is not None]
    theirs = [a for a in (r.source, r.target) if a is not None]
    if p.source is not None and (r.source is None or p.source.country != r.source.country):
        return False  # another party's act named as the object ("turned down Harare's request")
    return bool(mine) and all(
        a.country and any(a.country == b.country and (not a.sector or not b.sector or a.sector == b.sector)
                          for b in theirs) for a in mine)


def _one_act(props: list[Proposal]) -> list[Proposal]:
    """One act, one record: a proposal only the model makes on a word that names the act of a
    rule's trigger again — its noun object or adjunct, or a participial clause elaborating it —
    between the same parties is that act read twice ("agreed to a ceasefire" is not
    also a conceded ceasefire; "signed an agreement" not also an agreement; "imposed sanctions,
    banning imports" one sanction), and is dropped."""
    ruled = [p for p in props if p.origin != "model"]
    out = []
    for p in props:
        if p.origin == "model":
            if any(_same_parties(p.cand, r.cand) and r.cand.trigger.i != p.cand.trigger.i and
                            _elaborates(p.cand.trigger, _governing_verb(r.cand.trigger)) for r in ruled):
                continue
            if p.cand.sense.type == "AGREE" and any(
                    q is not p and q.cand.source is not None and p.cand.source is not None
                    and q.cand.source.country == p.cand.source.country
                    and _agreed_under(_governing_verb(q.cand.trigger), p.cand.trigger) for q in props):
                continue  # "agreed to provide aid": the agreed act is the one record (convention `agreed-act`)
            if any("refused-intent" in r.cand.notes and r.cand.source is not None and p.cand.source is not None
                   and r.cand.source.country == p.cand.source.country
                   and _governs(p.cand.trigger, _governing_verb(r.cand.trigger)) for r in ruled):
                continue  # "has no plans to hold talks": the rules' refusal is the one record
            if any(r.cand.sense.type == "THREATEN" and r.cand.source is not None and p.cand.source is not None
                   and r.cand.source.country == p.cand.source.country
                   and _in_content(p.cand.trigger, _governing_verb(r.cand.trigger)) for r in ruled):
                continue  # "warned that Washington would be held responsible": the warning is the one act
        out.append(p)
    return out


def _governs(tok: Token, verb: Token) -> bool:
    """``tok`` is ``verb`` or one of its ancestors within four steps (the word of an intention above its act)."""
    node = verb
    for _ in range(5):
        if node.i == tok.i:
            return True
        if node.head.i == node.i:
            return False
        node = node.head
    return False


def _in_content(tok: Token, verb: Token) -> bool:
    """``tok`` lies in the clause ``verb`` says or warns ("warned that X would be held responsible"):
    the content of a threat is not coded beside it (gold README)."""
    if tok.i == verb.i:
        return False
    node = tok
    for _ in range(6):
        if node.head.i == node.i:
            return False
        if node.head.i == verb.i:
            return node.dep_ in ("ccomp", "xcomp")
        node = node.head
    return False


#: verbs whose "to" clause is what is agreed ("agreed to provide aid")
AGREEING_VERBS = frozenset({"agree"})


def _agreed_under(verb: Token, agreed: Token) -> bool:
    """``verb`` is the act ``agreed`` (a form of "agree") governs: its "to" clause, or a clause joined
    to that one ("agreed to exchange ambassadors and to reopen embassies")."""
    if agreed.lemma_.lower() not in AGREEING_VERBS or agreed.pos_ not in ("VERB", "AUX"):
        return False
    node = verb
    for _ in range(3):
        if node.dep_ == "xcomp" and node.head.i == agreed.i:
            return True
        if node.dep_ != "conj" or node.head.i == node.i:
            return False
        node = node.head
    return False


PLACE_KINDS = frozenset({"place", "metonym"})


def one_blow(props: list[Proposal]) -> list[Proposal]:
    """An attack named by a noun that is the subject of the verb telling what it did ("a drone
    strike at Baghdad airport killed the commander") is one act: the noun's reading, aimed only at
    the place where it struck, takes the target the verb names, and the verb's own reading is dropped."""
    drop: set[int] = set()
    for p in props:
        c = p.cand
        verb = next((r for r in props if c.trigger.pos_ == "NOUN" and c.trigger.dep_ in ("nsubj", "nsubjpass")
                     and c.target is not None and c.target.kind in PLACE_KINDS
                     and r is not p and r.cand.trigger.i == c.trigger.head.i and r.cand.sense.type == c.sense.type
                     and r.cand.target is not None and r.cand.target.kind not in PLACE_KINDS
                     and r.cand.source is not None and c.source is not None
                     and r.cand.source.country == c.source.country and id(r) not in drop), None)
        if verb is not None:
            # the noun names the act and says how ("a drone strike"); the verb says whom it struck
            p.cand = replace(c, target=verb.cand.target, sense=replace(c.sense, mode=c.sense.mode or verb.cand.sense.mode))
            drop.add(id(verb))
    return [p for p in props if id(p) not in drop]


SENSE_RATIO = float("inf")  # the rules decide the sense of a word they code; the model adds words they do not


def _dedupe(props: list[Proposal]) -> list[Proposal]:
    """One proposal per (type, source, target) in a sentence, the best scored; later proposals
    of the same type and country pair are marked ``repeat`` (one act named twice, mostly)."""
    out: list[Proposal] = []
    seen: dict[tuple, Proposal] = {}
    pairs: set = set()
    for prop in sorted(props, key=lambda p: (-p.base, p.cand.trigger.i)):
        c = prop.cand
        key = (c.sense.type, c.source.key if c.source else None, c.target.key if c.target else None)
        if c.sense.type in ("COERCE", "SANCTION") and c.sense.mode is not None:
            # a search and an arrest are two acts ("raided homes, arresting 12"); so are a closed
            # border and a recalled envoy ("closed its border and recalled its ambassador")
            key += (c.sense.mode,)
        kept = seen.get(key)
        if kept is not None:
            if "model" in (kept.origin, prop.origin) and {kept.origin, prop.origin} != {"model"}:
                # the rules and the model found the same event: keep the rule's reading of it
                # (frames, negation, mediation) with the model's scores
                rule = kept if kept.origin != "model" else prop
                kept.cand = rule.cand
                kept.origin = "both"
                kept.p_type = max(kept.p_type, prop.p_type)
                kept.p_src, kept.p_tgt = max(kept.p_src, prop.p_src), max(kept.p_tgt, prop.p_tgt)
                kept.src_scored = kept.src_scored or prop.src_scored
                kept.tgt_scored = kept.tgt_scored or prop.tgt_scored
            continue
        seen[key] = prop
        pair = (c.sense.type, c.source.country if c.source else None, c.target.country if c.target else None)
        prop.repeat = pair in pairs
        pairs.add(pair)
        out.append(prop)
    return sorted(out, key=lambda p: p.cand.trigger.i)


def with_mode(c: Candidate, mode: str | None) -> Candidate:
    return replace(c, sense=replace(c.sense, mode=mode))


def one_reading(scored: Sequence[tuple[Proposal, float]]) -> list[tuple[Proposal, float]]:
    """One reading per trigger and type: when the rules and the model give the same event (same
    trigger word, same type) different parties, the reading with the more confident proposal
    stays and the other is dropped ("separatist artillery shelled Ukrainian positions" read
    twice). Parties they share (conjoined actors, mirrored pairs) are untouched."""
    groups: dict[tuple[int, str], dict[bool, list[tuple[Proposal, float]]]] = {}
    for prop, conf in scored:
        # the same event: its trigger, or the light verb a noun trigger hangs on (the rules'
        # "bans" and the model's "imposed" in "imposed travel bans on ...")
        key = (_governing_verb(prop.cand.trigger).i, prop.cand.sense.type)
        groups.setdefault(key, {True: [], False: []})[prop.origin == "model"].append((prop, conf))
    drop: set[int] = set()
    for g in groups.values():
        model, rule = g[True], g[False]
        if not model or not rule:
            continue
        weaker = model if max(c for _, c in model) < max(c for _, c in rule) else rule
        if any(p.cand.rule.endswith("+reciprocal") for p, _ in rule):
            weaker = model  # "expelled each other's diplomats": the parties the model cannot see
        drop |= {id(p) for p, _ in weaker}
    # a party or none are two readings of one role, not two events: the model's "EU sanctions
    # (target none)" beside its "EU sanctions Belarus" on the same word is dropped
    for g in groups.values():
        model = [p for p, _ in g[True] if id(p) not in drop]
        for p in model:
            s, t = p.cand.source, p.cand.target
            if any(q is not p and ((t is None and q.cand.target is not None and _same(s, q.cand.source)) or
                                   (s is None and q.cand.source is not None and _same(t, q.cand.target)))
                   for q in model):
                drop.add(id(p))
    return [(p, c) for p, c in scored if id(p) not in drop]


def _same(a, b) -> bool:
    return (a is None and b is None) or (a is not None and b is not None and a.key == b.key)
