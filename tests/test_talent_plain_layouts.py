"""Benchmark layouts read as plain series files: M4's one row per series with its values by position
(`V1, V2, …`, no years) and the Monash archive's `.tsf` files."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import CliResult

Cli = Callable[..., CliResult]

M4 = ('"V1","V2","V3","V4","V5","V6","V7","V8","V9","V10"\n'
      '"Y1","5172.1","5133.5","5186.9","5084.6","5182","5414.3","5576.2","5752.9","5955.2"\n'
      '"Y2","2070","2104","2394","1651","1492","1348","1198","1192",""\n'
      '"Y3","2760","2980","3200","3450","3670","3850","4000","",""\n')

TSF = """# Dataset Information
# A made-up yearly set in the Monash archive's format
@relation demo
@attribute series_name string
@attribute start_timestamp date
@frequency yearly
@horizon 4
@missing true
@equallength false
@data
T1:1979-01-01 00-00-00:25092.2,24271.5,25828.9,27697.5,27956.2,29924.4,30216.8,32613.4,36053.5,38472.5,38420.9
T2:1980-01-01 00-00-00:887.3,1017.5,1120.5,?,1169.2,1280.8,1318.9,1400.5
"""


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_m4_layout_reads_values_by_position(cli: Cli, tmp_path: Path) -> None:
    """M4's Yearly-train.csv layout: a key column, then each series' values from its first on, ragged at the end.
    Each series is forecast from its own last position, and the warning says the years are positions."""
    src = _write(tmp_path, "m4.csv", M4)
    r = cli("forecast", str(src), "--out", str(tmp_path / "fc.csv"))
    assert r.code == 0, r.err
    assert "its values by position with no years" in r.err.replace("\n", " ")
    fc = pd.read_csv(tmp_path / "fc.csv")
    first = fc.groupby("V1")["year"].min().to_dict()
    assert first == {"Y1": 10, "Y2": 9, "Y3": 8}  # 9, 8 and 7 values
    assert fc.groupby("V1").size().eq(6).all()
    y3 = fc[fc["V1"] == "Y3"]["mean"]
    assert y3.iloc[0] > 4000  # a rising series goes on rising from its own last value


def test_m4_layout_with_numeric_ids_needs_the_key_named(cli: Cli, tmp_path: Path) -> None:
    src = _write(tmp_path, "m4num.csv", "V1,V2,V3,V4,V5,V6\n1,10,11,12,13,14\n2,20,22,24,26,\n")
    r = cli("forecast", str(src))
    assert r.code == 1
    assert f"Fix: talent forecast {src} --id-cols V1" in r.err.replace("\n", " ")
    named = cli("forecast", str(src), "--id-cols", "V1", "--out", str(tmp_path / "fc.csv"))
    assert named.code == 0, named.err
    fc = pd.read_csv(tmp_path / "fc.csv")
    assert fc.groupby("V1")["year"].min().to_dict() == {1: 6, 2: 5}


def test_quarter_columns_are_not_positions(tmp_path: Path) -> None:
    from talent.io.positions import position_columns

    raw = pd.DataFrame({"Q1": ["a", "b"], "Q2": ["1", "2"], "Q3": ["1", "2"], "Q4": ["1", "2"], "Q5": ["1", "2"]})
    assert position_columns(raw) is None
    gaps = pd.DataFrame({"V1": ["a"], "V2": ["1"], "V4": ["2"], "V5": ["3"], "V6": ["4"]})  # V3 missing
    assert position_columns(gaps) is None


def test_tsf_file_is_forecast_with_its_years(cli: Cli, tmp_path: Path) -> None:
    """The years come from start_timestamp; '?' is a missing year (filled, with a warning); the horizon is the
    file's @horizon unless --horizon says otherwise."""
    src = _write(tmp_path, "demo.tsf", TSF)
    r = cli("forecast", str(src), "--out", str(tmp_path / "fc.csv"))
    assert r.code == 0, r.err
    assert f"Horizon 4, as {src} states (@horizon)" in r.out.replace("\n", " ")
    fc = pd.read_csv(tmp_path / "fc.csv")
    assert fc.groupby("series_name")["year"].agg(["min", "max"]).to_dict("index") == {
        "T1": {"min": 1990, "max": 1993}, "T2": {"min": 1988, "max": 1991}}
    six = cli("forecast", str(src), "--horizon", "6", "--out", str(tmp_path / "fc6.csv"))
    assert six.code == 0 and "@horizon" not in six.out
    assert pd.read_csv(tmp_path / "fc6.csv").groupby("series_name")["year"].max().to_dict() == {"T1": 1995,
                                                                                                "T2": 1993}
    assert "1983" in r.err  # T2's missing year is named in the fill warning
    bt = cli("backtest", str(src), "--horizon", "2", "--windows", "2", "--model", "drift")
    assert bt.code == 0, bt.err


