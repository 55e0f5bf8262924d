"""Run manifests: what produced an output (data vintage, settings, models, versions, time)."""

from __future__ import annotations

import hashlib
import os
import platform
from dataclasses import asdict, is_dataclass
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

PACKAGES = ("talent", "pandas", "numpy", "statsmodels", "prophet", "pulp", "highspy")


def file_sha256(path: Path) -> str:
    """Hex SHA-256 of a file's bytes (the data vintage)."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def versions() -> dict[str, str]:
    """Installed versions of the packages that shape the numbers."""
    out = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = "not installed"
    return out


def fixed_time() -> datetime | None:
    """`SOURCE_DATE_EPOCH` (whole seconds since 1970, the reproducible-builds convention) as a UTC
    time, or None when it is not set to a whole number: outputs then record it instead of the
    time of the run, so that two runs on the same inputs can write byte-identical files."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit() and len(epoch) <= 11:
        return datetime.fromtimestamp(int(epoch), UTC)
    return None


def run_time() -> datetime:
    """The time a run records (UTC, whole seconds): `fixed_time()`, else now."""
    return fixed_time() or datetime.now(UTC).replace(microsecond=0)


def build_manifest(inputs: list[Path], settings: Any, extra: dict[str, Any] | None = None) -> dict[str, Any]:
    """A JSON-ready record of one run. `created` is the only field that changes between identical runs
    (`run_time`: fixed by `SOURCE_DATE_EPOCH`)."""
    return {
        "tool": "talent",
        "created": run_time().strftime("%Y-%m-%dT%H:%M:%SZ"),
        "inputs": {str(p): file_sha256(p) for p in inputs},
        "settings": asdict(settings) if is_dataclass(settings) and not isinstance(settings, type) else settings,
        "versions": versions(),
        **(extra or {}),
    }


def declared_status(path: Path) -> str:
    """What a data file says of itself in its first lines: 'observed', 'modelled', 'mixed' (per row) or 'unknown'."""
    try:
        head = path.read_text(encoding="utf-8", errors="replace")[:400]
    except OSError:
        return "unknown"
    first = head.lstrip()[:40].upper()
    if "MIXED" in first:
        return "mixed"
    if "MODELLED" in first or "modelled" in head:
        return "modelled"
    return "observed" if "OBSERVED" in first else "unknown"
