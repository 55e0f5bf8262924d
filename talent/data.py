"""Load, validate and summarise series data sets (the library twins of `talent data …`)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from talent.io import read_table
from talent.paths import default_series_path
from talent.taxonomy import Lang, Taxonomy, load_taxonomy
from talent.validation import validate_series


def load_series(path: Path | str | None = None, taxonomy: Taxonomy | None = None) -> pd.DataFrame:
    """Read and validate a series file (default: the embedded China national data).

    Returns the clean long frame (region, role, level, kind, year, value);
    raises `DataValidationError` listing every problem in the file.
    """
    path = Path(path) if path is not None else default_series_path()
    raw = read_table(path)
    df = validate_series(raw, taxonomy or load_taxonomy(), file=str(path))
    df.attrs["source"] = str(path)
    return df


def validate_file(path: Path | str, taxonomy: Taxonomy | None = None) -> str:
    """Validate a file; return a one-line summary when clean (raises otherwise)."""
    df = load_series(path, taxonomy)
    n_series = df.groupby(["region", "role", "level", "kind"]).ngroups
    return (f"{path}: OK: {len(df)} rows, {n_series} series, "
            f"{df['region'].nunique()} region(s), years {df['year'].min()}–{df['year'].max()}")


def summarise(df: pd.DataFrame, lang: Lang = "en", taxonomy: Taxonomy | None = None) -> pd.DataFrame:
    """One row per region × role × level: years covered, latest demand and supply, ratio.

    A summary a person reads first: what is in the data set and how large the
    latest gap is.
    """
    tax = taxonomy or load_taxonomy()
    keys = ["region", "role", "level"]
    span = df.groupby(keys, sort=False)["year"].agg(["min", "max"])
    latest_year = df.groupby(keys, sort=False)["year"].transform("max")
    latest = (df[df["year"] == latest_year].pivot_table(index=keys, columns="kind", values="value",
                                                         aggfunc="sum", sort=False))
    out = span.join(latest).reset_index()
    for kind in ("demand", "supply"):
        if kind not in out.columns:
            out[kind] = float("nan")
    out["ratio"] = (out["supply"] / out["demand"]).round(3)
    out["role"] = [tax.label("roles", r, lang) for r in out["role"]]
    out["level"] = [tax.label("levels", lv, lang) for lv in out["level"]]
    head = {"en": ["Region", "Role", "Level", "From", "To", "Demand (latest)", "Supply (latest)",
                   "Supply/demand"],
            "zh": ["地区", "岗位", "层级", "起始年", "截止年", "需求（最新）", "供给（最新）", "供需比"]}[lang]
    out = out[["region", "role", "level", "min", "max", "demand", "supply", "ratio"]]
    out.columns = head
    return out
