"""Event extraction: trigger words → PLOVER event candidates with source and target mentions.

For each sentence, verbs and nouns are looked up in the trigger lexicon; a sense is chosen by its
constraints (object, preposition, subject sector); the arguments come from the dependency parse
(active and passive voice, light verbs, control and coordination, embedded accusations); conjoined
actors give one candidate each; symmetric interactions give mirrored pairs.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from spacy.tokens import Span, Token

from ..actors.resolve import ActorFinder, Mention
from .arguments import ArgumentsMixin
from .frames import FramesMixin, _ruling_out, deontic
from .lexicon import Lexicon, Sense
from .senses import SensesMixin
from .syntax import _children, _joint, _lemma, _obj, _particle, _phrase_lemmas, _preps
from .words import (ANAPHOR_MANNERS, COUP_JUDGED, COUP_NOUNS, MEDIATED_MEETINGS, EVENT_ANAPHORS, STANCE_VERBS, ACCUSATION_NOUNS, DENY_VERBS, DESCRIPTOR_TYPES, DISASTER, EQUIPMENT, MEDIATION_VERBS, MEDIATOR_NOUNS, MEET_WORDS,
                    MEETING_PREPS, MUTUAL_TYPES, NO_COMMENT, NON_POLITICAL, NOT_VIOLENT_MODIFIERS,
                    PROTEST_PREPS, READY_ADJ, REVERSING_LIGHT, SCORELINE, SERIES_NOUNS, SPEECH_NOUNS,
                    VIOLENT, WARN_VERBS, WEAK_NON_POLITICAL, WITHHOLD_VERBS)

__all__ = ["Candidate", "extract_sentence", "NON_POLITICAL"]

# giving up a demand or a threat is a concession (PLOVER; gold README: "a dropped demand")
#: "on suspicion of", "on charges of": an arrest that comes with an accusation
CHARGE_NOUNS = frozenset({"suspicion", "charge", "accusation", "allegation"})
ARREST_VERBS = frozenset({"arrest", "detain", "hold", "jail", "imprison", "sentence", "remand", "charge", "indict",
                          "convict", "try", "prosecute", "extradite", "deport", "seize", "question", "summon"})
DROP_VERBS = frozenset({"drop", "abandon", "withdraw", "shelve", "waive", "relinquish", "rescind", "retract"})
# an offensive in a time phrase is the subject's only when the clause reports ground gained
# ("took the city after a lightning offensive"), not losses ("fled after an offensive")
GAIN_VERBS = frozenset({"take", "capture", "seize", "retake", "recapture", "overrun", "tighten", "gain",
                        "advance", "push", "storm", "enter", "extend", "consolidate", "expand", "win",
                        "secure", "reach", "encircle", "surround"})
SIZE_WORDS = frozenset({"lightning", "major", "new", "fresh", "surprise", "massive", "large", "big", "broad",
                        "renewed", "sweeping", "rapid", "swift", "ground", "final", "latest"})
GATHERING_VERBS = frozenset({"sit", "gather", "arrive", "come", "travel", "fly", "convene", "assemble", "head",
                             "go", "meet", "land", "return", "reconvene", "due"})
CIRCUMSTANCE_PREPS = frozenset({"after", "following", "during", "in", "with", "amid"})
#: nouns that, done jointly against no one named, are the partners' cooperation and no act of force of
#: their own ("a joint operation near the border"; "a joint raid" is a raid too)
JOINT_ONLY_NOUNS = frozenset({"operation", "mission"})
FIGHTING_SECTORS = frozenset({"MIL", "REB", "PRM", "UAF"})
#: acts aimed at their object itself even at home: "Biden urged Congress", "Turkey accused the PKK",
#: "Ankara condemned the PKK" (a possessor read off the object is still no target)
ADDRESSED_TYPES = frozenset({"REQUEST", "ACCUSE", "REJECT", "THREATEN"})
#: what mediators host ("talks in Jeddah hosted by Saudi Arabia")
MEETING_NOUNS = frozenset({"talk", "negotiation", "meeting", "round", "dialogue", "summit", "conference"})
#: what migrants come in; who is aboard is who is pushed back
BOATS = frozenset({"boat", "dinghy", "raft", "vessel", "ship", "skiff", "canoe"})
CARRYING_VERBS = frozenset({"carry", "transport", "ferry", "bring", "hold"})
MIGRANT_WORDS = frozenset({"migrant", "refugee", "seeker", "asylum-seeker", "people", "person", "passenger"})
#: verbs that judge their object "as" something ("dismissed the report as fabricated")
JUDGING_VERBS = frozenset({"dismiss", "reject", "brand", "describe", "label", "denounce", "condemn", "decry", "deride"})
#: the note of an act its agent says it has no intention of doing (convention `refused-intent`)
REFUSED_INTENT = "refused-intent"
#: searches done "in" or "during" which a force takes people or goods ("arrested 20 people in raids")
RAID_NOUNS = frozenset({"raid", "search"})
#: the acts of taking people or goods into custody that a raid is the search of
CUSTODY_VERBS = frozenset({"arrest", "detain", "seize", "confiscate", "apprehend", "round", "nab", "capture"})


#: What is fired, dropped or launched (not platforms or units: "attacked a convoy" has a target).
MUNITIONS = frozenset({"missile", "rocket", "shell", "bomb", "drone", "munition", "grenade", "mortar",
                       "projectile", "warhead", "bullet"})


#: an act said to be done "also" takes the party of the same kind of act just reported
PARALLEL_KINDS = {"AID": frozenset({"AID", "AGREE"}), "AGREE": frozenset({"AID", "AGREE"}),
                  "SANCTION": frozenset({"SANCTION"}), "SUPPORT": frozenset({"SUPPORT"}),
                  "ACCUSE": frozenset({"ACCUSE"})}
PARALLEL_ADVERBS = frozenset({"also", "too", "likewise", "similarly"})
#: heads of what customs or police hold that is no person ("detained a shipment of weapons")
DETAINED_GOODS = frozenset({"shipment", "consignment", "cargo", "contraband", "goods", "kilogram", "kilo", "tonne",
                            "ton", "gram", "pound", "drug", "narcotic", "cocaine", "heroin", "cannabis",
                            "methamphetamine", "cigarette", "cash", "currency"})
#: verbs of letting someone in or do something ("allowed X to operate", "let X reach them")
LETTING_VERBS = frozenset({"allow", "let", "permit"})
#: verbs that pass a prison term on to someone ("a court gave / handed X ten years in prison"); in
#: the passive ("X was given ten years by a court") the one who passed it is the agent
PASSING_VERBS = frozenset({"give", "hand"})
#: the words of a prison term or a deadline the parser may leave off the object ("gave X ten years
#: in prison", "gave the ambassador 48 hours to leave")
TERM_WORDS = frozenset({"year", "month", "life", "week", "day", "hour"})


def _also(verb: Token) -> bool:
    """The clause says its act repeats another's: "Germany has also promised", "Norway did too"."""
    return any(c.dep_ == "advmod" and c.lower_ in PARALLEL_ADVERBS for c in verb.children)


def bare_munition(m: Mention | None) -> bool:
    """A munition named without its owner ("launched missiles at Kharkiv", "the drones") is the
    instrument of an attack, not its target; "Russian drones" (shot down) names an armed force."""
    words = str(getattr(m, "text", "") or "").split()
    if not words or any(w[:1].isupper() for w in words):
        return False
    head = words[-1].lower()
    return head in MUNITIONS or (head.endswith("s") and head[:-1] in MUNITIONS)


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


