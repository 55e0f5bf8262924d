"""The report's words in English and Chinese, and its sentences built from the run's tables.

Every number in a sentence is read from the same frames the report's tables
and charts show, so text and tables cannot disagree.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import pandas as pd

from talent.gaps.headline import Headline, headlines
from talent.gaps.stock import ALL
from talent.io.regions import load_regions
from talent.planning_regions import leaf_regions
from talent.present.labels import programme_label
from talent.present.limit_words import FAMILIES, TITLES, UNITS
from talent.present.units import money, person_scale, persons
from talent.taxonomy import Lang, Taxonomy

WORDS: dict[str, tuple[str, str]] = {
    "title": ("AI talent: demand, supply, gap and a training plan", "人工智能人才：需求、供给、缺口与培养规划"),
    "demand": ("Demand", "需求"), "supply": ("Supply", "供给"),
    "persons": ("persons", "人数"), "gap": ("gap", "缺口"),
    "step_load": ("Loading and validating {path}", "读取并校验 {path}"),
    "step_forecast": ("Forecasting {n} series to {until} and simulating {paths} paths",
                      "预测 {n} 个序列至 {until} 年，模拟 {paths} 条路径"),
    "step_plan": ("Planning training capacity with {path}", "依据 {path} 规划培养能力"),
    "step_write": ("Writing tables and the report to {out}/", "将表格与报告写入 {out}/"),
    "wrote": ("Wrote {n} files to {out}/ in {seconds:.1f} s; report: {report}",
              "已写入 {n} 个文件至 {out}/，用时 {seconds:.1f} 秒；报告：{report}"),
    "closed": ("of the {year} gap closed by the plan", "规划可填补的{year}年缺口"),
    "fan": ("Demand and supply by role: history and forecast", "分岗位需求与供给：历史与预测"),
    "fan_note": ("Solid: {history}; dashed: forecast mean; band: {pct}% interval from the simulated paths.",
                 "实线：{history}；虚线：预测均值；阴影：基于模拟路径的{pct}%区间。"),
    "data_modelled": ("The history in this report is modelled, not observed: no official series exists, and the "
                      "data was built to agree with published figures (see the data sheet).",
                      "本报告中的历史数据为模型推算值，并非观测值：目前没有官方统计序列，数据按公开数据校准（见数据说明）。"),
    "data_mixed": ("The history in this report mixes observed and modelled values (the data file says which).",
                   "本报告的历史数据包含观测值与模型推算值（数据文件逐行注明）。"),
    "data_unstated": ("The data file does not say whether its history is observed or modelled.",
                      "数据文件未注明其历史数据为观测值还是模型推算值。"),
    "published_calibrated": ("Published figures the modelled data was calibrated to (not an independent check)",
                             "模型推算数据据以校准的公开数据（并非独立检验）"),
    "gap_title": ("The gap in {year} by role and level", "{year}年分岗位、分层级缺口"),
    "plan_title": ("The recommended plan", "推荐培养规划"),
    "by_tier": ("New intake by education tier", "按培养层次的新增招生"),
    "by_audience": ("New intake by audience", "按培养对象的新增招生"),
    "intake_axis": ("new intake", "新增招生"),
    "cost_title": ("Cost per year against budget", "年度成本与预算"),
    "cost": ("plan cost", "规划成本"), "budget": ("budget", "预算"),
    "with_without": ("Expected gap without and with the plan", "有无规划情况下的预期缺口"),
    "before": ("without the plan", "无规划"), "after": ("with the plan", "有规划"),
    "binds": ("What limits the plan", "规划的约束条件"),
    "binds_note": ("Marginal values in persons: how many persons of the {year} gap of AI professionals one more "
                   "unit of a limit would close, found by re-solving the plan with that limit moved.",
                   "以人数计的边际价值：某项约束每放宽一个单位，{year}年人工智能专业人才缺口可减少的人数"
                   "（通过调整该约束后重新求解得到）。"),
    "ranges_title": ("How much freedom there is", "可调整的余地"),
    "plan_head": ("Training plan {first}–{last} from {path}: {status} ({solver})",
                  "培养规划 {first}–{last} 年（{path}）：{status}（{solver}）"),
    "opening": ("What to open where and when (additional entrants a year)", "何时开设哪些项目（每年新增招生）"),
    "programme": ("programme", "培养项目"),
    "limits_title": ("What keeps the gap open", "缺口未能填补的原因"),
    "tier": ("tier", "培养层次"), "audience": ("audience", "培养对象"), "planned": ("planned", "规划值"),
    "low": ("at least", "下限"), "high": ("at most", "上限"),
    "provenance": ("Data provenance and models", "数据来源与模型"),
    "inputs": ("Input files", "输入文件"), "status": ("status", "性质"), "sha": ("SHA-256", "SHA-256 校验值"),
    "file": ("file", "文件"), "model": ("model", "模型"), "series": ("series", "序列数"),
    "median_score": ("median backtest score", "回测得分中位数"),
    "observed": ("observed", "观测数据"), "modelled": ("modelled (not observed)", "模型推算（非观测）"),
    "unknown": ("not stated in the file", "文件未注明"),
    "mixed": ("published and modelled, per row", "公开数据与模型推算（逐行注明）"),
    "models": ("Forecast models chosen per series (backtest score)", "各序列所选预测模型（回测得分）"),
    "models_legend": ("How to read a model: median(a,b,c) is the median of a series' three best models in its own "
                      "backtest; panel(a,b;w) is w × the median of the models that did best across all series of the "
                      "run plus (1 − w) × the trimmed mean of all of auto's models; 'shrunk to' mixes the two by how "
                      "clearly the series' own backtest prefers its best models. The backtest score is sMAPE in "
                      "percent (lower is better).",
                      "模型名称说明：median(a,b,c) 为该序列自身回测中最优三个模型的中位数；panel(a,b;w) 为 w × 本次运行"
                      "全部序列中表现最好的模型的中位数，加 (1 − w) × auto 全部模型的截尾均值；“shrunk to”表示按该序列"
                      "回测对其最优模型的偏好程度将两者加权。回测得分为 sMAPE（百分比，越低越好）。"),
    "published": ("Published figures beside this run", "公开数据与本次运行对照"),
    "method_text": ("Forecasts by the talent forecast engine with intervals calibrated on backtest errors; the gap's "
                    "interval and P(shortage) come from jointly simulated demand and supply paths; totals are sums "
                    "of their parts.",
                    "预测由 talent 预测引擎完成，区间经回测误差校准；缺口区间与短缺概率来自需求与供给的联合模拟路径；"
                    "合计为各部分之和。"),
    "reconciled_text": ("The provinces' forecasts are reconciled with {parent}'s: {parent}'s simulated paths are "
                        "shared among its {n} provinces in the proportions of their own paths, so the provinces' "
                        "demand, supply and gap add up to {parent}'s ({cells} cells; {left} left as forecast).",
                        "各省预测已与{parent}协调：{parent}的模拟路径按各省自身路径的比例分配给其{n}个省级地区，"
                        "各省需求、供给与缺口之和等于{parent}（{cells}个单元；{left}个保持原预测）。"),
    "unreconciled_text": ("The {n} provinces of {parent} in the data do not add up to it (a province or the rest "
                          "of the country is missing), so their forecasts are not reconciled with {parent}'s and "
                          "their sum may differ from it.",
                          "数据中{parent}的{n}个省级地区之和不等于{parent}（缺少省份或其余地区），因此各省预测未与{parent}协调，"
                          "其合计可能与{parent}不同。"),
    "generated": ("Generated {created} by talent {version}.", "由 talent {version} 于 {created} 生成。"),
    "table_gap": ("Gap table, {year}", "{year}年缺口表"),
    "coverage_title": ("AI literacy: coverage of each audience (not part of the gap)",
                       "人工智能素养：各培养对象的覆盖率（不计入人才缺口）"),
    "coverage_note": ("Literacy education (素养教育) raises AI awareness; it does not produce the AI professionals "
                      "the gap counts. Coverage = people who have taken an AI-literacy course / the audience's "
                      "population; targets from the planning file.",
                      "素养教育提升人工智能认知，但不产生缺口所统计的人工智能专业人才。"
                      "覆盖率 = 接受过人工智能素养培训的人数 / 该培养对象人口规模；目标来自规划文件。"),
    "coverage_axis": ("coverage, % of the audience", "覆盖率（占该培养对象人口%）"),
    "without": ("without the plan", "无规划"), "with": ("with the plan", "有规划"), "target": ("target", "目标"),
    # the run store (talent.store): revisions since an earlier run, and how past forecasts did
    "recorded": ("Recorded as run {run} in the run store {store}", "已记录为运行存档 {store} 中的第 {run} 次运行"),
    "revisions_title": ("Revisions since {date} (run {run})", "自{date}（第{run}次运行）以来的预测修订"),
    "revisions_note": ("Each revision is split in two by re-running the earlier run's data with this run's model "
                       "and settings: the part due to new or revised data and the part due to the model, settings "
                       "or software. The two parts add up to the revision.",
                       "每项修订的分解方法：以本次运行的模型与设置重新运行此前的数据，得到新增或修订数据导致的部分，"
                       "以及模型、设置或软件导致的部分；两部分之和等于修订量。"),
    "rev_sentence": ("The {year} gap of AI professionals in {region} was {old} in the forecast of {date} and is "
                     "{new} now: a revision of {change}, of which {data} is due to new or revised data and {model} "
                     "to the model, settings or software.",
                     "{region}{year}年人工智能专业人才缺口在{date}的预测中为{old}，本次为{new}：修订{change}，"
                     "其中新增或修订数据导致{data}，模型、设置或软件导致{model}。"),
    "rev_line": ("Revisions since run {run} ({date}): {region} {year} gap {old_number} → {new} ({change}: {data} "
                 "from the data, {model} from the model and settings)",
                 "自第{run}次运行（{date}）以来的修订：{region} {year}年缺口 {old_number} → {new}"
                 "（{change}：数据导致{data}，模型与设置导致{model}）"),
    "largest_revisions": ("The largest revisions, {year}", "{year}年修订幅度最大的项"),
    "rev_measure": ("Measure", "指标"), "rev_old": ("Forecast then", "此前预测"), "rev_new": ("Now", "本次"),
    "rev_change": ("Revision", "修订量"), "rev_data": ("Due to data", "数据导致"),
    "rev_model": ("Due to model or settings", "模型或设置导致"), "rev_cause": ("Mainly due to", "主要原因"),
    "cause_data": ("new or revised data", "新增或修订数据"), "cause_model": ("model, settings or software",
                                                                      "模型、设置或软件"),
    "cause_none": ("no change", "无变化"),
    "scores_title": ("How past forecasts did", "以往预测的表现"),
    "scores_note": ("Each earlier run's forecasts of the years whose actuals have arrived since: sMAPE (symmetric "
                    "mean absolute percentage error, %), MASE (mean absolute error relative to the series' average "
                    "yearly change; below 1 beats a naive forecast), interval coverage (the share of actuals inside "
                    "the 80% and 90% intervals) and the share of series whose direction of change was right.",
                    "此前各次运行对已有实际值年份的预测：sMAPE（对称平均绝对百分比误差，%）、MASE（平均绝对误差与该序列"
                    "年均变化之比；小于1即优于朴素预测）、区间覆盖率（实际值落入80%与90%区间的比例），以及变化方向"
                    "预测正确的序列占比。"),
    "sc_run": ("Run", "运行编号"), "sc_created": ("Made on", "生成日期"),
    "sc_until": ("Last observed year", "最后观测年份"),
    "sc_years": ("Years scored", "评估年份"), "sc_series": ("Series", "序列数"),
    "sc_smape": ("sMAPE (%)", "sMAPE（对称平均绝对百分比误差，%）"), "sc_mase": ("MASE", "MASE（平均绝对标度误差）"),
    "sc_cov": ("Inside the {pct}% interval", "落入{pct}%区间的比例"),
    "sc_direction": ("Direction of change right", "变化方向正确的比例"),
}


def phrase(table: Mapping[str, tuple[str, str]], key: str, lang: Lang, **fmt: object) -> str:
    """`table[key]` (English, Chinese) in `lang`, formatted with `fmt`."""
    text = table[key][0 if lang == "en" else 1]
    return text.format(**fmt) if fmt else text


def word(key: str, lang: Lang, **fmt: object) -> str:
    """A phrase of the report in `lang`, formatted with `fmt`."""
    return phrase(WORDS, key, lang, **fmt)


def _share(ratio: float) -> str:
    """Supply as a share of demand; a dash when demand is 0 (it printed 'nan%')."""
    return f"{ratio:.1%}" if math.isfinite(ratio) else "—"


def headline_line(h: Headline, lang: Lang) -> str:
    """The headline as one terminal line (`talent gap`, `talent run`), in units chosen from its numbers."""
    if not h.has_gap:
        known, missing = ("supply", "demand") if math.isnan(h.demand) else ("demand", "supply")
        value = persons(h.supply if known == "supply" else h.demand, lang)
        if lang == "zh":
            return f"{h.region} {h.year}年：{word(known, 'zh')} {value}（无{word(missing, 'zh')}序列，无法计算缺口）"
        return f"{h.region} {h.year}: {known} {value} (no {missing} series, so no gap)"
    u = person_scale([h.demand, h.supply, h.gap], lang)
    finite = math.isfinite(h.ratio)
    if lang == "zh":
        share = f"为需求的 {h.ratio:.1%}" if finite else "需求为 0"
        return (f"{h.region} {h.year}年：缺口 {u.text(h.gap)}（区间 {u.number(h.gap_low)}–{u.number(h.gap_high)}），"
                f"需求 {u.text(h.demand)}，供给 {u.text(h.supply)}（{share}），短缺概率 {h.p_shortage:.0%}")
    share = f"{h.ratio:.1%} of demand" if finite else "demand is 0"
    return (f"{h.region} {h.year}: gap {u.text(h.gap)} (interval {u.number(h.gap_low)}–{u.number(h.gap_high)}), "
            f"demand {u.text(h.demand, short=True)}, supply {u.text(h.supply, short=True)} ({share}), "
            f"P(shortage) {h.p_shortage:.0%}")


def _headline_prose(h: Headline, lang: Lang) -> str:
    u = person_scale([h.demand, h.supply, h.gap], lang)
    args = dict(region=h.region, year=h.year, d=u.text(h.demand), s=u.text(h.supply), g=u.text(h.gap),
                lo=u.number(h.gap_low), hi=u.number(h.gap_high), ratio=_share(h.ratio), p=f"{h.p_shortage:.0%}")
    return ("In {year}, {region}'s demand for AI professionals is projected at {d} and supply at "
            "{s}: a gap of {g} (interval {lo}–{hi}), supply {ratio} of demand, P(shortage) {p}."
            if lang == "en" else
            "预计{year}年{region}人工智能专业人才需求为{d}，供给为{s}：缺口{g}（区间{lo}–{hi}），"
            "供给为需求的{ratio}，短缺概率{p}。").format(**args)


def headline_sentences(stock: pd.DataFrame, year: int, tax: Taxonomy, lang: Lang) -> list[str]:
    """The gap in `year` per region, the scarcest level and the role with the largest gap. With provinces
    and their country in the data, only the country's (the report's regional section compares the provinces)."""
    out = []
    shown = [h for h in headlines(stock, year) if h.has_gap]
    leaves = set(leaf_regions([h.region for h in shown]))
    parents = [h for h in shown if h.region not in leaves]
    for h in parents or shown:
        out.append(_headline_prose(h, lang))
        here = stock[(stock["region"] == h.region) & (stock["year"] == year)]
        levels = here[(here["role"] == ALL) & (here["level"] != ALL)].dropna(subset=["ratio"])
        if len(levels):
            scarce = levels.sort_values("ratio", kind="stable").iloc[0]
            lv = tax.label("levels", scarce["level"], lang)
            out.append(f"The scarcest level is {lv}: supply covers {scarce['ratio']:.1%} of demand."
                       if lang == "en" else f"最稀缺的层级是{lv}：供给仅为需求的{scarce['ratio']:.1%}。")
        roles = here[(here["role"] != ALL) & (here["level"] == ALL)].dropna(subset=["gap"])
        if len(roles) > 1:
            top = roles.sort_values("gap", ascending=False, kind="stable").iloc[0]
            label = tax.label("roles", top["role"], lang)
            gap = persons(float(top["gap"]), lang)
            share = top["gap"] / h.gap if h.gap else float("nan")
            out.append(f"The largest gap is in {label}: {gap}, {share:.1%} of the total." if lang == "en" else
                       f"缺口最大的岗位是{label}：{gap}，占总缺口的{share:.1%}。")
    if parents:
        out.append(f"The {len(leaves)} provinces are compared in the section “Regions”." if lang == "en" else
                   f"{len(leaves)}个省级地区的比较见“分地区”部分。")
    return out


def plan_sentence(cost: pd.DataFrame, expected_gap: pd.DataFrame, lang: Lang, headline_gap: float | None = None) -> str:
    """What the plan costs (money) and how much of the final year's expected professional gap it closes (persons),
    said apart. When the plan's scenario-weighted gap and the headline's mean gap differ as shown, both are named."""
    y0, y1 = int(cost["year"].min()), int(cost["year"].max())
    last = expected_gap[expected_gap["year"] == y1]
    before, after = float(last["gap_before"].sum()), float(last["gap_after"].sum())
    u = person_scale([before, after, headline_gap or 0.0], lang)
    total = money(float(cost["cost"].sum()), lang)
    cut = (before - after) / before if before else 0.0
    differ = headline_gap is not None and u.number(headline_gap) != u.number(before)
    if lang == "en":
        text = (f"The plan costs {total} over {y0}–{y1}. It lowers the expected {y1} gap of AI professionals from "
                f"{u.text(before)} to {u.text(after)} ({cut:.1%} less).")
        return text + (f" (The plan weighs demand scenarios, so its {y1} gap without the plan, {u.text(before)}, "
                       f"differs from the headline's mean over simulated paths, {u.text(headline_gap or 0.0)}.)"
                       if differ else "")
    text = (f"该规划{y0}–{y1}年共需{total}，将{y1}年人工智能专业人才预期缺口由{u.text(before)}降至"
            f"{u.text(after)}（减少{cut:.1%}）。")
    return text + (f"（规划按需求情景加权，其无规划时的{y1}年缺口{u.text(before)}与标题中基于模拟路径均值的缺口"
                   f"{u.text(headline_gap or 0.0)}不同。）" if differ else "")


#: The planner's status words (curricula.solve) in Chinese.
STATUS_ZH = {"optimal": "最优", "infeasible": "无可行解", "unbounded": "无界", "not solved": "未求解",
             "undefined": "未定义"}


def status_word(status: str, lang: Lang) -> str:
    """The planner's status in `lang`."""
    return STATUS_ZH.get(status, status) if lang == "zh" else status


