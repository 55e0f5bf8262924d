"""The panel's prior for ``auto``: which members the whole panel's inner backtests favour.

A series' own inner backtest has a few dozen cells, so its choice of members is shrunk
toward a combination (``forecasts.select``). That combination used to be the trimmed
mean of all members whatever the panel. When the series of a panel are alike (the
fertility rates of 190 countries, one role's demand in 30 provinces) the panel as a
whole can tell the members apart where one series cannot: on the World Bank fertility
panel ``ets_fast`` beats the trimmed mean on most series while each series' own t is
small. So the combination a series is shrunk toward is itself chosen by the panel:

    base = w_p * median(the panel's best J members) + (1 - w_p) * trimmed_mean(all)

``J`` in (1, 2, 3) is the pool with the largest mean gain over the trimmed mean across
the series (each series' mean sMAPE over its calibration cells, series weighted
equally); ``w_p = t^2 / (t^2 + 16)``, ``t`` the t-statistic of those per-series gains
(the series are the units, so ``t`` grows with the number of series that agree), and
``w_p = 0`` when the gain is not positive or fewer than ``MIN_SERIES`` series have cells.
On a mixed panel (M3) the gain is small and ``w_p`` near 0: the old rule.

The prior is computed once per *slot*: slot 0 from every series' calibration cells,
slot ``d`` from the cells each series knew ``d`` years before its end (the nested
backtest of ``forecasts.select``), so the calibration forecasts at an origin use a
prior made from data before it only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from forecasts.metrics import smape_terms
from forecasts.pipeline import SeriesResult, TaskConfig, cell_mask

#: Pools of the panel's best members that the prior may use (median of the best J).
POOLS = (1, 2, 3)
#: Fewer series with cells than this: no prior (a t over a handful of series is noise).
MIN_SERIES = 5
SHRINK_TAU = 16.0


@dataclass(frozen=True)
class PanelPrior:
    """Per slot: members best first (candidate positions), pool size and weight."""

    order: np.ndarray  # (S, C)
    size: np.ndarray  # (S,)
    w: np.ndarray  # (S,)
    names: tuple[str, ...]

    def base(self, slots: Sequence[int], cand: np.ndarray, plain: np.ndarray) -> np.ndarray:
        """The combinations to shrink toward at ``slots``, stacked: ``cand`` (C, ...)
        candidate forecasts, ``plain`` the trimmed mean of the distinct members."""
        pools: dict[tuple[int, ...], np.ndarray] = {}
        out = []
        for s in slots:
            if s >= len(self.w) or self.w[s] <= 0:  # no series had cells there: no prior
                out.append(plain)
                continue
            key = tuple(self.order[s, : self.size[s]].tolist())
            if key not in pools:
                pools[key] = median(cand[list(key)])
            out.append(self.w[s] * pools[key] + (1 - self.w[s]) * plain)
        return np.stack(out)

    def _best(self, slot: int) -> str:
        return ",".join(self.names[c] for c in self.order[slot, : self.size[slot]])

    def label(self, slot: int = 0) -> str:
        """A short model label of the prior, e.g. ``panel(ets_fast;0.83)``."""
        return f"panel({self._best(slot)};{self.w[slot]:.2f})"

    def describe(self, slot: int = 0) -> str:
        """The prior at ``slot`` in words (for ``reason``)."""
        if self.w[slot] <= 0:
            return "trimmed mean of all members"
        return (f"{self.w[slot]:.2f} x median of the panel's best {self.size[slot]} ({self._best(slot)}) "
                f"+ {1 - self.w[slot]:.2f} x trimmed mean of all members")


def selection_sets(res: SeriesResult, cfg: TaskConfig) -> tuple[np.ndarray, list[int]]:
    """The series' sets of selection cells, (E, O, h), and their slots: its calibration cells
    (slot 0), then for each calibration origin the cells known there (slot d: as if the
    series ended d years earlier)."""
    rows = np.flatnonzero(res.cal.any(axis=1))
    inner = cell_mask(res.origins[rows], res.origins, cfg.h, cfg.n_windows, cfg.step)
    return np.concatenate([res.cal[None], inner]), [0, *(series_length(res) - res.origins[rows]).tolist()]


def series_length(res: SeriesResult) -> int:
    """Number of observed years of the series behind ``res`` (from its backtest frame)."""
    t = res.origins[:, None] + np.arange(1, res.bt_actual.shape[1] + 1)[None, :]
    seen = np.isfinite(res.bt_actual)
    return int(t[seen].max()) if seen.any() else int(res.origins.max(initial=0))


def median(x: np.ndarray, axis: int = 0) -> np.ndarray:
    """``np.median`` along ``axis`` (NaN where any member is NaN), without its overhead."""
    k = x.shape[axis]
    s = np.sort(x, axis=axis)
    upper = np.take(s, k // 2, axis=axis)
    return upper if k % 2 else (np.take(s, k // 2 - 1, axis=axis) + upper) / 2


def trimmed_mean(x: np.ndarray, axis: int = 0) -> np.ndarray:
    """Mean along ``axis`` without the lowest and highest value (three or more; NaN stays NaN)."""
    k = x.shape[axis]
    if k < 3:
        return np.mean(x, axis=axis)
    s = np.sort(x, axis=axis)
    return np.mean(np.take(s, np.arange(1, k - 1), axis=axis), axis=axis)


def distinct(res: SeriesResult, n_cand: int) -> list[int]:
    """Candidate positions with distinct fitted models (fallbacks to the same are one)."""
    used = [res.used[i] for i in range(n_cand)]
    return [used.index(u) for u in dict.fromkeys(used)]


def panel_prior(results: Sequence[SeriesResult], names: Sequence[str], cfg: TaskConfig
                ) -> PanelPrior:
    """The prior of every slot from the panel's inner backtests (module docstring).

    All series are stacked (zero-padded to the longest backtest) so that every slot's
    statistics are a few array operations, not a loop over series.
    """
    c = len(names)
    used = [r for r in results if r.cal.any()]
    layouts: dict[tuple[object, ...], list[int]] = {}  # series of one layout share their masks
    for n, r in enumerate(used):
        layouts.setdefault((r.origins.tobytes(), r.cal.tobytes(), r.bt_actual.shape[0]), []).append(n)
    masks: dict[tuple[object, ...], dict[int, np.ndarray]] = {}  # per layout: slot -> its cells
    for key, idx in layouts.items():
        cells, slots = selection_sets(used[idx[0]], cfg)
        masks[key] = dict(zip(slots, cells, strict=True))
    size = max((max(m) for m in masks.values()), default=0) + 1
    if len(used) < MIN_SERIES:
        return PanelPrior(np.tile(np.arange(c), (size, 1)), np.ones(size, dtype=np.int64), np.zeros(size),
                          tuple(names))
    o = max(r.bt_actual.shape[0] for r in used)
    bt = np.zeros((len(used), c, o, cfg.h))
    actual = np.zeros((len(used), o, cfg.h))
    plain = np.zeros((len(used), o, cfg.h))
    mk = np.zeros((len(used), size, o, cfg.h), dtype=bool)
    fitted = np.ones(len(used), dtype=bool)  # every candidate fitted: the trimmed mean of all, below
    for n, r in enumerate(used):
        k = r.bt_actual.shape[0]
        actual[n, :k] = np.nan_to_num(r.bt_actual)
        bt[n, :, :k] = np.nan_to_num(np.stack([r.bt_fc[i] for i in range(c)]))
        if len(first := distinct(r, c)) < c:
            fitted[n] = False
            plain[n, :k] = trimmed_mean(bt[n, first, :k])
    plain[fitted] = trimmed_mean(bt[fitted], axis=1)
    for key, idx in layouts.items():
        for slot, cells in masks[key].items():
            mk[idx, slot, : key[2]] = cells  # type: ignore[misc]
    return PanelPrior(*priors(bt, actual, smape_terms(actual, plain), mk), tuple(names))


def priors(bt: np.ndarray, actual: np.ndarray, plain_loss: np.ndarray, mk: np.ndarray
           ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Order, pool size and weight of every slot from stacked arrays: ``bt`` (N, C, O, h)
    member forecasts, ``actual`` and ``plain_loss`` (the trimmed mean's sMAPE) (N, O, h),
    ``mk`` (N, S, O, h) each slot's cells."""
    size, c = mk.shape[1], bt.shape[1]
    order = np.tile(np.arange(c), (size, 1))
    pools, w = np.ones(size, dtype=np.int64), np.zeros(size)
    counts = mk.sum(axis=(2, 3))  # (N, S)
    loss = np.empty_like(bt)  # (N, C, O, h), member by member: the temporaries of one member at a time
    for j in range(c):
        loss[:, j] = smape_terms(actual, bt[:, j])
    member = np.einsum("ncoh,nsoh->nsc", loss, mk) / np.maximum(counts, 1)[..., None]
    cache: dict[tuple[int, ...], np.ndarray] = {}  # the slots mostly rank the members alike

    def gain(pool: tuple[int, ...], slot: int, ok: np.ndarray) -> np.ndarray:
        """Per series (of ``ok``): mean sMAPE gain of the pool's median over the trimmed mean."""
        if pool not in cache:
            cache[pool] = plain_loss - smape_terms(actual, median(bt[:, list(pool)], axis=1))
        return (cache[pool][ok] * mk[ok, slot]).sum(axis=(1, 2)) / counts[ok, slot]

    for slot in range(size):
        ok = counts[:, slot] >= 2
        if ok.sum() >= MIN_SERIES:
            order[slot] = np.argsort(member[ok, slot].mean(axis=0), kind="stable")
            pools[slot], w[slot] = _slot_prior(
                [gain(tuple(order[slot, :j].tolist()), slot, ok) for j in POOLS[:c]])
    return order, pools, w


def _slot_prior(gains: list[np.ndarray]) -> tuple[int, float]:
    """Pool size and weight of one slot from each pool's per-series gains (pool j + 1 at [j])."""
    j = int(np.argmax([g.mean() for g in gains]))  # the first of equal gains: the smaller pool
    g = gains[j]
    mu, sd = float(g.mean()), float(g.std(ddof=1))
    if mu <= 0:
        return j + 1, 0.0
    t = mu / (sd / np.sqrt(len(g))) if sd > 0 else np.inf
    return j + 1, 1.0 if np.isinf(t) else float(t * t / (t * t + SHRINK_TAU))