class Extractor(SensesMixin, ArgumentsMixin, FramesMixin):
    """Finds candidates in the sentences of one document."""

    def __init__(self, finder: ActorFinder, lex: Lexicon) -> None:
        self.finder, self.lex = finder, lex
        # per token of the document: lexicon lookups and actors, found once (`SensesMixin`, `ArgumentsMixin`)
        self._verb_senses: dict = {}
        self._noun_senses: dict = {}
        self._actors: dict = {}
        # (sentence start, type, source, target, trigger lemma) of the events coded so far, for event anaphora
        self.said: list[tuple[int, str, Mention | None, Mention | None, str]] = []
        # where the last sentence coded ended, and its candidates of its main verb
        self.previous: tuple[int, list[Candidate]] = (-1, [])
        self.accused: list[tuple[int, Candidate]] = []  # events embedded in accusations, for denials  # (sentence start, type, source) of demands and offers

    def followers(self, sent: Span, cands: list[Candidate]) -> Iterator[Candidate]:
        """"Washington recognised Guaido, and Canada and Peru followed (suit)": the followers did
        the same to the same party — the act of the verb "followed" is conjoined to, or of the
        previous sentence's main verb."""
        for tok in sent:
            if _lemma(tok) != "follow" or tok.pos_ != "VERB" or self.passive(tok):
                continue
            objs = _children(tok, "dobj")
            if objs and objs[0].lemma_.lower() not in ("suit", "lead", "example"):
                continue  # "followed the convoy", "followed the talks"
            followers = self.actors(self.subject(tok)) if tok.dep_ != "conj" or _children(tok, "nsubj") else []
            if not followers:
                continue
            if tok.dep_ == "conj":
                led = [c for c in cands if c.verb.i == tok.head.i]
            elif tok.i == sent.root.i and self.previous[0] == sent.start:
                led = self.previous[1]
            else:
                led = []
            keys = {m.key for m in followers}
            for c in led:
                if c.mirrored or c.negated_by_frame or c.source is None or c.source.key in keys:
                    continue
                for m in _unique(followers):
                    if c.target is None or c.target.key != m.key:
                        yield Candidate(c.sense, tok, tok, tok.i + 1, m, c.target, "verb:follow suit+" + c.rule)

    def event_anaphor(self, noun: Token, sources: list[Mention], *,
                      judged: bool = False) -> tuple[Mention, Mention | None] | None:
        """(source, target) of the earlier event a definite noun refers to: "the measures",
        "the demand", "these strikes" -> the last such event in this or the previous sentences
        (about 120 tokens) whose author is not one of ``sources``. With ``judged`` (what a speaker
        calls "outrageous"), a noun naming a material act ("the diversion", "the closure",
        `JUDGED_ACTS`) refers to the last material act."""
        kinds = EVENT_ANAPHORS.get(noun.lemma_.lower())
        if kinds is None and judged and noun.lemma_.lower() in JUDGED_ACTS:
            kinds = EVENT_ANAPHORS["move"]
        if kinds is None or not any(c.dep_ == "det" and c.lower_ in ("the", "this", "that", "these", "those")
                                    or c.lower_ == "same" for c in noun.children):
            return None
        if any(c.dep_ in ("poss", "compound", "amod") and self.finder.resolve(c) is not None
               for c in noun.children):
            return None  # "the EU measures" names its author
        own = {x.key for x in sources}
        for c in noun.children:  # "the steps taken by Azerbaijan", "the measures imposed by the EU": named too
            if c.dep_ == "acl" and c.tag_ == "VBN":
                for o in (o for a in _children(c, "agent") for o in _children(a, "pobj")):
                    author = self.finder.resolve(o)
                    if author is not None and author.key not in own:
                        return author, None
                if _children(c, "agent"):
                    return None
        manners = ANAPHOR_MANNERS.get(noun.lemma_.lower())
        found = None
        # an act named by its manner is looked for further back (about 250 tokens, a paragraph or two)
        for start, etype, src, tgt, word in reversed(self.said):
            if noun.sent.start - start >= (250 if manners else 120):
                break
            if start >= noun.sent.start:
                continue  # an event of this sentence is not "the" earlier one
            if etype in kinds and src is not None and src.key not in own:
                # "a drone hit ...": a strike of no known author is the fallback of "the strikes"
                known = src.country is not None or src.id is not None or src.name is not None
                if manners is None or (word in manners and known):
                    return src, tgt
                if noun.sent.start - start < 120:
                    found = found or (src, tgt)  # "the strikes" after a ground assault: only if no strike
        return found

    def coup_makers(self, noun: Token, sources: list[Mention]) -> Mention | None:
        """"welcomed the coup", "condemned the putsch in Niger": who is judged is who made the coup,
        the military of the country it took place in ("the coup in Niger", "Niger's coup", or the
        one country the story's coups are said to be in), not a place or an event."""
        if noun.lemma_.lower() not in COUP_NOUNS:
            return None

        def country_of(n: Token) -> str | None:
            for c in n.children:
                toks = [c] if c.dep_ in ("poss", "amod", "compound", "nmod") else \
                    _children(c, "pobj") if c.dep_ == "prep" and c.lower_ in ("in", "of") else []
                for t in toks:
                    m = self.finder.resolve(t)
                    if m is not None and m.country and m.country in self.finder.cat.states and \
                            m.kind in ("state", "agent", "metonym"):
                        return m.country
            return None

        country = country_of(noun)
        if country is None:
            found = {country_of(t) for t in noun.doc if t.lemma_.lower() in COUP_NOUNS and t.i != noun.i} - {None}
            country = found.pop() if len(found) == 1 else None
        if country is None or any(x.country == country for x in sources):
            return None
        return Mention(noun.i, noun.i + 1, noun.i, noun.text, None, country, "MIL", kind="agent",
                       rule="coup:makers")

    def joint_with(self, cands: list[Candidate]) -> Iterator[Candidate]:
        """"troops arrived for a joint force with the Belarusian army", "drills as part of joint
        exercises with Egypt": cooperation between the event's source and the partner."""
        done = set()
        for c in cands:
            if c.source is None or c.sense.type not in ("MOBILIZE", "COOPERATE", "AID", "CONSULT") \
                    or c.verb.i in done:
                continue
            done.add(c.verb.i)
            for prep in c.verb.children:
                if prep.dep_ != "prep" or prep.lower_ not in ("for", "in", "to", "into", "as", "under"):
                    continue
                for noun in prep.children:
                    if noun.dep_ != "pobj" or not any(m.lower_ in ("joint", "combined") for m in noun.children
                                                      if m.dep_ in ("amod", "compound")):
                        continue
                    for partner in _preps(noun).get("with", []):
                        for m in self.actors(partner):
                            if m.key != c.source.key and m.country != c.source.country:
                                yield Candidate(Sense(type="COOPERATE", word=f"joint {noun.lower_}"), noun,
                                                c.verb, noun.i + 1, c.source, m, "noun:joint-with")

    def _gains_ground(self, verb: Token) -> bool:
        return _lemma(verb) in GAIN_VERBS or (self.verb_senses(verb) is not None and any(
            s.type == "ASSAULT" for s in self.verb_senses(verb)[1]))

    def parallel_target(self, trigger: Token, kinds: frozenset[str], sources: list[Mention]) -> list[Mention]:
        """The target of the last earlier event of these kinds by another party, in this or the
        previous sentences (about 120 tokens), for an act said to be done "also" or "too"."""
        own = {x.key for x in sources}
        own_c = {x.country for x in sources if x.country}
        for start, t, src, tgt, _ in reversed(self.said):
            if trigger.sent.start - start >= 120:
                break
            if start >= trigger.sent.start:
                continue
            if t in kinds and tgt is not None and src is not None and src.key not in own and \
                    tgt.key not in own and tgt.country not in own_c:
                return [tgt]
        return []

    def same_targets(self, noun: Token, etype: str, sources: list[Mention]) -> list[Mention]:
        """"sanctions on the same targets", "the same officials": the target of the last
        earlier event of this type by someone else."""
        if not any(c.lower_ == "same" for c in noun.children):
            return []
        own = {x.key for x in sources}
        for start, t, src, tgt, _ in reversed(self.said):
            if noun.sent.start - start >= 120:
                break
            if t == etype and start < noun.sent.start and tgt is not None and (src is None or src.key not in own):
                return [tgt]
        return []

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
        if _lemma(verb) in DENY_VERBS:
            denial = list(self._denied_accusation(verb))
            if denial:  # "The UAE rejected the accusation as baseless": the accused act, denied
                yield from denial
                if _lemma(verb) == "deny":
                    return
                # rejecting or dismissing it is also a REJECT of the accuser (writers' guide: "X rejected the
                # accusation" is REJECT X -> accuser), coded below from the verb's own sense
        if _lemma(verb) in ("act", "serve") and any(
                p.lemma_.lower() in MEDIATOR_NOUNS for p in _preps(verb).get("as", [])):
            yield from self._acting_mediator(verb)
            return
        if _lemma(verb) in BLAST_VERBS:
            blast = list(self._blast(verb))
            if blast:  # "a car bomb exploded outside a police station": an attack with no known author
                yield from blast
                return
        if _lemma(verb) in DEMAND_SPEECH_VERBS:
            yield from self._deontic_demand(verb)
            yield from self._blamed_in_speech(verb)
        found = self.verb_senses(verb)
        if found is None:
            return
        key, senses = found
        obj = _obj(verb)
        if obj is None and _lemma(verb) in LETTING_VERBS:
            # "allowed EU observers into the country to monitor the vote": the parser makes the one let
            # in the subject of the clause that says what for
            obj = next((s for c in verb.children if c.dep_ == "ccomp" for s in _children(c, "nsubj")), None)
        if obj is not None and obj.lemma_.lower() in BOATS:
            # "pushed back a boat carrying 40 migrants", "turned back a dinghy with 60 people on board": the
            # people aboard are who is pushed back (the boat is only how they came)
            aboard = [d for a in obj.children if a.dep_ == "acl" and a.lemma_.lower() in CARRYING_VERBS
                      for d in _children(a, "dobj")]
            aboard += [d for p in obj.children if p.dep_ == "prep" and p.lower_ in ("with", "of") for d in _children(p, "pobj")]
            obj = next((d for d in aboard if _phrase_lemmas(d) & MIGRANT_WORDS), obj)
        if obj is None and _lemma(verb) in JUDGING_VERBS:
            # "dismissed the report as fabricated", parsed as a clause whose subject is the report
            obj = next((s for c in verb.children if c.dep_ in ("ccomp", "advcl") and c.i > verb.i and any(
                m.dep_ == "mark" and m.lower_ == "as" for m in c.children) for s in _children(c, "nsubj", "nsubjpass")), None)
        if _lemma(verb) in PASSING_VERBS and obj is not None and obj.dep_ == "dobj":
            # "handed the blogger a three-year prison sentence", parsed as two objects: the second is given
            obj = next((c for c in verb.children if c.dep_ == "dobj" and c.i > obj.i), obj)
        if _lemma(verb) in PASSING_VERBS and (obj is None or obj.dep_ == "nsubjpass" or self.actors(obj)):
            # "a court gave X ten years in prison", "handed X ten years": the term is parsed as an
            # adverbial; it is what is given, X the one it is given to
            term = next((c for c in verb.children if c.dep_ == "npadvmod" and c.lemma_.lower() in TERM_WORDS), None)
            if term is None and obj is not None and obj.dep_ == "dobj":  # "gave Lebanon's ambassador 48 hours"
                term = next((c for c in obj.children if c.dep_ == "appos" and c.lemma_.lower() in TERM_WORDS), None)
            obj = term if term is not None else obj
        if obj is not None and obj.lemma_.lower() in self.lex.nouns and verb.lemma_ in self.lex.light_verbs \
                and not _judges(verb) and not (_particle(verb) and key == f"{verb.lemma_.lower()} {_particle(verb)}"
                                        and key not in self.lex.light_verbs):
            return  # the object noun carries the event ("launched an offensive"), not "called off
        intent = self.refused_intent(verb)  # "has no intention of negotiating": disclaimed, not only intended
        frame = self.frame_of(verb) if intent is None else None
        if frame is not None and frame[0] == "suppress":
            return
        subj_tok = self.subject(verb) if intent is None else self.subject(intent)
        passive = self.passive(verb)
        subj_ms = self.actors(subj_tok) if subj_tok is not None else []
        if subj_tok is not None and self.finder.is_regional(subj_tok):
            return
        if intent is not None and not subj_ms:
            return  # "there are no plans to deploy troops": whose plans the sentence does not say
        if passive and not _children(verb, "agent") and _lemma(verb) == "hold" and verb.dep_ == "ccomp" \
                and _lemma(verb.head) in DEMAND_SPEECH_VERBS:
            # "Israel said Hamas would be held responsible": the speaker holds it responsible
            subj_ms = self.actors(self.subject(verb.head))
        sense = next((s for s in senses if self._fits(s, verb, obj, subj_ms)), None)
        if sense is None and key.startswith(f"{_lemma(verb)} ") and key.split(" ", 1)[1] in _preps(verb) \
                and key.split(" ", 1)[1] != _particle(verb) and self.lex.verbs.get(_lemma(verb)):
            # a key read off a mere preposition that fits nothing ("handed X ten years in prison" is no
            # "hand in") leaves the verb its own senses
            key, senses = _lemma(verb), self.lex.verbs[_lemma(verb)]
            sense = next((s for s in senses if self._fits(s, verb, obj, subj_ms)), None)
        if sense is None:
            return
        if sense.type == "REQUEST" and _asks_a_question(verb):
            return  # "asked whether police had fired": a question put, no request
        if sense.type == "CONSULT" and sense.mode is None and _by_phone(verb):
            sense = replace(sense, mode="phone", cameo=None)  # "discussed Idlib in a phone call"
        if sense.type == "AGREE" and _agreed_opinion(verb):
            return  # "agreed that the talks had been useful": a shared view, no agreement between parties
        if verb.dep_ == "amod" and verb.tag_ == "VBN" and sense.type in DESCRIPTOR_TYPES:
            return  # "the UN-backed government", "a Turkish-trained force": a descriptor
        # "armed and funded by Tehran": the second participle hangs on the first
        participle = verb.head if verb.dep_ == "conj" and verb.tag_ == "VBN" and verb.head.dep_ in ("acl", "advcl") else verb
        if participle.dep_ in ("acl", "advcl") and verb.tag_ == "VBN" and not _children(participle, "nsubjpass", "auxpass") and \
                (sense.type in DESCRIPTOR_TYPES or sense.type == "MOBILIZE" and verb.dep_ == "acl" or
                                                          sense.type == "COERCE" and not _children(verb, "agent")):
            return  # "a militia backed by Iran", "people jailed over protests": descriptors
        if verb.dep_ == "acl" and verb.tag_ == "VBG" and sense.type == "AID":
            holder = self.actor(verb.head)
            if holder is None or holder.name is None:
                return  # "a school sheltering displaced families", "a camp housing refugees": a description
        if sense.mediation or (verb.dep_ == "acl" and _lemma(verb) in MEDIATION_VERBS):
            yield from self._mediate_verb(verb, obj, subj_ms, sense, key)
            return
        offered = next((c for c in verb.children if c.dep_ == "xcomp" and _lemma(c) in MEDIATION_VERBS and (
            _lemma(c) != "host" or (_obj(c) is not None and _obj(c).lemma_.lower() in MEDIATED_MEETINGS))), None)
        if sense.type == "AGREE" and offered is not None and subj_ms:
            # "offered to mediate between the government and the opposition", "offered to host talks
            # between X and Y": an offered mediation, CONSULT/third-party to each party (as a mediation
            # is), not an agreement with both parties nor between the mediators ("offered to host
            # exercises with Russian troops" is an offer to Russia, coded below)
            third = Sense(type="CONSULT", mode="third-party", word=_lemma(offered))
            mediated = [c for c in self._mediate_verb(offered, _obj(offered), subj_ms, third, f"{key}+{_lemma(offered)}")
                        if not c.rule.endswith("+parties")]  # talks offered are no talks between the parties yet
            if mediated:
                yield from mediated
                return
        if self._decision(verb):
            return  # the decided act is coded instead
        if verb.lemma_ in ("decline", "refuse") and any(c.dep_ == "xcomp" and (c.lemma_ in NO_COMMENT or _ruling_out(c))
                                                        for c in verb.children):
            return  # "declined to comment": a statement, which PLOVER does not code; "refused to rule
            #         out force" threatens force (coded on "rule out")
        if sense.type == "THREATEN" and verb.lemma_ in WARN_VERBS and \
                any(self._reported_prediction(c) for c in verb.children if c.dep_ == "ccomp"):
            return  # a third party's warning is not a threat (the prediction is coded instead)
        if self._in_threat_condition(verb):
            return
        if sense.type == "REJECT" and obj is not None and \
                {t.lemma_.lower() for t in obj.subtree} & MEET_WORDS:
            sense = replace(sense, mode="meet", cameo=None)  # "rejected an offer of talks"
        adjacent = any(c.dep_ == "prt" and c.i == verb.i + 1 for c in verb.children)  # not "handed him over"
        trigger_end = verb.i + 1 + (1 if (sense.particle or (" " in key and _particle(verb))) and adjacent else 0)
        extra_preps: dict[str, list[Token]] = {}
        if obj is not None and key == f"{verb.lemma_.lower()} {obj.lemma_.lower()}":
            extra_preps = _preps(obj)  # "opened fire on X": the object is part of the trigger
            trigger_end = obj.i + 1
            obj = None
        elif sense.prep and (sense.symmetric or sense.prep & set(sense.target)) and not _preps(verb).keys() & sense.prep:
            # "discussed the truce with Netanyahu", "closed its border with Belarus": the party the
            # parser hung on the object
            extra_preps = self.object_preps(obj, sense.prep)
        for c in self._assemble(sense, verb, verb, trigger_end, subj_ms, obj, passive, frame,
                                f"verb:{key}", extra_preps):
            if intent is not None:
                c.notes.append(REFUSED_INTENT)
            yield c

    def _noun(self, noun: Token) -> Iterator[Candidate]:
        if noun.lemma_.lower() in ("request", "behest") and noun.dep_ == "pobj" and noun.head.lower_ in ("at", "upon"):
            yield from self._at_request(noun)
            return
        if noun.lemma_.lower() in CHARGE_NOUNS and noun.dep_ == "pobj" and noun.head.lower_ == "on":
            yield from self._charged_arrest(noun)
            return
        if noun.lemma_.lower() in REFUGE_NOUNS and noun.dep_ == "dobj" and noun.head.lemma_.lower() in REFUGE_VERBS:
            yield from self._refuge(noun)
            return
        found = self.noun_senses(noun)
        if found is None:
            return
        key, senses, start = found
        # the governing verb: a light verb whose object (or subject) is the noun, else none
        pos = noun
        while pos.dep_ == "pobj" and pos.head.lower_ == "of" and pos.head.head.lemma_.lower() in SERIES_NOUNS:
            pos = pos.head.head  # "a new round of talks": the round stands where the talks would
        while pos.dep_ == "pobj" and pos.head.lower_ in ("in", "of", "worth") and _amount(pos.head.head):
            pos = pos.head.head  # "announced $500 million in aid": the amount stands where the aid would
        if pos.dep_ == "compound" and pos.head.lemma_.lower() in BUNDLE_NOUNS:
            pos = pos.head  # "approved a new aid package for Kyiv"
        gov = pos.head
        light = None
        meeting_verb = None
        if pos.dep_ == "pobj" and gov.lower_ in MEETING_PREPS and gov.head.pos_ in ("VERB", "AUX") and \
                any(s.type == "CONSULT" for s in senses):
            meeting_verb = gov.head  # "urged Moscow in a phone call with Lavrov"
        if pos.dep_ in ("dobj", "attr", "nsubjpass") and gov.pos_ in ("VERB", "AUX"):
            lk = _lemma(gov) + (f" {_particle(gov)}" if _particle(gov) else "")
            if not _judges(gov) and (lk in self.lex.light_verbs or _lemma(gov) in self.lex.light_verbs and
                               not (_particle(gov) and lk in self.lex.verbs)):
                light = gov
            elif _particle(gov) and lk in REVERSING_LIGHT and noun.lemma_.lower() in TRUCE_NOUNS:
                light = gov  # "called off the truce": an accord ended (the phrasal verb's own sense is a strike's)
            elif _particle(gov) and lk in self.lex.verbs and truce_ender(noun) is None:
                return  # "called off a strike": the phrasal verb is the event
        elif noun.dep_ == "conj" and noun.head.dep_ in ("dobj",) and noun.head.head.lemma_ in self.lex.light_verbs:
            light = noun.head.head
        elif noun.dep_ == "pobj" and gov.dep_ == "prep" and gov.head.lemma_ in ("hold", "engage", "enter", "join", "go", "stay", "remain", "respond", "retaliate", "hit",
                                                                                        "put", "place"):
            light = gov.head
        if light is None and pos.dep_ == "pobj" and gov.lower_ in ("for", "to") and \
                gov.head.lemma_.lower() in READY_ADJ and gov.head.head.pos_ in ("AUX", "VERB"):
            light = gov.head.head  # "Hamas was ready for a truce": willingness is an agreement
            senses = [replace(senses[0], type="AGREE", mode=None, cameo=None, light_only=False, symmetric=False)]
        if light is not None and noun.lemma_.lower() == "alert" and _lemma(light) in ("put", "place"):
            placed = _children(light, "dobj") or _children(light, "nsubjpass")
            if not placed or not any(m.sector in FIGHTING_SECTORS | {"COP"} for m in self.actors(placed[0])):
                return  # "put the region on alert for a typhoon": no forces readied
        frame = None
        dropped = light is None and pos.dep_ == "dobj" and _lemma(gov) in DROP_VERBS and \
            any(s.type in ("REQUEST", "THREATEN") for s in senses)
        if dropped:  # "Hamas dropped its demand", "the White House dropped the tariff threat"
            light = gov
            senses = [replace(senses[0], type="CONCEDE", mode=None, cameo=None, light_only=False,
                              symmetric=False, recipient=False)]
        verb = light if light is not None else noun
        stance = next((rc for rc in noun.children if rc.dep_ == "relcl" and _lemma(rc) in STANCE_VERBS), None)
        if stance is not None and self.actors(self.subject(stance)):
            # "an attack that Damascus denied carrying out", "a bombing the group claimed"
            light = verb = stance
            frame = ("negate", stance) if _lemma(stance) == "deny" else None
        elif light is not None:
            intent = self.refused_intent(light)  # "has no plans to lift the sanctions"
            frame = self.frame_of(light) if intent is None else None
            if frame is not None and frame[0] == "suppress":
                return
        elif noun.dep_ in ("pobj",) and gov.dep_ == "prep" and gov.lower_ in ("of", "for"):
            if gov.head.lemma_ in ("accuse", "blame", "condemn", "charge", "criticise", "criticize", "denounce"):
                frame = ("accuse", gov.head)
        subj_ms: list[Mention] = []
        intent = self.refused_intent(light) if light is not None and stance is None else None
        if intent is not None:
            subj_ms = self.actors(self.subject(intent))
            if not subj_ms:
                return  # "there are no plans to impose sanctions": whose plans the sentence does not say
        elif light is not None:
            subj_ms = self.actors(self.subject(light))
            if self.passive(light):  # "the strike was carried out by Israeli drones"
                subj_ms = [m for a in _children(light, "agent") for o in _children(a, "pobj")
                           for m in self.actors(o)]
        elif meeting_verb is not None:
            subj_ms = self.actors(self.subject(meeting_verb))
            if subj_ms:
                light = meeting_verb
        own = self._noun_source(noun)
        if pos.dep_ == "dobj" and _lemma(gov) == "attend" and any(s.type == "CONSULT" for s in senses):
            return  # "Modi attended the G20 summit": the attendance is the event
        gathered = []
        if light is None and pos.dep_ == "pobj" and gov.lower_ in ("for", "at") and _lemma(gov.head) in GATHERING_VERBS \
                and any(s.type == "CONSULT" for s in senses):
            gathered = self.actors(self.subject(gov.head))  # "leaders of A, B and C gathered for the summit"
        if gathered:
            subj_ms, light = gathered, gov.head
        elif own:
            subj_ms = own
        elif not subj_ms and light is None and pos.dep_ == "pobj" and gov.lower_ in CIRCUMSTANCE_PREPS \
                and gov.head.pos_ in ("VERB", "AUX") and any(s.type == "ASSAULT" for s in senses) \
                and self._gains_ground(gov.head) and not any(
                    c.dep_ in ("amod", "compound", "poss", "nmod") and c.lemma_.lower() not in SIZE_WORDS
                    for c in noun.children):
            # "insurgents took the city after a lightning offensive": the clause's armed subject
            subj_ms = [m for m in self.actors(self.subject(gov.head)) if m.sector in FIGHTING_SECTORS]
            if subj_ms:
                light = gov.head
        elif not subj_ms and light is None and pos.dep_ == "pobj" and gov.lower_ in ("in", "during") \
                and noun.lemma_.lower() in RAID_NOUNS and gov.head.pos_ == "VERB" and not self.passive(gov.head) \
                and _lemma(gov.head) in CUSTODY_VERBS:
            # "police arrested 20 people in raids across the capital", "detained 15 men during night
            # raids": the raid is the arresting force's search (COERCE/seize), a second act beside the arrest
            subj_ms = self.actors(self.subject(gov.head))
            if subj_ms:
                light = gov.head
                senses = [replace(senses[0], type="COERCE", mode="seize", cameo=None, subj=None, modifier=None)]
        elif not subj_ms and light is None and pos.dep_ == "pobj" and gov.lower_ == "for" \
                and _lemma(gov.head) in GATHERING_VERBS and any(s.type == "CONSULT" for s in senses):
            # "arrived in Tripoli for talks with the government", "sat down for indirect talks"
            subj_ms = self.actors(self.subject(gov.head))
            if subj_ms:
                light = gov.head
        if not subj_ms and light is None and all(s.type == "PROTEST" for s in senses) and not _modifies_noun(noun) and \
                (pos.dep_ in ("nsubj", "nsubjpass") or pos.dep_ == "pobj" and gov.lower_ in PROTEST_PREPS) and \
                any(e.label_ in ("GPE", "LOC", "NORP") for e in noun.sent.ents):
            # "protests spread to Basra", "after weeks of protests in Beirut": unnamed protesters (a
            # protest word that only describes another noun names none: "arrested over stayaway videos")
            subj_ms = [Mention(noun.i, noun.i + 1, noun.i, noun.text, None, None, "CVL", None, "group",
                               rule="protest:unnamed")]
        sense = next((s for s in senses if self._fits(s, verb, None, subj_ms, noun)), None)
        if sense is None:
            return
        ender = truce_ender(noun)
        if ender is not None:
            # "announced an end to the ceasefire", "put an end to its truce with X": an accord ended, as
            # "ended the truce" (SANCTION/discontinue, `REVERSING_LIGHT`), no concession and no truce
            frame = self.frame_of(ender)
            if frame is not None and frame[0] == "suppress":
                return
            subj_ms = own or self.actors(self.subject(ender))
            if not subj_ms:
                return
            light = verb = ender
            sense = replace(sense, type="SANCTION", mode="discontinue", cameo=None, symmetric=False, light_only=False)
        elif sense.light_only and light is None:
            return
        if sense.type == "ASSAULT" and any(c.dep_ in ("amod", "compound") and c.lower_ in NOT_VIOLENT_MODIFIERS
                                           for c in noun.children):
            return  # "a charm offensive", "a diplomatic offensive"
        if light is not None and ender is None:
            lk = light.lemma_.lower() + (f" {_particle(light)}" if _particle(light) else "")
            if lk in REVERSING_LIGHT or light.lemma_.lower() in REVERSING_LIGHT:
                # "lifted the ban" is a concession; "suspended aid" is a sanction; "cancelled talks" a refusal
                if sense.type in ("SANCTION", "COERCE", "ASSAULT", "PROTEST", "THREATEN"):
                    sense = replace(sense, type="CONCEDE", mode=None, cameo=None, symmetric=False)
                elif sense.type == "CONSULT":
                    sense = replace(sense, type="REJECT", mode="meet", cameo=None, symmetric=False)
                elif sense.type in ("AID", "COOPERATE", "SUPPORT", "AGREE"):
                    sense = replace(sense, type="SANCTION", mode="discontinue", cameo=None, symmetric=False)
        if light is not None and _lemma(light) == "declare" and noun.lemma_.lower() in ("ceasefire", "truce", "cease-fire") \
                and any(c.dep_ in ("oprd", "acomp", "ccomp", "xcomp", "advmod", "prt") for c in light.children):
            return  # "declared the ceasefire over": its end, not a truce (the fighting is coded instead)
        if light is not None and ender is None and _lemma(light) == "declare" and noun.lemma_.lower() in ("ceasefire", "truce", "cease-fire"):
            # a declared truce is a concession until it is observed (PLOVER; gold README)
            sense = replace(sense, type="CONCEDE", mode=None, cameo=None, symmetric=False)
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
        if meeting_verb is not None and light is meeting_verb and not (_preps(noun).keys() & {"with", "between"}) \
                and noun.lemma_.lower() in PHONE_WORDS:
            # "in a video call, Biden warned Putin": the one addressed in the call is its other party
            extra = {"with": [o for o in _children(meeting_verb, "dobj", "dative") if self.actors(o)]}
        if light is None and pos.dep_ in ("nsubj", "nsubjpass"):
            extra = _preps(pos.head)  # "a call took place between X and Y"
            for t in pos.head.subtree:
                if t.dep_ == "prep" and t.lower_ == "between" and t.head != pos.head:
                    extra.setdefault("between", []).extend(g for g in t.children if g.dep_ == "pobj")
        for c in self._assemble(sense, noun, verb, noun.i + 1, subj_ms, None, False, frame,
                                f"noun:{key}" + (f"+light:{light.lemma_}" if light is not None else ""),
                                extra):
            if intent is not None:
                c.notes.append(REFUSED_INTENT)
            yield c

    def _assemble(self, sense: Sense, trigger: Token, verb: Token, trigger_end: int,
                  subj_ms: list[Mention], obj: Token | None, passive: bool,
                  frame: tuple[str, Token] | None, rule: str,
                  extra_preps: dict[str, list[Token]] | None = None) -> Iterator[Candidate]:
        sources = list(subj_ms)
        targets: list[Mention] = []
        antecedent: Mention | None = None  # the author of an earlier act a noun refers to
        absorbed: int | None = None
        is_noun = trigger.pos_ in ("NOUN", "PROPN") and trigger is not verb or trigger.pos_ == "NOUN"
        # a claim, report or accusation refused: its maker is the target, or nobody named
        disputed = sense.type == "REJECT" and bool(sense.obj_head) and obj is not None and obj.lemma_.lower() in sense.obj_head
        preps = _preps(trigger)
        for k, v in (extra_preps or {}).items():
            preps.setdefault(k, []).extend(v)
        if verb is not trigger:
            for k, v in _preps(verb).items():
                preps.setdefault(k, []).extend(v)
        if sense.subject_is_target and not is_noun and not passive and _lemma(verb) in PASSING_VERBS:
            # "a court gave the activist ten years in prison", "handed X a life sentence": the subject
            # passed the term, on the one it was given to
            given = _children(verb, "dative") + [o for o in _children(verb, "dobj") if o is not obj] + \
                preps.get("to", []) + ((_preps(obj).get("to", [])) if obj is not None else [])
            targets_first = [m for o in given for m in self.actors(o) if m.key not in {x.key for x in sources}][:1]
        elif sense.subject_is_target and not is_noun:  # "an army patrol came under fire"
            # (in the passive the subject read is the agent: "was given ten years by a court")
            sources, targets_first = [], ([] if passive else sources)
            if obj is not None:  # "got a 20-year sentence from a court in Dhaka": the court passed it
                sources = [m for p in _preps(obj).get("from", []) + preps.get("from", []) for m in self.actors(p)]
            if passive:  # "was given ten years in prison by a military court": the court passed it
                by = [p for a in verb.children if a.dep_ == "agent" for p in _children(a, "pobj")]
                by += (_preps(obj).get("by", []) if obj is not None else []) + preps.get("by", [])
                # ("ten years in a penal colony by a regional court": the phrase hung on the place)
                by += [q for k in ("in", "to") for p in preps.get(k, []) + (_preps(obj).get(k, []) if obj is not None else [])
                       for q in _preps(p).get("by", [])]
                sources += [m for p in by for m in self.actors(p) if m.key not in {x.key for x in sources}]
        else:
            targets_first = []
        # "fighting alongside X": where the sense names the preposition, the companion is the target
        companions = [(m, o) for m, o in self._companions(verb) if not (sense.prep and o.head.lower_ in sense.prep)]
        if companions and sources:  # "Scholz will travel together with the French leader"
            drop = {o.i for _, o in companions}
            preps = {k: [o for o in v if o.i not in drop] for k, v in preps.items()}
            keys = {m.key for m in sources}
            sources += [m for m, _ in companions if m.key not in keys]
        if frame is not None and frame[0] == "accuse":
            accuser = frame[1]
            accused = _children(accuser, "dobj") or [t for t in [self.undergoer(accuser)] if t is not None]
            if accused:  # "accused X of ...", "X, accused by Y of ...": X did it, Y says
                sources = self.actors(accused[0])
        if passive and not is_noun and (sense.type == "MOBILIZE" or sense.recipient_actor):
            # "troops were sent": the forces are the mobiliser
            sources = sources or self.actors(self.undergoer(verb))
        elif passive and not is_noun:
            targets = self.actors(self.undergoer(verb))
            if not sources and sense.type in VIOLENT:
                sources, absorbed = self._agent_of_attack(verb, preps)
        elif obj is not None and not is_noun and not targets_first and not (sense.prep and sense.prep & set(sense.target)) and not (
                sense.obj and sense.type == "COOPERATE" and any(preps.get(p) for p in sense.target)):
            # (a sense chosen by its preposition, "kept troops alongside X", takes X, not the object;
            # so does one whose object is what is shared, "hired mercenaries from X")
            if sense.type == "MOBILIZE":
                targets = []
            elif sense.type == "AID" and not sense.dobj_is_target:
                # "armed the Houthis", "funded Hamas", "rescued migrants": an actor object is the
                # recipient; a thing ("delivered tanks") is not, nor its owner
                own = {x.key for x in sources} | {x.country for x in sources if x.country}
                to_actor = any(self.actors(o) for p in sense.target for o in preps.get(p, []))  # "to Ukraine"
                targets = [] if to_actor or obj.lemma_.lower() in EQUIPMENT else [
                    t for t in self.actors(obj) if t.key not in own and t.country not in own and t.kind != "other"]
            elif disputed:
                # "dismissed Amnesty's report", "rejected the claims by Human Rights Watch": the one who
                # made the claim is refused ("reports of civilian casualties" name no claimant; one
                # reported just before may be found below)
                keys = {x.key for x in sources}
                targets = [m for m in self._modifier_owner(obj) + [
                    m for p in ("by", "from") for o in _preps(obj).get(p, []) for m in self.actors(o)] if m.key not in keys]
            else:
                targets = self.actors(obj) if sense.type in VIOLENT or sense.type in ("SANCTION", "CONSULT", "AID", "COOPERATE") else self.loose_actor(obj)
                # (one's own official dismissed is the target: "fired the head of the SBU")
                loose = sense.type in ("SANCTION", "AID", "SUPPORT", "COOPERATE", "REQUEST", "AGREE") and sense.mode not in ("expel", "convict")
                # the one asked is the addressee even at home ("Biden urged Congress", "the opposition
                # called on the army"): only a possessor read off the object is dropped
                src_keys = {x.key for x in sources}
                addressed = sense.type in ADDRESSED_TYPES and all(
                    t.head == obj.i and not t.bare and t.key not in src_keys and t.kind != "other" for t in targets)
                # (a breakaway authority and the state it left are two parties: "Abkhaz officials
                # accused Georgia")
                if targets and not addressed and all(any(t.country == x.country and (loose or t.bare or x.bare or t.sector == x.sector)
                                                         and (t.sector == "PRE") == (x.sector == "PRE")
                                                         for x in sources) for t in targets):
                    targets = []  # "withheld its aid to Egypt": the possessor is not the target
                if not targets:
                    targets = self._object_owner(obj, sense.type, sources)
        targets = targets or targets_first
        if sense.no_target:
            targets, targets_first = [], []
        dative = _children(verb, "dative")
        if not dative and not is_noun and _lemma(verb) in PASSING_VERBS:  # "gave the residents 48 hours": the
            dative = [o for o in _children(verb, "dobj") if o is not obj]  # object the term was split from
        if not targets and dative:
            objs = _children(dative[0], "pobj") or [dative[0]]
            targets = self.actors(objs[0])
        if not targets and sense.type == "MOBILIZE":
            targets = []
        elif not targets:
            for p in sense.target:
                for pobj in preps.get(p, []):
                    targets = self.actors(pobj) or [
                        m for m in self._modifier_owner(pobj) if m.key not in {x.key for x in sources}] \
                        or self.same_targets(pobj, sense.type, sources)
                    if p == "between" and targets and not sources:
                        sources = targets
                    if targets:
                        break
                if targets:
                    break
        if not targets and not is_noun and sense.type not in VIOLENT:
            # "Erdogan rejected the demand", "Tehran condemned the measures", "refused to apply
            # the measures": made just before
            for o in [obj] + [d for x in _children(verb, "xcomp") for d in _children(x, "dobj")]:
                ante = self.event_anaphor(o, sources, judged=sense.complement is not None) if o is not None else None
                if ante:
                    targets = [ante[0]]
                    antecedent = ante[0]
                    break
            if not targets and obj is not None and sense.type in COUP_JUDGED:
                makers = self.coup_makers(obj, sources)
                targets = [makers] if makers is not None else []
            if not targets and sense.complement is not None:
                # "called the minister's remarks offensive": whose thing is judged (the small parser
                # often hangs "Britain's decision" on the complement: "called Britain's decision hostile")
                for thing in ([obj] if obj is not None else []) + _children(verb, "oprd"):
                    targets = [m for m in self._modifier_owner(thing) if m.key not in {x.key for x in sources}]
                    if targets:
                        break
            if not targets and sense.complement is not None:
                # "declared two diplomats persona non grata": the parser makes the object the subject
                # of a small clause whose head is the complement; that subject is who is judged
                for cc in _children(verb, "ccomp"):
                    if any(t.lemma_.lower() in sense.complement for t in cc.subtree):
                        targets = [m for m in self.actors(self.subject(cc)) if m.key not in {x.key for x in sources}]
                        if targets:
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
        if not targets and sense.type in PARALLEL_KINDS and not is_noun and _also(verb):
            # "Poland delivered tanks to Ukraine ... Germany has also promised to send tanks": the
            # same act as the one just reported, to the same party
            targets = self.parallel_target(trigger, PARALLEL_KINDS[sense.type], sources)
        if not targets and sense.type == "PROTEST":  # "blocked roads in protest at EU policy"
            for pobj in preps.get("in", []):
                if pobj.lemma_.lower() in ("protest", "opposition", "response", "anger"):
                    for k, objs in _preps(pobj).items():
                        if k in ("at", "against", "over", "to"):
                            for o in objs:
                                targets = targets or self.actors(o) or self._modifier_owner(o)
        if not targets and not disputed and sense.type in ("THREATEN", "REQUEST", "AGREE", "REJECT", "CONSULT") and verb is trigger or \
                (not targets and sense.type == "CONSULT" and verb is not trigger and verb.lemma_ not in self.lex.light_verbs):
            targets = self._complement_target(verb, sources, agent_subjects=sense.type in ("THREATEN", "AGREE"))
        if targets and sense.type not in VIOLENT:  # "the missiles that X supplied": a thing, not a party
            doc = trigger.doc
            # an earlier act's author named by its aircraft ("the jets ... the strikes") stays
            targets = [t for t in targets if t is antecedent or doc[t.head].lemma_.lower() not in EQUIPMENT]
        if sense.type == "RETREAT" and sense.mode == "withdraw" and not is_noun:
            # "withdrew their troops from Mali": the troops are the withdrawer's; Mali is the target
            away = [m for p in preps.get("from", []) for m in self.actors(p) if m.kind in ("state", "metonym")]
            if away or (targets and all(t.sector in ("MIL", None) and
                                        any(t.country == x.country or t.country is None for x in sources)
                                        for t in targets)):
                targets = away
        if sense.recipient and not is_noun:  # "extradited two suspects to Belgium": to whom
            rec = [m for pobj in preps.get("to", []) for m in self.actors(pobj)]
            if rec:
                targets = rec
        if sense.recipient_actor:  # "sent weapons to the army" is aid; "sent troops to Syria" is not
            targets = self._recipients(verb)
        if sense.visit:  # the visited country comes from the place ("arrived in Moscow")
            if not targets:
                obj_preps = _preps(obj) if obj is not None and not is_noun else {}
                for p in ("in", "to", "at"):  # "opened an office in Vilnius": the object's place too
                    for pobj in preps.get(p, []) + obj_preps.get(p, []):
                        place = self._place_state(pobj)
                        if place is not None:
                            targets = [place]
                            break
                    if targets:
                        break
            if not targets:
                return
        from_purpose = False
        if sense.type == "ASSAULT" and not targets:
            targets = [m for m in self._purpose_target(trigger, verb) if m.key not in {x.key for x in sources}]
            from_purpose = bool(targets)
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
                place_objs = [t for t in [self.undergoer(verb)] if t is not None]
            for o in place_objs:
                pt = self.place_target(o)
                if pt is not None:
                    targets = [pt]
                    break
        if sense.type in VIOLENT and not targets and not (sense.obj is not None and not is_noun and (
                sense.type == "ASSAULT" or not (verb.dep_ == "advcl" and verb.tag_ == "VBG"))):
            # (a coercive measure chosen by its object, "declared a state of emergency", "shut down the
            # internet", "blocked access to Facebook", is that measure: no trap, and no victim needed;
            # not so the damage an attack does, "struck power stations, cutting electricity to towns"; an
            # attack chosen by its object names its weapon or its victim: "fired tear gas to disperse
            # them", "fired several shots into the air" need no victim either)
            objs = [obj] if obj is not None and not passive and not is_noun else []
            objs += [p for k in ("on", "against") for p in _preps(trigger).get(k, [])] if is_noun else []
            if sense.type == "COERCE" and sense.mode == "arrest":
                # only people are detained ("detained several members of the community", "at least 20
                # of them"), so anyone unknown will do; goods are not ("detained a shipment of weapons",
                # "200 kilograms of cocaine"), and the senses keep out the rest ("arrested the decline")
                if any(o.lemma_.lower() in DETAINED_GOODS for o in objs):
                    return
                objs = []
            if any(self._trap(o) for o in objs):
                return  # "attacked the proposal": a word-sense trap, not violence
        if len({m.key for m in sources}) >= 2 and _reciprocal(trigger, verb, obj):
            # "Armenia and Azerbaijan accused each other", "expelled each other's diplomats",
            # "shelled one another's positions": each party acts on every other one
            for a in _unique(sources):
                for b in _unique(sources):
                    if a.key != b.key:
                        yield Candidate(replace(sense, symmetric=False), trigger, verb, trigger_end, a, b,
                                        rule + "+reciprocal", negated_by_frame=bool(frame and frame[0] == "negate"),
                                        mirrored=b.start < a.start)
            return
        if sense.type in ("ASSAULT", "MOBILIZE") and len(sources) == 1 and _joint(trigger, verb):
            # "held a joint naval exercise with the Myanmar navy": the partner is in the "with" phrase
            partners = [m for p in _preps(trigger).get("with", []) + _preps(verb).get("with", [])
                        for m in self.actors(p) if m.country != sources[0].country]
            sources = sources + partners
        if sense.type in ("ASSAULT", "MOBILIZE") and len(sources) >= 2 and _joint(trigger, verb):
            coop = Sense(type="COOPERATE", word=f"joint {trigger.lower_}")  # a joint raid, exercise
            for a in sources:
                for b in sources:
                    if a is not b and a.key != b.key:
                        yield Candidate(coop, trigger, verb, trigger_end, a, b, rule + "+joint",
                                        negated_by_frame=bool(frame and frame[0] == "negate"))
            if sense.type == "MOBILIZE" or (_lemma(trigger) in JOINT_ONLY_NOUNS
                                            and all(t.kind == "place" for t in targets)):
                # a joint exercise is cooperation; a single-country exercise is posture; a joint
                # "operation" against no one named (where it happens is no opponent: "in Lower Juba")
                # is the partners' cooperation alone (its violence, "raiding two warehouses", is coded
                # from its own words)
                return
        if not targets and sense.type == "CONSULT" and len({m.key for m in sources}) >= 3:
            multi = replace(sense, mode="multilateral")  # a summit: one record per participant
            for a in _unique(sources):
                yield Candidate(multi, trigger, verb, trigger_end, a, None, rule + "+multilateral",
                                negated_by_frame=bool(frame and frame[0] == "negate"))
            return
        if not targets and len({m.key for m in sources}) >= 3 and (sense.symmetric or sense.type in MUTUAL_TYPES) \
                and sense.type not in VIOLENT and not sense.visit and (obj is None or is_noun or sense.symmetric):
            multi = replace(sense, mode=None, symmetric=False)  # many parties: one record each, no target
            for a in _unique(sources):
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
        patient = obj is not None or (passive and self.undergoer(verb) is not None) or \
            any(preps.get(p) for p in sense.target)
        targets = [t for t in targets if not bare_munition(t)]  # "launched missiles at Kharkiv"
        pairs = [(s, t, False) for s in sources or [None] for t in targets or [None]]
        if sense.symmetric and sense.type not in ("RETREAT",) and not from_purpose:  # talks with X: mirrored
            pairs += [(t, s, True) for s, t, _ in pairs if s is not None and t is not None]
        for s, t, mirror in pairs:
            if True:
                if s is not None and t is not None and s.key == t.key and s.head == t.head:
                    continue
                yield Candidate(sense, trigger, verb, trigger_end, s, t, rule,
                                negated_by_frame=bool(frame and frame[0] == "negate"),
                                embedded_in=frame[1] if frame and frame[0] == "accuse" else None,
                                absorbs=absorbed, mirrored=mirror, patient=patient)

    def _deontic_demand(self, verb: Token) -> Iterator[Candidate]:
        """"The minister said Lukashenko should resign", "told Putin that Russia must withdraw": what
        a speaker says another party should or must do is a demand (REQUEST) to that party, its mode
        the act's; the act itself is not reported (see `FramesMixin.frame_of`)."""
        owed = [c for c in verb.children if c.dep_ == "ccomp" and deontic(c) and not any(a.dep_ == "neg" for a in c.children)]
        speakers = _unique(self.actors(self.subject(verb))) if owed else []
        for c in owed:
            found = self.verb_senses(c)
            doers = _unique(self.actors(self.subject(c))) if not self.passive(c) else []
            if found is None or not speakers or not doers:
                continue  # a demand is made of a party ("any meeting must take place on neutral ground": none)
            act = next((s for s in found[1] if self._fits(s, c, _obj(c), doers)), None)
            if act is None:
                continue
            sense = Sense(type="REQUEST", mode=DEMANDED_MODES.get(act.type), word=_lemma(verb))
            for src in speakers:
                for tgt in doers:
                    if tgt.key == src.key or (tgt.country == src.country and tgt.kind in ("state", "metonym", "capital")
                                              and src.sector in ("GOV", "MIL", None)):
                        continue  # "Zelensky said Ukraine must defend itself": resolve, not a demand
                    yield Candidate(sense, verb, verb, verb.i + 1, src, tgt, "verb:demanded in speech")

    def _blamed_in_speech(self, verb: Token) -> Iterator[Candidate]:
        """"May said it was highly likely that Russia was responsible for the attack", "the police
        chief said the IRA was behind the raid": saying that another party is responsible for or
        behind an act accuses it (ACCUSE/allege), as blaming does; a denial ("was not behind") or
        a question ("who was behind") accuses no one."""
        speakers = None
        for clause in (c for c in verb.children if c.dep_ == "ccomp"):
            for tok in clause.subtree:
                if tok.lower_ not in ("responsible", "behind") or tok.dep_ not in ("acomp", "prep"):
                    continue
                be = tok.head
                if be.lemma_ != "be" or any(c.dep_ == "neg" for c in be.children):
                    continue
                acts = [c for c in tok.children if c.dep_ == "pobj"] if tok.lower_ == "behind" else \
                    [o for c in tok.children if c.dep_ == "prep" and c.lower_ == "for" for o in c.children if o.dep_ in ("pobj", "pcomp")]
                if not any(self._is_act(a) for a in acts):
                    continue  # "responsible for security in the north": a duty, no blame
                subj = next((c for c in be.children if c.dep_ == "nsubj"), None)
                if subj is None or subj.lower_ in ("who", "whoever", "what", "which", "we", "i") or any(
                        c.dep_ == "poss" and c.lower_ in ("his", "her", "its", "their", "our", "my") for c in subj.children):
                    continue  # a question, or the speaker's own side claiming the act
                if speakers is None:
                    speakers = _unique(self.actors(self.subject(verb)))
                blamed = _unique(self.actors(subj))
                sense = Sense(type="ACCUSE", mode="allege", word=_lemma(verb))
                for src in speakers:
                    for tgt in blamed:
                        if tgt.key != src.key:
                            yield Candidate(sense, verb, verb, verb.i + 1, src, tgt, "verb:blamed in speech")

    def _is_act(self, tok: Token) -> bool:
        """A word naming an act a party can be blamed for: an event noun of the lexicon ("the
        attack", "the poisoning"), or a gerund ("for killing")."""
        return tok.lemma_.lower() in self.lex.nouns or tok.lower_ in self.lex.nouns or tok.tag_ == "VBG" or \
            (tok.pos_ == "NOUN" and tok.lower_.endswith("ing")) or tok.lemma_.lower() in BLAMED_ACTS

    def _at_request(self, noun: Token) -> Iterator[Candidate]:
        """"engineers were deployed to Poland at the request of the Polish government", "the alliance
        sent troops at Tokayev's request": the requester asked the one who acted (REQUEST)."""
        verb = noun.head.head
        if verb.pos_ not in ("VERB", "AUX"):
            return
        requesters = [m for c in noun.children if c.dep_ == "poss" for m in self.actors(c)]
        requesters += [m for p in _preps(noun).get("of", []) for m in self.actors(p)]
        doer = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None) or self.subject(verb)
        doers = self.actors(doer) if doer is not None else []
        sense = Sense(type="REQUEST", mode=None, word=noun.lemma_.lower())
        for src in _unique(requesters):
            for tgt in [d for d in _unique(doers) if d.key != src.key] or [None]:
                yield Candidate(sense, noun, verb, noun.i + 1, src, tgt, "noun:at the request of")

    def _blast(self, verb: Token) -> Iterator[Candidate]:
        """"A car bomb exploded outside a police station", "a roadside bomb tore through their patrol",
        "two blasts hit the market": an explosion first reported (an indefinite subject, no owner
        named) is an attack (ASSAULT/explosives) whose author is not known; what it struck, or whom
        it killed, is the target. A group that claims it later becomes its source
        (`Coder._claims`)."""
        subj = [c for c in verb.children if c.dep_ == "nsubj"]
        if not subj or subj[0].lemma_.lower() not in BLAST_NOUNS or self.passive(verb):
            return
        head = subj[0]
        if _lemma(verb) == "go" and not any(c.dep_ == "prt" and c.lower_ == "off" for c in verb.children):
            return
        if any(c.dep_ == "det" and c.lower_ in ("the", "this", "that", "these", "those") for c in head.children) or \
                any(c.dep_ == "poss" for c in head.children):
            return  # "the blast killed nine": the explosion told before, not a second one
        if self.actors(head) or self._modifier_owner(head):
            return  # "a Russian missile hit ...": its owner is named; the ordinary senses code it
        targets: list[Mention] = []
        for k in ("through", "at", "outside", "near", "inside", "in", "on"):
            for o in _preps(verb).get(k, []):
                targets += [m for m in self.actors(o) if m.kind != "place"]
            if targets:
                break
        if not targets:
            targets = [m for o in _children(verb, "dobj") for m in self.actors(o)]
        if not targets:
            for c in verb.children:  # "..., killing nine people"
                if c.dep_ in ("advcl", "conj") and c.tag_ == "VBG" and c.lemma_.lower() in HARM_VERBS:
                    targets += [m for o in _children(c, "dobj") for m in self.actors(o)]
        sense = Sense(type="ASSAULT", mode="explosives", word=_lemma(verb))
        for t in _unique(targets)[:1] or [None]:
            yield Candidate(sense, verb, verb, verb.i + 1, None, t, "verb:blast")

    def _refuge(self, noun: Token) -> Iterator[Candidate]:
        """"took refuge in the Spanish ambassador's residence", "sought refuge at the Chilean
        embassy": the state whose mission shelters someone gives them asylum (AID, CAMEO 075)."""
        verb = noun.head
        places = [p for k in ("in", "at", "inside") for p in _preps(verb).get(k, []) + _preps(noun).get(k, [])]
        hosts: list[Mention] = []
        for p in places:
            if p.lemma_.lower() in MISSION_NOUNS:
                hosts = [m for m in self.loose_actor(p) + self._modifier_owner(p) if m.country] or [
                    m for o in _preps(p).get("of", []) for m in self.actors(o) if m.country]
                if hosts:
                    break
        guests = self.actors(self.subject(verb))
        if not hosts or not guests:
            return
        sense = Sense(type="AID", mode=None, word="refuge", cameo="075")
        host = hosts[0]
        for g in _unique(guests):
            if g.key != host.key and g.country != host.country:
                yield Candidate(sense, noun, verb, noun.i + 1, host, g, "noun:took refuge")

    def _charged_arrest(self, noun: Token) -> Iterator[Candidate]:
        """"detained a researcher on suspicion of espionage", "was arrested on charges of treason":
        besides the arrest, the arresting side accuses the detainee (ACCUSE/allege)."""
        verb = noun.head.head
        if verb.pos_ not in ("VERB", "AUX") or verb.lemma_.lower() not in ARREST_VERBS:
            return
        doers, patients = self.parties(verb)
        if not patients:
            return
        sense = Sense(type="ACCUSE", mode="allege", word=noun.lemma_.lower())
        for src in _unique(doers) or [None]:
            for tgt in _unique(patients):
                if src is None or tgt.key != src.key:
                    yield Candidate(sense, noun, verb, noun.i + 1, src, tgt, "noun:arrested on charges")

    # -- mediation ---------------------------------------------------------------------------
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
            if head.dep_ == "pobj" and head.head.lower_ in ("in", "at") and gov.pos_ == "NOUN" and \
                    gov.lemma_.lower() in MEETING_NOUNS and gov.dep_ == "dobj":
                gov = gov.head  # "held talks in Jeddah hosted by Saudi Arabia": the place's talks, their verb
            if gov.pos_ in ("VERB", "AUX"):
                parties = self.actors(self.subject(gov))
        if mediators and parties:
            yield from self._mediation(mediators, parties, head or obj or verb, verb, sense,
                                       f"verb:{key}+mediation")

    def _denied_accusation(self, verb: Token) -> Iterator[Candidate]:
        """A denial of an earlier accusation ("X denied the charge", "a charge Ankara denies") is
        coded as the accused act, negated and attributed to the denier (gold convention)."""
        obj = _obj(verb)
        noun = obj if obj is not None else (verb.head if verb.dep_ in ("relcl", "acl") else None)
        subj = self.subject(verb)
        if (noun is None or noun.lemma_.lower() not in ACCUSATION_NOUNS) and subj is not None:
            # "..., a charge Abu Dhabi denied": the parser made the noun a compound of the denier
            noun = next((t for t in subj.lefts if t.lemma_.lower() in ACCUSATION_NOUNS), noun)
        if noun is None or noun.lemma_.lower() not in ACCUSATION_NOUNS:
            return
        deniers = self.actors(subj)
        if not deniers:
            return
        countries = {m.country for m in deniers if m.country}
        for start, cand in reversed(self.accused):
            if verb.sent.start - start > 200 or cand.source is None or cand.source.country not in countries:
                continue
            yield Candidate(cand.sense, verb, verb, verb.i + 1, cand.source, cand.target,
                            "denial:" + cand.rule, negated_by_frame=True, embedded_in=verb)
            return

    def _acting_mediator(self, verb: Token) -> Iterator[Candidate]:
        """"... with China acting as mediator": the mediator of the clause's parties."""
        mediators = self.actors(self.subject(verb)) or self.actors(next(
            (c for c in verb.children if c.dep_ in ("nsubj", "npadvmod")), None))
        if not mediators and verb.i > 0 and verb.doc[verb.i - 1].pos_ == "PROPN":
            mediators = self.actors(verb.doc[verb.i - 1])
        root = verb.sent.root
        parties = self.actors(self.subject(root)) if root != verb else []
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
        for m in _unique(mediators):
            for p in parties:
                yield Candidate(third, verb, verb, verb.i + 1, m, p, rule)
        if noun.lemma_.lower() in ("talk", "negotiation", "round", "meeting", "dialogue") and len(parties) == 2:
            a, b = parties
            yield Candidate(third, noun, verb, noun.i + 1, a, b, rule + "+parties")
            yield Candidate(third, noun, verb, noun.i + 1, b, a, rule + "+parties", mirrored=True)


