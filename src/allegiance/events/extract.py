"""Event extraction: trigger words → PLOVER event candidates with source and target mentions.

For each sentence, verbs and nouns are looked up in the trigger lexicon; a sense is chosen by its
constraints (object, preposition, subject sector); the arguments come from the dependency parse
(active and passive voice, light verbs, control and coordination, embedded accusations); conjoined
actors give one candidate each; symmetric interactions give mirrored pairs.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from spacy.tokens import Span, Token

from ..actors.resolve import ActorFinder, Mention
from .lexicon import Lexicon, Sense

__all__ = ["Candidate", "extract_sentence", "NON_POLITICAL"]

SUBJ = ("nsubj", "nsubjpass", "csubj")
ADVERB_PARTICLES = frozenset({"back", "out", "off", "down", "away", "up"})
LEMMA_FIXES = {"staged": "stage", "staging": "stage", "stages": "stage"}
PHYSICAL_TARGETS = frozenset("""position base town city village area district neighbourhood
neighborhood hospital clinic school market convoy ship vessel tanker freighter building checkpoint
camp home house airport airfield airbase port harbour harbor bridge infrastructure facility plant
station target stronghold outpost depot headquarters road highway region province territory
compound office embassy consulate mosque church power grid shelter site field front frontline
line suburb outskirts quarter street neighbourhoods installation warehouse train bus car vehicle
truck tank aircraft plane jet helicopter drone refinery pipeline dam barracks palace parliament
border crossing enclave pocket hill ridge island coast coastline capital countryside settlement
colony kibbutz gathering crowd rally protest funeral wedding patrol column unit garrison
hideout cell network tunnel launcher battery arsenal ammunition military army""".split())
NON_POLITICAL = re.compile(  # unambiguous on its own: sport, weather, markets, culture
    r"\b(football|soccer|basketball|tennis|cricket|rugby|championship|tournament|olympics?|"
    r"world cup|goalkeeper|midfielder|semi-final|quarter-final|kick-off|nasdaq|dow jones|"
    r"box office|premiered?|film festival|chess|opinion poll|thriller|cinemas?|screenplay|sitcom)\b",
    re.IGNORECASE)
WEAK_NON_POLITICAL = re.compile(  # ambiguous alone ("the Arab League", "death penalty", "storm the city")
    r"\b(league|match|goal|penalty|coach|striker|defender|scored|playoff|fixture|stadium|storm|"
    r"hurricane|typhoon|cyclone|earthquake|flood|film|movie|"
    r"rainfall|forecast|temperatures|shares|stocks|index|album|concert|exhibition|museum|novel|"
    r"poll showed|survey)\b", re.IGNORECASE)
SCORELINE = re.compile(r"\b\d{1,2}-\d{1,2}\b")
VIOLENT = frozenset({"ASSAULT", "COERCE"})
DESCRIPTOR_TYPES = frozenset({"SUPPORT", "AID", "COOPERATE"})
MUTUAL_TYPES = frozenset({"AGREE", "CONSULT", "COOPERATE"})  # "X and Y agreed": with each other
WITHHOLD_VERBS = frozenset({"withhold", "cut", "suspend", "freeze", "halt", "block", "stop", "reduce",
                            "slash", "withdraw", "end", "deny", "condition"})
DECISION_VERBS = frozenset({"agree", "decide", "vote", "resolve", "opt", "elect"})
PROTEST_PREPS = frozenset({"after", "amid", "during", "of", "despite", "following", "over"})
CONTENT_FRAMES = frozenset({"demand", "call", "urge", "seek", "want", "ask", "propose", "push", "press",
                            "request", "offer", "promise", "pledge", "plan", "threaten", "reject",
                            "oppose", "refuse", "need", "expect", "consider", "discuss", "negotiate"})
NO_COMMENT = frozenset({"comment", "elaborate", "confirm", "say", "speak", "discuss", "respond",
                        "answer", "specify", "disclose", "give", "provide", "name", "identify"})
MEET_WORDS = frozenset({"talk", "meeting", "negotiation", "visit", "summit", "invitation", "dialogue"})
PURPOSE_VERBS = frozenset({"retake", "recapture", "capture", "seize", "wrest", "reclaim", "take", "drive",
                           "push", "expel", "oust", "dislodge", "rout", "defeat", "crush", "destroy",
                           "eliminate", "clear", "liberate", "free"})
MEDIATOR_NOUNS = frozenset({"mediator", "broker", "intermediary", "go-between", "facilitator", "host"})
MEDIATION_VERBS = frozenset({"broker", "mediate", "host", "facilitate", "arrange"})
READY_ADJ = frozenset({"ready", "willing", "prepared", "open"})
WARN_VERBS = frozenset({"warn", "caution", "fear", "predict", "say", "believe", "expect"})
THREAT_VERBS = frozenset({"threaten", "warn", "vow", "give", "demand", "order", "issue"})
REVERSING_LIGHT = frozenset({"lift", "ease", "end", "suspend", "halt", "call off", "withdraw", "drop", "relax",
                             "loosen", "scrap", "cancel", "stop", "freeze", "cut"})
NOT_VIOLENT_MODIFIERS = frozenset({"charm", "diplomatic", "media", "propaganda", "peace", "pr",
                                   "public-relations", "legal", "political", "verbal", "rhetorical"})
SPEECH_NOUNS = frozenset({"offer", "pressure", "demand", "call", "request", "proposal", "invitation",
                          "ultimatum", "appeal", "warning", "threat", "plea", "criticism", "pledge"})
RESPONSE_VERBS = frozenset({"reject", "accept", "dismiss", "refuse", "decline", "turn down", "rebuff",
                            "spurn", "welcome", "heed", "ignore", "defy", "resist", "bow", "yield",
                            "cave", "give in", "snub", "agree", "embrace", "consider", "study"})
CIVILIAN_PLACES = frozenset({"residential", "district", "neighbourhood", "neighborhood", "home",
                             "house", "market", "apartment", "block", "village", "street", "suburb",
                             "civilian", "shelter", "mosque", "church", "camp", "bakery"})
CONTENT_NOUNS = frozenset({"agreement", "deal", "plan", "proposal", "offer", "demand", "call",
                           "promise", "pledge", "threat", "decision", "bid", "effort", "readiness",
                           "willingness", "right", "permission", "order", "attempt", "vote", "request",
                           "ultimatum", "warning", "invitation", "commitment", "intention", "accord"})
SERIES_NOUNS = frozenset({"round", "series", "wave", "spate", "string", "number", "barrage", "flurry"})
MEETING_PREPS = frozenset({"in", "during", "at", "on"})
HELP_VERBS = frozenset({"help", "support", "back", "aid", "assist", "reinforce", "bolster", "defend",
                        "protect", "prop"})


@dataclass
class Candidate:
    """One event mention before records are assembled."""

    sense: Sense
    trigger: Token            # the trigger word (verb or noun)
    verb: Token               # the governing verb (trigger itself for verbs; light verb for nouns)
    trigger_end: int          # token index after the trigger phrase
    source: Mention | None
    target: Mention | None
    rule: str
    negated_by_frame: bool = False
    embedded_in: Token | None = None
    notes: list[str] = field(default_factory=list)
    absorbs: int | None = None  # index of a trigger this candidate stands for ("killed in a strike")
    mirrored: bool = False  # the B->A copy of a symmetric A->B record
    patient: bool = False  # the text names what was hit or given, though not as an actor


def _children(tok: Token, *deps: str) -> list[Token]:
    return [c for c in tok.children if c.dep_ in deps]


def _particle(tok: Token) -> str | None:
    for c in tok.children:
        if c.dep_ == "prt":
            return c.lower_
    for c in tok.children:  # "pulled back": the parser often makes the particle an adverb
        if c.dep_ == "advmod" and c.lower_ in ADVERB_PARTICLES and c.i == tok.i + 1:
            return c.lower_
    return None


def _lemma(tok: Token) -> str:
    """The lemma, with the small model's known slips corrected ("staged" → "stag")."""
    return LEMMA_FIXES.get(tok.lower_, tok.lemma_.lower())


