"""Signed, weighted actor graph from event records (CONTRACT §2).

Pipeline: records -> actor keys at a chosen level -> modality filter and certainty weight ->
story de-duplication -> signed contributions (cooperation and conflict kept apart) -> directed
and symmetrised dyads.

Actor keys (``level``):

- ``country``: the country code; non-state codes IGO/NGO/IMG/ISM/MNC keep the group name.
- ``sector``: ``COUNTRY SECTOR`` (``SYR REB``, ``SYR MIL``, ``SYR GOV`` apart); IGO/NGO/IMG/ISM/MNC
  keep the group name.
- ``entity`` (default): a state's agents (sectors GOV MIL COP JUD LEG SPY or none) roll up to the
  state, so named officials, ministries, armies and state-led coalitions count as the state; EUR
  and UNO agents roll up to the EU and the UN. Named non-state actors (rebel groups, militias,
  parties, IGOs) keep their name. Unnamed groups become ``COUNTRY SECTOR`` ("Syria rebels").
  An actor with a country but neither name nor sector is no node at the ``sector`` and
  ``entity`` levels: nothing says it is the state (the gold conventions always name a whole
  country; such records are usually places read as actors, "the city of X").

Weights: an event counts ``certainty x modality factor x alignment weight x score / 10``. Negated
and hypothetical events count nothing; future events count ``future_weight``; historical ones
``historical_weight``. The score is the record's Goldstein value (``score="goldstein"``, PLOVER
score when missing) or the PLOVER score (``score="plover"``). The alignment weight says how much
an event type tells about sides: violence and material aid a lot, talks and requests little.
De-escalation (RETREAT, CONCEDE, and AGREE / CONSULT between the parties about a ceasefire,
truce or prisoner exchange) presupposes an adversary, so by default it counts as a weak
conflict signal (``deescalation="adversarial"``); ``"cooperative"`` keeps its positive score.
A positive claim that the same document also denies (a negated record for the same dyad and
type) counts ``contested_weight`` of its weight. An offer to mediate (AGREE "offering to mediate
between X and Y", `offered_mediation`) ties the mediator to neither party and is left out.
Co-actors (joint sources of one act on one target, "X and Y struck Z") get a positive ``JOINT``
story between them (`_joint_stories`, ``joint_weight``).

Descriptors: an actor described by its patron ("the Iran-backed Houthis", "pro-Russian
separatists", "rebels backed by Turkey"; the ``affiliations`` extension of a record's actor) adds
a weak positive story of type ``DESCRIPTOR`` from the patron to the actor, weighted
``descriptor_weight`` x certainty (an aid event counts 1.0 x certainty): the author's account of
a standing alignment, not an event. ``descriptor_weight=0`` ignores them. A pro-government
paramilitary (sector PRM with a state's country: Wagner, Iraq's PMF) is by the coding
convention aligned with its state, and gets the same weak story with that state (relation
``pro-government``).
"""
from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any, Callable, Iterable, Iterator, Mapping

STATE_SECTORS: frozenset[str] = frozenset({"GOV", "MIL", "COP", "JUD", "LEG", "SPY"})
ORG_STATES: dict[str, str] = {"EUR": "European Union", "UNO": "United Nations"}
GROUP_CODES: frozenset[str] = frozenset({"IGO", "NGO", "IMG", "ISM", "MNC"})
LEVELS: tuple[str, ...] = ("country", "sector", "entity")

SHORT_NAMES: dict[str, str] = {
    "SYR": "Syria", "IRN": "Iran", "RUS": "Russia", "KOR": "South Korea", "PRK": "North Korea",
    "VEN": "Venezuela", "BOL": "Bolivia", "TZA": "Tanzania", "VNM": "Vietnam", "LAO": "Laos",
    "MDA": "Moldova", "TWN": "Taiwan", "COD": "Democratic Republic of the Congo",
    "COG": "Republic of the Congo", "PSE": "Palestine", "GBR": "United Kingdom",
    "USA": "United States", "CZE": "Czech Republic", "TUR": "Turkey", "BRN": "Brunei",
    "CIV": "Ivory Coast", "CPV": "Cape Verde", "FSM": "Micronesia", "VAT": "Vatican",
    "IGO": "international organisation", "NGO": "NGO", "IMG": "transnational militants",
    "ISM": "social movement", "MNC": "multinational company", **ORG_STATES,
}
SECTOR_WORDS: dict[str, str] = {
    "GOV": "government", "MIL": "military", "REB": "rebels", "COP": "police", "JUD": "judiciary",
    "LEG": "legislature", "PRM": "militia", "PTY": "party", "SPY": "intelligence",
    "UAF": "gunmen", "UNK": "unknown", "AGR": "farmers", "BUS": "business", "CRM": "criminals",
    "CVL": "civilians", "EDU": "students", "ELI": "elite", "JRN": "journalists", "LAB": "workers",
    "MED": "medical", "REF": "refugees", "OPP": "opposition", "PRE": "breakaway entity",
    "REL": "religious", "SOC": "civil society",
}

