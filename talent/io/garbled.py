"""Text garbled by a round trip through the wrong encoding (mojibake), found before it is read as labels.

A UTF-8 file opened as Windows-1252 or Latin-1 (Excel's "ANSI" on a Western
Windows) and saved again as UTF-8 turns '地区' into 'åœ°åŒº' and 'é' into 'Ã©':
valid UTF-8, so it decoded, and every Chinese column name and label was then
unknown (a 'required column is missing' per column, an 'unknown role' per row),
the cause never named. A run of non-ASCII characters that reads as UTF-8 once
encoded back to Windows-1252 or Latin-1 is such text; Chinese, accented or any
other text typed as it should be never does.
"""

from __future__ import annotations

import re
from pathlib import Path

from talent.errors import InputFileError, shorten

_RUN = re.compile(r"[^\x00-\x7f]{2,}")


def _undone(run: str) -> str | None:
    """`run` read back as the UTF-8 it was garbled from, or None when it is no such text."""
    for enc in ("cp1252", "latin-1"):
        try:
            return run.encode(enc).decode("utf-8")
        except UnicodeError:
            continue
    return None


def garbled(path: Path, text: str, lines: int = 200) -> None:
    """Refuse text garbled as above, naming the line, the garbled text, what it was and the fix."""
    head = text[: 200_000].split("\n", lines)[:lines]
    for number, line in enumerate(head, start=1):
        for run in _RUN.findall(line)[:50]:
            meant = _undone(run)
            if meant:
                raise InputFileError(
                    f"{path}, row {number}: the text is garbled: {shorten(repr(run), 40)} is {meant!r} saved in "
                    "UTF-8, read back as Windows-1252 (Western 'ANSI') and saved again, so no Chinese name or "
                    f"label can be read (the line: {shorten(repr(line.strip()), 80)}). Fix: use the original file; "
                    "or open it in Excel through Data > From Text/CSV with File origin 'Unicode (UTF-8)' and save "
                    "it as 'CSV UTF-8'")


_CHINESE = re.compile(r"[\u4e00-\u9fff]")


def mixed(path: Path, raw: bytes, lines: int = 100_000) -> None:
    """Refuse a file whose lines are partly UTF-8 with Chinese text and partly GBK (two exports joined with
    `cat`, one saved by Chinese Excel): read whole as GBK, its UTF-8 lines were garbled ('地区' as '鍦板尯') and
    their column names or labels unknown, the cause never named."""
    utf8: tuple[int, str] | None = None
    other: tuple[int, str] | None = None
    for number, line in enumerate(raw.split(b"\n", lines)[:lines], start=1):
        if not line or max(line) < 0x80:
            continue
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError:
            other = other or (number, line.decode("gb18030", errors="replace"))
        else:
            utf8 = utf8 or ((number, text) if _CHINESE.search(text) else None)
        if utf8 and other:
            raise InputFileError(
                f"{path}: the file mixes two encodings: row {utf8[0]} is UTF-8 "
                f"({shorten(repr(utf8[1].strip()), 60)}) and row {other[0]} is not (GBK, as Chinese Excel saves "
                f"CSV: {shorten(repr(other[1].strip()), 60)}), so one part or the other is garbled; two files "
                "joined? Fix: save every part as UTF-8 (Excel: 'CSV UTF-8') before joining them, or convert the "
                "GBK part: iconv -f GBK -t UTF-8")
