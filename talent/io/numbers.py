"""Numbers typed by people: thousands separators and decimal commas read correctly, or refused — never misread.

A file follows one convention, found from the values that can only be read
one way:

- decimal point: `1234.5`, `0.25`, `1,234,567`, `1,234.5`;
- decimal comma: `1234,5`, `0,25`, `1.234.567`, `19.000,0`.

A value that reads two ways (`1,234` is 1234 or 1.234; `19.000` is 19 or
19000) takes the file's convention. Comma- and tab-separated files default to
the decimal point, as Excel writes them in English, for `1,234`; a series file's
`1.234` there is refused unless a value shows the decimal point (`read_number`'s
`point_grouping`: 1.234 persons is far less likely than 1234 grouped the European
way); a semicolon-separated file
(Excel's CSV where the decimal mark is a comma) has no default: there such a
value is refused unless another value shows the convention, as it is when the
file mixes both conventions. Spaces and apostrophes between digit groups
(`19 000`, `19'000`) are thousands separators; a leading apostrophe (`'1200`, a spreadsheet's mark of a
number kept as text) is dropped. `-0` is read as 0.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

POINT, COMMA = ".", ","
_GROUPED = {POINT: re.compile(r"[1-9]\d{0,2}(,\d{3})+(\.\d+)?"), COMMA: re.compile(r"[1-9]\d{0,2}(\.\d{3})+(,\d+)?")}
_DECIMAL = {POINT: re.compile(r"\d*\.\d+|\d+\."), COMMA: re.compile(r"\d*,\d+|\d+,")}
_AMBIGUOUS = re.compile(r"[1-9]\d{0,2}[.,]\d{3}")
_SCIENTIFIC = re.compile(r"\d+(\.\d+)?[eE][+-]?\d+")
_COMMA_SCIENTIFIC = re.compile(r"\d+,\d+[eE][+-]?\d+")  # no one groups thousands in a mantissa: a decimal comma
_SPACED = re.compile(r"\d{1,3}([ \u00a0\u202f\u2009\u2007']\d{3})+([.,]\d+)?")


@dataclass(frozen=True)
class Reading:
    """One cell: its number (nan when none), or why it was refused."""

    value: float
    problem: str | None = None
    fix: str | None = None


def _as(body: str, decimal: str) -> float:
    thousands = COMMA if decimal == POINT else POINT
    return float(body.replace(thousands, "").replace(decimal, "."))


def unquote(text: str) -> str:
    """`text` stripped, without a spreadsheet's text marker: a leading apostrophe before a number ('2024,
    '-5, '1,200), typed to keep a number as text or written by an export guarding against formulas."""
    text = text.strip()
    if text[:1] in ("'", "\u2019") and text[1:2] and text[1] in "0123456789+-\u2212.,":
        return text[1:]
    return text


def _split_sign(text: str) -> tuple[float, str]:
    text = unquote(text)
    if text and text[0] in "+-\u2212":
        return (-1.0 if text[0] != "+" else 1.0), text[1:].strip()
    return 1.0, text


def evidence(text: str) -> str | None:
    """The convention a value proves (POINT or COMMA), None if it reads either way or is no number."""
    _, body = _split_sign(text)
    if _SPACED.fullmatch(body):
        body = re.sub(r"[ \u00a0\u202f\u2009\u2007']", "", body)
    if _AMBIGUOUS.fullmatch(body):
        return None
    for mark in (POINT, COMMA):
        if _GROUPED[mark].fullmatch(body) or _DECIMAL[mark].fullmatch(body):
            return mark
    return None


def convention(texts: Sequence[str], separator: str | None) -> str | None:
    """The decimal mark of a file's values: from the values that prove one, else the separator's default.
    None when the file mixes both, or is semicolon-separated with no value that shows its convention."""
    return proven_convention(texts, separator)[0]


def proven_convention(texts: Sequence[str], separator: str | None) -> tuple[str | None, bool]:
    """`convention`, and whether a value of the file proves it (False: the separator's default)."""
    seen = {e for e in map(evidence, texts) if e is not None}
    if len(seen) == 1:
        return seen.pop(), True
    if seen:
        return None, True
    return (None if separator == ";" else POINT), False


def read_number(text: str, decimal: str | None, point_grouping: bool = False) -> Reading:
    """Read one cell under the file's convention (`convention`); empty text reads as nan with no problem.
    `point_grouping`: the convention is only a text file's default, so a point before three digits (`1.234`, as a
    European export groups thousands) is refused as ambiguous rather than read as a fraction."""
    sign, body = _split_sign(text)
    if not body:
        return Reading(math.nan)
    if _SPACED.fullmatch(body):
        body = re.sub(r"[ \u00a0\u202f\u2009\u2007']", "", body)
    if re.fullmatch(r"\d+", body) or _SCIENTIFIC.fullmatch(body):
        return Reading(sign * float(body) + 0.0)
    if _COMMA_SCIENTIFIC.fullmatch(body):  # 1,23E+03 as Excel writes it where the decimal mark is a comma
        return Reading(sign * float(body.replace(",", ".")) + 0.0)
    mark = evidence(body) or decimal
    if _AMBIGUOUS.fullmatch(body) and (mark is None or (point_grouping and POINT in body)):
        point, comma = _as(body, POINT), _as(body, COMMA)
        return Reading(math.nan, f"ambiguous number: it reads as {point:g} with a decimal point or "
                                 f"{comma:g} with a decimal comma" + (", and no other value of the file shows which"
                                                                    if point_grouping else ""),
                       "write the number without thousands separators, e.g. 19000 or 19.5")
    if mark is not None and (_GROUPED[mark].fullmatch(body) or _DECIMAL[mark].fullmatch(body)
                             or _AMBIGUOUS.fullmatch(body)):
        return Reading(sign * _as(body, mark) + 0.0)
    return Reading(math.nan)


#: Cells that read the same under either convention and prove at most the decimal point (`evidence`):
#: integers, numbers in scientific notation and decimals with a point that is not a thousands group.
_PLAIN_INT = r"[+-]?[0-9]+"  # ASCII digits: other scripts' digits go cell by cell
_PLAIN_SCI = r"[+-]?[0-9]+(\.[0-9]+)?[eE][+-]?[0-9]+"
_PLAIN_DEC = r"[+-]?[0-9]*\.[0-9]+"


def read_column(texts: Sequence[str], separator: str | None) -> tuple[list[Reading], str | None]:
    """`read_number` of every cell of one column under the column's convention (`proven_convention`), and
    that convention's decimal mark; the cells that read one way whatever the convention (`_PLAIN_*`) are read
    in one vectorised step (a 600,000-row file: 11 s cell by cell)."""
    import pandas as pd

    s = pd.Series(list(texts), dtype=object).astype(str)
    dec = s.str.fullmatch(_PLAIN_DEC) & ~s.str.lstrip("+-").str.fullmatch(_AMBIGUOUS.pattern)
    simple = (s.str.fullmatch(_PLAIN_INT) | s.str.fullmatch(_PLAIN_SCI) | dec).to_numpy(dtype=bool)
    rest = [t for t, ok in zip(s, simple, strict=True) if not ok]
    decimal, proven = proven_convention(rest + (["0.5"] if dec.any() else []), separator)
    point_grouping = separator in (",", "\t") and not proven
    fast = s[simple].astype(float).to_numpy() + 0.0  # float() as read_number: 5,000 digits too; -0 read as 0
    values = iter(fast.tolist())
    return [Reading(next(values)) if ok else read_number(text, decimal, point_grouping)
            for text, ok in zip(s.tolist(), simple.tolist(), strict=True)], decimal


_LAKH = re.compile(r"[1-9]\d?(,\d\d)+,\d{3}(\.\d+)?")  # 1,00,000: digits grouped in twos, as in India
_SCALES = {"万": 1e4, "萬": 1e4, "亿": 1e8, "億": 1e8, "千": 1e3, "k": 1e3, "K": 1e3, "thousand": 1e3, "m": 1e6,
           "M": 1e6, "mn": 1e6, "million": 1e6, "百万": 1e6, "bn": 1e9, "billion": 1e9}
_EXCEL_ERROR = re.compile(r"#(REF!|DIV/0!|N/A|VALUE!|NAME\?|NUM!|NULL!|SPILL!|CALC!|FIELD!|GETTING_DATA)",
                          re.IGNORECASE)
# thousands separators of other scripts or languages: full-width and ideographic commas, an underscore
_OTHER_GROUPS = re.compile(r"\d{1,3}(?P<mark>[，、_])\d{3}((?P=mark)\d{3})*")
_MARKS = {"，": "full-width commas '，'", "、": "ideographic commas '、'", "_": "underscores '_'"}
_MONEY = ("$", "¥", "￥", "€", "£", "元", "CNY", "USD", "RMB")
_NUMBER_AND_TEXT = re.compile(r"(?P<number>[+-]?\d[\d.,' \u00a0\u202f\u2009\u2007]*)(?P<text>\D.*)?")


def _plain(number: float) -> str:
    return f"{number:.0f}" if float(number).is_integer() else f"{number:g}"


def unit_hint(text: str, decimal: str | None, what: str = "persons") -> tuple[str, str] | None:
    """Why a cell that is not a plain number was refused, and the plain number to write, when it is a number with
    a unit, a percent sign, a currency or digit groups of another convention (`1,00,000`, `12%`, `1,234 人`,
    `1.2万`), an Excel error (#DIV/0!) or a formula's text (=SUM(B2:B9)); None for other text. `what` names
    what the column holds."""
    body = text.strip()
    if _EXCEL_ERROR.fullmatch(body):
        return (f"an Excel error ({body}) where a formula failed, not a number",
                f"correct the formula in the spreadsheet and export the table again, or write {what} as a plain "
                "number")
    if re.fullmatch(r"\d{4}-\d\d-\d\d([ T]\d\d:\d\d:\d\d)?", body):
        return ("a date, not a number (in a workbook: a cell formatted as a date)",
                f"format the cell as Number and write {what} as a plain number")
    if body.startswith("=") and len(body) > 1:
        return ("a formula written as its text, not its result", f"in the spreadsheet copy the column and paste "
                f"it as values before exporting, or write {what} as a plain number")
    money = next((m for m in _MONEY if m in body), None)
    body = body.replace(money, "").strip() if money else body
    if _LAKH.fullmatch(body):
        return ("digits grouped in twos (1,00,000), which this reader does not take",
                f"write {what} as a plain number: {_plain(_as(body, POINT))}")
    found = _NUMBER_AND_TEXT.fullmatch(body)
    if found is None:
        return None
    reading = read_number(found["number"].strip(), decimal or POINT)
    if not math.isfinite(reading.value):
        return None
    n, unit = reading.value, (found["text"] or "").strip()
    if re.fullmatch(r"[eE][+-]?\d+", unit):  # scientific notation out of range (1e400): not a unit
        return None
    if money:
        return (f"a sum of money ({money}), not a number of {what}", f"write {what} as a plain number, e.g. "
                f"{_plain(n)}")
    if unit in ("%", "％"):
        return ("a percentage", f"write {what} as a plain number, e.g. 1234; a share is written as a decimal: "
                f"{_plain(n / 100)} for {body}")
    if unit in _SCALES:
        return (f"a number with the unit '{unit}' (× {_SCALES[unit]:,.0f})",
                f"write {what} as a plain number: {_plain(n * _SCALES[unit])}")
    if unit and any(ch.isdigit() for ch in unit):  # '89，340', '89_340', '0x10': digits on both sides of the text
        grouped = _OTHER_GROUPS.fullmatch(body)
        if grouped:
            mark = grouped["mark"]
            return (f"digits grouped with {_MARKS.get(mark, repr(mark))}, which this reader does not take",
                    f"write {what} as a plain number: {re.sub(r'[^0-9]', '', body)}")
        return (f"a number mixed with other text ('{unit[:20]}')", f"write {what} as a plain number, digits only, "
                "e.g. 125000")
    if unit:
        return (f"a number followed by the unit or text '{unit[:20]}'", f"write {what} as a plain number: {_plain(n)}")
    return None