GROUP_LABELS: dict[tuple[str, str], str] = {
    ("IMG", "REB"): "transnational militants", ("IGO", "MIL"): "multinational force",
    ("UNO", "MIL"): "UN peacekeepers", ("NGO", "MED"): "medical NGO",
}

# PLOVER scores (notes/event-data-field.md §2.5); ACCUSE uses its mode scores (-2 default).
PLOVER_SCORES: dict[str, float] = {
    "AGREE": 2.5, "CONSULT": 2.5, "SUPPORT": 5.0, "CONCEDE": 4.5, "COOPERATE": 9.5, "AID": 10.0,
    "RETREAT": 6.5, "REQUEST": 0.0, "ACCUSE": -2.0, "REJECT": -2.0, "THREATEN": -3.5,
    "PROTEST": -5.0, "SANCTION": -6.0, "MOBILIZE": -5.5, "COERCE": -7.0, "ASSAULT": -9.0,
}
# A demand that the target yield (stop an attack, withdraw its forces, release detainees, lift a
# siege, leave power) is coercive diplomacy, not a request between partners: it counts between an
# accusation (-2) and a threat (-3.5), as CAMEO's demands do (Goldstein -5), while a call for a
# policy change stays near neutral (-1).
YIELD_DEMAND = -3.0
PLOVER_MODE_SCORES: dict[tuple[str, str], float] = {
    ("CONSULT", "visit"): 4.0, ("CONSULT", "third-party"): 1.0, ("CONSULT", "multilateral"): 4.0,
    ("CONSULT", "phone"): 1.5, ("RETREAT", "withdraw"): 8.0, ("RETREAT", "disarm"): 10.0,
    ("RETREAT", "ceasefire"): 7.5, ("RETREAT", "resign"): 4.5, ("REQUEST", "assist"): 0.5,
    ("REQUEST", "change"): -1.0, ("REQUEST", "yield"): YIELD_DEMAND, ("ACCUSE", "investigate"): -3.5,
    ("ACCUSE", "allege"): -3.5, ("REJECT", "assist"): -1.5, ("THREATEN", "restrict"): -3.0,
    ("THREATEN", "territory"): -4.0, ("PROTEST", "riot"): -7.0, ("PROTEST", "hunger"): -4.5,
    ("PROTEST", "boycott"): -4.5, ("PROTEST", "obstruct"): -4.5, ("SANCTION", "expel"): -5.5,
    ("MOBILIZE", "troops"): -6.5, ("MOBILIZE", "weapons"): -6.5, ("MOBILIZE", "militia"): -6.0,
    ("COERCE", "censor"): -6.5, ("COERCE", "curfew"): -6.5, ("COERCE", "martial-law"): -7.5,
    ("COERCE", "misinformation"): -6.5, ("ASSAULT", "abduct"): -8.5, ("ASSAULT", "beat"): -7.5,
    ("ASSAULT", "torture"): -8.5, ("ASSAULT", "sexual"): -8.5, ("ASSAULT", "targeted"): -9.5,
    ("ASSAULT", "destroy"): -8.5, ("ASSAULT", "primitive"): -8.0, ("ASSAULT", "aerial"): -9.5,
    ("ASSAULT", "drone"): -9.5, ("ASSAULT", "heavy-weapons"): -9.5,
    ("ASSAULT", "suicide-attack"): -9.5, ("ASSAULT", "crowd-control"): -7.5,
    ("ASSAULT", "unconventional"): -10.0,
}
# How much one event of a type says about alignment (not about intensity).
ALIGNMENT_WEIGHT: dict[str, float] = {
    "ASSAULT": 1.0, "COERCE": 0.8, "SANCTION": 0.8, "THREATEN": 0.7, "PROTEST": 0.6,
    "ACCUSE": 0.6, "MOBILIZE": 0.5, "REJECT": 0.5, "REQUEST": 0.3,
    "AID": 1.0, "COOPERATE": 1.0, "SUPPORT": 0.8, "AGREE": 0.5, "CONSULT": 0.3,
    "CONCEDE": 0.3, "RETREAT": 0.3,
}
# Types whose Goldstein value says nothing of alignment: every request maps to CAMEO 10 DEMAND
# (-5), so an appeal for support would read as conflict; these use the PLOVER mode score
# (REQUEST assist +0.5, change / yield -1) under either ``score`` setting.
PLOVER_SCORED: frozenset[str] = frozenset({"REQUEST"})
DEESCALATION: frozenset[str] = frozenset({"RETREAT", "CONCEDE"})
DEESCALATION_SIGNAL = -2.0  # score used for de-escalation under deescalation="adversarial"
# Agreements and talks whose object is ending hostilities presuppose adversaries too.
TALK_TYPES: frozenset[str] = frozenset({"AGREE", "CONSULT"})
HOSTILITIES_END = re.compile(
    r"\b(cease-?\s?fires?|truces?|armistices?|(prisoners?|hostages?|detainees?|captives?)"
    r"(\s+\w+)?\s+(exchanges?|swaps?|releases?)|(exchang|swap)\w*\s+(\w+\s+){0,3}"
    r"(prisoners|hostages|detainees|captives))\b", re.I)


