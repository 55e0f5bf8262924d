"""Damaged, hostile or unusual inputs other than series files: planning TOML, coverage, regional and taxonomy
files, run folders read by `talent report`, and output paths.

Each case failed before its fix: a wrong exit code, a message that did not name the key or value, a refusal
of a readable file, or a silent wrong result. The harness (`run_case`) also checks that no input changed and
that a failed command wrote nothing.
"""

from __future__ import annotations

import io
import json
import shutil
import warnings
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from tests.conftest import CliResult
from tests.test_talent_bad_inputs import GOOD, Case, run_case
from tests.test_talent_hostile_inputs import PLAN, PLANNING, _plan_case, _planning
from tests.test_talent_hostile_planning import PROVINCES

Cli = Callable[..., CliResult]

# --out with a suffix the command cannot write, or naming a folder: a bad option value, exit 2 everywhere
# (plan and gap exited 1, forecast and history 2)
OUT_CASES = [
    Case("plan-out-txt", {"s.csv": GOOD, "p.toml": PLANNING}, PLAN + " --out {d}/x.txt", 2,
         ("Invalid value for --out: '{d}/x.txt': unknown output format '.txt'; use a .csv, .xlsx, .json or .md "
          "file, e.g. plan.xlsx",)),
    Case("plan-out-no-suffix", {"s.csv": GOOD, "p.toml": PLANNING}, PLAN + " --out {d}/plan", 2,
         ("Invalid value for --out: '{d}/plan': no file suffix; use a .csv, .xlsx, .json or .md file",)),
    Case("plan-out-folder", {"s.csv": GOOD, "p.toml": PLANNING, "f/keep": "x"}, PLAN + " --out {d}/f", 2,
         ("Invalid value for --out: '{d}/f' is a folder; give a file name, e.g. {d}/f/plan.xlsx",)),
    Case("gap-out-txt", {"s.csv": GOOD}, "gap {d}/s.csv --paths 50 --out {d}/x.txt", 2,
         ("Invalid value for --out: '{d}/x.txt': unknown output format '.txt'; use a .csv, .xlsx, .md or .json "
          "file, e.g. gap.xlsx",)),
]


@pytest.mark.parametrize("case", OUT_CASES, ids=lambda c: c.id)
def test_out_names_are_usage_errors(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli: Cli) -> None:
    run_case(case, tmp_path, monkeypatch, cli)


@pytest.mark.parametrize("name", ["r.pdf", "r.csv", "r"])
def test_report_out_name_is_a_usage_error(name: str, small_run: Path, tmp_path: Path, cli: Cli) -> None:
    """`talent report --out r.pdf` exited 1; the other commands' bad --out names exit 2."""
    r = cli("report", str(small_run), "--out", str(tmp_path / name))
    assert r.code == 2 and "Traceback" not in r.err
    assert f"Invalid value for --out: '{tmp_path / name}': " in r.err and "use a .html or .htm file" in r.err
    assert not (tmp_path / name).exists()


# the diagnosis of an infeasible plan named constraints ("the applied faculty in 2025 (CN)"), not the
# planning file's keys that set them
ZERO_FACULTY = [
    _plan_case("faculty-zero", _planning("faculty = 22000", "faculty = 0"), 1,
               ("{d}/p.toml: no feasible plan (infeasible)", "relax faculty numbers: the applied faculty in 2025",
                "Fix: in {d}/p.toml, change one of: tiers.applied.faculty = 0; tiers.applied.students_per_faculty "
                "= 20; tiers.applied.faculty_growth = 0.1")),
    _plan_case("faculty-growth-zero", _planning("faculty = 22000\nfaculty_growth = 0.10",
                                                "faculty = 100\nfaculty_growth = 0"), 1,
               ("tiers.applied.faculty = 100; tiers.applied.students_per_faculty = 20; "
                "tiers.applied.faculty_growth = 0",)),
]


ZERO_FACULTY.append(Case("faculty-zero-provinces", {"s.csv": PROVINCES, "p.toml": _planning("faculty = 22000",
                                                                                             "faculty = 0")},
                         PLAN, 1, ("tiers.applied.faculty = 0;", 'regions.share."CN-HA".people',
                                   'regions.share."CN-BJ".people')))


@pytest.mark.parametrize("case", ZERO_FACULTY, ids=lambda c: c.id)
def test_infeasible_plan_names_the_keys(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                        cli: Cli) -> None:
    run_case(case, tmp_path, monkeypatch, cli)


def _copy(small_run: Path, tmp_path: Path) -> Path:
    out = tmp_path / "out"
    shutil.copytree(small_run, out)
    (out / "report_en.html").unlink(missing_ok=True)
    return out