def plan_line(status: str, cost: pd.DataFrame, expected_gap: pd.DataFrame, lang: Lang) -> str:
    """The plan as one terminal line: status, cost (money) and the final year's expected gap before → after."""
    y0, y1 = int(cost["year"].min()), int(cost["year"].max())
    last = expected_gap[expected_gap["year"] == y1]
    before, after = float(last["gap_before"].sum()), float(last["gap_after"].sum())
    u = person_scale([before, after], lang)
    total = money(float(cost["cost"].sum()), lang)
    if lang == "zh":
        return (f"规划（{status_word(status, lang)}）：{y0}–{y1}年共需{total}；"
                f"{y1}年预期缺口 {u.number(before)} → {u.text(after)}（有规划）")
    return (f"Plan ({status}): {total} over {y0}–{y1}; expected {y1} gap {u.number(before)} → "
            f"{u.text(after, short=True)} with the plan")


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


def _describe(row: pd.Series, tax: Taxonomy, lang: Lang, region: bool = False) -> str:
    """A constraint in words, from its named key fields (a row of `PlanResult.duals_by_field`); with `region`,
    the region's name too (plans of several regions)."""
    fields = {name: str(row[name]) for name in ("name", "programme") if pd.notna(row.get(name))}
    if "programme" in fields:
        fields["programme"] = programme_label(fields["programme"], tax, lang)
    fields["year"] = str(int(row["year"]))
    if pd.notna(row.get("tier")):
        fields["tier"] = tax.label("tiers", str(row["tier"]), lang)
    if pd.notna(row.get("audience")):
        fields["audience"] = tax.label("audiences", str(row["audience"]), lang)
    text = FAMILIES[str(row["family"])][0 if lang == "en" else 1].format(**fields)
    if region and pd.notna(row.get("region")) and "programme" not in fields:  # a programme id names its region
        name = load_regions().name(str(row["region"]), lang)
        text = f"{text} ({name})" if lang == "en" else f"{name}{text}"
    return text


