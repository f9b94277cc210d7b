"""Command line: ``allegiance code | run | events | stories | sides | explain | actors | places``.

Records and tables go to standard output; progress, warnings and summaries to standard error.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated, Any, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from . import __version__
from .errors import AllegianceError

app = typer.Typer(
    name="allegiance", no_args_is_help=True, add_completion=False, pretty_exceptions_enable=False,
    help="Sourced political event data (PLOVER + CAMEO) from news text, and the sides it implies.\n\n"
         "Quick start:  allegiance run   (codes the bundled example corpus into ./allegiance.duckdb)\n"
         "then:         allegiance events --type ASSAULT   and   allegiance sides")
actors_app = typer.Typer(help="Inspect and validate the actor catalog.", no_args_is_help=True)
app.add_typer(actors_app, name="actors")
err = Console(stderr=True, highlight=False, soft_wrap=True, emoji=False)  # one message, one line (grep-able), as written
out = Console(highlight=False, soft_wrap=True, emoji=False)

DEFAULT_STORE = "allegiance.duckdb"
_SETTINGS: Any = None  # allegiance.config.Settings, read once by the app callback


@app.callback()
def _main(config: Annotated[Optional[Path], typer.Option(
        "--config", metavar="FILE",
        help="Project settings (TOML): your own actor, place and trigger files and the store. "
             "Default: $ALLEGIANCE_CONFIG, else ./allegiance.toml if present.")] = None) -> None:
    """Sourced political event data (PLOVER + CAMEO) from news text, and the sides it implies."""
    global _SETTINGS
    from .config import load_settings

    if config is not None and not config.is_file():
        raise typer.BadParameter(f"{config}: {'is a folder, not a file' if config.is_dir() else 'no such file'}",
                                 param_hint="--config")
    try:
        _SETTINGS = load_settings(config)
    except AllegianceError as exc:
        _fail(exc)


def _settings() -> Any:
    from .config import Settings

    return _SETTINGS or Settings()


def _with_config(kind: str, given: list[Path] | None) -> list[Path]:
    """Files from the config file first, then those given on the command line."""
    return [Path(p) for p in getattr(_settings(), kind)] + list(given or [])


def _store(store: Path | None) -> Path:
    if store is not None:
        return store
    return Path(_settings().store or DEFAULT_STORE)


TriggersOpt = Annotated[Optional[list[Path]], typer.Option(
    "--triggers", help="Your own trigger lexicon YAML (same schema as data/triggers.yaml; entries "
                       "replace built-in ones of the same word). Repeatable.")]
StoreOpt = Annotated[Optional[Path], typer.Option(
    "--store", "-s", help=f"DuckDB store file (default: the config's store, else ./{DEFAULT_STORE}).")]
EngineOpt = Annotated[str, typer.Option(
    "--engine", help="hybrid: the rules and the trained model, scored together (default when the model is "
                     "installed); rules: the rule coder alone (the baseline).")]
ModelOpt = Annotated[Optional[Path], typer.Option(
    "--model", help="A model folder other than the shipped one (from `make train`); also $ALLEGIANCE_MODEL.")]
MinConfOpt = Annotated[Optional[float], typer.Option(
    "--min-confidence", min=0.0, max=1.0,
    help="Keep only records whose calibrated confidence is at least this (0-1); needs the model.")]
ActorsOpt = Annotated[Optional[list[Path]], typer.Option(
    "--actors", help="Your own actor catalog YAML (countries/organisations/people/agents schema); "
                     "merged over the built-in one. Repeatable.")]


def _bundled_corpus() -> Path:
    here = Path(__file__).resolve()
    for base in (Path.cwd(), *here.parents):
        cand = base / "examples" / "corpus"
        if cand.is_dir():
            return cand
    raise typer.BadParameter("no input given and the bundled corpus (examples/corpus) was not found")


def _progress(total: int | None) -> Progress:
    return Progress(SpinnerColumn(), TextColumn("[bold]{task.description}"), BarColumn(),
                    MofNCompleteColumn(), TimeElapsedColumn(), TextColumn("{task.fields[info]}"),
                    console=err, transient=False, disable=not err.is_terminal)


def _fail(exc: Exception) -> None:
    from rich.markup import escape

    err.print(f"[red]error:[/red] {escape(str(exc))}")  # file names may hold brackets
    raise typer.Exit(1)


def _check_files(paths: list[Path] | None, hint: str) -> None:
    """Every file given to option ``hint`` exists and is a file, or a usage error (exit 2)."""
    for p in paths or []:
        if not p.is_file():
            what = "is a folder, not a file" if p.is_dir() else "no such file"
            raise typer.BadParameter(f"{p}: {what}", param_hint=hint)


def _check_output(output: Path | None, hint: str = "--output", *, folder: bool = False) -> None:
    """An output path that can be written: not a folder (unless ``folder``), in a folder that exists."""
    if output is None:
        return
    if output.is_dir() and not folder:
        raise typer.BadParameter(f"{output}: is a folder; give a file name", param_hint=hint)
    if output.exists() and not output.is_dir() and folder:
        raise typer.BadParameter(f"{output}: is a file; give a folder", param_hint=hint)
    parent = output.absolute().parent
    if not parent.is_dir():
        raise typer.BadParameter(f"{output}: folder {parent} does not exist", param_hint=hint)


def _check_store(store: Path | None, *, must_exist: bool) -> None:
    """A --store given on the command line: a file (not a folder) in a folder that exists; for the
    commands that only read it, one that exists."""
    if store is None:
        return
    if store.is_dir():
        raise typer.BadParameter(f"{store}: is a folder, not a store file", param_hint="--store")
    if must_exist and not store.exists():
        raise typer.BadParameter(f"{store}: no such store; run `allegiance run --store {store}` first",
                                 param_hint="--store")
    if not store.absolute().parent.is_dir():
        raise typer.BadParameter(f"{store}: folder {store.absolute().parent} does not exist", param_hint="--store")


PublishedOpt = Annotated[Optional[str], typer.Option(
    "--published", metavar="YYYY-MM-DD",
    help="Publication date for documents that carry none (a .txt without a 'Published:' line). "
         "Relative dates ('on Monday') and who holds which office are read as of this date.")]


def _dated(items, published: str | None):
    """Give undated documents the --published date; pass problems and dated documents through."""
    import dataclasses

    from .sources import ReadProblem

    for item in items:
        if published and not isinstance(item, ReadProblem) and not item.published:
            item = dataclasses.replace(item, published=published)
        yield item


def _check_date(value: str | None, hint: str = "--published") -> str | None:
    """A valid YYYY-MM-DD date, or a usage error (exit 2) naming the option."""
    import datetime as _dt
    import re as _re

    if value is None:
        return None
    try:
        if not _re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            raise ValueError
        return _dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)", param_hint=hint) from None


PlacesOpt = Annotated[Optional[list[Path]], typer.Option(
    "--places", help="Your own place aliases CSV (alias,name,country,admin1,lat,lon,geonameid,precision); "
                     "takes precedence over the built-in gazetteer. Repeatable.")]


def _use_places(places: list[Path] | None) -> None:
    places = _with_config("places", places)
    if places:
        from .places import Gazetteer

        _check_files(places, "--places")
        Gazetteer.set_default(Gazetteer.load([str(p) for p in places]))


def _check_engine(engine: str, model: Path | None, min_confidence: float | None) -> None:
    from .engines import ENGINES

    if engine not in ENGINES:
        raise typer.BadParameter(f"{engine!r}: use one of {', '.join(ENGINES)}", param_hint="--engine")
    if model is not None and not (model / "model.json").is_file():
        raise typer.BadParameter(f"{model}: not a model folder (no model.json)", param_hint="--model")
    if min_confidence is not None and engine == "rules":
        raise typer.BadParameter("records of the rules engine carry no confidence; use --engine hybrid",
                                 param_hint="--min-confidence")


def _coder(actors: list[Path] | None, triggers: list[Path] | None = None, engine: str = "auto",
           model: Path | None = None):
    from .lean import import_spacy

    import_spacy()
    from .coder import Coder

    actors, triggers = _with_config("actors", actors), _with_config("triggers", triggers)
    with err.status("loading spaCy model and catalogs…", spinner="dots") if err.is_terminal else _null():
        return Coder(actors=[str(a) for a in actors], lexicon=[str(t) for t in triggers], engine=engine,
                     model=str(model) if model else None)


def _confident(recs: list[dict], min_confidence: float | None) -> list[dict]:
    if min_confidence is None:
        return recs
    return [r for r in recs if r.get("confidence") is not None and r["confidence"] >= min_confidence]


DaskOpt = Annotated[Optional[str], typer.Option(
    "--dask", metavar="local|tcp://HOST:PORT",
    help="Code on a Dask cluster: 'local' starts one on this machine (--workers processes); "
         "tcp://HOST:PORT uses a running scheduler. Output is identical to a run without --dask. "
         "Workers need allegiance installed, and --actors/--places files readable at the same "
         "absolute paths. Needs: pip install \"dask\\[distributed]==2026.8.0\".")]
WorkersOpt = Annotated[int, typer.Option("--workers", min=1, help="Worker processes for --dask local.")]
JobsOpt = Annotated[Optional[int], typer.Option(
    "--jobs", "-j", min=1, help="Processes coding on this machine (default: every core). Output is identical "
                               "to --jobs 1; inputs of a few documents are coded in this process.")]

AllowPrivateOpt = Annotated[bool, typer.Option(
    "--allow-private", help="Fetch URLs on loopback and private network addresses (refused by default).")]
IgnoreRobotsOpt = Annotated[bool, typer.Option(
    "--ignore-robots", help="Fetch pages even where the host's robots.txt disallows allegiance (by default "
                            "such pages are skipped and named).")]
LanguagesOpt = Annotated[str, typer.Option(
    "--languages", metavar="en[,xx...]",
    help="Languages to code, ISO 639-1 codes separated by commas (default: en). Only English is coded "
         "well (the parser is English), so other languages are an explicit opt-in; 'all' turns the check "
         "off. A document confidently in another language is skipped and named.")]
BatchOpt = Annotated[int, typer.Option(
    "--batch", min=1, help="Write the store every N coded documents (or --batch-seconds), releasing the file "
                           "in between so readers (events, sides, serve) can open it.")]
BatchSecondsOpt = Annotated[float, typer.Option(
    "--batch-seconds", min=0.0, help="Write the store at least every T seconds while documents are coded.")]
ReportOpt = Annotated[Optional[Path], typer.Option(
    "--report", metavar="FILE.jsonl",
    help="Write one JSON object per input not coded (status skipped|failed, origin, reason, message), "
         "then a summary object with the coded, skipped and failed counts.")]


def _languages(value: str) -> tuple[str, ...] | None:
    """The --languages codes (None for 'all'), or a usage error (exit 2) naming the option."""
    from .sources import check_codes

    if value.strip().lower() == "all":
        return None
    codes = [c.strip() for c in value.split(",") if c.strip()]
    if not codes:
        raise typer.BadParameter("give one or more language codes, such as en or en,fr", param_hint="--languages")
    try:
        return check_codes(codes)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--languages") from None


class _Outcome:
    """What became of every input of one `code` or `run`: the counts, one stderr line per input not
    coded (``skipped``/``failed`` ORIGIN: reason), and the --report file."""

    def __init__(self, report: Path | None) -> None:
        from collections import Counter

        self.coded = self.unchanged = self.failed = 0
        self.skipped: Counter[str] = Counter()
        self._report = None
        if report is not None:
            try:
                # a name Python could not decode is written as a \\udcxx escape, never an error
                self._report = open(report, "w", encoding="utf-8", errors="backslashreplace")
            except OSError as exc:
                raise typer.BadParameter(f"{report}: cannot write ({exc.strerror or exc})",
                                         param_hint="--report") from None

    def problem(self, problem: Any) -> None:
        """Count and report one input that is not coded (a `ReadProblem`)."""
        import json

        from rich.markup import escape

        status = "skipped" if problem.skipped else "failed"
        if problem.skipped:
            self.skipped[problem.reason or "other"] += 1
        else:
            self.failed += 1
        message = " ".join(str(problem).split())  # one line, whatever the reader wrote
        err.print(("[yellow]skipped[/yellow] " if problem.skipped else "[red]failed[/red] ") + escape(message))
        if self._report is not None:
            self._report.write(json.dumps({"status": status, "origin": problem.origin,
                                           "reason": problem.reason or None,
                                           "message": problem.message}, ensure_ascii=False) + "\n")

    def summary(self) -> str:
        """``12 coded, 3 skipped (2 language fr, 1 unsupported .pdf), 1 failed``."""
        n = sum(self.skipped.values())
        kinds = ", ".join(f"{c} {k}" for k, c in sorted(self.skipped.items(), key=lambda kc: (-kc[1], kc[0])))
        stored = f", {self.unchanged} already in the store" if self.unchanged else ""
        return f"{self.coded} coded{stored}, {n} skipped" + (f" ({kinds})" if n else "") + f", {self.failed} failed"

    def close(self, **extra: Any) -> None:
        """Write the summary object to the --report file and close it."""
        import json

        if self._report is None:
            return
        self._report.write(json.dumps({"summary": True, "coded": self.coded, "skipped": sum(self.skipped.values()),
                                       "failed": self.failed, "skipped_by_reason": dict(sorted(self.skipped.items())),
                                       **extra}, ensure_ascii=False) + "\n")
        self._report.close()
        self._report = None

    def exit_code(self) -> int:
        """0 when every input was coded (or is unchanged in the store) or deliberately skipped; 1 when
        any input failed (the others are still coded and stored)."""
        return 1 if self.failed else 0


def _first_of_each_id(items: Any) -> Any:
    """Items with a document whose id was already read in this run replaced by a problem: the same
    text again is a skipped duplicate; another text under the same id is refused (a failure)."""
    import hashlib

    from .sources import ReadProblem

    seen: dict[str, tuple[str, bytes]] = {}
    for item in items:
        if not isinstance(item, ReadProblem):
            digest = hashlib.blake2b(item.text.encode("utf-8", "surrogatepass"), digest_size=8).digest()
            first = seen.get(item.id)
            where = item.origin or item.id
            if first is None:
                seen[item.id] = (where, digest)
            elif first[1] == digest:
                item = ReadProblem(where, f"duplicate of document id {item.id!r} read at {first[0]} (same text); "
                                          "not coded twice", skipped=True, reason="duplicate")
            else:
                item = ReadProblem(where, f"document id {item.id!r} was already used by {first[0]} for another "
                                          "text; refused (give every document its own id)")
        yield item


class _ProcessCoder:
    """Stands in for `Coder` in `code`/`run`: same ``code_many`` triples, coded by worker processes."""

    def __init__(self, jobs: int, actors: list[Path] | None, places: list[Path] | None,
                 triggers: list[Path] | None = None, engine: str = "auto", model: Path | None = None) -> None:
        from .engines import coder_version

        self.jobs, self.engine, self.model = jobs, engine, model
        self.version = coder_version(engine, str(model) if model else None)
        self.actors = [str(a) for a in _with_config("actors", actors)]
        self.places = [str(p) for p in _with_config("places", places)]
        self.triggers = [str(t) for t in _with_config("triggers", triggers)]

    def code_many(self, docs):
        from .parallel import code_in_processes

        return code_in_processes(docs, jobs=self.jobs, actors=self.actors, places=self.places,
                                 triggers=self.triggers, engine=self.engine, model=self.model)


def _local_coder(jobs: int | None, actors: list[Path] | None, places: list[Path] | None,
                 triggers: list[Path] | None = None, engine: str = "auto", model: Path | None = None):
    """A `Coder` for --jobs 1, else worker processes (the catalogs are checked here first)."""
    from .lean import import_spacy
    from .parallel import default_jobs

    import_spacy()

    jobs = default_jobs() if jobs is None else jobs
    if jobs == 1:
        return _coder(actors, triggers, engine, model)
    from .actors import load_catalog
    from .events.lexicon import load_lexicon

    load_catalog(tuple(str(a) for a in _with_config("actors", actors)))
    load_lexicon(tuple(str(t) for t in _with_config("triggers", triggers)))
    if model is not None or engine == "hybrid":
        from .events.learned import load_model

        load_model(model)  # a bad --model fails here, once, not in every worker
    return _ProcessCoder(jobs, actors, places, triggers, engine, model)


class _DaskCoder:
    """Stands in for `Coder` in `code`/`run`: same ``code_many`` triples, coded on Dask workers."""

    def __init__(self, scheduler: str, workers: int, actors: list[Path] | None, places: list[Path] | None,
                 triggers: list[Path] | None = None, engine: str = "auto", model: Path | None = None) -> None:
        from .engines import coder_version

        self.scheduler, self.workers = scheduler, workers
        self.engine, self.model = engine, model
        self.version = coder_version(engine, str(model) if model else None)
        self.actors = [str(a) for a in _with_config("actors", actors)]
        self.places = [str(p) for p in _with_config("places", places)]
        self.triggers = [str(t) for t in _with_config("triggers", triggers)]

    def code_many(self, docs):
        from .distributed import code_on_dask

        return code_on_dask(docs, scheduler=self.scheduler, workers=self.workers,
                            actors=self.actors, places=self.places, triggers=self.triggers,
                            engine=self.engine, model=self.model)


def _dask_coder(dask: str, workers: int, actors: list[Path] | None, places: list[Path] | None,
                triggers: list[Path] | None = None, engine: str = "auto", model: Path | None = None) -> _DaskCoder:
    """Check --dask and the catalogs here (fail fast), then code on the cluster."""
    from rich.markup import escape

    from .actors import load_catalog
    from .distributed import require_dask

    if dask != "local" and not dask.startswith(("tcp://", "tls://")):
        raise typer.BadParameter(f"{dask!r}: use 'local' or a scheduler address such as tcp://10.0.0.5:8786",
                                 param_hint="--dask")
    try:
        require_dask()
    except AllegianceError as exc:  # the message names dask[distributed]: print it unmarked
        err.print(f"[red]error:[/red] {escape(str(exc))}")
        raise typer.Exit(1) from None
    load_catalog(tuple(str(a) for a in _with_config("actors", actors)))
    from .events.lexicon import load_lexicon

    load_lexicon(tuple(str(t) for t in _with_config("triggers", triggers)))
    return _DaskCoder(dask, workers, actors, places, triggers, engine, model)


class _null:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *a: object) -> None:
        return None


def _coding_failed(doc: Any, error: str | None, outcome: _Outcome, progress: Progress, task: Any) -> None:
    """Count and report a document whose coding failed."""
    from .sources import ReadProblem

    outcome.problem(ReadProblem(str(doc.origin or doc.id), f"coding failed ({error})"))
    progress.advance(task)


_UNCOUNTED = (".gz", ".bz2", ".zip", ".warc", ".wet", ".csv")  # how many documents: only reading tells


def _count_hint(paths: list[str]) -> int | None:
    """How many items (documents and problems) the inputs will give, for the progress bar; None when
    that is unknown without reading them: stdin, URLs, feeds, CSV, compressed files, archives."""
    from .sources import folder_files
    from .web_sources import is_feed_file

    total = 0
    for spec in paths:
        p = Path(spec)
        if spec == "-" or not p.exists():
            return None
        for f in folder_files(p) if p.is_dir() else [p]:
            name = f.name.lower()
            if name.endswith(_UNCOUNTED) or is_feed_file(f):
                return None
            if name.endswith(".jsonl"):
                try:
                    with f.open("rb") as fh:
                        total += sum(1 for line in fh if line.strip())
                except OSError:
                    return None
            else:
                total += 1  # one document, or one problem (an unsupported file is named once)
    return total


_INPUTS_HELP = ("Files or folders: .txt .html .htm .jsonl .csv, those compressed (.gz .bz2: news.jsonl.gz), "
                ".zip archives, web archives (.warc .warc.gz .wet); article URLs and RSS/Atom feeds "
                "(http(s)://..., or a local .rss/.atom/.xml feed); - for stdin.")


@app.command()
def code(
    inputs: Annotated[list[str], typer.Argument(help=_INPUTS_HELP)],
    output: Annotated[Optional[Path], typer.Option("-o", "--output", help="Write records here (default: stdout).")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="jsonl | csv | parquet (parquet needs -o).")] = "jsonl",
    actors: ActorsOpt = None,
    places: PlacesOpt = None,
    triggers: TriggersOpt = None,
    published: PublishedOpt = None,
    dask: DaskOpt = None,
    workers: WorkersOpt = 2,
    jobs: JobsOpt = None,
    engine: EngineOpt = "auto",
    model: ModelOpt = None,
    min_confidence: MinConfOpt = None,
    allow_private: AllowPrivateOpt = False,
    ignore_robots: IgnoreRobotsOpt = False,
    languages: LanguagesOpt = "en",
    report: ReportOpt = None,
) -> None:
    """Code documents into event records (CONTRACT §1): stateless, byte-identical across runs.

    Every input not coded is named on stderr, one line each:
    "skipped ORIGIN: reason" or "failed ORIGIN: reason"; the last line counts them.
    Exit code: 0 when every input was coded or deliberately skipped;
    1 when any failed (the rest are still coded); 2 for a usage error.

    Examples:
      allegiance code article.txt
      allegiance code page.html news.jsonl rows.csv -o events.jsonl
      allegiance code dump.jsonl.gz archive.zip crawl.warc.gz folder/
      cat story.txt | allegiance code - --format csv
      allegiance code corpus/ --report problems.jsonl   # inputs not coded
      allegiance code corpus/ --languages en,fr         # also French (poorly)
      allegiance code corpus/ --dask local --workers 4 -o events.jsonl
      allegiance code corpus/ --dask tcp://10.0.0.5:8786 -o events.jsonl
      allegiance code news.jsonl --min-confidence 0.7      # only records the model is sure of
      allegiance code news.jsonl --engine rules            # the rule coder alone
      allegiance code news.jsonl --jobs 1                  # one process (default: every core)
      allegiance code https://example.org/2024/05/story.html
      allegiance code https://example.org/world/rss.xml   # a feed's entries
    """
    from .export import FORMATS, write_csv, write_jsonl, write_parquet
    from .sources import ReadProblem

    published = _check_date(published)
    langs = _languages(languages)
    _check_output(output)
    _check_output(report, "--report")
    _check_files(actors, "--actors")
    _check_files(triggers, "--triggers")
    if fmt not in FORMATS:
        raise typer.BadParameter(f"--format must be one of {', '.join(FORMATS)}", param_hint="--format")
    if fmt == "parquet" and output is None:
        raise typer.BadParameter("parquet output needs -o FILE", param_hint="--format")
    _check_engine(engine, model, min_confidence)
    _use_places(places)
    try:
        coder = _local_coder(jobs, actors, places, triggers, engine, model) if dask is None else \
            _dask_coder(dask, workers, actors, places, triggers, engine, model)
    except AllegianceError as exc:
        _fail(exc)
    from .web_sources import WebClient

    outcome = _Outcome(report)
    records: list = []
    stream = None
    web = WebClient(allow_private=allow_private, respect_robots=not ignore_robots, notice=_notice)
    if fmt == "jsonl":
        stream = open(output, "w", encoding="utf-8") if output else sys.stdout
    try:
        total = _count_hint(inputs)
        with _progress(total) as progress:
            task = progress.add_task("coding", total=total, info="")

            def docs():
                for item in _dated(_first_of_each_id(_read_all(inputs, web, langs)), published):
                    if isinstance(item, ReadProblem):
                        outcome.problem(item)
                        progress.advance(task)
                        continue
                    yield item

            for doc_, recs, error in coder.code_many(docs()):
                if recs is None:
                    _coding_failed(doc_, error, outcome, progress, task)
                    continue
                outcome.coded += 1
                progress.update(task, advance=1)
                recs = _confident(recs, min_confidence)
                if stream is not None:
                    write_jsonl(recs, stream)
                else:
                    records.extend(recs)
        if fmt == "csv":
            if output:
                with open(output, "w", encoding="utf-8", newline="") as fh:
                    write_csv(records, fh)
            else:
                write_csv(records, sys.stdout)
        elif fmt == "parquet":
            write_parquet(records, output)
    finally:
        web.close()
        outcome.close()
        if stream is not None and stream is not sys.stdout:
            stream.close()
    err.print(outcome.summary())
    raise typer.Exit(outcome.exit_code())


@app.command()
def run(
    inputs: Annotated[Optional[list[str]], typer.Argument(
        help=_INPUTS_HELP.replace("; - for stdin.", "; default: the bundled example corpus."))] = None,
    store: StoreOpt = None,
    actors: ActorsOpt = None,
    places: PlacesOpt = None,
    triggers: TriggersOpt = None,
    published: PublishedOpt = None,
    top: Annotated[int, typer.Option(min=0, help="Rows in each summary table.")] = 10,
    dask: DaskOpt = None,
    workers: WorkersOpt = 2,
    jobs: JobsOpt = None,
    engine: EngineOpt = "auto",
    model: ModelOpt = None,
    min_confidence: MinConfOpt = None,
    allow_private: AllowPrivateOpt = False,
    ignore_robots: IgnoreRobotsOpt = False,
    languages: LanguagesOpt = "en",
    report: ReportOpt = None,
    batch: BatchOpt = 200,
    batch_seconds: BatchSecondsOpt = 2.0,
    sides_index: Annotated[bool, typer.Option(
        "--sides-index/--no-sides-index",
        help="After coding, store each theatre's sides so `allegiance sides` answers at once (minutes on "
             "millions of events; without it `sides` computes them from the events on every call).")] = True,
) -> None:
    """The main job: code documents into the DuckDB store and print a summary (CONTRACT §1b).

    Re-running the same input adds nothing twice; an interrupted run can simply be re-run.

    Inputs: .txt .html .htm .jsonl .csv, those compressed (.gz .bz2), .zip,
    web archives (.warc .warc.gz .wet), folders, article URLs, RSS/Atom feeds.
    Every input not coded is named on stderr, one line each:
    "skipped ORIGIN: reason" or "failed ORIGIN: reason".
    Exit code: 0 when every input was coded (or is unchanged in the store)
    or deliberately skipped; 1 when any failed (the rest are still stored,
    and a re-run codes only what changed); 2 for a usage error.

    With --dask the workers code and only this process writes the store; stored documents are not sent.
    The store file is held only while a batch is written (--batch documents or --batch-seconds,
    whichever first): `allegiance events`, `sides`, `stories` and `serve` can read it during a run.

    Examples:
      allegiance run
      allegiance run news.jsonl --store news.duckdb
      allegiance run dump.jsonl.gz archive.zip crawl.warc.gz folder/
      allegiance run corpus/ --report problems.jsonl    # inputs not coded
      allegiance run more/ --store big.duckdb --no-sides-index   # a big store: sides computed on demand
      allegiance run corpus/ --languages en,fr          # also French (poorly)
      allegiance run corpus/ --dask local --workers 4
      allegiance run corpus/ --dask tcp://10.0.0.5:8786 --store corpus.duckdb
      allegiance run https://example.org/world/rss.xml       # a feed: its entries' pages are fetched
      allegiance run --allow-private http://127.0.0.1:8080/feed.xml
    """
    from .sources import ReadProblem
    from .store import BatchWriter

    paths = list(inputs or [str(_bundled_corpus())])
    published = _check_date(published)
    langs = _languages(languages)
    _check_output(report, "--report")
    _check_store(store, must_exist=False)
    _check_files(actors, "--actors")
    _check_files(triggers, "--triggers")
    _check_engine(engine, model, min_confidence)
    _use_places(places)
    try:
        coder = _local_coder(jobs, actors, places, triggers, engine, model) if dask is None else \
            _dask_coder(dask, workers, actors, places, triggers, engine, model)
        db = BatchWriter(_store(store), max_docs=batch, max_seconds=batch_seconds, on_wait=_notice)
    except AllegianceError as exc:
        _fail(exc)
    outcome = _Outcome(report)
    added_events = 0
    # a document coded by another coder or model version (or another --min-confidence) is coded again
    version = coder.version + (f";min-confidence={min_confidence}" if min_confidence is not None else "")
    total = _count_hint(paths)
    from .web_sources import WebClient

    with WebClient(allow_private=allow_private, respect_robots=not ignore_robots, notice=_notice) as web, \
            _progress(total) as progress:
        task = progress.add_task("coding", total=total, info="")

        def fresh():
            for item in _dated(_first_of_each_id(_read_all(paths, web, langs)), published):
                if isinstance(item, ReadProblem):
                    outcome.problem(item)
                    progress.advance(task)
                elif db.is_current(item, version):
                    outcome.unchanged += 1
                    progress.advance(task)
                else:
                    yield item

        try:
            with db:  # the last batch is written also when coding stops on an error
                for doc, recs, error in coder.code_many(fresh()):
                    if recs is None:
                        _coding_failed(doc, error, outcome, progress, task)
                        continue
                    added_events += db.add(doc, _confident(recs, min_confidence), version)
                    outcome.coded += 1
                    progress.update(task, advance=1, info=f"{added_events} events")
        finally:
            outcome.close(already_in_store=outcome.unchanged)
    try:
        final = db.open()
    except AllegianceError as exc:
        _fail(exc)
    with final:
        n_docs, n_events = final.counts()
        try:
            with err.status("grouping story events across articles…"):
                n_stories = final.refresh_stories()  # story events across articles (`allegiance stories`)
            if sides_index:
                with err.status("storing each theatre's sides (--no-sides-index skips this)…"):
                    final.refresh_sides_index()  # each theatre's graph and sides, read by `allegiance sides`
        except AllegianceError as exc:
            _fail(exc)
        from rich.markup import escape

        err.print(f"{outcome.summary()}; store {escape(str(_store(store)))}: {n_docs} documents, {n_events} events, "
                  f"{n_stories} story events")
        _summary(final, top)
    raise typer.Exit(outcome.exit_code())


@app.command()
def watch(
    sources: Annotated[list[str], typer.Argument(help="RSS/Atom feeds, article URLs, folders or files to poll.")],
    every: Annotated[str, typer.Option("--every", help="Polling interval: 30s, 15m, 2h.")] = "15m",
    store: StoreOpt = None,
    actors: ActorsOpt = None,
    places: PlacesOpt = None,
    triggers: TriggersOpt = None,
    published: PublishedOpt = None,
    engine: EngineOpt = "auto",
    model: ModelOpt = None,
    min_confidence: MinConfOpt = None,
    allow_private: Annotated[bool, typer.Option(
        "--allow-private", help="Allow loopback and private network addresses (refused by default).")] = False,
    rounds: Annotated[Optional[int], typer.Option("--rounds", min=1, help="Stop after N polls (default: until Ctrl-C).")] = None,
    ignore_robots: IgnoreRobotsOpt = False,
    languages: LanguagesOpt = "en",
    batch: BatchOpt = 200,
    batch_seconds: BatchSecondsOpt = 2.0,
    sides_index: Annotated[bool, typer.Option(
        "--sides-index/--no-sides-index",
        help="After a round that stored documents, store the story events and each theatre's sides again, "
             "as `run` does (without it readers compute them from the events until the next `run`).")] = True,
) -> None:
    """Poll feeds, URLs and folders and code what is new into the store, until Ctrl-C.

    Each round fetches the sources, codes only documents the store does not have (same id and
    text, same coder version), writes them and releases the store file, so `allegiance events`,
    `sides` and `serve` can read it between rounds. After a round that stored documents, the story
    events and the sides index are refreshed (as `run` does after coding), so `stories` and `sides`
    keep answering from stored tables. A source that is down is reported and polled again next round.

    Examples:
      allegiance watch https://example.org/world/rss.xml --every 15m
      allegiance watch https://example.org/rss.xml inbox/ --every 1h --store news.duckdb
      allegiance watch http://127.0.0.1:8080/feed.xml --allow-private --every 30s --rounds 3
    """
    from rich.markup import escape

    from .store import BatchWriter
    from .web_sources import WebClient, parse_interval, watch as poll

    try:
        every_s = parse_interval(every)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--every") from None
    published = _check_date(published)
    langs = _languages(languages)
    _check_store(store, must_exist=False)
    _check_files(actors, "--actors")
    _check_files(triggers, "--triggers")
    _check_engine(engine, model, min_confidence)
    _use_places(places)
    try:
        coder = _coder(actors, triggers, engine, model)
        # the store is created before the first poll; then held only while a batch is written
        db = BatchWriter(_store(store), max_docs=batch, max_seconds=batch_seconds, on_wait=_notice)
    except AllegianceError as exc:
        _fail(exc)
    version = coder.version + (f";min-confidence={min_confidence}" if min_confidence is not None else "")

    def code_and_store(docs: list) -> None:
        docs = list(_dated(docs, published))
        todo = [d for d in docs if not db.is_current(d, version)]
        added = events = 0
        with db:  # written in batches while coding; the rest when the round ends
            for doc, recs, error in coder.code_many(todo):
                if recs is None:
                    err.print(f"[red]failed[/red] {escape(str(doc.origin or doc.id))}: coding failed "
                              f"({escape(' '.join(str(error).split()))})")
                    continue
                events += db.add(doc, _confident(recs, min_confidence), version)
                added += 1
        if added:
            err.print(f"{added} new document(s), {events} event(s) stored")
            _refresh_indexes(db, sides_index)

    def stored(doc_id: str) -> bool:
        return db.is_stored(doc_id)

    with WebClient(allow_private=allow_private, respect_robots=not ignore_robots, notice=_notice) as web:
        stats = poll(sources, every_s, code_and_store, client=web, max_rounds=rounds, is_stored=stored,
                     report=lambda m: err.print(escape(" ".join(m.split()))), languages=langs)
    err.print(f"watch stopped after {stats.rounds} round(s): {stats.submitted} document(s) submitted, "
              f"{stats.problems} problem(s)" + (" (interrupted)" if stats.interrupted else ""))


def _refresh_indexes(db: Any, sides_index: bool) -> None:
    """Store the story events and (with ``sides_index``) each theatre's sides again after a watch
    round; a failure (a reader holding the file too long) is reported, never fatal: readers compute
    them from the events until the next round that stores documents."""
    try:
        with db.open() as final, err.status("grouping story events and storing sides…"):
            n_stories = final.refresh_stories()
            if sides_index:
                final.refresh_sides_index()
    except AllegianceError as exc:
        err.print(f"[yellow]note[/yellow] story events and sides not refreshed this round ({exc}); "
                  "readers compute them from the events meanwhile")
        return
    err.print(f"{n_stories} story events" + ("; sides stored" if sides_index else ""))


def _notice(message: str) -> None:
    """A notice from the web client (a robots.txt that could not be read), on one line."""
    from rich.markup import escape

    err.print(f"[yellow]note[/yellow] {escape(' '.join(message.split()))}")


def _read_all(inputs: list[str], web: Any = None, languages: tuple[str, ...] | None = ("en",)):
    """Documents and problems of every input: article URLs and RSS/Atom feeds (http/https, or a
    local .rss/.atom/.xml feed file) through `web_sources`, everything else through `sources`;
    documents confidently not in ``languages`` (None: any) become skipped problems."""
    from .sources import read_inputs
    from .web_sources import is_feed_file, looks_like_url, read_feed, read_url

    plain: list[str] = []
    for spec in inputs:
        if looks_like_url(spec) or (spec != "-" and Path(spec).is_file() and is_feed_file(spec)):
            if plain:
                yield from read_inputs(plain, languages=languages)
                plain = []
            yield from (read_url(spec, client=web, languages=languages) if looks_like_url(spec)
                        else read_feed(spec, client=web, languages=languages))
        else:
            plain.append(spec)
    if plain:
        yield from read_inputs(plain, languages=languages)


def _summary(db: Any, top: int) -> None:
    rows = db.query("SELECT event_type, count(*) FROM events GROUP BY 1 ORDER BY 2 DESC, 1")
    t = Table(title="Events by PLOVER type")
    t.add_column("type")
    t.add_column("events", justify="right")
    for etype, n in rows:
        t.add_row(etype, str(n))
    out.print(t)
    label = "coalesce(source_name, source_country || ' ' || coalesce(source_sector, ''))"
    tlabel = "coalesce(target_name, target_country || ' ' || coalesce(target_sector, ''))"
    rows = db.query(f"SELECT {label} s, {tlabel} t, count(*) n, round(sum(goldstein), 1) FROM events "
                    "WHERE source_country IS NOT NULL AND target_country IS NOT NULL "
                    "GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2 LIMIT ?", [top])
    t = Table(title="Top dyads")
    for c in ("source", "target", "events", "Σ Goldstein"):
        t.add_column(c, justify="right" if c in ("events", "Σ Goldstein") else "left")
    for s, tg, n, g in rows:
        t.add_row(s, tg, str(n), str(g))
    out.print(t)
    from .analysis.graph import actor_key

    pairs: dict[tuple[str, str], list[float]] = {}
    labels: dict[str, str] = {}
    for rec in db.records("NOT modality_negated AND NOT modality_hypothetical"):
        a, b = actor_key(rec["source"]), actor_key(rec["target"])
        if a is None or b is None or a.key == b.key or not isinstance(rec.get("goldstein"), (int, float)):
            continue
        labels[a.key], labels[b.key] = a.label, b.label  # "Syria rebels" stays apart from Syria
        acc = pairs.setdefault(tuple(sorted((a.key, b.key))), [0.0, 0])
        acc[0] += rec["goldstein"]
        acc[1] += 1
    ranked = sorted(pairs.items(), key=lambda kv: (-abs(kv[1][0]), labels[kv[0][0]], labels[kv[0][1]]))[:top]
    t = Table(title="First ally/enemy table (actor pairs; Σ Goldstein of factual events, both directions)")
    for c in ("actor A", "actor B", "Σ Goldstein", "events", "reading"):
        t.add_column(c)
    for (x, y), (g, n) in ranked:
        reading = "[green]ally[/green]" if g > 0 else "[red]enemy[/red]" if g < 0 else "neutral"
        t.add_row(labels[x], labels[y], str(round(g, 1)), str(n), reading)
    out.print(t)
    out.print("More: [bold]allegiance events[/bold], [bold]allegiance sides[/bold]")


EVENT_FORMATS = ("table", "jsonl", "csv", "gdelt", "polecat", "parquet")


@app.command()
def events(
    store: StoreOpt = None,
    actor: Annotated[Optional[str], typer.Option(help="Actor name or ISO code (source or target), e.g. RUS or Hezbollah.")] = None,
    event_type: Annotated[Optional[str], typer.Option("--type", "-t", help="PLOVER type, e.g. ASSAULT.")] = None,
    since: Annotated[Optional[str], typer.Option(help="Earliest event date YYYY-MM-DD.")] = None,
    until: Annotated[Optional[str], typer.Option(help="Latest event date YYYY-MM-DD.")] = None,
    factual: Annotated[bool, typer.Option(help="Only events not negated or hypothetical.")] = False,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table | jsonl | csv | gdelt | polecat | parquet "
                                                            "(docs/exports.md describes every column).")] = "table",
    limit: Annotated[int, typer.Option(help="At most this many rows (0: all).")] = 50,
    output: Annotated[Optional[Path], typer.Option(
        "-o", "--output", help="Write here instead of stdout; needed for parquet. With gdelt or polecat, a "
                               "FILE.parquet gets Parquet in that shape.")] = None,
    partition: Annotated[bool, typer.Option(
        "--partition", help="Parquet only: -o is a folder of month=YYYY-MM partitions (by event date), "
                            "for large stores.")] = False,
) -> None:
    """Query the store: filter events by actor, type and date; export them.

    gdelt is the GDELT 2.0 event table (its 61 columns, CAMEO actor codes, one row per record;
    NumMentions/NumSources/NumArticles are those of the record's story event: for one row per
    story use `allegiance stories --format gdelt`); polecat is POLECAT's layout; parquet the
    CONTRACT columns.

    Examples:
      allegiance events --type ASSAULT --since 2015-10-01
      allegiance events --actor RUS --format jsonl --limit 0
      allegiance events --format gdelt --limit 0 -o events.tsv
      allegiance events --format polecat --limit 0 -o events.parquet
      allegiance events --format parquet --partition --limit 0 -o events/
    """
    from rich.markup import escape

    from .export import write_csv, write_gdelt, write_jsonl, write_parquet, write_polecat
    from .store import Store, event_filter

    since, until = _check_date(since, "--since"), _check_date(until, "--until")
    if fmt not in EVENT_FORMATS:
        raise typer.BadParameter(f"{fmt!r}: use {', '.join(EVENT_FORMATS[:-1])} or parquet", param_hint="--format")
    if limit < 0:
        raise typer.BadParameter("must be 0 (all) or more", param_hint="--limit")
    to_parquet = fmt == "parquet" or (fmt in ("gdelt", "polecat") and output is not None
                                      and (output.suffix.lower() == ".parquet" or partition))
    if fmt == "parquet" and output is None:
        raise typer.BadParameter("parquet needs -o FILE.parquet (or -o FOLDER with --partition)", param_hint="--format")
    if partition and not to_parquet:
        raise typer.BadParameter("--partition writes Parquet: use --format parquet, gdelt or polecat with -o",
                                 param_hint="--partition")
    _check_output(output, folder=partition)
    _check_store(store, must_exist=True)
    try:
        where, params = event_filter(actor, event_type, since, until, factual)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--type") from None
    try:
        db = Store(_store(store), read_only=True, on_wait=_notice)
    except AllegianceError as exc:
        _fail(exc)
    recs = list(db.records(where, params, limit=limit or None))
    total = None
    if limit and len(recs) == limit:
        total = db.query("SELECT count(*) FROM events" + (f" WHERE {where}" if where else ""), params)[0][0]
    by_event = None
    if fmt in ("gdelt", "polecat"):
        from .analysis.stories import load_stories, stories_by_event

        by_event = stories_by_event(load_stories(db.con)[1])
    db.close()
    if fmt == "table":
        t = Table(show_lines=False)
        for c in ("date", "type", "mode", "source", "target", "certainty", "according to", "evidence"):
            t.add_column(c, overflow="fold")
        for r in recs:
            a = lambda x: (x["name"] or f"{x['country']} {x['sector']}") if x else "—"  # noqa: E731
            mods = [k for k, v in r["modality"].items() if v]
            t.add_row(*map(escape, (  # document text and names may hold brackets: never markup
                r["date"] or "", r["event_type"] + (f" ({','.join(mods)})" if mods else ""), r["mode"] or "",
                a(r["source"]), a(r["target"]), f"{r['certainty']:.2f}",
                r["attribution"]["speaker"] or "", r["evidence"]["text"][:160])))
        out.print(t)
        err.print(f"{len(recs)} event(s)")
        return
    if to_parquet:
        from .export import gdelt_rows, polecat_rows, write_shaped

        if fmt == "parquet":
            write_parquet(recs, output, partition=partition)
        else:
            rows = gdelt_rows(recs, by_event) if fmt == "gdelt" else polecat_rows(recs, by_event)
            write_shaped(fmt, rows, output, partition=partition)
        err.print(f"wrote {len(recs)} event(s) to {output}")
    else:
        stream = output.open("w", encoding="utf-8", newline="") if output else sys.stdout
        try:
            {"jsonl": lambda: write_jsonl(recs, stream), "csv": lambda: write_csv(recs, stream),
             "gdelt": lambda: write_gdelt(recs, stream, by_event),
             "polecat": lambda: write_polecat(recs, stream, by_event)}[fmt]()
        finally:
            if output:
                stream.close()
    if total is not None and total > len(recs):
        err.print(f"[yellow]{len(recs)} of {total} event(s) written[/yellow]: --limit 0 writes all")


StoryFmtOpt = Annotated[str, typer.Option("--format", "-f", help="table | jsonl | csv | gdelt (one GDELT row per story).")]


@app.command()
def stories(
    store: StoreOpt = None,
    since: Annotated[Optional[str], typer.Option(help="Earliest story date YYYY-MM-DD.")] = None,
    until: Annotated[Optional[str], typer.Option(help="Latest story date YYYY-MM-DD.")] = None,
    event_type: Annotated[Optional[str], typer.Option("--type", "-t", help="PLOVER type, e.g. ASSAULT.")] = None,
    actor: Annotated[Optional[str], typer.Option(
        help="Actor name or ISO code, as for `events`: stories with a record naming it.")] = None,
    window: Annotated[str, typer.Option(
        "--window", metavar="DAYS", help="Most days between the dates of two records of one story (0-30).")] = "2",
    fmt: StoryFmtOpt = "table",
    limit: Annotated[int, typer.Option(help="At most this many stories (0: all).")] = 50,
    output: Annotated[Optional[Path], typer.Option("-o", "--output", help="Write here instead of stdout.")] = None,
) -> None:
    """Story events: the records that report the same real-world event, across articles, as one.

    Same PLOVER type, compatible source and target (country and sector; a missing side fits; mirrored
    pairs for symmetric events), same place, dates at most --window days apart; counts as GDELT's:
    num_mentions (sentences), num_articles (documents), num_sources (publishers). `allegiance run`
    stores them; another --window is computed on the fly. README, "Story events", has the rule.

    Examples:
      allegiance stories
      allegiance stories --type ASSAULT --since 2015-10-01 --format jsonl --limit 0
      allegiance stories --actor RUS --window 3
      allegiance stories --format gdelt --limit 0 -o stories.tsv
    """
    import csv as csv_mod
    import json

    from rich.markup import escape

    from .analysis.stories import MAX_WINDOW_DAYS, STORY_CSV_COLUMNS, load_stories, story_csv_row
    from .export import write_story_gdelt
    from .store import Store, event_filter

    since, until = _check_date(since, "--since"), _check_date(until, "--until")
    try:
        days = int(window.strip().lower().removesuffix("d"))
    except ValueError:
        days = -1
    if not 0 <= days <= MAX_WINDOW_DAYS:
        raise typer.BadParameter(f"{window!r}: a whole number of days from 0 to {MAX_WINDOW_DAYS}", param_hint="--window")
    if fmt not in ("table", "jsonl", "csv", "gdelt"):
        raise typer.BadParameter(f"{fmt!r}: use table, jsonl, csv or gdelt", param_hint="--format")
    if limit < 0:
        raise typer.BadParameter("must be 0 (all) or more", param_hint="--limit")
    _check_output(output)
    _check_store(store, must_exist=True)
    try:
        event_filter(event_type=event_type)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--type") from None
    try:
        db = Store(_store(store), read_only=True, on_wait=_notice)
        total, found = load_stories(db.con, days, since=since, until=until, event_type=event_type, actor=actor,
                                    limit=limit or None)
    except AllegianceError as exc:
        _fail(exc)
    db.close()
    if fmt == "table":
        t = Table(show_lines=False)
        for c in ("date", "type", "source", "target", "place", "mentions", "articles", "sources", "evidence"):
            t.add_column(c, overflow="fold", justify="right" if c in ("mentions", "articles", "sources") else "left")
        a = lambda x: (x["name"] or f"{x['country']} {x['sector'] or ''}".strip()) if x else "—"  # noqa: E731
        for s in found:
            t.add_row(*map(escape, (  # document text and names may hold brackets: never markup
                s["date"] or "", s["event_type"], a(s["source"]), a(s["target"]),
                (s["location"] or {}).get("name") or "", str(s["num_mentions"]), str(s["num_articles"]),
                str(s["num_sources"]), (s["evidence"] or "")[:120])))
        out.print(t)
        err.print(f"{len(found)} of {total} story event(s) (window {days} days)")
        return
    stream = output.open("w", encoding="utf-8", newline="") if output else sys.stdout
    try:
        if fmt == "jsonl":
            for s in found:
                stream.write(json.dumps(s, ensure_ascii=False) + "\n")
        elif fmt == "csv":
            writer = csv_mod.DictWriter(stream, fieldnames=list(STORY_CSV_COLUMNS), lineterminator="\n")
            writer.writeheader()
            for s in found:
                writer.writerow({k: ("" if v is None else v) for k, v in story_csv_row(s).items()})
        else:
            write_story_gdelt(found, stream)
    finally:
        if output:
            stream.close()
    if total > len(found):
        err.print(f"[yellow]{len(found)} of {total} story event(s) written[/yellow]: --limit 0 writes all")


@app.command()
def explain(
    inputs: Annotated[list[str], typer.Argument(help="A file, or - for stdin (first document is explained).")],
    actors: ActorsOpt = None,
) -> None:
    """Show, per sentence, the actor and trigger rules behind each coded event."""
    from rich.markup import escape as x  # document text may hold brackets

    from .sources import ReadProblem, read_inputs

    for spec in inputs:
        if spec != "-" and not Path(spec).exists():
            raise typer.BadParameter(f"{spec}: no such file or folder", param_hint="INPUTS")
    _check_files(actors, "--actors")
    coder = _coder(actors)
    for item in read_inputs(inputs):
        if isinstance(item, ReadProblem):
            from rich.markup import escape

            label = "[yellow]skipped[/yellow]" if item.skipped else "[red]failed[/red]"
            err.print(f"{label} {escape(' '.join(str(item).split()))}")
            continue
        out.print(f"[bold]{x(item.id)}[/bold] (published {item.published or 'unknown'})")
        for s in coder.explain(item):
            if not s["events"] and not s["actors"]:
                continue
            out.print(f"\n[bold]#{s['sentence']}[/bold] {x(s['text'])}")
            for a in s["actors"]:
                out.print(x(f"   actor  {a['text']!r} → {a['name']} {a['country']} {a['sector']}  ")
                          + f"[dim]{x(str(a['rule']))}[/dim]")
            for e in s["events"]:
                out.print(f"   [green]event[/green] " + x(f"{e['type']}/{e['mode']} trigger {e['trigger']!r}: "
                          f"{e['source']} → {e['target']}  ")
                          + f"[dim]{x(str(e['rule']))}; {x(str(e['source_rule']))}; {x(str(e['target_rule']))}[/dim]")


@actors_app.command("lookup")
def actors_lookup(
    text: Annotated[str, typer.Argument(help="A phrase, e.g. 'Iranian troops' or 'the president'.")],
    date: Annotated[Optional[str], typer.Option(help="Resolve as of this date (YYYY-MM-DD).")] = None,
    actors: ActorsOpt = None,
) -> None:
    """Show how a phrase resolves (country, sector, name) and by which rule."""
    from rich.markup import escape

    from .actors import ActorFinder, load_catalog
    from .nlp import load_nlp

    date = _check_date(date, "--date")
    _check_files(actors, "--actors")
    files = tuple(str(a) for a in _with_config("actors", actors))
    cat = load_catalog(files)
    nlp = load_nlp(files)
    doc = nlp(text)
    m = ActorFinder(doc, cat, date).phrase()
    if m is not None:
        why = escape(f"(rule {m.rule}, as of {date or 'today'})")
        out.print(escape(f"{m.text!r} → name={m.name} country={m.country} sector={m.sector} id={m.id} ")
                  + f"[dim]{why}[/dim]")
        return
    out.print(escape(f"{text!r}: no actor recognised"))
    raise typer.Exit(1)


@actors_app.command("validate")
def actors_validate(files: Annotated[list[Path], typer.Argument(help="Catalog YAML files.")]) -> None:
    """Check catalog files against the schema; name each entry at fault."""
    from rich.markup import escape

    from .actors import validate

    _check_files(files, "FILES")
    bad = 0
    for f in files:
        for msg in validate(f):
            err.print(f"[red]{escape(str(msg))}[/red]")
            bad += 1
    if bad:
        raise typer.Exit(1)
    err.print(f"{len(files)} file(s) valid")


@app.command()
def places(
    text: Annotated[str, typer.Argument(help="Text to geoparse.")],
) -> None:
    """Show the places recognised in a text and why each candidate won."""
    from rich.markup import escape

    from .nlp import load_nlp
    from .places import find_places

    doc = load_nlp()(text)
    found = find_places(doc)
    if not found:
        out.print("no places recognised")
        return
    for span, place, reason in found:
        if place is None:
            out.print(escape(f"{span.text!r}: unresolved ({reason})"))
        else:
            out.print(escape(f"{span.text!r} → {place.name}, {place.admin1 or '-'}, {place.country} "
                             f"({place.lat}, {place.lon}) precision={place.precision}  ") + f"[dim]{escape(reason)}[/dim]")


def _window_days(window: str | None) -> int | None:
    if window is None:
        return None
    w = window.strip().lower()
    try:
        days = 7 * int(w[:-1]) if w.endswith("w") else int(w.removesuffix("d"))
    except ValueError:
        days = 0
    if days <= 0:
        raise typer.BadParameter(f"{window!r}: use a number of days above 0 such as 30d or 4w",
                                 param_hint="--window")
    return days


def _theatre_table(theatres: list[dict], shown: list[str | None], limit: int = 12) -> Any:
    from rich.table import Table

    table = Table(title="Theatres (the arena of each event: its place, else a non-great-power party's "
                  "country, else the document's place)")
    for col in ("theatre", "code", "events", "first", "last", "shown"):
        table.add_column(col, no_wrap=True, justify="right" if col == "events" else "left")
    for t in theatres[:limit]:
        table.add_row(t["name"], t["code"] or "-", f"{t['events']:,}", t["first"] or "-", t["last"] or "-",
                      "yes" if t["code"] in shown else "")
    if len(theatres) > limit:
        table.caption = f"{len(theatres) - limit} more (allegiance sides --format json lists them all)"
    return table


def _changes_table(timeline: dict) -> Any:
    """Who joined, left or switched sides from one --window to the next."""
    from rich.markup import escape
    from rich.table import Table

    table = Table(title=f"Sides over time (windows of {timeline.get('window_days')} days): who joined and who switched")
    for col in ("window ending", "change", "actor / side"):
        table.add_column(col)
    for c in timeline.get("changes", []):
        if c["kind"] == "moved":
            what, who = f"switched from side {c['from']} to side {c['to']}", c["actor"]
        elif c["kind"] == "joined":
            what, who = f"joined side {c['to']}", c["actor"]
        else:
            what, who = f"new side {c['side']}", ", ".join(c.get("members", []))
        table.add_row(c["date"] or "-", what, escape(who))
    if not timeline.get("changes"):
        table.caption = "no actor changed side"
    return table


@app.command()
def sides(
    store: StoreOpt = None,
    since: Annotated[Optional[str], typer.Option(help="Only events on or after YYYY-MM-DD.")] = None,
    until: Annotated[Optional[str], typer.Option(help="Only events on or before YYYY-MM-DD.")] = None,
    theatre: Annotated[Optional[str], typer.Option(help="One theatre, by country name or ISO3 code (see the list).")] = None,
    all_events: Annotated[bool, typer.Option("--all", help="Every event together, all theatres in one graph.")] = False,
    top: Annotated[int, typer.Option(help="Without --theatre/--all: the sides of the N largest theatres (table).")] = 3,
    min_events: Annotated[Optional[int], typer.Option(help="Hide actors with fewer events than this in the scope "
                                                      "(they still count for the sides). Default 2; with --all 1.")] = None,
    show_generic: Annotated[Optional[bool], typer.Option("--show-generic/--hide-generic", help="Show or hide unnamed "
                            "and generic actors ('United States rebels', 'Minister'). Default: hidden; with --all shown.")] = None,
    level: Annotated[str, typer.Option(help="Actor granularity: country | sector | entity.")] = "entity",
    fmt: Annotated[str, typer.Option("--format", "-f", help="table | json | csv | graphml")] = "table",
    output: Annotated[Optional[Path], typer.Option("-o", "--output", help="File for graphml (and csv/json, else stdout).")] = None,
    half_life: Annotated[Optional[float], typer.Option("--half-life", help="Decay old events with this half-life in days.")] = None,
    window: Annotated[Optional[str], typer.Option(help="Sliding window (e.g. 30d): stance time series, flips and re-formed sides.")] = None,
    plot: Annotated[Optional[Path], typer.Option(help="Draw the signed network to FILE.png|svg (with --window: also FILE-stances.png).")] = None,
) -> None:
    """Who is allied with and fighting whom: sides, stances and the evidence behind them, per theatre.

    Each event belongs to a theatre (its place's country, else that of a party that is not a great
    power, else the document's place). By default sides are computed per theatre: the table lists
    the theatres and shows the sides of the largest (--top N); json, csv and graphml give the
    largest theatre (or --theatre X, or --all for every event in one graph). Actors with fewer than
    --min-events events and generic actors are hidden unless asked for (the sides are computed
    with them).
    Sides come from signed-graph partitioning (minimum frustration; not forced into two blocs);
    each stance lists the event ids behind it; inferred stances are marked direct=false.

    Examples:
      allegiance sides
      allegiance sides --theatre Syria --since 2015-09-01 --until 2015-10-31
      allegiance sides --theatre UKR --format json
      allegiance sides --all                     # every event in one graph, every actor shown
      allegiance sides --theatre Syria --window 30d --plot sides.png
    """
    import json

    from .analysis import report_from_graph
    from .analysis.export import rich_tables, write_csv, write_graphml
    from .analysis.graph import hide_actors
    from .analysis.sqlgraph import _window, build_graph_sql, has_events, records_by_id, timeline_report_sql
    from .analysis.theatres import list_theatres_sql, resolve_theatre
    from .store import Store

    since, until = _check_date(since, "--since"), _check_date(until, "--until")
    if level not in ("country", "sector", "entity"):
        raise typer.BadParameter("--level must be country, sector or entity", param_hint="--level")
    if fmt not in ("table", "json", "csv", "graphml"):
        raise typer.BadParameter("--format must be table, json, csv or graphml", param_hint="--format")
    if fmt == "graphml" and output is None:
        raise typer.BadParameter("graphml needs -o FILE", param_hint="--format")
    if half_life is not None and not half_life > 0:  # also NaN
        raise typer.BadParameter(f"{half_life}: a number of days above 0", param_hint="--half-life")
    if theatre is not None and all_events:
        raise typer.BadParameter("--theatre and --all exclude each other", param_hint="--theatre")
    if top < 1:
        raise typer.BadParameter(f"{top}: a number of theatres of 1 or more", param_hint="--top")
    if min_events is not None and min_events < 1:
        raise typer.BadParameter(f"{min_events}: a number of events of 1 or more", param_hint="--min-events")
    # --all is the earlier whole-store view, unchanged unless a filter is asked for
    min_events = min_events if min_events is not None else (1 if all_events else 2)
    show_generic = show_generic if show_generic is not None else all_events
    days = _window_days(window)
    _check_output(output)
    if plot is not None:
        _check_output(plot, "--plot")
        if plot.suffix.lower() not in (".png", ".svg", ".pdf"):
            raise typer.BadParameter(f"{plot}: name a .png, .svg or .pdf file", param_hint="--plot")
    _check_store(store, must_exist=True)

    def opened() -> Store:
        try:
            return Store(_store(store), read_only=True, on_wait=_notice)
        except AllegianceError as exc:
            _fail(exc)

    # the graph is aggregated in DuckDB (pair weights and evidence; `analysis.sqlgraph`) and the
    # store released before the partition runs
    with opened() as db:
        if not has_events(db.con):
            err.print("the store has no events: run `allegiance run` first")
            raise typer.Exit(1)
        theatres = list_theatres_sql(db.con, *_window(since, until))
        named = [t for t in theatres if t["code"]]
        if all_events:
            scopes: list[str | None] = [None]
        elif theatre is not None:
            code = resolve_theatre(theatre, named)
            if code is None:
                known = ", ".join(f"{t['name']} ({t['code']})" for t in named[:15]) or "none"
                raise typer.BadParameter(f"{theatre!r} is no theatre of this store{' in this window' if since or until else ''}; "
                                         f"theatres by events: {known}", param_hint="--theatre")
            scopes = [code]
        elif named:
            scopes = [t["code"] for t in named[: top if fmt == "table" else 1]]
        else:  # every event unplaced: one graph of everything
            scopes = [None]
        results = []
        for code in scopes:
            graph = build_graph_sql(db.con, level=level, since=since, until=until, half_life_days=half_life,
                                    theatre=code)
            timeline = timeline_report_sql(db.con, level=level, window_days=days, since=since, until=until,
                                           half_life_days=half_life or days, theatre=code) if days else None
            results.append((code, graph, timeline))
    by_code = {t["code"]: t for t in named}
    reports = []
    for code, graph, timeline in results:
        # sides are computed with every actor; thin and generic ones are then hidden (hiding shows
        # less, it moves no one)
        report = hide_actors(report_from_graph(graph), graph, min_events=min_events, show_generic=show_generic)
        report["theatre"] = by_code.get(code)  # extension: the theatre of this report (None: all events)
        reports.append((code, report, timeline))
    if fmt in ("json", "csv", "graphml"):
        code, report, _ = reports[0]
        report["theatres"] = theatres  # extension: every theatre of the scope
        if theatre is None and not all_events and code is not None:
            err.print(f"theatre {by_code[code]['name']} ({code}), the largest of {len(named)}; "
                      "--theatre NAME for another, --all for every event in one graph")
        if fmt == "json":
            text = json.dumps(report, ensure_ascii=False, indent=1)
            if output:
                output.write_text(text + "\n", encoding="utf-8")
            else:
                sys.stdout.write(text + "\n")
        elif fmt == "csv":
            write_csv(report, output if output else sys.stdout)
        else:
            write_graphml(report, output)
    else:
        out.print(_theatre_table(theatres, scopes))
        for code, report, timeline in reports:
            t = by_code.get(code)
            out.rule(f"{t['name']} ({code}): {t['events']:,} events, {t['first']} to {t['last']}" if t
                     else "all theatres together")
            with opened() as db:  # the evidence records shown, fetched together by event id
                wanted: list[str] = []
                rich_tables(report, lookup=lambda event_id: wanted.append(event_id))  # which ones it shows
                found: dict[str, Any] = {r["event_id"]: r for r in records_by_id(db.con, wanted)}

                def lookup(event_id: str) -> Any:
                    if event_id not in found:
                        found[event_id] = next(iter(records_by_id(db.con, [event_id])), None)
                    return found[event_id]

                tables = rich_tables(report, lookup=lookup)
            for table in tables:
                out.print(table)
            if timeline is not None:
                out.print(_changes_table(timeline))
                for flip in timeline.get("flips", [])[:20]:
                    out.print(f"stance change {flip}")
        hidden = "" if show_generic else " and generic actors"
        err.print(f"actors with fewer than {min_events} events{hidden} are not shown "
                  f"(--min-events 1{'' if show_generic else ' --show-generic'}); --all: every theatre in one graph")
    if plot is not None:
        from .analysis.plot import plot_network, plot_stances

        _, report, timeline = reports[0]
        plot_network(report, plot)
        written = [str(plot)]
        if timeline is not None:
            extra = plot.with_name(plot.stem + "-stances" + plot.suffix)
            plot_stances(timeline.get("series", []), extra, flips=timeline.get("flips", []))
            written.append(str(extra))
        err.print("wrote " + ", ".join(written))


@app.command()
def serve(
    store: StoreOpt = None,
    host: Annotated[str, typer.Option(help="Interface to listen on (0.0.0.0: every interface).")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="TCP port.")] = 8000,
) -> None:
    """HTTP API and web UI over the store: events, documents, sides, and coding of posted text.

    Web UI at http://HOST:PORT/, API docs at /docs.
    The store is opened read-only per request: `allegiance run` can add to it in between.
    Actor, place and trigger files come from the config file, as for `code`.

    Another --host than a loopback address (127.0.0.1, ::1, localhost) needs the key
    ALLEGIANCE_API_KEY, which POST /api/documents (storing documents) then requires.

    Examples:
      allegiance serve --store news.duckdb
      ALLEGIANCE_API_KEY=... allegiance serve --host 0.0.0.0 --port 8080
    """
    import uvicorn

    from .api import API_KEY_ENV, create_app

    _check_store(store, must_exist=False)
    key = os.environ.get(API_KEY_ENV) or None
    if not is_loopback(host) and key is None:
        err.print(f"[red]error:[/red] refusing to serve on {host}, an address other machines can reach, without "
                  f"an API key: set {API_KEY_ENV} (POST /api/documents then needs it), or serve on 127.0.0.1")
        raise typer.Exit(2)
    path = _store(store)
    _use_places(None)
    if not path.exists():
        err.print(f"[yellow]warning:[/yellow] {path} does not exist yet: the API answers 503 until "
                  f"`allegiance run --store {path}` creates it")
    application = create_app(path, actors=_with_config("actors", None), triggers=_with_config("triggers", None),
                             api_key=key or "")
    writes = f"writes enabled (POST /api/documents with the {API_KEY_ENV} key)" if key else "read-only"
    err.print(f"serving {path} at [bold]http://{host}:{port}/[/bold] ({writes}; API docs: /docs; Ctrl+C stops)")
    uvicorn.run(application, host=host, port=port, log_level="info")


def is_loopback(host: str) -> bool:
    """True for an address only this machine can reach: ``localhost`` or a loopback IP (127.0.0.0/8, ::1)."""
    import ipaddress

    if host.strip().lower() in ("localhost", "localhost."):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a host name: it may resolve to any interface


@app.command()
def version() -> None:
    """Print the version."""
    out.print(f"allegiance {__version__}")


def main() -> None:
    """The ``allegiance`` command. A usage error (a bad option value, exit 2) is printed as click's
    plain ``Error: Invalid value for '--since': ...``, one line whatever the terminal width (typer's
    rich panel wraps long messages at 80 columns), so it can be grepped."""
    from rich.markup import escape
    from typer._click.exceptions import ClickException, NoArgsIsHelpError  # typer vendors click

    try:
        code = app(standalone_mode=False)
    except NoArgsIsHelpError:
        sys.exit(2)  # the help was printed
    except ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except typer.Abort:
        err.print("Aborted!")
        sys.exit(1)
    except AllegianceError as exc:
        err.print(f"[red]error:[/red] {escape(str(exc))}")
        sys.exit(1)
    sys.exit(code if isinstance(code, int) else 0)


if __name__ == "__main__":
    main()
