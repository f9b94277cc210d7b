"""Governing frames and clause status: whether a trigger's clause is reported, suppressed, negated or an accusation."""
from __future__ import annotations

from spacy.tokens import Token

from ..actors.resolve import ActorFinder, Mention
from .lexicon import Lexicon
from .syntax import _children, _lemma, _obj, _particle, _preps
from .words import ACCUSATION_NOUNS, CONTENT_FRAMES, CONTENT_NOUNS, DECISION_VERBS, RESPONSE_VERBS, SPEECH_NOUNS, THREAT_VERBS, WARN_VERBS


#: verbs of asking: what they ask for is not reported as done (PLOVER codes the REQUEST)
REQUEST_FRAMES = frozenset({"demand", "call", "urge", "ask", "request", "press", "push", "appeal", "pressure",
                            "implore", "beg", "exhort"})
#: verbs of asking whose direct object is what is asked for
ASKED_OBJECT_FRAMES = frozenset({"demand", "request", "urge", "ask"})
#: verbs whose object clause reports what they brought about ("prompted Mattis to resign")
CAUSE_VERBS = frozenset({"prompt", "spur"})
ATTEMPT_VERBS = frozenset({"try", "attempt"})  # a made attempt (past); "is seeking to strike" is intent
ACCUSE_VERBS = frozenset({"accuse", "blame", "charge", "condemn", "criticise", "criticize", "denounce"})


#: auxiliaries of obligation: what "should" or "must" happen is demanded, not reported
DEONTIC_AUX = frozenset({"should", "must"})


def deontic(verb: Token) -> bool:
    """True when ``verb`` is said to be owed ("Lukashenko should resign", "Russia must withdraw"); not
    a guess or a reproach about the past ("must have fired", "should have extradited")."""
    aux = [a for a in verb.children if a.dep_ == "aux"]
    return any(a.lower_ in DEONTIC_AUX for a in aux) and not any(a.lemma_ == "have" for a in aux)


#: verbs whose "to" clause is what their subject means to do ("does not intend to negotiate")
INTENT_VERBS = frozenset({"intend", "plan", "want", "wish", "mean"})
#: nouns of what a party means to do ("has no intention of negotiating", "no plans to withdraw")
INTENT_NOUNS = frozenset({"intention", "intent", "plan", "desire", "interest", "wish"})


def _negated_here(verb: Token) -> bool:
    """The verb itself is negated ("does not intend", "has never had any intention")."""
    return any(c.dep_ == "neg" or c.lower_ == "never" for c in verb.children)


def _ruling_out(verb: Token) -> bool:
    return _lemma(verb) == "rule" and _particle(verb) == "out"


def _gerund_object(node: Token, gov: Token) -> bool:
    """A gerund right after its verb (and particle) is the verb's object clause, whatever label the
    parser gives it ("ruled out sending tanks"); "attacked the town, killing five" is not."""
    after = gov.i + 1 + (1 if _particle(gov) else 0)
    return node.tag_ == "VBG" and node.i == after and not _children(node, "nsubj")


def refused_intent(verb: Token) -> Token | None:
    """The verb of a negated intention that ``verb``'s act is the content of, whose subject is
    the one who has no such intention: "Moscow has no intention of negotiating with Kyiv", "the
    government has no plans to withdraw its troops", "does not have any intention of withdrawing",
    "China does not intend to negotiate with Taiwan". The act is then disclaimed for the future
    (negated and future, convention `refused-intent`): a refusal when it is a meeting, aid, support
    or a retreat, a negated act otherwise ("has no plans to attack the city")."""
    node = verb
    if node.dep_ == "conj" and node.head.pos_ in ("VERB", "AUX"):
        node = node.head  # "no intention of meeting or negotiating with X"
    if node.dep_ == "xcomp" and _lemma(node.head) in INTENT_VERBS:
        holder = node.head
        return holder if _negated_here(holder) else None
    noun = None
    if node.dep_ == "pcomp" and node.head.lower_ in ("of", "in") and node.head.head.pos_ == "NOUN":
        noun = node.head.head  # "no intention of negotiating", "no interest in meeting"
    elif node.dep_ == "acl" and node.head.pos_ == "NOUN" and any(
            c.dep_ == "aux" and c.lower_ == "to" for c in node.children):
        noun = node.head  # "no plans to withdraw"
    if noun is None or noun.lemma_.lower() not in INTENT_NOUNS:
        return None
    holder = noun.head
    if noun.dep_ not in ("dobj", "attr") or holder.pos_ not in ("VERB", "AUX") or _lemma(holder) not in ("have", "be"):
        return None
    if any(c.dep_ == "det" and c.lower_ == "no" for c in noun.children) or _negated_here(holder):
        return holder
    return None


