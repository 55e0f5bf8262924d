"""Near-optimal ranges for a reader: what they mean, and the table of them per tier and audience."""

from __future__ import annotations

import pandas as pd

from talent.io.regions import load_regions
from talent.present.labels import header
from talent.present.words import word
from talent.taxonomy import Lang, Taxonomy


def by_region(ranges: pd.DataFrame) -> bool:
    """True for the ranges of a plan of several regions (found region by region, shown with a region column)."""
    return "region" in ranges and ranges["region"].nunique() > 1


def ranges_sentence(tolerance: float, lang: Lang, ranges: pd.DataFrame) -> str:
    """What the near-optimal `ranges` mean (those of several regions: what each region's range holds fixed)."""
    several = by_region(ranges)
    if lang == "en":
        return (f"Any intake within these ranges (total over the plan years) costs at most {tolerance:.0%} more than "
                "the plan; among near-equal plans the planner picks the smoothest, gap-proportional one, so a small "
                "change of an input does not swap programmes."
                + (" A region's ranges hold the other regions, the central money and the region's graduates per "
                   "role, level and year at the plan's values: they show which of its programmes and audiences can "
                   "deliver those graduates, not how many to train." if several else ""))
    return (f"招生总量在下列区间内的任何方案，成本至多比推荐规划高{tolerance:.0%}；"
            "在成本相近的方案中，规划选取招生最平稳、与缺口成比例的方案，因此输入的微小变动不会导致项目互换。"
            + ("各地区的区间以其他地区的规划、中央财政资金以及该地区按岗位、层级和年份的毕业生人数保持不变为前提："
               "区间说明哪些项目和培养对象可以培养出这些毕业生，而非应培养多少。" if several else ""))


def ranges_frame(ranges: pd.DataFrame, tax: Taxonomy, lang: Lang) -> pd.DataFrame:
    """The near-optimal ranges of intake per tier and audience as a reader's table (rounded persons), with a
    region column for a plan of several regions."""
    rows = ranges[ranges["kind"] == "tier_audience"]
    shown = pd.DataFrame({word("tier", lang): [tax.label("tiers", t, lang) for t in rows["tier"]],
                          word("audience", lang): [tax.label("audiences", a, lang) for a in rows["audience"]],
                          word("planned", lang): rows["planned"].round().to_numpy(),
                          word("low", lang): rows["min"].round().to_numpy(),
                          word("high", lang): rows["max"].round().to_numpy()})
    if by_region(rows):
        regions = load_regions()
        shown.insert(0, header("region", lang), [regions.name(str(r), lang) for r in rows["region"]])
    return shown
