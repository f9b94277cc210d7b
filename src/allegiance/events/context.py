"""PLOVER contexts of an event, from its type, mode, actors and sentence words."""
from __future__ import annotations

import re
from functools import lru_cache

from ..actors.resolve import Mention

__all__ = ["contexts"]

_WORDS = [
    ("economic", re.compile(r"\b(trade|tariffs?|imports?|exports?|oil|gas|economy|economic|banks?|"
                            r"assets|investment|loans?|debt|currency|sanctions)\b", re.I)),
    ("election", re.compile(r"\b(elections?|vote|votes|ballot|polls?|campaign trail|electoral)\b", re.I)),
    ("territory", re.compile(r"\b(territory|territorial|annex\w*|border|borders|sovereignty)\b", re.I)),
    ("migration", re.compile(r"\b(refugees?|migrants?|displaced|asylum)\b", re.I)),
    ("health", re.compile(r"\b(hospitals?|medical|vaccines?|epidemic|cholera|disease)\b", re.I)),
    ("human_security", re.compile(r"\b(food|water|fuel|electricity|humanitarian|famine|shelter)\b", re.I)),
    ("human_rights", re.compile(r"\bhuman rights\b", re.I)),
    ("religion_ethnicity", re.compile(r"\b(sunnis?|shiites?|shia|christians?|muslims?|ethnic|"
                                      r"kurds?|jews?|sectarian)\b", re.I)),
    ("natural_resource", re.compile(r"\b(oil fields?|gas fields?|mines?|mining|pipeline)\b", re.I)),
    ("corruption", re.compile(r"\b(corrupt\w*|bribe\w*|embezzl\w*)\b", re.I)),
]


@lru_cache(maxsize=1024)
def _word_labels(sentence: str) -> tuple[str, ...]:
    """The context labels a sentence's words give (``_WORDS``), searched once per sentence:
    the records of one sentence share them."""
    return tuple(label for label, rx in _WORDS if rx.search(sentence))


def contexts(event_type: str, mode: str | None, source: Mention | None, target: Mention | None,
             sentence: str) -> list[str]:
    """Sorted PLOVER context labels for one event."""
    out: set[str] = set()
    actors = [a for a in (source, target) if a is not None]
    sectors = {a.sector for a in actors}
    countries = {a.country for a in actors}
    if "MIL" in sectors or event_type in ("ASSAULT", "MOBILIZE") and not sectors & {"COP", "CVL"}:
        out.add("military")
    if "IMG" in countries or mode in ("suicide-attack", "explosives"):
        out.add("terrorism")
    if "SPY" in sectors:
        out.add("intelligence")
    if "JUD" in sectors or mode in ("convict", "allege") and "JUD" in sectors:
        out.add("legal")
    if "LEG" in sectors or "PTY" in sectors:
        out.add("political_institutions")
    if event_type in ("CONSULT", "AGREE", "SUPPORT", "CONCEDE", "REJECT", "REQUEST") and \
            any(a.sector in ("GOV", None) and a.kind in ("state", "metonym", "person", "title", "organisation") for a in actors):
        out.add("diplomatic")
    if mode == "unconventional":
        out.add("cbrn")
    if mode == "cyber":
        out.add("cyber")
    if event_type == "COERCE" and (sectors & {"CVL", "OPP", "JRN", "EDU", "LAB"} or mode == "arrest"):
        out.add("repression")
    if event_type == "PROTEST" or mode in ("censor", "restrict") or "JRN" in sectors:
        out.add("rights_freedoms")
    if event_type == "AID" or mode == "withhold":
        out.add("human_security")
    if "REF" in sectors or mode == "deport":
        out.add("migration")
    if "UNO" in countries and "MIL" in sectors:
        out.add("peacekeeping")
    if event_type == "SANCTION" and mode == "discontinue":
        out.add("economic")
    out.update(_word_labels(sentence))
    if event_type == "SANCTION" and "economic" not in out and mode == "discontinue":
        out.add("economic")
    return sorted(out)
