"""allegiance.toml: lookup order, relative paths, and errors that name the file and key."""
from __future__ import annotations

from pathlib import Path

import pytest

from allegiance.config import load_settings
from allegiance.errors import CatalogError


def _project(tmp_path: Path, body: str) -> Path:
    (tmp_path / "catalog").mkdir()
    (tmp_path / "catalog" / "mine.yaml").write_text("- name: Example Front\n  country: SYR\n  sector: REB\n",
                                                    encoding="utf-8")
    cfg = tmp_path / "allegiance.toml"
    cfg.write_text(body, encoding="utf-8")
    return cfg


def test_no_config_gives_empty_settings(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ALLEGIANCE_CONFIG", raising=False)
    s = load_settings()
    assert s.source is None and s.actors == () and s.store is None


def test_local_file_with_relative_paths(tmp_path, monkeypatch):
    _project(tmp_path, '[allegiance]\nactors = ["catalog/mine.yaml"]\nstore = "data/ev.duckdb"\n')
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("ALLEGIANCE_CONFIG", raising=False)
    s = load_settings()
    assert s.actors == (str(tmp_path / "catalog" / "mine.yaml"),)
    assert s.store == str(tmp_path / "data" / "ev.duckdb")


def test_env_variable_wins_over_local_file(tmp_path, monkeypatch):
    other = tmp_path / "other"
    other.mkdir()
    cfg = _project(other, 'actors = "catalog/mine.yaml"\n')
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ALLEGIANCE_CONFIG", str(cfg))
    assert load_settings().actors == (str(other / "catalog" / "mine.yaml"),)


@pytest.mark.parametrize(("body", "needle"), [
    ('[allegiance]\nactor = ["catalog/mine.yaml"]\n', "unknown setting"),
    ('[allegiance]\nactors = ["catalog/missing.yaml"]\n', "does not exist"),
    ('[allegiance]\nactors = 3\n', "list of file paths"),
    ('[allegiance\nactors = []\n', "not valid TOML"),
])
def test_bad_config_names_file(tmp_path, body, needle):
    cfg = _project(tmp_path, body)
    with pytest.raises(CatalogError) as info:
        load_settings(cfg)
    assert needle in str(info.value) and str(cfg) in str(info.value)


def test_explicit_missing_file(tmp_path):
    with pytest.raises(CatalogError, match="not found"):
        load_settings(tmp_path / "nope.toml")
