"""Hostile series files (fourth pass): workbooks, JSON and CSV exports as other programs and people make them.

Each case was a defect before its fix: a misnamed file kind, one mistake reported as a problem per column, a
value shown as something the user never typed, or a readable file refused. Each asserts the exit code, no
traceback, the key parts of the message (file, row, column, value, fix), the inputs unchanged and, for a
failure, no file written (`tests.test_talent_bad_inputs.run_case`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import CliResult
from tests.test_talent_bad_inputs import Case, run_case

OLE_HEAD = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
# a password-protected .xlsx is an OLE compound file whose directory names the streams in UTF-16
ENCRYPTED = OLE_HEAD + "EncryptionInfo".encode("utf-16-le") + b"\x00" * 200 + \
    "EncryptedPackage".encode("utf-16-le") + b"\x00" * 2000
ENCRYPTED_FIX = "Fix: open it in Excel, remove the password"
CASES = [
    # an encrypted workbook was called "an old Excel 97-2003 workbook (.xls)" with two contradicting fixes
    Case("xlsx-encrypted", {"s.xlsx": ENCRYPTED}, "data validate {d}/s.xlsx", 1,
         ("{d}/s.xlsx: not a readable .xlsx workbook: it looks like a password-protected (encrypted) Excel "
          "workbook, which cannot be read", ENCRYPTED_FIX)),
    Case("xlsx-encrypted-gap", {"s.xlsx": ENCRYPTED}, "gap {d}/s.xlsx --paths 50", 1,
         ("{d}/s.xlsx", "password-protected", ENCRYPTED_FIX)),
    Case("xlsx-encrypted-run", {"s.xlsx": ENCRYPTED}, "run --data {d}/s.xlsx --paths 50 --out {d}/o", 1,
         ("{d}/s.xlsx", "password-protected", ENCRYPTED_FIX)),
    Case("xlsm-encrypted", {"s.xlsm": ENCRYPTED}, "data validate {d}/s.xlsm", 1, ("password-protected",)),
    Case("encrypted-named-csv", {"s.csv": ENCRYPTED}, "data validate {d}/s.csv", 1,
         ("{d}/s.csv: this is not a text table: it looks like a password-protected", ENCRYPTED_FIX)),
    Case("xls-named-xlsx-one-fix", {"s.xlsx": OLE_HEAD + b"W\x00o\x00r\x00k\x00b\x00o\x00o\x00k\x00" + b"\x00" * 600},
         "data validate {d}/s.xlsx", 1,
         ("{d}/s.xlsx: not a readable .xlsx workbook: it looks like an old Excel 97-2003 workbook (.xls), which "
          "this reader does not take. Fix: open it in Excel or LibreOffice and save it as .xlsx",)),
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hostile_series(case: Case, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                        cli: Callable[..., CliResult]) -> None:
    monkeypatch.setenv("TALENT_MEMORY_LIMIT", "1GiB")
    r = run_case(case, tmp_path, monkeypatch, cli, forbidden=("Traceback", "internal error"))
    assert r.err.count("Fix:") <= max(1, r.err.count("\n  - ")), r.err  # one fix per problem, never two