# An offer to mediate ("offered to mediate between the government and the opposition", "an offer
# of good offices") is coded AGREE from the would-be mediator to each party (PLOVER: intent to
# mediate is an intent to cooperate); it says nothing of whose side the mediator is on. The
# trigger is the offer ("offered" + what follows) or the offered mediation ("offered to" + it).
_MEETINGS = r"(\w+\s+){0,2}(talks|negotiations|meeting|meetings|summit|conference|dialogue|round)\b"
OFFER_TRIGGER = re.compile(r"^(offer|volunteer)\w*$", re.I)
OFFERED_MEDIATION = re.compile(
    rf"^\W*(to\s+(mediate|broker|facilitate)\b|to\s+host\s+{_MEETINGS}|of\s+(mediation|good\s+offices)\b)", re.I)
MEDIATION_TRIGGER = re.compile(r"^(mediat|broker|facilitat|host)\w*$", re.I)
HOSTED_MEETING = re.compile(rf"^\s*{_MEETINGS}", re.I)
OFFERED_TO = re.compile(r"\b(offer|volunteer)\w*\s+to\s+$", re.I)
MEDIATION_WORDS = ("mediat", "broker", "facilitat", "host", "good offices")  # SQL pre-filter


@dataclass(frozen=True, order=True)
class ActorKey:
    """A graph node: stable ``key`` string plus the CONTRACT §4 actor fields and a label."""

    key: str
    name: str | None
    country: str | None
    sector: str | None
    label: str

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "country": self.country, "sector": self.sector,
                "label": self.label}


@dataclass
class Story:
    """One de-duplicated story event on a dyad: its signed contribution and its records."""

    date: str | None
    event_type: str
    contribution: float
    raw_score: float
    event_ids: list[str]


@dataclass
class Dyad:
    """Cooperation (``pos``) and conflict (``neg``, a magnitude) on one dyad, with stories."""

    pos: float = 0.0
    neg: float = 0.0
    stories: list[Story] = field(default_factory=list)

    @property
    def n_events(self) -> int:
        return len(self.stories)

    def score(self, shrink: float = 0.3) -> float:
        """Shrunk ratio (pos - neg) / (pos + neg + shrink), in (-1, 1)."""
        return (self.pos - self.neg) / (self.pos + self.neg + shrink)

    def evidence(self, limit: int | None = 10) -> list[str]:
        """Event ids, strongest first, alternating cooperation and conflict stories."""
        coop = sorted((s for s in self.stories if s.contribution > 0),
                      key=lambda s: (-s.contribution, s.event_ids[0]))
        conf = sorted((s for s in self.stories if s.contribution <= 0),
                      key=lambda s: (s.contribution, s.event_ids[0]))
        first, second = (conf, coop) if self.neg >= self.pos else (coop, conf)
        ids: list[str] = []
        for i in range(max(len(first), len(second))):
            for group in (first, second):
                if i < len(group):
                    ids.extend(x for x in group[i].event_ids[:1] if x not in ids)
        for s in first + second:  # remaining mentions of the same stories
            ids.extend(x for x in s.event_ids[1:] if x not in ids)
        return ids if limit is None else ids[:limit]


@dataclass
class SignedGraph:
    """Nodes, directed dyads ``(source, target)`` and symmetrised dyads ``(a, b)`` with a < b."""

    level: str
    nodes: dict[str, ActorKey]
    directed: dict[tuple[str, str], Dyad]
    edges: dict[tuple[str, str], Dyad]
    since: str | None
    until: str | None
    shrink: float = 0.3

    def weight(self, a: str, b: str) -> float:
        d = self.edges.get((a, b) if a < b else (b, a))
        return 0.0 if d is None else d.score(self.shrink)

    def order(self) -> list[str]:
        return sorted(self.nodes)

    def matrix(self, order: list[str] | None = None) -> Any:
        """Symmetric signed weight matrix (numpy) in ``order`` (default: sorted keys)."""
        import numpy as np

        order = order or self.order()
        idx = {k: i for i, k in enumerate(order)}
        m = np.zeros((len(order), len(order)))
        for (a, b), d in self.edges.items():
            if a in idx and b in idx:
                m[idx[a], idx[b]] = m[idx[b], idx[a]] = d.score(self.shrink)
        return m

    def to_networkx(self, *, directed: bool = False) -> Any:
        """networkx (Di)Graph with node attributes and edge weight/pos/neg/events/evidence."""
        import networkx as nx

        g = nx.DiGraph() if directed else nx.Graph()
        for k in self.order():
            g.add_node(k, **{a: v for a, v in self.nodes[k].to_dict().items() if v is not None})
        for (a, b), d in sorted((self.directed if directed else self.edges).items()):
            g.add_edge(a, b, weight=d.score(self.shrink), pos=d.pos, neg=d.neg,
                       events=d.n_events, evidence=";".join(d.evidence(None)))
        return g