def binding_sentences(duals: pd.DataFrame, tax: Taxonomy, lang: Lang, year: int, top: int = 6) -> list[str]:
    """Per family of limits that binds: how many bind (the duals table's own flags) and what relaxing the most
    valuable one by one unit buys, in persons of the target year's professional gap (never money)."""
    out = []
    binding = duals[duals["binding"].astype(bool) & duals["family"].isin(list(FAMILIES))]
    several = "region" in duals and duals["region"].dropna().nunique() > 1
    valued = binding[binding["persons"].fillna(0) >= 0.05]  # shown with one decimal: 0.0 says nothing
    ranked = valued.groupby("family")["persons"].max().sort_values(ascending=False)
    for family in ranked.index[:top]:
        fam = valued[valued["family"] == family]
        best = fam.loc[fam["persons"].idxmax()]
        n_bind, n_all = int((binding["family"] == family).sum()), int((duals["family"] == family).sum())
        what, unit = _describe(best, tax, lang, several), UNITS[family][0 if lang == "en" else 1]
        title, persons = TITLES[family][0 if lang == "en" else 1], f"{best['persons']:,.1f}"
        one_sided = str(best.get("persons_side", "both")) != "both"
        if lang == "en":
            out.append(f"{title}: {n_bind} of {n_all} bind; the most valuable is {what}: {unit} closes {persons} "
                       f"persons of the {year} gap{' (valid in one direction only)' if one_sided else ''}.")
        else:
            out.append(f"{title}：共{n_all}项，其中{n_bind}项为紧约束；价值最高的是{what}：{unit}，{year}年缺口"
                       f"减少{persons}人{'（仅单向有效）' if one_sided else ''}。")
    return out


