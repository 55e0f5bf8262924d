"""Calibrated predictive distributions from backtest errors, per horizon (conformal-style).

Errors of the chosen forecasts on the inner backtest windows are divided by each
series' scale (the mean absolute first difference of its whole history, the MASE scale) and pooled
across all series of the call, separately for each horizon. The quantile ``tau`` of
the forecast at horizon ``h`` is then ``point + scale * Q_h(tau)``, where ``Q_h`` is the
empirical quantile of the pooled scaled errors at the split-conformal level
``0.5 + (tau - 0.5)(n + 1)/n``. With fewer than ``MIN_POOL`` errors at a horizon, ``Q_h``
is normal with s.d. ``sigma_1 * sqrt(h)``, ``sigma_1`` estimated from all pooled errors
(or 1 when there are almost none). Results are clipped at 0.

The joint dependence across horizons (for sample paths) is the Gaussian-copula
correlation implied by the rank correlation of complete backtest error vectors, or the
random-walk structure ``sqrt(min(h, k) / max(h, k))`` when fewer than ``MIN_POOL``
complete vectors exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import NormalDist

import numpy as np

MIN_POOL = 30
_ND = NormalDist()


@dataclass
class Calibrator:
    """Pooled scaled backtest errors per horizon and the cross-horizon correlation."""

    errors: list[np.ndarray]  # per horizon, sorted scaled errors (may be empty)
    sigma1: float  # normal-fallback one-step s.d. (scaled units)
    corr: np.ndarray  # (H, H) Gaussian-copula correlation
    empirical: list[bool]  # per horizon: empirical quantiles (True) or normal (False)

    def quantiles(self, horizon: int, levels: np.ndarray) -> np.ndarray:
        """Scaled error quantiles at ``levels`` (array of probabilities) for a horizon (1-based)."""
        levels = np.asarray(levels, dtype=float)
        errs = self.errors[horizon - 1]
        if self.empirical[horizon - 1]:
            n = len(errs)
            adj = np.clip(0.5 + (levels - 0.5) * (n + 1) / n, 0.0, 1.0)
            return np.quantile(errs, adj, method="linear")
        z = np.array([_ND.inv_cdf(float(np.clip(u, 1e-12, 1 - 1e-12))) for u in levels.ravel()])
        return (self.sigma1 * np.sqrt(horizon) * z).reshape(levels.shape)


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
    """Build a calibrator from scaled errors ``(rows, H)`` (NaN where not observed)."""
    h = scaled.shape[1]
    errors = [np.sort(col[np.isfinite(col)]) for col in scaled.T]
    empirical = [len(e) >= MIN_POOL for e in errors]
    steps = np.arange(1, h + 1)
    ok = np.isfinite(scaled)
    sigma1 = 1.0  # the random-walk value in scale units, when there are almost no errors
    if ok.sum() >= 5:
        sigma1 = float(np.sqrt(np.sum(np.where(ok, scaled, 0.0) ** 2 / steps) / ok.sum()))
    complete = scaled[ok.all(axis=1)]
    if len(complete) >= MIN_POOL and h > 1:
        ranks = np.argsort(np.argsort(complete, axis=0), axis=0).astype(float)
        rho = np.corrcoef(ranks, rowvar=False)
        rho = np.nan_to_num(rho, nan=0.0)
        np.fill_diagonal(rho, 1.0)
        corr = _nearest_corr(2 * np.sin(np.pi * rho / 6))
    else:
        corr = random_walk_corr(h)
    return Calibrator(errors=errors, sigma1=max(sigma1, 1e-9), corr=corr, empirical=empirical)
