"""Project settings from ``allegiance.toml``: the user's own catalogs, place files and store.

The file is looked up in this order: ``--config FILE``, the ``ALLEGIANCE_CONFIG`` environment
variable, ``./allegiance.toml``. Relative paths in it are read relative to the file. Example::

    [allegiance]
    actors = ["catalog/my_actors.yaml"]      # merged over the built-in actor catalog
    places = ["catalog/my_places.csv"]       # place aliases, before the built-in gazetteer
    triggers = ["catalog/my_triggers.yaml"]  # trigger lexicon entries, over the built-in ones
    store = "data/events.duckdb"             # default store for run / events / sides

Command-line options add to the files named here (``--actors`` after the config's ``actors``), and
``--store`` replaces ``store``.
"""
from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

from .errors import CatalogError

__all__ = ["Settings", "load_settings", "CONFIG_NAME"]

CONFIG_NAME = "allegiance.toml"
_LIST_KEYS = ("actors", "places", "triggers")
_KNOWN = frozenset(_LIST_KEYS + ("store",))


@dataclass(frozen=True)
class Settings:
    """Resolved settings; empty when no config file is found."""

    source: Path | None = None
    actors: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    triggers: tuple[str, ...] = ()
    store: str | None = None


def _find(explicit: str | os.PathLike | None) -> Path | None:
    if explicit:
        path = Path(explicit)
        if not path.is_file():
            raise CatalogError("config file not found", file=str(path))
        return path
    env = os.environ.get("ALLEGIANCE_CONFIG")
    if env:
        path = Path(env)
        if not path.is_file():
            raise CatalogError("config file named by ALLEGIANCE_CONFIG not found", file=str(path))
        return path
    local = Path.cwd() / CONFIG_NAME
    return local if local.is_file() else None


def load_settings(explicit: str | os.PathLike | None = None) -> Settings:
    """Read the config file (see module docstring); errors name the file and the key at fault."""
    path = _find(explicit)
    if path is None:
        return Settings()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise CatalogError(f"cannot read config ({exc})", file=str(path)) from exc
    except tomllib.TOMLDecodeError as exc:
        raise CatalogError(f"not valid TOML ({exc})", file=str(path)) from exc
    table = data.get("allegiance", data)
    if not isinstance(table, dict):
        raise CatalogError("[allegiance] must be a table", file=str(path))
    unknown = set(table) - _KNOWN - {"allegiance"}
    if unknown:
        raise CatalogError(f"unknown setting(s) {', '.join(sorted(unknown))}; known: "
                           f"{', '.join(sorted(_KNOWN))}", file=str(path))
    base = path.parent
    values: dict[str, tuple[str, ...]] = {}
    for key in _LIST_KEYS:
        raw = table.get(key, [])
        if isinstance(raw, str):
            raw = [raw]
        if not isinstance(raw, list) or not all(isinstance(v, str) for v in raw):
            raise CatalogError(f"'{key}' must be a list of file paths", file=str(path), entry=key)
        resolved = []
        for v in raw:
            p = (base / v) if not Path(v).is_absolute() else Path(v)
            if not p.is_file():
                raise CatalogError(f"'{key}' names a file that does not exist: {v}", file=str(path), entry=key)
            resolved.append(str(p))
        values[key] = tuple(resolved)
    store = table.get("store")
    if store is not None and not isinstance(store, str):
        raise CatalogError("'store' must be a file path", file=str(path), entry="store")
    if store is not None and not Path(store).is_absolute():
        store = str(base / store)
    return Settings(source=path, actors=values["actors"], places=values["places"],
                    triggers=values["triggers"], store=store)
