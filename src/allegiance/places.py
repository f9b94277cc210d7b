"""Places in parsed text: toponym recognition, event locations, `find_places`.

The gazetteer itself (GeoNames, ISO 3166, curated aliases) lives in `allegiance.gazetteer`;
`Gazetteer`, `norm` and `ruler_patterns` are re-exported here. A mention is resolved with country hints taken first
from its own sentence ("Tripoli in northern Lebanon", "Tripoli, Lebanon", "the Lebanese city of
Tripoli"), then from the document.

`event_location` gives the gazetteer place of an event (the actors' countries follow it);
`event_site` gives the record's place: the finest site the event's clause names (a square, a
street, a building, a base, a district, a village the gazetteer lacks) in the town the text puts
it in (``Place.geo_precision`` "near"), or without coordinates ("unresolved").
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

__all__ = ["Gazetteer", "norm", "ruler_patterns", "event_location", "event_site", "find_places", "explain_place"]

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
#: subdivisions named as "the <unit> of X"
_UNIT_NOUNS = {"state", "province", "region", "governorate", "oblast", "prefecture"}
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
        unit = doc[ent.start - 2].lower_ if ent.start > 1 and doc[ent.start - 1].lower_ == "of" else ""
        if unit in _UNIT_NOUNS and ent.label_ != "NORP" and ent.root.pos_ == "PROPN" and \
                not (ent.start > 2 and doc[ent.start - 3].lower_ == "of") and gaz.is_country(text) is None:
            # "the Venezuelan state of Lara", "the province of Idlib": a subdivision, looked up as
            # one ("Lara state"), whatever the tagger called the name ("heads of state of Niger"
            # names none, "the state of Israel" a country)
            out.append(_Mention(ent.start, ent.end, f"{ent.text} {unit}", "GPE", False))
            taken.update(range(ent.start, ent.end))
            continue
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
            if iso is not None and not _hyphenated(doc, m.end - 1):   # not 'Poland-based'
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
        return (Place(m.text, m.text, None, None, None, None, None, "city", "unresolved"),
                "settlement named in text, not in gazetteer")
    return place, reason


def _np_role(tok: Token) -> tuple[str, Token, bool]:
    """(role, attachment token, reference?) of a noun phrase head."""
    dep, head = tok.dep_, tok.head
    if dep == "pobj":
        prep, gov = head.lower_, head.head
        if prep == "of":
            if gov.lower_ in _DIRECTIONS or gov.lemma_ in _PART_NOUNS or gov.lemma_ in _UNIT_NOUNS:
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
    hints = tuple(doc_countries) or _doc_hints(trigger.doc)
    found = _best_place(trigger, hints)
    return found[1] if found is not None else _anaphora(trigger.doc, trigger, hints)


def _best_place(trigger: Token, hints: Sequence[str]) -> tuple[tuple, Place, _Mention] | None:
    """(rank key, place, mention) of the gazetteer place in the trigger's sentence that is
    attached closest to the event; the first element of the key is its tier (cached per trigger:
    `event_location` and `event_site` both ask)."""
    cache = trigger.doc.user_data.setdefault("allegiance.best_place", {})
    key = (trigger.i, tuple(hints))
    if key not in cache:
        cache[key] = _rank_places(trigger, hints)
    return cache[key]


def _rank_places(trigger: Token, hints: Sequence[str]) -> tuple[tuple, Place, _Mention] | None:
    doc, sent = trigger.doc, trigger.sent
    best: tuple | None = None
    result: tuple[tuple, Place, _Mention] | None = None
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
            best, result = key, (key, place, m)
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


# -- sites finer than the gazetteer ----------------------------------------------------------------
# ACLED's practice: the record names the finest place the text gives ("Republic Square", "the
# Nemiga metro station", a village the gazetteer lacks) and its coordinates are those of the town
# or region the site is in, flagged as such (``geo_precision`` "near"); a place the gazetteer lacks
# and no containing town is named for keeps its name without coordinates ("unresolved").

#: head nouns of a named site finer than a town
_SITE_NOUNS = frozenset({
    "square", "plaza", "avenue", "street", "road", "boulevard", "lane", "highway", "motorway", "bridge",
    "roundabout", "station", "metro", "terminal", "airport", "airfield", "base", "airbase", "barracks",
    "garrison", "palace", "residence", "stadium", "arena", "park", "plant", "factory", "refinery", "mine",
    "oilfield", "gasfield", "depot", "port", "harbour", "harbor", "crossing", "checkpoint", "camp",
    "prison", "jail", "penitentiary", "colony", "building", "tower", "hall", "hotel", "church",
    "cathedral", "mosque", "monastery", "university", "campus", "hospital", "market", "bazaar", "mall",
    "centre", "center", "district", "suburb", "neighbourhood", "neighborhood", "quarter", "township",
    "village", "hamlet", "embassy", "consulate", "memorial", "monument", "gate", "works", "mill"})
#: first words of street and square names in the languages of the news ("Plaza de Colón",
#: "Carrer Mallorca", "Via Laietana")
_STREET_WORDS = frozenset({"plaza", "plaça", "praça", "piazza", "place", "calle", "carrer", "avenida",
                           "avinguda", "rua", "rue", "via", "rambla", "passeig", "paseo", "autopista",
                           "ulitsa", "prospekt", "jalan", "boulevard", "avenue"})
#: a court or judge whose seat is named ("an Edinburgh sheriff", "the district court of Grodno"):
#: its rulings happen in that city
_JUDICIAL = frozenset({"court", "tribunal", "sheriff", "judge", "magistrate", "courthouse"})
#: verbs whose object site is where the act happens ("blocked the Autopista", "occupied the square")
_SITE_TARGET_VERBS = frozenset({"block", "blockade", "barricade", "occupy", "seal", "picket", "fill",
                                "cordon", "shut", "clear", "close", "surround", "storm", "enter"})
#: verbs of movement: "marched to Independence Square" happens there, "appealed to" a body does not
_MOVE_VERBS = frozenset({"march", "walk", "move", "head", "go", "come", "flock", "drive", "stream",
                         "deploy", "send", "bring", "return", "rush", "converge", "proceed", "advance",
                         "parade", "gather", "descend", "retreat", "withdraw", "pull", "ship", "fly"})
#: words that make a name a body, not a place
_BODY_WORDS = frozenset({"partnership", "union", "alliance", "council", "party", "front", "movement",
                         "committee", "commission", "organization", "organisation", "association",
                         "league", "community", "forum", "group", "bloc", "pact", "treaty"})
_NOT_SITE_ENTS = {"DATE", "TIME", "NORP", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY", "EVENT",
                  "LAW", "LANGUAGE", "WORK_OF_ART"}
_NESTED_CLAUSE = {"relcl", "acl", "advcl", "ccomp", "xcomp", "parataxis", "conj"}


class _Site(NamedTuple):
    start: int          # token span of the site as written, without the article
    end: int
    head: int           # its head token
    kind: str           # "site" (a square, street, building...) or "unresolved" (a town the gazetteer lacks)


def _site_noun(tok: Token) -> bool:
    return tok.pos_ in ("NOUN", "PROPN") and (tok.lower_ in _SITE_NOUNS or tok.lemma_.lower() in _SITE_NOUNS)


def _anchor(tok: Token) -> bool:
    """A capitalised proper noun that can name a site: not a date, number or nationality, nor a country."""
    if tok.pos_ != "PROPN" or not tok.text[:1].isupper() or tok.lower_ in _CALENDAR:
        return False
    if tok.ent_iob_ != "O" and tok.ent_type_ in _NOT_SITE_ENTS:
        return False
    return tok.lower_ not in _DEMONYMS and Gazetteer.default().is_country(tok.text) is None


def _site_span(doc: Doc, h: Token) -> tuple[int, int] | None:
    """Span of a site headed by the site noun ``h`` ("the Nemiga metro station", "Republic
    Square", "the Palace of Independence"), or None when no proper noun names it."""
    start = h.i
    while start > 0 and h in doc[start - 1].ancestors and doc[start - 1].dep_ in ("compound", "amod", "nmod", "punct") \
            and doc[start - 1].text not in (",", "(", ")", '"', "'"):
        start -= 1                              # modifiers, not the article or a possessor
    while start < h.i and not _anchor(doc[start]):
        start += 1                              # "the working-class Catia district": from the name
    end = h.i + 1
    if h.pos_ == "PROPN" and h.text[:1].isupper() and end + 1 < len(doc) and doc[end].lower_ in ("of", "de") \
            and _anchor(doc[end + 1]):
        end = doc[end + 1].right_edge.i + 1     # "the Palace of Independence"
        while end > h.i + 2 and not doc[end - 1].text[:1].isalnum():
            end -= 1
    named = [t for t in doc[start:end] if t.i != h.i and _anchor(t)] or ([h] if _anchor(h) and start < h.i else [])
    if not named:
        return None
    if all(t.ent_iob_ != "O" and t.ent_type_ == "ORG" and _catalog_organisation(t.text) for t in named):
        return None
    return start, end


def _sites(doc: Doc) -> list[_Site]:
    """Named sites and unresolved place names in ``doc`` (cached on the doc)."""
    cached = doc.user_data.get("allegiance.sites")
    if cached is not None:
        return cached
    out: dict[int, _Site] = {}
    from spacy.attrs import POS
    from spacy.symbols import NOUN, PROPN

    for i, pos in enumerate(doc.to_array(POS).tolist() if len(doc) else ()):
        if pos != NOUN and pos != PROPN:
            continue  # _site_noun asks a noun: the other tokens are not made
        h = doc[i]
        if _site_noun(h):
            span = _site_span(doc, h)
            if span is not None:
                ent = doc[span[0]:span[1]].ents
                if ent and ent[-1].end > span[1] and ent[-1].start <= h.i:
                    span = (span[0], ent[-1].end)   # "Plaza de Colón" as one name
                root = doc[span[0]:span[1]].root.i
                if not any(s.start <= span[0] < s.end or span[0] <= s.start < span[1] for s in out.values()):
                    out[root] = _Site(span[0], span[1], root, "site")
    for ent in doc.ents:
        first = ent[1] if ent[0].lower_ == "the" and len(ent) > 1 else ent[0]
        if (ent.label_ == "FAC" or first.lower_ in _STREET_WORDS and len(ent) > 1 and ent.label_ != "PERSON") \
                and first.text[:1].isupper() and ent.root.i not in out \
                and not any(t.ent_type_ in _NOT_SITE_ENTS for t in ent) \
                and any(_anchor(t) and t.lower_ not in _SITE_NOUNS | _STREET_WORDS for t in ent):
            out[ent.root.i] = _Site(first.i, ent.end, ent.root.i, "site")
    hints = _doc_hints(doc)
    for m in _mentions(doc):
        root = doc[m.start:m.end].root
        if root.i in out or m.label not in _PLACE_LABELS or m.label == "FAC" or any(
                s.start <= m.start < s.end for s in out.values()):
            continue                             # "the Nemiga metro station": part of a site
        if any(t.ent_type_ in _NOT_SITE_ENTS | {"PERSON", "ORG"} or t.lower_ in _BODY_WORDS
               for t in doc[m.start:m.end]):
            continue                             # "the Eastern Partnership" is no place
        if _resolve_mention(m, hints)[0] is None and all(_anchor(t) or not t.text[:1].isalpha()
                                                          or t.lower_ in ("de", "del", "la", "el", "al")
                                                          for t in doc[m.start:m.end]):
            out[root.i] = _Site(m.start, m.end, root.i, "unresolved")
    sites = sorted(out.values())
    doc.user_data["allegiance.sites"] = sites
    return sites


def _depth(tok: Token, trigger: Token) -> int:
    """Edges from ``tok`` up to ``trigger`` (a large number when it is not below it)."""
    n = 0
    while tok.i != trigger.i:
        if tok.head.i == tok.i:
            return 99
        tok, n = tok.head, n + 1
    return n


def _site_tier(doc: Doc, site: _Site, trigger: Token) -> tuple[int, Token] | None:
    """(tier, attachment) of a site for the event of ``trigger``, as `_tier` ranks places."""
    m = _Mention(site.start, site.end, doc[site.start:site.end].text, "FAC", False)
    role, att, ref, mod = _role(doc, m)
    tok = doc[site.head]
    if tok.dep_ == "pobj" and tok.head.head.lower_ == "according":
        return None                              # "according to the Viasna rights centre"
    if role == "other" and tok.dep_ in ("dobj", "obj") and tok.head.lemma_ in _SITE_TARGET_VERBS:
        role = "target"                          # "blocked the Autopista"
    if role == "motion" and trigger.lemma_ not in _MOVE_VERBS:
        return None                              # "appealed to the ... Centre": an addressee
    if role not in ("locative", "target", "motion", "from"):
        return None
    while tok.dep_ in ("compound", "flat") and tok.head.i != tok.i:
        tok = tok.head
    if tok.dep_ in ("nsubj", "nsubjpass", "poss"):
        return None                              # "Catalonia is part of Spain", "X's headquarters"
    tier = _tier(doc, role, att, trigger, Place("", "", None, None, None, None, None, "city"), site.start, mod)
    if tier is None or tier > (3 if site.kind == "site" else 2):
        return None
    return tier, att


def _clause_tokens(h: Token) -> list[Token]:
    """The tokens of ``h``'s phrase that are not inside a nested clause."""
    out = []
    for t in h.subtree:
        tok, ok = t, True
        while tok.i != h.i:
            if tok.dep_ in _NESTED_CLAUSE and tok.head.i != h.i or tok.dep_ in ("relcl", "acl", "advcl"):
                ok = False
                break
            tok = tok.head
        if ok:
            out.append(t)
    return out


#: heads of sites that lie outside towns as often as in them: the dateline town is not theirs
_RURAL_SITES = frozenset({"oilfield", "gasfield", "mine", "crossing", "camp", "village", "hamlet", "checkpoint",
                          "colony", "base", "airbase", "barracks", "garrison", "airfield", "highway", "motorway",
                          "bridge", "plant", "refinery", "factory", "works", "mill", "depot", "monastery"})


def _container(doc: Doc, site: _Site, old: tuple[tuple, Place, _Mention] | None, trigger: Token,
               hints: Sequence[str]) -> Place | None:
    """The gazetteer place the text puts a site in: one named in the site's own phrase ("Republic
    Square in Almaty", "Madrid's Plaza de Colón", "the Grodno Azot plant"), the place of the
    event's own clause, and for a site of a town (a square, a street, a district; not a village,
    a base or a border crossing) the paragraph's dateline town or a town named in the previous
    sentence. A name the gazetteer lacks gets only the first two."""
    h = doc[site.head]
    inside = {t.i for t in _clause_tokens(h)} | set(range(site.start, site.end))
    own = []
    for m in _mentions(doc):
        if m.start not in inside or (m.start <= site.start and m.end >= site.end):
            continue
        within = site.start <= m.start < site.end
        if within and not (_site_noun(h) and m.end <= h.i):
            continue                            # "Schleswig-Holstein" is not in Schleswig
        place, _ = _resolve_mention(m, hints)
        if place is None or place.lat is None or (
                place.precision == "country" and doc[m.start:m.end].root.dep_ in ("amod", "compound")):
            continue
        if within and (place.country not in hints or any(t.ent_type_ == "PERSON" for t in doc[m.start:m.end])):
            continue                            # "the Simón Bolívar bridge" is not in a town of that name
        own.append((-_PREC_RANK.get(place.precision, 0), abs(m.start - h.i), place))
    if not own and site.kind == "site" and _site_noun(h):
        gaz = Gazetteer.default()
        for end in range(min(site.head, site.start + 3), site.start, -1):
            words = doc[site.start:end]        # "the Grodno Azot plant": a town of the story named in it
            if all(_anchor(t) and t.ent_type_ != "PERSON" for t in words):
                place = gaz.resolve(words.text, countries=hints)
                if place is not None and place.country in hints and place.precision == "city":
                    own.append((0, 0, place))
                    break
    if own:
        return min(own, key=lambda x: x[:2])[2]
    if old is not None and old[0][0] <= 2 and old[1].lat is not None:
        return old[1]
    urban = _site_noun(h) or doc[site.start].lower_ in _STREET_WORDS
    if site.kind != "site" or not urban or h.lemma_.lower() in _RURAL_SITES or h.lower_ in _RURAL_SITES:
        return None
    sent = trigger.sent
    lines = [(s, e) for s, e in _datelines(doc) if s <= sent.start]
    if lines:
        s, e = lines[-1]
        head = re.split(r"[(,/—–-]", doc[s:e].text)[0].strip()
        if head[:1].isalpha():
            place = Gazetteer.default().resolve(head.title() if head.isupper() else head, countries=hints)
            if place is not None and place.precision == "city":
                return place
    if sent.start == 0:
        return None
    prev = doc[sent.start - 1].sent
    near: list[tuple[int, Place]] = []
    for m in _mentions(doc):
        if prev.start <= m.start < prev.end:
            place, _ = _resolve_mention(m, hints)
            if place is not None and place.precision == "city" and place.lat is not None \
                    and _role(doc, m)[0] not in ("actor", "topic", "relation"):
                near.append((-m.start, place))
    return min(near, key=lambda x: x[0])[1] if near else None


def _judicial_seat(doc: Doc, trigger: Token, hints: Sequence[str]) -> Place | None:
    """The city of a court or judge that acts in the event ("sentenced by the district court of
    Grodno", "bailed by an Edinburgh sheriff", "a hunger strike outside the Almaty city court")."""
    for tok in trigger.sent:
        if tok.lemma_.lower() not in _JUDICIAL or tok.pos_ not in ("NOUN", "PROPN"):
            continue
        role_tok = tok
        while role_tok.dep_ in ("compound", "conj", "appos") and role_tok.head.i != role_tok.i:
            role_tok = role_tok.head
        agent = role_tok.dep_ == "nsubj" and role_tok.head.i == trigger.i or (
            role_tok.dep_ == "pobj" and role_tok.head.dep_ == "agent" and role_tok.head.head.i == trigger.i)
        local = role_tok.dep_ == "pobj" and role_tok.head.lower_ in _LOC_PREPS - {"to", "from", "into"} \
            and _in_subtree(role_tok.head.head, trigger) and _path_ok(role_tok.head.head, trigger)
        if not (agent or local):
            continue
        span = {t.i for t in _clause_tokens(role_tok)}
        for m in _mentions(doc):
            if m.start in span:
                place, _ = _resolve_mention(m, hints)
                if place is not None and place.precision == "city":
                    return place
    return None


def event_site(trigger: Token, place: Place | None = None, *, doc_countries: Sequence[str] = ()) -> Place | None:
    """The finest place of the event of ``trigger`` for its record.

    ``place`` is `event_location`'s answer. A named site in the event's clause that is attached
    at least as closely (a square, street, building, base, district, a village the gazetteer lacks)
    replaces it: ``text`` is the site as written and the rest that of the town or region the text
    puts it in (``geo_precision`` "near"), or, with no such town, the site's own name without
    coordinates (``geo_precision`` "unresolved"). A court acting in the event places it in its city.
    """
    doc = trigger.doc
    hints = tuple(doc_countries) or _doc_hints(doc)
    old = _best_place(trigger, hints)
    best: tuple | None = None
    chosen: _Site | None = None
    sent = trigger.sent  # made once: Token.sent walks the tree
    for site in _sites(doc):
        if not sent.start <= site.start < sent.end:
            continue
        ranked = _site_tier(doc, site, trigger)
        if ranked is None:
            continue
        tier, att = ranked
        key = (tier, _depth(att, trigger), abs(site.head - trigger.i))
        if best is None or key < best:
            best, chosen = key, site
    if chosen is not None and old is not None:
        m = old[2]
        inside_site = chosen.start <= m.start < chosen.end or (
            doc[chosen.head].left_edge.i <= m.start <= doc[chosen.head].right_edge.i)
        if m.start <= chosen.start and m.end >= chosen.end:
            chosen = None                        # the gazetteer knows the site itself
        elif old[0][0] < best[0] and not inside_site:
            chosen = None                        # a town attached closer to the event wins
        elif old[0][0] == best[0] and not inside_site and (
                _depth(_role(doc, m)[1], trigger) < best[1]
                or chosen.kind == "unresolved" and _depth(_role(doc, m)[1], trigger) == best[1]):
            chosen = None                        # a gazetteer town as close as a name it lacks wins
    if chosen is None:
        if place is None and old is None:
            return _judicial_seat(doc, trigger, hints) or place
        return place
    text = doc[chosen.start:chosen.end].text
    home = _container(doc, chosen, old, trigger, hints)
    if home is not None:
        return Place(text, home.name, home.country, home.admin1, home.lat, home.lon, home.geonameid,
                     home.precision, "near")
    m = _Mention(chosen.start, chosen.end, text, "GPE", False)
    country = _named_country(doc, m, (sent.start, sent.end)) or _dateline_country(doc)
    return Place(text, text, country, None, None, None, None, "city", "unresolved")


def _dateline_country(doc: Doc) -> str | None:
    """The country of the first dateline's place ("GRODNO, Belarus (Reuters) -")."""
    for s, e in _datelines(doc)[:1]:
        for word in re.split(r"[(,/—–-]", doc[s:e].text)[:2]:
            word = word.strip()
            if word[:1].isalpha():
                place = Gazetteer.default().resolve(word.title() if word.isupper() else word)
                if place is not None and place.country:
                    return place.country
    return None


def _datelines(doc: Doc) -> list[tuple[int, int]]:
    """`datelines.dateline_spans` of ``doc``, computed once per document."""
    from .datelines import dateline_spans

    if "allegiance.datelines" not in doc.user_data:
        doc.user_data["allegiance.datelines"] = dateline_spans(doc)
    return doc.user_data["allegiance.datelines"]
