"""Settings: CLI over talent.toml over defaults; bad config files are named errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from talent.config import load_settings
from talent.errors import ConfigError


def test_defaults() -> None:
    s = load_settings()
    assert (s.forecast.until, s.forecast.paths, s.gap.shortage_below, s.gap.caution_below, s.report.lang) == (
        2030, 1000, 0.9, 10_000, "en")


def test_file_overrides_defaults_and_options_override_file(tmp_path: Path) -> None:
    path = tmp_path / "talent.toml"
    path.write_text('[forecast]\nuntil = 2035\npaths = 50\n[report]\nlang = "zh"\n', encoding="utf-8")
    s = load_settings(path)
    assert (s.forecast.until, s.forecast.paths, s.report.lang) == (2035, 50, "zh")
    s = load_settings(path, forecast_until=2032, report_lang=None)
    assert (s.forecast.until, s.report.lang) == (2032, "zh")


def test_talent_toml_in_the_working_folder_is_used(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "talent.toml").write_text("[gap]\nshortage_below = 0.8\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert load_settings().gap.shortage_below == 0.8


@pytest.mark.parametrize(("text", "message"), [
    ("[forecast]\nhorizon = 3\n", "key forecast.horizon: unknown key (value: 3). Fix: remove it or rename it; keys "
     "allowed in [forecast]: models, until, quantiles, paths, seed, jobs"),
    ("[forecast]\npath = 3\n", "key forecast.path: unknown key (value: 3). Fix: did you mean 'paths'? Keys "
     "allowed in [forecast]: models, until, quantiles, paths, seed, jobs"),
    ("paths = 3\n", "key paths: unknown key (value: 3). Fix: put it under [forecast]"),
    ("[plot]\nx = 1\n", "key plot: unknown table (value: {'x': 1}). Fix: remove it or rename it; keys allowed "
     "in the top level: forecast, gap, report, store"),
    ("[forecast]\nuntil = 'soon'\n", "key forecast.until: must be a whole number (value: 'soon'). Fix: write a "
     "calendar year between 1950 and 2100, e.g. 2030"),
])
def test_bad_config_is_named(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "talent.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_settings(path)
    assert str(info.value) == f"1 problem found:\n  - {path}, {message}"


def test_invalid_toml_is_named(tmp_path: Path) -> None:
    path = tmp_path / "talent.toml"
    path.write_text("[forecast\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_settings(path)


def test_missing_config_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="config file not found"):
        load_settings(tmp_path / "none.toml")
