"""Places in parsed text: toponym recognition, event locations, `find_places`.

The gazetteer itself (GeoNames, ISO 3166, curated aliases) lives in `allegiance.gazetteer`;
`Gazetteer`, `norm` and `ruler_patterns` are re-exported here. A mention is resolved with country hints taken first
from its own sentence ("Tripoli in northern Lebanon", "Tripoli, Lebanon", "the Lebanese city of
Tripoli"), then from the document.
"""
from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

from .gazetteer import ADMIN_WORDS as _ADMIN_WORDS, DEMONYMS as _DEMONYMS, DIRECTIONS as _DIRECTIONS
from .gazetteer import FACILITY_WORDS as _FACILITY_WORDS
from .gazetteer import Gazetteer, explain_place, norm, ruler_patterns
from .actors.base import PERSON_NOUNS
from .models import Place

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

__all__ = ["Gazetteer", "norm", "ruler_patterns", "event_location", "find_places", "explain_place"]

_PREC_RANK = {"city": 3, "admin1": 2, "country": 1}

# -- places in parsed text ---------------------------------------------------------------
_PLACE_LABELS = {"GPE", "LOC", "FAC"}
_LOC_PREPS = {"in", "near", "at", "around", "outside", "inside", "across", "throughout", "into",
              "onto", "through", "over", "on", "off", "along", "within", "beyond", "toward",
              "towards", "to", "from", "nearby", "past", "via", "under", "above", "behind"}
_TOPIC_PREPS = {"on", "about", "over", "regarding", "concerning"}
_TOPIC_HEADS = {"talk", "summit", "meeting", "conference", "negotiation", "call", "deal", "agreement",
                "discussion", "dialogue", "resolution", "plan", "strategy", "policy", "statement",
                "envoy", "sanction", "crisis", "vote", "report", "speech", "remark", "position",
                "stance", "proposal", "consultation", "meet", "talks", "sanctions", "debate",
                "discuss", "row", "dispute", "tension", "pressure", "inquiry", "investigation"}
_RELATION_PREPS = {"with", "between", "against", "for", "by", "among", "than", "like", "of"}
_PART_NOUNS = {"outskirts", "suburb", "suburbs", "district", "districts", "neighbourhood",
               "neighbourhoods", "neighborhood", "neighborhoods", "part", "parts", "centre", "center",
               "town", "city", "village", "villages", "countryside", "province", "region", "area",
               "areas", "edge", "edges", "heart", "streets", "street", "east", "west", "north",
               "south", "outskirt", "capital", "port", "camp", "environs", "vicinity", "rest",
               "north-east", "north-west", "south-east", "south-west", "northeast", "northwest",
               "southeast", "southwest", "territory", "border", "side", "half", "coast", "coastline",
               "shore", "shores", "waters", "bank", "banks", "periphery", "entrance", "gates"}
_SETTLEMENT_NOUNS = {"town", "city", "village", "district", "neighbourhood", "neighborhood",
                     "hamlet", "port", "camp", "suburb", "capital"}
_EVENT_OF_NOUNS = {"siege", "bombardment", "shelling", "capture", "fall", "battle", "blockade",
                   "liberation", "occupation", "invasion", "bombing", "recapture", "encirclement",
                   "storming", "evacuation", "destruction", "defence", "defense", "assault",
                   "takeover", "control", "attack", "raid", "offensive", "streets"}
_ACTOR_NOUNS = {"president", "government", "minister", "ministry", "army", "military", "force",
                "forces", "troops", "leader", "leadership", "envoy", "ambassador", "official",
                "officials", "authorities", "authority", "navy", "people", "regime", "embassy",
                "delegation", "spokesman", "spokeswoman", "prime", "king", "emir", "foreign",
                "defence", "defense", "allies", "ally", "junta", "rulers", "parliament",
                "media", "agency", "counterpart", "representative", "mission", "administration",
                "chief", "commander", "premier", "cabinet", "intelligence", "police", "guards",
                "militia", "militias", "rebels", "fighters", "population", "citizens", "residents",
                "group", "company", "firm", "bank", "airline", "team", "club", "party"}
