"""The report's regional section, for data with several regions: which provinces the gap falls on,
how demand and supply move in each, where the plan trains against where the gap is, who pays, and
the graduate flows that matter.

Reads only the output folder's tables (`stock`, and when the plan covered several regions
`plan_regions` and `plan_flows`), like the rest of the report.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from talent.gaps.stock import ALL
from talent.io.regions import load_regions
from talent.planning_regions import leaf_regions
from talent.planning_results import (
    PlanOutcome,
    flow_table,
    funding_figures,
    moved,
    plan_table,
    region_table,
    unmatched_table,
)
from talent.present import charts
from talent.present.damage import check_region_rows, read_run_table
from talent.present.units import money, person_scale, persons
from talent.present.words import phrase, plan_line
from talent.taxonomy import Lang

#: Phrases of this section: key -> (English, Chinese).
REGION_WORDS: dict[str, tuple[str, str]] = {
    "title": ("Regions", "分地区"),
    "ranked": ("Provinces ranked by their share of the {year} gap. {top} carries {share} of it; "
               "supply covers between {low} and {high} of demand across the provinces.",
               "{year}年缺口在各省的分布（按占比排序）。{top}占{share}；各省供给可满足需求的{low}至{high}。"),
    "multiples": ("Demand and supply per province (history solid, forecast dashed, shaded interval)",
                  "各省需求与供给（实线为历史，虚线为预测，阴影为区间）"),
    "where": ("Where the plan trains and where the gap falls", "规划在哪里培养，缺口落在哪里"),
    "gap_share": ("Share of the {year} gap", "{year}年缺口占比"),
    "intake_share": ("Share of the plan's new intake", "规划新增招生占比"),
    "where_text": ("The plan trains {trained} of its new entrants in {top_train}, which has {gap} of the gap; "
                   "{top_gap}, with the largest gap ({gap_top}), gets {trained_top} of them.",
                   "规划新增招生的{trained}在{top_train}（其缺口占比{gap}）；缺口最大的{top_gap}（{gap_top}）"
                   "获得其中{trained_top}。"),
    "money_text": ("Money over the plan years: {total} in all, of which the regions' own budgets {regional}, "
                   "the central budget {central} and firms {industry}.",
                   "规划期内资金合计{total}，其中地方财政{regional}、中央财政{central}、企业{industry}。"),
    "flows": ("Graduate flows that matter", "主要的毕业生跨地区流动"),
    "flows_text": ("{moved} of the plan's graduates work outside the province where they trained (the "
                   "mobility assumption of the planning file); the largest flows:",
                   "规划培养的毕业生中有{moved}到培养地以外的省份就业（依规划文件的流动假设）；主要流向："),
    "region": ("Province", "省份"), "from": ("Trained in", "培养地"), "to": ("Works in", "就业地"),
    "graduates": ("Graduates", "毕业生"), "demand": ("Demand", "需求"), "supply": ("Supply", "供给"),
    "gap": ("Gap", "缺口"), "ratio": ("Supply / demand", "供需比"), "share": ("Share of gap", "缺口占比"),
    "intake": ("New intake", "新增招生"), "cost": ("Money", "资金"), "regional": ("Regional budget", "地方财政"),
    "central": ("Central budget", "中央财政"), "industry": ("Firms", "企业"),
    "gap_before": ("Gap before plan", "规划前缺口"), "gap_after": ("Gap after plan", "规划后缺口"),
    "axis": ("persons", "人数"),
    "funding_line": ("Who pays: firms {industry} ({industry_pct} of the money; {cofunded} of the new seats are "
                     "co-funded by firms), {public}",
                     "资金来源：企业{industry}（占{industry_pct}；新增学位中{cofunded}由企业共同出资），{public}"),
    "public_split": ("central budget {central}, regional budgets {regional}", "中央财政{central}，地方财政{regional}"),
    "public_one": ("public budget {regional}", "财政预算{regional}"),
    "regions_line": ("Regions: the plan trains in {n} of {total} regions; {moved} of its graduates work outside "
                     "the region where they trained",
                     "分地区：规划在{total}个地区中的{n}个培养；其毕业生中{moved}到培养地以外就业"),
    "unlimited": ("What limits the gap is not computed for a plan of several regions unless asked: add --limits "
                  "(it re-solves the whole plan once per family of limits: 40–90 s for nine regions), or explain "
                  "one region with `talent plan --region CODE`.",
                  "多地区规划默认不计算缺口约束分析：加 --limits 即可（需对整个规划按每类约束各重新求解一次："
                  "九个地区约40–90秒），或用 `talent plan --region 地区代码` 分析单个地区。"),
    "unmatched": ("{n} programme(s) train for a role and level that a region's data does not have; they are "
                  "planned for the rest and listed in tables/plan_unmatched.csv.",
                  "{n}个项目所培养的岗位与层级在相应地区的数据中不存在；规划仍覆盖其余部分，清单见 "
                  "tables/plan_unmatched.csv。"),
}


def rword(key: str, lang: Lang, **fmt: object) -> str:
    """A phrase of the regional section in `lang`."""
    return phrase(REGION_WORDS, key, lang, **fmt)


def _pct(x: float) -> str:
    return f"{100 * x:.1f}%"


def _ranking(stock: pd.DataFrame, leaves: list[str], year: int) -> pd.DataFrame:
    """Per leaf region in `year` (all roles, all levels): demand, supply, gap, supply/demand and the
    share of the leaves' total gap, largest share first."""
    rows = stock[(stock["year"] == year) & (stock["role"] == ALL) & (stock["level"] == ALL)
                 & stock["region"].isin(leaves)].set_index("region")
    out = rows[["demand", "supply", "gap"]].astype(float)
    out["ratio"] = out["supply"] / out["demand"].where(out["demand"] > 0)
    total = out["gap"].clip(lower=0).sum()
    out["share"] = out["gap"].clip(lower=0) / total if total > 0 else 0.0
    return out.sort_values(["share"], ascending=False)


