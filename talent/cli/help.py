"""Help a reader can use: `-h` as well as `--help` on every command, placeholders that say what to type
(FILE, YEAR, N) rather than Python types, and each command's examples one per line."""

from __future__ import annotations

import enum
import re
import types
import typing
from pathlib import Path
from typing import Any

EXAMPLES = re.compile(r"^(Examples?): (.+)$", re.M | re.S)


def _element(annotation: Any) -> Any:
    """The type a reader types once: list[int] -> int, tuple[Path, Path] -> Path, X | None -> X."""
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if typing.get_origin(annotation) in (list, tuple, typing.Union, types.UnionType) and args:
        return _element(args[0])
    return annotation


def _metavar(name: str, annotation: Any) -> str:
    """A placeholder from the parameter's type and name: FILE, PATH, DIR, YEAR, N, X, [a|b] or the name."""
    kind = _element(annotation)
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return "[" + "|".join(str(m.value) for m in kind) + "]"
    if kind is Path:
        return {"out": "PATH", "folder": "DIR", "store": "PATH"}.get(name, "FILE")
    if kind is int:
        return "YEAR" if name in ("year", "until", "start") else "N"
    if kind is float:
        return "X"
    return name.upper().replace("_", "-")


def _examples(text: str) -> str:
    """'Examples: a · b' as a block click prints verbatim, one example per line."""
    def block(m: re.Match[str]) -> str:
        items = [e.strip() for e in re.split(r"\s+·\s+", " ".join(m.group(2).split()))]
        return "\b\n" + m.group(1) + ":\n" + "\n".join(f"  {e}" for e in items)
    return EXAMPLES.sub(block, text)


def tidy(command: Any) -> Any:
    """Apply the help conventions to `command` and every subcommand; returns it."""
    command.context_settings.setdefault("help_option_names", ["-h", "--help"])
    if command.help:
        command.help = _examples(command.help)
    for param in command.params:
        descriptor = getattr(param, "type_descriptor", None)
        if param.metavar is None and descriptor is not None and not getattr(param, "is_flag", False):
            annotation = descriptor.annotation
            count = len(typing.get_args(annotation)) if typing.get_origin(annotation) is tuple else 1
            param.metavar = " ".join([_metavar(param.name or "", annotation)] * count)
    for sub in getattr(command, "commands", {}).values():  # typer vendors click: duck-type the group
        tidy(sub)
    return command
