"""Bad-input suite, outputs (issue 15): formula and script injection, interrupted and killed runs,
leftovers, mixed folders, and `talent report` on damaged output folders."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from talent.config import load_settings
from talent.io.write import write_table
from talent.run import run_pipeline
from tests.conftest import ROOT, CliResult
from tests.test_talent_bad_inputs import GOOD

Cli = Callable[..., CliResult]
HOSTILE = ['=HYPERLINK("http://x","click")', "+1+2", "-1+2", "@SUM(1+1)", "\tx", "\rx", "plain"]


def _snapshot(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One small complete run (2 series, 50 paths) that the tests copy, never change."""
    folder = tmp_path_factory.mktemp("bad_outputs")
    (folder / "s.csv").write_text(GOOD, encoding="utf-8")
    run_pipeline(folder / "s.csv", out=folder / "out", settings=load_settings(None, forecast_paths=50))
    return folder / "out"


def test_csv_and_xlsx_neutralise_formulas_and_leave_numbers(tmp_path: Path) -> None:
    frame = pd.DataFrame({"text": HOSTILE, "number": [-5, 1, 2, 3, 4, 5, -0.0]})
    write_table(frame, tmp_path / "t.csv")
    write_table(frame, tmp_path / "t.xlsx")
    csv = pd.read_csv(tmp_path / "t.csv", keep_default_na=False)
    assert csv["text"].tolist() == ["'" + v.replace("\r", "\n") for v in HOSTILE[:6]] + ["plain"]
    assert csv["number"].tolist() == [-5, 1, 2, 3, 4, 5, 0]
    assert "-0" not in (tmp_path / "t.csv").read_text(encoding="utf-8")
    ws = openpyxl.load_workbook(tmp_path / "t.xlsx")["data"]
    cells = [c for row in ws.iter_rows(min_row=2) for c in row]
    assert all(c.data_type != "f" for c in cells)
    assert [ws.cell(r, 1).value for r in range(2, 9)] == ["'" + v.replace("\r", "\n") for v in HOSTILE[:6]] + ["plain"]
    assert ws.cell(2, 2).value == -5 and ws.cell(2, 2).data_type == "n"


def test_markdown_has_no_raw_html(tmp_path: Path) -> None:
    write_table(pd.DataFrame({"a": ["<script>alert(1)</script>", "x|y"]}), tmp_path / "t.md")
    text = (tmp_path / "t.md").read_text(encoding="utf-8")
    assert "<script>" not in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text and "x\\|y" in text


def test_gap_exports_neutralise_an_injected_region(run_dir: Path, tmp_path: Path, cli: Cli) -> None:
    from talent.gaps.tables import GapTables
    from talent.present.export import export_gap

    tables = {n: pd.read_csv(run_dir / "tables" / f"{n}.csv") for n in ("stock", "flow", "models")}
    for t in tables.values():
        t["region"] = HOSTILE[0]
    gap = GapTables(tables["stock"], tables["flow"], tables["models"], {"inputs": {}})
    export_gap(gap, tmp_path / "g.xlsx", "en")
    export_gap(gap, tmp_path / "g.csv", "zh")
    for sheet in openpyxl.load_workbook(tmp_path / "g.xlsx").worksheets:
        assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
    for name in ("g.csv", "g.flow.csv", "g.models.csv"):
        regions = pd.read_csv(tmp_path / name).iloc[:, 0]
        assert set(regions) == {"'" + HOSTILE[0]}


def test_report_escapes_text_from_a_tampered_folder(run_dir: Path, tmp_path: Path, cli: Cli) -> None:
    folder = tmp_path / "out"
    shutil.copytree(run_dir, folder)
    stock = pd.read_csv(folder / "tables" / "stock.csv")
    stock["region"] = "<script>alert(1)</script>"
    stock.to_csv(folder / "tables" / "stock.csv", index=False)
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    manifest["created"] = "<img src=x onerror=alert(2)>"
    manifest["plan"] = {"status": "skipped", "reason": "<b onmouseover=alert(3)>"}
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    r = cli("report", str(folder))  # a folder changed after the run is refused (talent.io.seal) …
    assert r.code == 1 and "files changed after `talent run` wrote them: manifest.json" in r.err, r.err
    r = cli("report", str(folder), "--allow-edited")  # … and, drawn anyway, escaped
    assert r.code == 0, r.err
    html = (folder / "report_en.html").read_text(encoding="utf-8")
    for raw in ("<script>alert", "<img src=x", "<b onmouseover"):
        assert raw not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "&lt;img src=x onerror=alert(2)&gt;" in html


