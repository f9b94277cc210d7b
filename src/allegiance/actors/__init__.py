"""Actors: the catalog (who exists) and the resolver (who a phrase in a text refers to)."""
from __future__ import annotations

from .catalog import Catalog, Entity, Role, load_catalog, validate

__all__ = ["ActorFinder", "Catalog", "Entity", "Mention", "Role", "load_catalog", "validate"]


def __getattr__(name: str):  # lazy: checking catalogs (the parent of worker processes) must not load spaCy
    if name in ("ActorFinder", "Mention"):
        from . import resolve

        return getattr(resolve, name)
    raise AttributeError(name)
