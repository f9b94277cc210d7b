"""Curated, versioned data files shipped with allegiance (read through `allegiance.data.path`)."""
from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def path(*parts: str) -> Path:
    """Filesystem path of a packaged data file, e.g. ``path("actors", "countries.yaml")``."""
    return Path(str(files("allegiance").joinpath("data", *parts)))
