"""Sources and targets: actors from the parse, and beyond it (owners, purposes, recipients, companions, places)."""
from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Token

from ..actors.base import STATE_SECTORS
from ..actors.resolve import ActorFinder, Mention
from ..dates import NUMBER_WORDS
from .lexicon import Lexicon
from .syntax import _children, _obj, _particle, _preps
from .words import (CIVILIAN_PLACES, HELP_VERBS, PHYSICAL_TARGETS, PURPOSE_VERBS, RESPONSE_VERBS, SPEECH_NOUNS,
                    VIOLENT)


#: verbs whose subject undergoes what a threat promises ("X will pay", "X will regret it")
SUFFER_VERBS = frozenset({"pay", "regret", "rue", "suffer", "face", "perish", "burn"})
GERUND_PREPS = frozenset({"after", "before", "since", "by", "through", "while", "during", "of", "following"})
SPAN_NOUNS = frozenset({"decade", "year", "month", "week", "day", "hour", "period", "time"})


def reduced_passive(verb: Token) -> bool:
    """A passive participle with its agent, on the noun it describes: "Venezuela, accused by the
    United States of ...", "two journalists arrested by police" (the noun undergoes the act)."""
    return verb.dep_ == "acl" and verb.tag_ == "VBN" and verb.head.pos_ in ("NOUN", "PROPN", "PRON") and \
        not any(c.dep_ in ("nsubjpass", "auxpass", "nsubj") for c in verb.children) and \
        (any(c.dep_ == "agent" for c in verb.children) or verb.lemma_.lower() in UNDERGONE_PARTICIPLES)


#: acts whose participle on a noun, with no agent, says the noun underwent them ("four men convicted of
#: spying", "a journalist detained last week"): never done by it
UNDERGONE_PARTICIPLES = frozenset({"convict", "sentence", "detain", "arrest", "jail", "imprison", "charge",
                                   "accuse", "kidnap", "abduct", "expel", "deport", "execute", "kill", "wound",
                                   "injure", "hold", "capture", "seize", "sanction", "ban", "exile", "torture",
                                   "release", "free", "pardon", "extradite", "indict", "prosecute", "condemn"})


#: participles whose agent is the one who does the act a noun names ("a strike called by the unions",
#: "a march organised by the opposition"), not one who only comments on it ("an attack condemned by")
CALLER_LEMMAS = frozenset({"call", "organise", "organize", "stage", "lead", "convene", "mount", "launch", "plan",
                           "sponsor", "declare"})
#: event nouns with no patient, whose "of" phrase names who acts ("the resignation of the minister")
DOER_OF_NOUNS = frozenset({"resignation"})

