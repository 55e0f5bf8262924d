"""The main job (library twin of `talent run`): data → forecasts → gap tables → plan → outputs.

Everything goes into one folder:

- `report.html`: the self-contained report;
- `gap.xlsx`, `gap.csv` (+ `.flow.csv`, `.models.csv`, `.manifest.json`): the gap tables, localised;
- `plan.xlsx`: the plan's tables;
- `manifest.json`: inputs (with hashes), settings, versions, models, plan status;
- `tables/`: the same tables with ids (not labels), which `talent report` reads back.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from talent.config import PlanningConfig, Settings, load_planning
from talent.errors import ConfigError, TalentWarning
from talent.gaps.coverage import with_plan
from talent.gaps.tables import GapTables, gap_tables
from talent.io.folder import check_output_folder, staged_folder
from talent.io.manifest import file_sha256
from talent.io.seal import sealed
from talent.io.series import load_series
from talent.io.write import Inputs, write_json, write_table
from talent.io.xlsx import write_workbook
from talent.paths import default_planning_path, default_series_path
from talent.planning import build_inputs, solve_config, with_coverage
from talent.planning_results import PlanOutcome, no_plan_message, plan_tables
from talent.present.export import export_gap
from talent.present.words import word

if TYPE_CHECKING:
    from talent.store import Store
    from talent.store.recording import Recording

TABLES = "tables"


@dataclass(frozen=True)
class RunResult:
    """What a run produced: the gap tables, the plan, and the files written."""

    gap: GapTables
    plan: PlanOutcome | None
    files: list[Path]
    plan_skipped: str | None = None
    run_id: int | None = None  # the run's number in the run store, when it was recorded
    history: dict[str, pd.DataFrame] = field(default_factory=dict)  # revisions and past scores from the store


def _noop(step: str) -> None:
    """Default progress callback: report nothing."""


def report_tables(gap: GapTables, plan: PlanOutcome | None) -> dict[str, pd.DataFrame]:
    """The id-based tables the report is drawn from (also written to `tables/`)."""
    out = {"stock": gap.stock, "flow": gap.flow, "models": gap.models}
    if gap.coverage is not None:
        out["coverage"] = gap.coverage
    if plan is not None:
        out |= {f"plan_{k}": v for k, v in plan_tables(plan).items()}
        out["plan_expected_gap"] = plan.result.expected_gap()
    return out


def write_outputs(out: Path, gap: GapTables, plan: PlanOutcome | None, manifest: dict[str, Any],
                  inputs: Inputs = (), extra: Mapping[str, pd.DataFrame] | None = None) -> list[Path]:
    """Write every table, the manifest and the id-based copies into `out`, never over one of `inputs`.

    Without a plan, plan files left in `out` by an earlier run are removed so
    the folder never mixes two runs. `extra` tables (the run store's revisions and past scores) go
    into `tables/` too.
    """
    inputs = list(inputs)
    if plan is None:
        for stale in [out / "plan.xlsx", *(out / TABLES).glob("plan_*.csv")]:
            stale.unlink(missing_ok=True)
    files: list[Path] = []
    for name, frame in (report_tables(gap, plan) | dict(extra or {})).items():
        files.append(write_table(frame, out / TABLES / f"{name}.csv", inputs=inputs))
    files.append(write_json(out / "manifest.json", sealed(manifest, out), inputs=inputs))  # after the tables
    lang = manifest["settings"]["report"]["lang"]
    files += export_gap(gap, out / "gap.xlsx", lang)
    files += export_gap(gap, out / "gap.csv", lang)
    if plan is not None:
        files.append(write_workbook(out / "plan.xlsx", plan_tables(plan), inputs=inputs))
    return files


def run_pipeline(data: Path | None = None, planning: Path | None = None, out: Path = Path("output"),
                 settings: Settings | None = None, budget_scale: float = 1.0,
                 on_step: Callable[[str], None] = _noop, *, sheet: str | None = None,
                 store: Store | None = None, explain: bool = True, limits: bool | None = None) -> RunResult:
    """Forecast, build the gap tables, solve the plan, write everything and the report into `out`
    (library twin of `talent run`). `on_step` receives a sentence as each step starts; `sheet` names
    the data workbook's sheet; `explain` and `limits` as in `talent.planning.solve_config`.

    `out` is replaced as a whole, only when every file is written (`talent.io.folder.staged_folder`):
    an interrupted run leaves the previous folder as it was. With a `store` (`talent.store.open_store`) the
    run is recorded there as one vintage, in one transaction, as the last step before the folder is swapped
    in; the report then compares it with the store's earlier run of the same series."""
    from talent.present.report import render_report

    s = settings or Settings()
    data_path = data or default_series_path()
    planning_path = planning or default_planning_path()
    check_output_folder(out, [data_path, planning_path])  # before the work, not after it
    given = load_planning(planning) if planning is not None else None  # its problems before the forecasts
    _note_until(given, s.forecast.until)
    lang = s.report.lang
    on_step(word("step_load", lang, path=data_path))  # type: ignore[arg-type]
    series = load_series(data_path, sheet=sheet)
    on_step(word("step_forecast", lang, n=series.groupby(["region", "role", "level", "kind"]).ngroups,  # type: ignore[arg-type]
                 until=s.forecast.until, paths=s.forecast.paths))
    gap = gap_tables(series, s, inputs=[data_path])
    on_step(word("step_plan", lang, path=planning_path))  # type: ignore[arg-type]
    plan: PlanOutcome | None = None
    skipped = None
    try:
        cfg = given or load_planning(planning_path)
        gap = with_coverage(gap, cfg)
        plan = _solve_plan(cfg, series, gap, s, budget_scale, explain, limits)
    except ConfigError as exc:
        if planning is not None:  # the user asked for this planning file: its problems are errors
            raise
        skipped = f"the default planning file does not fit this data set ({exc}); pass --planning FILE"
    if plan is not None and gap.coverage is not None:
        gap = replace(gap, coverage=with_plan(gap.coverage, plan.result.graduates))
    recording = _begin_recording(store, series, gap, s, data_path)
    inputs = [Path(p) for p in {str(data_path): 0, str(planning_path): 0} | gap.manifest["inputs"]]
    manifest = gap.manifest | {
        "inputs": {str(p): file_sha256(p) for p in inputs},
        "plan": ({"status": plan.result.status, "cost": float(plan.result.cost["cost"].sum()),
                  "money_unit": plan.result.money_unit, "planning_objective": plan.result.objective,
                  "solver": plan.result.solver, "budget_scale": budget_scale,
                  "range_tolerance": plan.inputs.range_tolerance,
                  "central_budget": {str(y): v for y, v in plan.inputs.central_budget.items()}}
                 if plan else {"status": "skipped", "reason": skipped}),
    } | (recording.manifest if recording else {})
    on_step(word("step_write", lang, out=out))  # type: ignore[arg-type]
    with staged_folder(out, inputs) as stage:
        files = write_outputs(stage, gap, plan, manifest, inputs=inputs, extra=recording.tables if recording else None)
        files.append(render_report(stage, s.report.lang))  # type: ignore[arg-type]
        if recording is not None:
            recording.commit(series, report_tables(gap, plan), manifest)
    files = [out / f.relative_to(stage) for f in files]
    return RunResult(gap, plan, files, skipped, *((recording.run_id, recording.tables) if recording else ()))


def _begin_recording(store: Store | None, series: pd.DataFrame, gap: GapTables, s: Settings,
                     data: Path) -> Recording | None:
    """A run number in `store` and the history tables for the output folder; None without a store."""
    if store is None:
        return None
    from talent.store.recording import begin_run

    return begin_run(store, series, gap.stock, s, data)


def _note_until(cfg: PlanningConfig | None, until: int) -> None:
    """A planning file's own [plan] until, which `talent run` does not use (it plans up to the forecast's last
    year): it was ignored without a word (`talent plan` of the same file plans up to it)."""
    own = cfg.plan.get("until") if cfg is not None else None
    if isinstance(own, int) and own != until:
        warnings.warn(f"{cfg.path}, key plan.until: {own} is not used by talent run, which plans up to the "  # type: ignore[union-attr]
                      f"forecast's last year, {until} (--until, or [forecast] until in talent.toml). Fix: give "
                      f"--until {own} to plan up to {own}", TalentWarning, stacklevel=3)


def _solve_plan(cfg: PlanningConfig, series: pd.DataFrame, gap: GapTables, s: Settings,
                budget_scale: float, explain: bool, limits: bool | None) -> PlanOutcome:
    """Solve the planning file on the run's projection; a plan that is not optimal is an error."""
    inputs = build_inputs(cfg, series, until=s.forecast.until, budget_scale=budget_scale, project=gap.projection)
    plan = solve_config(cfg, inputs, explain=explain, limits=limits)
    if not plan.result.optimal:
        raise ConfigError(no_plan_message(plan))  # the diagnosis in words (it was the object's repr)
    return plan