REFUGE_NOUNS = frozenset({"refuge", "sanctuary"})
REFUGE_VERBS = frozenset({"take", "seek", "find"})
#: where a state shelters someone: its diplomatic missions
MISSION_NOUNS = frozenset({"embassy", "residence", "consulate", "mission", "legation", "compound"})


def _modifies_noun(noun: Token) -> bool:
    """The word describes the noun after it ("stayaway videos", "protest leaders"), as the parser may
    miss in a headline: it names no event of its own."""
    nxt = noun.doc[noun.i + 1] if noun.i + 1 < len(noun.doc) else None
    return noun.dep_ == "compound" or (nxt is not None and nxt.tag_ in ("NN", "NNS") and noun.tag_ == "NN")


def _protest_participle(c: Candidate, out: list[Candidate]) -> bool:
    """A protest told again by a participle of another protest's verb ("rallied outside the
    parliament chanting 'X, our president'", "marched through the centre waving flags"): one protest,
    and the name in its slogan is no target."""
    v = c.verb
    return (c.sense.type == "PROTEST" and c.trigger is v and v.dep_ in ("advcl", "xcomp", "acl") and v.tag_ == "VBG"
            and any(o is not c and o.sense.type == "PROTEST" and o.verb.i == v.head.i for o in out))


def extract_sentence(extractor: Extractor, sent: Span) -> list[Candidate]:
    """Candidates of one sentence, de-duplicated (one per type and dyad, richest first)."""
    cands = list(extractor.sentence(sent))
    for c in cands:  # accusations first, so that a denial in the same sentence finds them
        if c.embedded_in is not None and not c.rule.startswith("denial:"):
            extractor.accused.append((sent.start, c))
    for tok in sent:  # "..., a charge Ankara denies"
        if _lemma(tok) in DENY_VERBS and not any(c.trigger.i == tok.i and c.rule.startswith("denial:") for c in cands):
            denial = list(extractor._denied_accusation(tok))
            if denial:  # (rejecting or dismissing it stays a REJECT of the accuser as well: see `_verb`)
                cands = [c for c in cands if c.trigger.i != tok.i or (_lemma(tok) != "deny" and c.sense.type == "REJECT")] + denial
    cands = [_rejected_accuser(c, cands) for c in cands]
    cands += list(extractor.joint_with(cands))
    cands += list(extractor.followers(sent, cands))
    cands += _sentencing_convictions(cands)
    cands = _mediated_parties(cands)
    if DISASTER.search(sent.text):  # "an earthquake struck eastern Turkey": no attacker, no attack
        cands = [c for c in cands if not (c.sense.type in VIOLENT and c.source is None)]
    absorbed = {c.absorbs for c in cands if c.absorbs is not None}
    cands = [c for c in cands if c.trigger.i not in absorbed]
    out: list[Candidate] = []
    seen: set = set()
    for c in sorted(cands, key=lambda c: (c.target is None, c.source is None, c.trigger.i)):
        key = (c.sense.type, c.sense.mode, c.source.key if c.source else None, c.target.key if c.target else None,
               c.negated_by_frame)  # (two modes are two acts: "searched the offices and detained staff")
        if key in seen:
            continue
        if c.sense.type == "CONSULT" and c.source and c.target and any(
                o.sense.type == "CONSULT" and o.trigger.i != c.trigger.i and o.source and o.target and
                _pair(o) == _pair(c) for o in out):
            continue  # "X visited Y, their first meeting since ...": one meeting, however named
        if c.target is None and any(o.sense.type == c.sense.type and o.sense.mode == c.sense.mode and o.source is not None
                                    and c.source is not None and o.source.key == c.source.key
                                    and o.negated_by_frame == c.negated_by_frame for o in out):
            continue
        if c.source is None and any(o.sense.type == c.sense.type and o.target is not None and c.target is not None and o.target.key == c.target.key for o in out):
            continue
        seen.add(key)
        out.append(c)
    for c in out:
        if not c.mirrored and not c.negated_by_frame:
            extractor.said.append((sent.start, c.sense.type, c.source, c.target, _lemma(c.trigger)))
    extractor.previous = (sent.end, [c for c in out if c.verb.dep_ == "ROOT"])
    assault_sources = {c.source.key for c in out if c.sense.type == "ASSAULT" and c.source}
    out = [c for c in out if not (c.sense.type == "MOBILIZE" and c.source and c.source.key in assault_sources)]
    out = [c for c in out if not (c.sense.type == "ASSAULT" and _accident_toll(c.verb))]
    out = [c for c in out if not _protest_participle(c, out)]
    out = [c for c in out if not questioned(c.verb, c.trigger)]
    return sorted(out, key=lambda c: c.trigger.i)