_TARGET_VERBS = {"shell", "bomb", "strike", "hit", "attack", "storm", "capture", "seize", "take",
                 "recapture", "reach", "enter", "visit", "invade", "besiege", "encircle", "occupy",
                 "pound", "target", "raid", "liberate", "leave", "flee", "evacuate", "surround",
                 "overrun", "retake", "rocket", "blockade", "cross", "tour", "shake", "rock",
                 "bombard", "infiltrate", "annex", "control", "defend", "abandon", "quit"}
_SUBJECT_PLACE_VERBS = {"come", "be", "remain", "see", "witness", "experience", "suffer", "fall",
                        "shake", "rock", "lie", "stay"}
_SPEECH_VERBS = {"say", "tell", "report", "announce", "claim", "state", "add", "confirm", "insist",
                 "accuse", "warn", "deny", "allege", "write", "note", "declare", "quote", "cite"}
_CLAUSAL = {"relcl", "advcl", "ccomp", "parataxis", "conj", "csubj"}
_ANAPHORA = {"city": "city", "town": "city", "village": "city", "capital": "city", "area": "admin1",
             "region": "admin1", "province": "admin1", "enclave": "admin1", "territory": "admin1",
             "strip": "admin1", "there": "admin1"}


class _Mention(NamedTuple):
    start: int          # token span of the name (without descriptors)
    end: int
    text: str           # name with descriptors ("northern Hama province")
    label: str
    settlement: bool    # "the town of X": a settlement even if the gazetteer lacks it
    near: str | None = None  # country named beside it ("X, Lebanon", "the Lebanese city of X")


def _propn_run(doc: Doc, i: int) -> tuple[int, int]:
    """Extend a proper-noun token to its run, through hyphens and Arabic/French particles."""
    start, end = i, i + 1
    glue = {"-", "al", "el", "ez", "ad", "as", "ar", "an", "ash", "az", "de", "du", "ibn", "bin"}
    while start > 0 and (doc[start - 1].pos_ == "PROPN" or doc[start - 1].lower_ in glue) and doc[start - 1].text[0] != ",":
        start -= 1
    while end < len(doc) and (doc[end].pos_ == "PROPN" or (doc[end].lower_ in glue and end + 1 < len(doc)
                                                          and doc[end + 1].pos_ == "PROPN")):
        end += 1
    while start < end and doc[start].lower_ in glue - {"al", "el"}:
        start += 1
    return start, end


def _with_descriptors(doc: Doc, start: int, end: int) -> str:
    s, e = start, end
    if e < len(doc) and doc[e].lower_ in _ADMIN_WORDS | {"airport", "crossing", "mountains", "valley", "camp"}:
        e += 1
    elif e + 1 < len(doc) and doc[e].lower_ == "air" and doc[e + 1].lower_ == "base":
        e += 2
    if s > 0 and doc[s - 1].lower_ in _DIRECTIONS:
        s -= 1
    return doc[s:e].text


#: nouns that describe a person: a name in apposition to one ("his son Viktor", "the activist
#: Bondarenko") names that person, whatever its preposition ("sanctions on ..., his son Viktor")
_PERSON_HEADS = PERSON_NOUNS | {
    "son", "daughter", "wife", "husband", "brother", "sister", "father", "mother", "nephew", "niece",
    "cousin", "uncle", "aunt", "grandson", "granddaughter", "widow", "widower", "fiancee", "fiancée",
    "aide", "adviser", "advisor", "bodyguard", "spokesman", "spokeswoman", "spokesperson", "deputy",
    "man", "woman", "boy", "girl"}


