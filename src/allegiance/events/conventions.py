"""PLOVER's recoding conventions, one named entry each, applied in order to every event.

An event leaves the candidate stage (rules or model) with a type, a mode, a modality and its
actors; the conventions then recode it the way PLOVER and the project's gold do: a promised
meeting is an agreement, a refusal is a REJECT, an announced attack is a threat, a protest with
no named addressee is aimed at the protesters' government, and so on. Each entry is a function of
the draft and the coder's context that returns the draft (changed or not) or ``None`` to drop it.

The table runs in three phases, because some conventions need what an earlier step computed:
``TYPE`` (before the event is placed), ``ACTORS`` (once its place and the story's country are
known), ``STATEMENT`` (once its attribution is known). ``allegiance explain`` and the tests name
conventions by ``Convention.name``.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Callable

from ..models import Attribution, Modality
from .arguments import TOPIC_VERBS
from .words import MEDIATOR_NOUNS
from .extract import Candidate, _agreed_opinion, truce_ender
from .frames import refused_intent
from .attribution import find_speaker

__all__ = ["Draft", "Convention", "TYPE", "ACTORS", "STATEMENT", "CONVENTIONS", "by_name", "apply"]

FUTURE_TO_AGREE = frozenset({"CONSULT", "SUPPORT", "COOPERATE", "AID"})
REFUSED_TYPES = {"CONSULT": "meet", "COOPERATE": "assist", "AID": "assist", "SUPPORT": None, "AGREE": None,
                 "RETREAT": "yield", "CONCEDE": "yield"}
#: words whose negation is itself a refusal when the event is read as one ("does not intend to
#: negotiate", "would not join talks", "do not want to meet"): the REJECT is not negated
REFUSAL_CARRIERS = frozenset({"intend", "plan", "want", "wish", "join", "negotiate", "meet", "talk", "talks",
                              "attend", "participate", "engage", "hold", "sit", "enter", "resume",
                              # "there will be no negotiations / dialogue with the strikers"
                              "negotiation", "dialogue", "meeting"})
ANNOUNCED_THREATS = {"ASSAULT": "violence", "SANCTION": "restrict", "COERCE": "restrict",
                     "ACCUSE": None}  # "would appeal", "will challenge the ban in court": legal action announced
#: accusations that are legal action: announced, they threaten it (the gold's "would appeal")
LEGAL_ACTION_WORDS = frozenset({"appeal", "challenge", "sue", "prosecute", "indict", "charge"})
# an act announced "unless" the other side gives way is an ultimatum (THREATEN), its mode what is threatened
ULTIMATUM_MODES = {"ASSAULT": "violence", "MOBILIZE": "violence", "SANCTION": "restrict", "COERCE": "restrict",
                   "PROTEST": "restrict", "AGREE": "relations", "SUPPORT": "relations", "COOPERATE": "relations",
                   "AID": "relations", "CONSULT": "relations"}
#: acts that, announced on condition of another party's act ("if"), threaten it: a strike or a
#: protest (attacks, sanctions and coercion so announced are `announced-threat`s already); a
#: deployment or aid on a condition ("would send police to Haiti if the Council approves") is an offer
CONDITIONAL_THREAT_TYPES = frozenset({"PROTEST"})
ULTIMATUM_SUBMODES = {("COERCE", "arrest"): "arrest", ("SANCTION", "expel"): "expel"}
# acts that an unnamed business does only in metaphor (a named arms maker may still be targeted)
BUSINESS_METAPHOR_TYPES = frozenset({"ASSAULT", "MOBILIZE", "COERCE", "THREATEN", "RETREAT"})


@dataclass
class Draft:
    """An event on its way to a record."""

    cand: Candidate
    etype: str
    mode: str | None
    mod: Modality
    source: Any = None            # actors.base.Mention
    target: Any = None
    location: Any = None          # places.Place
    fill_country: str | None = None
    attr: Attribution | None = None
    applied: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Convention:
    name: str
    phase: str
    doc: str
    fn: Callable[[Draft, Any], Draft | None]


# -- TYPE: before the event is placed --------------------------------------------------------

def _refusal_sense(d: Draft, ctx: Any) -> Draft | None:
    sense = d.cand.sense
    if d.mod.negated and sense.negated_type:
        d.etype, d.mode = sense.negated_type, sense.negated_mode
        d.mod = replace(d.mod, negated=False)
        if sense.negated_swap:
            d.cand = replace(d.cand, source=d.cand.target, target=d.cand.source)
    return d


#: what a party may not want without refusing anyone anything ("does not want a war with NATO")
CONFLICT_NOUNS = frozenset({"war", "conflict", "confrontation", "escalation", "fight", "fighting", "violence",
                            "bloodshed", "clash", "hostility", "crisis", "tension", "showdown", "invasion"})
WANT_VERBS = frozenset({"want", "wish", "seek", "desire"})


def _agreed_view(d: Draft, ctx: Any) -> Draft | None:
    if d.etype == "AGREE" and any(tok.lemma_.lower() == "agree" and _agreed_opinion(tok)
                                  for tok in {d.cand.trigger, d.cand.verb}):
        return None  # the model's reading of "agreed that the talks had been useful" (the rules skip it)
    return d


#: what a court drops when it dismisses a case: no one is refused
DROPPED_CASES = frozenset({"charge", "case", "lawsuit", "indictment", "suit", "petition"})


def _court_drops_case(d: Draft, ctx: Any) -> Draft | None:
    src = d.cand.source
    if d.etype == "REJECT" and src is not None and src.sector == "JUD" and d.cand.trigger.lemma_.lower() in (
            "dismiss", "drop", "throw") and any(o.dep_ in ("dobj", "nsubjpass") and o.lemma_.lower() in DROPPED_CASES
                                                for o in d.cand.trigger.children):
        return None  # "the court dismissed the charges against the activists"
    return d


def _unwanted_conflict(d: Draft, ctx: Any) -> Draft | None:
    if d.etype != "REJECT":
        return d
    for tok in (d.cand.trigger, d.cand.verb):
        if tok.lemma_.lower() in WANT_VERBS and any(
                c.dep_ == "dobj" and c.lemma_.lower() in CONFLICT_NOUNS for c in tok.children):
            return None  # not wanting a war refuses no one (a war is no request)
    return d


def _ended_truce(d: Draft, ctx: Any) -> Draft | None:
    if d.etype not in ("CONCEDE", "AGREE", "RETREAT") and not (d.etype == "SANCTION" and d.cand.rule == "model"):
        return d
    for tok in {d.cand.trigger, d.cand.verb}:
        nouns = [tok] if tok.pos_ == "NOUN" else [t for t in tok.subtree if t.pos_ == "NOUN" and t.i > tok.i]
        if tok.lemma_.lower() == "end" and tok.pos_ == "NOUN":
            nouns += [t for t in tok.subtree if t.i > tok.i]
        if any(truce_ender(n) is not None and truce_ender(n).i in (tok.i, tok.head.i) for n in nouns):
            return None  # the rules code the end of a truce as a threat of violence (`truce_ender`)
    return d


def _refused_intent(d: Draft, ctx: Any) -> Draft | None:
    model = d.cand.rule == "model" and d.cand.verb.pos_ in ("VERB", "AUX") and refused_intent(d.cand.verb) is not None
    if "refused-intent" in d.cand.notes or model:
        d.mod = replace(d.mod, negated=True, future=True, hypothetical=False)
    return d


def _refused_cooperation(d: Draft, ctx: Any) -> Draft | None:
    if d.mod.negated and d.mod.future and d.etype in REFUSED_TYPES:
        if d.cand.mirrored:
            return None
        d.etype, d.mode = "REJECT", REFUSED_TYPES[d.etype]
        d.mod = replace(d.mod, negated=False, future=False)  # the refusal is made now
    return d


def _refusal_not_negated(d: Draft, ctx: Any) -> Draft | None:
    if d.etype == "REJECT" and d.mod.negated and not d.mod.hypothetical:
        words = {d.cand.trigger.lemma_.lower(), d.cand.verb.lemma_.lower()}
        if words & REFUSAL_CARRIERS:
            d.mod = replace(d.mod, negated=False, future=False)  # the refusal is made now
    return d


def _future_to_agree(d: Draft, ctx: Any) -> Draft | None:
    if d.mod.future and not d.mod.hypothetical and d.etype in FUTURE_TO_AGREE:
        d.etype, d.mode = "AGREE", None
    return d


def _future_retreat_to_concede(d: Draft, ctx: Any) -> Draft | None:
    if d.mod.future and not d.mod.hypothetical and d.etype == "RETREAT":
        d.etype, d.mode = "CONCEDE", None
    return d


#: acts an authority announces in the passive with no agent ("all detainees will be freed", "anyone who
#: blocks a road will be arrested"): the one who announces them is the one who will do them
ANNOUNCED_PASSIVE_TYPES = frozenset({"CONCEDE", "COERCE", "SANCTION", "ASSAULT"})
#: who can announce what their own state or force will do to the people it holds (an authority, a holder)
HOLDER_SECTORS = frozenset({"GOV", "COP", "MIL", "JUD", "SPY", "LEG", "PRM", "REB", "UAF", "IMG"})
#: those who speak for the affected, never for their holders
ADVOCATE_HEADS = frozenset({"lawyer", "attorney", "advocate", "counsel", "defender", "activist", "campaigner", "relative",
                            "monitor", "observer", "mediator"})


def _announced_passive(d: Draft, ctx: Any) -> Draft | None:
    verb = d.cand.verb
    if d.cand.source is not None or not d.mod.future or d.mod.negated or d.etype not in ANNOUNCED_PASSIVE_TYPES:
        return d
    if d.cand.trigger is not verb or not any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children):
        return d
    found = find_speaker(verb)
    speaker = ctx.finder.resolve(found[1]) if found is not None else None
    if speaker is None or speaker.sector not in HOLDER_SECTORS or (
            d.cand.target is not None and speaker.key == d.cand.target.key):
        return d  # (a reporter or a bystander announces nothing of their own)
    if found[1].lemma_.lower() in ADVOCATE_HEADS:
        return d  # (lawyers or activists who expect a release announce no act of their own)
    target = d.cand.target
    affected = target.country if target is not None else None
    if affected and speaker.country and affected != speaker.country:
        return d  # (another state's people: "the US State Department said Iranian protesters will be executed")
    words = {t.lower_ for t in found[1].subtree}
    if ("foreign" in words or "department" in words or "mediator" in words) and (not affected or affected != speaker.country):
        return d  # (a foreign ministry speaking of hostages it does not hold: "Qatar's foreign ministry said")
    d.cand = replace(d.cand, source=speaker, notes=[*d.cand.notes, "announced-passive"])
    d.applied.append("announced-passive")
    return d


def _agreed_to(verb: Any) -> bool:
    """The act is what its subject agreed to do ("agreed to meet again", "agreed on Saturday to
    exchange ambassadors and to reopen embassies")."""
    for _ in range(2):
        if verb is None:
            return False
        if verb.dep_ == "xcomp" and verb.head.lemma_ == "agree" and verb.head.pos_ in ("VERB", "AUX"):
            return True
        verb = verb.head if verb.dep_ == "conj" else None
    return False


def _agreed_act(d: Draft, ctx: Any) -> Draft | None:
    if not d.mod.negated and not d.mod.hypothetical and d.etype in FUTURE_TO_AGREE and _agreed_to(d.cand.verb):
        d.etype, d.mode = "AGREE", None
    return d


def _not_guilty(trigger: Any) -> bool:
    """"found the activists not guilty": a verdict of innocence."""
    return trigger.lemma_.lower() == "find" and any(
        t.lower_ in ("guilty", "liable") and any(c.dep_ == "neg" for c in t.children) for t in trigger.subtree)


def _acquittal(d: Draft, ctx: Any) -> Draft | None:
    if d.etype == "SANCTION" and (d.cand.trigger.lemma_.lower() in ("acquit", "acquittal", "clear")
                                  or _not_guilty(d.cand.trigger)) and not d.mod.negated:
        d.mode = "convict"
        d.mod = replace(d.mod, negated=True)
    return d


# -- ACTORS: once the event is placed ---------------------------------------------------------

def _context_country(d: Draft, ctx: Any) -> Draft | None:
    d.source = ctx.fill(d.cand.source, d.fill_country, d.etype, "source")
    d.target = ctx.fill(d.cand.target, d.fill_country, d.etype, "target") if not d.cand.sense.no_target else None
    place = d.location.country if d.location is not None else None
    s, t = d.source, d.target
    if s is not None and t is not None and s.key == t.key and place and place != d.fill_country:
        # the story's country made the two parties one ("Kosovo opened an embassy in Jerusalem":
        # the embassy is not Kosovo's own government): the unplaced one belongs where the act is
        if d.cand.target is not None and d.cand.target.country is None:
            d.target = ctx.fill(d.cand.target, place, d.etype, "target")
        elif d.cand.source is not None and d.cand.source.country is None:
            d.source = ctx.fill(d.cand.source, place, d.etype, "source")
    return d


def _unplaced_protesters(d: Draft, ctx: Any) -> Draft | None:
    if d.source is not None and d.source.rule == "protest:unnamed" and d.source.country is None:
        return None
    return d


def _own_state_descriptor(d: Draft, ctx: Any) -> Draft | None:
    s, t = d.source, d.target
    if t is not None and s is not None and t.rule.startswith("coref:descriptor") and \
            t.country == s.country and t.kind == "state":
        d.target = None
    return d


def _default_target(d: Draft, ctx: Any) -> Draft | None:
    if d.target is None and not d.cand.sense.no_target:
        patient = d.fill_country if d.cand.patient and d.location is None else None
        d.target = ctx.default_target(d.etype, d.source, d.location, d.cand.trigger, patient)
    return d


def _joint_action_military(d: Draft, ctx: Any) -> Draft | None:
    if d.cand.rule.endswith("+joint"):
        d.source = replace(d.source, sector="MIL") if d.source is not None and d.source.bare else d.source
        d.target = replace(d.target, sector="MIL") if d.target is not None and d.target.bare else d.target
    return d


def _protest_own_group(d: Draft, ctx: Any) -> Draft | None:
    if d.etype == "PROTEST" and d.source is not None and d.target is not None and d.source.key == d.target.key:
        d.target = ctx.default_target(d.etype, d.source, d.location, d.cand.trigger, None)
    return d


def _no_self_event(d: Draft, ctx: Any) -> Draft | None:
    s, t = d.source, d.target
    if s is not None and t is not None and s.key == t.key and d.etype != "CONSULT" \
            and not t.rule.startswith("target:default"):
        if d.etype == "SANCTION" and d.mode == "expel" and d.cand.target is not None and not d.cand.target.name:
            return d  # a body expelling its own members ("parliament stripped three MPs of their seats")
        return None
    return d


def _coup(d: Draft, ctx: Any) -> Draft | None:
    s, t = d.source, d.target
    if (d.etype == "SANCTION" and d.mode == "expel" and s is not None and s.sector == "MIL"
            and (t is None or t.sector in ("GOV", "ELI"))):
        return None
    return d


def _business_metaphor(d: Draft, ctx: Any) -> Draft | None:
    s = d.source
    if d.etype in BUSINESS_METAPHOR_TYPES and s is not None and s.sector == "BUS" and not s.name:
        return None
    return d


ARMED_SECTORS = frozenset({"MIL", "REB", "PRM", "UAF", "COP", "CRM"})


def _met_as_host(d: Draft, ctx: Any) -> Draft | None:
    s, t, place = d.source, d.target, d.location
    if d.etype != "CONSULT" or d.mode is not None or s is None or t is None or place is None:
        return d
    if not s.country or not t.country or s.country == t.country or not place.country:
        return d
    if s.sector in ARMED_SECTORS or t.sector in ARMED_SECTORS:
        return d  # commanders meeting at a border post visit no one
    doc = d.cand.trigger.doc
    if any(0 <= m.head < len(doc) and {doc[m.head].lemma_.lower(), doc[m.head].head.lemma_.lower()} & MEDIATOR_NOUNS
           for m in (s, t)):
        return d  # "met Norwegian facilitators in Oslo": a mediated meeting, not a visit
    if place.country == t.country:
        d.mode = "visit"  # "Lavrov met Lukashenko in Minsk": the Russian visits
    elif place.country == s.country:
        # the host's copy of the meeting ("Putin met Orban in Moscow"): the guest visits the host
        # (a second copy so turned is the same record, and goes at the end of the document's pass)
        d.source, d.target, d.mode = t, s, "visit"
    return d


def _no_domestic_visit(d: Draft, ctx: Any) -> Draft | None:
    s, t = d.source, d.target
    if d.etype == "CONSULT" and d.mode == "visit" and s is not None and t is not None \
            and s.country and s.country == t.country \
            and not (t.kind in ("person", "title", "organisation") and t.sector in POLITICAL_SECTORS):
        return None  # "Putin visited Kazan", "visited wounded soldiers"; "received the Catalan president" meets
    return d


#: the lexicon's words for delivering a person into another's custody
HANDOVER_WORDS = frozenset({"hand", "hand over", "turn over"})
STATE_AGENCIES = frozenset({"GOV", "MIL", "COP", "JUD", "SPY", "LEG"})


def _no_domestic_handover(d: Draft, ctx: Any) -> Draft | None:
    s, t = d.source, d.target
    handed = d.cand.sense.word in HANDOVER_WORDS or (d.cand.rule == "model" and d.cand.trigger.lemma_.lower() in ("hand", "turn"))
    if d.etype == "COOPERATE" and handed and s is not None and s.country and s.sector in STATE_AGENCIES and \
            (t is None or t.country == s.country and t.sector in STATE_AGENCIES):
        return None  # "police handed the suspect to the anti-corruption commission": routine custody at home
    return d


def _closed_to_people(d: Draft, ctx: Any) -> Draft | None:
    t = d.target
    if d.etype == "SANCTION" and d.mode == "discontinue" and d.cand.sense.word in CLOSING_WORDS and \
            t is not None and t.sector in ("REF", "CVL"):
        # "shut its border to migrants", "closed its border to Sudanese refugees": a restriction on
        # people, not ties cut with their state ("closed its airspace to Indian airlines" cuts them)
        d.etype, d.mode, d.target = "COERCE", "restrict", None
    return d


#: frontier closings coded as cut ties (triggers.yaml `close`, `shut`)
CLOSING_WORDS = frozenset({"close", "shut"})


def _no_interview(d: Draft, ctx: Any) -> Draft | None:
    s, t = d.source, d.target
    if d.etype == "CONSULT" and any(x is not None and x.sector == "JRN" for x in (s, t)):
        return None  # "sat down with Fox News", "spoke to reporters": an interview, not a meeting
    return d


#: whom a leader meets at home as a political counterpart
POLITICAL_SECTORS = frozenset({"GOV", "OPP", "PTY", "LEG", "JUD", "ELI"})


def _topic_is_no_party(d: Draft, ctx: Any) -> Draft | None:
    verb = d.cand.verb
    for _ in range(3):  # a model trigger may be a word under the verb ("discussed Syria by phone")
        if verb.pos_ in ("VERB", "AUX") or verb.head.i == verb.i:
            break
        verb = verb.head
    if d.etype != "CONSULT" or verb.lemma_.lower() not in TOPIC_VERBS:
        return d
    topics = {t.i for c in verb.children if c.dep_ == "dobj" for t in c.subtree}
    for t in list(topics):  # "discussed the truce with Netanyahu": the partner is no topic
        if verb.doc[t].dep_ == "prep" and verb.doc[t].lower_ in ("with", "between", "among"):
            topics -= {x.i for x in verb.doc[t].subtree}
    if (d.source is not None and d.source.head in topics) or (d.target is not None and d.target.head in topics):
        return None  # the model's reading of the topic as a party; the rules never take it
    return d


# -- STATEMENT: once the event's attribution is known -----------------------------------------

def _announced_threat(d: Draft, ctx: Any) -> Draft | None:
    if d.source is None or d.mod.negated or not d.mod.future or d.etype not in ANNOUNCED_THREATS:
        return d
    held = d.etype == "ACCUSE" and _held_responsible(d.cand)
    if held:
        pass  # "will hold X responsible for any attack", "would be held accountable": a threat, mode null
    elif d.etype == "ACCUSE" and (d.mode != "allege" or d.cand.sense.word not in LEGAL_ACTION_WORDS):
        return d  # only legal action announced is a threat ("will investigate" is not)
    conditional = d.mod.hypothetical and ctx.condition_actor(d.cand.verb, d.source, any_actor=True) is not None
    # (whoever reports it, the one who will hold another to account threatens it)
    if (not d.mod.hypothetical or conditional) and (held or _first_person(d.cand.verb) or "announced-passive" in d.cand.notes
                                                     or ctx.own_side_says(d.cand.verb, d.source)):
        d.etype, d.mode = "THREATEN", ANNOUNCED_THREATS[d.etype]
        d.attr = Attribution(None, "author", None)
        if conditional:  # the threat is made now; only the act is conditional
            d.mod = replace(d.mod, hypothetical=False, future=False)
    return d


def _first_person(verb: Any) -> bool:
    """The act's subject is the speaker's own "we" or "I" ("we will use weapons against those who ...",
    "I will have them arrested"): whoever is quoted, the one who announces the act is its actor."""
    node = verb
    for _ in range(3):
        # (the parser may hang the subject on the auxiliary: "and we will, where necessary, use ...")
        kids = [*node.children, *(g for a in node.children if a.dep_ == "aux" for g in a.children)]
        subj = next((c for c in kids if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subj is not None:
            return subj.dep_ == "nsubj" and subj.lower_ in ("we", "i")
        if node.dep_ not in ("conj", "xcomp") or node.head.i == node.i:
            return False
        node = node.head
    return False


#: what a party is held to be: "held X responsible", "will be held accountable"
HELD_WORDS = frozenset({"responsible", "accountable", "liable", "culpable", "account"})


def _held_responsible(cand: Candidate) -> bool:
    """The accusation is a holding to account: "hold X responsible (for)", "held accountable", "held to account"."""
    for tok in {cand.trigger, cand.verb}:
        if tok.lemma_.lower() == "hold" and any(t.lower_ in HELD_WORDS for t in tok.subtree if t.i > tok.i):
            return True
        if tok.lower_ in ("responsible", "accountable") and tok.head.lemma_.lower() == "hold":
            return True
    return False


def _unless(verb: Any) -> bool:
    """An "unless" clause on the verb, or on the verb it complements ("said it would pull out of the
    pact unless Moscow scraps the missiles")."""
    node = verb
    for _ in range(3):
        if any(c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ == "unless" for m in c.children)
               for c in node.children):
            return True
        if node.dep_ not in ("xcomp", "conj", "ccomp") or node.head.i == node.i:
            break
        node = node.head
    return False


def _ultimatum(d: Draft, ctx: Any) -> Draft | None:
    if d.source is None or d.mod.negated or not (d.mod.future or d.mod.hypothetical) or d.etype not in ULTIMATUM_MODES:
        return d
    if d.etype == "AGREE" and "future-to-agree" not in d.applied:
        return d  # a real agreement "unless ..." is rare; a future meeting, aid or support is the threat
    if not _unless(d.cand.verb) and not (
            d.etype in CONDITIONAL_THREAT_TYPES and d.mod.hypothetical and
            ctx.condition_actor(d.cand.verb, d.source) is not None and ctx.own_side_says(d.cand.verb, d.source)):
        # "would call a general strike if the court convicts them": an ultimatum too, when the
        # actor's own side says so ("analysts said the army could push on if ..." is a forecast)
        return d
    d.etype, d.mode = "THREATEN", ULTIMATUM_SUBMODES.get((d.etype, d.mode), ULTIMATUM_MODES[d.etype])
    d.mod = replace(d.mod, hypothetical=False, future=False)  # the threat is made now
    return d


def _threat_condition_target(d: Draft, ctx: Any) -> Draft | None:
    if d.etype == "THREATEN" and d.source is not None and (d.target is None or d.target.name is None):
        cond = ctx.condition_actor(d.cand.verb, d.source)
        if cond is not None:
            d.target = cond
    return d


def _in_condition(verb: Any) -> bool:
    """The verb is inside an "if" / "unless" / "should" clause (the condition, not the consequence)."""
    node = verb
    for _ in range(6):
        if node.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in ("if", "unless") for m in node.children):
            return True
        if node.head.i == node.i:
            return False
        node = node.head
    return False


def _threat_is_made(d: Draft, ctx: Any) -> Draft | None:
    if d.etype != "THREATEN" or d.mod.negated or not (d.mod.hypothetical or d.mod.future):
        return d
    if _in_condition(d.cand.verb) or (d.cand.trigger is not d.cand.verb and _in_condition(d.cand.trigger)):
        return d  # "if it kept threatening the US": the threat is the condition's, not made
    d.mod = replace(d.mod, hypothetical=False, future=False)
    return d


#: words of a ban's complement that make it a refusal of entry ("barred the delegation from entering")
ENTRY_WORDS = frozenset({"enter", "entry", "land", "landing", "return", "visit", "attend", "cross", "travel",
                         "set foot", "dock"})
BAN_LEMMAS = frozenset({"bar", "ban", "forbid", "prohibit", "deny", "refuse", "block"})


def _foreign_entry_ban(d: Draft, ctx: Any) -> Draft | None:
    s, t, trig = d.source, d.target, d.cand.trigger
    if d.etype != "COERCE" or s is None or t is None or not s.country or not t.country or s.country == t.country:
        return d
    if trig.lemma_.lower() not in BAN_LEMMAS:
        return d
    if {x.lemma_.lower() for x in trig.subtree if x.i > trig.i} & ENTRY_WORDS:
        d.etype, d.mode = "REJECT", None
    return d


TYPE = "type"
ACTORS = "actors"
STATEMENT = "statement"

CONVENTIONS: tuple[Convention, ...] = (
    Convention("refusal-sense", TYPE, "A negated trigger that has a refusal reading is that refusal, not a "
               "negated event: 'will not bow to pressure' is REJECT; 'will not be cowed by X' refuses X.",
               _refusal_sense),
    Convention("agreed-view", TYPE, "Agreeing that something is or was so ('agreed that the talks had been "
               "useful') is a shared view, no agreement between parties: no AGREE (the rules skip it; the model's "
               "reading is dropped).", _agreed_view),
    Convention("court-drops-case", TYPE, "A court dismissing or dropping charges or a case refuses no one: no "
               "REJECT (the model's reading; the rules' senses keep it out).", _court_drops_case),
    Convention("ended-truce", TYPE, "Declaring one's ceasefire at an end ('announced an end to the ceasefire', "
               "'declared the ceasefire over') concedes, agrees to and retreats from nothing: the rules code the end "
               "as an accord ended (SANCTION/discontinue, as 'suspended a ceasefire'), or nothing for 'declared over' "
               "(the fighting is coded instead).", _ended_truce),
    Convention("unwanted-conflict", TYPE, "Not wanting a war, a conflict or a confrontation ('Russia does not "
               "want a war with NATO') refuses no one: no REJECT.", _unwanted_conflict),
    Convention("refused-intent", TYPE, "An act its agent says it has no intention or plan of doing ('has no "
               "intention of negotiating with X', 'has no plans to withdraw', 'does not intend to') is disclaimed "
               "for the future: negated and future, so that a meeting, aid, support or retreat so disclaimed is "
               "the refusal of `refused-cooperation` and any other act a negated one.", _refused_intent),
    Convention("refused-cooperation", TYPE, "A negated future meeting, aid or cooperation ('would not attend', "
               "'will not negotiate') is a REJECT made now (mirrored copies of it are dropped).",
               _refused_cooperation),
    Convention("refusal-not-negated", TYPE, "A refusal read from a negated intention or meeting ('does not intend "
               "to negotiate with X', 'would not join talks') is a REJECT made now, not a negated one.",
               _refusal_not_negated),
    Convention("future-to-agree", TYPE, "PLOVER: a future (not hypothetical) CONSULT, SUPPORT, COOPERATE or AID "
               "is an AGREE ('will meet', 'will provide aid').", _future_to_agree),
    Convention("future-retreat-to-concede", TYPE, "An announced future RETREAT ('will release', 'would leave') "
               "is a CONCEDE.", _future_retreat_to_concede),
    Convention("announced-passive", TYPE, "An act an authority announces in the agentless passive ('all "
               "detainees will be freed', 'anyone who blocks a road will be arrested', the minister said) is the "
               "announcer's own: a concession, or (announced-threat) a threat it makes now.", _announced_passive),
    Convention("agreed-act", TYPE, "What a party agrees to do is a commitment, as a promised act is: a meeting, "
               "support, cooperation or aid agreed to ('agreed to meet again', 'agreed to provide aid') is an AGREE; "
               "a sanction or an attack agreed to is the act itself ('the EU agreed to impose sanctions'), and a "
               "retreat keeps its type (the gold codes agreed releases both ways).", _agreed_act),
    Convention("acquittal", TYPE, "An acquittal ('acquitted', 'cleared of all charges') is a negated conviction "
               "(SANCTION/convict, negated), as the writers' guide codes it.", _acquittal),
    Convention("context-country", ACTORS, "An actor without a country takes the place's or the story's; a bare "
               "country is MIL when it mobilises, has no sector when it attacks or is attacked.",
               _context_country),
    Convention("unplaced-protesters", ACTORS, "Protesters we cannot place in any country are dropped.",
               _unplaced_protesters),
    Convention("own-state-descriptor", ACTORS, "'the country' meaning the actor's own state is no target "
               "('Niger's rulers pulled the country out of ECOWAS').", _own_state_descriptor),
    Convention("default-target", ACTORS, "No named target: violence, coercion and aid in a place fall on its "
               "country; a protest addresses the protesters' government; an arrest falls on one's own state.",
               _default_target),
    Convention("joint-action-military", ACTORS, "A joint raid or exercise is done by the armed forces.",
               _joint_action_military),
    Convention("protest-own-group", ACTORS, "A protest whose object is the protesters' own group ('students "
               "occupied the university') addresses their government instead.", _protest_own_group),
    Convention("no-self-event", ACTORS, "An actor does nothing to itself (but meetings of one actor's parts, a body expelling its own members "
               "and conventional targets stay).", _no_self_event),
    Convention("coup", ACTORS, "Armed forces removing a head of state or government from power ('the army "
               "deposed the president', 'suspended the constitution') are a coup, and coups as such are no "
               "events (the writers' guide): no dismissal (SANCTION/expel) of the leader.", _coup),
    Convention("business-metaphor", ACTORS, "An unnamed company's 'offensive', 'attack' or 'retreat' is "
               "commerce, not force.", _business_metaphor),
    Convention("foreign-entry-ban", ACTORS, "Barring another country's officials, delegation or plane from "
               "entering, landing or visiting is a REJECT of them (as the gold codes it), not coercion at home.",
               _foreign_entry_ban),
    Convention("met-as-host", ACTORS, "A meeting of two states' representatives in the country of one of them is "
               "the other's visit (CONSULT/visit from the guest to the host, one record), as the gold codes 'Lavrov met "
               "Lukashenko in Minsk'; a meeting in a third country stays a mirrored meeting.", _met_as_host),
    Convention("no-domestic-visit", ACTORS, "A leader travelling at home visits no one but "
               "a political counterpart ('received the Catalan president').", _no_domestic_visit),
    Convention("no-domestic-handover", ACTORS, "Handing a suspect from one agency of a state to another (or "
               "to no one named) is routine custody; a hand-over to another state's authorities cooperates.",
               _no_domestic_handover),
    Convention("closed-to-people", ACTORS, "A frontier closed to migrants, refugees or travellers restricts "
               "them (COERCE), it cuts no ties with their state.", _closed_to_people),
    Convention("no-interview", ACTORS, "Talking to journalists or a news outlet is an interview, not a "
               "meeting (the gold codes 2 of 1,197 meetings with a journalist party).", _no_interview),
    Convention("topic-is-no-party", ACTORS, "What is discussed is not who talks: 'Putin and Erdogan discussed "
               "Syria' is no meeting with Syria.", _topic_is_no_party),
    Convention("ultimatum", STATEMENT, "An act announced 'unless' the other side gives way ('would recognise the "
               "opposition leader unless elections are called', 'will resume fire unless the blockade is lifted') is "
               "a THREATEN made now; its mode is what is threatened.", _ultimatum),
    Convention("announced-threat", STATEMENT, "A conflictual act announced by its own side, even on a "
               "condition, is a THREATEN ('Iran said it would respond with sanctions').", _announced_threat),
    Convention("threat-is-made", STATEMENT, "A threat is an act when it is uttered: what it threatens is "
               "future and conditional ('X would face an overwhelming response if ...'), the THREATEN is neither "
               "(the gold codes 596 of 607 threats so), unless the threat itself sits in a condition.", _threat_is_made),
    Convention("threat-condition-target", STATEMENT, "A threat with no named target is aimed at the actor of "
               "its condition ('would keep advancing if Armenian forces did not withdraw').",
               _threat_condition_target),
)


def by_name(name: str) -> Convention:
    for c in CONVENTIONS:
        if c.name == name:
            return c
    raise KeyError(name)


def apply(phase: str, draft: Draft, ctx: Any) -> Draft | None:
    """Run the conventions of one phase, in table order; None when one of them drops the event."""
    for conv in CONVENTIONS:
        if conv.phase != phase:
            continue
        before = (draft.etype, draft.mode, draft.source, draft.target, draft.mod)
        out = conv.fn(draft, ctx)
        if out is None:
            draft.applied.append(f"{conv.name}:dropped")
            return None
        if (out.etype, out.mode, out.source, out.target, out.mod) != before:
            out.applied.append(conv.name)
        draft = out
    return draft
