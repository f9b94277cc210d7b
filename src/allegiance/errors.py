"""Errors raised by allegiance.

    AllegianceError
    ├── InputError        a document or input file cannot be read (names file and line)
    ├── CatalogError      a curated or user data file is invalid (names file and entry)
    └── StoreError        the DuckDB store cannot be opened or written
"""
from __future__ import annotations


class AllegianceError(Exception):
    """Root of every error allegiance raises on purpose."""


class InputError(AllegianceError):
    def __init__(self, message: str, *, origin: str | None = None) -> None:
        self.origin = origin
        super().__init__(f"{origin}: {message}" if origin else message)


class CatalogError(AllegianceError):
    def __init__(self, message: str, *, file: str | None = None, entry: str | None = None) -> None:
        self.file, self.entry = file, entry
        where = ":".join(x for x in (file, entry) if x)
        super().__init__(f"{where}: {message}" if where else message)


class StoreError(AllegianceError):
    pass