#: the verbs that open a yes/no question ("Did police fire ...?", "Will the army storm ...?")
QUESTION_OPENERS = frozenset({"did", "does", "do", "will", "would", "can", "could", "should", "shall", "is", "are",
                              "was", "were", "has", "have", "had", "may", "might", "must", "wo", "ca"})


#: words opening an embedded question ("asked whether ...", "asked why ...")
EMBEDDED_QUESTION = frozenset({"whether", "if", "why", "how", "when", "where", "what", "who", "which"})


#: what a call is made by ("in a phone call", "over the telephone", "by video link")
PHONE_WORDS = frozenset({"phone", "telephone", "call", "videoconference", "teleconference", "videolink", "video-link"})
#: what is a call when made by phone or video ("in a telephone conversation", "by video link")
REMOTE_NOUNS = frozenset({"conversation", "link", "conference", "chat", "meeting", "summit"})


def _by_phone(verb: Token) -> bool:
    """The meeting the verb reports was held by phone or video: "discussed Idlib in a phone call",
    "talked over the telephone", "conferred by video link"."""
    for p in verb.children:
        if p.dep_ != "prep" or p.lower_ not in ("in", "during", "over", "by", "via", "on"):
            continue
        for o in _children(p, "pobj"):
            if o.lemma_.lower() in PHONE_WORDS or (o.lemma_.lower() in REMOTE_NOUNS and any(
                    c.dep_ in ("compound", "amod") and c.lemma_.lower() in ("phone", "telephone", "video", "virtual")
                    for c in o.children)):
                return True
    return False


