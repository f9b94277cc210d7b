"""Typed records that flow through the pipeline: documents in, events out.

The JSON form of `Event` (``Event.to_dict``) is the public record of ``shared/CONTRACT.md`` §2.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

PLOVER_TYPES: tuple[str, ...] = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)
NONSTATE_CODES: frozenset[str] = frozenset({"IGO", "UNO", "EUR", "NGO", "ISM", "IMG", "MNC"})
SECTORS: frozenset[str] = frozenset(
    "GOV MIL REB COP JUD LEG PRM PTY SPY UAF UNK AGR BUS CRM CVL EDU ELI JRN LAB MED REF OPP "
    "PRE REL SOC".split()
)
ATTRIBUTION_KINDS: tuple[str, ...] = ("author", "media", "official", "named", "anonymous")


@dataclass(frozen=True)
class Document:
    """One input text with its metadata. ``published`` is ``YYYY-MM-DD`` or None."""

    id: str
    text: str
    published: str | None = None
    title: str | None = None
    url: str | None = None
    publisher: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    origin: str | None = None  # file[:line] the document came from, for messages


@dataclass(frozen=True)
class Actor:
    """Who acted or was acted upon: country (ISO alpha-3 or PLOVER code) and PLOVER sector."""

    text: str
    name: str | None
    country: str | None
    sector: str | None
    id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "name": self.name, "country": self.country,
                "sector": self.sector, "id": self.id}


@dataclass(frozen=True)
class Place:
    """A place of an event. ``precision`` (``city``, ``admin1`` or ``country``) is the level of
    ``name`` and of the coordinates. ``geo_precision`` says what the coordinates stand for:
    ``named`` (the place ``text`` names), ``near`` (``text`` names a site in or near ``name``,
    such as a square, street, building, base, district or village, and the coordinates are
    those of ``name``), ``unresolved`` (the gazetteer lacks the place: no coordinates)."""

    text: str
    name: str
    country: str | None
    admin1: str | None
    lat: float | None
    lon: float | None
    geonameid: int | None
    precision: str
    geo_precision: str = "named"

    def to_dict(self) -> dict[str, Any]:
        """The record's place: the eight keys of CONTRACT §2 (``geo_precision`` stays in process
        until the contract names it; in a record, null coordinates mean unresolved and a ``text``
        that is not a form of ``name`` names a site in or near ``name``)."""
        out = asdict(self)
        del out["geo_precision"]
        return out


@dataclass(frozen=True)
class Modality:
    negated: bool = False
    hypothetical: bool = False
    future: bool = False
    historical: bool = False

    def to_dict(self) -> dict[str, bool]:
        return asdict(self)


@dataclass(frozen=True)
class Attribution:
    """Who, inside the text, asserts the event. ``kind`` is one of ATTRIBUTION_KINDS."""

    speaker: str | None = None
    kind: str = "author"
    cue: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Evidence:
    text: str
    start: int
    end: int
    trigger: str
    trigger_start: int
    trigger_end: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
