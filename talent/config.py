"""Configuration, resolved in one place: run settings (CLI options over `talent.toml` over
defaults) and the planning file's shape.

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

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

from talent.errors import ConfigError
from talent.io.read import read_toml
from talent.paths import default_planning_path


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


@dataclass(frozen=True)
class PlanningConfig:
    """A parsed planning file: the raw tables plus where they came from."""

    path: Path
    raw: Mapping[str, Any]

    @property
    def plan(self) -> Mapping[str, Any]:
        """The [plan] table."""
        return self.raw.get("plan", {})


def load_planning(path: Path | str | None = None) -> PlanningConfig:
    """Read a planning TOML (default: the embedded planning file) and check its shape."""
    p = Path(path) if path is not None else default_planning_path()
    raw = read_toml(p, "planning file")
    problems = [f"{p}: missing table [{t}]" for t in ("plan", "scenarios", "tiers") if t not in raw]
    if problems:
        raise ConfigError("\n".join(problems))
    return PlanningConfig(p, raw)


def parse_scenarios(text: str) -> dict[str, float]:
    """'q10:0.3,q50:0.4,q90:0.3' → {'q10': 0.3, …} (the --scenarios option)."""
    out: dict[str, float] = {}
    for part in filter(None, (s.strip() for s in text.split(","))):
        name, _, prob = part.partition(":")
        try:
            out[name.strip()] = float(prob)
        except ValueError as exc:
            raise ConfigError(f"--scenarios: '{part}' — write QUANTILE:PROBABILITY, "
                              "e.g. q10:0.3,q50:0.4,q90:0.3") from exc
    return out


def scenario_quantile(name: str, where: str) -> float:
    """The demand quantile a scenario name stands for: q10 -> 0.1, q05 -> 0.05, q975 -> 0.975."""
    try:
        q = float("0." + name[1:]) if name.startswith("q") else float("nan")
    except ValueError:
        q = float("nan")
    if not 0 < q < 1:
        raise ConfigError(f"{where}: scenario '{name}' — name a demand quantile such as q10, q50, q90")
    return q
