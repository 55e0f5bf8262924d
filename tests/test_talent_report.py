"""`talent run` end to end and the HTML report: outputs, determinism, text against tables, Chromium rendering."""

from __future__ import annotations

import hashlib
import html
import json
import re
import shutil
import subprocess
import warnings
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from fontTools.ttLib import TTFont

from talent.config import load_settings
from talent.present.fonts import FONT_PATH
from talent.present.report import build_html
from talent.present.units import money, money_scale, person_scale
from talent.run import run_pipeline
from tests.conftest import ASSETS, ROOT, CliResult, DefaultRun

Cli = Callable[..., CliResult]
ARTIFACTS = ROOT / "tests" / "artifacts"


def test_run_writes_every_output(default_run: DefaultRun) -> None:
    out = default_run.out
    expected = {"report_en.html", "gap.xlsx", "gap.csv", "gap.flow.csv", "gap.models.csv", "gap.coverage.csv",
                "gap.manifest.json", "tables/coverage.csv",
                "plan.xlsx", "manifest.json", "tables/stock.csv", "tables/flow.csv", "tables/models.csv",
                "tables/plan_plan.csv", "tables/plan_gap.csv", "tables/plan_cost.csv", "tables/plan_faculty.csv",
                "tables/plan_duals.csv", "tables/plan_expected_gap.csv", "tables/plan_ranges.csv",
                "tables/plan_limits.csv"}
    written = {str(p.relative_to(out)) for p in out.rglob("*") if p.is_file()}
    assert written == expected
    assert re.search(rf"Wrote {len(expected)} files to {re.escape(str(out))}/", default_run.stdout.replace("\n", ""))
    # localised exports carry labels; the id tables carry ids; both hold the same numbers
    labelled, ids = pd.read_csv(out / "gap.csv"), pd.read_csv(out / "tables" / "stock.csv")
    assert list(labelled.columns[:5]) == ["Region", "Role", "Level", "Year", "Source"]
    assert "Machine learning" in set(labelled["Role"]) and "machine_learning" in set(ids["role"])
    assert labelled["Demand"].sum() == ids["demand"].round().sum()
    assert list(pd.read_excel(out / "plan.xlsx", sheet_name=None)) == ["plan", "gap", "cost", "faculty", "duals",
                                                                       "ranges", "limits"]
    duals = pd.read_csv(out / "tables" / "plan_duals.csv")
    assert {"persons", "persons_side"} <= set(duals.columns)  # marginal values in persons, beside money
    ranges = pd.read_csv(out / "tables" / "plan_ranges.csv")
    assert (ranges["min"] <= ranges["planned"] + 1e-6).all() and (ranges["planned"] <= ranges["max"] + 1e-6).all()
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert {Path(p).name: h for p, h in manifest["inputs"].items()} == {
        "cn_national.csv": hashlib.sha256((ASSETS / "cn_national.csv").read_bytes()).hexdigest(),
        "planning.toml": hashlib.sha256((ASSETS / "planning.toml").read_bytes()).hexdigest(),
        "cn_literacy_coverage.csv": hashlib.sha256((ASSETS / "cn_literacy_coverage.csv").read_bytes()).hexdigest()}
    assert manifest["plan"]["status"] == "optimal" and manifest["settings"]["forecast"]["paths"] == 300


def test_library_run_gives_the_same_tables_as_the_cli(default_run: DefaultRun, tmp_path: Path) -> None:
    """Determinism, and the library twin agrees with the command: same inputs and seed, same bytes."""
    out = default_run.out
    run_pipeline(out=tmp_path, settings=load_settings(forecast_paths=300))
    for path in [*sorted((out / "tables").glob("*.csv")), out / "gap.csv", out / "gap.flow.csv"]:
        assert path.read_bytes() == (tmp_path / path.relative_to(out)).read_bytes(), path.name
    for book in ("gap.xlsx", "plan.xlsx"):
        a = pd.read_excel(out / book, sheet_name=None)
        b = pd.read_excel(tmp_path / book, sheet_name=None)
        for sheet in a:
            if sheet not in ("provenance", "来源说明"):
                pd.testing.assert_frame_equal(a[sheet], b[sheet])


def test_report_is_self_contained_with_charts_and_tables(default_run: DefaultRun) -> None:
    out = default_run.out
    page = (out / "report_en.html").read_text(encoding="utf-8")
    assert page.count("<svg") >= 6 and page.count("<table>") >= 4
    assert not re.search(r"""(src|href)=["']?https?:""", page), "external asset"
    assert "<script src" not in page and "<link" not in page


def test_report_says_how_to_read_the_model_labels(default_run: DefaultRun) -> None:
    """auto's labels (median(...), panel(a,b;w), 'shrunk to') are explained under the models table."""
    from talent.present.report import build_html

    for lang, text in (("en", "panel(a,b;w) is w × the median of the models that did best across all series"),
                       ("zh", "panel(a,b;w) 为 w × 本次运行全部序列中表现最好的模型的中位数")):
        page = html.unescape(build_html(default_run.out, lang))  # type: ignore[arg-type]
        assert "panel(" in page.split(text)[0].rsplit("<table>", 1)[-1]  # the table just above uses the label
        assert text in page