def limits_sentences(limits: pd.DataFrame, year: int, lang: Lang) -> list[str]:
    """What the target year's gap would be without each family of limits (largest effect first), then
    without all of them: what stops the plan from closing the gap, in persons."""
    out = []
    rows = limits[limits["family"].isin(list(TITLES))].copy()
    rows["effect"] = rows["gap_with"] - rows["gap_without"]
    shown = rows[rows["effect"] > 0.5].sort_values("effect", ascending=False)
    for family, with_, without in zip(shown["family"], shown["gap_with"], shown["gap_without"], strict=True):
        u = person_scale([float(with_), float(without)], lang)
        if u.number(float(with_)) == u.number(float(without)):
            continue  # an effect too small to show in this unit
        title = TITLES[str(family)][0 if lang == "en" else 1]
        out.append(f"Without the {title.lower()}, the {year} gap would be {u.text(float(without))} instead of "
                   f"{u.text(float(with_))}." if lang == "en" else
                   f"若取消{title}，{year}年缺口将为{u.text(float(without))}，而非{u.text(float(with_))}。")
    everything = limits.loc[limits["family"] == "all", "gap_without"]
    if len(everything) and float(everything.iloc[0]) < 0.5:
        left = persons(float(everything.iloc[0]), lang)
        out.append(f"Without any of these limits it would be {left}: the gap stays because the limits bind, not "
                   "because training cannot close it." if lang == "en" else
                   f"若取消全部上述约束，缺口将为{left}：缺口未能填补是因为这些约束，而非培养本身无法填补。")
    elif len(everything):  # a plan too short for its programmes (--until 2025 with 3-year programmes) said 'limits'
        left = persons(float(everything.iloc[0]), lang)
        rest = float(limits.loc[limits["family"] == "all", "gap_with"].iloc[0]) - float(everything.iloc[0]) > 0.5
        out.append(f"Without any of these limits it would still be {left}: that much of the {year} gap no training "
                   "can close by then (its programmes take longer than the plan, or train for other roles and "
                   f"levels){'; the limits explain the rest' if rest else ''}." if lang == "en" else
                   f"若取消全部上述约束，缺口仍为{left}：这部分{year}年缺口无法在此之前通过培养填补（培养周期长于规划期，"
                   f"或培养方向不同）{'；其余部分因上述约束而未能填补' if rest else ''}。")
    return out


