"""Build the modelled default data sets in this folder (deterministic; seed 2024).

Run: python data/make_default_data.py   (writes cn_national.csv, cn_regional_example.csv and
cn_literacy_coverage.csv into talent/assets/, where the package ships them)

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
# Modelled: share of each role's professional demand by level. AI literacy is not
# a professional level (it is audience coverage, cn_literacy_coverage.csv).
LEVEL_SHARE = {"expert": 0.25, "applied": 0.75}
# Modelled: relative supply/demand ratio by level and role (scaled so the
# national 2030 supply is exactly 2.0 million). Expert is scarcest (published
# ranking of scarce skills: algorithm design, framework building, model development).
LEVEL_RATIO = {"expert": 0.45, "applied": 1.0}
ROLE_RATIO = {
    "machine_learning": 0.90,
    "ai_chips": 0.70,
    "computer_vision": 1.15,
    "decision_systems": 1.00,
    "robotics": 1.05,
    "other": 1.20,
}
NOISE_SD = 0.025  # relative noise of each cell around its trend (modelled)

# Regional example: eight provinces and the rest of the country, which add up to the national series.
# 2024 demand share of a province (modelled) = mean of two published shares:
#   R&D spending 2022 (NBS 2022年全国科技经费投入统计公报; national 30,782.9亿元), and
#   AI firms 2020 (中国新一代人工智能发展战略研究院, 2,205 firms; published for BJ, GD, SH, ZJ, JS only:
#   for HB, SC, HA the R&D share alone is used).
RD_2022 = {"CN-GD": 4411.9, "CN-JS": 3835.4, "CN-BJ": 2843.3, "CN-ZJ": 2416.8, "CN-SH": 1981.6,
           "CN-HB": 1254.7, "CN-SC": 1215.0, "CN-HA": 1143.3}
RD_2022_CN = 30782.9
AI_FIRMS_2020 = {"CN-BJ": 29.73, "CN-GD": 26.39, "CN-SH": 14.07, "CN-ZJ": 8.81, "CN-JS": 6.56}  # % of firms
# Modelled: a province's supply/demand relative to the national ratio, each for a stated reason (DATASHEET).
SUPPLY_RELATIVE = {"CN-BJ": 1.10, "CN-SH": 1.00, "CN-GD": 0.85, "CN-JS": 1.05, "CN-ZJ": 0.90,
                   "CN-HB": 1.15, "CN-SC": 1.10, "CN-HA": 1.25}
# Modelled: yearly change of a province's demand share (fraction of the share per year), from published trends:
# Beijing's share of AI firms fell (42.5% in 2019 to 29.7% in 2020); Guangdong's AI core industry grew ~25% in
# 2024; Henan's AI industry "started late" (每日经济新闻 2025) and has an AI+ action plan for 2024-2026.
DEMAND_TREND = {"CN-BJ": -0.03, "CN-SH": 0.0, "CN-GD": 0.02, "CN-JS": 0.01, "CN-ZJ": 0.02,
                "CN-HB": 0.01, "CN-SC": 0.01, "CN-HA": 0.03}
REST = "CN-ZZ"  # the rest of the country (a project code, not ISO 3166-2: see talent/assets/regions.toml)


def demand_share(region: str) -> float:
    """A province's 2024 share of national AI-professional demand (modelled from published shares)."""
    rd = RD_2022[region] / RD_2022_CN
    return (rd + AI_FIRMS_2020[region] / 100) / 2 if region in AI_FIRMS_2020 else rd


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
    """National, eight provinces and the rest of the country, by role and level; the provinces plus the
    rest add up to the national value of every cell and year. Persons."""
    rng = np.random.default_rng(SEED + 1)
    frames = [nat]
    rest = nat.set_index(["role", "level", "kind", "year"])["value"].astype(float)
    for region in RD_2022:
        share_d = demand_share(region) * (1 + DEMAND_TREND[region] * (YEARS - 2024))
        # supply share such that the province's supply/demand is SUPPLY_RELATIVE × the national ratio
        share_s = share_d * SUPPLY_RELATIVE[region]
        rows = []
        for (role, level, kind), g in nat.groupby(["role", "level", "kind"], sort=False):
            share = share_d if kind == "demand" else share_s
            base = g["value"].to_numpy(float) * share
            values = np.round(base + trend_neutral_noise(rng, base))
            rows.append(pd.DataFrame({"region": region, "role": role, "level": level, "kind": kind,
                                      "year": g["year"].to_numpy(), "value": values.astype(int)}))
        block = pd.concat(rows, ignore_index=True)
        rest = rest - block.set_index(["role", "level", "kind", "year"])["value"]
        frames.append(block)
    assert (rest > 0).all(), "the provinces exceed the national series"
    frames.append(rest.astype(int).rename("value").reset_index().assign(region=REST))
    cols = ["region", "role", "level", "kind", "year", "value"]
    return pd.concat(frames, ignore_index=True)[cols]


