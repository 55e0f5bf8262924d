"""Where the embedded data lives: `talent/assets/`, shipped inside the package.

The files are package data (importlib.resources), so they are found from a
plain `pip install` as well as from an editable checkout. `data/` at the top
of the repository keeps their sources, the generator and the datasheet.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def assets_dir() -> Path:
    """The folder holding the embedded data sets, taxonomy, planning file, published figures and fonts."""
    return Path(str(files("talent") / "assets"))


def default_series_path() -> Path:
    """The embedded default series: China, national, by role and level, 2015–2024."""
    return assets_dir() / "cn_national.csv"


def taxonomy_path() -> Path:
    """The embedded taxonomy (roles, levels, kinds, tiers, audiences, column names)."""
    return assets_dir() / "taxonomy.toml"


def default_planning_path() -> Path:
    """The embedded planning file (tiers, audiences, programmes, budgets, yields)."""
    return assets_dir() / "planning.toml"


def published_path() -> Path:
    """Published figures the report sets beside a run (with their citations)."""
    return assets_dir() / "published.toml"


def glossary_path() -> Path:
    """English <-> Chinese terms of tables and the report, and names of the manifest's keys."""
    return assets_dir() / "glossary.toml"


def font_path() -> Path:
    """Noto Sans CJK SC subset to GB2312 (SIL OFL 1.1), for charts and the report."""
    return assets_dir() / "fonts" / "NotoSansSC-GB2312.otf"