def _locative_position(tok: Token) -> bool:
    """True when the phrase of ``tok`` is the object of a place preposition ("in X", "near X"),
    directly or through compounds, conjuncts and appositions that are not a person's."""
    head = tok
    while head.dep_ in ("compound", "appos", "conj", "amod") and head.head.i != head.i:
        nxt = head.head
        if head.dep_ in ("appos", "conj") and (nxt.lemma_.lower() in _PERSON_HEADS or (
                nxt.ent_type_ == "PERSON" and nxt.ent_iob_ != "O" and tok.ent_type_ == "PERSON")):
            return False  # "on Lukashenko, his son Viktor": a name beside a person is a person
        head = nxt
    if head.dep_ != "pobj":
        return False
    prep = head.head
    return prep.lower_ in _LOC_PREPS or (prep.lower_ == "of" and prep.head.lower_ in _PART_NOUNS | _DIRECTIONS)


def _catalog_organisation(text: str) -> bool:
    """A form the actor catalog knows as an organisation (built-in catalog)."""
    from .actors.catalog import load_catalog

    refs = load_catalog(()).forms.get(text[4:] if text.lower().startswith("the ") else text)
    return bool(refs) and refs[0][0] == "organisation"


def _mentions(doc: Doc) -> list[_Mention]:
    cached = doc.user_data.get("allegiance.places")
    if cached is not None:
        return cached
    gaz = Gazetteer.default()
    out: list[_Mention] = []
    taken: set[int] = set()
    # the surnames of the people the story names in full: "loyal to Morales" after "Evo Morales" is
    # the man, not the Colombian town
    surnames = {ent[-1].text for ent in doc.ents if ent.label_ == "PERSON" and len(ent) >= 2}
    for ent in doc.ents:
        if ent.label_ in ("PERSON", "ORG", "NORP", "GPE") and len(ent) == 1 and ent.text in surnames:
            taken.update(range(ent.start, ent.end))
            continue
        if not any(t.text[:1].isupper() for t in ent):
            taken.update(range(ent.start, ent.end))  # "off its east coast": a direction, not a toponym
            continue
        text = ent.text[4:] if ent.text.lower().startswith("the ") else ent.text
        key = norm(text)
        settlement = ent.start > 1 and doc[ent.start - 1].lower_ == "of" and doc[ent.start - 2].lower_ in _SETTLEMENT_NOUNS
        if ent.label_ in _PLACE_LABELS or key in gaz.aliases or (settlement and ent.label_ != "NORP"):
            if ent.label_ == "GPE" and key in _DEMONYMS:
                continue
            start = ent.start + (1 if ent[0].lower_ == "the" else 0)
            out.append(_Mention(start, ent.end, _with_descriptors(doc, start, ent.end), ent.label_, settlement))
            taken.update(range(ent.start, ent.end))
        else:
            taken.update(range(ent.start, ent.end))  # dates, people, groups: not place candidates
            if ent.label_ == "ORG" and _catalog_organisation(ent.text):
                continue  # a named group whose name is also a town's ("the Zintan brigade") is no place
            if ent.label_ in ("PERSON", "ORG", "NORP") and ent.root.pos_ == "PROPN" and _locative_position(ent.root):
                facility = ent.root.dep_ == "compound" and ent.root.head.lower_ in _FACILITY_WORDS - {"air", "border"}
                if facility or gaz.resolve(text) is not None:
                    out.append(_Mention(ent.start, ent.end, _with_descriptors(doc, ent.start, ent.end), "GPE", facility))
    from spacy.attrs import POS
    from spacy.symbols import PROPN

    nxt = 0
    for i, pos in enumerate(doc.to_array(POS).tolist() if len(doc) else ()):
        if i < nxt or pos != PROPN or i in taken:
            continue
        tok = doc[i]
        if not tok.text[:1].isupper() or tok.lower_ in _CALENDAR:
            continue
        start, end = _propn_run(doc, i)
        nxt = end
        if any(j in taken for j in range(start, end)):
            continue
        settlement = start > 1 and doc[start - 1].lower_ == "of" and doc[start - 2].lower_ in _SETTLEMENT_NOUNS
        span = doc[start:end]
        if norm(span.text) in gaz.aliases or settlement or (_locative_position(span.root) and _plausible(span.text)):
            out.append(_Mention(start, end, _with_descriptors(doc, start, end), "GPE", settlement))
        else:
            for j in range(start, end):  # "Chushul-Moldo": a known part of a compound name
                if doc[j].pos_ == "PROPN" and norm(doc[j].text) in gaz.aliases and _locative_position(span.root):
                    out.append(_Mention(j, j + 1, doc[j].text, "GPE", False))
    try:
        bounds = [(s.start, s.end) for s in doc.sents] if out else []
    except ValueError:                         # no sentence boundaries: one span
        bounds = [(0, len(doc))]
    ends = [e for _, e in bounds]
    out = sorted(m._replace(near=_named_country(doc, m, bounds[bisect.bisect_right(ends, m.start)]))
                 for m in out)
    doc.user_data["allegiance.places"] = out
    return out


