"""talent.io building blocks (issue 15): numbers typed by people, region codes, the schema helpers the
settings use (and the planning file will), resource limits, truncated messages."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from pydantic import Field, model_validator

from talent.errors import (
    LISTED_PROBLEMS,
    ConfigValidationError,
    DataValidationError,
    Problem,
    TalentWarning,
    shorten,
)
from talent.io.numbers import COMMA, POINT, convention, read_number
from talent.io.regions import load_regions
from talent.io.schema import Schema, check, in_file, key_path, order_error
from talent.io.series import load_series
from talent.limits import check_simulation, human_bytes, memory_limit
from tests.test_talent_bad_inputs import SEMI


@pytest.mark.parametrize(("values", "separator", "expected"), [
    (["19.000,0", "12,5", "1.234"], ";", [19000.0, 12.5, 1234.0]),  # decimal commas, dots group thousands
    (["1,234", "0.5", "19.000"], ",", [1234.0, 0.5, 19.0]),  # a comma file: Excel's English convention
    (["1,234,567", "1.234.567"], ",", [1234567.0, 1234567.0]),  # each can only be thousands
    (["-0", "+7", "\u22125", "19 000", "19'000", "1e5", "0.500"], ",", [0.0, 7.0, -5.0, 19000.0, 19000.0, 1e5, 0.5]),
])
def test_numbers_are_read_by_the_files_convention(values: list[str], separator: str, expected: list[float]) -> None:
    decimal = convention(values, separator)
    assert [read_number(v, decimal).value for v in values] == expected
    assert math.copysign(1, read_number("-0", decimal).value) == 1  # -0 is 0


@pytest.mark.parametrize(("values", "separator"), [(["19.000", "100"], ";"), (["1,5", "2.5", "1,234"], ";")])
def test_a_number_that_reads_two_ways_is_refused(values: list[str], separator: str) -> None:
    decimal = convention(values, separator)
    problems = [r.problem for r in (read_number(v, decimal) for v in values) if r.problem]
    assert len(problems) == 1 and problems[0].startswith("ambiguous number: it reads as ")


def test_conventions() -> None:
    assert (convention(["1,5"], ","), convention(["1.5"], ";"), convention(["12"], ";")) == (COMMA, POINT, None)


def test_a_semicolon_file_with_decimal_commas_is_read_right(tmp_path: Path) -> None:
    path = tmp_path / "s.csv"
    path.write_text(SEMI.replace(";1000\n", ";19.000,0\n", 1).replace(";400\n", ";2.350,5\n", 1), encoding="utf-8")
    values = load_series(path).set_index(["kind", "year"])["value"]
    assert (values["demand", 2015], values["supply", 2015]) == (19000.0, 2350.5)


def test_region_codes() -> None:
    r = load_regions()
    assert [r.canonical(v) for v in ("CN", "cn-ha", " us + ca ", "CN-TW", "ZZ", "CN-QQ")] == [
        "CN", "CN-HA", "US+CA", "CN-TW", None, None]
    assert [r.suggestion(v) for v in ("Henan", "河南", "cn-hax", "US+Canda", "qq-99")] == [
        "CN-HA", "CN-HA", "CN-HA", None, None]
    assert len([c for c in r.names if "-" not in c]) == 249  # ISO 3166-1 alpha-2
    assert len([c for c in r.names if c.startswith("CN-")]) >= 34  # ISO 3166-2:CN, and any code a user adds


def test_alpha3_country_codes_are_read_as_alpha2(tmp_path: Path) -> None:
    """World Bank and OECD files write countries as ISO 3166-1 alpha-3 codes: 'CHN' was 'did you mean HN
    (Honduras)'; now read as CN with one warning, and suggested where a code is expected."""
    r = load_regions()
    assert len(r.alpha3) == 249
    assert [r.from_alpha3(v) for v in ("CHN", "usa+can", "chn+CHN", "CHX", "CN")] == ["CN", "US+CA", None, None, None]
    assert r.suggestion("CHN") == "CN"
    assert r.name("CN", "zh") == "中国" and r.name("AD", "zh") == "Andorra"  # the alpha-3 code is not a name
    path = tmp_path / "wb.csv"
    path.write_text("region,role,kind,year,value\n" + "".join(
        f"{c},machine_learning,demand,{y},{100 + y - 2018}\n" for c in ("CHN", "usa") for y in range(2018, 2022)),
        encoding="utf-8")
    with pytest.warns(TalentWarning) as caught:
        df = load_series(path)
    assert sorted(df["region"].unique()) == ["CN", "US"]
    assert (f"{path}: ISO 3166-1 alpha-3 country codes are read as their alpha-2 codes: read 'CHN' as 'CN' (first in "
            "row 2), 'usa' as 'US' (first in row 6); write the codes in the file to silence this") in [
        str(w.message) for w in caught]


class _Programme(Schema):
    """A toy planning-like schema: the helpers handle nested tables keyed by free ids and cross-key checks."""

    duration: int = Field(ge=1, json_schema_extra={"fix": "years of study, e.g. 4"})
    completion: float = Field(gt=0, le=1)


