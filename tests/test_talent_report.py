"""`talent run` end to end and the HTML report: outputs, determinism, text against tables, Chromium rendering."""

from __future__ import annotations

import re
import shutil
import subprocess
import warnings
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from fontTools.ttLib import TTFont

from talent.present.report import build_html
from talent.present.fonts import FONT_PATH
from talent.run import RunResult, run_pipeline
from talent.config import load_settings
from tests.conftest import ASSETS, ROOT, CliResult

Cli = Callable[..., CliResult]
ARTIFACTS = ROOT / "tests" / "artifacts"


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, RunResult]:
    out = tmp_path_factory.mktemp("run")
    return out, run_pipeline(out=out, settings=load_settings(forecast_paths=300))


def test_run_writes_every_output(run_dir: tuple[Path, RunResult]) -> None:
    out, result = run_dir
    expected = {"report_en.html", "gap.xlsx", "gap.csv", "gap.flow.csv", "gap.models.csv", "gap.manifest.json",
                "plan.xlsx", "manifest.json", "tables/stock.csv", "tables/plan_plan.csv", "tables/plan_duals.csv"}
    written = {str(p.relative_to(out)) for p in result.files}
    assert expected <= written
    assert all((out / name).stat().st_size > 0 for name in expected)


def test_run_twice_gives_identical_tables(run_dir: tuple[Path, RunResult], tmp_path: Path) -> None:
    out, _ = run_dir
    run_pipeline(out=tmp_path, settings=load_settings(forecast_paths=300))
    for path in [*sorted((out / "tables").glob("*.csv")), out / "gap.csv", out / "gap.flow.csv"]:
        assert path.read_bytes() == (tmp_path / path.relative_to(out)).read_bytes(), path.name
    for book in ("gap.xlsx", "plan.xlsx"):
        a = pd.read_excel(out / book, sheet_name=None)
        b = pd.read_excel(tmp_path / book, sheet_name=None)
        for sheet in a:
            if sheet not in ("provenance", "来源说明"):
                pd.testing.assert_frame_equal(a[sheet], b[sheet])


def test_report_is_self_contained_with_charts_and_tables(run_dir: tuple[Path, RunResult]) -> None:
    out, _ = run_dir
    page = (out / "report_en.html").read_text(encoding="utf-8")
    assert page.count("<svg") >= 6 and page.count("<table>") >= 4
    assert not re.search(r"""(src|href)=["']?https?:""", page), "external asset"
    assert "<script src" not in page and "<link" not in page


def test_report_sentences_match_the_tables(run_dir: tuple[Path, RunResult]) -> None:
    out, _ = run_dir
    page = (out / "report_en.html").read_text(encoding="utf-8")
    stock = pd.read_csv(out / "tables" / "stock.csv")
    total = stock.query("year == 2030 and role == 'all' and level == 'all'").iloc[0]
    sentence = re.search(r"In 2030, CN's demand .*? projected at ([\d.]+) million persons and supply at ([\d.]+) "
                         r"million: a gap of ([\d.]+) million .*?supply ([\d.]+)% of demand", page)
    assert sentence, "headline sentence missing"
    d, s, g, ratio = (float(x) for x in sentence.groups())
    assert (d, s, g) == (round(total["demand"] / 1e6, 2), round(total["supply"] / 1e6, 2), round(total["gap"] / 1e6, 2))
    assert ratio == round(total["ratio"] * 100, 1)
    cost = pd.read_csv(out / "tables" / "plan_cost.csv")["cost"].sum()
    assert f"The plan costs {cost:,.0f} million CNY" in page
    exp = pd.read_csv(out / "tables" / "plan_expected_gap.csv").query("year == 2030")
    assert f"from {exp['gap_before'].sum() / 1e6:.2f} to {exp['gap_after'].sum() / 1e6:.2f} million" in page
    assert f"<td>4,000,000</td><td>{total['gap']:,.0f}</td>" in page  # published vs this run
    duals = pd.read_csv(out / "tables" / "plan_duals.csv")
    best = duals[duals["family"] == "faculty_growth"]["value"].max()
    assert f"relaxing it is worth {best:,.2f} million CNY" in page