@cache
def country_name(code: str | None) -> str:
    """Short readable name for an ISO alpha-3 or PLOVER code."""
    if not code:
        return "unknown"
    if code in SHORT_NAMES:
        return SHORT_NAMES[code]
    try:
        import pycountry

        c = pycountry.countries.get(alpha_3=code)
    except (ImportError, KeyError, LookupError):  # pragma: no cover - pycountry is a dependency
        c = None
    if c is None:
        return code
    return getattr(c, "common_name", None) or c.name


def actor_key(actor: Mapping[str, Any] | None, level: str = "entity") -> ActorKey | None:
    """The node an actor belongs to at ``level``; None when the actor has no country or name."""
    if not actor:
        return None
    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}, not {level!r}")
    name = actor.get("name") or None
    country = actor.get("country") or None
    sector = actor.get("sector") or None
    if country is None:
        if name is None:
            return None
        return ActorKey(f"||{name}", name, None, sector, name)
    if country in GROUP_CODES:
        if name:
            return ActorKey(f"{country}||{name}", name, country,
                            sector if level == "entity" else None, name)
        if level == "entity" and sector:  # an unnamed group: never roll up to a "state"
            label = GROUP_LABELS.get((country, sector),
                                     f"{country_name(country)} {SECTOR_WORDS.get(sector, sector)}")
            return ActorKey(f"{country}|{sector}|", None, country, sector, label)
    cname = country_name(country)
    if level == "country":
        return ActorKey(country, cname, country, None, cname)
    if name is None and sector is None:
        # "someone in X": no name, no sector (often a place read as an actor); not the state
        return None
    if level == "sector":
        label = f"{cname} {SECTOR_WORDS.get(sector, sector)}" if sector else cname
        return ActorKey(f"{country}|{sector or ''}|", None if sector else cname, country,
                        sector, label)
    if sector is None or sector in STATE_SECTORS:
        return ActorKey(f"{country}||", cname, country, None, cname)
    if name:
        return ActorKey(f"{country}|{sector}|{name}", name, country, sector, name)
    return ActorKey(f"{country}|{sector}|", None, country, sector,
                    f"{cname} {SECTOR_WORDS.get(sector, sector)}")


def event_score(rec: Mapping[str, Any], score: str = "goldstein") -> float:
    """Signed score of an event type on the -10..10 scale."""
    etype = rec.get("event_type") or ""
    if score == "goldstein" and etype not in PLOVER_SCORED:
        g = rec.get("goldstein")
        if isinstance(g, (int, float)) and not isinstance(g, bool) and math.isfinite(g):
            return float(g)
    elif score not in ("plover", "goldstein"):
        raise ValueError("score must be 'goldstein' or 'plover'")
    mode = rec.get("mode")
    return PLOVER_MODE_SCORES.get((etype, mode), PLOVER_SCORES.get(etype, 0.0))


def event_weight(rec: Mapping[str, Any], *, future_weight: float = 0.25,
                 historical_weight: float = 0.5) -> float:
    """How much a record counts as observed: 0 if negated or hypothetical, else certainty x mode."""
    mod = rec.get("modality") or {}
    if mod.get("negated") or mod.get("hypothetical"):
        return 0.0
    c = rec.get("certainty")
    w = float(c) if isinstance(c, (int, float)) else 1.0
    if mod.get("future"):
        w *= future_weight
    if mod.get("historical"):
        w *= historical_weight
    return max(0.0, min(1.0, w))


def ends_hostilities(rec: Mapping[str, Any], window: int = 60) -> bool:
    """An AGREE or CONSULT (not third-party) about a ceasefire, truce or prisoner exchange:
    read from the trigger and the sentence around it."""
    if rec.get("event_type") not in TALK_TYPES or rec.get("mode") == "third-party":
        return False
    ev = rec.get("evidence") or {}
    text = str(ev.get("text") or "")
    start, end = ev.get("trigger_start"), ev.get("trigger_end")
    if isinstance(start, int) and isinstance(end, int) and 0 <= start <= end <= len(text):
        text = text[max(0, start - window):end + window]
    return bool(HOSTILITIES_END.search(f"{ev.get('trigger') or ''} {text}"))


def offered_mediation(rec: Mapping[str, Any]) -> bool:
    """An AGREE that is an offer to mediate ("offering to mediate between X and Y", "offered to
    host talks", "an offer of mediation"): read from the trigger and the words around it."""
    if rec.get("event_type") != "AGREE":
        return False
    ev = rec.get("evidence") or {}
    text, a, b, start = str(ev.get("text") or ""), ev.get("trigger_start"), ev.get("trigger_end"), ev.get("start")
    if not isinstance(a, int) or not isinstance(b, int):
        return False
    shift = start if isinstance(start, int) else 0  # trigger offsets are the document's
    a, b = a - shift, b - shift
    if not 0 <= a <= b <= len(text):
        return False
    trigger = text[a:b]
    if OFFER_TRIGGER.match(trigger):
        return bool(OFFERED_MEDIATION.search(text[b:b + 60]))
    return bool(MEDIATION_TRIGGER.match(trigger) and OFFERED_TO.search(text[max(0, a - 40):a])
                and (not trigger.lower().startswith("host") or HOSTED_MEETING.match(text[b:b + 60])))


