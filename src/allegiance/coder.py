"""The coder: documents in, CONTRACT §2 event records out.

Data flow per document: spaCy parse (`nlp`) → actor mentions (`actors`) → event candidates
(`events.extract`) → modality, attribution, certainty → place and date (`places`, `dates`) →
CAMEO code, Goldstein score, quad class (`ontology`) → record with evidence and a stable id.
"""
from __future__ import annotations

import bisect
import itertools
import json
import os
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any, Callable

from .lean import import_spacy

import_spacy()  # spaCy without torch (see allegiance.lean): before any module that imports spaCy

from .datelines import dateline_spans  # noqa: E402
from spacy.attrs import LEMMA  # noqa: E402
from spacy.strings import get_string_id  # noqa: E402
from spacy.tokens import Doc  # noqa: E402

from . import __version__, ontology
from .actors.catalog import load_catalog
from .actors.resolve import LOCATIVE_PREPS, ActorFinder, Mention
from .events.attribution import attribute, find_speaker
from .events.context import contexts
from .events.extract import Candidate, Extractor, extract_sentence
from .events.lexicon import load_lexicon
from .events.arguments import _place_phrase, answered_author, answered_thing
from .events.records import (_event_id, _id, _trigger_token, drop_restated_places, joined_targets,
                             merge_casualties, merge_elaborations)
from .events.modality import hedged, modality
from .events import conventions
from .events.conventions import (ANNOUNCED_THREATS, BUSINESS_METAPHOR_TYPES,  # noqa: F401 (importable here)
                                 FUTURE_TO_AGREE, REFUSED_TYPES)
from .events.combine import Proposal, confidence, one_blow, one_reading, propose
from .events.learned import featurize, load_model, model_dir
from .engines import ENGINES, coder_version  # noqa: F401 (importable here)
from .errors import InputError
from .models import Attribution, Document, Modality
from .nlp import load_nlp

__all__ = ["Coder", "code_texts"]

BASE_CERTAINTY = {"author": 0.9, "media": 0.8, "official": 0.75, "named": 0.75, "anonymous": 0.6}
BARE_NULL_SECTOR = frozenset({"ASSAULT"})
# acts whose place is a venue that says nothing of their parties' country ("talks in Geneva", "told
# reporters in Brussels"); a visit's place is its host's, and material acts happen where their parties are
VENUE_TYPES = frozenset({"CONSULT", "AGREE", "REQUEST", "ACCUSE", "REJECT", "THREATEN", "CONCEDE"})
NONSTATE_CODES = frozenset({"IGO", "UNO", "EUR", "NGO", "IMG", "ISM", "MNC"})
PLACE_TARGET_TYPES = frozenset({"ASSAULT", "COERCE", "AID"})
ATTACK_WORDS = re.compile(r"\b(attack|bomb|blast|explosion|strike|shelling|shooting|ambush|raid|killing)", re.I)
STATE_AGENTS = frozenset({"GOV", "COP", "JUD", "SPY", "MIL"})
BARE_TARGET_NULL = frozenset({"ASSAULT", "THREATEN", "COERCE"})
#: what a group claims when it claims an attack ("claimed responsibility", "claimed the bombing")
CLAIMED = frozenset({"responsibility", "credit", "attack", "bombing", "killing", "assault", "blast", "explosion",
                     "ambush", "raid", "strike", "shooting", "massacre", "assassination", "kidnapping"})
_CLAIM = get_string_id("claim")

NONSTATE_FILL = frozenset({"REB", "CVL", "OPP", "UAF", "REF", "PRM", "EDU", "LAB", "MED", "AGR",
                           "BUS", "CRM", "JRN", "REL", "SOC", "MIL", "COP", "GOV", "SPY", "LEG", "JUD"})
#: unnamed armed groups (insurgents, gunmen) fight where the story happens: of its theatre, not of its most named state
THEATRE_SECTORS = frozenset({"REB", "UAF"})
#: a town this large (or a region, or a country) places a story by its name alone; a smaller one
#: counts only beside it (a hamlet's name is as likely another country's)
SETTING_POPULATION = 50_000
#: a weapon or piece of equipment hit in an attack: whose it is the text must say, not its place
HIT_EQUIPMENT = frozenset({"artillery", "piece", "gun", "guns", "launcher", "launchers", "tank", "tanks",
                           "vehicle", "vehicles", "truck", "trucks", "depot", "depots", "battery", "batteries",
                           "mortar", "mortars", "position", "positions", "convoy", "convoys"})
#: ... unless it says whose force it is: "army positions", "a police convoy" are the state's
FORCE_WORDS = frozenset({"army", "military", "government", "regime", "troop", "troops", "soldiers", "navy",
                         "naval", "police", "security", "state", "federal", "national", "air", "force"})


@dataclass
class _Places:
    event_location: Any = None
    event_site: Any = None
    event_date: Any = None
    gazetteer: Any = None


def _places() -> _Places:
    out = _Places()
    try:
        from .places import Gazetteer, event_location, event_site

        out.event_location, out.event_site, out.gazetteer = event_location, event_site, Gazetteer.default()
    except ImportError:
        pass
    try:
        from .dates import event_date

        out.event_date = event_date
    except ImportError:
        pass
    return out


