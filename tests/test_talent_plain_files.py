"""Plain series files (`talent.io.plain`): any yearly panel, outside the data contract, for `forecast` and
`backtest`. Before, statsforecast's layout (unique_id, ds, y) got five 'required column is missing' errors
that never said how to forecast it; dates in the year column and a sheet with the years as columns were
refused even when the columns were named."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import CliResult

Cli = Callable[..., CliResult]


def _panel() -> pd.DataFrame:
    """Three series, 1990–2014, a trend plus noise (seeded)."""
    rng = np.random.default_rng(3)
    rows = [(f"S{i}", year, 100.0 + 5 * i + (4 + i) * k + rng.normal(0, 3))
            for i in range(3) for k, year in enumerate(range(1990, 2015))]
    return pd.DataFrame(rows, columns=["unique_id", "ds", "y"])


def _means(path: Path, time: str) -> pd.Series:
    out = pd.read_csv(path)
    return out.set_index(["unique_id", time])["mean"].sort_index()


@pytest.fixture
def long_csv(tmp_path: Path) -> Path:
    path = tmp_path / "nixtla.csv"
    _panel().to_csv(path, index=False)
    return path


def test_statsforecast_layout_is_recognised(cli: Cli, long_csv: Path, tmp_path: Path) -> None:
    r = cli("forecast", str(long_csv), "--out", str(tmp_path / "f.csv"))
    assert r.code == 0, r.err
    assert ("has none of the data contract's key columns (region, role, kind): read as a plain series file "
            "(key: unique_id; year: ds; value: y)") in " ".join(r.err.split())
    means = _means(tmp_path / "f.csv", "ds")
    assert list(means.index.get_level_values("ds").unique()) == [2015, 2016, 2017, 2018, 2019, 2020]
    assert sorted(means.index.get_level_values("unique_id").unique()) == ["S0", "S1", "S2"]
    # the same numbers as when the columns are named
    r2 = cli("forecast", str(long_csv), "--id-cols", "unique_id", "--time-col", "ds", "--target-col", "y",
             "--out", str(tmp_path / "g.csv"))
    assert r2.code == 0, r2.err
    pd.testing.assert_series_equal(means, _means(tmp_path / "g.csv", "ds"))


@pytest.mark.parametrize("fmt", ["%Y-12-31", "%Y-01-01", "%Y-%m-%d 00:00:00", "%Y/6/30"])
def test_dates_read_as_their_years(cli: Cli, long_csv: Path, tmp_path: Path, fmt: str) -> None:
    d = _panel()
    d["ds"] = pd.to_datetime(d["ds"].astype(str) + "-06-30").dt.strftime(fmt) if "%m" in fmt or "/" in fmt \
        else pd.to_datetime(d["ds"].astype(str), format="%Y").dt.strftime(fmt)
    path = tmp_path / "dates.csv"
    d.to_csv(path, index=False)
    assert cli("forecast", str(long_csv), "--out", str(tmp_path / "ints.csv")).code == 0
    r = cli("forecast", str(path), "--out", str(tmp_path / "dates_out.csv"))
    assert r.code == 0, r.err
    pd.testing.assert_series_equal(_means(tmp_path / "dates_out.csv", "ds"), _means(tmp_path / "ints.csv", "ds"))


def test_several_dates_in_a_year_are_refused(cli: Cli, tmp_path: Path) -> None:
    quarters = pd.date_range("1990-03-31", periods=40, freq="QE")
    d = pd.DataFrame({"unique_id": "Q1", "ds": quarters.strftime("%Y-%m-%d"), "y": np.arange(40.0) + 10})
    path = tmp_path / "quarterly.csv"
    d.to_csv(path, index=False)
    r = cli("forecast", str(path), "--out", str(tmp_path / "f.csv"))
    assert r.code == 1
    text = " ".join(r.err.split())
    assert "Traceback" not in r.err
    assert (f"{path}, row 2, column 'ds': 4 dates fall in 1990 in series unique_id=Q1 (1990-03-31, 1990-06-30, "
            "1990-09-30, 1990-12-31): talent forecasts yearly series, one value per year (value: '1990-03-31'). "
            "Fix: add them up or average them to one value per year") in text
    assert not (tmp_path / "f.csv").exists()


def test_years_as_columns(cli: Cli, long_csv: Path, tmp_path: Path) -> None:
    wide = _panel().pivot(index="unique_id", columns="ds", values="y")
    wide.iloc[0, :3] = np.nan  # a series that starts later: its empty cells are missing years
    csv, xlsx = tmp_path / "wide.csv", tmp_path / "wide.xlsx"
    wide.to_csv(csv)
    wide.to_excel(xlsx)
    for path in (csv, xlsx):
        r = cli("forecast", str(path), "--out", str(tmp_path / f"{path.suffix[1:]}.csv"))
        assert r.code == 0, r.err
        assert "(one row per series (key: unique_id), the years as columns)" in " ".join(r.err.split())
    assert cli("forecast", str(long_csv), "--out", str(tmp_path / "long.csv")).code == 0
    long, from_csv = _means(tmp_path / "long.csv", "ds"), _means(tmp_path / "csv.csv", "year")
    # series S1 and S2 are the same data: the same forecasts; S0 lost its first three years
    pd.testing.assert_series_equal(from_csv.drop("S0").rename_axis(["unique_id", "ds"]), long.drop("S0"))
    pd.testing.assert_series_equal(_means(tmp_path / "xlsx.csv", "year"), from_csv, check_exact=False)
    # named: --id-cols alone reads the wide sheet too
    r = cli("forecast", str(csv), "--id-cols", "unique_id", "--out", str(tmp_path / "named.csv"))
    assert r.code == 0, r.err
    pd.testing.assert_series_equal(_means(tmp_path / "named.csv", "year"), from_csv)


def test_unrecognised_columns_say_how_to_name_them(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "odd.csv"
    pd.DataFrame({"code": ["a", "a"], "when": [2000, 2001], "amount": [1.0, 2.0]}).to_csv(path, index=False)
    r = cli("forecast", str(path))
    assert r.code == 1
    text = " ".join(r.err.split())
    assert "required column 'region' is missing" in text
    assert (f"{path}: if this is not a talent data file but any yearly series, name its columns. Fix: talent "
            f"forecast {path} --id-cols KEY --time-col YEAR --target-col VALUE") in text


def test_a_contract_file_with_a_misspelt_column_is_not_read_as_plain(cli: Cli, tmp_path: Path) -> None:
    path = tmp_path / "typo.csv"
    path.write_text("regoin,role,kind,year,value\nCN,machine_learning,demand,2020,5\n"
                    "CN,machine_learning,demand,2021,6\nCN,machine_learning,demand,2022,7\n", encoding="utf-8")
    r = cli("forecast", str(path))
    assert r.code == 1
    assert "column 'regoin' is not a known column. Fix: rename it to 'region'" in " ".join(r.err.split())
    assert "plain series file" not in r.err


def test_backtest_reads_plain_files(cli: Cli, long_csv: Path) -> None:
    r = cli("backtest", str(long_csv), "--horizon", "3", "-m", "drift")
    assert r.code == 0, r.err
    assert "drift" in r.out


def test_values_read_as_series_files_read_them(cli: Cli, tmp_path: Path) -> None:
    """Thousands separators, a decimal comma in a semicolon file and missing markers are read; text is named.
    Before, the engine refused '1,000' and '1,5' ('must be numeric') with no row."""
    years = range(2000, 2012)
    clean = tmp_path / "clean.csv"
    clean.write_text("id,year,value\n" + "".join(f"A,{y},{1000 + 150 * k}.5\n" for k, y in enumerate(years)))
    grouped = tmp_path / "grouped.csv"
    grouped.write_text("id,year,value\n" + "".join(f'A,{y},"{1000 + 150 * k:,}.5"\n' for k, y in enumerate(years)))
    comma = tmp_path / "comma.csv"
    comma.write_text("id;year;value\n" + "".join(f"A;{y};{1000 + 150 * k},5\n" for k, y in enumerate(years)))
    outs = []
    for path in (clean, grouped, comma):
        r = cli("forecast", str(path), "-m", "drift", "--out", str(tmp_path / f"o_{path.stem}.csv"))
        assert r.code == 0, r.err
        outs.append(pd.read_csv(tmp_path / f"o_{path.stem}.csv")["mean"])
    pd.testing.assert_series_equal(outs[0], outs[1])
    pd.testing.assert_series_equal(outs[0], outs[2])
    gap = tmp_path / "gap.csv"
    gap.write_text("id,year,value\nA,2000,10\nA,2001,n/a\nA,2002,12\nA,2003,13\nA,2004,14\nA,2005,15\n")
    r = cli("forecast", str(gap), "-m", "drift")
    assert r.code == 0, r.err
    assert "filled by linear interpolation: 1 series (id=A [2001])" in " ".join(r.err.split())
    bad = tmp_path / "bad.csv"
    bad.write_text("id,year,value\nA,2000,10\nA,2001,about 11\nA,2002,12\n")
    r = cli("forecast", str(bad))
    assert r.code == 1
    assert f"{bad}, row 3, column 'value': value is not a number (value: 'about 11')" in " ".join(r.err.split())


_CELL = st.one_of(
    st.integers(-10**9, 10**12).map(str),
    st.floats(0, 1e9, allow_nan=False).map(lambda v: f"{v:.3f}"),
    st.floats(0, 1e6, allow_nan=False).map(lambda v: f"{v:,.2f}"),
    st.floats(0, 1e6, allow_nan=False).map(lambda v: f"{v:.2f}".replace(".", ",")),
    st.sampled_from(["1,234", "1.234", "19.000", "-0", "1e3", "2.5E-2", "'1200", "12.", ".5", "1 234", "abc", "12万",
                     "−5", "１２３", "1,234,567.5", "1.234.567,5", "0,25", ""]),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_CELL, min_size=1, max_size=40), st.sampled_from([",", ";", "\t", None]))
def test_read_column_reads_each_cell_as_read_number_does(texts: list[str], separator: str | None) -> None:
    """The vectorised column reader is `read_number` under the column's convention, cell for cell."""
    from talent.io.numbers import proven_convention, read_column, read_number

    decimal, proven = proven_convention(texts, separator)
    expected = [read_number(t, decimal, separator in (",", "\t") and not proven) for t in texts]
    got, mark = read_column(texts, separator)
    assert mark == decimal
    assert [(r.problem, r.fix) for r in got] == [(r.problem, r.fix) for r in expected]
    assert np.array_equal([r.value for r in got], [r.value for r in expected], equal_nan=True)
    assert [math.copysign(1, r.value) for r in got if r.value == 0] == [1.0] * sum(r.value == 0 for r in got)