_NESTED_FIELDS = {"source": ("text", "name", "country", "sector", "id"),
                  "target": ("text", "name", "country", "sector", "id"),
                  "modality": ("negated", "hypothetical", "future", "historical"),
                  "evidence": ("text", "start", "end", "trigger", "trigger_start", "trigger_end")}


def as_record(rec: Mapping[str, Any]) -> dict[str, Any]:
    """A CONTRACT §2 record from either a nested record or a flattened store row
    (``source_country``, ``modality_negated``, ...); dates become ``YYYY-MM-DD`` strings."""
    out = dict(rec)
    for key, fields in _NESTED_FIELDS.items():
        if key not in out and any(f"{key}_{f}" in out for f in fields):
            vals = {f: out.get(f"{key}_{f}") for f in fields}
            out[key] = None if key in ("source", "target") and not any(
                vals.get(f) for f in ("name", "country")) else vals
    d = out.get("date")
    if d is not None and not isinstance(d, str):
        out["date"] = d.isoformat()[:10] if hasattr(d, "isoformat") else str(d)[:10]
    return out


def _days(a: str, b: str) -> int:
    return (date.fromisoformat(b[:10]) - date.fromisoformat(a[:10])).days


def in_window(rec: Mapping[str, Any], since: str | None, until: str | None) -> bool:
    d = rec.get("date")
    if not d:
        return True
    return (since is None or d[:10] >= since) and (until is None or d[:10] <= until)


def build_graph(events: Iterable[Mapping[str, Any]], *, level: str = "entity",
                since: str | None = None, until: str | None = None,
                half_life_days: float | None = None, score: str = "goldstein",
                deescalation: str = "adversarial", future_weight: float = 0.25,
                historical_weight: float = 0.5, contested_weight: float = 0.5,
                shrink: float = 0.3, descriptor_weight: float = 0.25, joint_weight: float = 0.5,
                actor_map: Callable[[Mapping[str, Any]], Mapping[str, Any] | None] | None = None
                ) -> SignedGraph:
    """Build the signed graph of the records inside [since, until] (ISO dates, inclusive).

    With ``half_life_days`` each story decays by its age at ``until`` (or the newest date).
    ``actor_map`` may rewrite an actor before keying (e.g. a catalog that rolls a group's
    leader up to the group).
    """
    recs = [r for r in map(as_record, events) if in_window(r, since, until)]
    dated = sorted(r["date"][:10] for r in recs if r.get("date"))
    ref = until or (dated[-1] if dated else None)
    nodes: dict[str, ActorKey] = {}
    keyed: list[tuple[Mapping[str, Any], ActorKey, ActorKey]] = []
    denied: set[tuple[Any, str, str, str]] = set()
    for r in recs:
        src, tgt = r.get("source"), r.get("target")
        if actor_map is not None:
            src = actor_map(src) if src else src
            tgt = actor_map(tgt) if tgt else tgt
        s, t = actor_key(src, level), actor_key(tgt, level)
        if s is None or t is None or s.key == t.key or offered_mediation(r):
            continue
        nodes.setdefault(s.key, s)
        nodes.setdefault(t.key, t)
        keyed.append((r, s, t))
        if (r.get("modality") or {}).get("negated"):
            denied.add((r.get("doc_id"), s.key, t.key, r.get("event_type") or ""))
    # story de-duplication: (date, dyad, type); mirrored records fall in one undirected story
    dir_groups: dict[tuple[Any, ...], list[tuple[float, float, str]]] = defaultdict(list)
    und_groups: dict[tuple[Any, ...], list[tuple[float, float, str]]] = defaultdict(list)
    for r, s, t in keyed:
        w = event_weight(r, future_weight=future_weight, historical_weight=historical_weight)
        if w <= 0.0:
            continue
        etype = r.get("event_type") or ""
        raw = event_score(r, score)
        val = raw
        if deescalation == "adversarial" and (etype in DEESCALATION or ends_hostilities(r)):
            val = DEESCALATION_SIGNAL
        if val > 0 and (r.get("doc_id"), s.key, t.key, etype) in denied:
            w *= contested_weight
        d = (r.get("date") or "")[:10] or None
        if half_life_days and ref and d:
            w *= 0.5 ** (max(0, _days(d, ref)) / half_life_days)
        contrib = w * ALIGNMENT_WEIGHT.get(etype, 0.5) * val / 10.0
        item = (contrib, raw, str(r.get("event_id") or ""))
        dir_groups[(s.key, t.key, d, etype)].append(item)
        a, b = sorted((s.key, t.key))
        und_groups[(a, b, d, etype)].append(item)
    if descriptor_weight > 0:
        _descriptor_stories(recs, level, actor_map, nodes, dir_groups, und_groups,
                            descriptor_weight, half_life_days, ref)
    if joint_weight > 0:
        _joint_stories(recs, level, actor_map, nodes, dir_groups, und_groups, joint_weight,
                       half_life_days, ref, future_weight, historical_weight)
    directed = _dyads(dir_groups)
    edges = _dyads(und_groups)
    used = {k for pair in edges for k in pair}
    nodes = {k: v for k, v in sorted(nodes.items()) if k in used}
    return SignedGraph(level, nodes, directed, edges, since or (dated[0] if dated else None),
                       ref, shrink)