def _edit_manifest(out: Path, **changes: object) -> None:
    doc = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    for key, value in changes.items():
        *parents, last = key.split(".")
        part = doc
        for p in parents:
            part = part[p]
        if value is None:
            del part[last]
        else:
            part[last] = value
    (out / "manifest.json").write_text(json.dumps(doc, indent=1), encoding="utf-8")


def _scale_cost(out: Path) -> None:
    path = out / "tables" / "plan_cost.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    head = lines[0].split(",")
    at = head.index("cost")
    rows = [line.split(",") for line in lines[1:]]
    for row in rows:
        row[at] = str(float(row[at]) / 2)
    path.write_text("\n".join([lines[0], *(",".join(r) for r in rows)]) + "\n", encoding="utf-8")


EDITS: list[tuple[str, Callable[[Path], None], str]] = [
    ("manifest-cost", lambda o: _edit_manifest(o, **{"plan.cost": 1.0}),
     "manifest.json (its checksum does not match its content)"),
    ("manifest-interval", lambda o: _edit_manifest(o, **{"settings.gap.interval": 0.5}),
     "manifest.json (its checksum does not match its content)"),
    ("table-cost-halved", _scale_cost, "tables/plan_cost.csv (its SHA-256 is not the one the manifest records)"),
    ("table-added", lambda o: shutil.copy(o / "tables" / "flow.csv", o / "tables" / "plan_regions.csv"),
     "tables/plan_regions.csv (not written by the run)"),
]


@pytest.mark.parametrize(("edit", "named"), [(e[1], e[2]) for e in EDITS], ids=[e[0] for e in EDITS])
def test_report_refuses_an_edited_folder(edit: Callable[[Path], None], named: str, small_run: Path,
                                         tmp_path: Path, cli: Cli) -> None:
    """A manifest or table edited after the run (plan.cost changed, a table halved) was reported as the run's."""
    out = _copy(small_run, tmp_path)
    edit(out)
    r = cli("report", str(out))
    assert r.code == 1 and "Traceback" not in r.err, r.err
    assert named in r.err and f"Error: {out}" in r.err
    assert not (out / "report_en.html").exists()


def test_report_of_an_edited_folder_when_allowed(small_run: Path, tmp_path: Path, cli: Cli) -> None:
    """--allow-edited draws it with a warning naming what changed; a table saved again with CRLF line ends and a
    byte-order mark is the same text, not an edit."""
    out = _copy(small_run, tmp_path)
    _scale_cost(out)
    path = out / "tables" / "stock.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    r = cli("report", str(out), "--allow-edited")
    assert r.code == 0 and (out / "report_en.html").exists(), r.err
    assert (f"Warning: {out}: files changed after `talent run` wrote them: tables/plan_cost.csv (its SHA-256 is "
            "not the one the manifest records); the report shows the edited files, not the run's results" in r.err)
    assert "stock.csv" not in r.err


def test_report_of_an_unsealed_folder_warns(small_run: Path, tmp_path: Path, cli: Cli) -> None:
    """A manifest without the seal (an older talent, or the keys deleted) cannot be checked: said so."""
    out = _copy(small_run, tmp_path)
    _edit_manifest(out, checksum=None, outputs=None)
    r = cli("report", str(out))
    assert r.code == 0, r.err
    assert f"Warning: {out / 'manifest.json'}: records no checksums of the run's tables" in r.err


# a planning (or settings) TOML saved by Windows Notepad as 'Unicode' (UTF-16 with a BOM) was refused
ENCODED = {"utf-16": PLANNING.encode("utf-16"), "utf-16-be": b"\xfe\xff" + PLANNING.encode("utf-16-be"),
           "utf-32": PLANNING.encode("utf-32")}


@pytest.mark.parametrize("encoding", list(ENCODED))
def test_planning_file_with_a_byte_order_mark(encoding: str, tmp_path: Path) -> None:
    from talent.config import load_planning

    (tmp_path / "p.toml").write_bytes(ENCODED[encoding])
    (tmp_path / "u.toml").write_text(PLANNING, encoding="utf-8")
    assert load_planning(tmp_path / "p.toml").raw == load_planning(tmp_path / "u.toml").raw


def test_plan_reads_a_utf16_planning_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli: Cli) -> None:
    """The same plan from the file saved as UTF-8 and as UTF-16: it was 'not a UTF-8 text file' (exit 1)."""
    plain = run_case(_plan_case("utf8", PLANNING, 0, ("optimal (HiGHS)",)), tmp_path, monkeypatch, cli)
    (tmp_path / "p.toml").write_bytes(ENCODED["utf-16"])
    r = cli(*PLAN.format(d=tmp_path).split())
    assert (r.code, r.out, r.err) == (0, plain.out, plain.err)


