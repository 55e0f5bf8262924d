"""Settings, resolved in one place: CLI options over `talent.toml` over defaults.

`talent.toml` (optional, in the working folder or given with `--config`) has
one table per stage:

```toml
[forecast]
models = ["auto"]      # or e.g. ["drift", "ets"]
until = 2030
quantiles = [0.05, 0.1, 0.5, 0.9, 0.95]
paths = 1000           # simulated paths for the gap distribution
seed = 0
jobs = 1

[gap]
interval = 0.9         # central interval shown for demand, supply and gap
shortage_below = 0.9   # supply/demand below this: "shortage"
surplus_above = 1.1    # supply/demand above this: "surplus"
caution_below = 10000  # cells under this many persons: "caution" (Cedefop)
unreliable_below = 1000

[report]
lang = "en"
```
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from talent.errors import ConfigError
from talent.io import read_toml


@dataclass(frozen=True)
class ForecastSettings:
    """How demand and supply are forecast and simulated."""

    models: tuple[str, ...] = ("auto",)
    until: int = 2030
    quantiles: tuple[float, ...] = (0.05, 0.1, 0.5, 0.9, 0.95)
    paths: int = 1000
    seed: int = 0
    jobs: int = 1


@dataclass(frozen=True)
class GapSettings:
    """Thresholds of the gap tables' ratings and reliability flags (defaults documented above)."""

    interval: float = 0.9
    shortage_below: float = 0.9
    surplus_above: float = 1.1
    caution_below: float = 10_000
    unreliable_below: float = 1_000


@dataclass(frozen=True)
class ReportSettings:
    """Language of tables and the report."""

    lang: str = "en"


@dataclass(frozen=True)
class Settings:
    """All settings of a run."""

    forecast: ForecastSettings = field(default_factory=ForecastSettings)
    gap: GapSettings = field(default_factory=GapSettings)
    report: ReportSettings = field(default_factory=ReportSettings)


def _coerce(path: Path, table: str, key: str, value: Any, default: Any) -> Any:
    if isinstance(default, tuple):
        if not isinstance(value, list):
            raise ConfigError(f"{path}: [{table}] {key} = {value!r} must be a list")
        return tuple(value)
    if isinstance(default, bool) or (not isinstance(value, type(default)) and not (
        isinstance(default, float) and isinstance(value, int)
    )):
        kind = {int: "a whole number", float: "a number", str: "text"}[type(default)]
        raise ConfigError(f"{path}: [{table}] {key} = {value!r} must be {kind}")
    return type(default)(value)


def load_settings(path: Path | None = None, **overrides: Any) -> Settings:
    """Defaults, updated by the TOML file (if any), updated by non-None `overrides`.

    Overrides are keyword arguments named `<table>_<key>`, e.g. `forecast_until=2035`.
    """
    settings = Settings()
    if path is None and Path("talent.toml").exists():
        path = Path("talent.toml")
    raw: dict[str, Any] = {}
    if path is not None:
        raw = read_toml(path, "config file")
    parts = {}
    for f in fields(settings):
        section = getattr(settings, f.name)
        known = {g.name: getattr(section, g.name) for g in fields(section)}
        table = raw.pop(f.name, {})
        unknown = sorted(set(table) - set(known))
        if unknown:
            raise ConfigError(f"{path}: unknown key(s) {unknown} in [{f.name}]; known keys: {sorted(known)}")
        values = {k: _coerce(Path(str(path)), f.name, k, v, known[k]) for k, v in table.items()}
        for k in known:
            if overrides.get(f"{f.name}_{k}") is not None:
                values[k] = overrides[f"{f.name}_{k}"]
        parts[f.name] = replace(section, **values)
    if raw:
        raise ConfigError(f"{path}: unknown table(s) {sorted(raw)}; known: forecast, gap, report")
    return Settings(**parts)
