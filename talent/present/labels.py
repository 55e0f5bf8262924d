"""Headers and value labels of output tables in English and Chinese.

Role and level labels come from the taxonomy (data); this module holds the
words of the tables themselves: column headers, ratings, flags, sources.
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from talent.io.toml_file import read_toml
from talent.paths import glossary_path
from talent.taxonomy import Lang, Taxonomy

HEADERS: dict[str, tuple[str, str]] = {
    "region": ("Region", "地区"),
    "role": ("Role", "岗位"),
    "level": ("Level", "层级"),
    "year": ("Year", "年份"),
    "source": ("Source", "来源"),
    "demand": ("Demand", "需求"),
    "supply": ("Supply", "供给"),
    "gap": ("Gap (demand − supply)", "缺口（需求−供给）"),
    "ratio": ("Supply/demand", "供需比"),
    "p_shortage": ("P(shortage)", "短缺概率"),
    "rating": ("Rating", "评级"),
    "reliability": ("Reliability", "可靠性"),
    "expansion": ("Expansion demand", "扩张需求"),
    "replacement": ("Replacement demand", "更替需求"),
    "openings": ("Openings", "岗位空缺"),
    "entrants": ("New entrants", "新进入者"),
    "flow_gap": ("Flow gap (openings − entrants)", "流量缺口（岗位空缺−新进入者）"),
    "kind": ("Kind", "类型"),
    "model": ("Model", "模型"),
    "score": ("Backtest sMAPE", "回测sMAPE"),
    "reason": ("Why this model", "选择理由"),
    "audience": ("Audience", "培养对象"),
    "population": ("Population", "人口规模"),
    "trained": ("AI-literate (without the plan)", "已具备人工智能素养（无规划）"),
    "target": ("Target coverage", "覆盖率目标"),
    "coverage": ("Coverage (without the plan)", "覆盖率（无规划）"),
    "shortfall": ("Shortfall to target (persons)", "距目标缺口（人）"),
    "trained_with_plan": ("AI-literate with the plan", "有规划时具备素养人数"),
    "coverage_with_plan": ("Coverage with the plan", "有规划时覆盖率"),
    "population_status": ("Population: source", "人口规模来源"),
    "trained_status": ("AI-literate: source", "素养人数来源"),
}

VALUES: dict[str, dict[str, tuple[str, str]]] = {
    "rating": {"shortage": ("shortage", "短缺"), "balanced": ("balanced", "平衡"), "surplus": ("surplus", "过剩"),
               "": ("", "")},
    "reliability": {"ok": ("large enough cell", "样本量充足"), "caution": ("use with caution", "谨慎使用"),
                    "unreliable": ("unreliable (small cell)", "不可靠（小样本）")},
    "source": {"observed": ("observed", "观测"), "forecast": ("forecast", "预测"),
               "modelled": ("modelled history (not observed)", "模型推算的历史值（非观测）"),
               "mixed": ("history, observed and modelled", "历史值（观测与模型推算混合）"),
               "history": ("history (provenance not stated)", "历史值（未注明来源性质）")},
    "population_status": {"published": ("published", "公开数据"), "observed": ("observed", "观测"),
                          "modelled": ("modelled (assumption)", "模型推算（假设）")},
    "trained_status": {"published": ("published", "公开数据"), "observed": ("observed", "观测"),
                       "modelled": ("modelled (assumption)", "模型推算（假设）")},
}

@lru_cache(maxsize=1)
def glossary() -> dict[str, dict[str, str]]:
    """The shipped en -> zh glossary: `terms` (domain vocabulary) and `manifest` (run manifest keys)."""
    raw = read_toml(glossary_path(), "glossary file")
    return {section: {str(k): str(v) for k, v in raw.get(section, {}).items()} for section in ("terms", "manifest")}


def manifest_key(path: str, lang: Lang) -> str:
    """A flattened manifest key ('settings.forecast.until') in `lang`; unknown parts (file names) stay."""
    if lang == "en":
        return path
    names = glossary()["manifest"]
    return ".".join(names.get(part, part) for part in path.split("."))


#: Delivery channels of programmes besides school (ids "tier.audience.track.channel").
CHANNELS = {"coop": ("co-op", "校企合作"), "enterprise": ("enterprise training", "企业培训")}


def programme_label(programme: str, taxonomy: Taxonomy, lang: Lang) -> str:
    """A programme id 'tier.audience.track' as words: 'Expert cultivation · Students · AI chips'; a channel
    suffix ('.coop') and a region prefix ('CN-HA:') are named too: 'CN-HA · … · co-op'."""
    region, _, pid = programme.rpartition(":")
    parts = pid.split(".")
    if len(parts) not in (3, 4) or (len(parts) == 4 and parts[3] not in CHANNELS):
        return programme
    tier, audience, track = parts[:3]
    track_label = taxonomy.label("roles", track, lang) if track in taxonomy.ids("roles") else (
        "general" if lang == "en" else "通用")
    words = [taxonomy.label("tiers", tier, lang), taxonomy.label("audiences", audience, lang), track_label]
    if len(parts) == 4:
        words.append(CHANNELS[parts[3]][lang != "en"])
    if region:
        words.insert(0, region)
    return " · ".join(words) if lang == "en" else "·".join(words)


ALL_LABELS = {"role": ("All roles", "全部岗位"), "level": ("All levels", "全部层级")}


def header(column: str, lang: Lang) -> str:
    """Header of a column; quantile columns like `gap_q05` read 'Gap (demand − supply), 5th pct'."""
    i = 0 if lang == "en" else 1
    if column in HEADERS:
        return HEADERS[column][i]
    base, _, q = column.rpartition("_q")
    if base in HEADERS and q.isdigit():
        pct = int(q) if len(q) == 2 else int(q) / 10 ** (len(q) - 2)
        return f"{HEADERS[base][i]}, {pct}th pct" if lang == "en" else f"{HEADERS[base][i]}（{pct}%分位）"
    return column


def localise(table: pd.DataFrame, lang: Lang, taxonomy: Taxonomy) -> pd.DataFrame:
    """A copy of `table` with labels instead of ids and headers in `lang` (numbers unchanged)."""
    i = 0 if lang == "en" else 1
    out = table.copy()
    if "role" in out:
        out["role"] = [ALL_LABELS["role"][i] if r == "all" else taxonomy.label("roles", r, lang) for r in out["role"]]
    if "level" in out:
        out["level"] = [taxonomy.label("levels", lv, lang) for lv in out["level"]]
    if "kind" in out:
        out["kind"] = [taxonomy.label("kinds", k, lang) for k in out["kind"]]
    if "audience" in out:
        out["audience"] = [taxonomy.label("audiences", a, lang) for a in out["audience"]]
    for col, mapping in VALUES.items():
        if col in out:
            out[col] = [mapping.get(v, (v, v))[i] for v in out[col]]
    out.columns = [header(c, lang) for c in out.columns]
    return out
