"""Attribution: who, inside the text, asserts an event ("..., SANA reported"; "according to X")."""
from __future__ import annotations

from spacy.tokens import Span, Token

from ..actors.resolve import ActorFinder, Mention
from ..models import Attribution
from .modality import means_of

__all__ = ["attribute", "REPORTING", "speaker_kind"]

REPORTING = frozenset({"say", "tell", "report", "claim", "state", "add", "insist", "allege",
                       "confirm", "quote", "write", "note", "show", "reveal", "announce",
                       "acknowledge", "admit", "explain", "assert", "contend", "maintain", "argue",
                       "suggest", "indicate", "testify", "disclose", "post", "tweet", "broadcast",
                       "fear", "believe", "think", "expect", "warn", "predict", "estimate", "caution"})
VERBAL_TYPES = frozenset({"AGREE", "SUPPORT", "CONCEDE", "REQUEST", "ACCUSE", "REJECT", "THREATEN"})
PLEDGED_TYPES = frozenset({"AID", "SUPPORT", "COOPERATE", "RETREAT", "CONCEDE", "SANCTION"})
ANONYMOUS_HEADS = frozenset({"source", "sources", "official", "officials", "diplomat", "diplomats",
                             "witness", "witnesses", "resident", "residents", "people", "person",
                             "insider", "aide", "aides", "analyst", "analysts", "observer", "observers",
                             "activist", "activists", "commander", "commanders", "monitor", "monitors"})
MEDIA_WORDS = frozenset({"agency", "media", "television", "tv", "newspaper", "broadcaster", "outlet",
                         "channel", "radio", "daily", "news", "wire", "press"})
OFFICIAL_SECTORS = frozenset({"GOV", "MIL", "COP", "SPY", "LEG", "JUD"})


def _np_text(tok: Token, limit: int = 10) -> str:
    """The subject phrase, without trailing relative clauses or appositions."""
    skip: set[int] = set()
    for c in tok.children:
        if c.dep_ in ("relcl", "acl") or (c.dep_ == "punct" and c.i > tok.i):
            skip |= {t.i for t in c.subtree}
    keep = [t for t in tok.subtree if t.i not in skip]
    if not keep:
        return tok.text
    start, end = min(t.i for t in keep), max(t.i for t in keep) + 1
    if end - start > limit:
        start = max(start, tok.i - limit + 1)
    doc = tok.doc
    while start < end and doc[start].is_punct:
        start += 1
    return doc[start:end].text


def speaker_kind(head: Token, mention: Mention | None) -> str:
    """media | official | named | anonymous for a speaker phrase headed by ``head``."""
    words = {t.lower_ for t in head.subtree}
    proper = any(t.pos_ == "PROPN" for t in head.subtree)
    if mention is not None and mention.sector == "JRN":
        return "media"
    if words & MEDIA_WORDS and not (mention is not None and mention.kind == "person"):
        return "media"
    if head.lower_ in ANONYMOUS_HEADS and not any(t.ent_type_ == "PERSON" for t in head.subtree):
        return "anonymous"
    if mention is not None and mention.kind == "person" or head.ent_type_ == "PERSON":
        return "named"
    if mention is not None and (mention.sector in OFFICIAL_SECTORS or mention.kind in ("state", "metonym")):
        return "official"
    if mention is not None and mention.kind == "organisation":
        return "named"
    return "named" if proper else "anonymous"


def _speaker_from_verb(verb: Token) -> Token | None:
    for c in verb.children:
        if c.dep_ in ("nsubj", "nsubjpass") and c.lower_ not in ("it", "this", "that"):
            return c
    return None


def _according_to(sent: Span) -> tuple[Token, Token] | None:
    for tok in sent:
        if tok.lower_ == "according" and tok.i + 1 < len(tok.doc) and tok.doc[tok.i + 1].lower_ == "to":
            to = tok.doc[tok.i + 1]
            for obj in list(to.children) + list(tok.children):
                if obj.dep_ == "pobj":
                    return tok, obj
            nxt = tok.doc[tok.i + 2] if tok.i + 2 < len(tok.doc) else None
            if nxt is not None:
                return tok, nxt.head if nxt.head.i > nxt.i else nxt
    return None


def find_speaker(verb: Token) -> tuple[Token, Token] | None:
    """The reporting verb and its subject for the clause governed by ``verb``, if any."""
    node = verb
    for _ in range(3):  # a nominal event: start from the clause it belongs to
        if node.pos_ in ("VERB", "AUX") or node.head == node:
            break
        node = node.head
    for _ in range(5):
        means = means_of(node)
        if means is not None:
            node = means  # "said it would respond by expelling ...": the means of "respond"
            continue
        if node.dep_ == "conj" and any(c.dep_ in ("nsubj", "nsubjpass") for c in node.children):
            break  # "..., but Israel rejected the terms": a clause with its own subject
        if node.dep_ in ("ccomp", "xcomp", "conj", "advcl", "parataxis", "dep") and node.head != node:
            gov = node.head
            if gov.lemma_ in REPORTING and node.dep_ in ("ccomp", "parataxis", "dep", "conj", "advcl"):
                subj = _speaker_from_verb(gov)
                if subj is not None:
                    return gov, subj
            node = gov
            continue
        break
    # "X struck Y, SANA reported": the reporting clause hangs off the event verb
    root = node
    for c in root.children:
        if c.dep_ in ("parataxis", "ccomp", "advcl", "conj") and c.lemma_ in REPORTING and c.i > verb.i:
            subj = _speaker_from_verb(c)
            if subj is not None and not any(g.dep_ == "ccomp" for g in c.children):
                return c, subj
    return None


def attribute(verb: Token, trigger: Token, source: Mention | None, event_type: str,
              finder: ActorFinder, *, future: bool = False) -> Attribution:
    """Attribution of the event expressed at ``trigger`` (governing verb ``verb``).

    ``event_type`` is the type the trigger expresses (before PLOVER's future-to-AGREE rule). A
    statement that is itself the event (an accusation, a demand, a pledge by the speaker's own
    state) has no separate attribution; a report of someone else's act keeps its speaker.
    """
    found = find_speaker(verb)
    cue = None
    if found is None:
        acc = _according_to(verb.sent)
        if acc is None:
            return Attribution(None, "author", None)
        cue_tok, subj = acc
        cue = "according to"
    else:
        cue_tok, subj = found
        cue = cue_tok.lemma_
    if subj.i == trigger.i or cue_tok.i == trigger.i:
        return Attribution(None, "author", None)
    mention = finder.resolve(subj)
    verbal = event_type in VERBAL_TYPES or (future and event_type in PLEDGED_TYPES)
    state_side = {"GOV", "MIL", "COP", "SPY", "LEG", "JUD", None}
    if verbal and source is not None and mention is not None and (
            (mention.name and mention.name == source.name) or
            (mention.country == source.country and mention.sector == source.sector) or
            (mention.country and mention.country == source.country and
             mention.sector in state_side and source.sector in state_side)):
        return Attribution(None, "author", None)  # the statement is itself the event (a pledge)
    if source is not None and mention is not None and subj.pos_ == "PRON" and verbal:
        return Attribution(None, "author", None)
    return Attribution(_np_text(subj), speaker_kind(subj, mention), cue)
