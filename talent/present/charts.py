"""Charts of the report as inline SVG (matplotlib; glyphs drawn as paths, so no font is needed to view them)."""

from __future__ import annotations

import functools
import io
from collections.abc import Callable, Mapping
from typing import Any

import matplotlib
import matplotlib.ticker
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from talent.present.fonts import register_matplotlib_font
from talent.present.units import Scale

DEMAND, SUPPLY, PLAN = "#c0392b", "#2471a3", "#1e8449"
PALETTE = ["#4c72b0", "#dd8452", "#55a868", "#c44e52", "#8172b3", "#937860", "#da8bc3", "#8c8c8c"]


def _styled(chart: Callable[..., str]) -> Callable[..., str]:
    """Draw `chart` in the report's style (shipped CJK font, glyphs as paths, stable ids), without
    touching matplotlib's global settings or backend: figures are plain `Figure`s saved as SVG."""
    @functools.wraps(chart)
    def draw(*args: Any, **kwargs: Any) -> str:
        style = {"font.family": [register_matplotlib_font(), "DejaVu Sans"], "svg.fonttype": "path",
                 "font.size": 9, "axes.spines.top": False, "axes.spines.right": False, "svg.hashsalt": "talent",
                 "axes.unicode_minus": False}
        with matplotlib.rc_context(style):  # type: ignore[arg-type]
            return chart(*args, **kwargs)
    return draw


def _svg(fig: Figure) -> str:
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None, "Creator": None})
    text = buffer.getvalue()
    return text[text.index("<svg"):]


def _scaled(ax: Axes, scale: Scale, axis: str = "y") -> None:
    """Tick labels in the chart's unit, with as many decimals as the ticks need (0.25, not 0.2)."""
    fmt = matplotlib.ticker.FuncFormatter(lambda v, _: f"{v / scale.factor:,.6g}")
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(fmt)


@_styled
def fan_charts(stock: pd.DataFrame, roles: Mapping[str, str], text: Mapping[str, str], scale: Scale) -> str:
    """Small multiples, one per role (and the total): history, forecast mean and interval, demand and supply."""
    lo, hi = [c.split("_", 1)[1] for c in stock.columns if c.startswith("demand_q")][:2]
    n = len(roles)
    cols = 4 if n > 4 else n
    rows = int(np.ceil(n / cols))
    fig = Figure(figsize=(3.1 * cols, 2.5 * rows))
    axes = fig.subplots(rows, cols, squeeze=False)
    for ax, (role, label) in zip(axes.flat, roles.items(), strict=False):
        g = stock[(stock["role"] == role) & (stock["level"] == "all")].sort_values("year")
        past, future = g[g["source"] != "forecast"], g[g["source"] == "forecast"]
        for kind, colour in (("demand", DEMAND), ("supply", SUPPLY)):
            ax.plot(past["year"], past[kind], color=colour, lw=1.8, label=text[kind])
            joined = pd.concat([past.tail(1), future])
            ax.plot(joined["year"], joined[kind], color=colour, lw=1.5, ls="--")
            ax.fill_between(joined["year"], joined[f"{kind}_{lo}"], joined[f"{kind}_{hi}"], color=colour,
                            alpha=0.18, lw=0)
        ax.set_title(label, fontsize=10)
        ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(4, integer=True))
        _scaled(ax, scale)
    for ax in list(axes.flat)[n:]:
        ax.set_visible(False)
    axes.flat[0].legend(frameon=False, fontsize=8, loc="upper left")
    fig.supylabel(text["axis"], fontsize=9)
    fig.tight_layout()
    return _svg(fig)


@_styled
def gap_bars(cells: pd.DataFrame, roles: Mapping[str, str], levels: Mapping[str, str], xlabel: str,
             scale: Scale) -> str:
    """Horizontal stacked bars: the gap per role, split by level, for one year."""
    fig = Figure(figsize=(7.5, 0.45 * len(roles) + 1.2))
    ax = fig.subplots()
    left = np.zeros(len(roles))
    for i, (level, label) in enumerate(levels.items()):
        values = [float(cells[(cells["role"] == r) & (cells["level"] == level)]["gap"].sum()) for r in roles]
        ax.barh(list(roles.values()), values, left=left, color=PALETTE[i], label=label)
        left += np.array(values)
    ax.invert_yaxis()
    ax.set_xlabel(xlabel)
    _scaled(ax, scale, "x")
    ax.legend(frameon=False, ncol=len(levels), loc="lower right", fontsize=8)
    fig.tight_layout()
    return _svg(fig)