def test_tsf_without_dates_uses_positions_with_a_warning(cli: Cli, tmp_path: Path) -> None:
    text = TSF.replace("@attribute start_timestamp date\n", "").replace(":1979-01-01 00-00-00", "").replace(
        ":1980-01-01 00-00-00", "").replace("?", "1150")
    r = cli("forecast", str(_write(tmp_path, "nodate.tsf", text)), "--out", str(tmp_path / "fc.csv"))
    assert r.code == 0, r.err
    assert "the years are the positions 1, 2, …" in r.err.replace("\n", " ")
    fc = pd.read_csv(tmp_path / "fc.csv")
    assert fc.groupby("series_name")["year"].min().to_dict() == {"T1": 12, "T2": 9}


@pytest.mark.parametrize(("change", "message"), [
    (("@frequency yearly", "@frequency monthly"),
     "line 6: the series are monthly; talent forecasts yearly series"),
    (("@data\n", ""), "no '@data' line"),
    (("T2:1980-01-01 00-00-00:", "T2:"), "row 12: 2 fields separated by ':' where the header's 2 attributes ask "
                                         "for 3"),
    (("T1:1979-01-01", "T1:1979x"), "row 11, column 'start_timestamp': not a date (value: '1979x 00-00-00')"),
    (("@attribute series_name string", "@attribute series_name text"), "attribute type 'text'"),
    (("T2:", "T1:"), "row 12: this series' name is already on line 11 (value: 'T1')"),
    (("T1:1979-01-01", "T1:9995-01-01"), "row 11: its 11 values from 9995 would run past the year 9999"),
    ((TSF[TSF.index("T1:"):], ""), "no series after its '@data' line (line 10)"),
])
def test_damaged_tsf_files_are_named(cli: Cli, tmp_path: Path, change: tuple[str, str], message: str) -> None:
    src = _write(tmp_path, "bad.tsf", TSF.replace(*change))
    r = cli("forecast", str(src))
    assert r.code == 1, r.out
    assert message in r.err.replace("\n", " ")
    assert "Traceback" not in r.err


M3C = ("Series,N,NF,Category,Starting Year,Starting Month,1,2,3,4,5,6,7,8,9,10\n"
       "N0001,8,6,MICRO,1975,0,940.66,1084.86,1244.98,1445.02,1683.17,2038.15,2342.52,2602.45,,\n"
       "N0002,10,6,MICRO,1981,0,1205,1170,1100,1260,1310,1400,1450,1530,1600,1680\n")


def test_m3_workbook_layout_counts_years_from_the_starting_year(cli: Cli, tmp_path: Path) -> None:
    """The M1/M3 workbooks: descriptive columns, 'Starting Year', then the values in columns 1, 2, 3, …"""
    src = _write(tmp_path, "m3c.csv", M3C)
    r = cli("forecast", str(src), "--out", str(tmp_path / "fc.csv"))
    assert r.code == 0, r.err
    assert "its values by position from the year in 'Starting Year'" in r.err.replace("\n", " ")
    fc = pd.read_csv(tmp_path / "fc.csv")
    assert fc.groupby("Series")["year"].agg(["min", "max"]).to_dict("index") == {
        "N0001": {"min": 1983, "max": 1988}, "N0002": {"min": 1991, "max": 1996}}


def test_a_starting_year_that_is_no_year_is_named(cli: Cli, tmp_path: Path) -> None:
    src = _write(tmp_path, "m3c.csv", M3C.replace("MICRO,1981", "MICRO,19x1"))
    r = cli("forecast", str(src))
    assert r.code == 1
    assert "row 3, column 'Starting Year': the year of the series' first value is not a year (value: '19x1')" in \
        r.err.replace("\n", " ")


def test_tsf_in_utf16_is_read(cli: Cli, tmp_path: Path) -> None:
    src = tmp_path / "u16.tsf"
    src.write_text(TSF, encoding="utf-16")
    r = cli("forecast", str(src), "--out", str(tmp_path / "fc.csv"))
    assert r.code == 0, r.err
    assert set(pd.read_csv(tmp_path / "fc.csv")["series_name"]) == {"T1", "T2"}


def test_the_tsf_year_bound_is_the_engines() -> None:
    from forecasts.prepare import MAX_YEAR
    from talent.io.tsf import MAX_YEAR as TSF_MAX_YEAR

    assert TSF_MAX_YEAR == MAX_YEAR