def _table(frame: pd.DataFrame, text: list[str], numbers: dict[str, Callable[[float], str]], lang: Lang) -> str:
    """An HTML table: the `text` columns as they are, then the `numbers` columns formatted."""
    head = "".join(f"<th>{html.escape(rword(c, lang))}</th>" for c in [*text, *numbers])
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(row[c]))}</td>" for c in text) + "".join(
        f"<td class='n'>{html.escape(fmt(float(row[c])))}</td>" for c, fmt in numbers.items()) + "</tr>"
        for _, row in frame.iterrows())
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _plan_part(folder: Path, ranking: pd.DataFrame, names: dict[str, str], lang: Lang, year: int) -> list[str]:
    """Where the plan trains against where the gap falls, who pays, and the graduate flows."""
    path = folder / "tables" / "plan_regions.csv"
    plan = read_run_table(path, folder)
    check_region_rows(plan, path, folder, names)
    plan = plan.set_index("region")
    shares = pd.DataFrame({"gap_share": plan["gap_share"],
                           "intake_share": plan["intake"] / plan["intake"].sum() if plan["intake"].sum() else 0.0})
    order = {r: names.get(r, r) for r in ranking.index if r in shares.index}
    labels = {"gap_share": rword("gap_share", lang, year=year), "intake_share": rword("intake_share", lang)}
    top_train, top_gap = str(shares["intake_share"].idxmax()), str(shares["gap_share"].idxmax())
    share = {(r, c): _pct(float(shares[c][r])) for r in (top_train, top_gap) for c in shares.columns}
    amounts = {k: money(float(plan[k].sum()), lang) for k in ("cost", "regional", "central", "industry")}
    parts = [f"<h3>{rword('where', lang)}</h3>", f"<figure>{charts.share_bars(shares, order, labels)}</figure>",
             "<p>" + html.escape(rword(
                 "where_text", lang, trained=share[top_train, "intake_share"], top_train=names[top_train],
                 gap=share[top_train, "gap_share"], top_gap=names[top_gap], gap_top=share[top_gap, "gap_share"],
                 trained_top=share[top_gap, "intake_share"]), quote=False) + "</p>",
             "<p>" + html.escape(rword("money_text", lang, total=amounts["cost"], regional=amounts["regional"],
                                       central=amounts["central"], industry=amounts["industry"]), quote=False) + "</p>"]
    shown = plan.reindex(list(order)).assign(region=list(order.values()))
    cash = {k: (lambda v: money(v, lang)) for k in ("regional", "central", "industry")}
    parts.append(_table(shown, ["region"], {"intake": lambda v: persons(v, lang), **cash,
                                            "gap_before": lambda v: persons(v, lang),
                                            "gap_after": lambda v: persons(v, lang)}, lang))
    flows_path = folder / "tables" / "plan_flows.csv"
    if flows_path.exists():
        flows = read_run_table(flows_path, folder)
        top = moved(flows).head(8).assign(**{"from": lambda f: [names.get(r, r) for r in f["from_region"]],
                                      "to": lambda f: [names.get(r, r) for r in f["to_region"]]})
        parts += [f"<h3>{rword('flows', lang)}</h3>",
                  "<p>" + html.escape(rword("flows_text", lang, moved=_pct(_moved_share(flows))), quote=False) + "</p>",
                  _table(top, ["from", "to"], {"graduates": lambda v: persons(v, lang)}, lang)]
    return parts