def _sentences(page: str) -> list[str]:
    """The report's sentences: paragraphs and list items, without tables, charts, notes and the footer."""
    for pattern in (r"<svg.*?</svg>", r"<table>.*?</table>", r"<style>.*?</style>", r"<footer>.*?</footer>",
                    r"<p class='note'>.*?</p>", r"<figcaption.*?</figcaption>"):
        page = re.sub(pattern, "", page, flags=re.S)
    return [html.unescape(re.sub(r"<[^>]+>", "", t)) for t in re.findall(r"<(?:p|li)[^>]*>(.*?)</(?:p|li)>", page,
                                                                        flags=re.S)]


def _formatted(values: list[float]) -> set[str]:
    """Every way the report may print these numbers: persons and money in each unit, shares, counts, years."""
    out: set[str] = set()
    for v in values:
        for lang in ("en", "zh"):
            for scale in (person_scale([v], lang), money_scale([v], lang)):  # type: ignore[arg-type]
                out.add(scale.number(v))
            for factor, decimals in ((1e6, 2), (1e3, 1), (1e4, 1), (1e8, 2), (1e3, 2), (100, 2),
                                     (1, 0), (1, 1), (1, 2)):
                out.add(f"{v / factor:,.{decimals}f}")
        out |= {f"{100 * v:.1f}%", f"{100 * v:.0f}%"}
    return out


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_number_in_the_report_sentences_comes_from_its_tables(default_run: DefaultRun, lang: str) -> None:
    """Text and tables cannot disagree: each number in a sentence is a value (or a count of flags) of the frames."""
    out = default_run.out
    tables = {name: pd.read_csv(out / "tables" / f"{name}.csv") for name in
              ("stock", "coverage", "plan_cost", "plan_expected_gap", "plan_duals")}
    stock, exp, duals = tables["stock"], tables["plan_expected_gap"], tables["plan_duals"]
    values: list[float] = [float(v) for v in stock[stock["year"] == 2030].select_dtypes("number").to_numpy().ravel()]
    values += [float(v) for v in tables["coverage"].select_dtypes("number").to_numpy().ravel()]
    cost, plan = tables["plan_cost"], pd.read_csv(out / "tables" / "plan_plan.csv")
    money = {k: float(cost[k].sum()) for k in ("cost", "industry", "central")}
    cofunded = plan.loc[plan["industry_share"] > 0, "intake"].sum() / plan["intake"].sum()
    values += [*money.values(), money["cost"] - money["industry"] - money["central"],
               money["industry"] / money["cost"], cofunded]  # who pays (money) and the seats firms co-fund
    last = exp[exp["year"] == 2030]
    before, after = float(last["gap_before"].sum()), float(last["gap_after"].sum())
    values += [before, after, (before - after) / before]
    totals = stock.query("year == 2030 and role == 'all' and level == 'all'").iloc[0]
    values += [float(g) / float(totals["gap"]) for g in stock.query("year == 2030 and level == 'all'")["gap"]]
    values += [float(v) for v in duals["value"]] + [float(v) for v in duals["persons"].dropna()]
    limits = pd.read_csv(out / "tables" / "plan_limits.csv")
    values += [float(v) for v in limits[["gap_with", "gap_without"]].to_numpy().ravel()] + [0.01]
    counts = duals.groupby("family").agg(n=("binding", "size"), bound=("binding", "sum"))
    allowed = _formatted(values) | {str(int(c)) for c in counts.to_numpy().ravel()}
    allowed |= {"2025", "2026", "2027", "2028", "2029", "2030", "1", "–"}
    page = build_html(out, lang)  # type: ignore[arg-type]
    sentences = _sentences(page)
    assert len(sentences) >= 6
    strays = [(n, s) for s in sentences for n in re.findall(r"\d+(?:,\d{3})*(?:\.\d+)?%?", s.replace("q10", "").replace(
        "q50", "").replace("q90", "")) if n not in allowed]
    assert strays == []


def test_chinese_report_has_chinese_text_and_a_font_for_it(default_run: DefaultRun) -> None:
    out = default_run.out
    page = build_html(out, "zh")
    assert "人工智能人才" in page and "@font-face" in page and "规划" in page
    used = {ch for ch in page if ord(ch) > 0x2E80}
    cmap = TTFont(FONT_PATH).getBestCmap()
    assert {ch for ch in used if ord(ch) not in cmap} == set(), "characters without a glyph"


def test_charts_have_every_chinese_glyph(default_run: DefaultRun) -> None:
    out = default_run.out
    with warnings.catch_warnings():
        warnings.filterwarnings("error", message=".*missing from font.*")
        build_html(out, "zh")


