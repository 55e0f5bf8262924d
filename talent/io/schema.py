"""Schemas of the TOML inputs, checked with pydantic v2, every problem reported at once.

A schema is a `Schema` subclass (unknown keys forbidden, exact TOML types: no
`"10"` for 10, no `true` for 1, no `inf`/`nan`). `check(schema, raw, ...)`
validates a parsed TOML mapping and turns pydantic's errors into `Problem`s
naming the file (or the command-line option the value came from), the key
path, the value and the fix:

- an unknown key gets the closest valid key, or the table where that key
  belongs (`paths` at the top level: "put it under [forecast]");
- a field's fix comes from its `Field(json_schema_extra={"fix": …})`, else
  from the kind of error ("write a whole number without quotes");
- checks across keys (orderings such as shortage_below < surplus_above) are
  `model_validator`s that raise `order_error(key, message, fix)`, so their
  problem names the key too.

Settings (`talent.config`) use this now; the planning file's schema reuses it.
"""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, ValidationError
from pydantic_core import PydanticCustomError

from talent.errors import ConfigValidationError, Problem

Loc = tuple[str | int, ...]
S = TypeVar("S", bound="Schema")
# where a value came from: (file or option label, whether it is a command-line option)
SourceOf = Callable[[Loc], tuple[str, bool]]

MESSAGES = {
    "missing": "missing key",
    "dict_type": "must be a table",
    "model_type": "must be a table",
    "model_attributes_type": "must be a table",
    "too_short": "must not be empty",
    "int_type": "must be a whole number",
    "float_type": "must be a number",
    "string_type": "must be text",
    "list_type": "must be a list",
}
GENERIC_FIX = {
    "int_type": "write a whole number without quotes, e.g. 1000",
    "float_type": "write a number without quotes, e.g. 0.9",
    "string_type": "write text in double quotes, e.g. \"en\"",
    "bool_type": "write true or false",
    "list_type": "write a list in square brackets, e.g. [1, 2]",
    "dict_type": "write it as a table: a [section] header followed by key = value lines",
    "model_type": "write it as a table: a [section] header followed by key = value lines",
    "model_attributes_type": "write it as a table: a [section] header followed by key = value lines",
    "finite_number": "write a finite number (not inf or nan)",
    "missing": "add this key",
    "too_short": "give at least one entry",
    "string_too_short": "write a non-empty value",
}


class Schema(BaseModel):
    """Base of the TOML schemas: unknown keys are errors, types are exact, numbers finite, models frozen."""

    model_config = ConfigDict(extra="forbid", strict=True, allow_inf_nan=False, frozen=True)


def order_error(key: str, message: str, fix: str, value: object = None) -> PydanticCustomError:
    """An error of a check across keys, raised from a `model_validator`; it is reported at `key`
    ('' from a `field_validator`: at that field), with `message`, `fix` and `value`."""
    return PydanticCustomError("order", message, {"key": key, "fix": fix, "value": value})


def key_path(loc: Loc) -> str:
    """('forecast', 'quantiles', 2) -> 'forecast.quantiles[2]'."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _model_of(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):  # Optional[...], list[...], dict[str, ...]
        found = _model_of(arg)
        if found is not None:
            return found
    return None


def fields_at(schema: type[BaseModel], loc: Loc) -> type[BaseModel] | None:
    """The schema (sub)model that holds the keys at `loc`; None when `loc` is not inside a model."""
    model: type[BaseModel] | None = schema
    for part in loc:
        if model is None:
            return None
        field = model.model_fields.get(str(part)) if isinstance(part, str) else None
        if field is None:  # a list index or a free key of a dict[str, Model]
            continue
        model = _model_of(field.annotation)
    return model


def _origin_is_mapping(annotation: Any) -> bool:
    origin = typing.get_origin(annotation)
    return origin in (dict, Mapping) or (origin in (typing.Union, types.UnionType)
                                         and any(_origin_is_mapping(a) for a in typing.get_args(annotation)))


def _closest(name: str, options: list[str]) -> str | None:
    match = difflib.get_close_matches(name.casefold(), [o.casefold() for o in options], n=1, cutoff=0.65)
    return next((o for o in options if match and o.casefold() == match[0]), None)


def unknown_key_fix(schema: type[BaseModel], loc: Loc) -> str:
    """The fix of an unknown key: the closest valid key here, or the table that has this key."""
    name, parent = str(loc[-1]), loc[:-1]
    model = fields_at(schema, parent)
    known = [f.alias or n for n, f in model.model_fields.items()] if model is not None else []
    where = f"[{key_path(parent)}]" if parent else "the top level"
    guess = _closest(name, known)
    if guess is not None:
        return f"did you mean '{guess}'? Keys allowed in {where}: {', '.join(known)}"
    for table, field in (model.model_fields.items() if model is not None else []):
        sub = _model_of(field.annotation)
        if sub is not None and name in sub.model_fields and not _origin_is_mapping(field.annotation):
            return f"put it under [{key_path((*parent, table))}]"
    return f"remove it or rename it; keys allowed in {where}: {', '.join(known)}"


def _field_fix(schema: type[BaseModel], loc: Loc) -> str | None:
    """The fix of the innermost field at `loc` (by name or alias; a free key of a dict field takes the dict's fix)."""
    for i in reversed([i for i, p in enumerate(loc) if isinstance(p, str)]):
        model = fields_at(schema, loc[:i])
        fields = model.model_fields.items() if model is not None else []
        field = next((f for n, f in fields if loc[i] in (n, f.alias)), None)
        if field is not None:
            extra = field.json_schema_extra
            return str(extra["fix"]) if isinstance(extra, dict) and "fix" in extra else None
    return None


def _problem(schema: type[BaseModel], error: Any, source_of: SourceOf) -> tuple[Problem, bool]:
    loc: Loc = tuple(error["loc"])
    kind, ctx = error["type"], error.get("ctx") or {}
    value: object = error.get("input")
    if kind == "extra_forbidden":
        message = "unknown table" if isinstance(value, dict) else "unknown key"
        fix = unknown_key_fix(schema, loc)
    elif kind == "order":
        loc, value = (*loc, ctx["key"]) if ctx["key"] else loc, ctx.get("value")
        message, fix = error["msg"], str(ctx["fix"])
    else:
        message = MESSAGES.get(kind) or error["msg"].replace("Input should be", "must be")
        value = None if kind == "missing" else value
        if kind == "literal_error":
            fix = f"use {ctx.get('expected', '')}"
        else:
            fix = _field_fix(schema, loc) or GENERIC_FIX.get(kind, "correct the value")
    source, is_option = source_of(loc)
    key = None if is_option else key_path(loc)
    return Problem(source, None, None, value, message, fix, key=key), is_option


def check(schema: type[S], raw: Mapping[str, Any], source_of: SourceOf) -> S:
    """Validate `raw` against `schema`; raise one `ConfigValidationError` listing every problem.

    `source_of(loc)` names where the value at a key path came from (the file,
    or a command-line option); when every problem comes from options the error
    is a usage error (exit code 2).
    """
    try:
        return schema.model_validate(raw)
    except ValidationError as exc:
        found = [_problem(schema, e, source_of) for e in exc.errors()]
        raise ConfigValidationError([p for p, _ in found], usage=all(o for _, o in found)) from None


def in_file(file: str) -> SourceOf:
    """A `source_of` for a mapping read from one file."""
    return lambda loc: (file, False)