def _actor_dict(m: Mention | None) -> dict[str, Any] | None:
    if m is None:
        return None
    out = {"text": m.text, "name": m.name, "country": m.country, "sector": m.sector, "id": m.id}
    if m.affiliations:  # extension: patrons named by descriptors ("Iran-backed"), not events
        out["affiliations"] = [{"relation": rel, "name": name, "country": country, "sector": sector}
                               for rel, name, country, sector in m.affiliations]
    return out


def _certainty(mod: Modality, attr: Attribution, hedge: bool) -> float:
    value = BASE_CERTAINTY.get(attr.kind, 0.75)
    if hedge:
        value *= 0.7
    if mod.hypothetical:
        value *= 0.4
    if mod.future:
        value *= 0.6
    if mod.negated:
        value = min(value, 0.1)
    return round(value, 2)


class Coder:
    """Codes documents into event records. Build once; reuse for many documents."""

    def __init__(self, *, actors: Sequence[str] = (), lexicon: Sequence[str] = (), engine: str = "auto",
                 model: str | None = None) -> None:
        """``engine``: ``hybrid`` (rules and the trained model, scored together), ``rules`` (the
        rule coder alone), or ``auto`` (hybrid when a model is installed). ``model``: a model
        folder other than the shipped one."""
        engine = os.environ.get("ALLEGIANCE_ENGINE", engine) if engine == "auto" else engine
        model = model or os.environ.get("ALLEGIANCE_MODEL") or None
        if engine not in ENGINES:
            raise ValueError(f"engine must be one of {', '.join(ENGINES)}, not {engine!r}")
        self.actor_files = tuple(actors)
        self.catalog = load_catalog(self.actor_files)
        self.lexicon = load_lexicon(tuple(lexicon))
        self.nlp = load_nlp(self.actor_files)
        self.geo = _places()
        self.model = None
        if engine == "hybrid" or (engine == "auto" and (model or (model_dir() / "model.json").is_file())):
            self.model = load_model(model)
        self.engine = "hybrid" if self.model is not None else "rules"
        settings = (self.model.thresholds if self.model is not None else {})
        self.tau = float(settings.get("trigger", 0.3))
        self.theta = float(settings.get("role", 0.5))
        self.min_record = float(settings.get("record", 0.5))
        self.min_record_model = float(settings.get("record_model", self.min_record))
        self.keep_features = False  # calibration reads each record's proposal features

    @property
    def version(self) -> str:
        """The coder's version: the package's, and the model's when one is used (a store coded
        by another version is coded again by ``run``)."""
        return __version__ if self.model is None else f"{__version__}+{self.model.version}"

    def _coder_field(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": "allegiance", "version": __version__, "engine": self.engine}
        if self.model is not None:
            out["model"] = self.model.version
        return out

    # -- public ---------------------------------------------------------------------------
    def code(self, doc: Document) -> list[dict[str, Any]]:
        """Event records of one document."""
        if len(doc.text) > self.nlp.max_length:
            raise InputError(f"text too long ({len(doc.text):,} characters; the parser's limit is "
                             f"{self.nlp.max_length:,})", origin=doc.origin or doc.id)
        return self.code_parsed(doc, self.nlp(doc.text))

    def code_many(self, docs: Iterable[Document], *, batch_size: int = 16) -> Iterator[tuple[Document, list[dict[str, Any]] | None, str | None]]:
        """(document, records, error) triples, parsing in batches with ``nlp.pipe``.

        A document whose coding fails yields ``records=None`` and the error message, and the
        batch goes on.
        """
        limit = self.nlp.max_length
        docs = iter(docs)
        while True:
            chunk = list(itertools.islice(docs, batch_size * 4))
            if not chunk:
                return
            ok = [d for d in chunk if len(d.text) <= limit]  # spaCy raises for the whole batch
            parsed = dict(zip((id(d) for d in ok), self.nlp.pipe((d.text for d in ok), batch_size=batch_size)))
            for doc in chunk:  # input order, so output is the same however it is batched
                if id(doc) not in parsed:
                    yield doc, None, f"text too long ({len(doc.text):,} characters; the parser's limit is {limit:,})"
                    continue
                try:
                    yield doc, self.code_parsed(doc, parsed[id(doc)]), None
                except Exception as exc:  # one bad document must not stop a batch
                    yield doc, None, f"{type(exc).__name__}: {exc}"

    def explain(self, doc: Document) -> list[dict[str, Any]]:
        """Per sentence: actor mentions and the rules behind each candidate event."""
        parsed = self.nlp(doc.text)
        finder = ActorFinder(parsed, self.catalog, doc.published, parse=self.nlp)
        ex = Extractor(finder, self.lexicon)
        out = []
        for i, sent in enumerate(parsed.sents):
            cands = extract_sentence(ex, sent)
            out.append({
                "sentence": i, "text": sent.text,
                "actors": [{"text": m.text, "name": m.name, "country": m.country, "sector": m.sector, "rule": m.rule}
                           for m in finder.in_span(sent)],
                "events": [{"type": c.sense.type, "mode": c.sense.mode, "trigger": c.trigger.text,
                            "rule": c.rule, "source": c.source.text if c.source else None,
                            "source_rule": c.source.rule if c.source else None,
                            "target": c.target.text if c.target else None,
                            "target_rule": c.target.rule if c.target else None} for c in cands],
            })
        return out

    # -- internals -------------------------------------------------------------------------
    @staticmethod
    def _actor_focus(finder: ActorFinder) -> str | None:
        """The state most named by the document's resolved actors (not its places). A news
        organisation counts only for a state the story names otherwise: "told Reuters" says nothing
        of where a story happens, a state agency beside its own president does."""
        memo = finder.doc.user_data.get("allegiance.actor_focus", False)
        if memo is not False:
            return memo
        best = Coder._favourite(list(finder.mentions))
        if best is None:
            # failing a favourite among the named actors, the speaker of a statement or transcript
            # ("I call on the security forces") counts once: the forces, mayors and authorities a
            # speaker addresses are its own (resolving first-person pronouns only when needed)
            speakers: list[Mention] = []
            for tok in finder.doc:
                if tok.lower_ in ("i", "we") and tok.pos_ == "PRON":
                    m = finder.resolve(tok)
                    if m is not None and m.country and m.key not in {x.key for x in speakers}:
                        speakers.append(m)
            if speakers:
                best = Coder._favourite(list(finder.mentions) + speakers)
        finder.doc.user_data["allegiance.actor_focus"] = best
        return best

    @staticmethod
    def _favourite(mentions: list[Mention]) -> str | None:
        """A clear favourite state among ``mentions``: the one state they name, or one named at
        least twice and more than any other ("Police detain 200 as Belarusians mark Freedom Day")."""
        named = [m for m in mentions
                 if m.country and m.country not in NONSTATE_CODES and m.kind in ("state", "metonym", "agent",
                                                                                  "organisation", "person", "group")]
        counts: Counter[str] = Counter(m.country for m in named if m.sector != "JRN")
        counts.update(m.country for m in named if m.sector == "JRN" and m.country in counts)
        top = counts.most_common(2)
        if top and len({m.country for m in named}) == 1:
            return top[0][0]
        return top[0][0] if top and top[0][1] >= 2 and (len(top) == 1 or top[0][1] > top[1][1]) else None

    def _dateline_countries(self, parsed: Doc) -> list[str]:
        """Countries of the places in paragraph-initial datelines ("MINSK, Aug 22 (Reuters) -",
        "GOMA, Congo —"): where the story is filed from is where it most likely happens."""
        if self.geo.gazetteer is None:
            return []
        out = []
        for start, end in dateline_spans(parsed):
            head = re.split(r"[(]", parsed[start:end - 1].text)[0]  # not the agency's credit
            words = [w.strip() for w in re.split(r"[,/]", head)]
            words = [w for w in words if w[:1].isalpha() and w[:1].isupper()]
            for w in words[:3]:  # the city (and a country after a comma), not the month
                place = self.geo.gazetteer.resolve(w.title() if w.isupper() else w)
                if place is not None and place.country:
                    out.append(place.country)
                    break
        return out

    def _focus(self, parsed: Doc, finder: ActorFinder) -> str | None:
        counts: Counter[str] = Counter()
        for country in self._dateline_countries(parsed):
            counts[country] += 3
        for m in finder.mentions:
            if m.kind in ("state", "metonym") and m.country:
                counts[m.country] += 1
        if self.geo.gazetteer is not None:
            for ent in parsed.ents:
                if ent.label_ in ("GPE", "LOC", "FAC") and not finder.match(ent.root):
                    place = self.geo.gazetteer.resolve(ent.text)
                    if place is not None and place.country:
                        counts[place.country] += 2
        return counts.most_common(1)[0][0] if counts else None

    def _recent_country(self, sent, finder: ActorFinder, back: int = 2) -> str | None:
        """The country of the places named in the last sentences before this one (the story's
        current theatre, before the document's most named country)."""
        doc = sent.doc
        for _ in range(back):
            if sent.start == 0:
                return None
            sent = doc[sent.start - 1].sent
            if not _text(sent).strip():
                continue
            found = self._sentence_country(sent, finder)
            if found:
                return found
        return None

    def _theatre_doc(self, doc_countries: list[str], finder: ActorFinder) -> str | None:
        """The document's focus (datelines, places, states) when it is where a dateline files
        the story from or one of its actors is of that country: where the story happens and who
        lives there, not only a venue ("talks in Barbados")."""
        focus = doc_countries[0] if doc_countries else None
        if focus is None:
            return None
        doc = finder.doc
        if "allegiance.dateline_countries" not in doc.user_data:
            doc.user_data["allegiance.dateline_countries"] = self._dateline_countries(doc)
        if focus in doc.user_data["allegiance.dateline_countries"]:
            return focus
        for m in finder.mentions:
            tok = doc[m.head]
            if m.country == focus and m.kind != "place" and not (
                    tok.dep_ == "pobj" and tok.head.lower_ in LOCATIVE_PREPS):  # "talks in Barbados"
                return focus
        return None

    def _setting(self, doc: Doc, finder: ActorFinder) -> str | None:
        """The one country a story is set in, when it says so by place alone: the country of its
        datelines when they agree, else the country of every place it names when there is one
        (and at least one of them is a town of some size, a region or a country). A story naming
        places of two countries has no setting. Computed once per document."""
        memo = doc.user_data.get("allegiance.setting", False)
        if memo is not False:
            return memo
        got = None
        if "allegiance.dateline_countries" not in doc.user_data:
            doc.user_data["allegiance.dateline_countries"] = self._dateline_countries(doc)
        lines = set(doc.user_data["allegiance.dateline_countries"])
        if len(lines) == 1:
            got = next(iter(lines))
        elif not lines and self.geo.gazetteer is not None:
            got = self._places_setting(doc, finder)
        if got in NONSTATE_CODES:
            got = None
        doc.user_data["allegiance.setting"] = got
        return got

    def _places_setting(self, doc: Doc, finder: ActorFinder) -> str | None:
        try:
            from .places import find_places
        except ImportError:
            return None
        gaz = self.geo.gazetteer
        countries: set[str] = set()
        sure = False
        for span, place, _ in find_places(doc):
            if place is None or not place.country:
                continue
            m = finder.match(span.root)
            if m is not None and m.kind in ("adjective", "organisation", "person", "group", "agent"):
                continue  # "the Vitebsk committee" is a body; a demonym says whose, not where
            countries.add(place.country)
            if place.precision != "city" or _population(gaz, place) >= SETTING_POPULATION:
                sure = True
        return next(iter(countries)) if sure and len(countries) == 1 else None

    def _theatre_sentence(self, sent, finder: ActorFinder) -> str | None:
        """The country of the places a sentence names, unless it is a party's: "Lithuania, Latvia
        and Estonia offered to mediate" names states that act, not where the story happens."""
        found = self._sentence_country(sent, finder)
        if found is None:
            return None
        for tok in sent:
            dep = tok
            while dep.dep_ == "conj" and dep.head.i != dep.i:
                dep = dep.head
            if dep.dep_ in ("nsubj", "nsubjpass", "dobj"):
                m = finder.match(tok)
                if m is not None and m.kind in ("country", "capital") and m.ref == found:
                    return None
        return found

    def _sentence_country(self, sent, finder: ActorFinder) -> str | None:
        """The country of the places named in a sentence (not of its actors); computed once per
        sentence of a parsed document."""
        if self.geo.gazetteer is None:
            return None
        memo = sent.doc.user_data.setdefault("allegiance.sentence_country", {})
        if sent.start not in memo:
            memo[sent.start] = self._places_country(sent, finder)
        return memo[sent.start]

    def _places_country(self, sent, finder: ActorFinder) -> str | None:
        counts: Counter[str] = Counter()
        for ent in sent.ents:
            if ent.label_ in ("GPE", "LOC", "FAC"):
                m = finder.match(ent.root)
                if m is not None and m.kind in ("adjective", "organisation", "person", "metonym"):
                    continue
                if m is not None and m.kind in ("country", "capital") and \
                        ent.root.dep_ in ("nsubj", "nsubjpass", "dobj", "poss"):
                    continue
                if any(a.dep_ in ("relcl", "appos") for a in ent.root.ancestors):
                    continue  # "a militia founded by exiles who fled Rwanda": not where the event is
                if _owner_modifier(ent.root):
                    continue  # "the Poland-based channel", "a US-funded radio": its base or funder, not the place
                place = self.geo.gazetteer.resolve(_place_phrase(ent.root))
                if place is not None and place.country:
                    counts[place.country] += 1
        return counts.most_common(1)[0][0] if counts else None

    def _fill(self, m: Mention | None, country: str | None, event_type: str, role: str) -> Mention | None:
        if m is None:
            return None
        words = m.text.lower().split()
        if role == "target" and event_type == "ASSAULT" and m.country is None and m.name is None and \
                m.sector in ("MIL", None) and words and words[-1] in HIT_EQUIPMENT and not FORCE_WORDS & set(words):
            # "bombed a mortar position", "hit a mobile artillery piece": a gun is not the state of
            # the ground it stands on (in a war it is as likely the insurgents'); unknown, not filled
            return m
        if m.country is None and country and m.kind in ("other", "person") and not m.rule.startswith("catalog"):
            # a noun the model took as an actor, a person the catalog does not know: the story's country
            m = replace(m, country=country)
        elif m.country is None and country and m.sector in NONSTATE_FILL and m.kind != "person":
            name = m.name
            if m.sector in ("GOV", "MIL", "COP", "SPY", "LEG", "JUD") and name is None:
                state = self.catalog.states.get(country)
                name = state.name if state else None
            m = replace(m, country=country, name=name)
        if m.bare:
            if role == "source" and event_type in BARE_NULL_SECTOR:
                m = replace(m, sector=None)
            elif role == "source" and event_type == "MOBILIZE":
                m = replace(m, sector="MIL")
            elif role == "target" and event_type in BARE_TARGET_NULL:
                m = replace(m, sector=None)
        return m

    @staticmethod
    def _own_side_says(verb, source: Mention, finder: ActorFinder) -> bool:
        found = find_speaker(verb)
        if found is None:
            return False
        speaker = finder.resolve(found[1])
        return speaker is not None and speaker.country is not None and speaker.country == source.country

    def _claims(self, parsed: Doc, finder: ActorFinder, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Give an attack with no known attacker the group that claimed it ("Islamic State claimed
        responsibility") or that a party blamed for it, attributed to the claimant or accuser."""
        starts = [s.start for s in _sentences(parsed)]
        claims: list[tuple[int, Mention, str, str]] = []  # (sentence, actor, speaker, kind)
        # the tokens lemmatised "claim", in document order, read from the lemma array
        lemmas = parsed.to_array(LEMMA).tolist() if len(parsed) else []
        for j in [j for j, lemma in enumerate(lemmas) if lemma == _CLAIM]:
            tok = parsed[j]
            if tok.lemma_ == "claim" and any(c.dep_ == "dobj" and c.lemma_ in CLAIMED
                                             for c in tok.children):
                subj = [c for c in tok.children if c.dep_ == "nsubj"]
                m = finder.resolve(subj[0]) if subj else None
                if m is not None:
                    claims.append((bisect.bisect_right(starts, j) - 1, m,
                                   parsed[subj[0].left_edge.i:subj[0].i + 1].text, "named", "claim"))
        for rec in records:  # "Turkish officials blamed the PKK" (for the attack just reported)
            if rec["event_type"] == "ACCUSE" and rec["target"] and rec["mode"] == "allege" and \
                    rec["evidence"]["trigger"].lower().startswith(("blam", "held", "hold")) and \
                    ATTACK_WORDS.search(rec["evidence"]["text"] + " " + _sentence_text(records, rec["sentence"] - 1)):
                m = Mention(0, 0, 0, rec["target"]["text"], rec["target"]["name"], rec["target"]["country"],
                            rec["target"]["sector"], rec["target"]["id"], "agent")
                speaker = (rec["source"] or {}).get("text")
                if speaker:
                    claims.append((rec["sentence"], m, speaker, "official", "blame"))
        if not claims:
            return records
        for rec in records:
            src = rec["source"] or {}
            if rec["event_type"] != "ASSAULT" or (src.get("name") or src.get("sector") not in (None, "UAF")):
                continue
            for i, m, speaker, kind, cue in claims:
                if rec["sentence"] in (i, i - 1):
                    rec["source"] = {"text": m.text, "name": m.name, "country": m.country, "sector": m.sector,
                                     "id": m.id}
                    rec["attribution"] = {"speaker": speaker, "kind": kind, "cue": cue}
                    rec["rule"] += "+claimed" if cue == "claim" else "+blamed"
                    rec["event_id"] = _event_id(rec)  # the id follows the dyad
                    break
        return records

    def _default_target(self, etype: str, source: Mention | None, location: Any, trig,
                        patient_country: str | None = None) -> Mention | None:
        """Conventional targets when the text names none.

        Violence, coercion and aid that land on a place hit (or reach) that place's country
        (GDELT and ACLED code the same); a protest with no named target is addressed to the
        government of the protesters' country.
        """
        if etype in PLACE_TARGET_TYPES and location is not None and location.country:
            country = location.country
        elif etype in PLACE_TARGET_TYPES and patient_country and not (
                etype == "ASSAULT" and source is not None and source.country == patient_country):
            country = patient_country  # "its strikes hit energy facilities": in the story's country
        elif etype in ("PROTEST", "COERCE") and source is not None and source.country and \
                source.country in self.catalog.states and (etype == "PROTEST" or source.sector in STATE_AGENTS):
            country = source.country  # a protest addresses, an arrest falls on, one's own state
        else:
            return None
        state = self.catalog.states.get(country)
        name = state.name if state else None
        sector = "GOV" if etype == "PROTEST" else None
        if etype == "COERCE" and location is None:
            sector = None
        if etype != "PROTEST":
            # a place (or people in it) was hit or reached, not its government: the country is
            # known, the actor is not (no name, so the sides analysis does not read it as the state)
            return Mention(trig.i, trig.i + 1, trig.i, name or country, None, country, sector, None,
                           "place", rule=f"target:default-{etype.lower()}")
        return Mention(trig.i, trig.i + 1, trig.i, name or country, name, country, sector, None,
                       "state", bare=True, rule=f"target:default-{etype.lower()}")

    def code_parsed(self, doc: Document, parsed: Doc) -> list[dict[str, Any]]:
        finder = ActorFinder(parsed, self.catalog, doc.published, parse=self.nlp)
        ex = Extractor(finder, self.lexicon)
        focus = self._focus(parsed, finder)
        doc_countries = [focus] if focus else []
        year = int(doc.published[:4]) if doc.published else None
        records = []
        title = (doc.title or _headline(doc.text) or "").strip()
        sents = _sentences(parsed)
        n_sents = sum(1 for s in sents if _text(s).strip())
        for s_idx, sent, prop in self._proposals(parsed, ex):
            rec = self._record(doc, parsed, s_idx, sent, prop.cand, finder, doc_countries, year)
            if rec is not None:
                rec["origin"] = prop.origin
                rec["confidence"] = None if self.model is None else confidence(
                    prop, self.model.calibration.get("weights"), self.model.calibration.get("platt"), n_sents)
                if self.keep_features:
                    rec["_features"] = prop.features()
                    rec["_doc_sents"] = n_sents
                records.append(rec)
        records = self._claims(parsed, finder, records)
        records = _answers(parsed, finder, records)
        records = joined_targets(parsed, records)
        records = merge_casualties(parsed, records)
        records = merge_elaborations(parsed, records)
        records = drop_restated_places(records)
        head = next(((i, s) for i, s in enumerate(sents) if _text(s).strip()), None)
        if title and head is not None and _text(head[1]).strip() == title:
            # a headline restates the lead: keep its events only when the body does not report them
            h = head[0]

            def side(r: dict[str, Any], role: str) -> str | None:
                return (r[role] or {}).get("country")

            body = [r for r in records if r["sentence"] > h]

            def reported(r: dict[str, Any]) -> bool:  # an unknown side matches any
                return any(b["event_type"] == r["event_type"] and
                           side(r, "source") in (None, side(b, "source")) and
                           side(r, "target") in (None, side(b, "target")) for b in body)
            records = [r for r in records if r["sentence"] != h or not reported(r)]
        seen, out = set(), []
        for rec in records:
            if rec["event_id"] not in seen:
                seen.add(rec["event_id"])
                out.append(rec)
        return out

    def _proposals(self, parsed: Doc, ex: Extractor) -> Iterator[tuple[int, Any, Proposal]]:
        """(sentence index, sentence, proposal) in sentence order: the rule candidates, and with
        a model, its own candidates, all scored, those under the record threshold dropped."""
        rule = [(i, sent, extract_sentence(ex, sent)) for i, sent in enumerate(_sentences(parsed))]
        if self.model is None:
            for i, sent, cands in rule:
                for prop in one_blow([Proposal(c, "rule", 1.0, 1.0, 1.0) for c in cands]):
                    yield i, sent, prop
            return
        feats, where = [], []
        for i, sent, cands in rule:
            text = _text(sent)
            if not text.strip():
                continue
            sf = featurize(sent, ex, cands, self.model.dep_vocab, self.geo.gazetteer, text=text)
            if sf.mentions and any(t.pos_ in ("VERB", "NOUN", "AUX") for t in sf.tokens):
                feats.append(sf)
                where.append(i)
        analyses = dict(zip(where, self.model.analyse(feats)))
        weights = self.model.calibration.get("weights")
        for i, sent, cands in rule:
            analysis = analyses.get(i)
            if analysis is None:
                continue  # no actor mention: nothing the rules or the model could code
            props = propose(analysis, cands, tau=self.tau, theta=self.theta)
            scored = [(prop, confidence(prop, weights)) for prop in props]
            kept = [(p, c) for p, c in scored if c >= (self.min_record_model if p.origin == "model" else self.min_record)
                    and not (p.origin == "model" and (ex.unreported(p.cand.trigger, p.cand.verb)
                                                      or ex.contradicts(p.cand.trigger, p.cand.sense.type)))]
            for prop, _ in one_reading(kept):
                yield i, sent, prop

    def _record(self, doc: Document, parsed: Doc, s_idx: int, sent, cand: Candidate,
                finder: ActorFinder, doc_countries: list[str], year: int | None) -> dict[str, Any] | None:
        verb, trig = cand.verb, cand.trigger
        mod = modality(verb, noun=trig if trig is not verb else None, published_year=year)
        if cand.negated_by_frame:
            mod = replace(mod, negated=True)
        ctx = _Context(self, finder)
        draft = conventions.apply(conventions.TYPE, conventions.Draft(cand, cand.sense.type, cand.sense.mode, mod),
                                  ctx)
        if draft is None:
            return None
        cand = draft.cand
        if self.geo.event_location is not None:
            try:
                draft.location = self.geo.event_location(trig, doc_countries=doc_countries)
            except Exception:
                draft.location = None
        location = draft.location
        # the record names the finest place (a square, a street, a village the gazetteer lacks) in
        # its town; the actors' countries keep following the gazetteer place above
        shown = location
        if self.geo.event_site is not None:
            try:
                shown = self.geo.event_site(trig, location, doc_countries=doc_countries)
            except Exception:
                shown = location
        # where an unplaced actor belongs: the place of a material act (an attack, a protest, an
        # arrest happens where its unnamed parties are); for talk and diplomacy, whose place is a
        # venue ("talks in Geneva"), the state actors the story names come first
        venue = draft.etype in VENUE_TYPES and not (draft.etype == "CONSULT" and draft.mode == "visit")
        placed = location.country if location is not None and not venue else None
        # failing every other cue, a story that names the places of one country only is set
        # there ("In Zhanaozen, ..."; the tagger missed the town); not for talk, whose places are
        # venues ("talks in the Dominican capital")
        draft.fill_country = placed or self._actor_focus(finder) or \
            self._sentence_country(sent, finder) or self._recent_country(sent, finder) or \
            (doc_countries[0] if doc_countries else None) or (None if venue else self._setting(parsed, finder))
        # an unplaced group of people who live where the story happens (rebels, protesters,
        # civilians) is of the story's theatre, not of the state its actors name most (the foreign
        # power that intervenes there)
        # (asked only when such an actor is met: most records never need it)
        ctx.theatre = lambda: placed or (None if venue else self._theatre_sentence(sent, finder)) or \
            self._theatre_doc(doc_countries, finder)
        draft = conventions.apply(conventions.ACTORS, draft, ctx)
        if draft is None:
            return None
        if cand.embedded_in is not None:
            accuser = [c for c in cand.embedded_in.children if c.dep_ == "nsubj"]
            speaker = accuser[0].text if accuser else None
            subtree = list(accuser[0].subtree) if accuser else []
            if subtree:
                speaker = parsed[subtree[0].i:subtree[-1].i + 1].text
            draft.attr = Attribution(speaker, "official" if speaker else "author", cand.embedded_in.lemma_)
        else:
            draft.attr = attribute(verb, trig, draft.source, cand.sense.type, finder, future=draft.mod.future)
        draft = conventions.apply(conventions.STATEMENT, draft, ctx)
        if draft is None:
            return None
        etype, mode, mod, attr = draft.etype, draft.mode, draft.mod, draft.attr
        source, target = draft.source, draft.target
        hedge = hedged(verb)
        date, precision = doc.published, "publication"
        if self.geo.event_date is not None:
            try:
                date, precision = self.geo.event_date(trig, published=doc.published, future=mod.future)
            except Exception:
                date, precision = doc.published, "publication"
        cameo = cand.sense.cameo or ontology.cameo_code(etype, mode)
        t_start = parsed[trig.i].idx if trig is cand.verb or cand.trigger_end <= trig.i + 1 else parsed[trig.i].idx
        first = min(trig.i, cand.trigger_end - 1)
        start_tok = parsed[first] if cand.rule.startswith("verb") else parsed[trig.i]
        trigger_span = parsed[start_tok.i:cand.trigger_end]
        if cand.rule.startswith("noun") and " " in cand.sense.word:
            n = len(cand.sense.word.split())
            trigger_span = parsed[max(sent.start, trig.i - n + 1):trig.i + 1]
        t_start, t_end = trigger_span.start_char, trigger_span.end_char
        event_id = _id(doc.id, s_idx, t_start, etype, source.key if source else None,
                       target.key if target else None)
        return {
            "event_id": event_id,
            "doc_id": doc.id,
            "sentence": s_idx,
            "event_type": etype,
            "mode": mode,
            "contexts": contexts(etype, mode, source, target, _text(sent)),
            "cameo": cameo,
            "cameo_root": ontology.cameo_root(cameo),
            "goldstein": ontology.goldstein(cameo),
            "quad_class": ontology.quad_class(cameo),
            "source": _actor_dict(source),
            "target": _actor_dict(target),
            "date": date,
            "date_precision": precision,
            "location": shown.to_dict() if shown is not None else None,
            "modality": mod.to_dict(),
            "certainty": _certainty(mod, attr, hedge),
            "attribution": attr.to_dict(),
            "evidence": {"text": _text(sent), "start": sent.start_char, "end": sent.end_char,
                         "trigger": trigger_span.text, "trigger_start": t_start, "trigger_end": t_end},
            "doc": {"title": doc.title, "url": doc.url, "publisher": doc.publisher,
                    "published": doc.published, "extra": doc.extra},
            "coder": self._coder_field(),
            "rule": cand.rule,
            # transient (removed before the record leaves the coder): the target is only the
            # country of a place the act landed on ("strikes in Iraq"), no actor of the text
            "_place_target": _place_like(parsed, target),
        }


class _Context:
    """What the conventions (``events.conventions``) may ask of the coder for one document."""

    def __init__(self, coder: "Coder", finder: ActorFinder) -> None:
        self.coder, self.finder = coder, finder
        #: where the event happens (`Coder._record`), computed when a convention asks for it
        self.theatre: Callable[[], str | None] = lambda: None

    def fill(self, m: Mention | None, country: str | None, etype: str, role: str) -> Mention | None:
        if m is not None and m.country is None and m.sector in THEATRE_SECTORS and m.kind != "person":
            theatre = self.theatre()
            if theatre and theatre not in NONSTATE_CODES:
                country = theatre
        if m is not None and m.country is None and country and (
                country in self.finder.backers(m.head) or _foreign(self.finder.doc[m.head])):
            # "rebels backed by Turkey" are not Turkey's, "foreign forces" not the home state's,
            # whoever the story is about
            country = None
        if m is not None and m.country is None and m.kind == "person" and not m.rule.startswith("catalog"):
            # a person the catalog does not know belongs to the state the story is about, not to
            # where an act befalls them ("Danish police could detain him", "freed him on bail in a
            # German court"): the story's favourite state before the act's place
            country = self.coder._actor_focus(self.finder) or country
        if m is not None and m.country is None and country in SETTLED_BY and \
                self.finder.doc[m.head].lemma_.lower() in ("settler", "settlers"):
            # settlers in the occupied Palestinian territories are Israel's citizens, wherever they act
            country = SETTLED_BY[country]
        return self.coder._fill(m, country, etype, role)

    def default_target(self, etype: str, source: Mention | None, location: Any, trig,
                       patient_country: str | None = None) -> Mention | None:
        return self.coder._default_target(etype, source, location, trig, patient_country)

    def own_side_says(self, verb, source: Mention) -> bool:
        return self.coder._own_side_says(verb, source, self.finder)

    def condition_actor(self, verb, source: Mention, *, any_actor: bool = False) -> Mention | None:
        return _condition_actor(verb, source, self.finder, any_actor=any_actor)


#: territories whose settlers are another state's citizens
SETTLED_BY = {"PSE": "ISR"}
FOREIGN_WORDS = frozenset({"foreign", "external", "outside", "overseas", "alien"})
#: what "foreign" makes someone else's ("foreign forces"), not a home post ("foreign minister")
FOREIGN_HEADS = frozenset({"force", "power", "country", "state", "enemy", "agent", "mercenary", "fighter", "hand",
                           "element", "troop", "soldier", "army", "militant", "jihadist", "backer", "sponsor",
                           "player", "actor", "government", "meddler", "leader", "diplomat", "official",
                           "envoy"})


def _foreign(tok) -> bool:
    """Armed forces or powers said to be foreign ("foreign forces", "external enemies", "forces
    from outside"): not the home state's, whoever the story is about."""
    if tok.lemma_.lower() not in FOREIGN_HEADS:
        return False
    return any(c.dep_ in ("amod", "compound") and c.lower_ in FOREIGN_WORDS for c in tok.children) or \
        any(c.dep_ == "prep" and c.lower_ == "from" and any(g.lower_ in ("outside", "abroad") for g in c.children)
            for c in tok.children)


def _condition_actor(verb, source: Mention, finder: ActorFinder, *, any_actor: bool = False) -> Mention | None:
    """The actor whose act a threat is conditioned on: the subject of an "if" / "unless" clause
    of the threatened act ("... if Israel broke it" -> Israel), when it is not the threatener
    (with ``any_actor``, whoever it is: the act is conditional)."""
    node = verb
    for _ in range(3):
        for c in node.children:
            if c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in ("if", "unless") for m in c.children):
                for subj in c.children:
                    if subj.dep_ in ("nsubj", "nsubjpass"):
                        m = finder.resolve(subj)
                        if m is not None and (any_actor or (m.country != source.country and m.key != source.key)):
                            return m
        if node.dep_ not in ("xcomp", "conj", "ccomp") or node.head.i == node.i:
            break
        node = node.head
    return None


#: responses whose addressee is who made what they answer ("rejected the report", "welcomed the move")
ANSWER_TYPES = frozenset({"REJECT", "SUPPORT", "ACCUSE"})


def _answers(parsed: Doc, finder: ActorFinder, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A rejection, welcome or condemnation of an earlier statement or act the sentence does not
    attribute ("The government rejected the report", "Britain welcomed the move", "We reject
    that") is addressed to its author: the actor that made it in the sentences just before."""
    for rec in records:
        if rec["event_type"] not in ANSWER_TYPES or rec["target"] is not None or rec["source"] is None:
            continue
        trig = _trigger_token(parsed, rec)
        thing = answered_thing(trig) if trig is not None and trig.pos_ in ("VERB", "AUX") else None
        author = answered_author(thing, finder, rec["source"]) if thing is not None else None
        if author is not None:
            rec["target"] = _actor_dict(author)
            rec["rule"] += "+answers"
            rec["event_id"] = _event_id(rec)  # the id follows the dyad
    return records


def _place_like(parsed: Doc, target: Mention | None) -> bool:
    """The target is only a country where the act happened: a default place target, or a state
    named as the place ("strikes in Iraq"), not an actor of the text."""
    if target is None:
        return False
    if target.kind == "place":  # the place's country by convention, not a place the verb names ("shelled Kharkiv")
        return target.sector is None and target.rule.startswith("target:default")
    head = parsed[target.head] if 0 <= target.head < len(parsed) else None
    return target.kind == "state" and head is not None and head.dep_ == "pobj" and \
        head.head.lower_ in ("in", "inside", "across", "within", "into", "over")


def _owner_modifier(tok) -> bool:
    """A place in a hyphenated modifier of a noun ("the Poland-based channel", "a US-funded
    radio", "London-headquartered"): where a body sits or who pays it, not where an act is."""
    head = tok.head
    return tok.dep_ in ("npadvmod", "compound", "nmod") and head.i != tok.i and head.i > tok.i and \
        head.tag_ in ("VBN", "JJ") and head.dep_ == "amod"


def _population(gaz: Any, place: Any) -> int:
    """The population GeoNames gives a city place (0 when unknown)."""
    from .gazetteer import norm

    try:
        for i in gaz.cities.lookup(norm(place.name)):
            row = gaz.cities.row(i)
            if row[0] == place.geonameid:
                return int(row[6] or 0)
    except Exception:
        return 0
    return 0


def _sentences(parsed: Doc) -> list:
    """The document's sentences, made once per document (``Doc.sents`` makes new spans each time)."""
    got = parsed.user_data.get("allegiance.sents")
    if got is None:
        got = parsed.user_data["allegiance.sents"] = list(parsed.sents)
    return got


def _text(span) -> str:
    """``span.text`` of a sentence, sliced from the document's text, which is made once per
    document (``Span.text`` joins its tokens' texts each time it is asked)."""
    doc = span.doc
    text = doc.user_data.get("allegiance.text")
    if text is None:
        text = doc.user_data["allegiance.text"] = doc.text
    return text[span.start_char:span.end_char]


def _sentence_text(records: list[dict[str, Any]], s_idx: int) -> str:
    return next((r["evidence"]["text"] for r in records if r["sentence"] == s_idx), "")


def _headline(text: str) -> str | None:
    """A first line standing alone above a blank line, short and without a full stop."""
    head, sep, _ = text.lstrip().partition("\n\n")
    head = head.strip()
    if sep and head and "\n" not in head and len(head) < 200 and head[-1] not in ".!?\"”'":
        return head
    return None


def code_texts(texts: Iterable[str], *, published: str | None = None) -> list[dict[str, Any]]:
    """Convenience: code plain texts (ids ``text-0``, ``text-1`` …) and return all records."""
    coder = Coder()
    docs = [Document(id=f"text-{i}", text=t, published=published) for i, t in enumerate(texts)]
    return [rec for _, recs, _ in coder.code_many(docs) for rec in recs or []]