def test_an_interrupted_run_leaves_the_previous_folder(run_dir: Path, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    shutil.copytree(run_dir, out)
    before = _snapshot(out)

    def interrupted(*args: object, **kwargs: object) -> Path:
        raise KeyboardInterrupt

    monkeypatch.setattr("talent.present.report.render_report", interrupted)
    (tmp_path / "s.csv").write_text(GOOD, encoding="utf-8")
    with pytest.raises(KeyboardInterrupt):
        run_pipeline(tmp_path / "s.csv", out=out, settings=load_settings(None, forecast_paths=50, forecast_seed=7))
    assert _snapshot(out) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "s.csv"]  # no partial folder left


KILLER = """
import os, signal, sys
calls = []
real = os.replace
def replace(a, b):
    calls.append(b)
    if len(calls) == 4:  # a few files of the new run are written: die as `kill -9` would
        os.kill(os.getpid(), signal.SIGKILL)
    return real(a, b)
os.replace = replace
from talent.cli import main
main(sys.argv[1:])
"""


def test_a_killed_run_leaves_no_mixed_folder_and_the_next_run_cleans_up(run_dir: Path, tmp_path: Path,
                                                                        cli: Cli) -> None:
    out = tmp_path / "out"
    shutil.copytree(run_dir, out)
    before = _snapshot(out)
    (tmp_path / "s.csv").write_text(GOOD, encoding="utf-8")
    args = ["run", "--data", str(tmp_path / "s.csv"), "--out", str(out), "--paths", "50", "--seed", "3", "--no-explain"]
    proc = subprocess.run([sys.executable, "-c", KILLER, *args], cwd=tmp_path, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, check=False, timeout=120)
    assert proc.returncode == -9, proc.stderr
    assert _snapshot(out) == before  # the earlier run, untouched
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(".out.partial-")]
    assert len(leftovers) == 1
    r = cli(*args)
    assert r.code == 0, r.err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "s.csv", "talent-runs.duckdb"]  # + the run store
    assert json.loads((out / "manifest.json").read_text(encoding="utf-8"))["settings"]["forecast"]["seed"] == 3


def test_a_rerun_never_mixes_two_runs_and_keeps_leftovers_of_live_runs(run_dir: Path, tmp_path: Path,
                                                                        cli: Cli) -> None:
    out = tmp_path / "out"
    shutil.copytree(run_dir, out)
    (out / "report_xx.html").write_text("from an earlier run", encoding="utf-8")
    (out / "tables" / "plan_stale.csv").write_text("region\nCN\n", encoding="utf-8")
    (tmp_path / "s.csv").write_text(GOOD, encoding="utf-8")
    dead, live = tmp_path / ".out.old-999999999-0a1b", tmp_path / ".out.partial-1-0a1b"  # pid 1 is always alive
    for p in (dead, live):
        p.mkdir()
    r = cli("run", "--data", str(tmp_path / "s.csv"), "--out", str(out), "--paths", "50", "--lang", "zh")
    assert r.code == 0, r.err
    assert not (out / "report_xx.html").exists() and not (out / "tables" / "plan_stale.csv").exists()
    assert not (out / "report_en.html").exists() and (out / "report_zh.html").exists()
    assert not dead.exists() and live.exists()


def _tamper(name: str, text: str | None) -> Callable[[Path], None]:
    def apply(folder: Path) -> None:
        path = folder / name
        if text is None:
            path.unlink()
        else:
            path.write_text(text, encoding="utf-8")
    return apply


def _manifest(change: Callable[[dict[str, object]], object]) -> Callable[[Path], None]:
    def apply(folder: Path) -> None:
        doc = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        change(doc)
        (folder / "manifest.json").write_text(json.dumps(doc), encoding="utf-8")
    return apply


def _year_as_text(folder: Path) -> None:
    path = folder / "tables" / "stock.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    cells = lines[3].split(",")
    cells[lines[0].split(",").index("year")] = "twenty"
    path.write_text("\n".join([*lines[:3], ",".join(cells), *lines[4:]]) + "\n", encoding="utf-8")


