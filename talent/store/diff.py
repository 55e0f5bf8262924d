"""Revisions between two vintages, each split into the part due to the data and the part due to the model.

For an old run A (data D_A, settings and software S_A) and a new run B (D_B, S_B), the forecast of
every series and target year moves from F(D_A, S_A) to F(D_B, S_B). Re-running A's input series with
B's settings and this software gives the counterfactual F(D_A, S_B); then

    change = F(D_B, S_B) − F(D_A, S_A)
           = [F(D_B, S_B) − F(D_A, S_B)]  +  [F(D_A, S_B) − F(D_A, S_A)]
           =            data              +            model

"data" is what new or revised observations did with the model held fixed; "model" is what the model,
the settings and the software did with the data held fixed. The two parts add up to the change exactly
(the stock table's numbers are whole persons). Both runs are read from the store, so the files they
came from need not exist any more.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from talent.config import Settings
from talent.gaps.stock import ALL
from talent.gaps.tables import gap_tables
from talent.store.db import Store, using
from talent.store.vintage import Vintage, load_vintage

MEASURES = ("demand", "supply", "gap")
CELL = ["region", "role", "level"]
COLUMNS = [*CELL, "kind", "year", "old", "new", "change", "data", "model", "cause"]


@dataclass(frozen=True)
class Revisions:
    """How the forecasts moved from an old run to a new one (`table`: one row per region, role, level, kind
    (demand, supply or gap) and target year: old, new, change = data + model, and the larger part as `cause`),
    and what differs between the two runs (`changes`, in words)."""

    old_run: int | None
    new_run: int | None
    old_created: str
    new_created: str
    table: pd.DataFrame
    changes: list[str] = field(default_factory=list)

    def headline(self, region: str | None = None, year: int | None = None) -> pd.Series | None:
        """The total gap's row (all roles, all levels) in `year` (default: the last year both runs reach)."""
        t = self.table
        if t.empty:
            return None
        totals = t[(t["role"] == ALL) & (t["level"] == ALL) & (t["kind"] == "gap")]
        if region is None and len(totals):
            regions = list(dict.fromkeys(totals["region"]))
            region = "CN" if "CN" in regions else regions[0]
        rows = totals[(totals["region"] == region) & (totals["year"] == (year or t["year"].max()))]
        return rows.iloc[0] if len(rows) else None

    def largest(self, n: int = 8, year: int | None = None) -> pd.DataFrame:
        """The `n` largest revisions (by size) in `year` (default: the last year both runs reach)."""
        t = self.table[self.table["year"] == (year or self.table["year"].max())]
        order = t["change"].abs().sort_values(ascending=False, kind="stable").index
        return t.loc[order].head(n).reset_index(drop=True)


def _long(stock: pd.DataFrame, name: str) -> pd.DataFrame:
    parts = [stock[[*CELL, "year", m]].rename(columns={m: name}).assign(kind=m) for m in MEASURES]
    return pd.concat(parts, ignore_index=True)


def revision_table(old: pd.DataFrame, new: pd.DataFrame, counterfactual: pd.DataFrame) -> pd.DataFrame:
    """Per cell, kind and target year (the old run's forecast years that the new run also holds): old, new,
    change, data = new − counterfactual, model = counterfactual − old, and the larger part as `cause`."""
    targets = sorted(set(old.loc[old["source"] == "forecast", "year"]) & set(new["year"]))
    keys = [*CELL, "kind", "year"]
    t = (_long(old, "old").merge(_long(new, "new"), on=keys)
         .merge(_long(counterfactual, "counterfactual"), on=keys, how="left"))
    t = t[t["year"].isin(targets) & t["old"].notna() & t["new"].notna()].copy()
    t["change"] = t["new"] - t["old"]
    t["data"] = t["new"] - t["counterfactual"]
    t["model"] = t["counterfactual"] - t["old"]
    bigger = np.where(t["data"].abs() >= t["model"].abs(), "data", "model")
    t["cause"] = np.where(t["change"] == 0, "none", np.where(t["counterfactual"].isna(), "", bigger))
    for c in ("old", "new", "change", "data", "model"):  # whole persons (the stock table's numbers are)
        t[c] = t[c].round().astype("Int64")
    order = {k: i for i, k in enumerate(MEASURES)}
    t = t.assign(_k=t["kind"].map(order)).sort_values([*CELL, "_k", "year"], kind="stable")
    return t[COLUMNS].reset_index(drop=True)


def counterfactual(series: pd.DataFrame, settings: Settings) -> pd.DataFrame:
    """The stock table of `series` forecast with `settings` by this software (the old data, the new model)."""
    return gap_tables(series, settings).stock


def _flat(doc: dict[str, Any], prefix: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in doc.items():
        out |= _flat(v, f"{prefix}{k}.") if isinstance(v, dict) else {f"{prefix}{k}": v}
    return out


def _text(value: object) -> str:
    return "[" + ", ".join(map(str, value)) + "]" if isinstance(value, list | tuple) else str(value)


def differences(old: Vintage, new_manifest: dict[str, Any], new_settings: Settings, new_years: tuple[int, int],
                new_data: str) -> list[str]:
    """What differs between two runs, in words: the data (file, content, years), settings, software versions."""
    out = []
    old_hash = old.manifest.get("inputs", {}).get(old.data, "")
    new_hash = new_manifest.get("inputs", {}).get(new_data, "")
    if (old.data, old_hash) != (new_data, new_hash):
        out.append(f"data: {old.data} ({old_hash[:12]}) → {new_data} ({new_hash[:12]})")
    if old.history != new_years:
        out.append(f"history: {old.history[0]}–{old.history[1]} → {new_years[0]}–{new_years[1]}")
    shape = ("forecast", "gap")  # the settings that shape the numbers (not the language, nor the store)
    a = _flat({k: v for k, v in asdict(old.settings).items() if k in shape})
    b = _flat({k: v for k, v in asdict(new_settings).items() if k in shape})
    out += [f"{k}: {_text(a.get(k))} → {_text(b.get(k))}" for k in sorted(set(a) | set(b)) if a.get(k) != b.get(k)]
    va, vb = old.manifest.get("versions", {}), new_manifest.get("versions", {})
    out += [f"{k}: {va.get(k)} → {vb.get(k)}" for k in sorted(set(va) | set(vb)) if va.get(k) != vb.get(k)]
    return out


def revisions(old: Vintage, new: Vintage) -> Revisions:
    """The revisions from vintage `old` to vintage `new` (the counterfactual re-runs old's series with new's
    settings)."""
    cf = counterfactual(old.series, new.settings)
    return Revisions(old.run, new.run, old.created, new.created, revision_table(old.stock, new.stock, cf),
                     differences(old, new.manifest, new.settings, new.history, new.data))


def history_diff(store: Store | str | Path, run_a: int | str = "previous", run_b: int | str = "latest") -> Revisions:
    """Revisions from run A to run B, each split into data and model parts that add up to the change
    (library twin of `talent history diff`). Runs are numbers, 'latest' or 'previous'."""
    with using(store) as s:
        old, new = load_vintage(s, run_a), load_vintage(s, run_b)
    return revisions(old, new)
