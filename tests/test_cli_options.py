"""Every option of every command is checked before any work: a bad value is a usage error (exit 2)
whose one-line message names the option, never a Python traceback (issue 15).

The cases run the real entry point (`allegiance.cli.main`) in this process: each fails in its checks,
before a model, catalog or store is loaded. `test_every_option_has_a_bad_value_case` keeps the table
complete: a new command or option without a case here fails it.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from allegiance import cli

ROOT = Path(__file__).resolve().parents[1]

# (arguments, the option the message must name); files: file.txt (a file), adir (a folder),
# empty.duckdb (a store without events), missing.* (nothing)
CASES: list[tuple[str, str]] = [
    ("--config missing.toml version", "--config"),
    ("--config adir version", "--config"),
    # code
    ("code file.txt --published 2023-13-01", "--published"),
    ("code file.txt --published yesterday", "--published"),
    ("code file.txt --format xml", "--format"),
    ("code file.txt --format parquet", "--format"),  # parquet needs -o
    ("code file.txt -o adir", "--output"),
    ("code file.txt -o missing/dir/x.jsonl", "--output"),
    ("code file.txt --actors missing.yaml", "--actors"),
    ("code file.txt --actors adir", "--actors"),
    ("code file.txt --places missing.csv", "--places"),
    ("code file.txt --places adir", "--places"),
    ("code file.txt --triggers missing.yaml", "--triggers"),
    ("code file.txt --triggers adir", "--triggers"),
    ("code file.txt --jobs 0", "--jobs"),
    ("code file.txt --jobs -1", "--jobs"),
    ("code file.txt --dask local --workers 0", "--workers"),
    ("code file.txt --dask nowhere", "--dask"),
    ("code file.txt --engine nope", "--engine"),
    ("code file.txt --model missing", "--model"),
    ("code file.txt --model file.txt", "--model"),
    ("code file.txt --min-confidence 1.5", "--min-confidence"),
    ("code file.txt --min-confidence -0.1", "--min-confidence"),
    ("code file.txt --min-confidence abc", "--min-confidence"),
    ("code file.txt --engine rules --min-confidence 0.5", "--min-confidence"),
    ("code file.txt --languages xx", "--languages"),
    ("code file.txt --languages ,", "--languages"),
    ("code file.txt --report adir", "--report"),
    ("code file.txt --report missing/dir/r.jsonl", "--report"),
    # run
    ("run file.txt --store adir", "--store"),
    ("run file.txt --store missing/dir/x.duckdb", "--store"),
    ("run file.txt --top -1", "--top"),
    ("run file.txt --published 2023-13-01", "--published"),
    ("run file.txt --actors missing.yaml", "--actors"),
    ("run file.txt --places adir", "--places"),
    ("run file.txt --triggers missing.yaml", "--triggers"),
    ("run file.txt --jobs 0", "--jobs"),
    ("run file.txt --dask local --workers -2", "--workers"),
    ("run file.txt --dask udp://x", "--dask"),
    ("run file.txt --engine nope", "--engine"),
    ("run file.txt --model adir", "--model"),
    ("run file.txt --min-confidence 2", "--min-confidence"),
    ("run file.txt --languages english", "--languages"),
    ("run file.txt --report adir", "--report"),
    ("run file.txt --batch 0", "--batch"),
    ("run file.txt --batch-seconds -1", "--batch-seconds"),
    # watch
    ("watch adir --rounds 1 --every abc", "--every"),
    ("watch adir --rounds 1 --every -5m", "--every"),
    ("watch adir --rounds 0", "--rounds"),
    ("watch adir --rounds 1 --batch 0", "--batch"),
    ("watch adir --rounds 1 --batch-seconds -1", "--batch-seconds"),
    ("watch adir --rounds 1 --store adir", "--store"),
    ("watch adir --rounds 1 --actors missing.yaml", "--actors"),
    ("watch adir --rounds 1 --places missing.csv", "--places"),
    ("watch adir --rounds 1 --triggers adir", "--triggers"),
    ("watch adir --rounds 1 --published yesterday", "--published"),
    ("watch adir --rounds 1 --engine nope", "--engine"),
    ("watch adir --rounds 1 --model missing", "--model"),
    ("watch adir --rounds 1 --min-confidence -1", "--min-confidence"),
    ("watch adir --rounds 1 --languages zz", "--languages"),
    # events
    ("events --store missing.duckdb", "--store"),
    ("events --store adir", "--store"),
    ("events --store empty.duckdb --since 2023-13-01", "--since"),
    ("events --store empty.duckdb --until yesterday", "--until"),
    ("events --store empty.duckdb --format xml", "--format"),
    ("events --store empty.duckdb --limit -1", "--limit"),
    ("events --store empty.duckdb --limit abc", "--limit"),
    ("events --store empty.duckdb --type NOPE", "--type"),
    ("events --store empty.duckdb --format jsonl -o adir", "--output"),
    ("events --store empty.duckdb --format jsonl -o missing/dir/x.jsonl", "--output"),
    ("events --store empty.duckdb --format parquet --partition -o file.txt", "--output"),
    ("events --store empty.duckdb --partition", "--partition"),
    # stories
    ("stories --store missing.duckdb", "--store"),
    ("stories --store empty.duckdb --since 2023-13-01", "--since"),
    ("stories --store empty.duckdb --until yesterday", "--until"),
    ("stories --store empty.duckdb --type NOPE", "--type"),
    ("stories --store empty.duckdb --window abc", "--window"),
    ("stories --store empty.duckdb --window -1", "--window"),
    ("stories --store empty.duckdb --window 31", "--window"),
    ("stories --store empty.duckdb --format xml", "--format"),
    ("stories --store empty.duckdb --limit -5", "--limit"),
    ("stories --store empty.duckdb --format jsonl -o missing/dir/x", "--output"),
    # sides
    ("sides --store missing.duckdb", "--store"),
    ("sides --store adir", "--store"),
    ("sides --store empty.duckdb --since 2023-13-01", "--since"),
    ("sides --store empty.duckdb --until yesterday", "--until"),
    ("sides --store empty.duckdb --level nope", "--level"),
    ("sides --store empty.duckdb --format xml", "--format"),
    ("sides --store empty.duckdb --format graphml", "--format"),  # graphml needs -o
    ("sides --store empty.duckdb --format json -o missing/dir/x.json", "--output"),
    ("sides --store empty.duckdb --half-life -3", "--half-life"),
    ("sides --store empty.duckdb --half-life 0", "--half-life"),
    ("sides --store empty.duckdb --half-life nan", "--half-life"),
    ("sides --store empty.duckdb --half-life abc", "--half-life"),
    ("sides --store empty.duckdb --window abc", "--window"),
    ("sides --store empty.duckdb --window -3d", "--window"),
    ("sides --store empty.duckdb --window 0", "--window"),
    ("sides --store empty.duckdb --plot x.txt", "--plot"),
    ("sides --store empty.duckdb --plot missing/dir/x.png", "--plot"),
    ("sides --store empty.duckdb --theatre Syria --all", "--theatre"),
    ("sides --store empty.duckdb --min-events 0", "--min-events"),
    ("sides --store empty.duckdb --top 0", "--top"),
    ("sides --store empty.duckdb --min-events two", "--min-events"),
    # explain, actors, serve
    ("explain missing.txt", "INPUTS"),
    ("explain file.txt --actors missing.yaml", "--actors"),
    ("actors lookup Putin --date yesterday", "--date"),
    ("actors lookup Putin --date 2023-13-01", "--date"),
    ("actors lookup Putin --actors adir", "--actors"),
    ("actors validate missing.yaml", "FILES"),
    ("actors validate adir", "FILES"),
    ("serve --port 0", "--port"),
    ("serve --port 70000", "--port"),
    ("serve --store adir", "--store"),
    ("serve --store missing/dir/x.duckdb", "--store"),
]
# options that take any text (a name, an address) or no value: nothing to get wrong up front
FREE = {"--actor", "--host", "--help", "--allow-private", "--factual", "--partition", "--ignore-robots"}
NO_OPTIONS = {"version", "places"}  # places takes only its TEXT argument


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    d = tmp_path_factory.mktemp("cli-options")
    (d / "file.txt").write_text("Police arrested protesters in Cairo.\n", encoding="utf-8")
    (d / "adir").mkdir()
    from allegiance.store import Store

    Store(d / "empty.duckdb").close()
    return d


def invoke(argv: list[str], workdir: Path, capsys, monkeypatch) -> tuple[int, str, str]:
    """Run ``allegiance ARGV`` through `cli.main` in ``workdir``; an uncaught exception fails the test."""
    import uvicorn

    def no_server(*a, **k):
        raise AssertionError("the server was started: the bad value was not caught up front")

    monkeypatch.setattr(uvicorn, "run", no_server)
    monkeypatch.chdir(workdir)
    monkeypatch.setattr(sys, "argv", ["allegiance", *argv])
    with pytest.raises(SystemExit) as exc:
        cli.main()
    captured = capsys.readouterr()
    code = exc.value.code
    return (code if isinstance(code, int) else 1 if code else 0), captured.out, captured.err


@pytest.mark.parametrize("args,option", CASES, ids=[c[0] for c in CASES])
def test_bad_value_is_a_usage_error_naming_the_option(args, option, workdir, capsys, monkeypatch):
    import shlex

    code, _, err = invoke(shlex.split(args), workdir, capsys, monkeypatch)
    assert code == 2, err
    assert "Traceback" not in err
    errors = [line for line in err.splitlines() if line.startswith("Error:")]
    assert len(errors) == 1 and option in errors[0], err


def _commands() -> dict[str, object]:
    from typer.main import get_command

    found: dict[str, object] = {}

    def walk(group, prefix: str) -> None:
        for name, cmd in group.commands.items():
            if hasattr(cmd, "commands"):
                walk(cmd, f"{prefix}{name} ")
            else:
                found[prefix + name] = cmd

    walk(get_command(cli.app), "")
    return found


def test_every_option_has_a_bad_value_case():
    covered: dict[str, set[str]] = {}
    for args, option in CASES:
        words = args.split()
        while words and words[0].startswith("--"):  # the app's own options (--config FILE)
            words = words[2:]
        name = " ".join(words[:2]) if words[0] == "actors" else words[0]
        covered.setdefault(name, set()).add(option)
    missing = []
    for name, cmd in _commands().items():
        for param in cmd.params:
            if param.param_type_name != "option" or getattr(param, "is_flag", False):
                continue
            longest = max(param.opts, key=len)
            if longest not in FREE and longest not in covered.get(name, set()):
                missing.append(f"{name} {longest}")
        if name not in NO_OPTIONS and name not in covered:
            missing.append(name)
    assert not missing, f"options without a bad-value case: {missing}"


def test_file_names_with_brackets_are_printed_not_parsed_as_markup(workdir, capsys, monkeypatch):
    """rich read "[/b]" in a file name as a closing tag and raised MarkupError (a traceback)."""
    code, _, err = invoke(["code", "a[/b].txt", "--jobs", "1"], workdir, capsys, monkeypatch)
    assert code == 1 and "a[/b].txt" in err and "no such file" in err
    code, _, err = invoke(["--config", "c[/x].toml", "version"], workdir, capsys, monkeypatch)
    assert code == 2 and "c[/x].toml" in err
    code, out, _ = invoke(["actors", "lookup", "[/x] Putin"], workdir, capsys, monkeypatch)
    assert code == 0 and "Vladimir Putin" in out


def test_messages_are_one_line_on_a_narrow_terminal(workdir):
    """The real command, 30 columns wide: the usage error and a run-time error each stay on one line."""
    env = {**os.environ, "COLUMNS": "30", "TERMINAL_WIDTH": "30",
           "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])}
    exe = [sys.executable, "-m", "allegiance.cli"]
    p = subprocess.run([*exe, "sides", "--store", "empty.duckdb", "--window", "a-very-long-bad-window"],
                       capture_output=True, text=True, cwd=workdir, env=env)
    assert p.returncode == 2 and "Traceback" not in p.stderr
    assert ("Error: Invalid value for --window: 'a-very-long-bad-window': use a number of days above 0 "
            "such as 30d or 4w") in p.stderr.splitlines()
    (workdir / "broken.toml").write_text("[allegiance\n", encoding="utf-8")
    p = subprocess.run([*exe, "--config", "broken.toml", "version"], capture_output=True, text=True,
                       cwd=workdir, env=env)
    assert p.returncode == 1 and "Traceback" not in p.stderr
    line = next(x for x in p.stderr.splitlines() if x.startswith("error:"))
    assert "broken.toml" in line and "not valid TOML" in line