_CALENDAR = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
             "february", "march", "april", "may", "june", "july", "august", "september", "october",
             "november", "december"}


def _plausible(text: str) -> bool:
    """An untagged proper noun is a place only by a country/region name, an alias or a primary city name."""
    place = Gazetteer.default().resolve(text)
    return place is not None and (place.precision != "city" or norm(place.name) == norm(text)
                                  or place.geonameid in Gazetteer.default().alias_by_gid)


def _doc_hints(doc: Doc) -> tuple[str, ...]:
    hints = doc.user_data.get("allegiance.place_hints")
    if hints is None:
        gaz = Gazetteer.default()
        found: set[str] = set()
        for m in _mentions(doc):
            iso = gaz.is_country(doc[m.start:m.end].text)   # "northern Lebanon" names Lebanon
            if iso is not None:
                found.add(iso)
        for ent in doc.ents:
            if ent.label_ == "NORP" and ent.text.lower() in _DEMONYMS and not _hyphenated(doc, ent.start):
                found.add(_DEMONYMS[ent.text.lower()])   # not "Russian-held"
        hints = doc.user_data["allegiance.place_hints"] = tuple(sorted(found))
    return hints


# -- the country named beside a place ------------------------------------------------------
_QUALIFIERS = _DIRECTIONS | {"the", "of", "part", "parts", "far", "north", "south", "east", "west"}
_APPOSITION_NOUNS = _SETTLEMENT_NOUNS | {"stronghold", "hub", "province", "region", "governorate",
                                         "state", "oblast"}
_BOUNDARY = {",", ".", ";", ":", ")", "(", "—", "–", "-", '"', "'s", "’s", "!", "?"}


def _country_at(doc: Doc, i: int, stop: int, *, regions: bool = False) -> tuple[str, int] | None:
    """(ISO alpha-3, end) when a country (or, with ``regions``, an admin1 region) is named from token i."""
    gaz = Gazetteer.default()
    for end in range(min(i + 5, stop), i, -1):
        if not doc[end - 1].text[:1].isalpha():
            continue
        text = doc[i:end].text
        iso = gaz.is_country(text)
        if iso is None and regions and doc[i].text[:1].isupper():
            place = gaz.resolve(text)
            iso = place.country if place is not None and place.precision == "admin1" else None
        if iso is not None:
            return iso, end
    return None


def _country_before(doc: Doc, end: int, start: int) -> str | None:
    """ISO alpha-3 of a country name ending just before token ``end`` ("Lebanon" 's)."""
    hits = (_country_at(doc, i, end) for i in range(max(start, end - 4), end))
    return next((hit[0] for hit in hits if hit is not None and hit[1] == end), None)


