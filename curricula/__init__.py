"""curricula: a standalone multi-year LP planner for training capacity.

Plain dataclasses and long frames in (`PlanInputs`), a typed `PlanResult` out. Never
imports the `talent` application. Entry point: `plan(inputs)`. Constraint families and
the names of their key fields: `KEY_FIELDS` (module `curricula.families`).
"""

from curricula.check import check_plan
from curricula.diagnose import diagnose
from curricula.families import ALL_KEY_FIELDS, HARD_FAMILIES, KEY_FIELDS, key_dict
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
from curricula.model import PlanModel, build
from curricula.result import Diagnosis, PlanResult, Relaxation
from curricula.solve import make_solver, plan, solve_model

__all__ = [
    "ALL_KEY_FIELDS", "HARD_FAMILIES", "KEY_FIELDS", "CoverageTarget", "Diagnosis", "FacultyPool",
    "MinShare", "PlanInputError", "PlanInputs", "PlanModel", "PlanResult", "Programme", "Relaxation",
    "Scenario", "build", "check_plan", "diagnose", "key_dict", "make_solver", "plan", "solve_model",
    "validate",
]