def _descriptor_stories(recs: list[Mapping[str, Any]], level: str, actor_map: Any,
                        nodes: dict[str, ActorKey], dir_groups: dict, und_groups: dict,
                        weight: float, half_life_days: float | None, ref: str | None) -> None:
    """Patron -> actor stories from the ``affiliations`` of record actors (see module doc)."""
    for r in recs:
        for role in ("source", "target"):
            actor = r.get(role)
            if not actor or not (actor.get("affiliations") or actor.get("sector") == "PRM"):
                continue
            if actor_map is not None:
                actor = actor_map(actor) or actor
            a = actor_key(actor, level)
            patrons = list(actor.get("affiliations") or [])
            if actor.get("sector") == "PRM" and actor.get("country") and actor["country"] not in GROUP_CODES \
                    and actor["country"] not in ORG_STATES:
                patrons.append({"relation": "pro-government", "name": country_name(actor["country"]),
                                "country": actor["country"], "sector": None})
            for patron in patrons:
                p = actor_key(patron, level)
                if a is None or p is None or a.key == p.key:
                    continue
                c = r.get("certainty")
                w = weight * (float(c) if isinstance(c, (int, float)) else 1.0)
                d = (r.get("date") or "")[:10] or None
                if half_life_days and ref and d:
                    w *= 0.5 ** (max(0, _days(d, ref)) / half_life_days)
                nodes.setdefault(a.key, a)
                nodes.setdefault(p.key, p)
                item = (w, PLOVER_SCORES["SUPPORT"], str(r.get("event_id") or ""))
                dir_groups[(p.key, a.key, d, "DESCRIPTOR")].append(item)
                x, y = sorted((p.key, a.key))
                und_groups[(x, y, d, "DESCRIPTOR")].append(item)


def joint_key(rec: Mapping[str, Any]) -> tuple[Any, ...] | None:
    """What makes records one act done together: the document, sentence, trigger, type and the
    target mention (its text and actor fields); None for a record without a target or trigger."""
    tgt, ev = rec.get("target"), rec.get("evidence") or {}
    if not tgt or not rec.get("source") or ev.get("trigger_start") is None:
        return None
    return (rec.get("doc_id"), rec.get("sentence"), ev.get("trigger_start"), rec.get("event_type"),
            tgt.get("text"), tgt.get("name"), tgt.get("country"), tgt.get("sector"))


COORDINATION = re.compile(r"\s*(,|,?\s*(and|or|as well as|&|along with|together with))\s*(the\s+)?", re.I)


def _act_key(rec: Mapping[str, Any]) -> tuple[Any, ...]:
    ev = rec.get("evidence") or {}
    return (rec.get("doc_id"), rec.get("sentence"), ev.get("trigger_start"), rec.get("event_type"))


def _coordinated(recs: list[Mapping[str, Any]]) -> dict[int, int]:
    """Chains of sources written as one coordinated phrase ("France, Germany and Britain",
    "Russian jets, Iranian commanders and Hezbollah fighters"): record index -> chain id, from the
    sources' texts in the evidence sentence, consecutive ones joined only by a comma or "and"."""
    text = str((recs[0].get("evidence") or {}).get("text") or "")
    spans = []
    for i, r in enumerate(recs):
        t = str((r.get("source") or {}).get("text") or "")
        at = text.find(t) if t else -1
        if at >= 0:
            spans.append((at, at + len(t), i))
    spans.sort()
    chain: dict[int, int] = {}
    cid = 0
    for j, (a, b, i) in enumerate(spans):
        if j and not (spans[j - 1][1] <= a and COORDINATION.fullmatch(text[spans[j - 1][1]:a])):
            cid += 1
        chain[i] = cid
    return chain