BAD_BYTES = [
    _plan_case("toml-gbk", PLANNING.encode("gb18030"), 1,
               ("{d}/p.toml: the planning file is not UTF-8 text: byte 0xcb on line 78 is not UTF-8 (saved in "
                "another encoding, such as GBK, Big5 or Windows-1252?). Fix: save the planning file as UTF-8",)),
    _plan_case("toml-cp1252", b"# caf\xe9\n" + PLANNING.encode(), 1,
               ("{d}/p.toml: the planning file is not UTF-8 text: byte 0xe9 on line 1",)),
    _plan_case("toml-workbook", b"PK\x03\x04" + bytes(range(256)) * 4, 1,
               ("{d}/p.toml: the planning file is not a text file (it looks like an Excel workbook or another ZIP "
                "archive). Fix: give a TOML text file as the planning file",)),
    _plan_case("toml-utf16-damaged", PLANNING.encode("utf-16")[:-1] + b"\x00\xd8", 1,
               ("{d}/p.toml: the planning file is not UTF-16 text",)),
]


@pytest.mark.parametrize("case", BAD_BYTES, ids=lambda c: c.id)
def test_planning_file_bytes(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli: Cli) -> None:
    run_case(case, tmp_path, monkeypatch, cli)


# Literacy-coverage files lacked what series files got: a title above the column names, Chinese column names,
# provinces by name, '2024年', notes below the table, a workbook's merged title from column B
COVERAGE_LINES = [line for line in (Path(__file__).parents[1] / "talent" / "assets" / "cn_literacy_coverage.csv")
                  .read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
COV_HEAD, COV_BODY = COVERAGE_LINES[0], COVERAGE_LINES[1:]


def _cov(head: str = COV_HEAD, body: list[str] | None = None, above: str = "", below: str = "") -> str:
    return above + "\n".join([head, *(COV_BODY if body is None else body)]) + "\n" + below


READ_COVERAGE = [  # (id, file text, regions read, a warning's words)
    ("title-rows", _cov(above="AI literacy coverage, China\n\n"), ["CN"],
     "the column names are in row 3; the rows above them are read as a title and skipped"),
    ("title-row-padded", _cov(above="AI literacy coverage,,,,,,\n,,,,,,\n"), ["CN"], "the column names are in row 3"),
    ("province-zh", _cov(body=[b.replace("CN,", "河南,", 1) for b in COV_BODY]), ["CN-HA"],
     "region names are read as their province codes: read '河南' as 'CN-HA' (first in row 2)"),
    ("province-sheng", _cov(body=[b.replace("CN,", "河南省,", 1) for b in COV_BODY]), ["CN-HA"],
     "read '河南省' as 'CN-HA'"),
    ("province-en", _cov(body=[b.replace("CN,", "Henan,", 1) for b in COV_BODY]), ["CN-HA"], "read 'Henan' as 'CN-HA'"),
    ("year-mark", _cov(body=[b.replace(",2024,", ",2024年,") for b in COV_BODY]), ["CN"], ""),
    ("chinese-columns", _cov(head=COV_HEAD.replace("region", "地区").replace("audience", "受众")
                             .replace("year", "年份").replace("population,", "人口,").replace("trained,", "已培训,")),
     ["CN"], ""),
    ("note-below", _cov(below="注：数据来源：教育部\n"), ["CN"],
     "the line(s) of text below the table are read as notes and skipped (row 30: '注：数据来源：教育部')"),
]


@pytest.mark.parametrize(("text", "regions", "warned"), [c[1:] for c in READ_COVERAGE],
                         ids=[c[0] for c in READ_COVERAGE])
def test_coverage_file_read_as_series_files_are(text: str, regions: list[str], warned: str, tmp_path: Path) -> None:
    from talent.io.coverage import load_coverage

    (tmp_path / "c.csv").write_text(text, encoding="utf-8")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        df = load_coverage(tmp_path / "c.csv")
    assert len(df) == len(COV_BODY) and sorted(set(df["region"])) == regions
    assert sorted(set(df["year"])) == list(range(2024, 2031))
    said = [str(w.message) for w in caught]
    assert (warned in " ".join(said)) if warned else said == [], said


BAD_COVERAGE = [  # (id, file text, the problem's words)
    ("year-out-of-range", _cov(body=[COV_BODY[0].replace(",2024,", ",1800,"), *COV_BODY[1:]]),
     "c.csv, row 2, column 'year': year out of range (value: '1800'). Fix: use a year between 1950 and 2100"),
    ("audience-typo", _cov(body=[COV_BODY[0].replace("managers", "manager"), *COV_BODY[1:]]),
     "c.csv, row 2, column 'audience': unknown audience (value: 'manager'). Fix: did you mean 'managers'?"),
    ("title-in-units", _cov(above="AI literacy coverage（万人）,,,,,,\n"),
     "c.csv, row 1: the title or note above the column names (row 2) says the values are in 万人, not in persons"),
]


@pytest.mark.parametrize(("text", "message"), [c[1:] for c in BAD_COVERAGE], ids=[c[0] for c in BAD_COVERAGE])
def test_coverage_file_problems(text: str, message: str, tmp_path: Path) -> None:
    from talent.errors import DataValidationError
    from talent.io.coverage import load_coverage

    (tmp_path / "c.csv").write_text(text, encoding="utf-8")
    with pytest.raises(DataValidationError) as err:
        load_coverage(tmp_path / "c.csv")
    assert message in str(err.value) and str(err.value).count("\n  - ") == 1, str(err.value)


def _sheet(path: Path, lines: list[str], merge_down: bool = False) -> None:
    """A workbook as a statistics office lays it out: a title merged over B1:H1, a unit note, the table from B4."""
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws["B1"] = "人工智能素养覆盖率"
    ws.merge_cells("B1:H1")
    ws["B2"] = "单位：人"
    for i, line in enumerate(lines):
        for j, v in enumerate(line.split(",")):
            ws.cell(row=4 + i, column=2 + j, value=int(v) if v.isdigit() and i else v)
    if merge_down:
        ws.merge_cells("B5:B7")
    wb.save(path)


def test_coverage_workbook_with_a_merged_title(tmp_path: Path) -> None:
    """The merged title's empty neighbours were read as filled cells ('column 3'…): the title was not a title."""
    from talent.io.coverage import load_coverage

    _sheet(tmp_path / "c.xlsx", COVERAGE_LINES)
    with pytest.warns(match=r"the column names are in row 4; the rows above them are read as a title and skipped "
                            r"\(row 1: '人工智能素养覆盖率'; row 2: '单位：人'\)"):
        df = load_coverage(tmp_path / "c.xlsx")
    assert len(df) == len(COV_BODY)


def test_coverage_workbook_merged_down_is_refused(tmp_path: Path) -> None:
    """A region merged down three rows was read as one region and two 'empty region' problems."""
    from talent.errors import InputFileError
    from talent.io.coverage import load_coverage

    _sheet(tmp_path / "c.xlsx", COVERAGE_LINES, merge_down=True)
    with pytest.raises(InputFileError, match=r"has cells merged down several rows \(B5:B7\).*unmerge them"):
        load_coverage(tmp_path / "c.xlsx")


def test_series_workbook_with_a_merged_title_from_column_b(tmp_path: Path) -> None:
    """The same title fix for series files: 'the column names are in row 3, not in the first row' before."""
    from talent.io.series import load_series

    _sheet(tmp_path / "s.xlsx", GOOD.splitlines())
    with pytest.warns(match="the column names are in row 4"):
        assert len(load_series(tmp_path / "s.xlsx")) == len(GOOD.splitlines()) - 1


PLANNING_SHAPES = [
    # [[plan]] (an array of tables) crashed the --until check: internal error, exit 70
    _plan_case("plan-array-of-tables", PLANNING.replace("[plan]", "[[plan]]", 1), 1,
               ("{d}/p.toml, key plan: must be a table",)),
    # a start before 1950 was blamed on --until (exit 2: 'plans 227 years (1800–2026)'), not on plan.start
    _plan_case("start-1800", _planning("start = 2025", "start = 1800"), 1,
               ("{d}/p.toml, key plan.start: must be greater than or equal to 1950 (value: 1800)",)),
    # a role written by its label got no hint: 'unknown role' and the list of ids
    _plan_case("role-by-label", _planning("machine_learning = 1.2", '"机器学习" = 1.2'), 1,
               ("{d}/p.toml, key weights.role.机器学习: unknown role '机器学习': the planning file names a role by its "
                "id, not by a label or alias (value: 1.2). Fix: write 'machine_learning' (the id of '机器学习')",)),
    _plan_case("audience-by-label", _planning("[pools.managers]", '[pools."管理层"]'), 1,
               ("key pools.管理层: unknown audience '管理层': the planning file names a audience by its id",
                "Fix: write 'managers'")),
]


COOP = 'tier = "applied"\naudiences = ["students"]'
PLANNING_SHAPES += [  # a list or a table where an id belongs: internal errors (TypeError: unhashable, not iterable)
    _plan_case("channel-tier-list", _planning(COOP, 'tier = ["applied"]\naudiences = ["students"]'), 1,
               ("{d}/p.toml, key channels.coop.tier: must be text (value: ['applied'])",)),
    _plan_case("channel-audience-true", _planning(COOP, 'tier = "applied"\naudiences = [true]'), 1,
               ("{d}/p.toml, key channels.coop.audiences[0]: unknown audience 'True' (value: True)",)),
]


@pytest.mark.parametrize("case", PLANNING_SHAPES, ids=lambda c: c.id)
def test_planning_file_shapes(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli: Cli) -> None:
    r = run_case(case, tmp_path, monkeypatch, cli)
    assert "- --until:" not in r.err  # the file's problems, not the option's


@pytest.mark.parametrize("name", ["河南", "河南省", "Henan"])
def test_plan_region_by_name(name: str, tmp_path: Path) -> None:
    """[plan] region = "河南" was refused ('the data has no series for this region'), though `--region 河南` and
    data files read a province's name as its code."""
    from talent.config import load_planning

    (tmp_path / "p.toml").write_text(_planning('region = "CN"', f'region = "{name}"'), encoding="utf-8")
    with pytest.warns(match=f"key plan.region: region names are read as their province codes: read '{name}' as "
                            "'CN-HA'; write the code to silence this"):
        assert load_planning(tmp_path / "p.toml").plan["region"] == "CN-HA"


def test_gap_says_why_the_coverage_table_is_left_out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                    cli: Cli) -> None:
    """A coverage file with rows for other regions only (US for CN data): `talent gap --planning` and `talent run`
    left the coverage table out without a word."""
    coverage = "\n".join(COVERAGE_LINES).replace("\nCN,", "\nUS,") + "\n"
    case = Case("coverage-other-region", {"s.csv": GOOD, "p.toml": PLANNING, "cn_literacy_coverage.csv": coverage},
                "gap {d}/s.csv --paths 50 --planning {d}/p.toml --year 2030", 0,
                ("Warning: {d}/cn_literacy_coverage.csv: the literacy coverage data has rows for US only, none for "
                 "the regions of the series data (CN): the coverage table is left out",))
    run_case(case, tmp_path, monkeypatch, cli)


