"""Compressed readers: ``.gz`` and ``.bz2`` (the inner name decides the format: ``x.jsonl.gz`` is JSON
Lines) and ``.zip`` (each member read by its own extension). Everything is streamed: a member or the
decompressed stream is read as it is inflated, never whole; a corrupt or truncated archive is
reported after the documents read before the damage.
"""
from __future__ import annotations

import bz2
import gzip
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import IO

from .base import MAX_DEPTH, Item, ReadProblem, Source, unsupported

__all__ = ["GzipReader", "Bz2Reader", "ZipReader", "is_hidden"]


def is_hidden(path: str) -> bool:
    """True for dotfiles, files in dot-folders, and macOS resource forks (``__MACOSX/``)."""
    return any(part.startswith(".") or part == "__MACOSX" for part in path.split("/") if part)


def _too_deep(source: Source) -> ReadProblem | None:
    if source.depth >= MAX_DEPTH:
        return ReadProblem(source.origin, f"archive nested more than {MAX_DEPTH} deep; not read")
    return None


class _Decompressing:
    """A single compressed stream (``.gz``, ``.bz2``) whose inner name chooses the reader."""

    suffixes: tuple[str, ...] = ()
    label = ""

    def _wrap(self, raw: IO[bytes]) -> IO[bytes]:
        raise NotImplementedError

    def read(self, source: Source) -> Iterator[Item]:
        from .registry import read_source, reader_for

        deep = _too_deep(source)
        if deep:
            yield deep
            return
        inner_name = source.name[: -len(self.suffixes[0])]
        reader = reader_for(inner_name)
        if reader is None:
            yield unsupported(source.origin, inner_name, inside=f"a {self.label} file")
            return

        @contextmanager
        def open_inner() -> Iterator[IO[bytes]]:
            with source.open() as raw, self._wrap(raw) as inner:
                yield inner

        yield from read_source(Source(name=inner_name, origin=source.origin, doc_id=source.doc_id,
                                      open=open_inner, depth=source.depth + 1), reader)


class GzipReader(_Decompressing):
    """``.gz``: ``x.txt.gz``, ``x.html.gz``, ``x.jsonl.gz``, ``x.csv.gz`` (multi-member files too)."""

    suffixes = (".gz",)
    label = "gzip"

    def _wrap(self, raw: IO[bytes]) -> IO[bytes]:
        return gzip.GzipFile(fileobj=raw, mode="rb")  # type: ignore[return-value]


class Bz2Reader(_Decompressing):
    """``.bz2``: ``x.txt.bz2``, ``x.jsonl.bz2``, …"""

    suffixes = (".bz2",)
    label = "bzip2"

    def _wrap(self, raw: IO[bytes]) -> IO[bytes]:
        return bz2.BZ2File(raw, mode="rb")  # type: ignore[return-value]


class ZipReader:
    """``.zip``: every member read by its own extension, in name order; folders and hidden members
    (dotfiles, ``__MACOSX/``) are passed over, a member of an unsupported type is reported."""

    suffixes = (".zip",)

    def read(self, source: Source) -> Iterator[Item]:
        from .registry import read_source, reader_for

        deep = _too_deep(source)
        if deep:
            yield deep
            return
        with source.open() as raw:
            if isinstance(raw, (gzip.GzipFile, bz2.BZ2File)) or not raw.seekable():
                yield ReadProblem(source.origin, "a zip archive inside a .gz or .bz2 file is not read "
                                                 "(zip needs random access); unpack it first")
                return
            try:
                archive = zipfile.ZipFile(raw)
            except zipfile.BadZipFile as exc:
                yield ReadProblem(source.origin, f"not a valid zip archive ({exc})")
                return
            with archive:
                members = sorted((m for m in archive.infolist() if not m.is_dir()),
                                 key=lambda m: m.filename)
                if not members:
                    yield ReadProblem(source.origin, "zip archive has no files", skipped=True, reason="empty")
                for info in members:
                    if is_hidden(info.filename):
                        continue
                    origin = f"{source.origin}/{info.filename}"
                    reader = reader_for(info.filename)
                    if reader is None:
                        yield unsupported(origin, info.filename)
                        continue
                    if info.flag_bits & 0x1:
                        yield ReadProblem(origin, "encrypted zip member; not read")
                        continue
                    yield from read_source(Source(
                        name=info.filename.rsplit("/", 1)[-1], origin=origin,
                        doc_id=f"{source.doc_id}/{info.filename}", open=_member_opener(archive, info),
                        size=info.file_size, depth=source.depth + 1), reader)


def _member_opener(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Callable[[], IO[bytes]]:
    return lambda: archive.open(info)