# Literacy coverage (素养教育): audience populations and people already trained, CN, persons.
COVERAGE_YEARS = range(2024, 2031)
# Published populations (see DATASHEET, "cn_literacy_coverage.csv"): year -> persons. Years
# not listed hold the latest earlier published value (modelled, flagged so in the file).
POPULATION = {
    # 高等教育在学总规模 4846.00万 (MOE, 2024 statistical bulletin)
    "students": {2024: 48_460_000},
    # 技能劳动者 "超过2亿" (人民日报 2024-09-27, press) and "超过2.2亿" (MOHRSS, 2025-09-26): lower bounds
    "skilled_technicians": {2024: 200_000_000, 2025: 220_000_000},
    # 专业技术人才 "超过8000万" (MOHRSS, 2025-09-26): a lower bound; 2024 held at it (modelled)
    "technical_staff": {2025: 80_000_000},
    # no published count of managers was found: modelled, 20 million (about 2.7% of ~746 million employed)
    "managers": {},
}
MANAGERS_MODELLED = 20_000_000
# Modelled: people of each audience who had taken an AI-literacy course by 2024, and how many
# more a year take one outside the plan's programmes (university general courses, employers,
# online platforms). No published series exists; these are labelled assumptions.
TRAINED_2024 = {"students": 7_300_000, "technical_staff": 3_200_000, "skilled_technicians": 2_000_000,
                "managers": 1_000_000}
TRAINED_PER_YEAR = {"students": 2_500_000, "technical_staff": 800_000, "skilled_technicians": 600_000,
                    "managers": 300_000}


def _population(audience: str, year: int) -> tuple[int, str]:
    """An audience's population in a year and whether it is published or modelled."""
    known = POPULATION[audience]
    if year in known:
        return known[year], "published"
    earlier = [y for y in known if y < year] or sorted(known)
    return (known[max(earlier)] if known else MANAGERS_MODELLED), "modelled"


def coverage() -> pd.DataFrame:
    """Literacy coverage inputs: population and people already trained per audience and year."""
    rows = []
    for audience in ("managers", "technical_staff", "students", "skilled_technicians"):
        for year in COVERAGE_YEARS:
            population, status = _population(audience, year)
            trained = TRAINED_2024[audience] + TRAINED_PER_YEAR[audience] * (year - 2024)
            rows.append({"region": "CN", "audience": audience, "year": year, "population": population,
                         "population_status": status, "trained": trained, "trained_status": "modelled"})
    return pd.DataFrame(rows)


COVERAGE_HEADER = (
    "# MIXED DATA (provenance per row). AI-literacy coverage inputs, China (CN), persons. Populations:\n"
    "# published where population_status says so (MOE 2024 bulletin; MOHRSS 2025; People's Daily 2024),\n"
    "# otherwise MODELLED (held at the latest published value, or an assumption for managers). trained:\n"
    "# MODELLED, not observed (no published series exists). Sources and assumptions: data/DATASHEET.md.\n"
    "# Built by data/make_default_data.py.\n"
)


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
          "China (CN), eight provinces and the rest of the country (CN-ZZ), which add up to CN: demand and "
          "supply by role and level, 2015-2024.")
    (ASSETS / "cn_literacy_coverage.csv").write_text(
        COVERAGE_HEADER + coverage().to_csv(index=False, lineterminator="\n"), encoding="utf-8")