TAXONOMY = (Path(__file__).parents[1] / "talent" / "assets" / "taxonomy.toml").read_text(encoding="utf-8")
NLP = '\n[[roles]]\nid = "nlp"\nen = "Natural language processing"\nzh = "自然语言处理"\n'
BAD_TAXONOMY = [  # (id, text, message): each was an internal error or a silent guess
    ("entry-not-a-table", "roles = [1]\n" + TAXONOMY.replace("[[roles]]", "[[roles_x]]"),
     r"\[\[roles\]\] entry 1 is int 1, not a table"),
    ("alias-of-two-roles", TAXONOMY + NLP + 'aliases = ["ml"]\n',
     r"\[\[roles\]\] 'ml' names both 'machine_learning' and 'nlp' \(as an id, label or alias\)"),
    ("label-of-two-roles", TAXONOMY + NLP.replace("Natural language processing", "Machine learning"),
     r"'machine learning' names both 'machine_learning' and 'nlp'"),
    ("aliases-text", TAXONOMY + NLP + 'aliases = "nl"\n', r"\('nlp'\): aliases must be a list of names"),
    ("attrition-text", TAXONOMY.replace("attrition = 0.03", 'attrition = "3%"', 1),
     r"\('expert'\): attrition must be a share of the stock leaving a year, from 0 to 1"),
    ("attrition-above-1", TAXONOMY.replace("attrition = 0.03", "attrition = 3", 1), r"attrition must be a share"),
    ("id-twice-in-case", TAXONOMY + NLP + NLP.replace('"nlp"', '"NLP"'), r"id 'NLP' appears twice"),
]


