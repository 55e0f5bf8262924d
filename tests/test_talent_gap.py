"""Gap tables: known answers, coherence of totals, identical exports, languages, CLI."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from talent.config import load_settings
from talent.gaps.flows import FLOW_COLUMNS, flow_table
from talent.gaps.simulate import PathSet
from talent.gaps.stock import ALL, stock_table
from talent.gaps.tables import GapTables, gap_tables
from talent.io.series import load_series
from talent.present.export import export_gap
from tests.conftest import CliResult

Cli = Callable[..., CliResult]


@pytest.fixture(scope="module")
def default_tables() -> GapTables:
    return gap_tables(load_series(), load_settings(forecast_paths=400))


def gaussian_paths(mean_d: float, sd_d: float, mean_s: float, sd_s: float, n: int = 40_000) -> PathSet:
    rng = np.random.default_rng(1)
    return PathSet([2025], {("CN", "robotics", "expert", "demand"): rng.normal(mean_d, sd_d, (1, n)),
                            ("CN", "robotics", "expert", "supply"): rng.normal(mean_s, sd_s, (1, n))})


def history() -> pd.DataFrame:
    return pd.DataFrame({"region": "CN", "role": "robotics", "level": "expert", "kind": ["demand", "supply"],
                         "year": 2024, "value": [95.0, 88.0]})


def test_p_shortage_matches_the_gaussian_answer() -> None:
    """Demand N(100, 10), supply N(90, 10) independent: P(D > S) = Φ(10 / √200) = 0.760."""
    stock = stock_table(history(), gaussian_paths(100, 10, 90, 10))
    row = stock.query("year == 2025 and role == 'robotics'").iloc[0]
    assert row["p_shortage"] == pytest.approx(stats.norm.cdf(10 / np.sqrt(200)), abs=0.01)
    # the gap's 90% interval is that of N(10, √200), not q95(D) − q05(S)
    assert row["gap_q05"] == pytest.approx(10 - 1.645 * np.sqrt(200), abs=0.6)
    assert row["gap_q95"] == pytest.approx(10 + 1.645 * np.sqrt(200), abs=0.6)
    assert row["gap_q95"] < row["demand_q95"] - row["supply_q05"]


def test_past_years_have_no_spread_and_carry_the_declared_provenance() -> None:
    stock = stock_table(history(), gaussian_paths(100, 10, 90, 10), history_source="observed")
    past = stock.query("year == 2024 and role == 'robotics'").iloc[0]
    assert (past["source"], past["demand"], past["demand_q05"], past["gap"], past["p_shortage"]) == (
        "observed", 95, 95, 7, 1.0)
    undeclared = stock_table(history(), gaussian_paths(100, 10, 90, 10))
    assert set(undeclared["source"]) == {"history", "forecast"}  # never assumed observed


def test_modelled_default_data_is_never_called_observed(default_tables: GapTables, tmp_path: Path) -> None:
    assert set(default_tables.stock["source"]) == set(default_tables.flow["source"]) == {"modelled", "forecast"}
    for lang, word in (("en", "observed"), ("zh", "观测")):
        export_gap(default_tables, tmp_path / f"g_{lang}.csv", lang=lang)  # type: ignore[arg-type]
        labels = set(pd.read_csv(tmp_path / f"g_{lang}.csv").iloc[:, 4]) | set(
            pd.read_csv(tmp_path / f"g_{lang}.flow.csv").iloc[:, 4])
        assert not any(label.startswith(word) for label in labels), labels


def test_ratings_and_reliability_thresholds() -> None:
    settings = load_settings(gap_caution_below=100, gap_unreliable_below=50)
    balanced = stock_table(history(), gaussian_paths(100, 1, 95, 1), settings.gap).query("year == 2025").iloc[0]
    surplus = stock_table(history(), gaussian_paths(40, 1, 60, 1), settings.gap).query("year == 2025").iloc[0]
    assert (balanced["rating"], balanced["reliability"]) == ("balanced", "ok")
    assert (surplus["rating"], surplus["reliability"]) == ("surplus", "unreliable")


def test_totals_add_up_exactly(default_tables: GapTables) -> None:
    stock = default_tables.stock
    cells = stock[(stock["role"] != ALL) & (stock["level"] != ALL)]
    for col in ("demand", "supply", "gap"):
        by_role = cells.groupby(["year", "role"])[col].sum()
        role_rows = stock[(stock["role"] != ALL) & (stock["level"] == ALL)].set_index(["year", "role"])[col]
        pd.testing.assert_series_equal(by_role, role_rows.sort_index(), check_names=False)
        by_level = cells.groupby(["year", "level"])[col].sum()
        level_rows = stock[(stock["role"] == ALL) & (stock["level"] != ALL)].set_index(["year", "level"])[col]
        pd.testing.assert_series_equal(by_level, level_rows.sort_index(), check_names=False)
        total = stock[(stock["role"] == ALL) & (stock["level"] == ALL)].set_index("year")[col]
        pd.testing.assert_series_equal(cells.groupby("year")[col].sum(), total, check_names=False)
    flow = default_tables.flow
    fcells = flow[(flow["role"] != ALL) & (flow["level"] != ALL)]
    ftotal = flow[(flow["role"] == ALL) & (flow["level"] == ALL)].set_index("year")[FLOW_COLUMNS]
    pd.testing.assert_frame_equal(fcells.groupby("year")[FLOW_COLUMNS].sum(), ftotal)


def test_default_data_2030_gap_matches_the_calibration(default_tables: GapTables) -> None:
    s = default_tables.stock
    total = s.query("year == 2030 and role == 'all' and level == 'all'").iloc[0]
    assert 3.6e6 <= total["gap"] <= 4.4e6  # the published 2030 gap of about 4 million AI professionals
    assert 0.30 <= total["ratio"] <= 0.37  # supply about one third of demand
    assert set(s["level"]) == {"applied", "expert", "all"}  # literacy is coverage, not in the gap
    assert total["p_shortage"] == 1.0
    levels = s.query("year == 2030 and role == 'all' and level != 'all'").set_index("level")
    assert (1 - levels["ratio"]).idxmax() == "expert"


def test_flow_gap_is_the_growth_of_the_stock_gap_in_shortage(default_tables: GapTables) -> None:
    """Stock-flow consistency: where supply < demand, people leave filled jobs at the same rate as supply
    erodes, so the yearly flow gap (openings − entrants) is exactly how much the stock gap grows."""
    stock = default_tables.stock
    cells = stock[(stock["role"] != ALL) & (stock["level"] != ALL)].sort_values(["role", "level", "year"])
    assert (cells["supply"] < cells["demand"]).all()  # the default data is short everywhere
    growth = cells.assign(growth=cells.groupby(["role", "level"])["gap"].diff()).dropna(subset=["growth"])
    merged = default_tables.flow.merge(growth[["role", "level", "year", "growth"]], on=["role", "level", "year"])
    assert len(merged) == len(growth) > 0
    np.testing.assert_allclose(merged["flow_gap"], merged["growth"], atol=1.0)


def test_flow_known_answer() -> None:
    """Demand 100 -> 120, supply 50 -> 55, attrition 10%: openings 20 + 5, entrants 5 + 5."""
    stock = pd.DataFrame({"region": "CN", "role": "robotics", "level": "expert", "year": [2024, 2025],
                          "source": ["observed", "forecast"], "demand": [100.0, 120.0], "supply": [50.0, 55.0]})
    f = flow_table(stock, lambda level: 0.10).query("role == 'robotics'").iloc[0]
    assert (f["expansion"], f["replacement"], f["openings"], f["entrants"], f["flow_gap"]) == (20, 5, 25, 10, 15)


def test_same_seed_same_tables() -> None:
    series = load_series()
    a = gap_tables(series, load_settings(forecast_paths=200))
    b = gap_tables(series, load_settings(forecast_paths=200))
    pd.testing.assert_frame_equal(a.stock, b.stock)
    pd.testing.assert_frame_equal(a.flow, b.flow)


def _read_back(path: Path) -> dict[str, pd.DataFrame]:
    if path.suffix == ".xlsx":
        sheets = pd.read_excel(path, sheet_name=None)
        return {"stock": sheets["stock"], "flow": sheets["flow"]}
    if path.suffix == ".csv":
        return {"stock": pd.read_csv(path), "flow": pd.read_csv(path.with_suffix(".flow.csv"))}
    if path.suffix == ".json":
        doc = json.loads(path.read_text(encoding="utf-8"))
        return {"stock": pd.DataFrame(doc["stock"]), "flow": pd.DataFrame(doc["flow"])}
    text = path.read_text(encoding="utf-8").split("## ")
    out = {}
    for part, key in ((text[1], "stock"), (text[2], "flow")):
        lines = [ln for ln in part.splitlines()[2:] if ln.startswith("|")]
        rows = [[c.strip() for c in ln.strip("|").split(" | ")] for ln in lines]
        out[key] = pd.DataFrame(rows[2:], columns=rows[0])
    return out


def test_every_export_has_identical_numbers(default_tables: GapTables, tmp_path: Path) -> None:
    tables = default_tables.filter(years=[2026, 2030])
    frames = {}
    for suffix in (".csv", ".xlsx", ".json", ".md"):
        export_gap(tables, tmp_path / f"gap{suffix}")
        frames[suffix] = _read_back(tmp_path / f"gap{suffix}")
    for key in ("stock", "flow"):
        ref = frames[".csv"][key]
        numeric = [c for c in ref.columns if pd.api.types.is_numeric_dtype(ref[c])]
        assert len(numeric) >= 5
        for suffix in (".xlsx", ".json", ".md"):
            other = frames[suffix][key]
            assert list(other.columns) == list(ref.columns), suffix
            for col in numeric:
                np.testing.assert_array_equal(pd.to_numeric(other[col]).to_numpy(float), ref[col].to_numpy(float),
                                              err_msg=f"{suffix} {key} {col}")


def test_exports_carry_the_manifest(default_tables: GapTables, tmp_path: Path) -> None:
    export_gap(default_tables, tmp_path / "g.json")
    meta = json.loads((tmp_path / "g.json").read_text(encoding="utf-8"))["meta"]
    assert {"created", "inputs", "settings", "versions", "models", "method"} <= set(meta)
    export_gap(default_tables, tmp_path / "g.xlsx")
    prov = pd.read_excel(tmp_path / "g.xlsx", sheet_name="provenance")
    assert "versions.pandas" in set(prov["key"])


def test_chinese_headers_and_labels_throughout(default_tables: GapTables, tmp_path: Path) -> None:
    export_gap(default_tables.filter(years=[2030]), tmp_path / "g.xlsx", lang="zh")
    sheets = pd.read_excel(tmp_path / "g.xlsx", sheet_name=None)
    assert list(sheets) == ["存量缺口", "流量缺口", "模型", "来源说明"]
    stock = sheets["存量缺口"]
    assert list(stock.columns[:6]) == ["地区", "岗位", "层级", "年份", "来源", "需求"]
    assert set(stock["岗位"]) >= {"机器学习", "全部岗位"} and set(stock["评级"]) == {"短缺"}
    assert all(not any(ch.isascii() and ch.isalpha() for ch in str(c)) for c in stock.columns)


def test_cli_gap_headline_and_export(cli: Cli, tmp_path: Path) -> None:
    r = cli("gap", "--year", "2030", "--paths", "200", "--out", str(tmp_path / "gap.md"))
    assert r.code == 0, r.err
    m = re.search(r"CN 2030: gap ([\d.]+) million persons \(interval ([\d.]+)–([\d.]+)\), demand ([\d.]+) m, "
                  r"supply ([\d.]+) m \(([\d.]+)% of demand\), P\(shortage\) (\d+)%", r.out)
    assert m, r.out
    gap, low, high, demand, supply, share, p = (float(x) for x in m.groups())
    assert 3.6 <= gap <= 4.4 and 30 <= share <= 37 and p == 100
    assert gap == pytest.approx(demand - supply, abs=0.011) and low < gap < high
    assert (tmp_path / "gap.md").exists()


def test_cli_gap_errors(cli: Cli, tmp_path: Path) -> None:
    r = cli("gap", "--until", "2020")
    assert (r.code, r.err) == (1, "Error: --until 2020 is not after the last observed year 2024; "
                                  "choose a year after 2024\n")
    r = cli("gap", "--paths", "50", "--out", str(tmp_path / "gap.pdf"))
    assert r.code == 2 and "unknown output format '.pdf'; use a .csv, .xlsx, .md or .json file" in r.err


def test_cli_refuses_to_overwrite_its_input(cli: Cli, tmp_path: Path) -> None:
    data = tmp_path / "in.csv"
    data.write_text(Path(load_series().attrs["source"]).read_text(encoding="utf-8"), encoding="utf-8")
    before = data.read_bytes()
    r = cli("gap", str(data), "--paths", "50", "--out", str(data))
    assert r.code == 1 and "refusing to overwrite an input file" in r.err
    assert data.read_bytes() == before


def test_a_95_percent_interval_gets_its_own_columns() -> None:
    settings = load_settings(gap_interval=0.95)
    stock = stock_table(history(), gaussian_paths(100, 10, 90, 10), settings.gap)
    assert {"gap_q025", "gap_q975", "demand_q025", "supply_q975"} <= set(stock.columns)
    row = stock.query("year == 2025 and role == 'robotics'").iloc[0]
    assert row["gap_q975"] == pytest.approx(10 + 1.96 * np.sqrt(200), abs=0.8)


def _write(tmp_path: Path, rows: list[tuple[str, int, float]]) -> Path:
    path = tmp_path / "series.csv"
    path.write_text("region,role,level,kind,year,value\n" + "".join(
        f"CN,robotics,expert,{kind},{year},{value}\n" for kind, year, value in rows), encoding="utf-8")
    return path


def test_series_ending_in_different_years_reach_the_same_year(cli: Cli, tmp_path: Path) -> None:
    """Supply ends a year before demand: both are forecast to 2030 and every export has finite figures."""
    rows = [("demand", y, 1000 + 120 * (y - 2015)) for y in range(2015, 2022)]
    rows += [("supply", y, 500 + 60 * (y - 2015)) for y in range(2015, 2021)]
    r = cli("gap", str(_write(tmp_path, rows)), "--year", "2021", "--year", "2030", "--paths", "200",
            "--out", str(tmp_path / "g.csv"), "--out", str(tmp_path / "g.md"))
    assert r.code == 0, r.err
    assert "RuntimeWarning" not in r.err and "nan" not in r.out.lower().replace("financ", "")
    stock = pd.read_csv(tmp_path / "g.csv")
    row = stock[(stock["Year"] == 2030) & (stock["Role"] == "All roles")].iloc[0]
    assert np.isfinite([row["Demand"], row["Supply"], row["Gap (demand − supply)"], row["P(shortage)"]]).all()
    assert "<NA>" not in (tmp_path / "g.md").read_text(encoding="utf-8")
    assert re.search(r"CN 2021: gap [\d,.]+ persons \(interval", r.out)


def test_a_missing_side_is_named_and_no_gap_is_invented(cli: Cli, tmp_path: Path) -> None:
    rows = [("demand", y, 1000 + 120 * (y - 2015)) for y in range(2015, 2025)]
    r = cli("gap", str(_write(tmp_path, rows)), "--paths", "100", "--out", str(tmp_path / "g.csv"))
    assert r.code == 0, r.err
    assert "Warning: no gap where a side is missing (CN/robotics/expert has demand only)" in r.err
    assert re.search(r"CN 2030: demand [\d,]+ persons \(no supply series, so no gap\)", r.out)
    stock = pd.read_csv(tmp_path / "g.csv")
    assert stock["P(shortage)"].isna().all() and stock["Gap (demand − supply)"].isna().all()


def test_filters_name_what_exists(cli: Cli) -> None:
    r = cli("gap", "--role", "chipz", "--paths", "50")
    assert r.code == 1
    assert r.err.splitlines()[-1] == ("Error: --role chipz: not in these tables; did you mean 'ai_chips'? use one of "
                                      "ai_chips, computer_vision, decision_systems, machine_learning, other, robotics")
    r = cli("gap", "--role", "chips", "--paths", "50")  # an alias, as a data file may write it: ai_chips
    assert r.code == 0, r.err
    r = cli("gap", "--level", "literacy", "--paths", "50")
    assert r.code == 1 and "use one of applied, expert" in r.err
    r = cli("gap", "--year", "2015", "--paths", "50")  # an observed year: its rows, no forecast error
    assert r.code == 0, r.err
    assert re.search(r"CN 2015: gap [\d.]+ thousand persons", r.out)
