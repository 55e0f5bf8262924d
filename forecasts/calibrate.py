"""Calibrated predictive distributions: the run's backtest errors blended with a reference class.

**The run's own errors.** Errors of the chosen forecasts at the inner backtest cells
(each calibration origin's combination chosen from its own past only) are divided by
the scale of that origin's training data (the mean absolute first difference of its
last 8 years, :func:`forecasts.pipeline.calibration_scale`) and pooled across all
series of the call, per horizon.

**The reference class.** :mod:`forecasts.reference` holds per-horizon quantiles of the
same scaled errors of ``auto``'s forecasts on real annual series (the M3 yearly tuning
folds; built by benchmarks/build_reference_errors.py), i.e. how far such forecasts
really erred out of sample.

**The blend.** At horizon ``h`` the distribution of scaled errors is the mixture

    w_h * (the run's pooled errors) + (1 - w_h) * (the reference),  w_h = n_h / (n_h + N0),

``n_h`` the number of the run's errors at that horizon (windows x series) and
``N0 = 100``: the reference counts as much as 100 backtest errors. A ten-point series
alone therefore gets (nearly) real-world widths, a long panel its own. A series that
contributes no error at a horizon (too short to be backtested that far) uses the
reference alone there, because the pooled errors describe longer series. Quantile
``tau`` of a forecast is ``point + scale * Q_h(tau)``; results are clipped at 0.
Beyond the table's last horizon the reference grows linearly with the horizon.

**Errors no forecast makes.** A run's scaled error beyond ``OUTLIER`` times the
reference class's widest quantile at its horizon (:func:`outlier_bound`) is clipped to
that bound before pooling. Such an error comes from the data, not the forecast: one
value typed with six zeros too many (1e10 among values near 1,000) gave an error a
million times the series' scale, which as one pooled error of mass ``1 / (n_h + N0)``
sat above the 99th percentile of every series of the run and made their path means
exceed their own 95th percentiles ten-thousandfold. Errors of real forecasts stay far
inside the bound (the default data's widest is a quarter of the reference's extreme).

The joint dependence across horizons (for sample paths) is the Gaussian-copula
correlation implied by the rank correlation of complete backtest error vectors, or the
random-walk structure ``sqrt(min(h, k) / max(h, k))`` when fewer than 30 exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from forecasts import reference

MIN_POOL = 30
N0 = 100.0
OUTLIER = 10.0
_FINE = np.linspace(0.0, 1.0, 2001)


@dataclass
class Calibrator:
    """Pooled scaled backtest errors per horizon, their blend weights, cross-horizon correlation."""

    errors: list[np.ndarray]  # per horizon, sorted scaled errors of the run (may be empty)
    weights: np.ndarray  # per horizon: weight of the run's errors in the blend
    corr: np.ndarray  # (H, H) Gaussian-copula correlation

    def quantiles(self, horizon: int, levels: np.ndarray, own: bool = True) -> np.ndarray:
        """Scaled error quantiles at ``levels`` for a horizon (1-based).

        ``own=False``: the reference alone (for a series without errors at that horizon).
        """
        levels = np.asarray(levels, dtype=float)
        ref_x, ref_p = reference_distribution(horizon)
        w = float(self.weights[horizon - 1]) if own else 0.0
        errs = self.errors[horizon - 1]
        if w <= 0 or not len(errs):
            return np.interp(levels, ref_p, ref_x)
        # the mixture's CDF on the run's errors and a fine grid of the reference, inverted
        # as a step function (the smallest x whose CDF reaches the level)
        xs = np.union1d(errs, np.interp(_FINE, ref_p, ref_x))
        cdf = w * np.searchsorted(errs, xs, side="right") / len(errs) + (1 - w) * np.interp(
            xs, ref_x, ref_p, left=0.0, right=1.0)
        return xs[np.minimum(np.searchsorted(cdf, levels - 1e-12, side="left"), len(xs) - 1)]

    def describe(self) -> dict[str, Any]:
        """What calibrated the intervals (for ``DataFrame.attrs['calibration']``)."""
        counts = [len(e) for e in self.errors]
        parts = [f"h{h + 1}: {w:.0%} own ({n} errors)" for h, (w, n) in
                 enumerate(zip(self.weights, counts, strict=True))]
        return {
            "method": "blend of this run's backtest errors with the reference table",
            "reference": reference.SOURCE,
            "reference_weight": N0,
            "run_errors": counts,
            "run_weight": [round(float(w), 4) for w in self.weights],
            "summary": "; ".join(parts),
        }


def reference_distribution(horizon: int) -> tuple[np.ndarray, np.ndarray]:
    """Reference quantiles (values, levels) at a horizon; linear growth past the table."""
    table = np.asarray(reference.QUANTILES, dtype=float)
    last = len(table)
    values = table[min(horizon, last) - 1] * (max(horizon, last) / last if horizon > last else 1)
    return np.maximum.accumulate(values), np.asarray(reference.LEVELS, dtype=float)


def outlier_bound(horizon: int) -> float:
    """The largest scaled error pooled at a horizon: ``OUTLIER`` times the reference's widest quantile there."""
    values, _ = reference_distribution(horizon)
    return OUTLIER * float(np.abs(values).max())


def _nearest_corr(c: np.ndarray) -> np.ndarray:
    """Project a symmetric matrix to a valid correlation matrix (eigenvalue clipping)."""
    c = (c + c.T) / 2
    vals, vecs = np.linalg.eigh(c)
    c = vecs @ np.diag(np.maximum(vals, 1e-6)) @ vecs.T
    d = np.sqrt(np.diag(c))
    return c / np.outer(d, d)


def random_walk_corr(h: int) -> np.ndarray:
    """Correlation of cumulative sums of i.i.d. errors at steps 1..h."""
    k = np.arange(1, h + 1)
    return np.sqrt(np.minimum.outer(k, k) / np.maximum.outer(k, k))


def fit_calibrator(scaled: np.ndarray) -> Calibrator:
    """Build a calibrator from the run's scaled errors ``(rows, H)`` (NaN where not observed)."""
    h = scaled.shape[1]
    errors = [np.sort(col[np.isfinite(col)]) for col in scaled.T]
    counts = np.array([len(e) for e in errors], dtype=float)
    weights = counts / (counts + N0)
    complete = scaled[np.isfinite(scaled).all(axis=1)]
    if len(complete) >= MIN_POOL and h > 1:
        ranks = np.argsort(np.argsort(complete, axis=0), axis=0).astype(float)
        rho = np.corrcoef(ranks, rowvar=False)
        rho = np.nan_to_num(rho, nan=0.0)
        np.fill_diagonal(rho, 1.0)
        corr = _nearest_corr(2 * np.sin(np.pi * rho / 6))
    else:
        corr = random_walk_corr(h)
    return Calibrator(errors=errors, weights=weights, corr=corr)