@pytest.mark.parametrize(("text", "message"), [c[1:] for c in BAD_TAXONOMY], ids=[c[0] for c in BAD_TAXONOMY])
def test_taxonomy_file_problems(text: str, message: str, tmp_path: Path) -> None:
    from talent.errors import ConfigError
    from talent.taxonomy import load_taxonomy

    (tmp_path / "t.toml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        load_taxonomy(tmp_path / "t.toml")


def test_provinces_more_than_their_country_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                       cli: Cli) -> None:
    """Provinces that each had all of the country's supply and demand (twice the country together) were each given
    the whole national budget, faculty and candidates: the plan spent twice the country's money, silently."""
    twice = GOOD + "".join(line.replace("CN,", f"{code},", 1) + "\n" for code in ("CN-HA", "CN-BJ")
                           for line in GOOD.splitlines()[1:])
    case = Case("provinces-twice-the-country", {"s.csv": twice, "p.toml": PLANNING}, PLAN, 1,
                ("{d}/s.csv: the regions planned have 2 times CN's professional supply (each in its last observed "
                 "year; CN-BJ 1, CN-HA 1;", "so their people shares of CN's figures in {d}/p.toml would sum to more "
                 "than the whole (value: 2.0). Fix: correct the supply rows (provinces are parts of CN: together at "
                 "most its total), or give each region's people in [regions.share] of {d}/p.toml",
                 "2 times CN's professional demand"))
    run_case(case, tmp_path, monkeypatch, cli)