def _obj(tok: Token) -> Token | None:
    objs = _children(tok, "dobj", "attr")
    if not objs and any(c.dep_ in ("nsubjpass", "auxpass") for c in tok.children):
        objs = _children(tok, "nsubjpass")
    return objs[0] if objs else None


def _phrase_lemmas(tok: Token) -> set[str]:
    out = {tok.lemma_.lower(), tok.lower_}
    comps = [c for c in tok.children if c.dep_ in ("compound", "amod") and c.i < tok.i]
    for c in comps:
        out.add(f"{c.lower_} {tok.lemma_.lower()}")
        out.add(f"{c.lower_} {tok.lower_}")
    for c in tok.children:  # "dozens of armoured vehicles": the object is what is counted
        if c.dep_ == "prep" and c.lower_ == "of":
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


class Extractor:
    """Finds candidates in the sentences of one document."""

    def __init__(self, finder: ActorFinder, lex: Lexicon) -> None:
        self.finder, self.lex = finder, lex
        self.said: list[tuple[int, str, Mention]] = []  # (sentence start, type, source) of demands and offers

    # -- arguments -----------------------------------------------------------------------------
    def actor(self, tok: Token | None) -> Mention | None:
        if tok is None:
            return None
        m = self.finder.resolve(tok)
        if m is None:
            m = self.finder.descriptor(tok)
        return m

    def actors(self, tok: Token | None) -> list[Mention]:
        if tok is None:
            return []
        out = []
        for t in self.finder.expand(tok):
            m = self.actor(t)
            if m is not None:
                out.append(m)
                out += self.finder.conjoined_modifiers(t, m)
        return out

    def loose_actor(self, tok: Token | None) -> list[Mention]:
        """An actor phrase, or the actor behind a thing ("Russia's offer" → Russia)."""
        direct = self.actors(tok)
        if direct or tok is None:
            return direct
        for c in tok.children:
            if c.dep_ == "poss":
                return self.actors(c)
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ in ("of", "by", "from"):
                for g in c.children:
                    if g.dep_ == "pobj":
                        return self.actors(g)
        return []

    def subject(self, verb: Token) -> Token | None:
        subj = _children(verb, "nsubj", "csubj")
        if subj:
            return subj[0]
        passive = bool(_children(verb, "nsubjpass", "auxpass"))
        if passive:
            for agent in _children(verb, "agent"):
                objs = _children(agent, "pobj")
                if objs:
                    return objs[0]
            return None
        node = verb
        for _ in range(3):  # inherit through xcomp/conj/advcl ("vowed to ...", "struck and killed")
            if node.dep_ in ("xcomp", "conj", "advcl", "acl") and node.head != node:
                head = node.head
                if node.dep_ == "acl" and head.pos_ in ("NOUN", "PROPN"):
                    return head
                if node.dep_ == "xcomp":
                    objs = _children(head, "dobj")
                    if objs and head.lemma_ not in ("promise", "vow"):
                        return objs[0]  # object control: "ordered troops to advance"
                s = _children(head, "nsubj")
                if s:
                    return s[0]
                ps = _children(head, "nsubjpass")
                if ps and node.dep_ == "conj":
                    return None
                node = head
                continue
            if node.dep_ == "relcl" and node.head.pos_ in ("NOUN", "PROPN"):
                return node.head
            break
        return None

    def passive(self, verb: Token) -> bool:
        return bool(_children(verb, "nsubjpass", "auxpass"))

    # -- sense choice ------------------------------------------------------------------------
    def _fits(self, sense: Sense, verb: Token, obj: Token | None, subj_m: list[Mention],
              noun: Token | None = None) -> bool:
        if sense.light_only and noun is not None and noun.dep_ not in ("dobj", "nsubjpass", "pobj", "attr", "conj"):
            return False
        obj_lemmas = _phrase_lemmas(obj) if obj is not None else set()
        if sense.obj is not None and not (obj_lemmas & sense.obj):
            return False
        if sense.obj_not and obj_lemmas & sense.obj_not:
            return False
        if sense.obj_type is not None:
            m = self.actors(obj)
            if not m or not any(x.kind in sense.obj_type for x in m):
                return False
        if sense.prep is not None and not (set(_preps(verb)) & sense.prep):
            if not (sense.symmetric and len(subj_m) >= 2):
                return False
        if sense.complement is not None:
            words = {t.lemma_.lower() for t in verb.subtree if t.i > verb.i}
            if not words & sense.complement:
                return False
        if sense.content is not None:
            comp = [c for c in verb.children if c.dep_ in ("xcomp", "ccomp", "dobj", "advcl")]
            words = {t.lemma_.lower() for c in comp for t in c.subtree}
            if not words & sense.content:
                return False
        if sense.subj is not None:
            if not subj_m or not any((x.sector in sense.subj) or (x.country in sense.subj) for x in subj_m):
                return False
        if sense.subj_lemma is not None:
            s = self.subject(verb)
            if s is None or s.lemma_.lower() not in sense.subj_lemma:
                return False
        if sense.recipient_actor and not self._recipients(verb):
            return False
        if sense.modifier is not None and noun is not None:
            mods = {c.lower_ for c in noun.children if c.dep_ in ("amod", "compound")}
            if not mods & sense.modifier:
                return False
        return True

    def verb_senses(self, tok: Token) -> tuple[str, list[Sense]] | None:
        lemma = tok.lemma_.lower()
        keys = []
        prt = _particle(tok)
        if prt:
            keys.append(f"{lemma} {prt}")
        obj = _obj(tok)
        if obj is not None:
            keys.append(f"{lemma} {obj.lemma_.lower()}")
        for p in _preps(tok):
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

    # -- candidates ---------------------------------------------------------------------------
    def frame_of(self, verb: Token) -> tuple[str, Token] | None:
        """How a governing frame treats this clause: ('suppress'|'negate'|'accuse', frame verb)."""
        node = verb
        for _ in range(2):  # "keep supplying", "continue to shell": look through to the frame above
            if node.dep_ in ("xcomp", "ccomp") and node.head.lemma_ in self.lex.pass_through and \
                    node.head.dep_ in ("xcomp", "ccomp"):
                node = node.head
        if self._reported_prediction(node):
            return None  # "X could attack, officials warned": a report, not the warner's threat
        if node.dep_ == "acl" and node.head.lemma_.lower() in self.lex.nouns and \
                any(c.dep_ == "aux" and c.lower_ == "to" for c in node.children):
            return "suppress", node.head  # "an offensive to retake the city": its purpose
        if node.dep_ in ("acl", "relcl", "ccomp") and node.head.lemma_.lower() in CONTENT_NOUNS | SPEECH_NOUNS and \
                any(c.dep_ == "aux" and c.lower_ == "to" or c.dep_ == "mark" and c.lower_ == "that"
                    for c in node.children):
            return "suppress", node.head  # "an agreement to restore relations", "its demand that X leave"
        if node.dep_ in ("xcomp", "ccomp", "pcomp", "advcl") or (node.dep_ == "pobj" and node.head.dep_ == "prep"):
            gov = node.head
            if gov.dep_ == "prep" or gov.pos_ == "ADP":
                prep = gov
                gov = gov.head
                if gov.lemma_ in ("accuse", "blame", "charge", "condemn", "criticise", "criticize", "denounce") and prep.lower_ in ("of", "for"):
                    return "accuse", gov
            key = gov.lemma_
            prt = _particle(gov)
            if prt and f"{key} {prt}" in self.lex.negate_frames | self.lex.suppress_frames:
                key = f"{key} {prt}"
            if key in self.lex.negate_frames:
                return "negate", gov
            if key in self.lex.pass_through:
                return None
            if node.dep_ == "xcomp" and self._decision(gov):
                return None  # "the EU agreed to impose sanctions": the decided act is the event
            if key in ("tell", "inform", "assure") and node.dep_ == "ccomp":
                return None  # "told the mediators that it accepted": reported speech, not a command
            if key in self.lex.suppress_frames and node.dep_ in ("xcomp", "ccomp", "pcomp"):
                return "suppress", gov
            if node.dep_ in ("xcomp", "advcl") and any(c.dep_ == "aux" and c.lower_ == "to" for c in node.children):
                return "suppress", gov  # "united to fight": a purpose, not a report of fighting
        return None

    def _purpose_target(self, trigger: Token, verb: Token) -> list[Mention]:
        """The enemy named in an attack's purpose: "an offensive to retake Mosul from Islamic State",
        "advanced to drive the rebels out of Hama"."""
        for head in {trigger, verb}:
            for c in head.children:
                if c.dep_ not in ("acl", "advcl", "xcomp") or c.lemma_ not in PURPOSE_VERBS or \
                        not any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children):
                    continue
                for p in _preps(c).get("from", []):
                    if self.actors(p):
                        return self.actors(p)
                for o in _children(c, "dobj"):
                    if c.lemma_ in ("drive", "push", "expel", "oust", "dislodge", "rout", "defeat", "crush",
                                    "destroy", "eliminate", "clear") and self.actors(o):
                        return self.actors(o)
        return []

    def _mediate_verb(self, verb: Token, obj: Token | None, subj_ms: list[Mention], sense: Sense,
                      key: str) -> Iterator[Candidate]:
        """Mediators: "Iran is mediating between X and Y", "a swap brokered by the UAE",
        "talks mediated by Qatar, Egypt and the United States"."""
        head = None
        mediators = subj_ms
        if verb.dep_ == "acl":  # "a ceasefire brokered by Russia"
            head = verb.head
            mediators = [m for a in _children(verb, "agent") for o in _children(a, "pobj") for m in self.actors(o)]
        toks = [t for t in (verb, obj, head) if t is not None]
        parties = [m for t in toks for p in _preps(t).get("between", []) for m in self.actors(p)]
        if not parties and head is not None:  # "Russia and Ukraine exchanged prisoners in a swap brokered by"
            gov = head.head.head if head.dep_ == "pobj" else head.head
            if gov.pos_ in ("VERB", "AUX"):
                parties = self.actors(self.subject(gov))
        if mediators and parties:
            yield from self._mediation(mediators, parties, head or obj or verb, verb, sense,
                                       f"verb:{key}+mediation")

    def _acting_mediator(self, verb: Token) -> Iterator[Candidate]:
        """"... with China acting as mediator": the mediator of the clause's parties."""
        mediators = self.actors(self.subject(verb)) or self.actors(next(
            (c for c in verb.children if c.dep_ in ("nsubj", "npadvmod")), None))
        if not mediators and verb.i > 0 and verb.doc[verb.i - 1].pos_ == "PROPN":
            mediators = self.actors(verb.doc[verb.i - 1])
        root = verb.sent.root
        parties = self.actors(self.subject(root)) if root is not verb else []
        if mediators and parties:
            third = Sense(type="CONSULT", mode="third-party", word="mediator")
            yield from self._mediation(mediators, parties, verb, verb, third, "verb:act as mediator")

    def _mediation(self, mediators: list[Mention], parties: list[Mention], noun: Token, verb: Token,
                   sense: Sense, rule: str) -> Iterator[Candidate]:
        """CONSULT/third-party from each mediator to each party (gold and PLOVER convention); the
        parties of mediated talks also talk to each other, indirectly."""
        third = Sense(type="CONSULT", mode="third-party", word=sense.word)
        keys = {m.key for m in mediators}
        parties = [p for p in {p.key: p for p in parties}.values() if p.key not in keys]
        for m in {m.key: m for m in mediators}.values():
            for p in parties:
                yield Candidate(third, verb, verb, verb.i + 1, m, p, rule)
        if noun.lemma_.lower() in ("talk", "negotiation", "round", "meeting", "dialogue") and len(parties) == 2:
            a, b = parties
            yield Candidate(third, noun, verb, noun.i + 1, a, b, rule + "+parties")
            yield Candidate(third, noun, verb, noun.i + 1, b, a, rule + "+parties", mirrored=True)

    def _decision(self, verb: Token) -> bool:
        """One party deciding to act ("agreed to impose", "voted to readmit", "decided to expel")."""
        if verb.lemma_ not in DECISION_VERBS:
            return False
        if verb.lemma_ == "agree":
            if "with" in _preps(verb) or len(self.actors(self.subject(verb))) != 1:
                return False  # "X and Y agreed to", "agreed with X to": a mutual agreement
        for c in verb.children:
            if c.dep_ == "xcomp":
                if self.verb_senses(c) is not None:
                    return True
                if any(o.lemma_.lower() in self.lex.nouns for o in _children(c, "dobj")):
                    return True
        return False

    def _reported_prediction(self, node: Token) -> bool:
        """A warning about what someone else may do ("Azerbaijan could attack, Armenia warned")."""
        if node.dep_ != "ccomp" or node.head.lemma_ not in WARN_VERBS:
            return False
        if not any(c.dep_ == "aux" and c.lower_ in ("could", "may", "might", "can") for c in node.children):
            return False
        own = self.actors(self.subject(node))
        warner = self.actors(self.subject(node.head))
        if not own:
            return False
        if not warner:
            return True  # analysts, diplomats, aid agencies: not a party that could threaten
        return not ({m.country for m in own} & {m.country for m in warner})

    def _in_threat_condition(self, verb: Token) -> bool:
        """The condition of a threat or demand ("... if it refused") is not an event."""
        node = verb
        for _ in range(4):
            if node.dep_ == "advcl" and any(c.lower_ in ("if", "unless") for c in node.children if c.dep_ == "mark"):
                gov = node.head
                for _ in range(3):
                    if gov.lemma_ in THREAT_VERBS:
                        return True
                    if gov.head is gov:
                        break
                    gov = gov.head
                return False
            if node.head is node:
                break
            node = node.head
        return False

    def sentence(self, sent: Span) -> Iterator[Candidate]:
        text = sent.text
        weak = {m.lower() for m in WEAK_NON_POLITICAL.findall(text)}
        if NON_POLITICAL.search(text) or SCORELINE.search(text) or len(weak) >= 2:
            return
        for tok in sent:
            if tok.tag_ == "VBG" and tok.dep_ in ("nsubj", "nsubjpass", "dobj", "pobj") and \
                    not any(c.dep_ in ("dobj", "nsubj", "aux") for c in tok.children):
                yield from self._noun(tok)  # "Fighting between X and Y flared": a gerund as noun
            elif tok.pos_ in ("VERB", "AUX") or (tok.pos_ == "NOUN" and tok.tag_.startswith("VB")):
                yield from self._verb(tok)
            elif tok.pos_ in ("NOUN", "PROPN"):
                yield from self._noun(tok)

    def _verb(self, verb: Token) -> Iterator[Candidate]:
        if verb.dep_ == "acl" and verb.tag_ == "VBN" and _lemma(verb) in MEDIATION_VERBS:
            third = Sense(type="CONSULT", mode="third-party", word=_lemma(verb))
            yield from self._mediate_verb(verb, None, [], third, _lemma(verb))
            return
        if _lemma(verb) in ("act", "serve") and any(
                p.lemma_.lower() in MEDIATOR_NOUNS for p in _preps(verb).get("as", [])):
            yield from self._acting_mediator(verb)
            return
        found = self.verb_senses(verb)
        if found is None:
            return
        key, senses = found
        obj = _obj(verb)
        if obj is not None and obj.lemma_.lower() in self.lex.nouns and verb.lemma_ in self.lex.light_verbs \
                and not (_particle(verb) and key == f"{verb.lemma_.lower()} {_particle(verb)}"
                         and key not in self.lex.light_verbs):
            return  # the object noun carries the event ("launched an offensive"), not "called off
        frame = self.frame_of(verb)
        if frame is not None and frame[0] == "suppress":
            return
        subj_tok = self.subject(verb)
        passive = self.passive(verb)
        subj_ms = self.actors(subj_tok) if subj_tok is not None else []
        if subj_tok is not None and self.finder.is_regional(subj_tok):
            return
        sense = next((s for s in senses if self._fits(s, verb, obj, subj_ms)), None)
        if sense is None:
            return
        if verb.dep_ in ("acl", "advcl") and verb.tag_ == "VBN" and not _children(verb, "nsubjpass", "auxpass") and \
                (sense.type in DESCRIPTOR_TYPES or sense.type == "MOBILIZE" and verb.dep_ == "acl" or
                                                          sense.type == "COERCE" and not _children(verb, "agent")):
            return  # "a militia backed by Iran", "people jailed over protests": descriptors
        if sense.mediation or (verb.dep_ == "acl" and _lemma(verb) in MEDIATION_VERBS):
            yield from self._mediate_verb(verb, obj, subj_ms, sense, key)
            return
        if self._decision(verb):
            return  # the decided act is coded instead
        if verb.lemma_ in ("decline", "refuse") and any(c.dep_ == "xcomp" and c.lemma_ in NO_COMMENT
                                                        for c in verb.children):
            return  # "declined to comment": a statement, which PLOVER does not code
        if sense.type == "THREATEN" and verb.lemma_ in WARN_VERBS and \
                any(self._reported_prediction(c) for c in verb.children if c.dep_ == "ccomp"):
            return  # a third party's warning is not a threat (the prediction is coded instead)
        if self._in_threat_condition(verb):
            return
        if sense.type == "REJECT" and obj is not None and \
                {t.lemma_.lower() for t in obj.subtree} & MEET_WORDS:
            sense = replace(sense, mode="meet", cameo=None)  # "rejected an offer of talks"
        trigger_end = verb.i + 1 + (1 if sense.particle or (" " in key and _particle(verb)) else 0)
        extra_preps: dict[str, list[Token]] = {}
        if obj is not None and key == f"{verb.lemma_.lower()} {obj.lemma_.lower()}":
            extra_preps = _preps(obj)  # "opened fire on X": the object is part of the trigger
            trigger_end = obj.i + 1
            obj = None
        yield from self._assemble(sense, verb, verb, trigger_end, subj_ms, obj, passive, frame,
                                  f"verb:{key}", extra_preps)

    def _noun(self, noun: Token) -> Iterator[Candidate]:
        found = self.noun_senses(noun)
        if found is None:
            return
        key, senses, start = found
        # the governing verb: a light verb whose object (or subject) is the noun, else none
        pos = noun
        while pos.dep_ == "pobj" and pos.head.lower_ == "of" and pos.head.head.lemma_.lower() in SERIES_NOUNS:
            pos = pos.head.head  # "a new round of talks": the round stands where the talks would
        gov = pos.head
        light = None
        meeting_verb = None
        if pos.dep_ == "pobj" and gov.lower_ in MEETING_PREPS and gov.head.pos_ in ("VERB", "AUX") and \
                any(s.type == "CONSULT" for s in senses):
            meeting_verb = gov.head  # "urged Moscow in a phone call with Lavrov"
        if pos.dep_ in ("dobj", "attr", "nsubjpass") and gov.pos_ in ("VERB", "AUX"):
            lk = _lemma(gov) + (f" {_particle(gov)}" if _particle(gov) else "")
            if lk in self.lex.light_verbs or _lemma(gov) in self.lex.light_verbs and \
                    not (_particle(gov) and lk in self.lex.verbs):
                light = gov
            elif _particle(gov) and lk in self.lex.verbs:
                return  # "called off a strike": the phrasal verb is the event
        elif noun.dep_ == "conj" and noun.head.dep_ in ("dobj",) and noun.head.head.lemma_ in self.lex.light_verbs:
            light = noun.head.head
        elif noun.dep_ == "pobj" and gov.dep_ == "prep" and gov.head.lemma_ in ("hold", "engage", "enter", "join", "go", "stay", "remain", "respond", "retaliate", "hit"):
            light = gov.head
        if light is None and pos.dep_ == "pobj" and gov.lower_ in ("for", "to") and \
                gov.head.lemma_.lower() in READY_ADJ and gov.head.head.pos_ in ("AUX", "VERB"):
            light = gov.head.head  # "Hamas was ready for a truce": willingness is an agreement
            senses = [replace(senses[0], type="AGREE", mode=None, cameo=None, light_only=False, symmetric=False)]
        frame = None
        verb = light if light is not None else noun
        if light is not None:
            frame = self.frame_of(light)
            if frame is not None and frame[0] == "suppress":
                return
        elif noun.dep_ in ("pobj",) and gov.dep_ == "prep" and gov.lower_ in ("of", "for"):
            if gov.head.lemma_ in ("accuse", "blame", "condemn", "charge", "criticise", "criticize", "denounce"):
                frame = ("accuse", gov.head)
        subj_ms: list[Mention] = []
        if light is not None:
            subj_ms = self.actors(self.subject(light))
            if self.passive(light):  # "the strike was carried out by Israeli drones"
                subj_ms = [m for a in _children(light, "agent") for o in _children(a, "pobj")
                           for m in self.actors(o)]
        elif meeting_verb is not None:
            subj_ms = self.actors(self.subject(meeting_verb))
            if subj_ms:
                light = meeting_verb
        own = self._noun_source(noun)
        if own:
            subj_ms = own
        if not subj_ms and light is None and all(s.type == "PROTEST" for s in senses) and \
                (pos.dep_ in ("nsubj", "nsubjpass") or pos.dep_ == "pobj" and gov.lower_ in PROTEST_PREPS) and \
                any(e.label_ in ("GPE", "LOC", "NORP") for e in noun.sent.ents):
            # "protests spread to Basra", "after weeks of protests in Beirut": unnamed protesters
            subj_ms = [Mention(noun.i, noun.i + 1, noun.i, noun.text, None, None, "CVL", None, "group",
                               rule="protest:unnamed")]
        sense = next((s for s in senses if self._fits(s, verb, None, subj_ms, noun)), None)
        if sense is None:
            return
        if sense.light_only and light is None:
            return
        if sense.type == "ASSAULT" and any(c.dep_ in ("amod", "compound") and c.lower_ in NOT_VIOLENT_MODIFIERS
                                           for c in noun.children):
            return  # "a charm offensive", "a diplomatic offensive"
        if light is not None:
            lk = light.lemma_.lower() + (f" {_particle(light)}" if _particle(light) else "")
            if lk in REVERSING_LIGHT or light.lemma_.lower() in REVERSING_LIGHT:
                # "lifted the ban" is a concession; "suspended aid" is a sanction; "cancelled talks" a refusal
                if sense.type in ("SANCTION", "COERCE", "ASSAULT", "PROTEST", "THREATEN"):
                    sense = replace(sense, type="CONCEDE", mode=None, cameo=None, symmetric=False)
                elif sense.type == "CONSULT":
                    sense = replace(sense, type="REJECT", mode="meet", cameo=None, symmetric=False)
                elif sense.type in ("AID", "COOPERATE", "SUPPORT", "AGREE"):
                    sense = replace(sense, type="SANCTION", mode="discontinue", cameo=None, symmetric=False)
        holder = gov if pos.dep_ == "nsubj" else next((c for c in pos.children if c.dep_ in ("acl", "relcl")), pos)
        if light is None and noun.lemma_.lower() in ("truce", "ceasefire", "cease-fire") and \
                holder.lemma_ in ("hold", "take", "remain", "last", "stick"):
            sense = replace(sense, type="RETREAT", mode="ceasefire", cameo=None)  # an observed truce
        if light is None and noun.lemma_.lower() in SPEECH_NOUNS and sense.type in ("REQUEST", "AGREE", "THREATEN") \
                and pos.dep_ not in ("nsubj", "nsubjpass") and not self._responder(pos) and \
                not (frame and frame[0] == "accuse"):
            return  # "far from its demands", "dropped its demand": a mention, not a demand made
        if sense.type == "AID" and light is None:
            node = pos
            while node.dep_ == "pobj" and node.head.lower_ == "of":
                node = node.head.head  # "part of its aid"
            if node.dep_ == "dobj" and node.head.lemma_.lower() in WITHHOLD_VERBS:
                return  # "withheld its military aid": the withholding is the event
        if light is not None and _lemma(light) in MEDIATION_VERBS and subj_ms:
            parties = [m for p in _preps(noun).get("between", []) + _preps(light).get("between", [])
                       for m in self.actors(p)]
            if parties:  # "Qatar hosted talks between Israel and Hamas", "Russia brokered a truce between ..."
                yield from self._mediation(subj_ms, parties, noun, light, sense, f"noun:{key}+mediation")
                return
        if light is None and not self._free_noun_ok(pos, subj_ms, frame):
            return
        extra = None
        if light is None and pos.dep_ in ("nsubj", "nsubjpass"):
            extra = _preps(pos.head)  # "a call took place between X and Y"
            for t in pos.head.subtree:
                if t.dep_ == "prep" and t.lower_ == "between" and t.head is not pos.head:
                    extra.setdefault("between", []).extend(g for g in t.children if g.dep_ == "pobj")
        yield from self._assemble(sense, noun, verb, noun.i + 1, subj_ms, None, False, frame,
                                  f"noun:{key}" + (f"+light:{light.lemma_}" if light is not None else ""),
                                  extra)

    def _free_noun_ok(self, noun: Token, own: list[Mention], frame) -> bool:
        """A nominal event outside a light verb counts only as a clause's subject or object."""
        if frame is not None and frame[0] == "accuse":
            return True
        head = noun.head.head if noun.dep_ == "pobj" and noun.head.lower_ in ("for", "to") else noun.head
        if noun.dep_ in ("dobj", "pobj") and _lemma(head) in CONTENT_FRAMES | CONTENT_NOUNS:
            return False  # "demanded the force's withdrawal", "called for a ceasefire": content
        if noun.dep_ in ("nsubj", "nsubjpass", "ROOT", "appos"):
            return True
        if noun.dep_ == "pobj" and own and noun.lemma_.lower() in SPEECH_NOUNS:
            return True  # "despite pressure from Washington": a demand made, whatever the clause
        if noun.dep_ in ("dobj", "pobj", "conj") and own:
            node = noun.head
            for _ in range(4):
                if node.dep_ in ("xcomp", "advcl", "relcl", "acl") and any(c.dep_ == "aux" and c.lower_ == "to" for c in node.children):
                    return False  # "to keep their campaigns apart": a purpose, not a report
                if node.head == node:
                    break
                node = node.head
            return True
        return False

    def _noun_source(self, noun: Token) -> list[Mention]:
        own = self.finder.resolve(noun)
        if own is not None and own.head == noun.i and own.country and \
                any(c.dep_ in ("amod", "compound", "poss") for c in noun.children):
            return [own]  # "an Israeli strike": the resolver already read the nationality
        for c in noun.children:
            if c.dep_ in ("poss", "amod", "compound", "nmod") and c.i < noun.i:
                ms = [m for m in self.actors(c) if m.country or m.name]  # not a bare "military"
                if ms:
                    return ms
        for c in noun.children:
            if c.dep_ in ("prep", "agent") and c.lower_ == "by":
                for g in c.children:
                    if g.dep_ == "pobj":
                        return self.actors(g)
        if noun.lemma_.lower() in SPEECH_NOUNS:  # "pressure from Washington", "an offer from ASEAN"
            for c in noun.children:
                if c.dep_ == "prep" and c.lower_ == "from":
                    for g in c.children:
                        if g.dep_ == "pobj" and self.actors(g):
                            return self.actors(g)
                        m = self.finder.match(g) if g.dep_ == "pobj" else None
                        if m is not None and m.kind in ("capital", "country"):
                            return [self._state_mention(g, m.ref, "speech:from")]
        for c in noun.children:  # "the shelling of a market in Donetsk by Ukrainian forces"
            if c.dep_ == "prep" and c.lower_ in ("of", "on"):
                for g in c.children:
                    for gc in g.children:
                        if gc.dep_ in ("prep", "agent") and gc.lower_ == "by":
                            for o in gc.children:
                                if o.dep_ == "pobj":
                                    return self.actors(o)
        return []

    def _assemble(self, sense: Sense, trigger: Token, verb: Token, trigger_end: int,
                  subj_ms: list[Mention], obj: Token | None, passive: bool,
                  frame: tuple[str, Token] | None, rule: str,
                  extra_preps: dict[str, list[Token]] | None = None) -> Iterator[Candidate]:
        sources = list(subj_ms)
        targets: list[Mention] = []
        absorbed: int | None = None
        is_noun = trigger.pos_ in ("NOUN", "PROPN") and trigger is not verb or trigger.pos_ == "NOUN"
        preps = _preps(trigger)
        for k, v in (extra_preps or {}).items():
            preps.setdefault(k, []).extend(v)
        if verb is not trigger:
            for k, v in _preps(verb).items():
                preps.setdefault(k, []).extend(v)
        if sense.subject_is_target and not is_noun:  # "an army patrol came under fire"
            sources, targets_first = [], sources
        else:
            targets_first = []
        companions = self._companions(verb)
        if companions and sources:  # "Scholz will travel together with the French leader"
            drop = {o.i for _, o in companions}
            preps = {k: [o for o in v if o.i not in drop] for k, v in preps.items()}
            keys = {m.key for m in sources}
            sources += [m for m, _ in companions if m.key not in keys]
        if frame is not None and frame[0] == "accuse":
            accuser = frame[1]
            accused = _children(accuser, "dobj")
            if accused:
                sources = self.actors(accused[0])
        if passive and not is_noun and sense.type == "MOBILIZE":
            pas = _children(verb, "nsubjpass")  # "troops were sent": the forces are the mobiliser
            sources = sources or (self.actors(pas[0]) if pas else [])
        elif passive and not is_noun:
            pas = _children(verb, "nsubjpass")
            targets = self.actors(pas[0]) if pas else []
            if not sources and sense.type in VIOLENT:
                sources, absorbed = self._agent_of_attack(verb, preps)
        elif obj is not None and not is_noun:
            if sense.type == "MOBILIZE" or (sense.type == "AID" and not sense.dobj_is_target):
                targets = []
            else:
                targets = self.actors(obj) if sense.type in VIOLENT or sense.type in ("SANCTION", "CONSULT", "AID", "COOPERATE") else self.loose_actor(obj)
                loose = sense.type in ("SANCTION", "AID", "SUPPORT", "COOPERATE", "REQUEST", "AGREE")
                if targets and all(any(t.country == x.country and (loose or t.bare or x.bare or t.sector == x.sector)
                                       for x in sources) for t in targets):
                    targets = []  # "withheld its aid to Egypt": the possessor is not the target
                if not targets:
                    targets = self._object_owner(obj, sense.type, sources)
        targets = targets or targets_first
        dative = _children(verb, "dative")
        if not targets and dative:
            objs = _children(dative[0], "pobj") or [dative[0]]
            targets = self.actors(objs[0])
        if not targets and sense.type == "MOBILIZE":
            targets = []
        elif not targets:
            for p in sense.target:
                for pobj in preps.get(p, []):
                    targets = self.actors(pobj) or [
                        m for m in self._modifier_owner(pobj) if m.key not in {x.key for x in sources}]
                    if p == "between" and targets and not sources:
                        sources = targets
                    if targets:
                        break
                if targets:
                    break
        if not targets and obj is not None and not is_noun and sense.type in ("REJECT", "AGREE") and \
                obj.lemma_.lower() in SPEECH_NOUNS | CONTENT_NOUNS and \
                any(c.dep_ == "det" and c.lower_ in ("the", "this", "that", "these") for c in obj.children):
            # "Erdogan rejected the demand": the demand made a sentence or two before
            wanted = "REQUEST" if obj.lemma_.lower() in ("demand", "call", "request", "ultimatum", "appeal") else "AGREE"
            for start, etype, m in reversed(self.said):
                if etype == wanted and verb.sent.start - start < 120 and m.key not in {x.key for x in sources}:
                    targets = [m]
                    break
        if not targets and not is_noun and (sense.type == "REJECT" or sense.negated_type == "REJECT"):
            for t in verb.subtree:  # "refused ... despite pressure from X", "won't bow to pressure from X"
                if t.dep_ == "pobj" and t.head.lower_ in ("despite", "under", "to") and t.lemma_.lower() in SPEECH_NOUNS:
                    targets = [m for m in self._noun_source(t) if m.key not in {x.key for x in sources}]
                    if targets:
                        break
        if not targets and is_noun and sense.type in ("REQUEST", "AGREE", "THREATEN"):
            for c in trigger.children:  # "its demand that Turkey withdraw": addressed to Turkey
                if c.dep_ in ("acl", "ccomp", "relcl") and any(m.dep_ == "mark" for m in c.children):
                    targets = [m for m in self.actors(self.subject(c)) if m.key not in {x.key for x in sources}]
                    if targets:
                        break
        if not targets and is_noun and sense.type in ("REQUEST", "AGREE", "THREATEN"):
            targets = [m for m in self._responder(trigger) if m.key not in {x.key for x in sources}]
        if not targets and is_noun and sense.type not in VIOLENT:  # "its rejection of Egypt's demands"
            for pobj in _preps(trigger).get("of", []):
                targets = [m for m in self.loose_actor(pobj) if m.key not in {x.key for x in sources}]
                if targets:
                    break
        if not targets and sense.type == "PROTEST":  # "blocked roads in protest at EU policy"
            for pobj in preps.get("in", []):
                if pobj.lemma_.lower() in ("protest", "opposition", "response", "anger"):
                    for k, objs in _preps(pobj).items():
                        if k in ("at", "against", "over", "to"):
                            for o in objs:
                                targets = targets or self.actors(o) or self._modifier_owner(o)
        if not targets and sense.type in ("THREATEN", "REQUEST", "AGREE", "REJECT", "CONSULT") and verb is trigger or \
                (not targets and sense.type == "CONSULT" and verb is not trigger and verb.lemma_ not in self.lex.light_verbs):
            targets = self._complement_target(verb, sources)
        if sense.recipient and not is_noun:  # "extradited two suspects to Belgium": to whom
            rec = [m for pobj in preps.get("to", []) for m in self.actors(pobj)]
            if rec:
                targets = rec
        if sense.recipient_actor:  # "sent weapons to the army" is aid; "sent troops to Syria" is not
            targets = self._recipients(verb)
        if sense.visit:  # the visited country comes from the place ("arrived in Moscow")
            if not targets:
                for p in ("in", "to", "at"):
                    for pobj in preps.get(p, []):
                        place = self._place_state(pobj)
                        if place is not None:
                            targets = [place]
                            break
                    if targets:
                        break
            if not targets:
                return
        if sense.type == "ASSAULT" and not targets:
            targets = [m for m in self._purpose_target(trigger, verb) if m.key not in {x.key for x in sources}]
        if sense.type in VIOLENT and not targets and is_noun:
            for pobj in _preps(trigger).get("of", []):  # "the shelling of X": X is the target
                targets = self.actors(pobj)
                if targets:
                    break
        if sense.type in VIOLENT and not targets:
            place_objs = ([obj] if obj is not None and not is_noun else []) + \
                [p for k in sense.target for p in preps.get(k, [])] + \
                ([p for p in _preps(trigger).get("of", [])] if is_noun else [])
            if passive and not is_noun:
                place_objs = _children(verb, "nsubjpass")
            for o in place_objs:
                pt = self.place_target(o)
                if pt is not None:
                    targets = [pt]
                    break
        if sense.type in VIOLENT and not targets:
            objs = [obj] if obj is not None and not passive and not is_noun else []
            objs += [p for k in ("on", "against") for p in _preps(trigger).get(k, [])] if is_noun else []
            if any(self._trap(o) for o in objs):
                return  # "attacked the proposal": a word-sense trap, not violence
        if sense.type in ("ASSAULT", "MOBILIZE") and len(sources) >= 2 and _joint(trigger, verb):
            coop = Sense(type="COOPERATE", word=f"joint {trigger.lower_}")  # a joint raid, exercise
            for a in sources:
                for b in sources:
                    if a is not b and a.key != b.key:
                        yield Candidate(coop, trigger, verb, trigger_end, a, b, rule + "+joint",
                                        negated_by_frame=bool(frame and frame[0] == "negate"))
            if sense.type == "MOBILIZE":
                return  # a joint exercise is cooperation; a single-country exercise is posture
        if not targets and sense.type == "CONSULT" and len({m.key for m in sources}) >= 3:
            multi = replace(sense, mode="multilateral")  # a summit: one record per participant
            for a in {m.key: m for m in sources}.values():
                yield Candidate(multi, trigger, verb, trigger_end, a, None, rule + "+multilateral",
                                negated_by_frame=bool(frame and frame[0] == "negate"))
            return
        if not targets and len(sources) >= 2 and (sense.symmetric or sense.type in MUTUAL_TYPES) \
                and sense.type not in VIOLENT and not sense.visit and (obj is None or is_noun or sense.symmetric):
            for a in sources:
                for b in sources:
                    if a is not b and a.key != b.key:
                        yield Candidate(sense, trigger, verb, trigger_end, a, b, rule + "+mutual",
                                        negated_by_frame=bool(frame and frame[0] == "negate"),
                                        mirrored=b.start < a.start)
            return
        if not sources and not targets:
            return
        if is_noun and not sources and sense.type not in VIOLENT and not (frame and frame[0] == "accuse"):
            return  # "support for Hamas ...": a nominal event needs its agent
        if sense.host:  # "X hosted Y": Y visits X
            sources, targets = targets, sources
        patient = obj is not None or (passive and bool(_children(verb, "nsubjpass"))) or \
            any(preps.get(p) for p in sense.target)
        pairs = [(s, t, False) for s in sources or [None] for t in targets or [None]]
        if sense.symmetric and sense.type not in ("RETREAT",):  # talks with X: mirrored records
            pairs += [(t, s, True) for s, t, _ in pairs if s is not None and t is not None]
        for s, t, mirror in pairs:
            if True:
                if s is not None and t is not None and s.key == t.key and s.head == t.head:
                    continue
                yield Candidate(sense, trigger, verb, trigger_end, s, t, rule,
                                negated_by_frame=bool(frame and frame[0] == "negate"),
                                embedded_in=frame[1] if frame and frame[0] == "accuse" else None,
                                absorbs=absorbed, mirrored=mirror, patient=patient)

    def _responder(self, noun: Token) -> list[Mention]:
        """Who answers a demand, offer or threat is whom it was addressed to: "X rejected Y's
        demands", "X turned down Y's invitation", "X will not bow to pressure from Y"."""
        node = noun
        if node.dep_ == "pobj" and node.head.dep_ == "prep":
            node = node.head
        if node.dep_ not in ("dobj", "prep", "nsubjpass"):
            return []
        gov = node.head
        if gov.pos_ not in ("VERB", "AUX"):
            return []
        key = gov.lemma_.lower() + (f" {_particle(gov)}" if _particle(gov) else "")
        if key not in RESPONSE_VERBS and gov.lemma_.lower() not in RESPONSE_VERBS and \
                not (node.dep_ == "prep" and node.lower_ in ("despite", "under")):
            return []
        if node.dep_ == "nsubjpass":
            agents = [o for a in _children(gov, "agent") for o in _children(a, "pobj")]
            return self.actors(agents[0]) if agents else []
        return self.actors(self.subject(gov))

    def _companions(self, verb: Token) -> list[tuple[Mention, Token]]:
        """Actors who act with the subject: "together with X", "along with X", "alongside X"."""
        out = []
        for c in verb.children:
            preps = []
            if c.dep_ == "prep" and (c.lower_ == "alongside" or c.lower_ == "with" and
                                     c.i > 0 and c.doc[c.i - 1].lower_ in ("together", "along")):
                preps.append(c)
            elif c.lower_ in ("together", "along"):
                preps += [g for g in c.children if g.dep_ == "prep" and g.lower_ == "with"]
            for p in preps:
                for o in p.children:
                    if o.dep_ == "pobj":
                        out += [(m, o) for m in self.actors(o)]
        return out

    def _modifier_owner(self, tok: Token) -> list[Mention]:
        """An actor named as a modifier of a non-actor noun ("Belarusian exports")."""
        for c in tok.children:
            if c.dep_ in ("poss", "compound", "amod", "nmod") and c.i < tok.i:
                ms = self.actors(c)
                if ms:
                    return ms
                m = self.finder.match(c)
                if m is not None and m.kind in ("adjective", "country"):
                    return [self._state_mention(c, m.ref, "owner:modifier")]
        return []

    def _state_mention(self, tok: Token, iso3: object, rule: str) -> Mention:
        return Mention(tok.i, tok.i + 1, tok.i, tok.text, self.finder._state_name(str(iso3)), str(iso3),
                       "GOV", None, "state", bare=True, rule=rule)

    def _object_owner(self, obj: Token, etype: str, sources: list[Mention]) -> list[Mention]:
        """The actor a thing belongs to or concerns: "ties with Iran", "imports from Poland",
        "the ban on the party", "Islamic State strongholds", "Belarusian potash exports"."""
        src = {m.key for m in sources}
        src_c = {m.country for m in sources if m.country}

        loose = etype in ("SANCTION", "AID", "SUPPORT", "COOPERATE", "REQUEST", "AGREE")

        def ok(ms: list[Mention]) -> list[Mention]:
            return [m for m in ms if m.key not in src and not ((m.bare or loose) and m.country in src_c)]

        ms = ok(self._modifier_owner(obj))
        if ms:
            return ms
        preps = ("with", "on", "against", "from", "of", "to", "over") if etype not in VIOLENT else ("of",)
        frontier = [obj]
        for _ in range(2):  # the object phrase, two prepositions deep, no clauses
            nxt = []
            for node in frontier:
                for c in node.children:
                    if c.dep_ == "prep" and c.lower_ in preps:
                        for g in c.children:
                            if g.dep_ == "pobj":
                                ms = ok(self.actors(g))
                                if ms:
                                    return ms
                                nxt.append(g)
            frontier = nxt
        return []

    def _agent_of_attack(self, verb: Token, preps: dict[str, list[Token]]) -> tuple[list[Mention], int | None]:
        """Who did a passive killing with no agent: "killed in an Israeli strike",
        "killed when Syrian jets bombed their convoy"."""
        for p in ("in", "during"):
            for pobj in preps.get(p, []):
                found = self.noun_senses(pobj)
                if found and any(s.type == "ASSAULT" for s in found[1]):
                    src = self._noun_source(pobj)
                    if src:
                        return src, pobj.i
        for c in verb.children:
            if c.dep_ == "advcl" and any(m.lower_ in ("when", "as", "after") for m in c.children
                                         if m.dep_ in ("mark", "advmod")):
                found = self.verb_senses(c)
                if found and any(s.type == "ASSAULT" for s in found[1]) and not self.passive(c):
                    src = self.actors(self.subject(c))
                    if src:
                        return src, c.i
        return [], None

    def _complement_target(self, verb: Token, sources: list[Mention]) -> list[Mention]:
        """The first actor in the verb's object or complement clause that is not the source."""
        src = {m.key for m in sources}
        src_c = {m.country for m in sources if m.country}
        for c in verb.children:
            if c.dep_ not in ("dobj", "xcomp", "ccomp", "dative") and not (
                    c.dep_ == "advcl" and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children)):
                continue
            for t in c.subtree:
                if t.pos_ not in ("NOUN", "PROPN") or t.dep_ in ("compound",):
                    continue
                m = self.actor(t) or next(iter(self._modifier_owner(t)), None)
                if m is not None and m.key not in src and not (m.country in src_c and
                                                                (m.bare or m.kind in ("state", "metonym"))):
                    return [x for x in self.actors(t) if x.key not in src] or [m]
        return []

    def place_target(self, tok: Token) -> Mention | None:
        """A place (or a civilian object in a place) attacked: its country, with a civilian sector."""
        places = [t for t in tok.subtree if t.ent_type_ in ("GPE", "LOC", "FAC")]
        if not places:
            return None
        state = self._place_state(places[0])
        if state is None:
            return None
        lemmas = {t.lemma_.lower() for t in tok.subtree}
        sector = None
        if lemmas & {"hospital", "clinic"}:
            sector = "MED"
        elif lemmas & {"school", "university"}:
            sector = "EDU"
        elif lemmas & CIVILIAN_PLACES:
            sector = "CVL"
        return Mention(tok.i, tok.i + 1, tok.i, " ".join(t.text for t in tok.subtree)[:80], None,
                       state.country, sector, None, "place", rule="target:place")

    def _recipients(self, verb: Token) -> list[Mention]:
        """Actors (not bare places) that receive: "to the army", dative objects."""
        rec = [m for pobj in _preps(verb).get("to", []) for m in self.actors(pobj)]
        rec = [m for m in rec if not m.bare and m.kind != "metonym"]
        for d in _children(verb, "dative"):
            rec += self.actors((_children(d, "pobj") or [d])[0])
        for c in verb.children:  # "sent troops to help the Syrian army"
            if c.dep_ in ("advcl", "xcomp") and c.lemma_ in HELP_VERBS:
                for o in _children(c, "dobj"):
                    rec += [m for m in self.actors(o) if not m.bare or m.kind == "state"]
            if c.dep_ in ("advcl", "xcomp") and c.lemma_ in ("fight", "battle"):  # "to fight for Azerbaijan"
                for p in _preps(c).get("for", []) + _preps(c).get("alongside", []):
                    rec += self.actors(p)
        return rec

    def _trap(self, tok: Token | None) -> bool:
        """True when ``tok`` is a non-actor, non-physical object ("attack on the proposal")."""
        if tok is None or self.actors(tok):
            return False
        if tok.ent_type_ in ("GPE", "LOC", "FAC", "NORP", "ORG", "PERSON", "DATE", "TIME", "CARDINAL"):
            return False
        return not any(t.lemma_.lower() in PHYSICAL_TARGETS for t in tok.subtree)

    def _place_state(self, tok: Token) -> Mention | None:
        m = self.finder.match(tok)
        if m is not None and m.kind in ("capital", "country"):
            iso3 = m.ref
            return Mention(tok.i, tok.i + 1, tok.i, tok.text, self.finder._state_name(iso3), iso3,
                           "GOV", None, "state", rule="visit:place")
        try:
            from ..places import Gazetteer

            place = Gazetteer.default().resolve(tok.text)
        except Exception:
            place = None
        if place is not None and place.country:
            return Mention(tok.i, tok.i + 1, tok.i, tok.text, self.finder._state_name(place.country),
                           place.country, "GOV", None, "state", rule="visit:gazetteer")
        return None


