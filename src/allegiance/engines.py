"""The engines and the coder's version, without loading spaCy or the model (the parent process of
the workers of ``allegiance code --jobs N`` checks its options with these alone)."""
from __future__ import annotations

import json
import os

from . import __version__

__all__ = ["ENGINES", "coder_version"]

ENGINES = ("auto", "hybrid", "rules")


def coder_version(engine: str = "auto", model: str | None = None) -> str:
    """What ``Coder(engine=..., model=...).version`` would be, without loading anything."""
    import hashlib

    engine = os.environ.get("ALLEGIANCE_ENGINE", engine) if engine == "auto" else engine
    folder = model or os.environ.get("ALLEGIANCE_MODEL") or str(_model_dir())
    meta = os.path.join(folder, "model.json")
    if engine == "rules" or not os.path.isfile(meta):
        return __version__
    with open(meta, "rb") as fh:
        digest = hashlib.sha256(fh.read()).hexdigest()
    name = json.loads(open(meta, encoding="utf-8").read()).get("name", "allegiance-event-model")
    return f"{__version__}+{name}@{digest[:12]}"


def _model_dir():
    from .events.learned import model_dir

    return model_dir()