class _Plan(Schema):
    first: int
    last: int
    programme: dict[str, _Programme]

    @model_validator(mode="after")
    def _order(self) -> _Plan:
        if self.last < self.first:
            raise order_error("last", f"is before first ({self.first})", "make last ≥ first", self.last)
        return self


def test_schema_helpers_serve_other_files_too() -> None:
    raw = {"first": 2025, "last": 2024, "programme": {"a": {"duration": 0, "completion": 0.9, "yeild": 1}}}
    with pytest.raises(ConfigValidationError) as info:
        check(_Plan, raw, in_file("plan.toml"))
    assert [str(p) for p in info.value.problems] == [
        "plan.toml, key programme.a.duration: must be greater than or equal to 1 (value: 0). Fix: years of study, "
        "e.g. 4",
        "plan.toml, key programme.a.yeild: unknown key (value: 1). Fix: remove it or rename it; keys allowed in "
        "[programme.a]: duration, completion",
    ]
    with pytest.raises(ConfigValidationError) as info:
        check(_Plan, {**raw, "programme": {}}, in_file("plan.toml"))
    assert str(info.value.problems[0]) == ("plan.toml, key last: is before first (2025) (value: 2024). "
                                           "Fix: make last ≥ first")
    assert key_path(("forecast", "quantiles", 2)) == "forecast.quantiles[2]"


def test_long_values_and_long_lists_are_cut() -> None:
    text = shorten("x" * 10_000)
    assert len(text) == 200 and text.endswith("… (10,000 characters)")
    problem = Problem("f.csv", 2, "c" * 500, "v" * 500, "bad", "fix it")
    assert len(str(problem)) < 500
    many = DataValidationError([Problem("f.csv", i, "value", f"x{i}", "bad", "fix") for i in range(1, 1001)])
    lines = str(many).splitlines()
    assert lines[0] == "1000 problems found:" and len(lines) == LISTED_PROBLEMS + 2
    assert lines[-1] == "  … and 900 more (fix these first, then check again)"


def test_the_same_problem_on_many_rows_is_one_line_naming_them() -> None:
    same = [Problem("f.csv", r, "region", "河南", "unknown region code", "write CN-HA") for r in range(5, 245)]
    other = Problem("f.csv", 7, "year", "20x5", "not a year", "write 2025")
    text = str(DataValidationError([*same[:3], other, *same[3:], Problem("f.csv", None, None, None, "empty", "add")]))
    assert text.splitlines() == [
        "242 problems found:",
        "  - f.csv, rows 5–244 (240 rows), column 'region': unknown region code (value: '河南'). Fix: write CN-HA",
        "  - f.csv, row 7, column 'year': not a year (value: '20x5'). Fix: write 2025",
        "  - f.csv: empty. Fix: add"]
    gaps = DataValidationError([Problem("f.csv", r, "c", "v", "bad", "fix") for r in (2, 3, 9, 11, 12, 20, 30, 40)])
    assert ", rows 2–3, 9, 11–12, 20, 30, … (8 rows), column 'c'" in str(gaps)


def test_memory_limit_and_its_message(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TALENT_MEMORY_LIMIT", "500MB")
    assert memory_limit() == 500_000_000
    assert human_bytes(1.5 * 2**30) == "1.5 GiB"
    check_simulation(10, 6, 1000)  # 12 MB: fine
    with pytest.raises(Exception, match=r"simulating 100,000 paths of 100 series over 6 years would need about "
                                        r"11\.2 GiB of memory; the limit is 476\.8 MiB"):
        check_simulation(100, 6, 100_000)
    monkeypatch.setenv("TALENT_MEMORY_LIMIT", "lots")
    with pytest.raises(Exception, match="TALENT_MEMORY_LIMIT='lots' is not a size"):
        memory_limit()


def test_a_command_never_writes_over_a_file_it_read(tmp_path: Path) -> None:
    from talent.errors import OutputError
    from talent.io.files import check_output, command_inputs
    from talent.io.folder import check_output_folder
    from talent.io.read import read_table

    data = tmp_path / "d" / "s.csv"
    data.parent.mkdir()
    data.write_text(SEMI, encoding="utf-8")
    check_output(data, [])  # outside a command nothing is recorded: the library relies on `inputs=`
    with command_inputs():
        read_table(data)
        with pytest.raises(OutputError, match="refusing to overwrite an input file"):
            check_output(data, [])
        with pytest.raises(OutputError, match=f"holds the input file {data}"):
            check_output_folder(data.parent, [])


def test_a_table_too_large_for_memory_is_refused_before_reading(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from talent.errors import ResourceLimitError
    from talent.io.read import read_table

    path = tmp_path / "s.csv"
    path.write_text(SEMI * 200, encoding="utf-8")  # about 180 KB
    monkeypatch.setenv("TALENT_MEMORY_LIMIT", "1MB")
    with pytest.raises(ResourceLimitError, match=rf"reading {path} \(17\d\.\d KiB\) as a table would need about "
                                                 r"4\.\d MiB of memory; the limit is 976\.6 KiB"):
        read_table(path)
