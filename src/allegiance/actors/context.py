"""Resolution from the document context rather than the phrase alone.

Rule-based coreference of pronouns ("he", "its", "they") and definite descriptors ("the group",
"the country"), relative pronouns ("a faction that ..."), appositions ("the group, Hezbollah,"),
and acronyms the text defines ("the Rapid Support Forces (RSF)"), including organisations the
catalog does not know but the text names and describes.
"""
from __future__ import annotations

import re
from dataclasses import replace

from spacy.tokens import Token

from .base import ORG_DESCRIPTORS, PERSON_NOUNS, STATE_DESCRIPTORS, FinderBase, Mention, _Acronym, _Match

__all__ = ["ContextMixin"]

# words that make an unknown proper name an armed group or a party ("the X Liberation Front")
ARMED_NAME_WORDS = frozenset({"front", "army", "forces", "force", "brigade", "brigades", "battalion",
                              "battalions", "militia", "militias", "liberation", "resistance", "legion",
                              "mujahideen", "guerrillas", "rebels", "insurgents", "tigers", "defenders"})
PARTY_NAME_WORDS = frozenset({"party"})
ACRONYM_LINKS = frozenset({"of", "the", "for", "and", "al", "el", "-", "'s", "de", "du", "des", "la", "le",
                           "wal", "in", "on", "to"})
RELATIVE_PRONOUNS = frozenset({"that", "which", "who", "whom", "whose"})
PERSON_PRONOUNS = frozenset({"he", "him", "his", "she", "her", "hers"})
THING_PRONOUNS = frozenset({"it", "its"})
PLURAL_PRONOUNS = frozenset({"they", "them", "their", "theirs"})
_ANY_PRONOUN = PERSON_PRONOUNS | THING_PRONOUNS | PLURAL_PRONOUNS
FIRST_PLURAL = frozenset({"we", "us", "our", "ours", "ourselves"})
FIRST_SINGULAR = frozenset({"i", "me", "my", "mine", "myself"})
SPEECH_VERBS = frozenset({"say", "tell", "add", "insist", "warn", "declare", "write", "state", "argue",
                          "stress", "vow", "pledge", "announce", "claim", "assert", "reply", "respond",
                          "note", "explain", "urge", "promise", "threaten", "charge", "tweet", "post"})
QUOTES = "\"“”«»"
AIRCRAFT = frozenset({"jet", "warplane", "plane", "aircraft", "bomber", "fighter-bomber", "helicopter",
                      "gunship", "drone"})
# sectors whose definite bare plural ("the rebels", "the militants") names the group just mentioned
ANAPHORIC_SECTORS = frozenset({"REB", "PRM", "MIL"})
RULER_HEADS = frozenset({"junta", "regime"})  # "the junta": whose junta the text already said
# a state's institutions, by head word: "the army" is the army named just before ("Israel's army ...
# The army said"), "the military" too
INSTITUTION_GROUPS = (frozenset({"army", "military"}), frozenset({"ministry"}), frozenset({"police"}),
                      frozenset({"navy"}), frozenset({"government", "cabinet"}))
INSTITUTION_HEADS = frozenset().union(*INSTITUTION_GROUPS)
# an armed group's words ("the militia"): the armed group last named
ARMED_GROUP_HEADS = frozenset({"militia", "faction", "insurgency", "guerrilla"})
ARMED_GROUP_SECTORS = frozenset({"REB", "PRM"})
# how many sentences back a definite description ("the army", "the militia") looks for its antecedent
DEFINITE_SENTENCES = 3
# a transcript's speaker label, at a line's start or after the previous turn's last sentence:
# "LUKASHENKO (interview with state media, 8 September): ...", "... to me? MADURO: I will ..."
SPEAKER_LABEL = re.compile(r"(?:^|(?<=[.?!…\"'’”)]) +)([^\W\d_][^\W\d_.'’-]*(?: [^\W\d_][^\W\d_.'’-]*){0,3})"
                           r"(?: *\([^()\n]{0,160}\))?:(?= )", re.M)
QUESTIONER_LABELS = frozenset({"Q", "QUESTION", "REPORTER", "INTERVIEWER", "MODERATOR", "HOST", "ANCHOR"})
#: nouns of one person's role beside `base.PERSON_NOUNS` ("X, the party's candidate,")
PERSON_ROLES = frozenset({"leader", "chairman", "chairwoman", "chair", "founder", "spokesman", "spokeswoman",
                          "spokesperson", "mayor", "governor", "lawmaker", "legislator", "deputy", "senator",
                          "minister", "president", "commander", "general", "colonel", "judge", "prosecutor",
                          "ambassador", "envoy", "head", "chief", "secretary", "director", "adviser", "advisor",
                          "aide", "member", "veteran", "former"})
#: pairs that are two states, never two actors of one ("the two countries")
STATE_PAIR_NOUNS = frozenset({"country", "nation", "state", "capital", "neighbour", "neighbor"})


def _pair_lemmas() -> frozenset[str]:
    """The nouns ``same_state_pair`` counts ("both leaders", "the two men"), made once."""
    global _PAIR_LEMMAS
    if _PAIR_LEMMAS is None:
        from .resolve import PAIR_NOUNS, PAIR_PEOPLE

        _PAIR_LEMMAS = (PAIR_NOUNS | PAIR_PEOPLE) - STATE_PAIR_NOUNS
    return _PAIR_LEMMAS


_PAIR_LEMMAS: frozenset[str] | None = None
STATE_BODY_WORDS = frozenset({"ministry", "government", "presidency", "embassy", "cabinet", "department",
                              "army", "police", "forces", "prosecutor", "council"})