#: auxiliaries of what is to be done: "agreed that their ministers would meet" is an agreement
AGREED_ACT_AUX = frozenset({"will", "would", "shall", "should", "must", "'ll", "wo", "can", "could", "may", "might"})
#: verbs of a state of affairs: "agreed that the crisis requires dialogue" is a view
STATE_VERBS = frozenset({"be", "seem", "remain", "appear", "look", "require", "need", "deserve", "matter", "exist",
                         "lie", "rest", "have", "pose", "represent", "constitute", "show", "prove", "mean"})


def _agreed_opinion(verb: Token) -> bool:
    """"agreed that the talks had been useful", "agreed the situation was worrying": what is agreed
    is a view of how things are or were, not what someone is to do, so no agreement between parties
    is made (PLOVER's AGREE is a commitment). A clause of what will, would, should or must happen
    ("agreed that their ministers would meet"), or one in the subjunctive ("agreed that talks
    resume"), is an agreement, as is anything agreed "to" or "on"."""
    if _lemma(verb) not in ("agree", "concur"):
        return False
    if any(c.dep_ in ("xcomp", "dobj") for c in verb.children) or any(
            p.dep_ == "prep" and p.lower_ in ("to", "on", "upon") for p in verb.children):
        return False
    clauses = [c for c in verb.children if c.dep_ == "ccomp" and c.pos_ in ("VERB", "AUX")]
    if not clauses:
        return False
    for c in clauses:
        aux = [a for a in c.children if a.dep_ in ("aux", "auxpass")]
        if any(a.lower_ in AGREED_ACT_AUX for a in aux):
            return False
        if c.tag_ == "VB" and not aux:
            return False  # the subjunctive: "agreed that the talks resume"
        if _lemma(c) == "be" and any(x.dep_ == "xcomp" and any(t.lower_ == "to" for t in x.children) for x in c.children):
            return False  # "agreed that the talks are to resume"
        if c.tag_ in ("VBZ", "VBP") and not aux and _lemma(c) not in STATE_VERBS:
            return False  # "agreed that the ceasefire begins at midnight": a schedule agreed
    return True


