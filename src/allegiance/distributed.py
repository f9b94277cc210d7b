"""Code a corpus on a Dask cluster: documents are read on the client, coded on the workers.

`code_on_dask` sends documents to the workers in batches (one Dask task per batch). Each worker
process builds one `Coder` (spaCy model + catalogs) on its first batch and reuses it. Results
come back in input order, so ``allegiance code --dask`` prints exactly what ``allegiance code``
prints; they are yielded as soon as every earlier batch is done.

Requirements on the workers:

* the same ``allegiance`` (and spaCy model) must be installed in the workers' Python
  environment: the task function is ``allegiance.distributed._code_batch``, imported there;
* actor catalog and place alias files are passed **by path** and opened on the workers, so they
  must be readable at that path on every worker (a shared or copied folder). Relative paths are
  made absolute on the client first. A file a worker cannot read makes every document of the
  batch fail with the catalog error; the run goes on.

Failures: a document whose coding fails yields ``(doc, None, error)`` as `Coder.code_many` does;
a batch whose task fails on the cluster (worker lost, arguments not loadable there) yields every
document of that batch as failed with that error. Nothing is retried beyond Dask's own rules.

Coding is CPU-bound Python: start remote workers with one thread and several processes
(``dask worker tcp://HOST:8786 --nworkers 4 --nthreads 1``); threads of one worker process take
turns. A script that calls `code_on_dask` with a local cluster needs the usual
``if __name__ == "__main__":`` guard (the worker processes are spawned).
"""
from __future__ import annotations

import asyncio
import dataclasses
import itertools
import pickle
import threading
import uuid
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from .errors import AllegianceError
from .models import Document

__all__ = ["code_on_dask", "require_dask", "INSTALL_HINT"]

INSTALL_HINT = 'pip install "dask[distributed]==2026.8.0"'

Result = tuple[Document, list[dict[str, Any]] | None, str | None]
Outcome = tuple[list[dict[str, Any]] | None, str | None]


def require_dask() -> Any:
    """The ``distributed`` module, or an `AllegianceError` naming the package to install."""
    try:
        import distributed
    except ImportError as exc:
        raise AllegianceError(f"the Dask runner needs the 'distributed' package, which is not installed "
                              f"({exc}); install it with: {INSTALL_HINT}") from None
    return distributed


# -- worker side ------------------------------------------------------------------------------
_CODERS: dict[tuple[tuple[str, ...], ...], Any] = {}
_GAZETTEERS: dict[tuple[str, ...], Any] = {}
_LOCK = threading.Lock()  # one batch at a time per process: the gazetteer default is process-wide


def _worker_coder(actors: tuple[str, ...], places: tuple[str, ...], triggers: tuple[str, ...] = (),
                  engine: str = "auto", model: str | None = None) -> Any:
    """This process's `Coder` for these actor and place files (built once per process)."""
    from .coder import Coder
    from .places import Gazetteer

    if places not in _GAZETTEERS:
        _GAZETTEERS[places] = Gazetteer.load(list(places))
    Gazetteer.set_default(_GAZETTEERS[places])  # event_location reads the process default
    key = (actors, places, triggers, (engine, model or ""))
    if key not in _CODERS:  # one coder (and model) per worker process
        _CODERS[key] = Coder(actors=list(actors), lexicon=list(triggers), engine=engine, model=model)
    return _CODERS[key]


def _code_batch(payload: bytes, n: int, actors: tuple[str, ...], places: tuple[str, ...],
                batch_size: int, triggers: tuple[str, ...] = (), engine: str = "auto",
                model: str | None = None) -> list[Outcome]:
    """Runs on a worker: (records, error) for each of the ``n`` pickled documents, in order.

    The documents travel pickled so that one the worker cannot load (e.g. an ``extra`` value of a
    class installed only on the client) fails its batch here instead of stalling Dask's comms.
    """
    try:
        docs = pickle.loads(payload)
    except Exception as exc:
        return [(None, f"documents could not be loaded on the worker: {type(exc).__name__}: {exc}")] * n
    with _LOCK:
        return _code_docs(docs, actors, places, batch_size, triggers, engine, model)


def _code_docs(docs: list[Document], actors: tuple[str, ...], places: tuple[str, ...],
               batch_size: int, triggers: tuple[str, ...] = (), engine: str = "auto",
               model: str | None = None) -> list[Outcome]:
    try:
        coder = _worker_coder(actors, places, triggers, engine, model)
    except Exception as exc:  # e.g. an actor file missing on this worker: every document fails
        return [(None, f"worker could not load the coder: {type(exc).__name__}: {exc}")] * len(docs)
    out: list[Outcome] = []
    try:
        for _, recs, error in coder.code_many(docs, batch_size=batch_size):
            out.append((recs, error))
    except Exception:
        # the parser failed on the batch as a whole (e.g. a text over spaCy's max_length):
        # code the rest one by one so that only the culprit fails
        for doc in docs[len(out):]:
            try:
                out.append((coder.code(doc), None))
            except Exception as exc:
                out.append((None, f"{type(exc).__name__}: {exc}"))
    return out


