"""A run folder's seal: the SHA-256 of each table `talent report` reads, and of the manifest itself.

`talent run` writes the tables, then the manifest with `outputs` (table path → SHA-256 of its text) and
`checksum` (SHA-256 of the manifest's own JSON without that key, keys sorted). `talent report` redraws the
report from these files only, so a table or manifest edited by hand afterwards (a cost changed, a row
deleted, the interval relabelled) would be shown as the run's result, with the run's provenance. The report
checks the seal and refuses a folder whose files were changed (`--allow-edited` draws it anyway, with a
warning); a folder written before the seal existed gets a warning that edits cannot be detected.
"""

from __future__ import annotations

import hashlib
import json
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from talent.errors import InputFileError, TalentWarning
from talent.io.read import OUTPUT_COLUMNS, decode_text

TABLES = "tables"


def _digest(doc: Mapping[str, Any]) -> str:
    body = {k: v for k, v in doc.items() if k != "checksum"}
    text = json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _file_hash(path: Path) -> str:
    """SHA-256 of a table's text (UTF-8, line feeds): the same table saved again as UTF-16, with a byte-order
    mark or with CRLF line ends is the same table; bytes that are not text are hashed as they are."""
    raw = path.read_bytes()
    try:
        text = decode_text(path, raw).replace("\r\n", "\n")
    except InputFileError:
        return hashlib.sha256(raw).hexdigest()
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def sealed(manifest: Mapping[str, Any], folder: Path) -> dict[str, Any]:
    """`manifest` with `outputs` (every `tables/*.csv` of `folder` and its SHA-256) and its `checksum`, as it
    reads back from JSON (`default=str`: a path is written as text)."""
    doc = json.loads(json.dumps(dict(manifest), ensure_ascii=False, default=str))
    doc["outputs"] = {f"{TABLES}/{p.name}": _file_hash(p) for p in sorted((folder / TABLES).glob("*.csv"))}
    doc["checksum"] = _digest(doc)
    return dict(doc)


def _changes(manifest: Mapping[str, Any], folder: Path) -> list[str]:
    """What differs from the seal, in words: the manifest, tables changed, missing or added."""
    out = []
    if manifest.get("checksum") != _digest(manifest):
        out.append("manifest.json (its checksum does not match its content)")
    listed = manifest.get("outputs")
    listed = listed if isinstance(listed, dict) else {}
    present = {f"{TABLES}/{p.name}": p for p in sorted((folder / TABLES).glob("*.csv"))}
    for name, digest in listed.items():
        if name not in present:
            out.append(f"{name} (missing)")
        elif _file_hash(present[name]) != digest:
            out.append(f"{name} (its SHA-256 is not the one the manifest records)")
    out += [f"{name} (not written by the run)" for name in present if name not in listed and read_by_report(name)]
    return out


def read_by_report(name: str) -> bool:
    """A table the report reads when present (a user's own notes.csv beside them is no matter)."""
    stem = Path(name).stem
    return stem in OUTPUT_COLUMNS or stem.startswith("plan_") or stem in ("stock", "flow", "models", "coverage",
                                                                           "revisions", "past_scores")


def check_seal(manifest: Mapping[str, Any], path: Path, folder: Path, allow_edited: bool = False) -> None:
    """Refuse (or, with `allow_edited`, warn about) a run folder whose manifest or tables changed after
    `talent run` wrote them; warn when the manifest has no seal to check."""
    if "checksum" not in manifest and "outputs" not in manifest:
        warnings.warn(f"{path}: records no checksums of the run's tables (written by an older talent, or the "
                      "keys were removed), so edits to the folder cannot be detected; re-run `talent run --out "
                      f"{folder}` to rewrite it", TalentWarning, stacklevel=2)
        return
    changed = _changes(manifest, folder)
    if not changed:
        return
    shown = "; ".join(changed[:5]) + (f"; and {len(changed) - 5} more" if len(changed) > 5 else "")
    what = f"{folder}: files changed after `talent run` wrote them: {shown}"
    if allow_edited:
        warnings.warn(f"{what}; the report shows the edited files, not the run's results", TalentWarning,
                      stacklevel=2)
        return
    raise InputFileError(f"{what}. The report would show them as the run's results. Fix: re-run `talent run --out "
                         f"{folder}` to rewrite the folder, or pass --allow-edited to draw the report from the edited "
                         "files (with a warning)")