UNION_WORDS = frozenset({"union", "unions", "confederation", "syndicate", "workers", "trade"})
PARTY_WORDS = frozenset({"party", "alliance", "movement", "front", "coalition", "opposition"})
#: prepositions that open a heading's topic, not its author ("... on the arrests in X")
TOPIC_PREPS = frozenset({"on", "about", "over", "regarding", "concerning", "against", "in", "to", "after",
                         "following", "with"})
# how many more sentences on a quotation that stays open may run before its speech verb
QUOTE_SENTENCES = 3
# heading lines before a statement's first sentence ("PRESS RELEASE. Statement of the office of X.")
HEADING_LINES = 2
# how far back "he" or "her" looks for the one person named, past the sentence before
SALIENCE_SENTENCES = 3


class ContextMixin(FinderBase):
    """Coreference, relative pronouns, appositions and text-defined acronyms."""

    # -- pronouns -----------------------------------------------------------------------------
    @staticmethod
    def _is_relative(tok: Token) -> bool:
        """A relative pronoun opening a clause on a noun ("a faction that Washington armed")."""
        return tok.lower_ in RELATIVE_PRONOUNS and tok.head.dep_ == "relcl" and tok.head.head.pos_ in ("NOUN", "PROPN")

    def _relative(self, tok: Token) -> Mention | None:
        """The relative pronoun's antecedent: "a faction that Washington armed" → the faction."""
        ante = self.resolve(tok.head.head)
        return replace(ante, rule=f"relative:{ante.rule}") if ante is not None else None

    @staticmethod
    def _is_pronoun(tok: Token) -> bool:
        return tok.pos_ == "PRON" or tok.lower_ in _ANY_PRONOUN

    def _coref(self, tok: Token) -> Mention | None:
        low = tok.lower_
        if low in FIRST_PLURAL or low in FIRST_SINGULAR:
            return self._first_person(tok)
        window_start = self.doc[max(0, tok.sent.start - 1)].sent.start if tok.sent.start else 0
        window_start = max(0, min(window_start, tok.sent.start))
        prior = [m for m in self.mentions if window_start <= m.head < tok.i]
        # prefer earlier sentences' subjects; inside the sentence, the nearest
        if low in PERSON_PRONOUNS:
            def fits(m: Mention) -> bool:
                return m.kind in ("person", "title")
        elif low in THING_PRONOUNS:  # states, organisations, and singular groups ("the faction ... its")
            def fits(m: Mention) -> bool:
                return m.kind in ("state", "organisation", "metonym") or (
                    m.kind in ("group", "agent") and self.doc[m.head].tag_ in ("NN", "NNP"))
        elif low in PLURAL_PRONOUNS:
            def fits(m: Mention) -> bool:  # "Iran and Russia said they ...": conjoined states too
                return m.kind in ("group", "agent", "organisation") or (
                    m.kind in ("state", "metonym") and any(c.dep_ == "conj" for c in self.doc[m.head].children))
        else:
            return None
        bound = self._clause_antecedent(tok, fits)
        if bound is not None:
            self.antecedents[tok.i] = bound
            return replace(bound, start=tok.i, end=tok.i + 1, head=tok.i, text=tok.text,
                           rule=f"coref:clause:{bound.rule}")
        shared = self._parallel_object(tok, fits)
        if shared is not None:
            self.antecedents[tok.i] = shared
            return replace(shared, start=tok.i, end=tok.i + 1, head=tok.i, text=tok.text,
                           rule=f"coref:parallel:{shared.rule}")
        cands = [m for m in prior if fits(m)]
        role = _partitive_head(tok) or tok  # "detained 30 of them": them is the object's
        if role.dep_ in ("dobj", "dative", "iobj") and tok.lower_ not in ("its", "his", "her", "their"):
            own = {c.i for c in role.head.children if c.dep_ in ("nsubj", "nsubjpass")}
            verb = role.head
            while not own and verb.dep_ in ("advcl", "conj") and verb.head.i != verb.i:
                # "X barred Y, accusing him of fraud": the participle's understood subject is X
                verb = verb.head
                own = {c.i for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")}
            cands = [m for m in cands if m.head not in own]  # "Putin told him": him is not Putin
        if role is not tok:
            # "Kidnappers seized 20 villagers. Police freed most of them": a share of "them" is of the
            # group held, not of its captors (the subject of a seizure or a detention)
            cands = [m for m in cands if not _captor(self.doc[m.head])] or [
                m for m in cands if self.doc[m.head].dep_ not in ("nsubj", "nsubjpass")]
        # an actor named inside a relative clause ("a faction that Washington armed") is rarely
        # the antecedent of a later pronoun
        cands = [m for m in cands if not self._in_relative(self.doc[m.head])] or cands
        if not cands and low in PERSON_PRONOUNS:
            cands = self._salient_person(tok, window_start)
        if not cands:
            return None
        subj = [m for m in cands if self.doc[m.head].dep_ in ("nsubj", "nsubjpass")]
        # "Fighters stormed the town, residents said. They looted shops": the teller of a report
        # given after it is its source, not its topic
        subj = [m for m in subj if not _tells_after(self.doc[m.head].head)] or subj
        # a main clause's subject before one inside a reported or subordinate clause ("Guaido
        # declared himself president, saying Maduro had usurped power. Washington recognised him.")
        main = [m for m in subj if _main_clause(self.doc[m.head].head)]
        best = (main or subj or cands)[-1]
        self.antecedents[tok.i] = best
        return replace(best, start=tok.i, end=tok.i + 1, head=tok.i, text=tok.text,
                       rule=f"coref:{best.rule}")

    def _parallel_object(self, tok: Token, fits) -> Mention | None:
        """An object pronoun of a verb coordinated with an earlier one of the same subject, or of
        a participle that shares it, is that verb's object: "declared Kriener persona non grata
        and gave him 48 hours", "arrested seven activists and charged them", "expelled the
        ambassador, accusing him of spying" (not the previous sentence's subject)."""
        if tok.dep_ not in ("dobj", "dative") or tok.lower_ not in ("him", "her", "them"):
            return None
        also = self._same_act_object(tok, fits)
        if also is not None:
            return also
        node = tok.head
        while (node.dep_ == "conj" or (node.dep_ == "advcl" and node.tag_ == "VBG")) and node.head.i != node.i \
                and node.pos_ in ("VERB", "AUX") and not any(c.dep_ in ("nsubj", "nsubjpass") for c in node.children):
            node = node.head
            for o in node.children:
                if o.dep_ not in ("dobj", "dative") or o.i > tok.i or o.pos_ not in ("NOUN", "PROPN"):
                    continue
                # (a name the parser folds into its complement: "declared Kriener persona non grata")
                for x in [o] + [c for c in o.subtree if c.dep_ == "compound" and c.pos_ == "PROPN"]:
                    m = self.resolve(x)
                    if m is not None and fits(m):
                        return m
        return None

    def _same_act_object(self, tok: Token, fits) -> Mention | None:
        """"China also congratulated him" after "X and Y congratulated Mnangagwa": the one the same
        act befell just before (the verb's own lemma, in this or the two previous sentences)."""
        verb = tok.head
        if not any(c.dep_ == "advmod" and c.lower_ in ("also", "too", "likewise") for c in verb.children):
            return None
        start = self._window(tok, 2)
        for v in reversed(self.doc[start:verb.i]):
            if v.pos_ != "VERB" or v.lemma_ != verb.lemma_:
                continue
            for o in v.children:
                if o.dep_ in ("dobj", "dative") and o.pos_ in ("NOUN", "PROPN"):
                    m = self.resolve(o)
                    if m is not None and fits(m):
                        return m
        return None

    def _salient_person(self, tok: Token, before: int) -> list[Mention]:
        """"he", "her" with no person in its sentence or the one before: the one person the few
        sentences before name ("Añez declared herself president. The court said the succession was
        valid. Washington recognised her"), the story's current protagonist. Two people there
        leave the pronoun unresolved."""
        start = before
        for _ in range(SALIENCE_SENTENCES):
            if start == 0:
                break
            start = self.doc[start - 1].sent.start
        found = {m.key: m for m in self.mentions
                 if start <= m.head < before and m.kind in ("person", "title") and m.name is not None}
        return list(found.values()) if len(found) == 1 else []

    def _first_person(self, tok: Token) -> Mention | None:
        """"we", "I", "our": who speaks — a transcript's speaker label ("LAVROV: We ..."), the
        speaker of the quotation ("'We will respond,' the minister said"), or the author of a
        statement that opens the text ("The ministry condemns ... We call on ...") or that its
        heading names."""
        singular = tok.lower_ in FIRST_SINGULAR

        def fits(m: Mention | None) -> bool:
            # (a speaker named by a pronoun, "'I ask you,' she said", is whom the pronoun names;
            # never another first person)
            if m is None or m.rule.startswith("coref:speaker") or (
                    m.rule.startswith("coref") and m.text.lower() in FIRST_PLURAL | FIRST_SINGULAR):
                return False
            return m.kind in ("person", "title") if singular else m.kind in (
                "person", "title", "state", "organisation", "metonym", "group", "agent")

        found = self._label_speaker(tok) or self._quote_speaker(tok)
        if found is None and not singular and not self._in_quote(tok):
            found = self._release_author(tok)
        if not fits(found):
            return None
        self.antecedents[tok.i] = found
        return replace(found, start=tok.i, end=tok.i + 1, head=tok.i, text=tok.text,
                       rule=f"coref:speaker:{found.rule}")

    def _release_author(self, tok: Token) -> Mention | None:
        """Who issues a statement or release, for its unquoted "we": the actor its heading names
        ("MINISTRY OF DEFENCE — PRESS RELEASE", a second heading line "Statement of the office of
        X"), else the subject of its first sentence ("The ministry condemns ... We call on ...",
        "The European Union is deeply concerned ... We call on ..."). A heading's actor of no
        country ("Statement from the Press Secretary") gives way to a first subject that has one
        ("Today, President X signed an order ... We will continue ...")."""
        issuer = self.issuer()
        if issuer is not None and issuer.country:
            return issuer
        first: Mention | None = None
        for k, sent in enumerate(self.doc.sents):
            if k >= HEADING_LINES + 1 or sent.start >= tok.i:
                break
            if not sent.text.strip():
                continue
            verbless = not any(t.pos_ in ("VERB", "AUX") for t in sent)
            named = [m for m in self.mentions if sent.start <= m.head < min(sent.end, tok.i)
                     and not m.rule.startswith(("coref", "speaker-label"))]
            if verbless and len(sent) <= 24:  # a heading line: its named actor issues the text
                # (not its topic: "Statement from the Press Secretary on sanctions on Nicaragua")
                found = next((m for m in named if m.country and not _heading_topic(self.doc[m.head])), None)
                if found is not None:
                    return replace(found, rule=f"issuer:{found.rule}")
                continue
            subj = [m for m in named if self.doc[m.head].dep_ in ("nsubj", "nsubjpass")
                    and _main_clause(self.doc[m.head].head)]
            first = subj[0] if subj else None
            break
        unknown = self._unknown_issuer() if issuer is None else None
        if unknown is not None:  # a heading in capitals names its issuer, whom the catalog does not know
            return unknown
        if first is not None and (first.country or issuer is None):
            return first
        return issuer

    def _unknown_issuer(self) -> Mention | None:
        """An organisation the catalog does not know, named by a heading in capitals before its
        label ("MDC ALLIANCE — PRESS STATEMENT", "STATEMENT OF THE NATIONAL UNION OF PRESS
        WORKERS"): a party, union or civic group of the country its name says, or of the story's."""
        from .issuer import LABEL_WORDS, heading, title_case

        head = heading(self.doc)
        if head is None or sum(c.isupper() for c in head.text) < 0.8 * sum(c.isalpha() for c in head.text):
            return None
        words = [t for t in head if t.is_alpha]
        name = [t for t in words if t.lower_ not in LABEL_WORDS and t.lower_ not in ("of", "the", "by", "from")]
        if not 1 <= len(name) <= 8 or any(t.lower_ in ("on", "about", "to", "over", "in") for t in words):
            return None  # a label only, or a heading with a topic: not a name
        lows = {t.lower_ for t in name}
        sector = "GOV" if lows & STATE_BODY_WORDS else "LAB" if lows & UNION_WORDS else \
            "OPP" if lows & PARTY_WORDS else "SOC"
        country = None
        for t in name:
            for kind, _case, ref in self.cat.forms.get(t.text.title(), ()):
                if kind in ("adjective", "country") and isinstance(ref, str):
                    country = ref
        start, end = name[0].i, name[-1].i + 1
        text = self._span_text(start, end)
        if sector == "GOV":  # "MINISTRY OF DEFENCE": a state's body, the state named or the story's
            return Mention(start, end, end - 1, text, self._state_name(country), country, sector, None, "agent",
                           rule="issuer:heading")
        return Mention(start, end, end - 1, text, title_case(text), country, sector, None,
                       "organisation", rule="issuer:heading")

    def _speaker_labels(self) -> list[tuple[int, int, int, str]]:
        """The transcript's speaker labels: (name start, name end, end of the label, name) in
        characters; a label is a name in capitals ("MADURO", "FOREIGN MINISTER X"), possibly
        followed by the occasion in brackets, then a colon."""
        found = getattr(self, "_labels", None)
        if found is None:
            found = [(m.start(1), m.end(1), m.end(), m.group(1)) for m in SPEAKER_LABEL.finditer(self.text)
                     if m.group(1) == m.group(1).upper() and len(m.group(1)) > 1 or m.group(1) == "Q"]
            self._labels = found
        return found

    def _label_person(self, a: int, b: int, name: str, end: int | None = None) -> Mention | None:
        """The person a speaker label names: the catalog's ("LUKASHENKO"), or the person the text
        named before by that surname ("PRICE" after "State Department spokesman Ned Price"), or
        a person the text does not know, described by the label's brackets (``end``: where the
        label ends)."""
        if name in QUESTIONER_LABELS:
            return None
        span = self.doc.char_span(a, b, alignment_mode="expand")
        if span is None:
            return None
        words = name.split()
        for form in (" ".join(w.title() for w in words), *(w.title() for w in reversed(words))):
            for kind, _case, ref in self.cat.forms.get(form, ()):
                if kind == "person":
                    country, sector, _ = self._entity(ref)
                    return Mention(span.start, span.end, span.end - 1, span.text, ref.name, country, sector,
                                   ref.id, "person", rule="speaker-label:catalog:person")
        last = words[-1].title()
        for m in reversed(self.mentions):
            if m.head < span.start and m.kind == "person" and m.name and m.name.split()[-1].lower() == last.lower() \
                    and (not m.rule.startswith("speaker-label") or "described" in m.rule):
                return replace(m, start=span.start, end=span.end, head=span.end - 1, text=span.text,
                               rule=f"speaker-label:{m.rule}")
        if end is None:
            return None
        return self._described_speaker(span, name, end)

    def _described_speaker(self, span, name: str, end: int) -> Mention:
        """A speaker the catalog does not know: a person named by the label, of the state or body
        its brackets name ("PRICE (State Department briefing):", "X (interior minister, news
        conference in Madrid):"), else of no stated country (the story's, when a record is made)."""
        country = sector = None
        inner = self.doc.char_span(span.end_char, end, alignment_mode="contract")
        for t in inner if inner is not None else ():
            if t.pos_ not in ("NOUN", "PROPN") or t.i in self._busy:
                continue
            m = self.resolve(t)
            if m is not None and m.country:
                country, sector = m.country, m.sector or "GOV"
                break
            mt = self.match(t)
            if mt is not None and mt.kind == "title":
                sector = sector or mt.ref[0]
        if country is None and inner is not None:
            try:
                from ..places import Gazetteer

                gaz = Gazetteer.default()
            except Exception:
                gaz = None
            for ent in inner.ents if gaz is not None else ():
                place = gaz.resolve(ent.text) if ent.label_ in ("GPE", "LOC") else None
                if place is not None and place.country:
                    country = place.country
                    break
        full = " ".join(w.title() for w in name.split())
        return Mention(span.start, span.end, span.end - 1, span.text, full, country, sector, None, "person",
                       rule="speaker-label:described")

    def _label_at(self, tok: Token) -> Mention | None:
        """A token of a speaker label stands for the speaker ("MADURO: ..." → Maduro)."""
        for a, b, end, name in self._speaker_labels():
            if a <= tok.idx < b:
                return self._label_person(a, b, name, end)
            if a > tok.idx:
                break
        return None

    def _label_speaker(self, tok: Token) -> Mention | None:
        """"NAME: ..." at the start of the line or the turn holding ``tok`` (transcripts)."""
        text = self.text
        line_start = text.rfind("\n", 0, tok.idx) + 1
        turn = [lab for lab in self._speaker_labels() if line_start <= lab[0] and lab[2] <= tok.idx]
        if turn:  # the last label before the word: whose turn it is ("Q: ...? MADURO: I will ...")
            a, b, end, name = turn[-1]
            return self._label_person(a, b, name, end)
        colon = text.find(":", line_start, tok.idx)
        if colon < 0 or colon - line_start > 60:
            return None
        if any(d in text[line_start:colon] for d in (" - ", " — ", " – ")):
            return None  # a heading ("HUMAN RIGHTS WATCH - Belarus: Police Beat ..."), not a speaker
        for m in self.mentions:
            a = self.doc[m.start].idx
            if line_start <= a < colon:
                return m
        label = self.doc.char_span(line_start, colon, alignment_mode="expand")
        if label is None:
            return None
        for t in label:
            m = self.resolve(t) if t.pos_ in ("PROPN", "NOUN") and t.i != tok.i else None
            if m is not None:
                return m
        words = label.text.strip()
        for form in (words.title(), *(w.title() for w in reversed(words.split()))):
            for kind, _case, ref in self.cat.forms.get(form, ()):  # "LAVROV:" in a transcript
                if kind == "person":
                    country, sector, _ = self._entity(ref)
                    return Mention(label.start, label.end, label.end - 1, label.text, ref.name, country, sector,
                                   ref.id, "person", rule="catalog:person")
        return None

    def _in_quote(self, tok: Token) -> bool:
        text = self.text
        para = text.rfind("\n", 0, tok.idx) + 1
        if sum(text.count(q, para, tok.idx) for q in QUOTES) % 2 == 1:
            return True
        return _single_quote_open(text, para, tok.idx)

    def _quote_speaker(self, tok: Token) -> Mention | None:
        """The subject of the speech verb of the sentence quoting ``tok`` (or of the next or
        previous sentence, when the quotation runs on; further while the quotation stays open:
        '"We will defend it. The border is closed. ...," X said', 'X said: "A. B. We will ..."')."""
        if not self._in_quote(tok):
            return None
        sent = tok.sent
        order = [sent]
        if sent.end < len(self.doc):
            order.append(self.doc[sent.end].sent)
        if sent.start > 0:
            order.append(self.doc[sent.start - 1].sent)
        nxt = self.doc[sent.end].sent if sent.end < len(self.doc) else None
        for _ in range(QUOTE_SENTENCES):  # the quotation runs on: the sentences that stay inside it
            if nxt is None or nxt.end >= len(self.doc) or "\n" in self.text[sent.end_char:nxt.end_char] \
                    or not self._in_quote(nxt[-1]):
                break
            nxt = self.doc[nxt.end].sent
            order.append(nxt)
        prev = self.doc[sent.start - 1].sent if sent.start > 0 else None
        for _ in range(QUOTE_SENTENCES):  # ... or began sentences before ('X said: "A. B. We will ..."')
            if prev is None or prev.start == 0 or "\n" in self.text[prev.start_char:sent.start_char] \
                    or not self._in_quote(prev[0]):
                break
            prev = self.doc[prev.start - 1].sent
            order.append(prev)
        for s in order:
            for t in s:
                if t.lemma_.lower() in SPEECH_VERBS and t.pos_ in ("VERB", "AUX") and not self._in_quote(t):
                    for c in t.children:
                        if c.dep_ in ("nsubj", "nsubjpass") and c.i != tok.i and c.lower_ not in FIRST_PLURAL | FIRST_SINGULAR:
                            m = self.resolve(c)
                            if m is not None:
                                return m
        return None

    def _clause_antecedent(self, tok: Token, fits) -> Mention | None:
        """The subject of an enclosing clause ("Hezbollah said its fighters ...", "X said it would")
        or the controller of an infinitive ("X urged Y to withdraw its troops" → Y). An object
        pronoun is not bound by its own clause's subject ("Putin told him"), nor by the subject a
        participle or coordinated verb shares ("Putin met Erdogan and thanked him")."""
        skip = tok.dep_ in ("dobj", "dative", "iobj", "pobj") and tok.lower_ not in ("its", "his", "her", "their")
        node = tok
        for _ in range(10):
            head = node.head
            if head.i == node.i:
                return None
            if head.pos_ in ("VERB", "AUX"):
                if skip:
                    # "X barred Y, accusing him", "X met Y and thanked him": a participle or a
                    # coordinated verb with no subject of its own shares X, who is not "him" either
                    skip = head.dep_ in ("advcl", "conj") and not any(
                        c.dep_ in ("nsubj", "nsubjpass") for c in head.children)
                    node = head
                    continue
                cands = []
                if head.dep_ == "xcomp":
                    ctl = head.head
                    cands += [c for c in ctl.children if c.dep_ == "dobj"]
                    cands += [c for c in ctl.children if c.dep_ in ("nsubj", "nsubjpass")]
                cands += [c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")]
                for c in cands:
                    if c.i >= tok.i or c.left_edge.i <= tok.i <= c.right_edge.i:
                        continue
                    m = self.resolve(c)
                    if m is not None and fits(m):
                        return m
                if cands and head.dep_ not in ("ccomp", "xcomp", "advcl", "conj", "relcl"):
                    return None
            node = head
        return None

    @staticmethod
    def _in_relative(tok: Token) -> bool:
        node = tok
        for _ in range(6):
            if node.dep_ in ("relcl", "acl"):
                return True
            if node.head.i == node.i:
                return False
            node = node.head
        return False

    def descriptor(self, tok: Token) -> Mention | None:
        """Resolve "the group", "the country" to the last compatible named mention."""
        if tok.lemma_ not in ORG_DESCRIPTORS | STATE_DESCRIPTORS:
            return None
        if not any(c.lower_ == "the" for c in tok.children):
            return None
        if tok.i + 1 < len(self.doc):  # "the West African bloc ECOWAS": the name that follows
            nxt = self.match(self.doc[tok.i + 1])
            if nxt is not None and nxt.kind in ("organisation", "country"):
                return self.resolve(self.doc[nxt.end - 1])
        if tok.lemma_ in ORG_DESCRIPTORS:
            prior = [m for m in self.mentions if m.head < tok.i and m.kind == "organisation"]
        else:  # "a Saudi official said the kingdom would ...": the state of the nearest national
            prior = [m for m in self.mentions if m.head < tok.i and m.country in self.cat.states
                     and m.kind in ("state", "metonym", "agent", "title", "person")]
            prior = [replace(m, name=self._state_name(m.country), sector="GOV", kind="state", id=None)
                     if m.kind != "state" else m for m in prior]
        if not prior:
            return None
        word = tok.lemma_.lower()
        named = [m for m in prior if m.name and word in m.name.lower().split()]
        best = (named or prior)[-1]  # "the alliance": the Three Brotherhood Alliance, if named
        return replace(best, start=tok.i - 1, end=tok.i + 1, head=tok.i, text=f"the {tok.text}",
                       rule=f"coref:descriptor:{best.rule}")

    def _definite(self, tok: Token, sector: str | None) -> Mention | None:
        """"the rebels", "the jets" with no other modifier: the group or force last named with the
        same sector (and, for aircraft, the same kind of weapon) in this or the two previous
        sentences ("Russian warplanes flew sorties ... the jets struck" → Russia MIL)."""
        if sector == "GOV" and tok.lemma_.lower() in RULER_HEADS and tok.tag_ == "NN":
            return self._same_ruler(tok)
        if [c.lower_ for c in tok.children if c.i < tok.i] != ["the"]:
            return None
        if tok.tag_ == "NN" and tok.lemma_.lower() in INSTITUTION_HEADS:
            return self._same_institution(tok)
        if tok.tag_ == "NN" and sector in ANAPHORIC_SECTORS and tok.lemma_.lower() in ARMED_GROUP_HEADS:
            return self._same_armed_group(tok)
        if sector not in ANAPHORIC_SECTORS or tok.tag_ not in ("NNS", "NNPS"):
            return None
        sents = [tok.sent]
        if tok.sent.start > 0:
            prev = self.doc[tok.sent.start - 1].sent
            sents.append(prev)
            if prev.start > 0:
                sents.append(self.doc[prev.start - 1].sent)
        start = min(s.start for s in sents)
        lemma = tok.lemma_.lower()

        def same_kind(m: Mention) -> bool:
            head = self.doc[m.head].lemma_.lower()
            if sector == "MIL":  # only the same weapon or unit word: "the troops" may be anyone's
                return head == lemma or (head in AIRCRAFT and lemma in AIRCRAFT)
            return m.sector == sector and (m.name is not None or head == lemma)

        prior = [m for m in self.mentions if start <= m.head < tok.i and m.country is not None
                 and m.sector == sector and same_kind(m) and m.head != tok.i]
        if not prior:
            return None
        best = prior[-1]
        return replace(best, start=tok.i - 1, end=tok.i + 1, head=tok.i, text=f"the {tok.text}",
                       rule=f"coref:definite:{best.rule}")

    def _window(self, tok: Token, back: int = DEFINITE_SENTENCES) -> int:
        """The first token of the sentence ``back`` sentences before ``tok``'s."""
        start = tok.sent.start
        for _ in range(back):
            if start > 0:
                start = self.doc[start - 1].sent.start
        return start

    def _same_institution(self, tok: Token) -> Mention | None:
        """"the army", "the ministry", "the police" with no other modifier: the state's institution
        named before with its country in this or the few previous sentences ("Israel's army struck
        Gaza ... The army said it had hit ..." → Israel's, not Gaza's), by the same head word."""
        group = next(g for g in INSTITUTION_GROUPS if tok.lemma_.lower() in g)
        start = self._window(tok)
        prior = [m for m in self.mentions if start <= m.head < tok.i and m.country in self.cat.states
                 and self.doc[m.head].lemma_.lower() in group and not m.rule.startswith("coref")]
        return self._last_as_definite(tok, prior)

    def _last_as_definite(self, tok: Token, prior: list[Mention]) -> Mention | None:
        """"the X" (``tok`` and its article) as the last of ``prior``, or None."""
        if not prior:
            return None
        best = prior[-1]
        return replace(best, start=tok.i - 1, end=tok.i + 1, head=tok.i, text=self._span_text(tok.i - 1, tok.i + 1),
                       rule=f"coref:definite:{best.rule}")

    def _same_armed_group(self, tok: Token) -> Mention | None:
        """"the militia", "the faction" with no other modifier: the armed group last named in this
        or the few previous sentences ("Hezbollah fired rockets ... The militia said it had
        targeted ..."), of any armed sector (militias, rebels, jihadists)."""
        start = self._window(tok)
        prior = [m for m in self.mentions if start <= m.head < tok.i and m.name and m.country
                 and m.kind == "organisation" and m.sector in ARMED_GROUP_SECTORS]
        return self._last_as_definite(tok, prior)

    def _same_ruler(self, tok: Token) -> Mention | None:
        """"the junta", "the regime" with no other modifier: the last one named with its country
        ("Niger's junta ... the junta rejected the ultimatum"), anywhere before in the document."""
        if [c.lower_ for c in tok.children if c.i < tok.i] != ["the"]:
            return None
        lemma = tok.lemma_.lower()
        prior = [m for m in self.mentions if m.head < tok.i and m.country is not None
                 and self.doc[m.head].lemma_.lower() == lemma and m.head != tok.i]
        if not prior:
            return None
        best = prior[-1]
        return replace(best, start=tok.i - 1, end=tok.i + 1, head=tok.i, text=f"the {tok.text}",
                       rule=f"coref:definite:{best.rule}")

    def same_state_pair(self, tok: Token) -> list[Mention]:
        """"the two", "both leaders", "the two governments" after two actors of one state ("Sánchez
        received the Catalan president Torra ... the two agreed"): those two, the last two
        different named actors of this or the two previous sentences, when every party named
        there is of that one state (`both_parties` reads parties by country and finds only one).
        Never for "the two countries": two countries are two states."""
        low, lemma = tok.lower_, tok.lemma_.lower()
        if low not in ("two", "both") and lemma not in _pair_lemmas():
            return []  # neither "the two" nor "both" nor a counted pair noun: what follows finds nothing
        det_the = any(c.lower_ == "the" and c.dep_ == "det" for c in tok.children)
        bare = (tok.lower_ == "two" and det_the and tok.dep_ in ("nsubj", "nsubjpass")) or (
            tok.lower_ == "both" and tok.dep_ in ("nsubj", "nsubjpass") and tok.pos_ in ("PRON", "DET", "NOUN"))
        counted = lemma in _pair_lemmas() and any(
            c.lower_ in ("both", "two") and c.dep_ in ("det", "nummod", "predet", "amod") for c in tok.children) and (
            det_the or any(c.lower_ == "both" for c in tok.children))
        if not (bare or counted):
            return []
        start = tok.sent.start
        for _ in range(2):
            if start > 0:
                start = self.doc[start - 1].sent.start
        inside = {t.i for t in tok.subtree}
        named = [m for m in self.mentions if start <= m.head < tok.i and m.head not in inside
                 and m.kind in ("person", "title", "organisation", "state", "metonym")]
        if not named or any(m.country is None or m.country != named[0].country for m in named):
            return []
        found: dict[str, Mention] = {}
        for m in reversed(named):
            if m.name and m.name not in found:
                found[m.name] = m
            if len(found) == 2:
                break
        if len(found) != 2:
            return []
        return [replace(m, start=tok.i, end=tok.i + 1, head=tok.i, text=tok.text, rule=f"coref:pair:{m.rule}")
                for m in reversed(list(found.values()))]

    # -- appositions --------------------------------------------------------------------------
    def _apposition(self, tok: Token, m: _Match | None) -> Mention | None:
        """"the group, Hezbollah," and "army chief Abdel Fattah al-Burhan" → the named actor;
        "Hezbollah, the Iran-backed group," → Hezbollah; "the Northern Division, a rebel faction"
        → an organisation named by the text, coded like its description."""
        for c in tok.children:
            if c.dep_ != "appos":
                continue
            mc = self.match(c)
            named = mc is not None and (mc.kind in ("person", "organisation")
                                        or (mc.kind == "country" and tok.lemma_ in STATE_DESCRIPTORS))
            if named or c.i in self._long_heads or self._acronym(c) is not None:
                inner = self.resolve(c)
                if inner is not None:
                    return replace(inner, start=min(inner.start, tok.i), head=tok.i, rule=f"appos:{inner.rule}")
            elif (m is None or m.kind == "agent") and tok.pos_ == "PROPN" \
                    and tok.ent_type_ not in ("GPE", "LOC", "FAC", "DATE"):
                inner = self.resolve(c)
                if inner is not None and inner.name is None and c.pos_ == "NOUN":
                    s, e = self._proper_span(tok)
                    # a name described by a person's noun ("X, twice the opposition's candidate,",
                    # "X, a banker,") is a person's, though the tagger says otherwise
                    kind = "person" if tok.ent_type_ == "PERSON" or c.lemma_.lower() in PERSON_NOUNS | PERSON_ROLES \
                        else "organisation"
                    return Mention(s, e, tok.i, self._span_text(s, e), self._span_text(s, e), inner.country,
                                   inner.sector, None, kind, rule=f"appos:named:{inner.rule}")
        if tok.dep_ == "appos" and tok.pos_ == "NOUN" and tok.text[:1].islower():
            mh = self.match(tok.head)
            if mh is not None and mh.kind in ("person", "organisation", "country"):
                inner = self.resolve(tok.head)
                if inner is not None:
                    return replace(inner, start=tok.i, end=tok.i + 1, head=tok.i, text=tok.text,
                                   rule=f"appos:{inner.rule}")
        return None

    def _proper_span(self, tok: Token) -> tuple[int, int]:
        """The proper name headed by ``tok``, without its determiner ("the Northern Division")."""
        start = tok.i
        for c in tok.lefts:
            if c.dep_ in ("compound", "amod", "nmod", "poss") and (c.pos_ == "PROPN" or c.text[:1].isupper()):
                start = min(start, c.left_edge.i)
        while start < tok.i and self.doc[start].lower_ in ("the", "a", "an"):
            start += 1
        return start, tok.i + 1

    # -- acronyms defined in the text ---------------------------------------------------------
    def _find_acronyms(self) -> None:
        """"the Rapid Support Forces (RSF)": later "RSF" is the long form's actor."""
        doc = self.doc
        for t in doc:
            if t.text != "(" or t.i + 2 >= len(doc) or doc[t.i + 2].text != ")" or t.i == 0:
                continue
            acro = doc[t.i + 1].text
            letters = [ch for ch in acro if ch.isalpha()]
            if not (2 <= len(letters) <= 8 and sum(ch.isupper() for ch in letters) >= 2 and acro[0].isupper()):
                continue
            want = "".join(letters).upper()
            lo = max(t.sent.start, t.i - 12)
            for s in range(t.i - 1, lo - 1, -1):
                w = doc[s]
                if not (w.text[:1].isupper() or w.lower_ in ACRONYM_LINKS):
                    break
                if w.lower_ in ACRONYM_LINKS and w.lower_ != "the":
                    continue
                initials = "".join(x.text[0] for x in doc[s:t.i] if x.text[:1].isupper() and x.lower_ != "the")
                if initials.upper() == want or (len(initials) == len(want) and sorted(initials.upper()) == sorted(want)):
                    if doc[s].lower_ == "the":
                        s += 1
                    span = doc[s:t.i]
                    if len(span) and acro not in self.acronyms:
                        a = _Acronym(t.i, span.start, span.end, span.root.i)
                        self.acronyms[acro] = a
                        self._long_heads.setdefault(a.head, a)
                    break

    def _acronym(self, tok: Token) -> Mention | None:
        a = self.acronyms.get(tok.text)
        if a is None or tok.i <= a.paren:
            return None
        base = self.resolve(self.doc[a.head])
        if base is None:
            return None
        return replace(base, start=tok.i, end=tok.i + 1, head=tok.i, text=tok.text,
                       rule=f"acronym:{base.rule}")

    def _adhoc(self, a: _Acronym, tok: Token) -> Mention | None:
        """An organisation the catalog does not know, named by the text and defined by an acronym."""
        name = self._span_text(a.start, a.end)
        country = sector = None
        for c in tok.children:  # "the Northern Example Front (NEF), a rebel group in Mali,"
            if c.dep_ == "appos" and c.pos_ == "NOUN":
                inner = self.resolve(c)
                if inner is not None:
                    country, sector = inner.country, inner.sector
                    break
        words = {w.lower_ for w in self.doc[a.start:a.end]}
        if country is None:
            for i in range(a.start, a.end):
                m = self.at.get(i)
                if m is not None and m.kind in ("country", "adjective", "demonym", "capital"):
                    country = m.ref
                    break
        if sector is None:
            if words & PARTY_NAME_WORDS:
                sector = "PTY"
            elif words & ARMED_NAME_WORDS:
                sector = "REB"
        if country is None and sector is None:
            return None
        return Mention(a.start, a.end, tok.i, name, name, country, sector, None, "organisation",
                       rule="acronym:defined")


def _single_quote_open(text: str, start: int, end: int) -> bool:
    """A quotation in single quotation marks is open at ``end`` ("'I ask the Russian people ...,'
    she said"): an opening mark after a space or a bracket, before a word; a closing one after a
    word or a stop, before a space or a stop. Apostrophes inside words ("Russia's", "don't") are
    neither; a plural possessive ("the Saudis' oil") closes nothing that is not open."""
    depth = 0
    for k in range(start, end):
        ch = text[k]
        if ch not in "'‘’":
            continue
        prev = text[k - 1] if k > start else " "
        nxt = text[k + 1] if k + 1 < len(text) else " "
        if (prev.isspace() or prev in "([—–-\"“") and nxt.isalnum():
            depth += 1
        elif depth and (prev.isalnum() or prev in ",.?!;:") and (nxt.isspace() or nxt in ",.;:?!)—–-\"”"):
            depth -= 1
    return depth > 0


def _heading_topic(tok: Token) -> bool:
    """The nearest preposition above ``tok`` opens a topic ("on sanctions on Nicaragua", "on the
    arrests in Georgia"), not an author ("by", "from", "of", "on behalf of")."""
    node = tok
    for _ in range(6):
        if node.head.i == node.i:
            return False
        node = node.head
        if node.dep_ == "prep" or node.pos_ == "ADP":
            return node.lower_ in TOPIC_PREPS and not (node.lower_ == "on" and node.i + 1 < len(node.doc)
                                                       and node.doc[node.i + 1].lower_ == "behalf")
    return False


#: heads of a share of a group ("some of them", "most of them", "30 of them")
SHARE_HEADS = frozenset({"some", "many", "most", "all", "several", "few", "dozens", "hundreds", "thousands",
                         "scores", "tens", "none", "one", "each", "both", "half", "part", "rest", "majority"})


def _partitive_head(tok: Token) -> Token | None:
    """The share a pronoun is the whole of ("at least 30 of them", "most of them"): the share
    takes the pronoun's place in the clause."""
    if tok.dep_ != "pobj" or tok.head.lower_ != "of" or tok.head.dep_ != "prep":
        return None
    share = tok.head.head
    if share.pos_ == "NUM" or share.like_num or share.lower_ in SHARE_HEADS:
        return share
    return None


#: acts whose subject holds people captive, and whose object is the group that can be freed
CAPTOR_LEMMAS = frozenset({"seize", "hold", "detain", "abduct", "kidnap", "capture", "arrest", "take", "round", "grab",
                           "snatch", "hijack", "imprison", "jail"})


def _captor(tok: Token) -> bool:
    """The subject of a seizure or a detention ("Kidnappers seized 20 villagers")."""
    return tok.dep_ == "nsubj" and tok.head.lemma_.lower() in CAPTOR_LEMMAS and any(
        c.dep_ == "dobj" for c in tok.head.children)


def _main_clause(verb: Token) -> bool:
    """The verb heads its sentence, or is coordinated with the verb that does."""
    return verb.dep_ == "ROOT" or (verb.dep_ == "conj" and verb.head.dep_ == "ROOT")


def _tells_after(verb: Token) -> bool:
    """``verb`` is a speech verb whose reported clause comes before it ("..., residents said")."""
    return verb.lemma_.lower() in SPEECH_VERBS and any(c.dep_ == "ccomp" and c.i < verb.i for c in verb.children)