#: what a ceasefire is called
TRUCE_NOUNS = frozenset({"ceasefire", "cease-fire", "truce", "armistice"})
#: verbs that announce an end ("announced an end to the ceasefire", "put an end to the truce")
END_ANNOUNCING_VERBS = frozenset({"announce", "declare", "proclaim", "order", "put", "bring"})
#: what a truce is declared to be when it ends ("declared the ceasefire over")
ENDED_WORDS = frozenset({"over", "dead", "void", "null", "finished", "ended", "invalid"})


def truce_ender(noun: Token) -> Token | None:
    """The verb by which a party declares a ceasefire at an end: "announced an end to the ceasefire",
    "put an end to its truce", "declared the ceasefire over". None for any other use of a truce noun
    (a truce agreed, declared or held; one ended, suspended or called off is read through its light
    verb, `REVERSING_LIGHT`)."""
    if noun.lemma_.lower() not in TRUCE_NOUNS:
        return None
    if noun.dep_ == "pobj" and noun.head.lower_ == "to" and noun.head.head.lemma_.lower() == "end" \
            and noun.head.head.pos_ == "NOUN":
        end = noun.head.head
        if end.dep_ in ("dobj", "attr") and end.head.pos_ == "VERB" and _lemma(end.head) in END_ANNOUNCING_VERBS:
            return end.head
        return None
    if noun.dep_ == "pobj" and noun.head.dep_ == "prt" and noun.head.head.pos_ == "VERB":
        verb = noun.head.head  # "called off the ceasefire", the object parsed under the particle
    elif noun.dep_ in ("dobj", "nsubjpass") and noun.head.pos_ == "VERB":
        verb = noun.head
    else:
        return None
    if _lemma(verb) == "declare" and any(c.lower_ in ENDED_WORDS for c in verb.children
                                         if c.dep_ in ("oprd", "acomp", "ccomp", "xcomp", "advmod", "prt")):
        return verb
    return None


