"""Workbooks and manifests: reproducible bytes with SOURCE_DATE_EPOCH; tables larger than a sheet refused."""

from __future__ import annotations

import time
from pathlib import Path
from zipfile import ZipFile

import pandas as pd
import pytest

from talent.io.manifest import build_manifest, fixed_time, run_time
from talent.io.xlsx import write_workbook

FRAME = pd.DataFrame({"region": ["CN", "CN-HA"], "year": [2030, 2030], "gap": [4_390_000.0, 123_456.5]})


def test_a_workbook_written_twice_is_the_same_bytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764000000")
    a = write_workbook(tmp_path / "a.xlsx", {"gap": FRAME}).read_bytes()
    time.sleep(2.1)  # zip entry and file property times have a 1–2-second resolution
    b = write_workbook(tmp_path / "b.xlsx", {"gap": FRAME}).read_bytes()
    assert a == b
    with ZipFile(tmp_path / "a.xlsx") as z:
        core = z.read("docProps/core.xml").decode()
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 31, 0, 0, 0)}  # XlsxWriter's fixed entry time
    assert core.count("2025-11-24T16:00:00Z") == 2  # created and modified
    assert pd.read_excel(tmp_path / "a.xlsx").equals(FRAME)  # still a workbook a reader opens


def test_without_the_variable_a_workbook_records_when_it_was_written(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    write_workbook(tmp_path / "a.xlsx", {"gap": FRAME})
    with ZipFile(tmp_path / "a.xlsx") as z:
        assert "2025-11-24" not in z.read("docProps/core.xml").decode()


@pytest.mark.parametrize(("value", "fixed"), [("1764000000", "2025-11-24T16:00:00Z"), ("0", "1970-01-01T00:00:00Z"),
                                              ("", None), ("soon", None), ("-5", None), ("1e9", None),
                                              ("9" * 400, None)])
def test_the_manifest_time_comes_from_source_date_epoch(value: str, fixed: str | None,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    created = build_manifest([], {})["created"]
    if fixed is None:  # not a whole number of seconds: the time of the run
        assert fixed_time() is None
        assert abs(pd.Timestamp(created).timestamp() - time.time()) < 60
    else:
        assert created == fixed
        assert run_time() == fixed_time()


def test_a_table_larger_than_a_sheet_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    from talent.errors import OutputError

    wide = pd.DataFrame([range(16_385)])
    with pytest.raises(OutputError, match="16,385 columns is larger than a spreadsheet sheet holds"):
        write_workbook(tmp_path / "w.xlsx", {"wide": wide})
    assert list(tmp_path.iterdir()) == []
