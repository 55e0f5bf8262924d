"""TOML files: settings, planning, taxonomy and the shipped lists, read as text and parsed.

TOML is UTF-8 by its specification; a file Windows Notepad saved as 'Unicode' (UTF-16 with a byte-order mark)
or 'UTF-8 with BOM' is read too, as the byte-order mark says. Other bytes (GBK, Big5, Windows-1252, a
workbook) are a `ConfigError` naming the file, the byte and its line, and the fix.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

from talent.errors import ConfigError, shorten
from talent.io.files import bom_encoding, read_bytes
from talent.io.read import _SIGNATURES, _utf16_without_bom
from talent.limits import MAX_TOML_BYTES


def _toml_fix(detail: str) -> str:
    """What to do about a TOML syntax error (tomllib's message `detail` names the line and column)."""
    if detail.startswith(("Cannot overwrite", "Cannot declare")):
        return "a key or [table] appears twice: keep one of them"
    return ("correct the TOML at that line: one key = value per line, text in double quotes, each [table] "
            "header on a line of its own (https://toml.io)")


def toml_text(path: Path, raw: bytes, what: str, fix: str | None = None) -> str:
    """The text of a TOML file: UTF-8 (with or without a byte-order mark), or UTF-16/UTF-32 when a byte-order
    mark says so (Windows Notepad saves 'Unicode' so); other bytes are a `ConfigError` naming where they are."""
    encoding = bom_encoding(raw) or _utf16_without_bom(raw)
    try:
        return raw.decode(encoding or "utf-8").replace("\ufeff", "")
    except UnicodeDecodeError as exc:
        kind = next((w.split(";")[0] for sig, w in _SIGNATURES if raw.startswith(sig)), "")
        name = (encoding or "utf-8").upper().replace("-SIG", "")
        line = raw.count(b"\n", 0, exc.start) + 1
        where = f"byte {raw[exc.start]:#04x} on line {line} is not {name}"
        if kind:
            raise ConfigError(f"{path}: the {what} is not a text file (it looks like {kind}). Fix: "
                              + (fix or f"give a TOML text file as the {what}")) from None
        raise ConfigError(f"{path}: the {what} is not {name} text: {where} (saved in another encoding, such as GBK, "
                          "Big5 or Windows-1252?). Fix: " + (fix or f"save the {what} as UTF-8 (in Notepad: File > "
                                                                      "Save As, Encoding: UTF-8)")) from None


def read_toml(path: Path | str, what: str, fix: str | None = None) -> dict[str, Any]:
    """Parse a TOML file (`what` names it in messages, e.g. 'planning file'); errors are ConfigError.
    `fix`: the fix of a file that is not TOML at all, when the caller knows a better one than the syntax's."""
    path = Path(path)
    raw = read_bytes(path, what, MAX_TOML_BYTES, ConfigError)
    try:
        return tomllib.loads(toml_text(path, raw, what, fix))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({shorten(str(exc))}). Fix: {fix or _toml_fix(str(exc))}") from exc
    except RecursionError as exc:
        deep = fix or "use at most a few levels of [tables]"
        raise ConfigError(f"{path}: the {what} is nested too deeply. Fix: {deep}") from exc
