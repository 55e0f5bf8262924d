"""What a data set holds, as a person reads it first (library twin of `talent data show`)."""

from __future__ import annotations

import pandas as pd

from talent.taxonomy import Lang, Taxonomy, load_taxonomy


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
