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
lang = "en"            # or "zh"

[store]
path = ""              # the run store: a DuckDB file, or postgresql://USER@HOST/DB; "" = talent-runs.duckdb
                       # beside the output folder (no password in the URL: PGPASSWORD or ~/.pgpass)
```

Every key is checked by one schema (`SettingsSchema`, pydantic) after the
file and the command-line options are merged, so an option is checked exactly
like the same key in the file: unknown keys (with the closest valid key),
exact types, ranges (0 < interval < 1, quantiles in (0, 1), 1 ≤ paths ≤
1,000,000, jobs -1 or 1–256, lang en or zh, until 1950–2100) and orderings
(shortage_below < surplus_above, unreliable_below ≤ caution_below). All
problems are reported together, each with the file and key (or the option),
the value and the fix.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, StringConstraints, ValidationInfo, field_validator

from talent.engines import model_problem
from talent.errors import ConfigError, ConfigValidationError, OptionError, Problem, TalentWarning
from talent.io.regions import load_regions
from talent.io.schema import Loc, Schema, check, in_file, order_error
from talent.io.toml_file import read_toml
from talent.limits import MAX_JOBS, MAX_PATHS, paths_problem
from talent.paths import default_planning_path
from talent.planning_checks import not_toml_fix
from talent.planning_schema import QUANTILE_FIX, check_planning, quantile_of
from talent.taxonomy import load_taxonomy

YEAR_RANGE = (1950, 2100)  # the calendar years a series or a forecast may reach
PATHS_FIX = f"use 1 to {MAX_PATHS:,} paths (1,000 is usually enough)"


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
class StoreSettings:
    """Where `talent run` records each run and `talent history` reads them ("" = the default beside the output)."""

    path: str = ""


@dataclass(frozen=True)
class Settings:
    """All settings of a run."""

    forecast: ForecastSettings = field(default_factory=ForecastSettings)
    gap: GapSettings = field(default_factory=GapSettings)
    report: ReportSettings = field(default_factory=ReportSettings)
    store: StoreSettings = field(default_factory=StoreSettings)


class _ForecastSchema(Schema):
    models: list[Annotated[str, StringConstraints(min_length=1)]] = Field(
        min_length=1, json_schema_extra={"fix": 'list model names, e.g. ["auto"] or ["drift", "ets"]'})
    until: int = Field(ge=YEAR_RANGE[0], le=YEAR_RANGE[1], json_schema_extra={
        "fix": f"write a calendar year between {YEAR_RANGE[0]} and {YEAR_RANGE[1]}, e.g. 2030"})
    quantiles: list[Annotated[float, Field(gt=0, lt=1)]] = Field(min_length=1, json_schema_extra={
        "fix": "list quantile levels strictly between 0 and 1, e.g. [0.05, 0.1, 0.5, 0.9, 0.95]"})
    paths: int = Field(json_schema_extra={"fix": PATHS_FIX})
    seed: int = Field(ge=0, lt=2**63, json_schema_extra={"fix": "use a whole number 0 or more, e.g. 0"})
    jobs: int = Field(ge=-1, le=MAX_JOBS, json_schema_extra={
        "fix": f"use 1 to {MAX_JOBS} worker processes, or -1 for all cores"})

    @field_validator("paths")
    @classmethod
    def _bounded_paths(cls, paths: int) -> int:
        problem = paths_problem(paths)
        if problem is not None:
            raise order_error("", problem, PATHS_FIX, paths)
        return paths

    @field_validator("models")
    @classmethod
    def _known_models(cls, models: list[str]) -> list[str]:
        for spec in models:  # a typo was a failure of the data file, after it was read
            problem = model_problem(spec)
            if problem is not None:
                raise order_error("", problem[0], problem[1], spec)
        return models

    @field_validator("jobs")
    @classmethod
    def _some_jobs(cls, jobs: int) -> int:
        if jobs == 0:
            raise order_error("", "0 worker processes", f"use 1 to {MAX_JOBS}, or -1 for all cores", 0)
        return jobs

    @field_validator("quantiles")
    @classmethod
    def _distinct(cls, quantiles: list[float]) -> list[float]:
        repeated = sorted({q for q in quantiles if quantiles.count(q) > 1})
        if repeated:
            raise order_error("", "a quantile level is listed twice", "list each level once", repeated)
        return quantiles


class _GapSchema(Schema):
    interval: float = Field(gt=0, lt=1, json_schema_extra={
        "fix": "use a share strictly between 0 and 1, e.g. 0.9 for a 90% interval"})
    shortage_below: float = Field(gt=0, le=1, json_schema_extra={
        "fix": "use a supply/demand ratio between 0 and 1, e.g. 0.9"})
    surplus_above: float = Field(ge=1, json_schema_extra={
        "fix": "use a supply/demand ratio of 1 or more, e.g. 1.1"})
    caution_below: float = Field(ge=0, json_schema_extra={"fix": "use a headcount of 0 or more, e.g. 10000"})
    unreliable_below: float = Field(ge=0, json_schema_extra={"fix": "use a headcount of 0 or more, e.g. 1000"})

    @field_validator("surplus_above")
    @classmethod
    def _above_shortage(cls, surplus_above: float, info: ValidationInfo) -> float:
        shortage_below = info.data.get("shortage_below")
        if shortage_below is not None and not shortage_below < surplus_above:
            raise order_error("", f"must be above shortage_below ({shortage_below:g})",
                              "make shortage_below < surplus_above, e.g. 0.9 and 1.1", surplus_above)
        return surplus_above

    @field_validator("unreliable_below")
    @classmethod
    def _below_caution(cls, unreliable_below: float, info: ValidationInfo) -> float:
        caution_below = info.data.get("caution_below")
        if caution_below is not None and unreliable_below > caution_below:
            raise order_error("", f"must not exceed caution_below ({caution_below:g})",
                              "make unreliable_below ≤ caution_below, e.g. 1000 and 10000", unreliable_below)
        return unreliable_below


class _ReportSchema(Schema):
    lang: Literal["en", "zh"]


STORE_SCHEMES = ("duckdb", "postgresql", "postgresql+psycopg", "postgres")


class _StoreSchema(Schema):
    path: str = Field(json_schema_extra={
        "fix": 'give a DuckDB file path such as "talent-runs.duckdb" or a URL such as "postgresql://talent@db/runs"'})

    @field_validator("path")
    @classmethod
    def _known_database(cls, path: str) -> str:
        if path != path.strip() or not path.isprintable():  # ' ' made a store file named by one space
            clean = "".join(c for c in path if c.isprintable()).strip() or "talent-runs.duckdb"
            raise order_error("", "begins or ends with a space or holds a control character, so the run store "
                              "would be a file of an odd name", f"write the name without them, e.g. {clean!r}; "
                              "\"\" (empty) for the default", path)
        scheme, sep, rest = path.partition("://")
        if not sep:
            return path
        if scheme not in STORE_SCHEMES:
            raise order_error("", f"unsupported database '{scheme}'", "use a DuckDB file path, duckdb:///PATH or "
                              "postgresql://USER@HOST/DATABASE", path)
        if ":" in rest.split("@")[0] and "@" in rest:
            raise order_error("", "a password in the URL would be written into every manifest",
                              "remove it and set PGPASSWORD or use ~/.pgpass", "<URL with a password>")
        return path


class SettingsSchema(Schema):
    """The shape of `talent.toml` (every table optional in the file; defaults fill the rest)."""

    forecast: _ForecastSchema
    gap: _GapSchema
    report: _ReportSchema
    store: _StoreSchema


# command-line option of each override whose name is not `--<key>`
OPTION_NAMES = {"forecast_models": "--model", "report_lang": "--lang", "store_path": "--store"}


def _defaults() -> dict[str, dict[str, Any]]:
    return {k: {f: list(v) if isinstance(v, tuple) else v for f, v in d.items()}
            for k, d in asdict(Settings()).items()}


def _merge(defaults: dict[str, Any], raw: Mapping[str, Any]) -> dict[str, Any]:
    """The file's tables over the defaults (a table that is not a table is kept, for the schema to name)."""
    merged: dict[str, Any] = dict(defaults)
    for table, value in raw.items():
        base = defaults.get(table)
        merged[table] = {**base, **value} if isinstance(base, dict) and isinstance(value, dict) else value
    return merged


def _apply_overrides(merged: dict[str, Any], overrides: Mapping[str, Any]) -> dict[Loc, str]:
    """Put the non-None overrides into `merged`; return the option name of each key path they set."""
    options: dict[Loc, str] = {}
    for name, value in overrides.items():
        table, _, key = name.partition("_")
        section = SettingsSchema.model_fields[table].annotation if table in SettingsSchema.model_fields else None
        if section is None or key not in section.model_fields:
            raise TypeError(f"load_settings() got an unknown override '{name}' (use <table>_<key>, "
                            "e.g. forecast_until)")
        if value is None or not isinstance(merged[table], dict):
            continue
        merged[table][key] = list(value) if isinstance(value, tuple) else value
        options[(table, key)] = OPTION_NAMES.get(name, f"--{key}")
    return options


def load_settings(path: Path | str | None = None, **overrides: Any) -> Settings:
    """Defaults, updated by the TOML file (if any), updated by non-None `overrides`, then checked.

    Overrides are keyword arguments named `<table>_<key>`, e.g. `forecast_until=2035`.
    The file and the overrides are checked by one schema (`SettingsSchema`);
    every problem is listed in one `ConfigValidationError` naming the file and
    key, or the command-line option, with the value and the fix.
    """
    if path is None and Path("talent.toml").is_file():
        path = Path("talent.toml")
    raw = read_toml(path, "config file") if path is not None else {}
    if {"plan", "tiers"} <= set(raw) and not set(raw) & set(SettingsSchema.model_fields):
        raise ConfigError(f"{path}: this is a planning file ([plan], [tiers]), not a settings file. Fix: give it "
                          "with --planning, and a settings file (like talent.toml) with --config")
    from_file = _merge(_defaults(), raw)
    merged = {k: dict(v) if isinstance(v, dict) else v for k, v in from_file.items()}
    options = _apply_overrides(merged, overrides)
    file = str(path) if path is not None else "settings"

    def source_of(loc: Loc) -> tuple[str, bool]:
        option = options.get(tuple(loc[:2]))
        return (option, True) if option is not None and len(loc) <= 3 else (file, False)

    problems: list[Problem] = []
    usage = True
    for values, where in ((from_file, in_file(file)), (merged, source_of)):  # a bad file value stays an error
        try:                                                                 # when an option overrides it
            s = check(SettingsSchema, values, where)
        except ConfigValidationError as exc:
            problems += [p for p in exc.problems if p not in problems]
            usage = usage and exc.exit_code == 2
    if problems:
        raise ConfigValidationError(problems, usage=usage)
    f = s.forecast
    return Settings(forecast=ForecastSettings(tuple(f.models), f.until, tuple(f.quantiles), f.paths, f.seed, f.jobs),
                    gap=GapSettings(**s.gap.model_dump()), report=ReportSettings(**s.report.model_dump()),
                    store=StoreSettings(**s.store.model_dump()))


DATA_SUFFIXES = (".csv", ".tsv", ".txt", ".xlsx", ".xlsm", ".xls", ".json")


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
    """Read a planning TOML (default: the embedded planning file) and check it against `PlanningSchema`
    (talent.planning_schema): unknown keys, types, ranges and ids are one `ConfigValidationError`."""
    p = Path(path) if path is not None else default_planning_path()
    swapped = (f"{p.name} looks like a data table: give it with --data, and a planning TOML (like "
               "talent/assets/planning.toml) as the planning file") if p.suffix.lower() in DATA_SUFFIXES \
        else not_toml_fix(p)  # JSON, YAML, a Chinese key without quotes (talent.planning_checks)
    raw = read_toml(p, "planning file", fix=swapped)  # `swapped`: the data file given in the planning file's place
    if not raw:  # 0 bytes, or comments only: three 'missing key. Fix: add this key' lines
        raise ConfigError(f"{p}: the planning file is empty (no [plan], [scenarios] or [tiers]). Fix: start from a "
                          "copy of talent/assets/planning.toml (the embedded planning file) and edit it")
    check_planning(raw, load_taxonomy(), str(p))
    region = raw["plan"].get("region", "CN")
    named = load_regions().province(region) if load_regions().canonical(region) is None else None
    if named is not None:  # '河南', 'Henan Sheng': read as its code, as data files and --region read it
        warnings.warn(f"{p}, key plan.region: region names are read as their province codes: read {region!r} as "
                      f"{named!r}; write the code to silence this", TalentWarning, stacklevel=2)
        raw = {**raw, "plan": {**raw["plan"], "region": named}}
    elif region != region.strip().upper():  # region codes are case-insensitive, stored in upper case (as in the data)
        warnings.warn(f"{p}, key plan.region: region codes are stored in upper case: read {region!r} as "
                      f"{region.strip().upper()!r}", TalentWarning, stacklevel=2)
        raw = {**raw, "plan": {**raw["plan"], "region": region.strip().upper()}}
    return PlanningConfig(p, raw)


def parse_scenarios(text: str) -> dict[str, float]:
    """'q10:0.3,q50:0.4,q90:0.3' → {'q10': 0.3, …} (the --scenarios option), checked as a whole: demand
    quantiles, each once, probabilities from 0 to 1 summing to 1 (else an `OptionError` naming the option: exit 2)."""
    out: dict[str, float] = {}
    example = "e.g. q10:0.3,q50:0.4,q90:0.3"
    for part in filter(None, (s.strip() for s in text.split(","))):
        name, _, prob = (x.strip() for x in part.partition(":"))
        try:
            p = float(prob)
        except ValueError as exc:
            raise OptionError(f"--scenarios: '{part}' — write QUANTILE:PROBABILITY, {example}") from exc
        if name in out:
            raise OptionError(f"--scenarios {text!r}: scenario '{name}' is given twice; give each quantile once")
        if not 0 < quantile_of(name) < 1:
            raise OptionError(f"--scenarios {text!r}: '{name}' is not a demand quantile; {QUANTILE_FIX}")
        if not (math.isfinite(p) and 0 <= p <= 1):
            raise OptionError(f"--scenarios {text!r}: the probability of '{name}' is {prob}; use a number from 0 "
                              f"to 1 ({example})")
        out[name] = p
    if not out:
        raise OptionError(f"--scenarios {text!r}: no scenario given; write QUANTILE:PROBABILITY, {example}")
    if abs(sum(out.values()) - 1) > 1e-6:
        raise OptionError(f"--scenarios {text!r}: the probabilities sum to {sum(out.values()):g}, not 1; make "
                          f"them sum to 1, {example}")
    return out


def scenario_quantile(name: str, where: str) -> float:
    """The demand quantile a scenario name stands for: q10 -> 0.1, q05 -> 0.05, q975 -> 0.975."""
    q = quantile_of(name)
    if not 0 < q < 1:
        raise ConfigError(f"{where}: scenario '{name}' — {QUANTILE_FIX}")
    return q
