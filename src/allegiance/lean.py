"""spaCy without torch, for the processes that code.

thinc (spaCy's network library) imports torch whenever it is installed, which costs ≈2 s of CPU
per process (more than coding a dozen articles: it is paid by the CLI and again by every worker
`allegiance code` spawns); coding never uses it (spaCy's English model runs on thinc's numpy ops,
the event model on onnxruntime). `import_spacy` imports spaCy with torch hidden, then lets torch
be imported again (training imports it directly), so only thinc's optional support is off.
"""
from __future__ import annotations

import sys

__all__ = ["import_spacy"]


def import_spacy() -> None:
    """Import spaCy (and thinc) with torch hidden, unless thinc or torch is already loaded."""
    if "thinc" in sys.modules or "torch" in sys.modules:
        return
    sys.modules["torch"] = None  # type: ignore[assignment]  # "import torch" raises ImportError
    try:
        import spacy  # noqa: F401
        import spacy.tokens  # noqa: F401
    finally:
        if sys.modules.get("torch", 0) is None:
            del sys.modules["torch"]