def regional_section(folder: Path, stock: pd.DataFrame, lang: Lang, year: int) -> list[str]:
    """The regional section of the report; empty when the data has fewer than two leaf regions."""
    leaves = leaf_regions([str(r) for r in stock["region"].unique()])
    if len(leaves) < 2:
        return []
    regions = load_regions()
    names = {r: regions.name(r, lang) for r in leaves}
    ranking = _ranking(stock, leaves, year)
    parts = [f"<h2>{rword('title', lang)}</h2>", "<p>" + html.escape(rword(
        "ranked", lang, year=year, top=names[ranking.index[0]], share=_pct(ranking["share"].iloc[0]),
        low=_pct(ranking["ratio"].min()), high=_pct(ranking["ratio"].max())), quote=False) + "</p>",
        _table(ranking.assign(region=[names[r] for r in ranking.index]), ["region"],
               {"demand": lambda v: persons(v, lang), "supply": lambda v: persons(v, lang),
                "gap": lambda v: persons(v, lang), "ratio": _pct, "share": _pct}, lang)]
    per = stock[(stock["role"] == ALL) & (stock["level"] == ALL) & stock["region"].isin(leaves)]
    scale = person_scale(per["demand"], lang)
    text = {"demand": rword("demand", lang), "supply": rword("supply", lang),
            "axis": f"{rword('axis', lang)} ({scale.name})"}
    fans = charts.fan_charts(per.assign(role=per["region"]), {r: names[r] for r in ranking.index}, text, scale)
    parts += [f"<h3>{rword('multiples', lang)}</h3>", f"<figure>{fans}</figure>"]  # figure: scaled to the page
    if (folder / "tables" / "plan_regions.csv").exists():
        parts += _plan_part(folder, ranking, names, lang, year)
    return parts


def funding_line(figures: dict[str, float], lang: Lang) -> str:
    """Who pays for the plan, in one line: money by payer (never mixed with persons) and the share of
    new seats firms co-fund."""
    return rword("funding_line", lang, industry=money(figures["industry"], lang),
                 industry_pct=_pct(figures["industry"] / figures["cost"] if figures["cost"] else 0.0),
                 cofunded=_pct(figures["cofunded"] / figures["seats"] if figures["seats"] else 0.0),
                 public=rword("public_split" if figures["central"] > 0 else "public_one", lang,
                              central=money(figures["central"], lang), regional=money(figures["regional"], lang)))


def _moved_share(flows: pd.DataFrame) -> float:
    """Share of the plan's professional graduates who work outside the region where they trained."""
    total = float(flows["graduates"].sum())
    return float(moved(flows)["graduates"].sum()) / total if total > 0 else 0.0


def regions_line(regions: pd.DataFrame, flows: pd.DataFrame, lang: Lang) -> str:
    """Where a plan of several regions trains and how many of its graduates move, in one line."""
    return rword("regions_line", lang, n=int((regions["intake"] > 0.5).sum()), total=len(regions),
                 moved=_pct(_moved_share(flows)))


def plan_lines(outcome: PlanOutcome, lang: Lang) -> list[str]:
    """The plan for the terminal: status, cost and gap; who pays (when firms or the centre pay a part);
    for a plan of several regions, where it trains and how many of its graduates move."""
    r = outcome.result
    lines = [plan_line(r.status, r.cost, r.expected_gap(), lang)]
    if not r.optimal:
        return lines
    figures = funding_figures(r.cost, plan_table(outcome))
    if figures["industry"] > 0 or figures["central"] > 0:
        lines.append(funding_line(figures, lang))
    if r.intake["region"].nunique() > 1:
        lines.append(regions_line(region_table(outcome), flow_table(outcome), lang))
        if len(r.ranges) and r.limits.empty:  # explained, but not what limits the gap
            lines.append(rword("unlimited", lang))
    unmatched = unmatched_table(outcome)
    if len(unmatched):
        lines.append(rword("unmatched", lang, n=len(unmatched[["region", "programme"]].drop_duplicates())))
    return lines
