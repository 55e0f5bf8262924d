"""Dependencies flow one way: talent -> forecasts, curricula; engines never import talent."""

from __future__ import annotations

import ast
import subprocess
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


def test_inside_talent_only_the_engines_module_imports_the_engines() -> None:
    importers = {str(f.relative_to(ROOT)) for f in sorted((ROOT / "talent").rglob("*.py"))
                 if imported_packages(f) & {"forecasts", "curricula"}}
    assert importers == {"talent/engines.py"}


def _long_functions(path: Path, limit: int) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [f"{node.name} ({node.end_lineno - node.lineno + 1} lines)" for node in ast.walk(tree)
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
            and node.end_lineno is not None and node.end_lineno - node.lineno + 1 > limit]


@pytest.mark.parametrize("package", ["talent", "forecasts", "curricula"])
def test_functions_and_modules_stay_short(package: str) -> None:
    """No function over 60 lines, no module over 400 (the house rule that keeps each piece readable)."""
    problems = {}
    for f in sorted((ROOT / package).rglob("*.py")):
        lines = len(f.read_text(encoding="utf-8").splitlines())
        found = _long_functions(f, 60) + ([f"module ({lines} lines)"] if lines > 400 else [])
        if found:
            problems[str(f.relative_to(ROOT))] = found
    assert problems == {}


def test_public_api_lists_the_library_twin_of_every_command() -> None:
    import talent

    twins = {"run_pipeline", "render_report", "gap_tables", "export_gap", "plan_from_files", "compare_plans",
             "forecast", "backtest", "score", "load_series", "validate_file", "summarise"}
    assert twins <= set(talent.__all__)
    for name in talent.__all__:
        assert getattr(talent, name).__doc__, name


def test_no_absolute_machine_paths_in_tracked_files() -> None:
    proc = subprocess.run(["git", "grep", "-nE", r"['\"]/(work|home|farm)/", "--", "*.py", "*.md", "*.toml"],
                          cwd=ROOT, capture_output=True, text=True, check=False)
    if proc.returncode > 1:
        pytest.skip(f"not a git checkout: {proc.stderr.strip()}")
    assert (proc.returncode, proc.stdout) == (1, "")  # git grep exits 1 when nothing matches