class ArgumentsMixin:
    """Argument finding for `Extractor`: who acts and on whom, from the parse and its surroundings."""

    finder: ActorFinder
    lex: Lexicon
    _actors: dict[int, list[Mention]]  # token index -> its actors (`actors`)

    # -- from the parse ------------------------------------------------------------------------
    def actor(self, tok: Token | None) -> Mention | None:
        if tok is None:
            return None
        m = self.finder.resolve(tok)
        if m is None:
            m = self.finder.descriptor(tok)
        return m

    def actors(self, tok: Token | None) -> list[Mention]:
        """The actors a noun phrase names (its conjuncts and the states conjoined in its modifiers
        too), found once per token of the document; a new list each call (callers extend it)."""
        if tok is None:
            return []
        got = self._actors.get(tok.i)
        if got is None:
            got = self._find_actors(tok)
            if tok.doc is self.finder.doc:
                self._actors[tok.i] = got
        return list(got)

    def _find_actors(self, tok: Token) -> list[Mention]:
        both = self.finder.both_parties(tok) or self.finder.same_state_pair(tok)
        if both:
            return both  # "urged both sides to halt the fighting"
        named = self.counted_names(tok)
        if named:
            group = self.actor(tok)
            out = []
            for t in named:  # "two journalists, A and B": one actor each, of the group's country
                m = self.actor(t)
                if m is None or (group is not None and m.country is None):
                    base = m or group
                    if base is None:
                        continue
                    m = replace(base, start=t.i, end=t.i + 1, head=t.i, text=t.text,
                                country=(group.country if group is not None else None) or base.country,
                                sector=base.sector or (group.sector if group is not None else None))
                out.append(m)
            if out:
                return out
        out = []
        for t in self.finder.expand(tok):
            m = self.actor(t)
            if m is not None:
                if out and m.country is None and m.kind in ("agent", "group") and t.i != tok.i \
                        and out[0].kind in ("agent", "group") and out[0].country:
                    m = replace(m, country=out[0].country)  # "US companies and six executives": US too
                out.append(m)
                out += self.finder.conjoined_modifiers(t, m)
                out += self.finder.members(t, m)
        return out

    def counted_names(self, tok: Token) -> list[Token]:
        """The people a counted group is, when the text names as many as it counts: "two journalists
        from Belsat TV, Katsiaryna Andreyeva and Darya Chultsova" (the heads of the names; the parser
        rarely attaches such a list to the group, so it is read from the text)."""
        if tok.tag_ != "NNS":
            return []
        count = next((NUMBER_WORDS.get(c.lower_) or (int(c.text) if c.text.isdigit() else 0)
                      for c in tok.children if c.dep_ == "nummod"), 0)
        if not 2 <= count <= 10:
            return []
        doc, end = tok.doc, tok.sent.end
        i = tok.i + 1
        while i < end and doc[i].text != ",":  # the rest of the group's phrase, up to a comma
            if (doc[i].pos_ in ("VERB", "AUX") and doc[i].dep_ != "amod") or doc[i].text in (";", ":", "(", ")") \
                    or i - tok.i > 12:  # "Poland-based" may stand in the phrase
                return []
            i += 1
        names: list[Token] = []
        i += 1
        while i < end:
            t = doc[i]
            if t.ent_type_ == "PERSON" and t.ent_iob_ == "B":
                while i + 1 < end and doc[i + 1].ent_iob_ == "I" and doc[i + 1].ent_type_ == "PERSON":
                    i += 1
                names.append(doc[i])
            elif t.text == "," and len(names) == count:
                break
            elif not (t.text == "," or t.lower_ in ("and", "the", "a", "an", "its", "his", "her", "their") or
                      (t.pos_ in ("NOUN", "ADJ") and not t.ent_type_)):
                break  # "the lawyer X and the political analyst Y": role words may come between
            i += 1
        if i < end and doc[i].pos_ in ("VERB", "AUX"):
            return []  # "killed two civilians, governor X and mayor Y said": the names speak
        return names if len(names) == count else []

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
        for c in verb.children:  # "The TPLF fired rockets": a name before the verb misparsed as npadvmod
            if c.dep_ == "npadvmod" and c.i < verb.i and c.pos_ == "PROPN" and c.ent_type_ in ("ORG", "GPE", "NORP", "PERSON") \
                    and not _children(verb, "nsubjpass") and self.finder.resolve(c) is not None:
                return c
        for c in verb.children:  # "Guinea, itself run by the army, refused": a misparse as ccomp
            if c.dep_ == "ccomp" and c.i < verb.i and c.tag_ in ("VBN", "VBP", "VBD") and _children(c, "agent"):
                s = _children(c, "nsubj")
                if s:
                    return s[0]
        fronted = self._fronted_apposition(verb)
        if fronted is not None:
            return fronted
        if self.passive(verb):
            for agent in _children(verb, "agent"):
                objs = _children(agent, "pobj")
                if objs:
                    return objs[0]
            return None
        node = verb
        for _ in range(3):  # inherit through xcomp/conj/advcl ("vowed to ...", "struck and killed")
            if node.dep_ in ("xcomp", "conj", "advcl", "acl") and node.head != node:
                head = node.head
                if node.dep_ == "conj" and node.tag_ in ("VBD", "VBZ", "VBP") and head.dep_ == "xcomp" \
                        and head.tag_ == "VB" and head.head != head:
                    # "urged X to withdraw and called on Y": a finite verb is not coordinated with
                    # the infinitive the parser hangs it on, but with the verb that governs it
                    head = head.head
                if node.dep_ == "acl" and head.pos_ in ("NOUN", "PROPN"):
                    if self.actor(head) is None and head.dep_ == "dobj" and head.head.pos_ == "VERB" \
                            and head.head.lemma_.lower() in ENACT_VERBS:
                        # "Putin signed decrees recognising X": the signer recognises
                        s = _children(head.head, "nsubj")
                        if s:
                            return s[0]
                    return head
                if node.dep_ == "xcomp":
                    objs = _children(head, "dobj")
                    if objs and head.lemma_ not in ("promise", "vow", "use", "employ"):
                        return objs[0]  # object control: "ordered troops to advance"
                s = _children(head, "nsubj") or ([f] if (f := self._fronted_apposition(head)) is not None else [])
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
        return self._gerund_subject(verb)

    def _fronted_apposition(self, verb: Token) -> Token | None:
        """"At the request of the attorney general, the Supreme Court barred him": the parser hangs
        the subject on the fronted phrase as an apposition of its last noun. The verb has no
        subject; the apposition follows a comma, and only adverbials ("on Tuesday") stand between
        it and the verb."""
        if _children(verb, "nsubjpass", "expl") or self.passive(verb):
            return None
        for c in verb.children:
            if c.dep_ != "prep" or c.i > verb.i:
                continue
            apps = [t for t in c.subtree if t.dep_ == "appos" and t.pos_ in ("NOUN", "PROPN") and t.i < verb.i]
            if not apps:
                continue
            app = apps[-1]
            doc = verb.doc
            if app.left_edge.i == 0 or doc[app.left_edge.i - 1].text != ",":
                continue
            between = doc[app.right_edge.i + 1:verb.i]
            adverbial = {t.i for a in verb.children if a.i > app.i and a.i < verb.i
                         and a.dep_ in ("prep", "advmod", "npadvmod", "punct") for t in a.subtree}
            if all(t.i in adverbial for t in between) and self.finder.resolve(app) is not None:
                return app
        return None

    @staticmethod
    def _gerund_subject(verb: Token) -> Token | None:
        """"France will withdraw after a decade of fighting jihadists", "they retook the town by
        shelling it": a gerund in a time or means phrase has the clause's subject."""
        if verb.tag_ != "VBG" or verb.dep_ not in ("pobj", "pcomp"):
            return None
        node = verb
        for _ in range(5):
            prep = node.head
            if prep.dep_ != "prep" or prep.lower_ not in GERUND_PREPS:
                return None
            head = prep.head
            if head.pos_ in ("VERB", "AUX"):
                if prep.lower_ == "of":
                    return None  # "accused X of bombing": the frame decides
                subj = _children(head, "nsubj")
                return subj[0] if subj else None
            if head.lemma_.lower() not in SPAN_NOUNS or head.dep_ not in ("pobj", "npadvmod"):
                return None
            node = head
        return None

    def passive(self, verb: Token) -> bool:
        """A passive clause ("X was accused by Y") or a passive participle on its noun ("X, accused by Y,")."""
        return bool(_children(verb, "nsubjpass", "auxpass")) or reduced_passive(verb)

    def undergoer(self, verb: Token) -> Token | None:
        """Who undergoes a passive verb: its passive subject, or the noun a participle describes."""
        pas = _children(verb, "nsubjpass")
        if pas:
            return pas[0]
        return verb.head if reduced_passive(verb) else None

    def parties(self, verb: Token) -> tuple[list[Mention], list[Mention]]:
        """Who did a verb's act and who underwent it, active or passive: "police arrested X", "X was
        arrested by police", "X, arrested by police, ..."."""
        if self.passive(verb):
            doers = [m for a in _children(verb, "agent") for o in _children(a, "pobj") for m in self.actors(o)]
            return doers, self.actors(self.undergoer(verb))
        obj = _obj(verb)
        return self.actors(self.subject(verb)), self.actors(obj) if obj is not None else []

    # -- beyond the plain parse ---------------------------------------------------------------
    def _noun_source(self, noun: Token) -> list[Mention]:
        own = self.finder.resolve(noun)
        if own is not None and own.head == noun.i and own.country and \
                any(c.dep_ in ("amod", "compound", "poss") for c in noun.children):
            # "an Israeli strike": the resolver already read the nationality ("their drills": all of them)
            return [own] + [x for c in noun.children if c.dep_ == "poss" for x in self.finder.members(c, own)]
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
        for acl in noun.children:  # "a general strike called by the unions", "a march organised by the opposition"
            if acl.dep_ == "acl" and acl.lemma_.lower() in CALLER_LEMMAS and not any(
                    c.dep_ == "prt" and c.lower_ == "off" for c in acl.children):  # "called off by the unions"
                for ag in acl.children:
                    if ag.dep_ == "agent":
                        ms = [m for o in ag.children if o.dep_ == "pobj" for m in self.actors(o)]
                        if ms:
                            return ms
        if noun.lemma_.lower() in DOER_OF_NOUNS:  # "the resignation of the interior minister": who resigned
            for g in _preps(noun).get("of", []):
                ms = self.actors(g)
                if ms:
                    return ms
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
                m = self.finder.match(c)
                if c.dep_ == "amod" and m is not None and m.kind in ("adjective", "demonym"):
                    iso3 = m.ref  # "the British deployment": Britain's, not the British people's
                    return [self._state_mention(c, iso3, "owner:modifier")]
                ms = self.actors(c) if c.pos_ != "ADJ" or c.ent_type_ else []  # not "military agreements"
                if ms:
                    return ms
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
        for acl in obj.children:  # "villages held by the Arakan Army": the holder
            if acl.dep_ == "acl" and acl.lemma_.lower() in HOLDER_LEMMAS:
                for agent in acl.children:
                    if agent.dep_ == "agent":
                        ms = ok([m for o in agent.children if o.dep_ == "pobj" for m in self.actors(o)])
                        if ms:
                            return ms
        preps = ("with", "on", "against", "from", "of", "to", "over") if etype not in VIOLENT else ("of",)
        if etype in ("SANCTION", "AID", "SUPPORT"):
            preps += ("for",)  # "froze funding for the authority", "weapons for the army"
        # a state the thing is in concerns it ("the results of the election in Belarus"): states only,
        # never a venue's city or an institution ("rejected the bill in parliament")
        in_state = etype not in VIOLENT and etype != "CONSULT"
        frontier = [obj]
        for _ in range(2):  # the object phrase, two prepositions deep, no clauses
            nxt = []
            for node in frontier:
                for c in node.children:
                    if c.dep_ == "prep" and (c.lower_ in preps or (in_state and c.lower_ == "in")):
                        for g in c.children:
                            if g.dep_ == "pobj":
                                if c.lower_ == "in" and c.lower_ not in preps:
                                    ms = ok([m for m in self.actors(g) if m.kind == "state"])
                                else:
                                    ms = ok(self.actors(g)) or ok(self._modifier_owner(g))  # "of US goods"
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

    def _complement_target(self, verb: Token, sources: list[Mention], *, agent_subjects: bool = False
                           ) -> list[Mention]:
        """The first actor in the verb's object or complement clause that is not the source.

        ``agent_subjects``: the subject of a that-clause acts for the source ("vowed that the army
        would retake it", "warned that his army would intervene in Libya"), so it is skipped."""
        src = {m.key for m in sources}
        src_c = {m.country for m in sources if m.country}
        for c in verb.children:
            if c.dep_ == "ccomp" and c.i < verb.i:
                continue  # a quote or parenthetical before the verb is not its complement
            if c.dep_ not in ("dobj", "xcomp", "ccomp", "dative") and not (
                    c.dep_ == "advcl" and any(a.dep_ == "aux" and a.lower_ == "to" for a in c.children)):
                continue
            if c.dep_ in ("xcomp", "advcl") and c.lemma_.lower() in TOPIC_VERBS:
                continue  # "met to discuss support for Ukraine": Ukraine is the topic, not a party
            if c.dep_ == "dobj" and verb.lemma_.lower() in TOPIC_VERBS:
                continue  # "discussed air defence for Ukraine": what was discussed, not with whom
            # (but "vowed that the United States would pay for it": who pays, regrets or suffers is
            # the one threatened)
            own = {t.i for n in c.children if n.dep_ == "nsubj" for t in n.subtree} \
                if agent_subjects and c.dep_ == "ccomp" and c.lemma_.lower() not in SUFFER_VERBS else set()
            for t in c.subtree:
                culprits = t.lower_ in ("those", "whoever")  # "punish those responsible for ..."
                if (t.pos_ not in ("NOUN", "PROPN") and not culprits) or t.dep_ in ("compound",) or t.i in own:
                    continue
                m = self.actor(t) or (None if culprits else next(iter(self._modifier_owner(t)), None))
                if m is not None and m.key not in src and not (m.country in src_c and
                                                                (m.bare or m.kind in ("state", "metonym"))):
                    return [x for x in self.actors(t) if x.key not in src] or [m]
        return []

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
                helped = _children(c, "dobj")
                # "to help the Kazakh government restore order": the parser makes the helped party the
                # subject of the clause "help" governs
                helped += [s for k in c.children if k.dep_ in ("ccomp", "xcomp") for s in _children(k, "nsubj")]
                for o in helped:
                    rec += [m for m in self.actors(o) if not m.bare or m.kind == "state"]
                # (not the state the troops are sent to: "sent troops to Ukraine to help protect Russian
                # speakers" helps no Ukraine; only the party named as the one helped is helped, or the host
                # that asked for them: "deployed to Poland at the request of the Polish government to help")
                if not helped:
                    askers = {m.country for p in _preps(verb).get("at", []) if p.lemma_.lower() in ("request", "invitation")
                              for q in _preps(p).get("of", []) for m in self.actors(q) if m.country}
                    rec += [m for p in _preps(verb).get("to", []) + [q for o in _children(verb, "dobj")
                                                                     for q in _preps(o).get("to", [])]
                            for m in self.actors(p) if m.kind == "state" and m.country in askers]
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

            place = Gazetteer.default().resolve(_place_phrase(tok))
        except Exception:
            place = None
        if place is not None and place.country:
            return Mention(tok.i, tok.i + 1, tok.i, tok.text, self.finder._state_name(place.country),
                           place.country, "GOV", None, "state", rule="visit:gazetteer")
        return None


