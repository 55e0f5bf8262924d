"""The HTML report: one self-contained file (inline SVG charts, embedded font subset, no external assets).

`render_report(folder, lang)` reads the id-based tables and the manifest that
`talent run` wrote into `folder/tables/` and `folder/manifest.json`, so the
report can be regenerated without recomputing (`talent report`).
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import pandas as pd

from talent.errors import InputFileError
from talent.gaps.headline import Headline, headlines
from talent.gaps.stock import ALL
from talent.io.folder import read_manifest
from talent.io.manifest import declared_status
from talent.io.regions import load_regions
from talent.io.seal import check_seal
from talent.io.toml_file import read_toml
from talent.io.write import write_text
from talent.paths import published_path
from talent.planning_regions import leaf_regions
from talent.planning_results import funding_figures
from talent.present import charts
from talent.present.damage import (
    check_stock,
    manifest_numbers,
    read_run_table,
    reconciled_parents,
    report_year,
    warn_if_newer,
)
from talent.present.fonts import embedded_font_css
from talent.present.labels import localise
from talent.present.numbers import column_kinds, number_text
from talent.present.ranges import ranges_frame, ranges_sentence
from talent.present.regional import funding_line, regional_section
from talent.present.units import money, money_scale, person_scale, persons
from talent.present.words import (
    WORDS,
    binding_sentences,
    coverage_sentence,
    headline_sentences,
    limits_sentences,
    plan_sentence,
    revision_sentence,
    word,
)
from talent.taxonomy import Lang, Taxonomy, load_taxonomy

CSS = """
body { font-family: 'talent-cjk', 'Noto Sans CJK SC', 'Helvetica Neue', Arial, sans-serif; margin: 0;
       color: #1d2733; background: #f6f7f9; line-height: 1.5; }
main { max-width: 1080px; margin: 0 auto; padding: 24px 28px 48px; background: #fff; }
h1 { font-size: 26px; margin: 8px 0 4px; } h2 { font-size: 19px; margin-top: 36px;
     border-bottom: 2px solid #e3e7ec; padding-bottom: 4px; } h3 { font-size: 15px; margin-bottom: 4px; }
.lede p { font-size: 16px; margin: 6px 0; } .note { color: #5b6775; font-size: 13px; }
.kpis { display: flex; gap: 12px; flex-wrap: wrap; margin: 16px 0; }
.kpi { flex: 1 1 150px; background: #f0f4f8; border-radius: 8px; padding: 10px 14px; }
.kpi b { display: block; font-size: 22px; } .kpi span { font-size: 12px; color: #5b6775; }
figure { margin: 12px 0; } figure svg { max-width: 100%; height: auto; }
.row { display: flex; gap: 16px; flex-wrap: wrap; } .row figure { flex: 1 1 460px; }
table { border-collapse: collapse; font-size: 12.5px; margin: 8px 0; }
th, td { padding: 3px 8px; border-bottom: 1px solid #e3e7ec; } th { background: #f0f4f8; text-align: left; }
td.n { text-align: right; font-variant-numeric: tabular-nums; } tr.total td { font-weight: 600; }
ul.binds li { margin: 4px 0; } footer { margin-top: 32px; color: #5b6775; font-size: 12px; }
"""


def _need(path: Path, folder: Path) -> Path:
    if not path.exists():
        raise InputFileError(f"{path}: missing; run `talent run --out {folder}` first to produce the output folder")
    return path


def _read(folder: Path, name: str) -> pd.DataFrame:
    return read_run_table(_need(folder / "tables" / f"{name}.csv", folder), folder)


def _table(df: pd.DataFrame, total_mask: pd.Series | None = None) -> str:
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in df.columns)
    kinds = column_kinds(df)
    rows = []
    for i, row in enumerate(df.itertuples(index=False)):
        cells = []
        for v, kind in zip(row, kinds, strict=True):
            numeric = isinstance(v, float | int) and not isinstance(v, bool)
            text = html.escape(number_text(v, kind) if numeric else str(v))
            cells.append(f"<td class='n'>{text}</td>" if numeric else f"<td>{text}</td>")
        cls = " class='total'" if total_mask is not None and bool(total_mask.iloc[i]) else ""
        rows.append(f"<tr{cls}>{''.join(cells)}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _figure(svg: str, title: str = "", caption: str = "") -> str:
    head = f"<h3>{html.escape(title)}</h3>" if title else ""
    cap = f"<figcaption class='note'>{html.escape(caption)}</figcaption>" if caption else ""
    return f"<figure>{head}{svg}{cap}</figure>"


def _plan_section(folder: Path, lang: Lang, tax: Taxonomy, headline: Headline | None) -> list[str]:
    """The plan: sentence, intake by tier and audience, cost, gap with and without, binding limits."""
    cost, exp_gap = _read(folder, "plan_cost"), _read(folder, "plan_expected_gap")
    intake, duals = _read(folder, "plan_plan"), _read(folder, "plan_duals")
    figures = funding_figures(cost, intake)
    path = folder / "manifest.json"
    central = manifest_numbers(read_manifest(path, folder), path, folder, "plan", "central_budget")
    cost = cost.groupby("year", as_index=False)[["cost", "budget"]].sum()  # regions summed; + central money
    cost["budget"] += cost["year"].map(lambda y: central.get(str(y), 0.0))
    per_year = intake.groupby(["year", "tier"])["intake"].sum().groupby("year").sum()
    seats = person_scale(per_year, lang)
    axis = f"{word('intake_axis', lang)} ({seats.name})"
    coin = money_scale(cost[["cost", "budget"]].to_numpy().ravel(), lang)
    cost_labels = {"cost": word("cost", lang), "budget": word("budget", lang), "unit": coin.name}
    gap_scale = person_scale(exp_gap.groupby("year")["gap_before"].sum(), lang)
    gap_labels = {"before": word("before", lang), "after": word("after", lang),
                  "unit": f"{word('gap', lang)} ({gap_scale.name})"}
    sentence = plan_sentence(cost, exp_gap, lang, headline.gap if headline else None)
    pays = funding_line(figures, lang) if figures["industry"] > 0 or figures["central"] > 0 else ""
    parts = [f"<h2>{word('plan_title', lang)}</h2>",
             f"<p class='lede'>{html.escape(sentence, quote=False)}</p>",
             *([f"<p>{html.escape(pays, quote=False)}.</p>"] if pays else []),
             "<div class='row'>",
             _figure(charts.stacked_intake(intake, "tier", _labels(tax, "tiers", lang), axis, seats),
                     word("by_tier", lang)),
             _figure(charts.stacked_intake(intake, "audience", _labels(tax, "audiences", lang), axis, seats),
                     word("by_audience", lang)),
             _figure(charts.cost_bars(cost, cost_labels, coin), word("cost_title", lang)),
             _figure(charts.gap_with_without(exp_gap, gap_labels, gap_scale), word("with_without", lang)),
             "</div>"]
    by_tier = intake.pivot_table(index="tier", columns="year", values="intake", aggfunc="sum").round()
    by_tier.index = [tax.label("tiers", t, lang) for t in by_tier.index]
    parts.append(_table(by_tier.reset_index().rename(columns={"index": word("by_tier", lang)})))
    year = int(cost["year"].max())
    if (folder / "tables" / "plan_ranges.csv").exists():  # absent when the run skipped the re-solves
        parts += _ranges_part(folder, tax, lang)
    if (folder / "tables" / "plan_limits.csv").exists():
        limits = limits_sentences(_read(folder, "plan_limits"), year, lang)
        parts += [f"<h2>{word('limits_title', lang)}</h2>", "<ul class='binds'>",
                  *[f"<li>{html.escape(s, quote=False)}</li>" for s in limits], "</ul>"]
    parts += [f"<h2>{word('binds', lang)}</h2>", f"<p class='note'>{word('binds_note', lang, year=year)}</p>",
              "<ul class='binds'>"]
    parts += [f"<li>{html.escape(s, quote=False)}</li>" for s in binding_sentences(duals, tax, lang, year)]
    return [*parts, "</ul>"]


def _ranges_part(folder: Path, tax: Taxonomy, lang: Lang) -> list[str]:
    """Near-optimal ranges of intake per tier and audience, with what they mean."""
    ranges = _read(folder, "plan_ranges")
    shown = ranges_frame(ranges, tax, lang)
    if shown.empty:
        return []
    manifest = read_manifest(folder / "manifest.json", folder)
    tolerance = float(manifest.get("plan", {}).get("range_tolerance", 0.01))
    return [f"<h2>{word('ranges_title', lang)}</h2>",
            f"<p>{html.escape(ranges_sentence(tolerance, lang, ranges), quote=False)}</p>", _table(shown)]


def _coverage_section(folder: Path, lang: Lang, tax: Taxonomy) -> list[str]:
    """Literacy coverage by audience over time against the targets (and with the plan, if there is one)."""
    if not (folder / "tables" / "coverage.csv").exists():
        return []
    cov = _read(folder, "coverage")
    audiences = {a: tax.label("audiences", a, lang) for a in tax.ids("audiences") if a in set(cov["audience"])}
    labels = {k: word(k, lang) for k in ("without", "with", "target")} | {"axis": word("coverage_axis", lang)}
    shown = cov[cov["target"].notna()][["region", "audience", "year", "population", "trained", "coverage", "target",
                                        "shortfall", *(["coverage_with_plan"] if "coverage_with_plan" in cov else [])]]
    parts = [f"<h2>{word('coverage_title', lang)}</h2>", f"<p class='note'>{word('coverage_note', lang)}</p>",
             _figure(charts.coverage_lines(cov, audiences, labels))]
    if "coverage_with_plan" in cov:
        parts.append(f"<p>{html.escape(coverage_sentence(cov, tax, lang), quote=False)}</p>")
    return [*parts, _table(localise(shown, lang, tax))]


def _revision_rows(rev: pd.DataFrame, lang: Lang, tax: Taxonomy, n: int = 8) -> pd.DataFrame:
    """The `n` largest revisions of the last year, in words (cause) and whole persons."""
    last = rev[rev["year"] == rev["year"].max()]
    top = last.loc[last["change"].abs().sort_values(ascending=False, kind="stable").index].head(n)
    shown = localise(top[["region", "role", "level"]], lang, tax)
    measure = [word(k, lang) if k != "gap" else word(k, lang).capitalize() for k in top["kind"]]
    numbers = {word(f"rev_{c}", lang): top[c].round().astype("Int64").to_numpy()
               for c in ("old", "new", "change", "data", "model")}
    causes = [word(f"cause_{c}", lang) if f"cause_{c}" in WORDS else "–" for c in top["cause"].fillna("")]
    out = shown.assign(**{word("rev_measure", lang): measure}).assign(**numbers)
    return out.assign(**{word("rev_cause", lang): causes})


def _score_rows(scores: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    """How past forecasts did, one row per earlier run: shares as percentages."""
    cols = {"run": "sc_run", "created": "sc_created", "last_year": "sc_until", "years": "sc_years",
            "series": "sc_series", "smape": "sc_smape", "mase": "sc_mase"}
    out = scores[list(cols)].rename(columns={k: word(v, lang) for k, v in cols.items()})
    out[word("sc_created", lang)] = out[word("sc_created", lang)].astype(str).str[:10]
    for c in sorted((c for c in scores.columns if c.startswith("coverage_")), key=lambda c: int(c.split("_")[1])):
        out[word("sc_cov", lang, pct=c.split("_")[1])] = [f"{v:.0%}" for v in scores[c]]
    out[word("sc_direction", lang)] = [f"{v:.0%}" for v in scores["direction_right"]]
    return out


def _history_section(folder: Path, lang: Lang, tax: Taxonomy) -> list[str]:
    """Revisions since the run store's earlier run of the same series, and how past forecasts did (only when
    `talent run` recorded into a store that held such runs)."""
    parts: list[str] = []
    if (folder / "tables" / "revisions.csv").exists():
        rev = _read(folder, "revisions")
        title = word("revisions_title", lang, date=str(rev["since"].iloc[0])[:10], run=int(rev["since_run"].iloc[0]))
        parts += [f"<h2>{html.escape(title)}</h2>", f"<p>{html.escape(revision_sentence(rev, lang), quote=False)}</p>",
                  f"<h3>{word('largest_revisions', lang, year=int(rev['year'].max()))}</h3>",
                  _table(_revision_rows(rev, lang, tax)), f"<p class='note'>{word('revisions_note', lang)}</p>"]
    if (folder / "tables" / "past_scores.csv").exists():
        scores = _read(folder, "past_scores")
        parts += [f"<h2>{word('scores_title', lang)}</h2>", _table(_score_rows(scores, lang)),
                  f"<p class='note'>{word('scores_note', lang)}</p>"]
    return parts


def _kpis(folder: Path, h: Headline, lang: Lang) -> str:
    """Four headline figures, each in its own unit: the gap (persons), supply/demand, the plan's cost (money)
    and the part of the gap the plan closes (persons)."""
    cost, exp_gap = _read(folder, "plan_cost"), _read(folder, "plan_expected_gap")
    last = exp_gap[exp_gap["year"] == exp_gap["year"].max()]
    closed = float(last["gap_before"].sum() - last["gap_after"].sum())
    kpis = [(persons(h.gap, lang), f"{word('gap', lang)}, {h.year}"),
            (f"{h.ratio:.1%}", f"{word('supply', lang)}/{word('demand', lang)}, {h.year}"),
            (money(float(cost["cost"].sum()), lang),
             f"{word('cost', lang)}, {int(cost['year'].min())}–{int(cost['year'].max())}"),
            (persons(closed, lang), word("closed", lang, year=int(last["year"].max())))]
    cells = "".join(f"<div class='kpi'><b>{v}</b><span>{html.escape(k)}</span></div>" for v, k in kpis)
    return f"<div class='kpis'>{cells}</div>"


def _history_label(stock: pd.DataFrame, lang: Lang) -> str:
    """How the chart caption names the history: by the data's declared provenance."""
    sources = [s for s in dict.fromkeys(stock["source"]) if s != "forecast"]
    return str(localise(pd.DataFrame({"source": sources[:1] or ["history"]}), lang, load_taxonomy()).iloc[0, 0])


def _published(stock: pd.DataFrame, region: str, lang: Lang) -> str:
    """Published figures (data/published.toml) beside the same measures in this run; '' if none apply."""
    figures = read_toml(published_path(), "published figures file").get("figures", [])
    nat = stock[(stock["region"] == region) & (stock["role"] == ALL) & (stock["level"] == ALL)]
    observed = stock[(stock["region"] == region) & (stock["source"] != "forecast") & (stock["level"] == ALL)]
    last = observed[observed["year"] == observed["year"].max()] if len(observed) else observed
    rows = []
    for f in figures:
        if f["measure"] in ("gap", "ratio"):
            hit = nat[nat["year"] == f["year"]]
            ours = float(hit[f["measure"]].iloc[0]) if len(hit) else float("nan")
        else:  # ml_share
            demand = last.set_index("role")["demand"]
            total = float(demand.get(ALL, float("nan")))
            ours = float(demand.get("machine_learning", float("nan"))) / total if total > 0 else float("nan")
        if pd.isna(ours):
            continue
        fmt = (lambda v: f"{v:,.0f}") if f["measure"] == "gap" else (lambda v: f"{v:.1%}")
        rows.append((f[lang], fmt(f["value"]), fmt(ours), f["source"]))
    if not rows:
        return ""
    head = ["figure", "published", "this run", "source"] if lang == "en" else ["指标", "公开数据", "本次运行", "来源"]
    calibrated = set(stock["source"]) & {"modelled", "mixed"}
    title = word("published_calibrated" if calibrated else "published", lang)
    return f"<h3>{title}</h3>" + _table(pd.DataFrame(rows, columns=head))


def _provenance(manifest: dict[str, Any], models: pd.DataFrame, lang: Lang, folder: Path = Path(".")) -> list[str]:
    """Input files with their status (observed or modelled) and hashes; the forecast models chosen."""
    inputs = pd.DataFrame([(p, word(declared_status(Path(p)), lang), h[:16]) for p, h in manifest["inputs"].items()],
                          columns=[word("file", lang), word("status", lang), word("sha", lang)])
    summary = models.groupby("model").agg(n=("model", "size"), score=("score", "median")).reset_index()
    summary.columns = [word("model", lang), word("series", lang), word("median_score", lang)]
    reconciled = reconciled_parents(manifest, folder / "manifest.json", folder)
    method = word("method_text", lang) + "".join(
        " " + word("reconciled_text" if r["cells_reconciled"] else "unreconciled_text", lang,
                   parent=load_regions().name(parent, lang), n=len(r["provinces"]), cells=r["cells_reconciled"],
                   left=len(r["cells_left"]))
        for parent, r in reconciled.items())
    return [f"<h2>{word('provenance', lang)}</h2>", f"<p>{method}</p>",
            f"<h3>{word('inputs', lang)}</h3>", _table(inputs), f"<h3>{word('models', lang)}</h3>", _table(summary),
            f"<p class='note'>{html.escape(word('models_legend', lang))}</p>"]


def build_html(folder: Path, lang: Lang, tax: Taxonomy | None = None) -> str:
    """The report as one HTML string, from the tables and manifest in `folder`."""
    tax = tax or load_taxonomy()
    manifest = read_manifest(_need(folder / "manifest.json", folder), folder)
    warn_if_newer(manifest, folder / "manifest.json")
    stock, models = _read(folder, "stock"), _read(folder, "models")
    check_stock(stock, folder / "tables" / "stock.csv", folder)
    regions = list(dict.fromkeys(stock["region"]))
    region = "CN" if "CN" in regions else regions[0]  # charts show one region: the national one if present
    year = report_year(manifest, stock, folder / "manifest.json", folder)
    roles = {r: tax.label("roles", r, lang) for r in tax.ids("roles") if r in set(stock["role"])}
    levels = {lv: tax.label("levels", lv, lang) for lv in tax.ids("levels") if lv in set(stock["level"]) and lv != ALL}
    levels = levels or {ALL: tax.label("levels", ALL, lang)}  # data without a level column
    pct = round(float(manifest["settings"]["gap"]["interval"]) * 100)
    plan_ok = manifest.get("plan", {}).get("status") == "optimal"
    headline = next((h for h in headlines(stock, year) if h.region == region and h.has_gap), None)

    parts = [f"<h1>{word('title', lang)}</h1>", "<section class='lede'>"]
    history = {s for s in stock["source"] if s != "forecast"}
    if history & {"modelled", "mixed", "history"}:
        key = "data_modelled" if "modelled" in history else "data_mixed" if "mixed" in history else "data_unstated"
        parts.append(f"<p><b>{word(key, lang)}</b></p>")
    parts += [f"<p>{html.escape(s, quote=False)}</p>" for s in headline_sentences(stock, year, tax, lang)]
    parts.append("</section>")
    if plan_ok and headline is not None:
        parts.append(_kpis(folder, headline, lang))
    one = stock[stock["region"] == region]
    scale = person_scale(one[(one["role"] == ALL) & (one["level"] == ALL)]["demand"], lang)
    text = {"demand": word("demand", lang), "supply": word("supply", lang),
            "axis": f"{word('persons', lang)} ({scale.name})"}
    fan_roles = roles | {ALL: "All roles" if lang == "en" else "全部岗位"}
    parts += [f"<h2>{word('fan', lang)} ({html.escape(str(region))})</h2>",
              _figure(charts.fan_charts(one, fan_roles, text, scale),
                      caption=word("fan_note", lang, pct=pct, history=_history_label(one, lang)))]
    cells = one[(one["year"] == year) & (one["role"] != ALL) & one["level"].isin(list(levels))]
    bars = person_scale(cells.groupby("role")["gap"].sum(), lang)
    parts += [f"<h2>{word('gap_title', lang, year=year)} ({html.escape(str(region))})</h2>",
              _figure(charts.gap_bars(cells, roles, levels, f"{word('gap', lang)} ({bars.name})", bars))]
    rows = stock[stock["year"] == year]
    rows = rows[rows["region"] == region] if len(regions) > len(leaf_regions(regions)) else rows  # provinces: below
    shown = rows[["region", "role", "level", "demand", "supply", "gap", "ratio", "p_shortage", "rating",
                  "reliability"]]
    parts.append(_table(localise(shown, lang, tax), (shown["role"] == ALL) | (shown["level"] == ALL)))
    parts += _history_section(folder, lang, tax)
    parts += regional_section(folder, stock, lang, year)
    if plan_ok:
        parts += _plan_section(folder, lang, tax, headline)
    else:
        reason = manifest.get("plan", {}).get("reason", "")
        parts += [f"<h2>{word('plan_title', lang)}</h2>", f"<p class='note'>{html.escape(reason)}</p>"]
    parts += _coverage_section(folder, lang, tax)
    parts += _provenance(manifest, models, lang, folder)
    parts.append(_published(stock, region, lang))
    footer = word("generated", lang, created=manifest["created"], version=manifest["versions"]["talent"])
    body = "\n".join([*parts, f"<footer>{html.escape(footer, quote=False)}</footer>"])
    font = embedded_font_css(body) if lang == "zh" else ""
    title = word("title", lang)
    return (f"<!DOCTYPE html>\n<html lang='{'zh-CN' if lang == 'zh' else 'en'}'><head><meta charset='utf-8'>"
            f"<meta name='viewport' content='width=device-width, initial-scale=1'><title>{title}</title>"
            f"<style>{font}{CSS}</style></head><body><main>\n{body}\n</main></body></html>\n")


def _labels(tax: Taxonomy, section: str, lang: Lang) -> dict[str, str]:
    return {e.id: e.label(lang) for e in tax.section(section)}


def render_report(folder: Path, lang: Lang = "en", path: Path | None = None, allow_edited: bool = False) -> Path:
    """Write `report_<lang>.html` (or `path`) from an output folder; return its path
    (library twin of `talent report`). Never overwrites the tables and manifest it reads. A folder whose
    tables or manifest were changed after `talent run` wrote them is refused (`talent.io.seal`), after the
    checks that name what is damaged; `allow_edited` draws it anyway, with a warning."""
    if lang not in ("en", "zh"):
        raise InputFileError(f"language '{lang}' is not supported; use en or zh")
    folder = Path(folder)
    inputs = [folder / "manifest.json", *(folder / "tables").glob("*.csv")]
    page = build_html(folder, lang)
    check_seal(read_manifest(folder / "manifest.json", folder), folder / "manifest.json", folder, allow_edited)
    return write_text(path or folder / f"report_{lang}.html", page, inputs=inputs)