def signed_persons(value: float, lang: Lang) -> str:
    """A change in persons with its sign, in its own unit ('+26.5 thousand persons', '−1.20 million persons')."""
    if value == 0:
        return persons(0.0, lang)
    return ("+" if value > 0 else "−") + persons(abs(value), lang)


def _revision_args(revisions: pd.DataFrame, lang: Lang) -> dict[str, object] | None:
    """The numbers of the headline revision: the total gap of the leading region in the last year both runs reach."""
    totals = revisions[(revisions["role"] == ALL) & (revisions["level"] == ALL) & (revisions["kind"] == "gap")]
    if totals.empty:
        return None
    regions = list(dict.fromkeys(totals["region"]))
    region = "CN" if "CN" in regions else regions[0]
    here = totals[totals["region"] == region]
    row = here[here["year"] == here["year"].max()].iloc[0]
    u = person_scale([row["old"], row["new"]], lang)
    return dict(region=region, year=int(row["year"]), old=u.text(float(row["old"])), new=u.text(float(row["new"])),
                old_number=u.number(float(row["old"])),
                change=signed_persons(float(row["change"]), lang), data=signed_persons(float(row["data"]), lang),
                model=signed_persons(float(row["model"]), lang), run=int(row["since_run"]),
                date=str(row["since"])[:10])


def revision_sentence(revisions: pd.DataFrame, lang: Lang) -> str:
    """The report's sentence on the headline revision ('' when the revisions hold no total gap)."""
    args = _revision_args(revisions, lang)
    return word("rev_sentence", lang, **args) if args else ""


def recorded_lines(run: int | None, store: str, revisions: pd.DataFrame | None, lang: Lang) -> list[str]:
    """`talent run`'s lines on the run store: where the run was recorded and the headline revision."""
    if run is None:
        return []
    out = [word("recorded", lang, run=run, store=store)]
    args = _revision_args(revisions, lang) if revisions is not None else None
    return [*out, word("rev_line", lang, **args)] if args else out