def test_cli_run_prints_the_closing_summary(default_run: DefaultRun) -> None:
    text = default_run.stdout.replace("\n", " ")
    assert [line.split(" …")[0] for line in default_run.stdout.splitlines() if line.startswith("[")] == [
        f"[1/4] Loading and validating {ASSETS / 'cn_national.csv'}",
        "[2/4] Forecasting 24 series to 2030 and simulating 300 paths",
        f"[3/4] Planning training capacity with {ASSETS / 'planning.toml'}",
        f"[4/4] Writing tables and the report to {default_run.out}/"]
    stock = pd.read_csv(default_run.out / "tables" / "stock.csv")
    total = stock.query("year == 2030 and role == 'all' and level == 'all'").iloc[0]
    assert f"CN 2030: gap {total['gap'] / 1e6:.2f} million persons" in text
    cost = pd.read_csv(default_run.out / "tables" / "plan_cost.csv")
    assert f"Plan (optimal): {money(cost['cost'].sum(), 'en')} over 2025–2030" in text
    assert f"report: {default_run.out / 'report_en.html'}" in default_run.stdout


def test_cli_report_regenerates_without_recomputing(cli: Cli, default_run: DefaultRun,
                                                     tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(default_run.out, copy)
    (copy / "report_en.html").unlink()
    before = {p: p.read_bytes() for p in copy.rglob("*") if p.is_file()}
    r = cli("report", str(copy), "--lang", "zh")
    assert (r.code, r.out) == (0, f"wrote {copy / 'report_zh.html'}\n")
    assert {p: p.read_bytes() for p in before} == before  # nothing recomputed or rewritten
    page = (copy / "report_zh.html").read_text(encoding="utf-8")
    assert page == build_html(copy, "zh") and "人工智能人才" in page
    r = cli("report", str(tmp_path / "missing"))
    assert (r.code, r.err) == (1, f"Error: {tmp_path / 'missing' / 'manifest.json'}: missing; run `talent run "
                                  f"--out {tmp_path / 'missing'}` first to produce the output folder\n")
    r = cli("report", str(copy), "--out", str(copy / "tables" / "stock.csv"))
    assert r.code == 1 and "refusing to overwrite an input file" in r.err
    assert (copy / "tables" / "stock.csv").read_bytes() == before[copy / "tables" / "stock.csv"]


def _chromium() -> str:
    return shutil.which("chromium") or shutil.which("chromium-browser") or ""


@pytest.mark.slow
@pytest.mark.skipif(not _chromium(), reason="Debian's chromium is not installed (.ci/run installs it)")
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_report_renders_in_headless_chromium(default_run: DefaultRun, lang: str, tmp_path: Path) -> None:
    out = default_run.out
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


def test_run_on_data_the_default_plan_does_not_fit_skips_the_plan(cli: Cli, tmp_path: Path) -> None:
    r = cli("run", "--data", str(ASSETS / "us_ca_ai_phds.csv"), "--out", str(tmp_path), "--paths", "100")
    assert r.code == 0, r.err
    text = r.out.replace("\n", " ")
    assert re.search(r"US\+CA 2030: supply [\d,.]+ (thousand )?persons \(no demand series, so no gap\)", text), text
    assert "Plan skipped: the default planning file does not fit this data set" in text
    page = (tmp_path / "report_en.html").read_text(encoding="utf-8")
    assert "<svg" in page and "pass --planning FILE" in page
    assert not (tmp_path / "plan.xlsx").exists()


def test_explicit_planning_file_that_does_not_fit_is_an_error(cli: Cli, tmp_path: Path) -> None:
    r = cli("run", "--data", str(ASSETS / "us_ca_ai_phds.csv"), "--planning",
            str(ASSETS / "planning.toml"), "--out", str(tmp_path), "--paths", "100")
    assert r.code == 1
    assert r.err.splitlines()[-1] == (f"Error: {ASSETS / 'planning.toml'}, key plan.region: 'CN': the data has no "
                                      "series for this region. Fix: set region to one of US+CA")


def test_report_has_a_coverage_section_apart_from_the_gap(default_run: DefaultRun) -> None:
    out = default_run.out
    cov = pd.read_csv(out / "tables" / "coverage.csv")
    assert set(cov["audience"]) == {"managers", "technical_staff", "students", "skilled_technicians"}
    last = cov[cov["year"] == 2030].set_index("audience")
    assert (last["coverage_with_plan"] >= last["target"] - 1e-4).all()  # the plan meets every 2030 target
    for lang, title, word in (("en", "AI literacy: coverage of each audience (not part of the gap)", "Managers"),
                              ("zh", "人工智能素养：各培养对象的覆盖率（不计入人才缺口）", "管理层")):
        page = build_html(out, lang)  # type: ignore[arg-type]
        section = page[page.index(title):]
        assert "<svg" in section and word in section
        m = last.loc["managers"]
        share = f"{m['coverage']:.1%} → {m['coverage_with_plan']:.1%}" if lang == "en" else \
            f"{m['coverage']:.1%}→{m['coverage_with_plan']:.1%}"
        assert share in section
    stock = pd.read_csv(out / "tables" / "stock.csv")
    assert set(stock["level"]) == {"applied", "expert", "all"}