def _named_country(doc: Doc, m: _Mention, sent: tuple[int, int]) -> str | None:
    """The country the text places a mention in: "X in (northern) Lebanon", "X, Lebanon",
    "X, the capital of Lebanon", "X, a Lebanese port city", "the Lebanese city of X",
    "Lebanon's (northern city of) X"."""
    lo, hi = sent
    j = m.end
    while j < hi and (doc[j].lower_ in _ADMIN_WORDS | _FACILITY_WORDS - {"border"}):
        j += 1                                     # "Hama province in central Syria"
    if j + 1 < hi and doc[j].lower_ == "in":
        k = next((k for k in range(j + 1, min(hi, j + 5)) if doc[k].lower_ not in _QUALIFIERS), hi)
        hit = _country_at(doc, k, hi, regions=True) if k < hi else None
        if hit is not None:
            return hit[0]
    if j + 1 < hi and doc[j].text == ",":
        hit = _country_at(doc, j + 1, hi, regions=True)
        after = (doc[hit[1]].lower_ if hit[1] < hi else ".") if hit is not None else ""
        if after in _BOUNDARY or (after in ("and", "or") and _country_at(doc, hit[1] + 1, hi) is None):
            return hit[0]                         # not "Tripoli, Lebanon and Syria"
        stop = next((k for k in range(j + 1, min(hi, j + 10)) if doc[k].text in (",", ";", ".", "(", ")")), min(hi, j + 10))
        words = [t.lower_ for t in doc[j + 1:stop]]
        if doc[j + 1].pos_ != "ADP" and any(w in _APPOSITION_NOUNS for w in words):
            for k in range(j + 1, stop):         # "X, the capital of Lebanon" / "X, a Lebanese city"
                tok = doc[k]
                if tok.pos_ in ("VERB", "AUX") or (tok.pos_ == "ADP" and tok.lower_ != "of"):
                    break                        # "X, a city held by Russian forces"
                if tok.lower_ in _DEMONYMS and not _hyphenated(doc, k):
                    return _DEMONYMS[tok.lower_]
                hit = _country_at(doc, k, stop, regions=True) if doc[k - 1].lower_ == "of" else None
                if hit is not None:
                    return hit[0]
    k = m.start - 1
    if k > lo and doc[k].text in ("'s", "’s") and doc[m.end - 1].dep_ != "compound":
        return _country_before(doc, k, lo)       # "Lebanon's Tripoli", not "Russia's Donetsk offensive"
    if k > lo and doc[k].lower_ == "of" and doc[k - 1].lower_ in _APPOSITION_NOUNS:
        for k in range(k - 2, max(lo, m.start - 8) - 1, -1):   # "the northern Lebanese port city of X"
            tok = doc[k]
            if tok.lower_ in _DEMONYMS and not _hyphenated(doc, k):
                return _DEMONYMS[tok.lower_]
            if tok.text in ("'s", "’s"):
                return _country_before(doc, k, lo)
            if tok.lower_ in ("the", "a", "an", "this", "that", "its", "their") or tok.is_punct and tok.text != "-":
                break
    return None


def _hyphenated(doc: Doc, k: int) -> bool:
    """"Russian-held", "pro-Turkish": a nationality that is not the place's own."""
    return (k + 1 < len(doc) and doc[k + 1].text == "-") or (k > 0 and doc[k - 1].text == "-")


def _resolve_mention(m: _Mention, hints: Sequence[str]) -> tuple[Place | None, str]:
    gaz = Gazetteer.default()
    if m.label == "FAC" and norm(m.text) not in gaz.aliases and not re.search(
            r"(airport|air ?base|crossing|port|camp)$", m.text, re.I):
        return None, "facility, not a gazetteer place"
    if m.near is not None:
        place, reason = gaz.resolve_explained(m.text, hints, within=m.near)
        if place is not None:
            return place, f"{reason}; {m.near} named beside it"
    place, reason = gaz.resolve_explained(m.text, hints)
    if place is None and m.settlement:
        return Place(m.text, m.text, None, None, None, None, None, "city"), "settlement named in text, not in gazetteer"
    return place, reason