class FramesMixin:
    """Clause status for `Extractor`: frames above a trigger, decisions, predictions, threat conditions."""

    finder: ActorFinder
    lex: Lexicon

    def frame_of(self, verb: Token) -> tuple[str, Token] | None:
        """How a governing frame treats this clause: ('suppress'|'negate'|'accuse', frame verb)."""
        node = verb
        if node.dep_ == "conj" and node.tag_ in ("VB", "VBG") and node.head.dep_ in ("xcomp", "ccomp", "pcomp") and \
                node.head.head.pos_ in ("VERB", "AUX", "ADP") and not _children(node, "nsubj", "nsubjpass"):
            node = node.head  # "urged Minsk to end the violence and release all detainees": both acts are
            #                   asked for (a finite verb, "... and called on Y", has a frame of its own)
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
                (any(c.dep_ == "aux" and c.lower_ == "to" or c.dep_ == "mark" and c.lower_ == "that"
                     for c in node.children) or (node.dep_ == "acl" and node.tag_ == "VBG")):
            # "an agreement to restore relations", "its demand that X leave", "a proposal imposing tariffs"
            return "suppress", node.head
        if node.dep_ == "ccomp" and deontic(node) and node.head.pos_ in ("VERB", "AUX"):
            return "suppress", node.head  # "said Lukashenko should resign": a demand, coded as one
        if node.dep_ in ("xcomp", "ccomp", "pcomp", "advcl") or (node.dep_ == "pobj" and node.head.dep_ == "prep"):
            gov = node.head
            if gov.dep_ == "prep" or gov.pos_ == "ADP":
                prep = gov
                gov = gov.head
                if gov.dep_ == "dobj" and prep.lower_ in ("of", "for") and gov.head.lemma_ in ACCUSE_VERBS:
                    gov = gov.head  # "accused the rebels of attacking": the parser hangs "of" on the accused
                if gov.lemma_ in ACCUSE_VERBS and prep.lower_ in ("of", "for"):
                    return "accuse", gov
            key = gov.lemma_
            prt = _particle(gov)
            if prt and f"{key} {prt}" in self.lex.negate_frames | self.lex.suppress_frames:
                key = f"{key} {prt}"
            if key in self.lex.negate_frames and not any(
                    o.lemma_.lower() in ACCUSATION_NOUNS for o in _children(gov, "dobj")):
                # ("X accused Y of Z, a charge W denies" parses as "W denies a charge": the
                # accusation itself is not denied)
                return "negate", gov
            if key in self.lex.pass_through:
                return None
            if node.dep_ == "xcomp" and self._decision(gov):
                return None  # "the EU agreed to impose sanctions": the decided act is the event
            if key in ("tell", "inform", "assure") and node.dep_ == "ccomp":
                return None  # "told the mediators that it accepted": reported speech, not a command
            if key in ATTEMPT_VERBS and node.dep_ == "xcomp" and gov.tag_ in ("VBD", "VBN") and self._forceful(node):
                # "protesters tried to storm the compound", "farmers tried to march on Delhi": an
                # attempted attack or march is one
                return None
            if key in ("refuse", "decline") and node.dep_ == "xcomp" and _ruling_out(node):
                return "negate", gov  # "refused to rule out force": not ruled out, so threatened
            if key in self.lex.suppress_frames and (node.dep_ in ("xcomp", "ccomp", "pcomp") or _gerund_object(node, gov)):
                return "suppress", gov
            if node.dep_ in ("xcomp", "advcl") and _lemma(gov) in ("use", "employ") and _children(gov, "dobj"):
                return None  # "used missiles to strike targets": the use is the strike
            if key in CAUSE_VERBS:
                return None  # "prompting Pompeo to denounce ...": what was prompted happened
            if node.dep_ in ("xcomp", "advcl") and any(c.dep_ == "aux" and c.lower_ == "to" for c in node.children):
                return "suppress", gov  # "united to fight": a purpose, not a report of fighting
        return None

    def refused_intent(self, verb: Token) -> Token | None:
        """See `refused_intent`."""
        return refused_intent(verb)

    def contradicts(self, trigger: Token, etype: str) -> bool:
        """True when the lexicon knows the trigger word only in cooperative senses and ``etype`` is a
        use of force, or only as force and ``etype`` is cooperative (a truce, talks or a release read
        as an attack; an attack read as aid): the model may add words the lexicon lacks, not turn a
        known word's meaning round."""
        lemma = trigger.lemma_.lower()
        senses = (self.lex.nouns.get(lemma) if trigger.pos_ in ("NOUN", "PROPN") else self.lex.verbs.get(lemma)) or []
        if not senses:
            return False
        if etype in FORCE_TYPES:
            return all(s.type in COOPERATIVE_TYPES for s in senses)
        if etype in COOPERATIVE_TYPES:
            return all(s.type in FORCE_TYPES for s in senses)
        return False  # a refusal, a threat or a sanction may well turn on a cooperative word

    def unreported(self, trigger: Token, verb: Token) -> bool:
        """True when the frames say an event found at ``trigger`` is only asked for: "demanded that
        Belarus free the contractors", "called for the release of". PLOVER codes the demand
        (REQUEST), not the act; the rules never code these, and the model's own triggers are held to
        the same convention. (What is offered, promised or alleged is coded: an offer is an AGREE,
        an alleged act an event with its attribution; the condition of a threat is coded by both
        golds' coders as a hypothetical event.)"""
        from .extract import questioned  # a yes/no question asserts no event
        if questioned(verb, trigger):
            return True
        frame = self.frame_of(verb)
        if frame is not None and frame[0] == "suppress" and (_lemma(frame[1]) in REQUEST_FRAMES or deontic(verb)):
            return True
        if trigger.pos_ in ("NOUN", "PROPN"):
            if trigger.dep_ == "pobj" and trigger.head.lower_ == "for" and _lemma(trigger.head.head) in REQUEST_FRAMES:
                return True  # "called for the release of"
            if trigger.dep_ == "dobj" and _lemma(trigger.head) in ASKED_OBJECT_FRAMES:
                return True  # "demanded the release of" ("called a strike", "pressed its assault" are done)
        return False

    def _forceful(self, verb: Token) -> bool:
        found = self.verb_senses(verb)
        return found is not None and any(s.type in ("ASSAULT", "PROTEST") for s in found[1])

    def _decision(self, verb: Token) -> bool:
        """One party deciding to act ("agreed to impose", "voted to readmit", "decided to expel")."""
        if verb.lemma_ not in DECISION_VERBS:
            return False
        if verb.lemma_ == "agree":
            if "with" in _preps(verb) or len(self.actors(self.subject(verb))) != 1:
                return False  # "X and Y agreed to", "agreed with X to": a mutual agreement
        for c in verb.children:
            if c.dep_ == "xcomp":
                found = self.verb_senses(c)
                if found is not None and (verb.lemma_ != "agree" or any(
                        self._fits(s, c, _obj(c), self.actors(self.subject(c))) for s in found[1])):
                    return True  # (what is agreed must be an act the lexicon codes: "agreed to release
                    #               the second tranche of a loan" is no release, so the agreement is coded)
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
            if node.dep_ == "advcl" and any(c.lower_ == "unless" for c in node.children if c.dep_ == "mark"):
                return True  # "would march on La Paz unless Anez stepped down": a condition is never a report
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

    def _free_noun_ok(self, noun: Token, own: list[Mention], frame) -> bool:
        """A nominal event outside a light verb counts only as a clause's subject or object."""
        if frame is not None and frame[0] == "accuse":
            return True
        head = noun.head.head if noun.dep_ == "pobj" and noun.head.lower_ in ("for", "to") else noun.head
        if noun.dep_ in ("dobj", "pobj") and _lemma(head) in CONTENT_FRAMES | CONTENT_NOUNS and \
                not (noun.lemma_.lower() in SPEECH_NOUNS and _lemma(head) in RESPONSE_VERBS):
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


#: PLOVER's cooperative types, and its uses of force
COOPERATIVE_TYPES = frozenset({"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST"})
FORCE_TYPES = frozenset({"ASSAULT", "COERCE", "MOBILIZE"})