# verbs whose object does what it says ("signed decrees recognising X"), unlike "rejected a
# proposal imposing tariffs"
ENACT_VERBS = frozenset({"sign", "issue", "adopt", "pass", "approve", "enact", "announce", "unveil",
                         "introduce", "publish", "order", "decree"})
HOLDER_LEMMAS = frozenset({"hold", "control", "occupy", "run", "man", "use", "operate", "defend"})
TOPIC_VERBS = frozenset({"discuss", "debate", "review", "address", "examine", "consider", "assess",
                         "evaluate", "explore"})
ADMIN_WORDS = frozenset({"state", "province", "region", "governorate", "oblast", "district", "county",
                         "prefecture", "department"})


#: what a response answers, named by a definite noun ("rejected the report", "welcomed the move",
#: "declined to sign the declaration") or a demonstrative ("We reject that")
ANSWERED_NOUNS = frozenset({"report", "finding", "statement", "claim", "accusation", "allegation", "charge",
                            "idea", "proposal", "offer", "plan", "declaration", "resolution", "decision", "move",
                            "suspension", "demand", "call", "request", "ultimatum", "criticism", "remark",
                            "comment", "assessment", "opinion", "verdict", "ruling", "sanction", "measure",
                            "invitation", "initiative", "announcement", "warning", "appeal", "step", "expulsion",
                            "ban", "suggestion", "conclusion", "position", "request", "aid"})
