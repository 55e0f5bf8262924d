"""The report's words in English and Chinese, and its sentences built from the run's tables.

Every number in a sentence is read from the same frames the report's tables
and charts show, so text and tables cannot disagree.
"""

from __future__ import annotations

import math

import pandas as pd

from talent import engines
from talent.gaps.headline import Headline, headlines
from talent.gaps.stock import ALL
from talent.taxonomy import Lang, Taxonomy

WORDS: dict[str, tuple[str, str]] = {
    "title": ("AI talent: demand, supply, gap and a training plan", "人工智能人才：需求、供给、缺口与培养规划"),
    "demand": ("Demand", "需求"), "supply": ("Supply", "供给"),
    "persons_m": ("persons (millions)", "人数（百万）"),
    "fan": ("Demand and supply by role: history and forecast", "分岗位需求与供给：历史与预测"),
    "fan_note": ("Solid: observed; dashed: forecast mean; band: {pct}% interval from the simulated paths.",
                 "实线：观测值；虚线：预测均值；阴影：基于模拟路径的{pct}%区间。"),
    "gap_title": ("The gap in {year} by role and level", "{year}年分岗位、分层级缺口"),
    "gap_axis": ("gap, persons (millions)", "缺口，人数（百万）"),
    "plan_title": ("The recommended plan", "推荐培养规划"),
    "by_tier": ("New intake by education tier", "按培养层次的新增招生"),
    "by_audience": ("New intake by audience", "按培养对象的新增招生"),
    "intake_axis": ("new intake, persons (millions)", "新增招生，人数（百万）"),
    "cost_title": ("Cost per year against budget", "年度成本与预算"),
    "cost": ("plan cost", "规划成本"), "budget": ("budget", "预算"),
    "with_without": ("Expected gap without and with the plan", "有无规划情况下的预期缺口"),
    "before": ("without the plan", "无规划"), "after": ("with the plan", "有规划"),
    "binds": ("What limits the plan", "规划的约束条件"),
    "binds_note": ("Shadow prices: how much the plan's weighted objective (discounted cost plus priced shortage, "
                   "{unit}) would fall if a limit were relaxed by one unit.",
                   "影子价格：某项约束放宽一个单位时，规划加权目标（折现成本加短缺惩罚，{unit}）的下降幅度。"),
    "provenance": ("Data provenance and models", "数据来源与模型"),
    "inputs": ("Input files", "输入文件"), "status": ("status", "性质"), "sha": ("SHA-256", "SHA-256"),
    "observed": ("observed", "观测数据"), "modelled": ("modelled (not observed)", "模型推算（非观测）"),
    "unknown": ("not stated in the file", "文件未注明"),
    "mixed": ("published and modelled, per row", "公开数据与模型推算（逐行注明）"),
    "models": ("Forecast models chosen per series (backtest score)", "各序列所选预测模型（回测得分）"),
    "published": ("Published figures beside this run", "公开数据与本次运行对照"),
    "method_text": ("Forecasts by the talent forecast engine with intervals calibrated on backtest errors; the gap's "
                    "interval and P(shortage) come from jointly simulated demand and supply paths; totals are sums "
                    "of their parts.",
                    "预测由 talent 预测引擎完成，区间经回测误差校准；缺口区间与短缺概率来自需求与供给的联合模拟路径；"
                    "合计为各部分之和。"),
    "generated": ("Generated {created} by talent {version}.", "由 talent {version} 于 {created} 生成。"),
    "table_gap": ("Gap table, {year}", "{year}年缺口表"),
    "coverage_title": ("AI literacy: coverage of each audience (not part of the gap)",
                       "人工智能素养：各培养对象的覆盖率（不计入人才缺口）"),
    "coverage_note": ("Literacy education (素养教育) raises AI awareness; it does not produce the AI professionals "
                      "the gap counts. Coverage = people who have taken an AI-literacy course / the audience's "
                      "population; targets from the planning file.",
                      "素养教育提升人工智能认知，但不产生缺口所统计的人工智能专业人才。"
                      "覆盖率 = 接受过人工智能素养培训的人数 / 该对象人口规模；目标来自规划文件。"),
    "coverage_axis": ("coverage, % of the audience", "覆盖率（占该对象人口%）"),
    "without": ("without the plan", "无规划"), "with": ("with the plan", "有规划"), "target": ("target", "目标"),
}

