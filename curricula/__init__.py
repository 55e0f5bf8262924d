"""curricula: a standalone multi-year LP planner for training capacity.

Plain dataclasses and long frames in (`PlanInputs`), a typed `PlanResult` out. Never
imports the `talent` application. Entry point: `plan(inputs)`: the optimal plan made
unique by a tie-break solve, duals in money and in persons, and on request near-optimal
ranges (`ranges=True`) and what limits the gap (`limits=True`). Regions coupled by
graduate mobility or a central budget are solved together, the others one by one
(`curricula.regions`). Constraint families and the names of their key fields:
`KEY_FIELDS` (module `curricula.families`).
"""

from curricula import regions
from curricula.binding import gap_limits
from curricula.check import check_plan
from curricula.diagnose import diagnose
from curricula.families import ALL_KEY_FIELDS, HARD_FAMILIES, INTERNAL_FAMILIES, KEY_FIELDS, key_dict
from curricula.horizon import Horizon, extend
from curricula.inputs import (
    DEFAULT_SEGMENTS,
    CandidatePool,
    CoverageTarget,
    FacultyPool,
    MinShare,
    PlanInputError,
    PlanInputs,
    Programme,
    Scenario,
)
from curricula.model import PlanModel, build
from curricula.persons import frontier_gap
from curricula.result import FAMILY_WORDS, FLOW_COLUMNS, LIMIT_COLUMNS, RANGE_COLUMNS, Diagnosis, PlanResult, Relaxation
from curricula.solve import make_solver, plan, solve_model
from curricula.validation import CHANNELS, validate

__all__ = [
    "ALL_KEY_FIELDS",
    "CHANNELS",
    "DEFAULT_SEGMENTS",
    "FAMILY_WORDS",
    "FLOW_COLUMNS",
    "HARD_FAMILIES",
    "INTERNAL_FAMILIES",
    "KEY_FIELDS",
    "LIMIT_COLUMNS",
    "RANGE_COLUMNS",
    "CandidatePool",
    "CoverageTarget",
    "Diagnosis",
    "FacultyPool",
    "Horizon",
    "MinShare",
    "PlanInputError",
    "PlanInputs",
    "PlanModel",
    "PlanResult",
    "Programme",
    "Relaxation",
    "Scenario",
    "build",
    "check_plan",
    "diagnose",
    "extend",
    "frontier_gap",
    "gap_limits",
    "key_dict",
    "make_solver",
    "plan",
    "regions",
    "solve_model",
    "validate",
]
