"""Big5 (Traditional Chinese, as Excel saves CSV on Windows in Taiwan and Hong Kong) told from GBK.

Both are two-byte encodings over much the same bytes: a Big5 file often reads as GBK without an error, as
garbage labels ('機器學習' as '诀竟厩策'). Each reading is scored by the share of its distinct two-byte
characters that are the encoding's frequent ones (symbols, and GB2312 level 1, 3,755 characters; Big5 level
1, 5,401): text read in its own encoding scores near 1, read in the other one much less (a Big5 trail byte
below 0xA1 is a rare character or a symbol in GBK). A file is named Big5 only when it reads as Big5 without
an error, nearly all frequent, clearly better than as GBK (two or more rare characters there) and with
enough characters to tell, so a GBK file is not refused, even one of traditional characters.
"""

from __future__ import annotations

import re

from talent.errors import shorten

_HAN = re.compile(r"[\u4e00-\u9fff]")
_MARGIN = 0.1  # how much better the Big5 reading must score
_SURE = 0.95  # and how well: nearly all its characters frequent ones
_FEWEST = 4  # distinct characters that tell the encodings apart (two, '供給', read well both ways)
# frequent two-byte characters, by their bytes: symbols (lead A1-A3) and level-1 characters (GB2312: lead B0-D7
# with a trail byte from A1; Big5: lead A4-C6, any trail byte)
_FREQUENT = {"gb18030": lambda b: (0xA1 <= b[0] <= 0xA3 or 0xB0 <= b[0] <= 0xD7) and b[1] >= 0xA1,
             "big5": lambda b: 0xA1 <= b[0] <= 0xC6}


def _frequent(text: str, encoding: str) -> tuple[float, int, int]:
    """Of the distinct two-byte characters of `text` (as `encoding` writes them; a label repeated on every row
    counts once): the share that are frequent ones, how many are not, and how many there are."""
    wide = [ch.encode(encoding, errors="replace") for ch in set(text) if ord(ch) > 0x7F]
    hits = sum(len(b) == 2 and _FREQUENT[encoding](b) for b in wide)
    return (hits / len(wide) if wide else 0.0), len(wide) - hits, len(wide)


def big5_line(raw: bytes, as_gbk: str, misread: bool = False) -> tuple[int, str] | None:
    """(line, its text read as Big5) of the first line with Chinese characters, when the bytes are Big5 rather
    than the GBK they were read as (`as_gbk`); None when GBK is the better reading, or when too few characters
    tell (a GBK file is not refused on a guess: a Big5 file read as GBK still fails on its labels). `misread`:
    GBK is known to be wrong (it gave characters no font shows); then a clean Big5 reading is enough."""
    try:
        as_big5 = raw.decode("big5")
    except UnicodeDecodeError:
        return None
    big5, _, distinct = _frequent(as_big5, "big5")
    gbk, rare, _ = _frequent(as_gbk, "gb18030")
    if big5 < _SURE or (not misread and (distinct < _FEWEST or rare < 2 or big5 < gbk + _MARGIN)):
        return None
    lines = as_big5.splitlines()
    line = next((i for i, text in enumerate(lines) if _HAN.search(text)), 0)
    return line + 1, shorten(lines[line].strip() if lines else "", 60)