@pytest.mark.parametrize("command", [["gap"], ["data", "validate"]])
def test_commands_of_the_contract_point_to_forecast(cli: Cli, long_csv: Path, command: list[str]) -> None:
    r = cli(*command, str(long_csv))
    assert r.code == 1
    assert (f"{long_csv}: it reads as a plain series file (key: unique_id; year: ds; value: y), which `talent "
            "forecast` and `talent backtest` forecast; gap tables and plans need the columns above. Fix: talent "
            f"forecast {long_csv}, or add the region, role and kind columns") in " ".join(r.err.split())



def test_percentages_are_shares(cli: Cli, tmp_path: Path) -> None:
    """A plain series may be a share: '12%' typed in a CSV, or a workbook's percentage cell, is 0.12."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["unique_id", "ds", "y"])
    for k, y in enumerate(range(2010, 2022)):
        ws.append(["share", y, 0.10 + 0.01 * k])
        ws.cell(row=ws.max_row, column=3).number_format = "0.0%"
    wb.save(tmp_path / "share.xlsx")
    csv = tmp_path / "share.csv"
    csv.write_text("unique_id,ds,y\n" + "".join(f"share,{y},{10 + k}%\n" for k, y in enumerate(range(2010, 2022))))
    for path in (tmp_path / "share.xlsx", csv):
        r = cli("forecast", str(path), "-m", "drift", "--out", str(tmp_path / f"{path.suffix[1:]}_out.csv"))
        assert r.code == 0, r.err
        assert np.allclose(pd.read_csv(tmp_path / f"{path.suffix[1:]}_out.csv")["mean"].head(2), [0.22, 0.23])


def test_an_integer_of_thousands_of_digits_is_named(cli: Cli, tmp_path: Path) -> None:
    """The column reader's fast path converted '111…1' (5,001 digits) as an integer: exit 70, Python's limit."""
    path = tmp_path / "long.csv"
    path.write_text(f"id,year,value\nA,2000,{'1' * 5001}\nA,2001,5\nA,2002,6\n")
    r = cli("forecast", str(path))
    assert r.code == 1
    assert f"{path}, row 2, column 'value': value is not a number" in " ".join(r.err.split())