@pytest.mark.parametrize(("table", "value"), [("plan_cost", "inf"), ("coverage", "-inf"), ("plan_cost", "1e300")])
def test_report_names_a_year_that_is_not_one(table: str, value: str, small_run: Path, tmp_path: Path,
                                             cli: Cli) -> None:
    """A year of inf in a table the report reads was an internal error (OverflowError, exit 70)."""
    out = _copy(small_run, tmp_path)
    path = out / "tables" / f"{table}.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    at = lines[0].split(",").index("year")
    cells = lines[1].split(",")
    cells[at] = value
    path.write_text("\n".join([lines[0], ",".join(cells), *lines[2:]]) + "\n", encoding="utf-8")
    r = cli("report", str(out))
    assert r.code == 1 and "Traceback" not in r.err, r.err
    assert f"Error: {path}, row 2, column 'year': damaged: not a calendar year from 1950 to 2100" in r.err


@pytest.mark.parametrize(("table", "column", "value"), [("plan_duals", "year", "x"), ("plan_duals", "persons", "abc"),
                                                        ("plan_plan", "industry_share", "abc")])
def test_report_names_text_in_the_plan_tables(table: str, column: str, value: str, small_run: Path, tmp_path: Path,
                                              cli: Cli) -> None:
    """Text in plan_duals.csv's year or persons column, or plan_plan.csv's industry_share, was an internal error
    (ValueError, TypeError: exit 70)."""
    out = _copy(small_run, tmp_path)
    path = out / "tables" / f"{table}.csv"
    frame = pd.read_csv(path)
    frame[column] = frame[column].astype(object)
    frame.loc[0, column] = value
    frame.to_csv(path, index=False)
    r = cli("report", str(out))
    assert r.code == 1 and "Traceback" not in r.err, r.err
    assert f"Error: {path}, row 2, column '{column}': damaged: " in r.err and f"(value: '{value}')" in r.err


@pytest.mark.parametrize(("command", "name"), [(PLAN + " --out {d}/" + "x" * 245 + ".csv", "x" * 249),
                                               (PLAN + " --out {d}/" + "x" * 300 + ".csv", "x" * 304),
                                               ("run --data {d}/s.csv --planning {d}/p.toml --no-store --until 2026 "
                                                "--paths 50 --out {d}/" + "z" * 230, "z" * 230)])
def test_output_name_too_long(command: str, name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                              cli: Cli) -> None:
    """A name the file system takes but not its temporary sibling failed after the solve ('File name too long');
    a longer one was an operating-system error without the fix."""
    case = Case("name-too-long", {"s.csv": GOOD, "p.toml": PLANNING}, command, 1,
                (f"the name '{name[:22]}… ({len(name)} characters)' is {len(name)} bytes, more than the",
                 "this file system allows here; choose a shorter name"))
    r = run_case(case, tmp_path, monkeypatch, cli)
    assert r.out == ""  # refused before the work


def test_many_demand_scenarios_print_no_pandas_warning() -> None:
    """A planning file of 99 demand scenarios (q01 … q99) printed pandas' 'DataFrame is highly fragmented'
    PerformanceWarning to the user: one column insert per quantile."""
    import numpy as np

    from talent.gaps.simulate import PathSet

    paths = PathSet(years=[2025, 2026], paths={("CN", "ml", "expert", "demand"): np.arange(2000.0).reshape(2, 1000)})
    quantiles = [i / 200 for i in range(1, 200)]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        table = paths.summary(quantiles)
    assert table.shape == (2, 6 + len(quantiles)) and table["q50"].tolist() == [499.5, 1499.5]


def test_regional_table_with_text_for_money(tmp_path: Path) -> None:
    """Text in plan_regions.csv's cost (a regional run's table) was an internal error (ValueError) in the report."""
    from talent.errors import InputFileError
    from talent.present.damage import read_run_table

    (tmp_path / "tables").mkdir()
    path = tmp_path / "tables" / "plan_regions.csv"
    pd.DataFrame({"region": ["CN-HA", "CN-BJ"], "intake": [1.0, 2.0], "cost": ["abc", 2.0], "regional": [2.0, 2.0],
                  "central": [0.0, 0.0], "industry": [0.0, 0.0], "year": [2030, 2030], "gap_before": [5.0, 5.0],
                  "gap_after": [4.0, 4.0], "gap_share": [0.5, 0.5]}).to_csv(path, index=False)
    with pytest.raises(InputFileError, match=r"plan_regions.csv, row 2, column 'cost': damaged: text where a number "
                                             r"belongs \(value: 'abc'\)"):
        read_run_table(path, tmp_path)