def joint_items(recs: Iterable[Mapping[str, Any]], level: str, actor_map: Any, weight: float,
                half_life_days: float | None = None, ref: str | None = None,
                future_weight: float = 0.25, historical_weight: float = 0.5
                ) -> Iterator[tuple[ActorKey, ActorKey, str | None, float, str, Mapping[str, Any],
                                    Mapping[str, Any]]]:
    """Co-actor story items (see `_joint_stories`): (a, b, date, contribution, event id, record
    of a, record of b) for each pair of joint sources, a.key < b.key."""
    recs = list(recs)
    pairs: set[tuple[Any, ...]] = set()  # (act, source text, target text): to find mirrored records
    for r in recs:
        if joint_key(r) is not None:
            pairs.add((_act_key(r), (r.get("source") or {}).get("text"), (r.get("target") or {}).get("text")))
    groups: dict[tuple[Any, ...], list[Mapping[str, Any]]] = defaultdict(list)
    for r in recs:
        k = joint_key(r)
        if k is None or (_act_key(r), (r.get("target") or {}).get("text"),
                         (r.get("source") or {}).get("text")) in pairs:
            continue  # one of a mirrored pair ("X spoke with Y and Z": Y -> X is no act of Y's on X)
        groups[k].append(r)
    for k, group in groups.items():
        if len(group) < 2:
            continue
        chain = _coordinated(group)
        keyed = []
        for i, r in enumerate(group):
            src, tgt = r.get("source"), r.get("target")
            if actor_map is not None:
                src, tgt = actor_map(src) if src else src, actor_map(tgt) if tgt else tgt
            s, t = actor_key(src, level), actor_key(tgt, level)
            w = event_weight(r, future_weight=future_weight, historical_weight=historical_weight)
            if s is not None and w > 0 and i in chain:
                keyed.append((s, t, w, r, chain[i], (r.get("source") or {}).get("text")))
        etype = str(k[3] or "")
        for i, (a, ta, wa, ra, ca, xa) in enumerate(keyed):
            for b, tb, wb, rb, cb, xb in keyed[i + 1:]:
                if a.key == b.key or ca != cb or xa == xb or (ta is not None and ta.key in (a.key, b.key)) or \
                        (tb is not None and tb.key in (a.key, b.key)):
                    continue  # one mention read as several actors ("the two sides") is no co-actor pair
                w = weight * ALIGNMENT_WEIGHT.get(etype, 0.5) * min(wa, wb)
                d = (ra.get("date") or "")[:10] or None
                if half_life_days and ref and d:
                    w *= 0.5 ** (max(0, _days(d, ref)) / half_life_days)
                eid = min(str(ra.get("event_id") or ""), str(rb.get("event_id") or ""))
                if a.key < b.key:
                    yield a, b, d, w, eid, ra, rb
                else:
                    yield b, a, d, w, eid, rb, ra


def _joint_stories(recs: list[Mapping[str, Any]], level: str, actor_map: Any,
                   nodes: dict[str, ActorKey], dir_groups: dict, und_groups: dict, weight: float,
                   half_life_days: float | None, ref: str | None, future_weight: float = 0.25,
                   historical_weight: float = 0.5) -> None:
    """Co-actor stories: two actors that are joint sources of one act on one target ("Russian jets
    and Syrian troops struck X", "Putin and Xi congratulated Y", "France and Britain demanded that
    Z ...") act together: a positive story of type ``JOINT`` between them, weighted ``weight`` x
    the act's alignment weight x the smaller event weight of the two records (co-belligerents,
    co-sponsors: a joint attack says as much about alignment as aid does, a joint appeal little).
    One act is one document, sentence, trigger, type and target mention (`joint_key`); the
    co-actors are written as one coordinated phrase ("X, Y and Z", `_coordinated`), not as one
    mention read as several ("the two sides agreed"). Records without a target, mirrored records
    (each party's act on the other: "X and Y clashed", "Z spoke with X and Y") and a target that
    is one of the co-actors are left out."""
    for a, b, d, w, eid, _ra, _rb in joint_items(recs, level, actor_map, weight, half_life_days, ref,
                                                 future_weight, historical_weight):
        nodes.setdefault(a.key, a)
        nodes.setdefault(b.key, b)
        item = (w, PLOVER_SCORES["COOPERATE"], eid)
        dir_groups[(a.key, b.key, d, "JOINT")].append(item)
        und_groups[(a.key, b.key, d, "JOINT")].append(item)


def _dyads(groups: Mapping[tuple[Any, ...], list[tuple[float, float, str]]]
           ) -> dict[tuple[str, str], Dyad]:
    out: dict[tuple[str, str], Dyad] = {}
    for (a, b, d, etype), items in sorted(groups.items(), key=lambda kv: tuple(
            "" if x is None else x for x in kv[0])):
        items = sorted(items, key=lambda x: (-abs(x[0]), x[2]))
        best = items[0]
        story = Story(d, etype, best[0], best[1], [x[2] for x in items])
        dy = out.setdefault((a, b), Dyad())
        dy.stories.append(story)
        if best[0] > 0:
            dy.pos += best[0]
        else:
            dy.neg -= best[0]
    return out


def baseline_signs(events: Iterable[Mapping[str, Any]], *, level: str = "entity",
                   since: str | None = None, until: str | None = None
                   ) -> dict[tuple[str, str], float]:
    """Baseline: summed Goldstein (PLOVER score when missing) per unordered pair, over every
    non-negated, non-hypothetical record, with no weights and no de-duplication."""
    sums: dict[tuple[str, str], float] = defaultdict(float)
    for r in map(as_record, events):
        if not in_window(r, since, until):
            continue
        mod = r.get("modality") or {}
        if mod.get("negated") or mod.get("hypothetical"):
            continue
        s, t = actor_key(r.get("source"), level), actor_key(r.get("target"), level)
        if s is None or t is None or s.key == t.key:
            continue
        a, b = sorted((s.key, t.key))
        sums[(a, b)] += event_score(r, "goldstein")
    return dict(sorted(sums.items()))