def test_chinese_report_has_chinese_text_and_a_font_for_it(run_dir: tuple[Path, RunResult]) -> None:
    out, _ = run_dir
    page = build_html(out, "zh")
    assert "人工智能人才" in page and "@font-face" in page and "规划" in page
    used = {ch for ch in page if ord(ch) > 0x2E80}
    cmap = TTFont(FONT_PATH).getBestCmap()
    assert {ch for ch in used if ord(ch) not in cmap} == set(), "characters without a glyph"


def test_charts_have_every_chinese_glyph(run_dir: tuple[Path, RunResult]) -> None:
    out, _ = run_dir
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=".*missing from font.*")
        build_html(out, "zh")


def test_cli_run_prints_the_closing_summary(cli: Cli, tmp_path: Path) -> None:
    r = cli("run", "--out", str(tmp_path), "--paths", "200")
    assert r.code == 0, r.err
    assert re.search(r"CN 2030: gap [\d.]+ million persons", r.out)
    assert re.search(r"Plan \(optimal\): [\d,]+ million CNY over 2025–2030", r.out)
    assert f"report: {tmp_path / 'report_en.html'}" in r.out.replace("\n", "")


def test_cli_report_regenerates_without_recomputing(cli: Cli, run_dir: tuple[Path, RunResult],
                                                     tmp_path: Path) -> None:
    out, _ = run_dir
    shutil.copytree(out, tmp_path / "copy")
    (tmp_path / "copy" / "report_en.html").unlink()
    r = cli("report", str(tmp_path / "copy"), "--lang", "zh")
    assert r.code == 0 and (tmp_path / "copy" / "report_zh.html").exists()
    r = cli("report", str(tmp_path / "missing"))
    assert r.code == 1 and "manifest.json: missing; run `talent run --out" in r.err


def _chromium() -> str:
    return shutil.which("chromium") or shutil.which("chromium-browser") or ""


@pytest.mark.slow
@pytest.mark.skipif(not _chromium(), reason="Debian's chromium is not installed (.ci/run installs it)")
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_report_renders_in_headless_chromium(run_dir: tuple[Path, RunResult], lang: str, tmp_path: Path) -> None:
    out, _ = run_dir
    page = out / f"report_{lang}.html"
    if not page.exists():
        page.write_text(build_html(out, lang), encoding="utf-8")  # type: ignore[arg-type]
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={tmp_path / 'profile'}"]
    dom = subprocess.run([_chromium(), *flags, "--dump-dom", page.as_uri()], capture_output=True, text=True,
                         timeout=120, check=True).stdout
    assert dom.count("<svg") >= 6 and dom.count("<table>") >= 4
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / f"report_{lang}.png"
    subprocess.run([_chromium(), *flags, "--window-size=1200,3400", f"--screenshot={shot}", page.as_uri()],
                   capture_output=True, timeout=120, check=True)
    assert shot.stat().st_size > 100_000  # a rendered page with charts, not a blank one


@pytest.mark.parametrize(("name", "expected"), [
    ("cn_regional_example.csv", r"CN-HA 2030: gap [\d.]+ million persons"),
    ("us_ca_ai_phds.csv", r"US\+CA 2030: supply [\d,]+ persons \(no demand series, so no gap\)"),
])
def test_run_on_other_shipped_data_skips_a_plan_that_does_not_fit(cli: Cli, tmp_path: Path, name: str,
                                                                  expected: str) -> None:
    r = cli("run", "--data", str(ASSETS / name), "--out", str(tmp_path), "--paths", "100")
    assert r.code == 0, r.err
    assert re.search(expected, r.out.replace("\n", " ")), r.out
    assert "Plan skipped: the default planning file does not fit this data set" in r.out.replace("\n", " ")
    page = (tmp_path / "report_en.html").read_text(encoding="utf-8")
    assert "<svg" in page and "pass --planning FILE" in page
    assert not (tmp_path / "plan.xlsx").exists()


def test_explicit_planning_file_that_does_not_fit_is_an_error(cli: Cli, tmp_path: Path) -> None:
    r = cli("run", "--data", str(ASSETS / "cn_regional_example.csv"), "--planning",
            str(ASSETS / "planning.toml"), "--out", str(tmp_path), "--paths", "100")
    assert r.code == 1
    assert r.err.startswith("Error: 1 problem(s) in the planning inputs:")
    assert "no demand for that role and level in region 'CN'" in r.err