# -- client side ------------------------------------------------------------------------------
def _absolute(paths: Iterable[str | Path]) -> tuple[str, ...]:
    return tuple(str(Path(p).expanduser().absolute()) for p in paths)


def _batches(docs: Iterable[Document], size: int, published: str | None) -> Iterator[list[Document]]:
    batch: list[Document] = []
    for doc in docs:
        if published and not doc.published:
            doc = dataclasses.replace(doc, published=published)
        batch.append(doc)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _connect(distributed: Any, scheduler: str | None, workers: int) -> tuple[Any, Any]:
    """(client, cluster); cluster is None when connecting to a running scheduler."""
    if scheduler in (None, "local"):
        # dashboard off; the scheduler's small HTTP endpoint (health, info) on a free localhost port
        cluster = distributed.LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                           host="127.0.0.1", dashboard_address=None,
                                           scheduler_kwargs={"dashboard_address": "127.0.0.1:0"})
        try:
            return distributed.Client(cluster), cluster
        except BaseException:
            cluster.close()
            raise
    try:
        return distributed.Client(scheduler), None
    except (OSError, ValueError, TypeError) as exc:
        raise AllegianceError(f"cannot reach the Dask scheduler at {scheduler} ({exc})") from None


def code_on_dask(docs: Iterable[Document], *, scheduler: str | None = None, workers: int = 2,
                 batch_size: int = 16, actors: Sequence[str | Path] = (), published: str | None = None,
                 places: Sequence[str | Path] = (), triggers: Sequence[str | Path] = (),
                 engine: str = "auto", model: str | Path | None = None) -> Iterator[Result]:
    """(document, records, error) for each document, in input order, coded on a Dask cluster.

    ``scheduler`` None or ``"local"`` starts a `LocalCluster` of ``workers`` processes (one
    thread each, no dashboard) and closes it at the end; ``"tcp://host:port"`` uses a running
    scheduler (``workers`` is then ignored). ``published`` dates undated documents. ``actors``
    and ``places`` are file paths that must be readable on the workers. No cluster is started
    when ``docs`` is empty.
    """
    distributed = require_dask()
    if workers < 1 or batch_size < 1:
        raise ValueError("workers and batch_size must be at least 1")
    if scheduler not in (None, "local") and "://" not in str(scheduler):
        raise ValueError(f"scheduler must be 'local' or an address like tcp://host:8786, not {scheduler!r}")
    return _stream(distributed, _batches(docs, batch_size, published), scheduler, workers, batch_size,
                   _absolute(actors), _absolute(places), _absolute(triggers), engine,
                   str(Path(model).resolve()) if model else None)


def _stream(distributed: Any, batches: Iterator[list[Document]], scheduler: str | None, workers: int,
            batch_size: int, actors: tuple[str, ...], places: tuple[str, ...],
            triggers: tuple[str, ...] = (), engine: str = "auto", model: str | None = None) -> Iterator[Result]:
    first = next(batches, None)
    if first is None:
        return
    client, cluster = _connect(distributed, scheduler, workers)
    try:
        threads = sum(client.nthreads().values()) or workers
        window = 2 * threads + 1  # batches in flight: keeps workers busy, bounds client memory
        run_id = uuid.uuid4().hex[:12]
        sent: dict[int, list[Document]] = {}
        index_of: dict[Any, int] = {}
        done: dict[int, list[Outcome]] = {}
        pending = distributed.as_completed()
        batches = itertools.chain([first], batches)
        n_sent = next_out = 0

        def submit() -> bool:
            nonlocal n_sent
            batch = next(batches, None)
            if batch is None:
                return False
            sent[n_sent] = batch
            try:
                payload = pickle.dumps(batch, protocol=pickle.HIGHEST_PROTOCOL)
            except Exception as exc:  # not sendable at all: fail this batch, go on
                done[n_sent] = [(None, f"documents could not be sent: {type(exc).__name__}: {exc}")] * len(batch)
            else:
                fut = client.submit(_code_batch, payload, len(batch), actors, places, batch_size, triggers,
                                    engine, model,
                                    key=f"allegiance-batch-{run_id}-{n_sent}", pure=False)
                index_of[fut] = n_sent
                pending.add(fut)
            n_sent += 1
            return True

        def ready() -> Iterator[Result]:
            nonlocal next_out
            while next_out in done:
                batch, outcomes = sent.pop(next_out), done.pop(next_out)
                next_out += 1
                for doc, (recs, error) in zip(batch, outcomes):
                    yield doc, recs, error

        while len(sent) < window and submit():
            pass
        while index_of or next_out in done:
            for fut in pending:
                i = index_of.pop(fut)
                done[i] = _outcomes(fut, len(sent[i]))
                fut.release()
                break
            yield from ready()
            while len(sent) < window and submit():
                pass
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def _outcomes(fut: Any, n: int) -> list[Outcome]:
    try:
        result = fut.result()
        if len(result) != n:
            raise RuntimeError(f"worker returned {len(result)} results for {n} documents")
        return result
    except (Exception, asyncio.CancelledError) as exc:
        return [(None, f"batch failed on the cluster: {type(exc).__name__}: {exc}")] * n
