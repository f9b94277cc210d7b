"""Actors: the catalog (who exists) and the resolver (who a phrase in a text refers to)."""
from __future__ import annotations

from .catalog import Catalog, Entity, Role, load_catalog, validate
from .resolve import ActorFinder, Mention

__all__ = ["ActorFinder", "Catalog", "Entity", "Mention", "Role", "load_catalog", "validate"]