@_styled
def stacked_intake(frame: pd.DataFrame, by: str, labels: Mapping[str, str], ylabel: str, scale: Scale) -> str:
    """Stacked bars of new intake per year, split by tier or audience."""
    table = frame.pivot_table(index="year", columns=by, values="intake", aggfunc="sum").fillna(0.0)
    fig = Figure(figsize=(6.2, 3.2))
    ax = fig.subplots()
    bottom = np.zeros(len(table))
    for i, key in enumerate(k for k in labels if k in table.columns):
        ax.bar(table.index, table[key], bottom=bottom, color=PALETTE[i], label=labels[key], width=0.7)
        bottom += table[key].to_numpy()
    ax.set_ylabel(ylabel)
    _scaled(ax, scale)
    ax.legend(frameon=False, fontsize=8)
    fig.tight_layout()
    return _svg(fig)


@_styled
def cost_bars(cost: pd.DataFrame, labels: Mapping[str, str], scale: Scale) -> str:
    """Plan cost against budget per year."""
    fig = Figure(figsize=(6.2, 3.0))
    ax = fig.subplots()
    ax.bar(cost["year"], cost["cost"], color=PLAN, width=0.6, label=labels["cost"])
    ax.plot(cost["year"], cost["budget"], color="black", marker="_", ms=18, lw=0, mew=2, label=labels["budget"])
    ax.set_ylabel(labels["unit"])
    _scaled(ax, scale)
    ax.legend(frameon=False, fontsize=8)
    fig.tight_layout()
    return _svg(fig)


@_styled
def gap_with_without(gap: pd.DataFrame, labels: Mapping[str, str], scale: Scale) -> str:
    """Expected national gap per year, without the plan and with it."""
    g = gap.groupby("year")[["gap_before", "gap_after"]].sum()
    fig = Figure(figsize=(6.2, 3.0))
    ax = fig.subplots()
    ax.plot(g.index, g["gap_before"], color=DEMAND, marker="o", label=labels["before"])
    ax.plot(g.index, g["gap_after"], color=PLAN, marker="o", label=labels["after"])
    ax.fill_between(g.index, g["gap_after"], g["gap_before"], color=PLAN, alpha=0.12, lw=0)
    ax.set_ylabel(labels["unit"])
    ax.set_ylim(bottom=0)
    _scaled(ax, scale)
    ax.legend(frameon=False, fontsize=8)
    fig.tight_layout()
    return _svg(fig)


@_styled
def coverage_lines(coverage: pd.DataFrame, audiences: Mapping[str, str], labels: Mapping[str, str]) -> str:
    """Small multiples, one per audience: AI-literacy coverage over time without (and with) the plan, and targets."""
    n = len(audiences)
    fig = Figure(figsize=(3.1 * min(n, 4), 2.5 * int(np.ceil(n / 4))))
    axes = fig.subplots(int(np.ceil(n / 4)), min(n, 4), squeeze=False)
    for ax, (aud, label) in zip(axes.flat, audiences.items(), strict=False):
        g = coverage[coverage["audience"] == aud].sort_values("year")
        ax.plot(g["year"], 100 * g["coverage"], color=SUPPLY, lw=1.5, ls="--", label=labels["without"])
        if "coverage_with_plan" in g:
            ax.plot(g["year"], 100 * g["coverage_with_plan"], color=PLAN, lw=1.8, label=labels["with"])
        targets = g.dropna(subset=["target"])
        ax.scatter(targets["year"], 100 * targets["target"], color=DEMAND, marker="_", s=220, lw=2.5,
                   label=labels["target"], zorder=3)
        ax.set_title(label, fontsize=10)
        ax.set_ylim(bottom=0)
        ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(4, integer=True))
    for ax in list(axes.flat)[n:]:
        ax.set_visible(False)
    axes.flat[0].legend(frameon=False, fontsize=7, loc="upper left")
    fig.supylabel(labels["axis"], fontsize=9)
    fig.tight_layout()
    return _svg(fig)


@_styled
def share_bars(shares: pd.DataFrame, names: Mapping[str, str], labels: Mapping[str, str]) -> str:
    """Grouped horizontal bars per region: each column of `shares` (a share, 0–1; labels[column] names it)
    in percent, regions in the order of `names`."""
    columns = [c for c in labels if c in shares.columns]
    fig = Figure(figsize=(7.5, 0.5 * len(names) + 1.2))
    ax = fig.subplots()
    y = np.arange(len(names))
    height = 0.8 / max(1, len(columns))
    for i, col in enumerate(columns):
        values = [100 * float(shares[col].get(r, 0.0)) for r in names]
        ax.barh(y + i * height, values, height=height, color=[DEMAND, PLAN, SUPPLY, *PALETTE][i], label=labels[col])
    ax.set_yticks(y + height * (len(columns) - 1) / 2, list(names.values()))
    ax.invert_yaxis()
    ax.set_xlabel("%")
    ax.legend(frameon=False, fontsize=8, loc="lower right")
    fig.tight_layout()
    return _svg(fig)