def _np_role(tok: Token) -> tuple[str, Token, bool]:
    """(role, attachment token, reference?) of a noun phrase head."""
    dep, head = tok.dep_, tok.head
    if dep == "pobj":
        prep, gov = head.lower_, head.head
        if prep == "of":
            if gov.lower_ in _DIRECTIONS or gov.lemma_ in _PART_NOUNS:
                role, att, _ = _np_role(gov) if gov.pos_ in ("NOUN", "PROPN") else ("locative", gov.head, True)
                ref = gov.lower_ in _DIRECTIONS or gov.lemma_ in {"east", "west", "north", "south"}
                return (role if role != "other" else "locative"), att, ref
            if gov.lemma_ in _EVENT_OF_NOUNS:
                return "target", gov, False
            return ("actor" if gov.lemma_ in _ACTOR_NOUNS else "other"), gov, False
        if prep in _TOPIC_PREPS and gov.lemma_ in _TOPIC_HEADS:
            return "topic", gov, False
        if prep in _RELATION_PREPS or head.dep_ == "agent":
            return "relation", gov, False
        if prep in ("to", "towards", "toward"):
            return "motion", gov, False
        if prep == "from":
            return "from", gov, False
        if prep in _LOC_PREPS:
            return "locative", gov, prep in ("near", "outside", "around")
        return "other", gov, False
    if dep in ("nsubjpass",) or (dep == "nsubj" and head.lemma_ in _SUBJECT_PLACE_VERBS):
        return "target", head, False
    if dep in ("nsubj", "csubj"):
        return "actor", head, False
    if dep in ("dobj", "obj"):
        if head.lemma_ in _TARGET_VERBS:
            return "target", head, False
        return ("topic" if head.lemma_ in _TOPIC_HEADS else "other"), head, False
    if dep == "advmod" and tok.lower_ in _DIRECTIONS:  # "west of Mosul"
        return "locative", head, True
    if dep in ("npadvmod",) and tok.lemma_ in _PART_NOUNS:
        return "locative", head, False
    return "other", head, False


def _role(doc: Doc, m: _Mention) -> tuple[str, Token, bool, bool]:
    """(role, attachment, reference?, modifier?) of a mention in its sentence."""
    tok = doc[m.start:m.end].root
    modifier = False
    while tok.dep_ in ("compound", "amod", "nmod", "poss", "appos", "conj") and tok.head.i != tok.i:
        if m.end <= tok.head.i and tok.head.lower_ in _ADMIN_WORDS | _FACILITY_WORDS:
            tok = tok.head                    # "Zamfara state", "Hmeimim air base"
            continue
        if tok.dep_ in ("compound", "amod", "nmod", "poss"):
            if tok.head.lemma_ in _ACTOR_NOUNS or tok.head.lower_ in _ACTOR_NOUNS or tok.head.ent_type_ in (
                    "ORG", "PERSON", "NORP") and tok.head.ent_iob_ != "O" and tok.ent_type_ != tok.head.ent_type_:
                return "actor", tok.head, False, True
            modifier = True
        if tok.head.pos_ not in ("NOUN", "PROPN", "NUM", "ADJ"):
            break
        tok = tok.head
    role, att, ref = _np_role(tok)
    if modifier and role == "actor":
        return "subjloc", att, False, True    # "a Kyiv court ruled"
    if modifier and role == "other":
        return "modifier", att, False, True   # "the Gaza plant"
    return role, att, ref, modifier


def _path_ok(att: Token, trigger: Token) -> bool:
    """True when ``att`` is inside the trigger's own clause (no clausal edge on the way)."""
    tok = att
    while tok.i != trigger.i:
        if tok.dep_ in _CLAUSAL or tok.head.i == tok.i:
            return False
        tok = tok.head
    return True


def _in_subtree(tok: Token, root: Token) -> bool:
    return root.left_edge.i <= tok.i <= root.right_edge.i and (tok.i == root.i or root in tok.ancestors)


