"""Model registry: names -> factories, and parsing of model specs.

A spec is a registered name (``"theta"``), a combination ``"mean(ets,theta,arima)"`` /
``"median(...)"``, or a :class:`Model` instance (copied per series).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable

from forecasts.models.arima import ARIMA, ARIMA2Fast, ARIMAFast
from forecasts.models.base import Model, Prediction
from forecasts.models.combo import Combination, LogModel
from forecasts.models.ets import ETS
from forecasts.models.ets_fast import ETSFast
from forecasts.models.prophet_model import ProphetModel
from forecasts.models.simple import Drift, Naive
from forecasts.models.theta import DOTM, Theta

MODELS: dict[str, Callable[[], Model]] = {
    "naive": Naive,
    "drift": Drift,
    "theta": Theta,
    "dotm": DOTM,
    "ets": ETS,
    "ets_fast": ETSFast,
    "arima": ARIMA,
    "arima_fast": ARIMAFast,
    "arima2_fast": ARIMA2Fast,
    "prophet": ProphetModel,
}

ModelSpec = str | Model

_COMBO = re.compile(r"^\s*(mean|median)\((.*)\)\s*$")


def make_model(spec: ModelSpec) -> Model:
    """Build a fresh model from a spec; raises ``ValueError`` naming the known models."""
    if isinstance(spec, Model):
        return copy.deepcopy(spec)
    if not isinstance(spec, str):
        raise ValueError(f"a model spec must be a name or a Model, got {spec!r}")
    m = _COMBO.match(spec)
    if m:
        members = [make_model(s.strip()) for s in m.group(2).split(",") if s.strip()]
        return Combination(members, agg=m.group(1))
    name = spec.strip().lower()
    if name.startswith("log_") and name[4:] in MODELS:
        return LogModel(MODELS[name[4:]]())
    if name not in MODELS:
        known = ", ".join([*MODELS, "auto", "mean(a,b,...)", "median(a,b,...)", "log_<name>"])
        raise ValueError(f"unknown model {spec!r}; known: {known}")
    return MODELS[name]()


def spec_name(spec: ModelSpec) -> str:
    """The name a spec is reported under in output frames."""
    return make_model(spec).name


__all__ = [
    "ARIMA",
    "DOTM",
    "ETS",
    "MODELS",
    "ARIMA2Fast",
    "ARIMAFast",
    "Combination",
    "Drift",
    "ETSFast",
    "LogModel",
    "Model",
    "ModelSpec",
    "Naive",
    "Prediction",
    "ProphetModel",
    "Theta",
    "make_model",
    "spec_name",
]