ANSWERED_DETS = frozenset({"the", "this", "that", "these", "those", "such"})
ANSWERED_PRONOUNS = frozenset({"that", "this"})
OWNER_PREPS = frozenset({"of", "by", "from", "on", "about", "against", "to", "for", "with"})


def answered_thing(verb: Token) -> Token | None:
    """The earlier statement or act a response verb answers, when the sentence does not say
    whose it is: "rejected the report", "welcomed the move", "declined to sign the declaration",
    "We reject that" (a noun with only a determiner, or a demonstrative pronoun)."""
    objs = [c for c in verb.children if c.dep_ == "dobj"]
    objs += [d for x in verb.children if x.dep_ == "xcomp" for d in x.children if d.dep_ == "dobj"]
    for o in objs:
        if o.lower_ in ANSWERED_PRONOUNS and o.pos_ in ("PRON", "DET"):
            return o
        if o.lemma_.lower() not in ANSWERED_NOUNS or o.pos_ != "NOUN":
            continue
        mods = [c for c in o.children if c.i < o.i]
        if not mods or mods[0].lower_ not in ANSWERED_DETS or any(
                c.dep_ in ("poss", "compound", "nmod") or (c.dep_ == "amod" and c.ent_type_) for c in mods):
            continue  # "Russia's proposal", "the EU plan", "a report": whose, or no earlier one
        if any(c.dep_ in ("acl", "relcl") or (c.dep_ == "prep" and c.lower_ in OWNER_PREPS)
               for c in o.children if c.i > o.i):
            continue  # "the report by the UN", "the plan drawn up by X": the sentence says whose
        return o
    return None