def test_coverage_json_names_records(tmp_path: Path) -> None:
    """A coverage file as JSON records named 'row 2, column ...' where series files name 'record 2, key ...'."""
    from talent.errors import DataValidationError
    from talent.io.coverage import load_coverage

    path = tmp_path / "c.json"
    path.write_text(json.dumps([{"region": "CN", "audience": "managers", "year": 2024, "population": 100,
                                 "trained": 5},
                                {"region": "CN", "audience": "managerz", "year": 2025, "population": 100,
                                 "trained": 5}]), encoding="utf-8")
    with pytest.raises(DataValidationError, match=r"c.json, record 2, key 'audience': unknown audience \(value: "
                                                  r"'managerz'\). Fix: did you mean 'managers'\?"):
        load_coverage(path)


@pytest.fixture(scope="module")
def provinces_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`talent run` of CN and two provinces: a folder with the regional tables (plan_regions.csv)."""
    from talent.cli import main
    from tests.test_talent_bad_inputs import _make

    d = tmp_path_factory.mktemp("provinces_run")
    _make(d, {"s.csv": PROVINCES, "p.toml": PLANNING})
    with pytest.raises(SystemExit) as exc:
        main(["run", "--data", str(d / "s.csv"), "--planning", str(d / "p.toml"), "--out", str(d / "out"),
              "--paths", "50", "--no-store", "--no-explain", "--until", "2026"])
    assert exc.value.code in (0, None)
    assert (d / "out" / "tables" / "plan_regions.csv").exists()
    return d / "out"


@pytest.mark.parametrize(("edit", "message"), [
    (lambda d: d.assign(region=["", *d["region"][1:]]), "row 2, column 'region': damaged: not a region of the run's "
                                                        "stock table (value: nan)"),
    (lambda d: d.assign(region=["CN-ZZ", *d["region"][1:]]), "row 2, column 'region': damaged: not a region of the "
                                                             "run's stock table (value: 'CN-ZZ')"),
    (lambda d: pd.concat([d, d.head(1)]), "row 4, column 'region': damaged: a region given twice")])
def test_report_names_bad_regions_of_the_plan(edit: Callable[[pd.DataFrame], pd.DataFrame], message: str,
                                              provinces_run: Path, tmp_path: Path, cli: Cli) -> None:
    """An empty, unknown or repeated region in plan_regions.csv was an internal error (KeyError, TypeError)."""
    out = _copy(provinces_run, tmp_path)
    path = out / "tables" / "plan_regions.csv"
    edit(pd.read_csv(path)).to_csv(path, index=False)
    r = cli("report", str(out))
    assert r.code == 1 and "Traceback" not in r.err, r.err
    assert f"Error: {path}, {message}" in r.err


def test_report_of_a_folder_with_a_users_own_table(small_run: Path, tmp_path: Path, cli: Cli) -> None:
    """A user's own notes.csv beside the run's tables is no edit of the run: the report does not read it."""
    out = _copy(small_run, tmp_path)
    (out / "tables" / "notes.csv").write_text("note\nchecked by the planning office\n", encoding="utf-8")
    r = cli("report", str(out))
    assert r.code == 0 and "changed after" not in r.err, r.err


def _two_sheets(path: Path) -> None:
    frame = pd.read_csv(io.StringIO("\n".join(COVERAGE_LINES) + "\n"))
    with pd.ExcelWriter(path) as w:
        frame.to_excel(w, sheet_name="2024", index=False)
        frame.to_excel(w, sheet_name="2025", index=False)


@pytest.mark.parametrize(("sheet", "code", "expect"), [
    ("", 1, ("{d}/c.xlsx: the workbook has 2 sheets with data ('2024', '2025'); choose one with sheet = \"NAME\" in "
             "the planning file's [coverage]",)),
    ('sheet = "2025"\n', 0, ("optimal (HiGHS)",))])
def test_coverage_workbook_sheet(sheet: str, code: int, expect: tuple[str, ...], tmp_path: Path,
                                 monkeypatch: pytest.MonkeyPatch, cli: Cli) -> None:
    """A coverage workbook of two sheets was refused with '--sheet NAME', an option no command has for it."""
    planning = _planning('data = "cn_literacy_coverage.csv"', f'data = "c.xlsx"\n{sheet}')
    run_case(_plan_case("coverage-sheets", planning, code, expect, **{"c.xlsx": _two_sheets}), tmp_path, monkeypatch,
             cli)


def test_coverage_provenance_in_any_case(tmp_path: Path) -> None:
    """'Published' (as a spreadsheet capitalises it) was 'unknown provenance', where ids are read in any case."""
    from talent.io.coverage import load_coverage

    (tmp_path / "c.csv").write_text(_cov(body=[b.replace(",modelled,", ",Published,", 1) for b in COV_BODY]),
                                    encoding="utf-8")
    df = load_coverage(tmp_path / "c.csv")
    assert set(df["population_status"]) == {"published"}


@pytest.mark.parametrize("name", ["notes.docx", "tables/my_notes.csv", "tables/readme.txt"])
def test_run_keeps_a_users_files_in_an_earlier_output_folder(name: str, small_run: Path, tmp_path: Path,
                                                             cli: Cli) -> None:
    """A user's own file left in an earlier run's folder was deleted with the folder by the next `talent run`."""
    out = tmp_path / "out"
    shutil.copytree(small_run, out)
    (out / name).write_text("mine", encoding="utf-8")
    (tmp_path / "s.csv").write_text(GOOD, encoding="utf-8")
    r = cli("run", "--data", str(tmp_path / "s.csv"), "--out", str(out), "--no-store", "--paths", "50")
    assert r.code == 1 and "Traceback" not in r.err, r.err
    assert (f"Error: {out}: holds files that `talent run` did not write ({name}); a run replaces the whole folder: "
            "move them out, or choose a new or empty folder") in r.err
    assert (out / name).read_text(encoding="utf-8") == "mine"


def test_report_names_a_fractional_year(small_run: Path, tmp_path: Path, cli: Cli) -> None:
    """2025.5 in plan_cost.csv's year was read as a year (the report made it 2025)."""
    out = _copy(small_run, tmp_path)
    path = out / "tables" / "plan_cost.csv"
    frame = pd.read_csv(path)
    frame["year"] = frame["year"].astype(float)
    frame.loc[0, "year"] = 2025.5
    frame.to_csv(path, index=False)
    r = cli("report", str(out))
    assert r.code == 1 and "Traceback" not in r.err, r.err
    assert f"Error: {path}, row 2, column 'year': damaged: not a whole year (value: 2025.5)" in r.err


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16"])
def test_report_of_a_manifest_saved_again(encoding: str, small_run: Path, tmp_path: Path, cli: Cli) -> None:
    """A manifest opened and saved by an editor (a byte-order mark, UTF-16, CRLF) was 'not valid JSON' though
    its content is the run's; the tables were read so already."""
    out = _copy(small_run, tmp_path)
    path = out / "manifest.json"
    path.write_bytes(path.read_text(encoding="utf-8").replace("\n", "\r\n").encode(encoding))
    r = cli("report", str(out))
    assert r.code == 0 and "changed after" not in r.err, r.err