def _directional(doc: Doc, start: int) -> bool:
    return start > 0 and doc[start - 1].lower_ in _DIRECTIONS


def _tier(doc: Doc, role: str, att: Token, trigger: Token, place: Place, m_start: int,
          modifier: bool = False) -> int | None:
    if role in ("actor", "topic", "relation", "other"):
        return None
    if role == "motion" and place.precision == "country" and not _directional(doc, m_start):
        return None                            # "delivered ... to Ukraine": a recipient
    if modifier and place.precision == "country":
        return None                            # "US aircraft": a nationality, not a place
    if role in ("locative", "target", "modifier", "motion") and _in_subtree(att, trigger):
        return 1 if _path_ok(att, trigger) else 3
    if role == "from":
        return 4
    ancestors = list(trigger.ancestors)
    subj_of = att.head if att.dep_ in ("nsubj", "nsubjpass") else att
    if role == "subjloc" or att.dep_ in ("nsubj", "nsubjpass"):
        if subj_of.lemma_ in _SPEECH_VERBS and subj_of.i != trigger.i:
            return None                        # "the ministry in Moscow said"
        if subj_of.i == trigger.i or subj_of in ancestors or (trigger.dep_ == "conj" and subj_of == trigger.head):
            return 2
        return 4
    if att in ancestors:
        return None if att.lemma_ in _SPEECH_VERBS else 2
    return 3


def event_location(trigger: Token, *, doc_countries: Sequence[str] = ()) -> Place | None:
    """The place attached to the event whose trigger is ``trigger`` (None if the text names none)."""
    doc, sent = trigger.doc, trigger.sent
    hints = tuple(doc_countries) or _doc_hints(doc)
    best: tuple | None = None
    result: Place | None = None
    for m in _mentions(doc):
        if not sent.start <= m.start < sent.end:
            continue
        place, _ = _resolve_mention(m, hints)
        if place is None:
            continue
        role, att, ref, mod = _role(doc, m)
        tier = _tier(doc, role, att, trigger, place, m.start, mod)
        if tier is None:
            continue
        first = doc[m.start:m.end].root
        while first.dep_ == "conj" and first.head.i < first.i:
            first = first.head                 # "in Abadan and Bushehr": the first conjunct
        key = (tier, -_PREC_RANK.get(place.precision, 0), ref, abs(first.i - trigger.i), m.start)
        if best is None or key < best:
            best, result = key, place
    if result is None:
        result = _anaphora(doc, trigger, hints)
    return result


def _anaphora(doc: Doc, trigger: Token, hints: Sequence[str]) -> Place | None:
    """"the city", "the town", "there": the last place named in the three previous sentences."""
    sent = trigger.sent
    words = [t.lower_ for t in sent if t.lower_ in _ANAPHORA
             and (t.lower_ == "there" or doc[max(t.i - 1, 0)].lower_ in ("the", "this", "that"))]
    if not words:
        return None
    wanted = {"city"} if all(_ANAPHORA[w] == "city" for w in words) else {"city", "admin1"}
    prev = [m for m in _mentions(doc) if m.start < sent.start and sent.start - m.start < 120]
    for m in reversed(prev):
        place, _ = _resolve_mention(m, hints)
        if place is not None and place.precision in wanted and _role(doc, m)[0] not in ("actor", "topic", "relation"):
            return place
    return None


def find_places(doc: Doc, *, doc_countries: Sequence[str] = ()) -> list[tuple[Span, Place | None, str]]:
    """Every place mention in ``doc`` with its resolution and the reason (for ``allegiance places``)."""
    hints = tuple(doc_countries) or _doc_hints(doc)
    out = []
    for m in _mentions(doc):
        place, reason = _resolve_mention(m, hints)
        role = _role(doc, m)[0]
        out.append((doc[m.start:m.end], place, f"{reason}; role in sentence: {role}"))
    return out