ROLE_WORDS: frozenset[str] = frozenset(
    set(SECTOR_WORDS.values()) | {w for v in SECTOR_WORDS.values() for w in v.split()} | {
        "minister", "ministers", "ministry", "prime", "foreign", "defence", "defense", "interior",
        "president", "vice", "presidential", "premier", "chancellor", "king", "queen", "prince",
        "spokesman", "spokeswoman", "spokesperson", "official", "officials", "authorities", "authority",
        "government", "regime", "administration", "cabinet", "parliament", "senate", "congress",
        "army", "armed", "forces", "force", "troops", "soldiers", "security", "military", "navy",
        "air", "police", "officers", "militants", "militia", "militias", "fighters", "insurgents",
        "rebel", "rebels", "group", "groups", "faction", "factions", "protesters", "demonstrators",
        "activists", "opposition", "party", "leader", "leaders", "leadership", "commander", "commanders",
        "general", "envoy", "ambassador", "delegation", "diplomats", "negotiators", "mediators",
        "companies", "company", "firms", "businesses", "banks", "workers", "civilians", "residents",
        "people", "citizens", "villagers", "students", "journalists", "media", "court", "judges",
        "state", "states", "national", "federal", "local", "regional", "the", "of", "and", "its",
        "their", "his", "her", "unidentified", "unknown", "gunmen", "attackers", "coalition", "allies",
        "agency", "agencies", "intelligence", "services", "council", "committee", "office", "department"})


def _words(text: str | None) -> list[str]:
    return [w for w in re.split(r"[^\w']+", (text or "").lower()) if w]


def is_generic(node: Any, level: str = "entity") -> bool:
    """Whether a graph node (`graph.ActorKey`) is generic: a role or a sector, no one in particular.

    - ``entity`` level: a node without a proper name: no name at all (an unnamed sector group,
      labelled "Norway business", "United States rebels"; an unnamed group code, "multinational
      force"), or a name made only of role words (`ROLE_WORDS`) and its country's name or an
      adjective formed on it ("Minister", "Foreign Ministry", "Syrian rebels" of SYR; not
      "Free Syrian Army": "free" is no role word). A state's own node ("Syria", key ``SYR||``)
      is never generic.
    - ``country`` level: an unnamed group code (``IGO``, ``NGO``...).
    - ``sector`` level: every node is a country's sector by design: none is generic.
    """
    if level == "sector":
        return False
    if level == "country":
        return node.key in GROUP_CODES
    country = node.country
    if country and node.key == f"{country}||":
        return False
    if not node.name:
        return True
    stems = [w[:max(4, len(w) - 1)] for w in _words(country_name(country) if country else None)]
    rest = [w for w in _words(node.name) if w not in ROLE_WORDS and not any(w.startswith(s) for s in stems)]
    return not rest


def node_events(graph: SignedGraph) -> dict[str, int]:
    """Events of each node in the graph: the de-duplicated stories on its ties, summed."""
    out: dict[str, int] = dict.fromkeys(graph.nodes, 0)
    for (a, b), d in graph.edges.items():
        out[a] = out.get(a, 0) + d.n_events
        out[b] = out.get(b, 0) + d.n_events
    return out


def hidden_nodes(graph: Any, *, min_events: int = 1, show_generic: bool = True) -> set[str]:
    """Keys of the nodes to hide: generic ones (unless ``show_generic``) and those with fewer
    than ``min_events`` events (`node_events`)."""
    counts = node_events(graph)
    return {k for k, n in graph.nodes.items()
            if counts.get(k, 0) < min_events or (not show_generic and is_generic(n, graph.level))}


def _actor_id(actor: Mapping[str, Any]) -> tuple[Any, ...]:
    return (actor.get("name"), actor.get("country"), actor.get("sector"), actor.get("label"))


def hide_actors(report: dict[str, Any], graph: Any, *, min_events: int = 1,
                show_generic: bool = True) -> dict[str, Any]:
    """The report without the `hidden_nodes` of its graph: they leave the sides' members (a side
    left empty is dropped; the others keep their ids), ``unaligned`` and ``stances``. The
    partition is not recomputed: hiding an actor shows less, it does not move anyone else."""
    hide = hidden_nodes(graph, min_events=min_events, show_generic=show_generic)
    if not hide:
        return report
    gone = {_actor_id(graph.nodes[k].to_dict()) for k in hide}
    sides = []
    for side in report["sides"]:
        members = [m for m in side["members"] if _actor_id(m["actor"]) not in gone]
        if members:
            sides.append({**side, "members": members})
    return {**report, "sides": sides,
            "unaligned": [u for u in report["unaligned"] if _actor_id(u["actor"]) not in gone],
            "stances": [st for st in report["stances"]
                        if _actor_id(st["a"]) not in gone and _actor_id(st["b"]) not in gone]}