_F = engines.families
FAMILIES: dict[str, tuple[str, str]] = {
    _F.BUDGET: ("the budget in {year}", "{year}年预算"),
    _F.FACULTY_CAPACITY: ("{tier} faculty in {year}", "{year}年{tier}师资"),
    _F.FACULTY_GROWTH: ("the growth limit of {tier} faculty in {year}", "{year}年{tier}师资增长上限"),
    _F.COVERAGE: ("the literacy target for {audience} by {year}", "{year}年前{audience}素养教育覆盖目标"),
    _F.INTAKE_GROWTH: ("the intake growth limit of programme {programme} in {year}",
                       "{year}年{programme}项目招生增长上限"),
    _F.MIN_SHARE: ("the minimum share '{name}' in {year}", "{year}年最低比例“{name}”"),
}
TITLES: dict[str, tuple[str, str]] = {
    _F.BUDGET: ("Budget", "预算"),
    _F.FACULTY_CAPACITY: ("Faculty capacity", "师资容量"),
    _F.FACULTY_GROWTH: ("Faculty growth limits", "师资增长上限"),
    _F.COVERAGE: ("Literacy coverage targets", "素养教育覆盖目标"),
    _F.INTAKE_GROWTH: ("Intake growth limits", "招生增长上限"),
    _F.MIN_SHARE: ("Minimum shares", "最低比例"),
}
UNITS: dict[str, tuple[str, str]] = {
    _F.BUDGET: ("per {money} of budget", "每增加1{money}预算"),
    _F.FACULTY_CAPACITY: ("per faculty member", "每增加1名教师"),
    _F.FACULTY_GROWTH: ("per faculty member", "每增加1名教师"),
    _F.COVERAGE: ("per person of target", "每减少1人目标"),
    _F.INTAKE_GROWTH: ("per seat", "每增加1个招生名额"),
    _F.MIN_SHARE: ("per seat", "每个招生名额"),
}


def word(key: str, lang: Lang, **fmt: object) -> str:
    """A phrase of the report in `lang`, formatted with `fmt`."""
    text = WORDS[key][0 if lang == "en" else 1]
    return text.format(**fmt) if fmt else text


def millions(value: float) -> str:
    """Persons as millions with two decimals (the unit of every headline)."""
    return f"{value / 1e6:.2f}"


def headline_line(h: Headline, lang: Lang) -> str:
    """The headline as one terminal line (`talent gap`, `talent run`)."""
    if not h.has_gap:
        known, missing = ("supply", "demand") if math.isnan(h.demand) else ("demand", "supply")
        value = h.supply if known == "supply" else h.demand
        if lang == "zh":
            return (f"{h.region} {h.year}年：{word(known, 'zh')} {value:,.0f} 人"
                    f"（无{word(missing, 'zh')}序列，无法计算缺口）")
        return f"{h.region} {h.year}: {known} {value:,.0f} persons (no {missing} series, so no gap)"
    if lang == "zh":
        return (f"{h.region} {h.year}年：缺口 {millions(h.gap)} 百万人（区间 {millions(h.gap_low)}–"
                f"{millions(h.gap_high)}），需求 {millions(h.demand)} 百万人，供给 {millions(h.supply)} 百万人"
                f"（为需求的 {h.ratio:.1%}），短缺概率 {h.p_shortage:.0%}")
    return (f"{h.region} {h.year}: gap {millions(h.gap)} million persons (interval {millions(h.gap_low)}–"
            f"{millions(h.gap_high)}), demand {millions(h.demand)} m, supply {millions(h.supply)} m "
            f"({h.ratio:.1%} of demand), P(shortage) {h.p_shortage:.0%}")


def _headline_prose(h: Headline, lang: Lang) -> str:
    args = dict(region=h.region, year=h.year, d=millions(h.demand), s=millions(h.supply), g=millions(h.gap),
                lo=millions(h.gap_low), hi=millions(h.gap_high), ratio=f"{h.ratio:.1%}", p=f"{h.p_shortage:.0%}")
    return ("In {year}, {region}'s demand for AI talent is projected at {d} million persons and supply at "
            "{s} million: a gap of {g} million (interval {lo}–{hi}), supply {ratio} of demand, "
            "P(shortage) {p}." if lang == "en" else
            "预计{year}年{region}人工智能人才需求为{d}百万人，供给为{s}百万人：缺口{g}百万人（区间{lo}–{hi}），"
            "供给为需求的{ratio}，短缺概率{p}。").format(**args)