@pytest.mark.parametrize(("header", "message"), [
    ("population (万人)", "column 'population (万人)': the column gives population in 万人, not in persons. Fix: "
                        "multiply the values to persons and rename the column to 'population'"),
    ("人口（万人）", "column '人口（万人）': the column gives population in 万人, not in persons"),
    ("population (persons)", None)])
def test_coverage_column_units(header: str, message: str | None, tmp_path: Path) -> None:
    """'population (万人)' was 'required column population is missing', without a word on its unit; a unit of
    persons in brackets was refused the same way."""
    from talent.errors import DataValidationError
    from talent.io.coverage import load_coverage

    (tmp_path / "c.csv").write_text(_cov(head=COV_HEAD.replace("population,", f"{header},", 1)), encoding="utf-8")
    if message is None:
        assert len(load_coverage(tmp_path / "c.csv")) == len(COV_BODY)
        return
    with pytest.raises(DataValidationError) as err:
        load_coverage(tmp_path / "c.csv")
    assert message in str(err.value)


@pytest.mark.parametrize(("make", "what"), [(lambda p: p.symlink_to(p.name), "the file is a symbolic link loop"),
                                            (lambda p: p.write_bytes(b""), "the file is empty")])
def test_coverage_file_errors_name_the_key(make: Callable[[Path], None], what: str, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch, cli: Cli) -> None:
    """A coverage file that cannot be read was named without the planning file's key that named it."""
    case = _plan_case("coverage-unreadable", _planning('data = "cn_literacy_coverage.csv"', 'data = "c.csv"'), 1,
                      (f"{{d}}/c.csv: {what}", "(the coverage data named by {d}/p.toml, key coverage.data)"),
                      **{"c.csv": make})
    run_case(case, tmp_path, monkeypatch, cli)
