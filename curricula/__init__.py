"""curricula: a standalone multi-year LP planner for training capacity.

Plain dataclasses and long frames in (`PlanInputs`), a typed `PlanResult` out. Never
imports the `talent` application. Entry point: `plan(inputs)`.
"""

from curricula.check import check_plan
from curricula.diagnose import diagnose
from curricula.inputs import (
    CoverageTarget,
    FacultyPool,
    MinShare,
    PlanInputError,
    PlanInputs,
    Programme,
    Scenario,
    validate,
)
from curricula.model import HARD_FAMILIES, PlanModel, build
from curricula.result import Diagnosis, PlanResult, Relaxation
from curricula.solve import make_solver, plan, solve_model

__all__ = [
    "HARD_FAMILIES", "CoverageTarget", "Diagnosis", "FacultyPool", "MinShare", "PlanInputError",
    "PlanInputs", "PlanModel", "PlanResult", "Programme", "Relaxation", "Scenario", "build",
    "check_plan", "diagnose", "make_solver", "plan", "solve_model", "validate",
]