DAMAGE = [
    ("manifest-not-json", _tamper("manifest.json", "{bad"), "manifest.json: the run manifest is not valid JSON"),
    ("manifest-a-list", _tamper("manifest.json", "[1, 2]"),
     "manifest.json: not a run manifest written by `talent run` (the document: must be an object)"),
    ("manifest-missing", _tamper("manifest.json", None), "manifest.json: missing; run `talent run --out"),
    ("manifest-no-settings", _manifest(lambda d: d.pop("settings")), "(settings: field required)"),
    ("manifest-interval-text", _manifest(lambda d: d["settings"]["gap"].update(interval="x")),  # type: ignore[index]
     "(settings.gap.interval: must be a valid number"),
    ("manifest-plan-not-object", _manifest(lambda d: d.update(plan=5)), "(plan: must be an object)"),
    ("table-empty-file", _tamper("tables/stock.csv", ""), "stock.csv: not a readable table (No columns to parse"),
    ("table-header-only", _tamper("tables/stock.csv", "region,role\n"), "stock.csv: the table has no rows"),
    ("table-missing", _tamper("tables/models.csv", None), "models.csv: missing"),
    ("table-column-missing", _tamper("tables/models.csv", "region,role\nCN,x\n"),
     "models.csv: damaged: column(s) level, kind, model, score missing; re-run `talent run`"),
    ("table-text-in-numbers", _year_as_text, "stock.csv: damaged: column 'year' holds text where numbers belong "
                                             "(value: 'twenty')"),
    ("table-binary", _tamper("tables/stock.csv", "\x00\x01\x02"), "stock.csv: this is not a text table"),
]


@pytest.mark.parametrize(("damage", "message"), [(d, m) for _, d, m in DAMAGE], ids=[i for i, _, _ in DAMAGE])
def test_report_on_a_damaged_folder_names_the_damage(run_dir: Path, tmp_path: Path, cli: Cli,
                                                     damage: Callable[[Path], None], message: str) -> None:
    folder = tmp_path / "out"
    shutil.copytree(run_dir, folder)
    (folder / "report_en.html").unlink()
    damage(folder)
    before = _snapshot(folder)
    r = cli("report", str(folder))
    assert r.code == 1 and r.err.startswith("Error: ") and "Traceback" not in r.err
    assert message in r.err
    assert _snapshot(folder) == before


@pytest.mark.parametrize("table", ["stock", "models", "coverage", "plan_cost", "plan_expected_gap",
                                   "plan_plan", "plan_duals", "plan_ranges", "plan_limits"])
def test_every_table_the_report_reads_is_checked(run_dir: Path, tmp_path: Path, cli: Cli, table: str) -> None:
    """Any table of the folder with foreign columns is named as damaged (plan_ranges and coverage used to
    end in an internal error)."""
    folder = tmp_path / "out"
    shutil.copytree(run_dir, folder)
    (folder / "tables" / f"{table}.csv").write_text("garbage,x\n1,2\n", encoding="utf-8")
    r = cli("report", str(folder))
    assert r.code == 1 and f"tables/{table}.csv: damaged: column(s) " in r.err and "internal error" not in r.err


@pytest.mark.parametrize("target", ["tables/stock.csv", "manifest.json"])
def test_report_never_writes_over_what_it_reads(run_dir: Path, tmp_path: Path, cli: Cli, target: str) -> None:
    folder = tmp_path / "out"
    shutil.copytree(run_dir, folder)
    before = _snapshot(folder)
    r = cli("report", str(folder), "--out", str(folder / target))
    assert (r.code, r.err) == (1, f"Error: {folder / target}: refusing to overwrite an input file; "
                                  "choose another output path\n")
    assert _snapshot(folder) == before


def test_report_on_a_file_or_a_loop(tmp_path: Path, cli: Cli) -> None:
    (tmp_path / "f").write_text("x", encoding="utf-8")
    (tmp_path / "loop").symlink_to("loop")
    assert cli("report", str(tmp_path / "f")).err == (f"Error: {tmp_path / 'f'}: is a file, not an output folder; "
                                                        "give the folder `talent run` wrote\n")
    assert cli("report", str(tmp_path / "loop")).err == (f"Error: {tmp_path / 'loop'}: the output folder is a "
                                                           "symbolic link loop\n")


@pytest.mark.parametrize("args", [("gap", "--out", "tables/stock.csv"), ("gap", "--out", "gap.xlsx"),
                                  ("forecast", "--out", "tables/forecast.csv")])
def test_gap_and_forecast_never_write_into_a_run_folder(run_dir: Path, tmp_path: Path, cli: Cli,
                                                         args: tuple[str, str, str]) -> None:
    """`gap --out OUT/tables/stock.csv` replaced the run's own table (and `report` then refused the folder as
    edited); `forecast --out` added to it. Both are refused before the work, and nothing in the folder changes."""
    import shutil

    folder = tmp_path / "out"
    shutil.copytree(run_dir, folder)
    before = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    command, option, name = args
    r = cli(command, str(run_dir.parent / "s.csv"), option, str(folder / name))
    assert r.code == 1
    assert f"Error: {folder / name}: is inside the output folder {folder} of `talent run`" in r.err
    assert {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()} == before
