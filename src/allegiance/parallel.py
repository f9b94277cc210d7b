"""Code on every core of this machine: worker processes, results in input order.

`code_in_processes` yields the same ``(document, records, error)`` triples as `Coder.code_many`,
in input order, from ``jobs`` worker processes (spawned, one `Coder` — spaCy pipeline, catalogs
and the event model — built once per process). The records are byte-identical to a serial run:
coding a document depends only on the document (the model encodes one sentence per call with one
thread), never on which process or batch it went to.

Short inputs are coded here, in this process: the documents are read ahead until there are more
than ``jobs * batch_size`` of them, since starting workers (~3 s each, in parallel) costs more than
coding a handful of articles. The workers run `allegiance.distributed._code_batch`, the Dask task
function, so a batch fails the same way on both runners (a parser failure falls back to coding
the batch's documents one by one; only the culprit fails).
"""
from __future__ import annotations

import dataclasses
import itertools
import os
import pickle
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import Any

from .models import Document

__all__ = ["code_in_processes", "default_jobs"]

Result = tuple[Document, list[dict[str, Any]] | None, str | None]


def default_jobs() -> int:
    """The cores this process may use (its CPU affinity, else the CPU count)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def _warm(actors: tuple[str, ...], places: tuple[str, ...], triggers: tuple[str, ...], engine: str,
          model: str | None) -> None:
    """Worker initializer: build this process's coder before the first batch arrives."""
    from .lean import import_spacy

    import_spacy()
    from .distributed import _worker_coder

    try:
        _worker_coder(actors, places, triggers, engine, model)
    except Exception:  # reported per batch by _code_batch, with the documents it fails
        pass


def code_in_processes(docs: Iterable[Document], *, jobs: int | None = None, batch_size: int = 8,
                      actors: Sequence[str | Path] = (), places: Sequence[str | Path] = (),
                      triggers: Sequence[str | Path] = (), engine: str = "auto",
                      model: str | Path | None = None, coder: Any = None) -> Iterator[Result]:
    """(document, records, error) for each document, in input order, coded by ``jobs`` processes
    (default: every core). ``coder``, when given, codes short inputs in this process (else one is
    built for them); it must have been built with the same files, engine and model."""
    jobs = default_jobs() if jobs is None else jobs
    if jobs < 1 or batch_size < 1:
        raise ValueError("jobs and batch_size must be at least 1")
    args = (_absolute(actors), _absolute(places), _absolute(triggers), engine,
            str(Path(model).resolve()) if model else None)
    it = iter(docs)
    if jobs == 1:
        yield from _here(it, coder, args, batch_size)
        return
    head = list(itertools.islice(it, jobs * batch_size + 1))
    if len(head) <= jobs * batch_size:
        yield from _here(head, coder, args, batch_size)
        return
    yield from _pool(itertools.chain(head, it), jobs, batch_size, args, coder)


def _here(docs: Iterable[Document], coder: Any, args: tuple, batch_size: int) -> Iterator[Result]:
    """Code in this process (with ``coder`` if given, else this process's cached one)."""
    if coder is not None:
        yield from coder.code_many(docs)
        return
    from .distributed import _code_docs

    actors, places, triggers, engine, model = args
    for batch in _chunks(iter(docs), batch_size):
        for doc, (recs, error) in zip(batch, _code_docs(batch, actors, places, batch_size, triggers, engine, model)):
            yield doc, recs, error


def _pool(docs: Iterator[Document], jobs: int, batch_size: int, args: tuple, coder: Any) -> Iterator[Result]:
    import multiprocessing
    from concurrent.futures.process import BrokenProcessPool

    from .distributed import _code_batch

    actors, places, triggers, engine, model = args
    batches = _chunks(docs, batch_size)
    window = 2 * jobs + 1  # batches in flight: keeps every worker busy, bounds memory
    ctx = multiprocessing.get_context("spawn")  # no fork of a process holding threads and sessions
    broken = False
    with ProcessPoolExecutor(max_workers=jobs, mp_context=ctx, initializer=_warm, initargs=args) as pool:
        inflight: list[tuple[list[Document], Future | str]] = []

        def submit() -> bool:
            nonlocal broken
            if broken:
                return False
            batch = next(batches, None)
            if batch is None:
                return False
            try:
                payload = pickle.dumps(batch, protocol=pickle.HIGHEST_PROTOCOL)
            except Exception as exc:  # a document that cannot travel fails its batch, the run goes on
                inflight.append((batch, f"documents could not be sent: {type(exc).__name__}: {exc}"))
                return True
            try:
                fut = pool.submit(_code_batch, payload, len(batch), actors, places, batch_size,
                                  triggers, engine, model)
            except (BrokenProcessPool, RuntimeError):
                broken = True
                inflight.append((batch, "retry"))
                return False
            inflight.append((batch, fut))
            return True

        while len(inflight) < window and submit():
            pass
        while inflight:
            batch, fut = inflight.pop(0)
            if fut == "retry" or (isinstance(fut, Future) and isinstance(fut.exception(), BrokenProcessPool)):
                # a worker died (killed, out of memory): the pool is gone; this batch and the rest
                # are coded here, so a long run still finishes
                broken = True
                yield from _here(batch, coder, args, batch_size)
                continue
            for doc, (recs, error) in zip(batch, _outcomes(fut, len(batch))):
                yield doc, recs, error
            while len(inflight) < window and submit():
                pass
    if broken:
        yield from _here(itertools.chain.from_iterable(batches), coder, args, batch_size)


def _outcomes(fut: Future | str, n: int) -> list[tuple[list[dict[str, Any]] | None, str | None]]:
    if isinstance(fut, str):
        return [(None, fut)] * n
    try:
        result = fut.result()
        if len(result) != n:
            raise RuntimeError(f"worker returned {len(result)} results for {n} documents")
        return result
    except Exception as exc:  # a worker that died (out of memory, killed) fails its batch only
        return [(None, f"worker process failed: {type(exc).__name__}: {exc}")] * n


def _chunks(docs: Iterator[Document], size: int) -> Iterator[list[Document]]:
    while True:
        batch = list(itertools.islice(docs, size))
        if not batch:
            return
        yield batch


def _absolute(paths: Iterable[str | Path]) -> tuple[str, ...]:
    return tuple(str(Path(p).expanduser().absolute()) for p in paths)


def with_published(docs: Iterable[Document], published: str | None) -> Iterator[Document]:
    """Dates undated documents (as the CLI's ``--published`` does)."""
    for doc in docs:
        yield dataclasses.replace(doc, published=published) if published and not doc.published else doc
