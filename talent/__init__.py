"""talent: forecast AI-talent demand and supply, build gap tables, plan training capacity.

The library twin of every command (`talent <command>` in the shell)::

    run_pipeline(data, planning, out, settings)      # talent run
    render_report(folder, lang)                      # talent report
    gap_tables(series, settings); export_gap(t, p)   # talent gap
    plan_from_files(planning, data); compare_plans   # talent plan [--compare]
    forecast(df, models, h, quantiles)               # talent forecast
    backtest(df, models, h, n_windows); score(bt)    # talent backtest
    validate_file(path); load_series(path)           # talent data validate
    summarise(series, lang)                          # talent data show
    open_store(location); history_list(store)        # talent history list (a Store: DuckDB file or PostgreSQL)
    history_show(store, run)                         # talent history show RUN
    history_diff(store, run_a, run_b)                # talent history diff A B (data and model parts)
    history_score(store, actuals)                    # talent history score [--actuals FILE]

Settings come from `load_settings` (CLI over `talent.toml` over defaults),
planning files from `load_planning`, the taxonomy from `load_taxonomy`.
Errors a user can fix are `TalentError`s; warnings are `TalentWarning`s.
Names are imported on first use, so `import talent` stays cheap.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

_WHERE = {
    "run_pipeline": "talent.run", "RunResult": "talent.run",
    "render_report": "talent.present.report",
    "gap_tables": "talent.gaps.tables", "GapTables": "talent.gaps.tables",
    "export_gap": "talent.present.export",
    "plan_from_files": "talent.planning", "compare_plans": "talent.planning", "PlanOutcome": "talent.planning_results",
    "forecast": "talent.engines", "backtest": "talent.engines", "score": "talent.engines",
    "load_series": "talent.io.series", "validate_file": "talent.io.series",
    "summarise": "talent.present.summary",
    "load_settings": "talent.config", "Settings": "talent.config", "load_planning": "talent.config",
    "load_taxonomy": "talent.taxonomy",
    "TalentError": "talent.errors", "TalentWarning": "talent.errors",
    "open_store": "talent.store", "Store": "talent.store", "StoreError": "talent.store", "Vintage": "talent.store",
    "Revisions": "talent.store", "history_list": "talent.store", "history_show": "talent.store",
    "history_diff": "talent.store", "history_score": "talent.store",
}
__all__ = [
    "GapTables", "PlanOutcome", "Revisions", "RunResult", "Settings", "Store", "StoreError", "TalentError",
    "TalentWarning", "Vintage", "backtest", "compare_plans", "export_gap", "forecast", "gap_tables", "history_diff",
    "history_list", "history_score", "history_show", "load_planning", "load_series", "load_settings",
    "load_taxonomy", "open_store", "plan_from_files", "render_report", "run_pipeline", "score", "summarise",
    "validate_file",
]
assert sorted(_WHERE) == __all__

if TYPE_CHECKING:
    from talent.config import Settings, load_planning, load_settings
    from talent.engines import backtest, forecast, score
    from talent.errors import TalentError, TalentWarning
    from talent.gaps.tables import GapTables, gap_tables
    from talent.io.series import load_series, validate_file
    from talent.planning import compare_plans, plan_from_files
    from talent.planning_results import PlanOutcome
    from talent.present.export import export_gap
    from talent.present.report import render_report
    from talent.present.summary import summarise
    from talent.run import RunResult, run_pipeline
    from talent.store import (
        Revisions,
        Store,
        StoreError,
        Vintage,
        history_diff,
        history_list,
        history_score,
        history_show,
        open_store,
    )
    from talent.taxonomy import load_taxonomy


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module 'talent' has no attribute {name!r}")
    value = getattr(import_module(_WHERE[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