def answered_author(thing: Token, finder: ActorFinder, source: dict | None, back: int = 2) -> Mention | None:
    """Who made what a response answers: the subject of the main clause of the nearest of the
    ``back`` sentences before, with a country, that is not the responder ("the UN office said in a
    report ... The government rejected the report" → the UN office); the responder's own state is
    not its own addressee."""
    doc = thing.doc
    src_key = (source.get("name"), source.get("country"), source.get("sector")) if source else None
    src_c = source.get("country") if source else None
    state_src = bool(source) and source.get("sector") in STATE_SECTORS
    sent = thing.sent
    for _ in range(back):
        if sent.start == 0:
            return None
        sent = doc[sent.start - 1].sent
        verbs = [t for t in sent if t.dep_ == "ROOT" or (t.dep_ == "conj" and t.head.dep_ == "ROOT")]
        # the clause that made the thing ("... and eleven governments issued a joint statement"),
        # else the nearest clause
        made = [v for v in verbs if _makes(v, thing)]
        for v in made or list(reversed(verbs)):
            for c in v.children:
                if c.dep_ != "nsubj":
                    continue
                m = finder.resolve(c)
                if m is None or not m.country or m.key == src_key:
                    continue
                if m.country == src_c and (state_src or m.sector in STATE_SECTORS or m.kind == "state"):
                    continue  # a state does not answer itself
                return m
            if made:
                return None  # the text says who made it, and that one is not an actor here
    return None


def _makes(verb: Token, thing: Token) -> bool:
    """``verb`` made ``thing``: its object is such a thing ("issued a statement"), or it is the
    verb of the thing's noun ("suspended" for "the suspension", "declared" for "the declaration")."""
    lemma, word = verb.lemma_.lower(), thing.lemma_.lower()
    if any(d.dep_ == "dobj" and d.lemma_.lower() == word for d in verb.children):
        return True
    k = 0
    while k < min(len(lemma), len(word)) and lemma[k] == word[k]:
        k += 1
    return k >= 5


def _place_phrase(tok: Token) -> str:
    """The whole place name a token belongs to, with a following "state"/"province" word
    ("Shan state" is in Myanmar; "Shan" alone is also a Chinese town)."""
    doc = tok.doc
    start, end = tok.i, tok.i + 1
    if tok.ent_type_:  # the entity around the token, from its IOB tags (not a scan of doc.ents)
        while start > 0 and doc[start].ent_iob_ == "I":
            start -= 1
        while end < len(doc) and doc[end].ent_iob_ == "I":
            end += 1
    if end < len(doc) and doc[end].lower_ in ADMIN_WORDS:
        end += 1
    return doc[start:end].text