def _asks_a_question(verb: Token) -> bool:
    """True when ``verb`` ("ask", "inquire") takes an embedded question rather than a request:
    "asked whether police had fired", "asked if the government would release them", "asked why"."""
    if verb.lemma_.lower() not in ("ask", "inquire", "enquire", "wonder"):
        return False
    for c in verb.children:
        if c.dep_ in ("ccomp", "advcl") and c.i > verb.i:
            first = c.left_edge
            if first.lower_ in EMBEDDED_QUESTION or any(
                    m.dep_ in ("mark", "advmod") and m.lower_ in EMBEDDED_QUESTION and m.i < c.i for m in c.children):
                return True
    return False


def questioned(verb: Token, trigger: Token | None = None) -> bool:
    """True when ``verb`` lies in a yes/no question: "Will the army storm the town?", "Did police
    fire on the crowd?" (or a quoted one: 'he asked: "Will ...?"'). A question asserts no event,
    so none is coded. Read off the surface (an auxiliary opening a clause that ends in a question
    mark), since the parser often misreads questions. Wh-questions presuppose their event ("Why did
    police fire on the crowd?") and are left alone, as are clauses under the question ("Can the police
    be trusted after officers shot three protesters?", "Has the army, which shelled the town, left?")."""
    if any(t.dep_ in ("advcl", "relcl", "acl") for t in (verb, *verb.ancestors) if t.sent == verb.sent):
        return False  # a clause under the question is presupposed ("... after officers shot three protesters?")
    noun = trigger if trigger is not None and trigger.pos_ in ("NOUN", "PROPN") else None
    if noun is not None and any(c.dep_ == "poss" for c in noun.children):
        return False  # an event noun with its own actor is presupposed ("Will you accept Mnangagwa's invitation?")
    sent = verb.sent
    end = None
    for t in sent:
        if t.i >= verb.i and t.text == "?":
            end = t.i
            break
    if end is None:
        return False
    start = sent.start
    for t in sent:
        if t.i >= verb.i:
            break
        if t.text in (":", ";", "\"", "\u201c", "?"):
            start = t.i + 1
    first = next((t for t in sent.doc[start:end] if t.is_alpha), None)
    return first is not None and first.lower_ in QUESTION_OPENERS and first.i < verb.i


