"""JSON tables as input: a list of records, every value kept as the text it was written as.

Read: a list of records (objects); an object holding that list under "data", or under its only key whose
value is a list of records (`{"records": [...]}`, `{"meta": {...}, "rows": [...]}`); an object of columns
(`{"region": [...], "year": [...]}`, lists of one length); a list of rows, the column names first.
Numbers, NaN and Infinity keep their text, true and false are shown as written, a nested object or
list as its JSON, so a problem names the value typed. Anything else is refused naming what the file
holds instead.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from talent.errors import InputFileError, shorten

JSON_FIX = ". Fix: correct the JSON at that line and column (a missing comma, quote or bracket is the usual cause)"
_SHAPE_FIX = ('Fix: write a list of records, one per observation: [{"region": "CN", "role": "robotics", '
              '"kind": "demand", "year": 2024, "value": 1200}, …], or an object with that list under "data"')


class Written(str):
    """A JSON number or constant (NaN, Infinity) as written in the file."""


def _no_repeats(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    keys = [k for k, _ in pairs]
    repeated = sorted({k for k in keys if keys.count(k) > 1})
    if repeated:
        raise InputFileError(f"a record has the key {shorten(repeated[0])!r} twice; keep one")
    return dict(pairs)


def as_written(value: Any) -> str:
    """A JSON value as its text in the file (near enough: spacing aside); '' for null."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Written):
        return str(value)
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "[" + ", ".join(json.dumps(v, ensure_ascii=False) if isinstance(v, str) and not isinstance(v, Written)
                               else as_written(v) or "null" for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{json.dumps(k, ensure_ascii=False)}: " + (
            json.dumps(v, ensure_ascii=False) if isinstance(v, str) and not isinstance(v, Written)
            else as_written(v) or "null") for k, v in value.items()) + "}"
    return str(value)


def _is_records(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(r, dict) for r in value)


def _columns(value: dict[str, Any]) -> list[dict[str, Any]] | None:
    """The records of an object of columns (every value a list of scalars, all of one length), else None."""
    lists = list(value.values())
    if not lists or not all(isinstance(v, list) and v for v in lists) or len({len(v) for v in lists}) != 1:
        return None
    if any(isinstance(x, dict | list) for v in lists for x in v):
        return None
    return [dict(zip(value, row, strict=True)) for row in zip(*lists, strict=True)]


def _rows(value: Any) -> list[dict[str, Any]] | None:
    """The records of a list of rows whose first holds the column names (a CSV table in JSON), else None."""
    if not (isinstance(value, list) and len(value) > 1 and all(isinstance(r, list) for r in value)):
        return None
    names = value[0]
    if not names or not all(type(n) is str for n in names) or len(set(names)) != len(names):
        return None
    if any(len(r) != len(names) or any(isinstance(x, dict | list) for x in r) for r in value[1:]):
        return None
    return [dict(zip(names, r, strict=True)) for r in value[1:]]


def _what(value: Any) -> str:
    """What a JSON value is, in words, with its text."""
    kinds = {bool: "true or false", type(None): "null", str: "a string", Written: "a number", dict: "an object"}
    if isinstance(value, list):
        k, inner = next((k, as_written([v])) for k, v in enumerate(value, 1) if not isinstance(v, dict))
        return (f"a list whose items are not all records (objects): item {k:,} is not (value: "
                f"{shorten(inner[1:-1], 60)})")
    text = json.dumps(value, ensure_ascii=False) if type(value) is str else as_written(value) or "null"
    return f"{kinds.get(type(value), 'a value')} (value: {shorten(text, 60)})"


def _records(path: Path, data: Any) -> list[dict[str, Any]]:
    """The records of the parsed file (see the module docstring), or a named `InputFileError`."""
    holds = "the file holds"
    if isinstance(data, dict):
        if "data" in data:
            data, holds = data["data"], "its 'data' holds"
        else:
            found = [k for k, v in data.items() if _is_records(v)]
            columns = _columns(data)
            if len(found) == 1 or columns is not None:
                return data[found[0]] if len(found) == 1 else columns or []
            keys = ", ".join(repr(shorten(k, 40)) for k in list(data)[:10]) + (" …" if len(data) > 10 else "")
            where = (f"the records are under several keys ({', '.join(map(repr, found))}). Fix: put the records "
                     "to read under \"data\", or save each list as its own file" if found else
                     f"its keys are {keys or 'none'}, none of them a list of records. {_SHAPE_FIX}")
            raise InputFileError(f"{path}: JSON must be a list of records (objects), or an object with a 'data' "
                                 f"list; this is an object: {where}")
    if data == []:
        raise InputFileError(f"{path}: the JSON list has no records; it needs one record per observation")
    if not _is_records(data):
        rows = _rows(data)
        if rows is not None:
            return rows
        raise InputFileError(f"{path}: JSON must be a list of records (objects), or an object with a 'data' "
                             f"list; {holds} {_what(data)}. {_SHAPE_FIX}")
    return list(data)


