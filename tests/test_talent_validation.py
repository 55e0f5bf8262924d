"""Loading and validation: one test per kind of bad input, with the exact message."""

from __future__ import annotations

import io
from pathlib import Path

import pandas as pd
import pytest

from talent.errors import DataValidationError, InputFileError
from talent.io.series import load_series
from tests.conftest import ASSETS

GOOD = (
    "region,role,level,kind,year,value\n"
    "CN,machine_learning,expert,demand,2022,100\n"
    "CN,machine_learning,expert,demand,2023,110\n"
    "CN,machine_learning,expert,supply,2022,40\n"
    "CN,machine_learning,expert,supply,2023,45\n"
)


def write(tmp_path: Path, text: str, name: str = "s.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def problems(path: Path) -> list[str]:
    with pytest.raises(DataValidationError) as info:
        load_series(path)
    return [str(p) for p in info.value.problems]


def test_clean_file_loads_with_types_and_order(tmp_path: Path) -> None:
    df = load_series(write(tmp_path, GOOD))
    assert list(df.columns) == ["region", "role", "level", "kind", "year", "value"]
    assert df["year"].dtype == "int64" and df["value"].dtype == "float64"
    assert df["value"].tolist() == [100.0, 110.0, 40.0, 45.0]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_encodings_with_chinese_headers_and_labels(tmp_path: Path, encoding: str) -> None:
    text = ("地区,岗位,层级,类型,年份,人数\n"
            "CN,机器学习,专家型,需求,2023,100\n"
            "CN,机器学习,专家型,供给,2023,40\n")
    df = load_series(write(tmp_path, text, encoding=encoding))
    assert df[["role", "level", "kind"]].drop_duplicates().values.tolist() == [
        ["machine_learning", "expert", "demand"], ["machine_learning", "expert", "supply"]]


def test_xlsx_is_read(tmp_path: Path) -> None:
    src = pd.read_csv(io.StringIO(GOOD))
    path = tmp_path / "s.xlsx"
    src.to_excel(path, index=False)
    assert load_series(path)["value"].sum() == 295.0


def test_missing_level_column_means_all_levels(tmp_path: Path) -> None:
    text = "region,role,kind,year,value\nCN-HA,robotics,demand,2023,5\n"
    assert load_series(write(tmp_path, text))["level"].tolist() == ["all"]


def test_misspelled_column_suggests_closest_name(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace("region", "regoin", 1))
    assert problems(path) == [
        f"{path}, row 1, column 'regoin': column 'regoin' is not a known column. "
        "Fix: rename it to 'region' (the closest known name)"
    ]


def test_missing_column_is_named(tmp_path: Path) -> None:
    text = "region,role,level,year,value\nCN,robotics,expert,2023,5\n"
    path = write(tmp_path, text)
    assert problems(path) == [
        f"{path}, row 1, column 'kind': required column 'kind' is missing. "
        "Fix: add it; required columns are region, role, kind, year, value"
    ]


def test_negative_value(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace(",110", ",-110"))
    assert problems(path) == [
        f"{path}, row 3, column 'value': negative value (value: '-110'). "
        "Fix: headcounts are 0 or more; correct the sign or remove the row"
    ]


def test_non_numeric_value(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace(",110", ",lots"))
    assert problems(path) == [
        f"{path}, row 3, column 'value': value is not a number (value: 'lots'). "
        "Fix: write a headcount in persons, digits only, e.g. 125000"
    ]


def test_missing_value(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace(",110", ","))
    assert problems(path)[0].startswith(f"{path}, row 3, column 'value': missing value")


def test_unknown_role_suggests_closest_id(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace("machine_learning,expert,demand,2023", "machine_lerning,expert,demand,2023"))
    assert problems(path) == [
        f"{path}, row 3, column 'role': unknown role (value: 'machine_lerning'). "
        "Fix: did you mean 'machine_learning'? use one of machine_learning, ai_chips, computer_vision, "
        "decision_systems, robotics, other, or an alias: ml, 机器学习算法, AI chip, chips, 芯片, cv (the English and "
        "Chinese labels, such as 'Machine learning', are read too); a role outside these belongs under 'other'"
    ]


def test_unknown_kind_and_level(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace("expert,supply,2023", "guru,offer,2023"))
    msgs = problems(path)
    assert [m.split(": ", 1)[0] for m in msgs] == [f"{path}, row 5, column 'level'", f"{path}, row 5, column 'kind'"]
    assert "unknown level (value: 'guru')" in msgs[0]
    assert "unknown kind (value: 'offer')" in msgs[1] and "use one of demand, supply" in msgs[1]


def test_duplicated_key_names_both_rows(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD + "CN,machine_learning,expert,demand,2023,111\n")
    assert problems(path) == [
        f"{path}, row 6: duplicated key (same as row 3) "
        "(value: 'CN, machine_learning, expert, demand, 2023'). "
        "Fix: keep one row per region, role, level, kind and year"
    ]


def test_gap_in_years(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace("demand,2023", "demand,2025"))
    assert problems(path) == [
        f"{path}, row 3, column 'year': years missing inside the series CN/machine_learning/expert/demand "
        "(value: '2023, 2024'). Fix: add the missing years (annual series must be contiguous)"
    ]


def test_year_out_of_range_and_not_whole(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace("demand,2022", "demand,1850").replace("supply,2022", "supply,2022.5"))
    msgs = problems(path)
    assert msgs[0].startswith(f"{path}, row 2, column 'year': year out of range (value: '1850')")
    assert msgs[1].startswith(f"{path}, row 4, column 'year': year is not a whole number (value: '2022.5')")


def test_every_problem_reported_together(tmp_path: Path) -> None:
    """A damaged GBK copy: misspelled header, negative value, unknown role, duplicate."""
    text = (GOOD.replace("value", "valeu", 1).replace(",110", ",-110")
            .replace("expert,supply,2022", "expert,supply,2022").replace("CN,machine_learning,expert,supply,2023",
                                                                        "CN,robotix,expert,supply,2023")
            + "CN,machine_learning,expert,demand,2022,100\n")
    msgs = problems(write(tmp_path, text, encoding="gbk"))
    assert len(msgs) == 4
    assert "column 'valeu' is not a known column" in msgs[0]
    assert "row 3, column 'value': negative value" in msgs[1]
    assert "row 5, column 'role': unknown role (value: 'robotix'). Fix: did you mean 'robotics'?" in msgs[2]
    assert "row 6: duplicated key (same as row 2)" in msgs[3]


def test_comment_lines_shift_row_numbers(tmp_path: Path) -> None:
    path = write(tmp_path, "# modelled\n# second line\n" + GOOD.replace(",110", ",-110"))
    assert problems(path)[0].startswith(f"{path}, row 5, column 'value'")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "the file is empty; it needs a header row and data rows"),
        (b"region,role,level,kind,year,value\n", "the table has a header but no data rows"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00binary",
         "this is not a text table (it contains binary data; it looks like a PNG image)"),
    ],
)
def test_unreadable_files(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes(content)
    with pytest.raises((InputFileError, DataValidationError), match=message.replace("(", r"\(").replace(")", r"\)")):
        load_series(path)


def test_ragged_csv_is_not_a_table(tmp_path: Path) -> None:
    path = write(tmp_path, 'a,b\n1,2,3,4\n"unterminated\n')
    with pytest.raises(InputFileError, match="row 2: the row has 4 cells, more than the 2 column names"):
        load_series(path)


def test_missing_file_and_unknown_suffix(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="file not found"):
        load_series(tmp_path / "nope.csv")
    (tmp_path / "x.sas7bdat").write_bytes(b"SAS")
    with pytest.raises(InputFileError, match=r"unknown table format '\.sas7bdat'"):
        load_series(tmp_path / "x.sas7bdat")


@pytest.mark.parametrize("name", ["cn_national.csv", "cn_regional_example.csv", "us_ca_ai_phds.csv"])
def test_every_shipped_series_file_validates(name: str) -> None:
    assert len(load_series(ASSETS / name)) > 0


def test_misspelt_role_is_not_also_reported_as_a_missing_year(tmp_path: Path) -> None:
    text = GOOD + "CN,machine_learning,expert,demand,2024,120\n"
    path = write(tmp_path, text.replace("machine_learning,expert,demand,2023", "vision,expert,demand,2023"))
    assert problems(path) == [
        f"{path}, row 3, column 'role': unknown role (value: 'vision'). "
        "Fix: did you mean 'computer_vision'? use one of machine_learning, ai_chips, computer_vision, "
        "decision_systems, robotics, other, or an alias: ml, 机器学习算法, AI chip, chips, 芯片, cv (the English and "
        "Chinese labels, such as 'Machine learning', are read too); a role outside these belongs under 'other'"
    ]
