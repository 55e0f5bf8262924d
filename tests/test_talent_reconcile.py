"""Provinces reconciled with their country (`talent.gaps.reconcile`): paths add up, proportions kept,
only where the data shows the provinces partition the country."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from talent.config import load_planning
from talent.gaps.reconcile import children, reconcile
from talent.gaps.simulate import PathSet, simulate
from talent.io.series import load_series
from talent.planning import build_inputs
from tests.conftest import ASSETS

CELL = ("robotics", "applied", "demand")


def _history(values: dict[str, list[float]], cell: tuple[str, str, str] = CELL) -> pd.DataFrame:
    role, level, kind = cell
    return pd.DataFrame([{"region": r, "role": role, "level": level, "kind": kind, "year": 2020 + i, "value": v}
                         for r, vs in values.items() for i, v in enumerate(vs)])


def _paths(arrays_: dict[str, np.ndarray], cell: tuple[str, str, str] = CELL) -> PathSet:
    return PathSet([2025, 2026], {(r, *cell): np.asarray(a, float) for r, a in arrays_.items()})


def test_children_are_the_direct_sub_regions() -> None:
    assert children({"CN", "CN-HA", "CN-GD", "US", "US+CA"}) == {"CN": ["CN-GD", "CN-HA"]}
    assert children({"CN-HA", "CN-GD"}) == {}


def test_the_country_is_shared_in_the_provinces_proportions() -> None:
    """Path by path and year by year: a gets X·a/(a+b); all-zero provinces split equally; the country is kept."""
    history = _history({"CN": [4, 6], "CN-A": [1, 2], "CN-B": [3, 4]})
    paths = _paths({"CN": [[10, 20], [8, 8]], "CN-A": [[1, 3], [0, 5]], "CN-B": [[3, 1], [0, 3]]})
    out = reconcile(paths, history)
    assert np.allclose(out.paths[("CN-A", *CELL)], [[2.5, 15], [4, 5]])
    assert np.allclose(out.paths[("CN-B", *CELL)], [[7.5, 5], [4, 3]])
    assert np.array_equal(out.paths[("CN", *CELL)], paths.paths[("CN", *CELL)])
    assert out.calibration["reconciled"]["parents"]["CN"]["cells_reconciled"] == 1


def test_provinces_that_do_not_add_up_are_left_as_forecast() -> None:
    """No rest-of-country row (the provinces' history is short of the country's), or a province without the
    series: nothing is reconciled and the manifest lists the cell."""
    paths = _paths({"CN": [[10, 20], [8, 8]], "CN-A": [[1, 3], [0, 5]], "CN-B": [[3, 1], [0, 3]]})
    short = reconcile(paths, _history({"CN": [5, 6], "CN-A": [1, 2], "CN-B": [3, 4]}))
    assert short.paths == paths.paths
    assert short.calibration["reconciled"]["parents"]["CN"]["cells_left"] == ["robotics.applied.demand"]
    one = _paths({"CN": [[10, 20], [8, 8]], "CN-A": [[1, 3], [0, 5]]})
    assert reconcile(one, _history({"CN": [4, 6], "CN-A": [1, 2], "CN-B": [3, 4]})).paths == one.paths
    alone = _paths({"CN-A": [[1, 3], [0, 5]]})
    assert reconcile(alone, _history({"CN-A": [1, 2]})) is alone  # no country: nothing to do


def test_a_year_a_province_did_not_forecast_is_left_alone() -> None:
    history = _history({"CN": [4, 6], "CN-A": [1, 2], "CN-B": [3, 4]})
    paths = _paths({"CN": [[10, 20], [8, 8]], "CN-A": [[np.nan, np.nan], [1, 1]], "CN-B": [[3, 1], [1, 3]]})
    out = reconcile(paths, history)
    assert np.array_equal(out.paths[("CN-B", *CELL)][0], [3, 1])
    assert np.allclose(out.paths[("CN-B", *CELL)][1], [4, 6])


@settings(max_examples=60, deadline=None)
@given(arrays(float, (3, 2, 5), elements=st.floats(0, 1e6)), arrays(float, (2, 5), elements=st.floats(0, 1e6)))
def test_reconciled_provinces_add_up_to_the_country(kids: np.ndarray, whole: np.ndarray) -> None:
    history = _history({"CN": [6, 6], "CN-A": [1, 1], "CN-B": [2, 2], "CN-C": [3, 3]})
    paths = _paths({"CN": whole} | {f"CN-{k}": kids[i] for i, k in enumerate("ABC")})
    out = reconcile(paths, history)
    total = sum(out.paths[(f"CN-{k}", *CELL)] for k in "ABC")
    assert np.allclose(total, whole, rtol=1e-9, atol=1e-6)
    positive = kids.sum(axis=0) > 0
    for i, k in enumerate("ABC"):  # each province keeps its share wherever the provinces had any value
        share = np.divide(kids[i], kids.sum(axis=0), where=positive, out=np.zeros_like(whole))
        assert np.allclose(out.paths[(f"CN-{k}", *CELL)][positive], (whole * share)[positive], rtol=1e-9, atol=1e-6)


def test_the_regional_example_adds_up_and_a_province_is_the_same_planned_alone() -> None:
    """On the shipped example every province path adds up to China's; Henan's projected demand is the same
    whether Henan is planned alone or with every province."""
    series = load_series(ASSETS / "cn_regional_example.csv")
    ps = simulate(series, 2030, n_paths=50)
    provinces = ps.calibration["reconciled"]["parents"]["CN"]["provinces"]
    assert len(provinces) == 9 and ps.calibration["reconciled"]["parents"]["CN"]["cells_left"] == []
    for key, whole in ps.paths.items():
        if key[0] == "CN":
            assert np.allclose(sum(ps.paths[(p, *key[1:])] for p in provinces), whole, rtol=1e-12)
    cfg = load_planning()
    alone = build_inputs(cfg, series, region="CN-HA").demand
    every = build_inputs(cfg, series).demand
    every = every[every["region"] == "CN-HA"]
    pd.testing.assert_frame_equal(alone.reset_index(drop=True), every.reset_index(drop=True))


def test_a_province_only_file_is_not_reconciled() -> None:
    series = load_series(ASSETS / "cn_regional_example.csv")
    provinces = series[series["region"] != "CN"]
    assert "reconciled" not in simulate(provinces, 2030, n_paths=20).calibration


def test_the_national_default_is_untouched() -> None:
    assert "reconciled" not in simulate(load_series(), 2030, n_paths=20).calibration


def test_the_report_says_whether_provinces_were_reconciled() -> None:
    from talent.present.report import _provenance

    models = pd.DataFrame({"model": ["auto"], "score": [1.0]})
    def method(cells: int, lang: str = "en") -> str:
        manifest = {"inputs": {}, "calibration": {"reconciled": {"parents": {"CN": {
            "provinces": ["CN-GD", "CN-HA"], "cells_reconciled": cells, "cells_left": ["robotics.applied.demand"]}}}}}
        return _provenance(manifest, models, lang)[1]  # type: ignore[arg-type]

    assert "reconciled with China's: China's simulated paths are shared among its 2 provinces" in method(23)
    assert "(23 cells; 1 left as forecast)" in method(23)
    assert "The 2 provinces of China in the data do not add up to it" in method(0)
    assert "各省预测未与中国协调" in method(0, "zh")
