"""Where the embedded data lives.

The default data ships in the repository's top-level `data/` folder; the
package is installed in editable mode by `make`, so it is found beside the
package. `TALENT_DATA_DIR` points elsewhere (for example a copy of `data/`).
"""

from __future__ import annotations

import os
from pathlib import Path


def data_dir() -> Path:
    """The folder holding the embedded data sets, taxonomy and planning file."""
    env = os.environ.get("TALENT_DATA_DIR")
    return Path(env) if env else Path(__file__).resolve().parents[1] / "data"


def default_series_path() -> Path:
    """The embedded default series: China, national, by role and level, 2015–2024."""
    return data_dir() / "cn_national.csv"


def taxonomy_path() -> Path:
    """The embedded taxonomy (roles, levels, kinds, tiers, audiences, column names)."""
    return data_dir() / "taxonomy.toml"


def default_planning_path() -> Path:
    """The embedded planning file (tiers, audiences, programmes, budgets, yields)."""
    return data_dir() / "planning.toml"
