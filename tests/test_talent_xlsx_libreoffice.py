"""XLSX workbooks print readably: page setup (fast) and a LibreOffice PDF conversion (slow)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from talent.io.xlsx import _display_width, _wrapped_lines, write_workbook


def small_frame() -> pd.DataFrame:
    return pd.DataFrame({"地区": ["CN", "CN"], "岗位": ["智能芯片", "机器学习"], "年份": [2029, 2030],
                         "需求": [1234567, 2345678], "缺口（需求−供给）（5%分位）": [12.5, 0.25],
                         "note": ["short", "x" * 120]})


def test_workbook_page_setup_prints_landscape_one_page_wide(tmp_path: Path) -> None:
    path = write_workbook(tmp_path / "w.xlsx", {"存量缺口": small_frame(), "b": pd.DataFrame({"a": [1]})})
    wb = openpyxl.load_workbook(path)
    for ws in wb.worksheets:
        assert ws.freeze_panes == "A2"
        assert all(cell.font.bold for cell in ws[1])
        assert ws.page_setup.orientation == "landscape"
        assert int(ws.page_setup.paperSize) == 9  # A4
        assert ws.sheet_properties.pageSetUpPr.fitToPage is True
        assert (ws.page_setup.fitToWidth or 1, ws.page_setup.fitToHeight) == (1, 0)  # 1 wide is the default
        assert ws.print_title_rows == "$1:$1"
    ws = wb["存量缺口"]
    assert all(cell.alignment.wrap_text for cell in ws[1])
    assert ws.row_dimensions[1].height >= 2 * 15  # the long Chinese header wraps
    # number formats: plain years, thousands separators, two decimals on small fractions
    assert [ws.cell(row=2, column=j).number_format for j in (3, 4, 5)] == ["0", "#,##0", "#,##0.00"]
    # Chinese text counts double: 岗位 (4 cells of text) gets more than a 4-letter column would
    assert ws.column_dimensions["B"].width >= 4 * 2
    # long text wraps and its row is made tall enough
    assert ws.cell(row=3, column=6).alignment.wrap_text
    assert ws.row_dimensions[3].height >= 3 * 15


def test_widths_count_east_asian_characters_double() -> None:
    assert _display_width("需求") == 4
    assert _display_width("Demand") == 6
    assert _display_width("（5%）") == 6
    assert _wrapped_lines("Gap (demand − supply)", 12) == 2
    assert _wrapped_lines("缺口缺口缺口", 4) == 3
    assert _wrapped_lines("x" * 25, 10) == 3


def _require(*tools: str) -> None:
    missing = [t for t in tools if shutil.which(t) is None]
    if missing:
        pytest.skip(f"{', '.join(missing)} not on PATH: install LibreOffice Calc and poppler-utils "
                    "(Debian: apt-get install libreoffice-calc-nogui poppler-utils fonts-noto-cjk)")


@pytest.mark.slow
def test_libreoffice_converts_the_chinese_gap_workbook_to_a_readable_pdf(tmp_path: Path) -> None:
    _require("soffice", "pdftotext", "pdfinfo")
    from talent.config import load_settings
    from talent.gaps.tables import gap_tables
    from talent.io.series import load_series
    from talent.present.export import export_gap, localised_tables

    tables = gap_tables(load_series(), load_settings(forecast_paths=100)).filter(years=[2030])
    [xlsx] = export_gap(tables, tmp_path / "gap_zh.xlsx", lang="zh")
    profile = (tmp_path / "lo-profile").as_uri()  # a private profile: no clash with other soffice runs
    subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(xlsx)], check=True, capture_output=True, timeout=300)
    pdf = tmp_path / "gap_zh.pdf"
    assert pdf.exists() and pdf.stat().st_size > 0
    info = subprocess.run(["pdfinfo", str(pdf)], check=True, capture_output=True, text=True).stdout
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    assert pages >= 1
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout
    assert "地区" in text and "需求" in text
    stock = localised_tables(tables, "zh")["stock"]
    total = stock[(stock["岗位"] == "全部岗位") & (stock["层级"] == "全部层级") & (stock["年份"] == 2030)]
    demand = int(total["需求"].iloc[0])
    assert demand > 1_000_000
    assert f"{demand:,}" in text  # as the sheet shows it: thousands separators
    assert "2030" in text and "2,030" not in text  # years without separators
