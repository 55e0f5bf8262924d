"""Build the modelled default data sets in this folder (deterministic; seed 2024).

Run: python data/make_default_data.py   (writes cn_national.csv and cn_regional_example.csv
into talent/assets/, where the package ships them)

The method and every assumption are documented in data/DATASHEET.md. In short:
national demand and supply totals are straight lines through 2015–2024 chosen
so that an ordinary-least-squares linear trend fitted to 2015–2024 and
extrapolated reaches the published 2030 figures (demand 6.0 million, supply
2.0 million; McKinsey 2023 via Han 2024). Each role × level cell is a fixed
share of its total plus small noise that is orthogonal to [1, year] (so it
leaves every OLS trend unchanged) and zero in 2024 (so the 2024 role shares are
exactly the published ones).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

ASSETS = Path(__file__).resolve().parents[1] / "talent" / "assets"
YEARS = np.arange(2015, 2025)
SEED = 2024

# Published anchors (Han 2024, citing McKinsey 2023 and CCID): persons.
DEMAND_2030, SUPPLY_2030 = 6_000_000.0, 2_000_000.0
# Modelled: national demand and supply in 2015 (start of the history).
DEMAND_2015, SUPPLY_2015 = 750_000.0, 350_000.0

# Share of demand by role. machine_learning = 45.6% (CCID via Han 2024); the
# four named roles each above 5% (published); their exact values are modelled.
ROLE_SHARE = {
    "machine_learning": 0.456,
    "ai_chips": 0.072,
    "computer_vision": 0.126,
    "decision_systems": 0.094,
    "robotics": 0.084,
    "other": 0.168,
}
# Modelled: share of each role's demand by level.
LEVEL_SHARE = {"expert": 0.14, "applied": 0.50, "literacy": 0.36}
# Modelled: relative supply/demand ratio by level and role (scaled so the
# national 2030 supply is exactly 2.0 million). Expert is scarcest (published
# ranking of scarce skills: algorithm design, framework building, model development).
LEVEL_RATIO = {"expert": 0.45, "applied": 1.0, "literacy": 1.15}
ROLE_RATIO = {
    "machine_learning": 0.90,
    "ai_chips": 0.70,
    "computer_vision": 1.15,
    "decision_systems": 1.00,
    "robotics": 1.05,
    "other": 1.20,
}
NOISE_SD = 0.025  # relative noise of each cell around its trend (modelled)

# Modelled regional example: province shares of national values (all levels).
REGION_SHARE = {"CN": 1.0, "CN-BJ": 0.17, "CN-GD": 0.15, "CN-HA": 0.035}


def line(start: float, end_2030: float) -> np.ndarray:
    """Values on the straight line through (2015, start) and (2030, end_2030) for YEARS."""
    slope = (end_2030 - start) / (2030 - 2015)
    return start + slope * (YEARS - 2015)


def trend_neutral_noise(rng: np.random.Generator, scale: np.ndarray) -> np.ndarray:
    """Noise whose OLS fit on [1, year] is zero and whose 2024 value is zero."""
    raw = rng.normal(0.0, NOISE_SD, len(YEARS)) * scale
    basis = np.column_stack([np.ones(len(YEARS)), YEARS - YEARS.mean(), np.equal(YEARS, YEARS[-1])])
    coef, *_ = np.linalg.lstsq(basis, raw, rcond=None)
    return raw - basis @ coef


def national() -> pd.DataFrame:
    """Demand and supply by role and level, 2015–2024, persons."""
    rng = np.random.default_rng(SEED)
    demand_total = line(DEMAND_2015, DEMAND_2030)
    supply_total = line(SUPPLY_2015, SUPPLY_2030)
    cells = [(r, lv) for r in ROLE_SHARE for lv in LEVEL_SHARE]
    d_share = {c: ROLE_SHARE[c[0]] * LEVEL_SHARE[c[1]] for c in cells}
    weight = {c: d_share[c] * ROLE_RATIO[c[0]] * LEVEL_RATIO[c[1]] for c in cells}
    s_share = {c: weight[c] / sum(weight.values()) for c in cells}
    rows = []
    for kind, total, share in (("demand", demand_total, d_share), ("supply", supply_total, s_share)):
        for role, level in cells:
            base = share[(role, level)] * total
            values = np.round(base + trend_neutral_noise(rng, base))
            rows += [
                {"region": "CN", "role": role, "level": level, "kind": kind, "year": int(y), "value": int(v)}
                for y, v in zip(YEARS, values, strict=True)
            ]
    return pd.DataFrame(rows)


def regional(nat: pd.DataFrame) -> pd.DataFrame:
    """National plus three provinces, by role (no level column), persons."""
    rng = np.random.default_rng(SEED + 1)
    by_role = nat.groupby(["role", "kind", "year"], as_index=False)["value"].sum()
    frames = []
    for region, share in REGION_SHARE.items():
        for (role, kind), g in by_role.groupby(["role", "kind"], sort=False):
            base = g["value"].to_numpy(float) * share
            noise = 0.0 if region == "CN" else trend_neutral_noise(rng, base)
            frames.append(
                pd.DataFrame(
                    {"region": region, "role": role, "kind": kind, "year": g["year"].to_numpy(),
                     "value": np.round(base + noise).astype(int)}
                )
            )
    return pd.concat(frames, ignore_index=True)


HEADER = (
    "# MODELLED DATA, not observed. {what}\n"
    "# Calibrated to published anchors (Han 2024; McKinsey 2023; CCID): see data/DATASHEET.md.\n"
    "# Built by data/make_default_data.py (seed 2024). Unit: persons.\n"
)


def write(df: pd.DataFrame, name: str, what: str) -> None:
    """Write a CSV with the modelled-data header lines."""
    text = HEADER.format(what=what) + df.to_csv(index=False, lineterminator="\n")
    (ASSETS / name).write_text(text, encoding="utf-8")


if __name__ == "__main__":
    nat = national()
    write(nat, "cn_national.csv", "China, national AI-talent demand and supply by role and level, 2015-2024.")
    write(regional(nat), "cn_regional_example.csv",
          "China national (CN) plus Beijing, Guangdong, Henan: demand and supply by role, 2015-2024.")
