"""The plan's limits (constraint families of the planner) in words: what one is, its title, and one unit of it.

Keyed by `talent.engines.families` names, so a family the engine adds without words here is simply
not described (the binding sentences only cover families listed in `FAMILIES`).
"""

from __future__ import annotations

from talent import engines

_F = engines.families
FAMILIES: dict[str, tuple[str, str]] = {
    _F.BUDGET: ("the budget in {year}", "{year}年预算"),
    _F.FACULTY_CAPACITY: ("{tier} faculty in {year}", "{year}年{tier}师资"),
    _F.FACULTY_GROWTH: ("the growth limit of {tier} faculty in {year}", "{year}年{tier}师资增长上限"),
    _F.COVERAGE: ("the literacy target for {audience} by {year}", "{year}年前{audience}素养教育覆盖目标"),
    _F.INTAKE_GROWTH: ("the intake growth limit of the programme {programme} in {year}",
                       "{year}年“{programme}”项目招生增长上限"),
    _F.MIN_SHARE: ("the minimum share '{name}' in {year}", "{year}年最低比例“{name}”"),
    _F.RAMP: ("the ramp-down limit of the programme {programme} in {year}", "{year}年“{programme}”项目招生降幅上限"),
    _F.POOL: ("the candidate pool of {audience} in {year}", "{year}年{audience}可招生源"),
    _F.CENTRAL_BUDGET: ("the central budget in {year}", "{year}年中央财政预算"),
    _F.INDUSTRY_BUDGET: ("the firms' budget in {year}", "{year}年企业出资"),
    _F.PLACEMENT: ("the firm placement places in {year}", "{year}年企业实习岗位"),
}
TITLES: dict[str, tuple[str, str]] = {
    _F.BUDGET: ("Budget", "预算"),
    _F.FACULTY_CAPACITY: ("Faculty capacity", "师资容量"),
    _F.FACULTY_GROWTH: ("Faculty growth limits", "师资增长上限"),
    _F.COVERAGE: ("Literacy coverage targets", "素养教育覆盖率目标"),
    _F.INTAKE_GROWTH: ("Intake growth limits", "招生增长上限"),
    _F.MIN_SHARE: ("Minimum shares", "最低比例"),
    _F.RAMP: ("Ramp-down limits", "招生降幅上限"),
    _F.POOL: ("Candidate pools", "可招生源"),
    _F.CENTRAL_BUDGET: ("Central budget", "中央财政预算"),
    _F.INDUSTRY_BUDGET: ("Firms' budgets", "企业出资"),
    _F.PLACEMENT: ("Placement places", "企业实习岗位"),
}
UNITS: dict[str, tuple[str, str]] = {  # one unit of each limit, relaxed
    _F.BUDGET: ("one more million CNY of budget", "预算每增加100万元"),
    _F.FACULTY_CAPACITY: ("one more faculty member", "每增加1名教师"),
    _F.FACULTY_GROWTH: ("one more faculty member", "每增加1名教师"),
    _F.COVERAGE: ("one person less of target", "目标每减少1人"),
    _F.INTAKE_GROWTH: ("one more seat", "每增加1个招生名额"),
    _F.MIN_SHARE: ("one seat less of the share", "最低比例每减少1个名额"),
    _F.RAMP: ("one more seat", "每增加1个招生名额"),
    _F.POOL: ("one more candidate", "每增加1名生源"),
    _F.CENTRAL_BUDGET: ("one more million CNY of central budget", "中央财政每增加100万元"),
    _F.INDUSTRY_BUDGET: ("one more million CNY of firms' money", "企业出资每增加100万元"),
    _F.PLACEMENT: ("one more placement place", "每增加1个实习岗位"),
}
