"""Dependencies flow one way: talent -> forecasts, curricula; engines never import talent."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from tests.conftest import ROOT

FORBIDDEN = {"forecasts": {"talent", "curricula"}, "curricula": {"talent", "forecasts"}}


def imported_packages(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_engines_do_not_import_the_application(package: str) -> None:
    files = sorted((ROOT / package).rglob("*.py"))
    assert files, f"{package}/ has no modules"
    offenders = {str(f.relative_to(ROOT)): imported_packages(f) & FORBIDDEN[package] for f in files}
    assert {f: bad for f, bad in offenders.items() if bad} == {}


def _is_devnull(node: ast.Call) -> bool:
    return bool(node.args) and ast.unparse(node.args[0]) == "os.devnull"


def test_engines_do_no_file_io_or_printing() -> None:
    """Engines take frames and return results: no print(), no open() (except os.devnull)."""
    for package in FORBIDDEN:
        for f in (ROOT / package).rglob("*.py"):
            tree = ast.parse(f.read_text(encoding="utf-8"))
            bad = [n.lineno for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)
                   and (n.func.id == "print" or (n.func.id == "open" and not _is_devnull(n)))]
            assert not bad, f"{f} prints or opens files at lines {bad}"
