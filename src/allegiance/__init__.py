"""allegiance: sourced, structured political event data (PLOVER/CAMEO) from news, and the sides."""
from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__", "Coder", "Document", "code_texts"]


def __getattr__(name: str):  # lazy: importing the package must not load spaCy
    if name in ("Coder", "code_texts"):
        from . import coder

        return getattr(coder, name)
    if name == "Document":
        from .models import Document

        return Document
    raise AttributeError(name)
