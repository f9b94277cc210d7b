"""allegiance: sourced, structured political event data (PLOVER/CAMEO) from news, and the sides."""
from __future__ import annotations

import os as _os

__version__ = "0.1.0"

# One BLAS thread: the model's small matrix products are slower with OpenBLAS's thread pool (its
# threads spin against spaCy and onnxruntime on a 2-core machine), and one thread keeps scores
# byte-identical across machines. Set the variables yourself before importing to override.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    _os.environ.setdefault(_var, "1")
_os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")  # forked workers (Dask) must not share its pool

__all__ = ["__version__", "Coder", "Document", "code_texts"]


def __getattr__(name: str):  # lazy: importing the package must not load spaCy
    if name in ("Coder", "code_texts"):
        from . import coder

        return getattr(coder, name)
    if name == "Document":
        from .models import Document

        return Document
    raise AttributeError(name)