def extract_sentence(extractor: Extractor, sent: Span) -> list[Candidate]:
    """Candidates of one sentence, de-duplicated (one per type and dyad, richest first)."""
    cands = list(extractor.sentence(sent))
    absorbed = {c.absorbs for c in cands if c.absorbs is not None}
    cands = [c for c in cands if c.trigger.i not in absorbed]
    out: list[Candidate] = []
    seen: set = set()
    for c in sorted(cands, key=lambda c: (c.target is None, c.source is None, c.trigger.i)):
        key = (c.sense.type, c.source.key if c.source else None, c.target.key if c.target else None)
        if key in seen:
            continue
        if c.target is None and any(o.sense.type == c.sense.type and o.source is not None and c.source is not None and o.source.key == c.source.key for o in out):
            continue
        if c.source is None and any(o.sense.type == c.sense.type and o.target is not None and c.target is not None and o.target.key == c.target.key for o in out):
            continue
        seen.add(key)
        out.append(c)
    for c in out:
        if c.sense.type in ("REQUEST", "AGREE") and c.source is not None:
            extractor.said.append((sent.start, c.sense.type, c.source))
    assault_sources = {c.source.key for c in out if c.sense.type == "ASSAULT" and c.source}
    out = [c for c in out if not (c.sense.type == "MOBILIZE" and c.source and c.source.key in assault_sources)]
    return sorted(out, key=lambda c: c.trigger.i)