def _mediated_parties(cands: list[Candidate]) -> list[Candidate]:
    """"The army and the RSF held talks hosted by Saudi Arabia": the parties of talks a mediator hosts,
    brokers or facilitates talk through it, a mirrored CONSULT/third-party pair (gold README)."""
    mediated = [c for c in cands if c.rule.endswith("+mediation") and c.target is not None]
    if not mediated:
        return cands
    parties = {c.target.key for c in mediated}
    mediators = {c.source.key for c in mediated if c.source is not None}
    out = []
    for c in cands:
        if c.sense.type == "CONSULT" and c.sense.mode is None and c.source is not None and c.target is not None \
                and {c.source.key, c.target.key} <= parties and not {c.source.key, c.target.key} & mediators:
            c = replace(c, sense=replace(c.sense, mode="third-party", cameo=None))
        out.append(c)
    return out


def _rejected_accuser(c: Candidate, cands: list[Candidate]) -> Candidate:
    """"Pompeo blamed Iran for the attacks, and Tehran dismissed the accusation": an accusation
    rejected in the sentence that makes it refuses the accuser (an earlier sentence's is found by
    `Extractor.event_anaphor`)."""
    if c.sense.type != "REJECT" or c.target is not None or c.source is None or _lemma(c.trigger) not in DENY_VERBS:
        return c
    obj = _obj(c.trigger)
    if obj is None or obj.lemma_.lower() not in ACCUSATION_NOUNS:
        return c
    mine = {c.source.key, c.source.country} - {None}
    accuser = next((a.source for a in cands if a.sense.type == "ACCUSE" and a.trigger.i < c.trigger.i and
                    a.source is not None and a.target is not None and {a.target.key, a.target.country} & mine
                    and a.source.country != c.source.country), None)
    return replace(c, target=accuser) if accuser is not None else c


def _sentencing_convictions(cands: list[Candidate]) -> list[Candidate]:
    """A sentence passed is a conviction as well as a detention: "a court sentenced X to ten years"
    (or "X received ten years", a prison term passed on the subject) is SANCTION/convict and
    COERCE/arrest, one record each (PLOVER's convict mode; the corpus and the shared gold code both).
    Not when the sentence names the conviction on its own ("found guilty and sentenced", "convicted
    ... and sentenced"), which is already coded."""
    def party(m: Mention | None) -> str | None:
        return m.country or m.key if m is not None else None

    convicted = {party(c.target) for c in cands if c.sense.type == "SANCTION" and c.sense.mode == "convict"}
    out = []
    for c in cands:
        if c.sense.type == "COERCE" and c.sense.mode == "arrest" and c.trigger.pos_ == "VERB" and \
                (c.trigger.lemma_.lower() == "sentence" or c.sense.subject_is_target) and party(c.target) not in convicted:
            out.append(replace(c, sense=replace(c.sense, type="SANCTION", mode="convict", cameo=None),
                               rule=f"{c.rule}+convict", notes=list(c.notes)))
    return out


def _unique(mentions: list[Mention]) -> list[Mention]:
    """One mention per actor key, in order."""
    return list({m.key: m for m in mentions}.values())


#: speech verbs whose clause with "should" / "must" is a demand ("said X should resign")
#: acts a party is said to be "responsible for" or "behind" besides the lexicon's event nouns
BLAMED_ACTS = frozenset({"assassination", "massacre", "blast", "explosion", "hack", "cyberattack", "murder", "death",
                         "poisoning", "sabotage", "leak", "plot", "coup", "crash", "downing", "disappearance"})
DEMAND_SPEECH_VERBS = frozenset({"say", "tell", "insist", "declare", "state", "add", "write", "tweet", "argue"})
#: the REQUEST mode of a demanded act, by the act's type
DEMANDED_MODES = {"RETREAT": "yield", "CONCEDE": "yield", "AID": "assist", "COOPERATE": "assist",
                  "SUPPORT": "assist", "CONSULT": "meet", "AGREE": "change", "REJECT": "change"}


#: what vehicles and buildings do in accidents ("collided ..., killing 28 people")
ACCIDENT_VERBS = frozenset({"collide", "crash", "overturn", "capsize", "derail", "sink", "collapse", "plunge",
                            "skid", "topple", "flip", "veer"})
#: what has accidents: a bomber who "crashed his car into a checkpoint" attacks
VEHICLES = frozenset({"bus", "minibus", "coach", "truck", "lorry", "van", "car", "train", "tram", "plane", "aircraft",
                      "airliner", "jet", "boat", "ship", "ferry", "vessel", "barge", "tanker", "building", "bridge",
                      "dam", "wall", "roof", "mine"})


def _accident_toll(verb: Token) -> bool:
    """"A bus collided with a tanker, killing 28 people": the toll of a vehicle's or a building's
    accident is no attack (the accident verb with a vehicle as its subject and no object; "crashed
    his car into a checkpoint" and "crashed a truck bomb into the base" are attacks)."""
    node = verb
    while node.dep_ in ("advcl", "conj", "xcomp", "acl") and node.tag_ == "VBG" and node.head.i != node.i:
        node = node.head  # (the parser sometimes hangs both verbs on the vehicle: "A truck ... overturned")
        if node.pos_ in ("NOUN", "PROPN"):
            accidents = [t for t in node.subtree if t.pos_ == "VERB" and _lemma(t) in ACCIDENT_VERBS]
            return node.lemma_.lower() in VEHICLES and any(not _children(t, "dobj") for t in accidents)
        if _lemma(node) in ACCIDENT_VERBS:
            subj = _children(node, "nsubj")  # (a compound too: "A bus carrying pilgrims" parsed as one noun)
            vehicle = bool(subj) and any(t.lemma_.lower() in VEHICLES for t in subj[0].subtree
                                         if t.i == subj[0].i or t.dep_ == "compound")
            return vehicle and not _children(node, "dobj")
    return False


#: nouns of material acts that a judgment ("called the closure a provocation") points back from,
#: beside the event anaphors of `words.EVENT_ANAPHORS` (which any anaphor reaches)
JUDGED_ACTS = frozenset({"diversion", "closure", "removal", "dissolution", "suspension", "withdrawal", "takeover",
                         "shutdown", "annexation", "interception", "bombardment", "confiscation", "demolition",
                         "dismissal", "ouster", "occupation"})


def _judges(verb: Token) -> bool:
    """"called the deployment a provocation": "call" with an object complement judges the act; it
    is no light verb for it."""
    return _lemma(verb) == "call" and any(c.dep_ == "oprd" for c in verb.children)


def _pair(c: Candidate) -> frozenset:
    """The two parties of an interaction, by country where known (Erdogan and Turkey are one party)."""
    return frozenset((m.country or m.key) for m in (c.source, c.target) if m is not None)


RECIPROCALS = (("each", "other"), ("one", "another"))


def _reciprocal(trigger: Token, verb: Token, obj: Token | None) -> bool:
    """The act's object or the noun of one of its phrases is a reciprocal pronoun, or is owned by
    one ("accused each other", "clashed with one another", "expelled each other's diplomats")."""
    heads = [t for t in (obj,) if t is not None]
    for anchor in {trigger.i: trigger, verb.i: verb}.values():
        heads += [c for c in anchor.children if c.dep_ in ("dobj", "dative")]
        heads += [o for p in anchor.children if p.dep_ == "prep" for o in p.children if o.dep_ == "pobj"]
    for h in heads:
        for t in [h] + [c for c in h.children if c.dep_ == "poss"]:
            if _is_reciprocal(t):
                return True
    return False


def _is_reciprocal(t: Token) -> bool:
    """``t`` is a word of "each other" or "one another" (the parser heads either word)."""
    doc = t.doc
    return (t.i > 0 and (doc[t.i - 1].lower_, t.lower_) in RECIPROCALS) or \
        (t.i + 1 < len(doc) and (t.lower_, doc[t.i + 1].lower_.rstrip("'s")) in RECIPROCALS)


#: nouns that bundle an act's goods ("an aid package", "a second arms shipment")
BUNDLE_NOUNS = frozenset({"package", "packages", "programme", "program", "tranche", "consignment"})
AMOUNT_WORDS = frozenset({"million", "billion", "trillion", "bn", "mn", "tonnes", "tons", "tonne", "ton"})


def _amount(tok: Token) -> bool:
    """``tok`` is an amount of money or goods ("$500 million", "2,000 tonnes", "a billion euros")."""
    return tok.ent_type_ in ("MONEY", "QUANTITY") or tok.lower_ in AMOUNT_WORDS or tok.like_num


#: explosions as subjects of their own verbs ("a car bomb exploded", "two blasts hit the market")
BLAST_NOUNS = frozenset({"bomb", "explosion", "blast", "device", "explosive", "ied", "grenade", "landmine",
                         "mine", "bombing"})
BLAST_VERBS = frozenset({"explode", "go", "detonate", "tear", "rip", "hit", "strike", "kill", "destroy", "land",
                         "wreck", "damage", "wound", "injure", "rock", "target"})
HARM_VERBS = frozenset({"kill", "wound", "injure", "maim"})