def headline_sentences(stock: pd.DataFrame, year: int, tax: Taxonomy, lang: Lang) -> list[str]:
    """The gap in `year` per region, the scarcest level and the role with the largest gap."""
    out = []
    for h in (h for h in headlines(stock, year) if h.has_gap):
        out.append(_headline_prose(h, lang))
        here = stock[(stock["region"] == h.region) & (stock["year"] == year)]
        levels = here[(here["role"] == ALL) & (here["level"] != ALL)].dropna(subset=["ratio"])
        if len(levels):
            scarce = levels.sort_values("ratio", kind="stable").iloc[0]
            lv = tax.label("levels", scarce["level"], lang)
            out.append(f"The scarcest level is {lv}: supply covers {scarce['ratio']:.1%} of demand."
                       if lang == "en" else f"最稀缺的层级是{lv}：供给仅为需求的{scarce['ratio']:.1%}。")
        roles = here[(here["role"] != ALL) & (here["level"] == ALL)].dropna(subset=["gap"])
        if len(roles):
            top = roles.sort_values("gap", ascending=False, kind="stable").iloc[0]
            label = tax.label("roles", top["role"], lang)
            share = top["gap"] / h.gap if h.gap else float("nan")
            out.append(f"The largest gap is in {label}: {millions(top['gap'])} million persons, {share:.1%} of "
                       "the total." if lang == "en" else
                       f"缺口最大的岗位是{label}：{millions(top['gap'])}百万人，占总缺口的{share:.1%}。")
    return out


def plan_sentence(cost: pd.DataFrame, expected_gap: pd.DataFrame, money: str, lang: Lang) -> str:
    """What the plan costs and how much of the final year's expected professional gap it closes."""
    y0, y1 = int(cost["year"].min()), int(cost["year"].max())
    last = expected_gap[expected_gap["year"] == y1]
    before, after = float(last["gap_before"].sum()), float(last["gap_after"].sum())
    total = float(cost["cost"].sum())
    cut = (before - after) / before if before else 0.0
    if lang == "en":
        return (f"The plan costs {total:,.0f} {money} over {y0}–{y1} and lowers the expected {y1} gap of AI "
                f"professionals from {millions(before)} to {millions(after)} million persons ({cut:.1%} less).")
    return (f"该规划{y0}–{y1}年共需{total:,.0f}{money}，将{y1}年人工智能专业人才预期缺口由{millions(before)}百万人降至"
            f"{millions(after)}百万人（减少{cut:.1%}）。")


def coverage_sentence(coverage: pd.DataFrame, tax: Taxonomy, lang: Lang) -> str:
    """What the plan does for literacy coverage in its last year, per audience (shares, not persons of gap)."""
    last = coverage[coverage["year"] == coverage["year"].max()]
    parts = [(tax.label("audiences", a, lang), f"{c:.1%}", f"{p:.1%}") for a, c, p in
             zip(last["audience"], last["coverage"], last["coverage_with_plan"], strict=True)]
    year = int(last["year"].max())
    if lang == "en":
        items = "; ".join(f"{a} {c} → {p}" for a, c, p in parts)
        return (f"Separately, its literacy courses raise AI-literacy coverage by {year} "
                f"(without → with the plan): {items}.")
    items = "；".join(f"{a}{c}→{p}" for a, c, p in parts)
    return f"此外，其素养教育课程将{year}年人工智能素养覆盖率（无规划→有规划）提升为：{items}。"


def _describe(row: pd.Series, tax: Taxonomy, lang: Lang) -> str:
    """A constraint in words, from its named key fields (a row of `PlanResult.duals_by_field`)."""
    fields = {name: str(row[name]) for name in ("name", "programme") if pd.notna(row.get(name))}
    fields["year"] = str(int(row["year"]))
    if pd.notna(row.get("tier")):
        fields["tier"] = tax.label("tiers", str(row["tier"]), lang)
    if pd.notna(row.get("audience")):
        fields["audience"] = tax.label("audiences", str(row["audience"]), lang)
    return FAMILIES[str(row["family"])][0 if lang == "en" else 1].format(**fields)


def binding_sentences(duals: pd.DataFrame, money: str, tax: Taxonomy, lang: Lang, top: int = 6) -> list[str]:
    """Per constraint family that binds: how many of its limits bind and what relaxing the most valuable buys."""
    out = []
    rows = duals[duals["binding"].astype(bool) & duals["family"].isin(list(FAMILIES)) & (duals["value"] > 1e-6)]
    ranked = rows.groupby("family")["value"].max().sort_values(ascending=False)
    for family in ranked.index[:top]:
        fam = rows[rows["family"] == family]
        best = fam.loc[fam["value"].idxmax()]
        n_all = int((duals["family"] == family).sum())
        what = _describe(best, tax, lang)
        unit = UNITS[family][0 if lang == "en" else 1].format(money=money)
        title = TITLES[family][0 if lang == "en" else 1]
        if lang == "en":
            out.append(f"{title}: {len(fam)} of {n_all} bind; the most valuable is {what}: relaxing it "
                       f"is worth {best['value']:,.2f} {money} {unit}.")
        else:
            out.append(f"{title}：共{n_all}项，其中{len(fam)}项为紧约束；价值最高的是{what}：放宽后{unit}"
                       f"可带来{best['value']:,.2f}{money}的收益。")
    return out