def _syntax_hint(text: str, exc: json.JSONDecodeError) -> str:
    """The fix of a JSON syntax error people make often (comments, a comma before ']', single quotes, a file
    cut short), '' for another."""
    at = text[exc.pos:exc.pos + 2]
    before = text[:exc.pos].rstrip()[-1:]
    if at.startswith(("//", "/*", "#")):
        return ". Fix: JSON has no comments: delete the comment at that line"
    if at[:1] in ("]", "}") and before == ",":
        return f". Fix: delete the comma before the '{at[:1]}' at that line (JSON allows none after the last item)"
    if at[:1] == "'":
        return ". Fix: JSON writes text and keys in double quotes (\"CN\"), not single quotes"
    rest = text[exc.pos:].strip()
    if exc.pos >= len(text.rstrip()) or (exc.msg.startswith("Unterminated string") and '"' not in rest[1:]):
        return (". Fix: the file ends before its lists and objects are closed: it may be cut short (an interrupted "
                "download or copy); get it again")
    return ""


def read_json_table(path: Path, text: str) -> pd.DataFrame:
    """The file's table (header in row 0), every cell as text."""
    try:
        # numbers kept as written: a value of 5,000 digits is a named problem of its row, not a ValueError
        data = json.loads(text, object_pairs_hook=_no_repeats, parse_int=Written, parse_float=Written,
                          parse_constant=Written)
    except json.JSONDecodeError as exc:
        first = text.lstrip()[:1]
        hint = ("; it looks like a CSV table: if it is one, name it .csv" if first not in ("[", "{", "/", "#", "")
                and any(sep in text.lstrip().split("\n", 1)[0] for sep in ",;\t") else
                "; it looks like JSON Lines (one record per line): put the records in a list, [{…}, {…}]"
                if first == "{" and exc.msg == "Extra data" else _syntax_hint(text, exc))
        raise InputFileError(f"{path}: not valid JSON ({exc}){hint or JSON_FIX}") from exc
    except InputFileError as exc:
        raise InputFileError(f"{path}: {exc}") from exc
    except RecursionError as exc:
        raise InputFileError(f"{path}: the JSON is nested too deeply to be a table of records") from exc
    records = _records(path, data)
    # an empty record ({} or every value null) is skipped as a CSV reader skips a blank line; row N stays record N
    kept = [k for k, r in enumerate(records, 1) if any(v not in (None, "") for v in r.values())]
    df = pd.DataFrame([records[k - 1] for k in kept] or records)
    cells = df.map(lambda v: "" if v is None or (isinstance(v, float) and v != v) else as_written(v))
    out = pd.concat([pd.DataFrame([list(map(str, df.columns))]), cells.set_axis(range(df.shape[1]), axis=1)],
                    ignore_index=True)
    if kept and len(kept) < len(records):
        out.attrs["lines"] = [1, *kept]
    first_in: dict[str, int] = {}
    for k, record in enumerate(records, 1):
        for key in record:
            first_in.setdefault(str(key), k)
    out.attrs["key_records"] = first_in  # a problem of a key names the record it first appears in
    # keys holding numbers written as text ("1.234"): read as a comma-separated file reads its cells
    out.attrs["text_keys"] = sorted({str(k) for r in records for k, v in r.items()
                                     if isinstance(v, str) and not isinstance(v, Written)})
    return out


def text_separator(raw: pd.DataFrame, mapping: Mapping[str, str], column: str = "value") -> str | None:
    """The separator whose conventions read `column` of a table `raw` from `read_table`: a CSV file's own; for a
    JSON file or a workbook, ',' when what is read as `column` holds numbers written as text ("1.234" typed by a
    person, which may group thousands: `talent.io.numbers`), None when it holds numbers only (a JSON number or a
    number cell of 1.234 is that number, never grouped)."""
    attrs = raw.attrs
    key = next((k for k, c in mapping.items() if c == column), None)
    if attrs.get("separator") is not None or key is None:
        return attrs.get("separator")
    if attrs.get("header_row", 0) is None:  # JSON: its keys
        return "," if key in (attrs.get("text_keys") or ()) else None
    at = attrs.get("columns_at") or list(range(raw.shape[1]))
    where = at[list(raw.columns).index(key)] if key in raw.columns else None
    return "," if where in (attrs.get("text_columns") or ()) else None
