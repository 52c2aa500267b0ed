"""The exclusion index, worked out by hand on three wards."""

from __future__ import annotations

import pandas as pd
import pytest

from insight._errors import DataError
from insight.exclusion import INDICATORS, contributions, score_exclusion_risk


@pytest.fixture
def wards():
    # Ward C is highest on everything, A lowest; B is half-way on age only.
    frame = pd.DataFrame(
        {name: [0.0, 0.0, 1.0] for name in INDICATORS}, index=[10, 11, 12]
    )
    frame["share_aged_75_plus"] = [0.05, 0.10, 0.15]
    return frame


def test_equal_weights(wards):
    index = score_exclusion_risk(wards)
    assert list(index.index) == [10, 11, 12]
    assert index[10] == pytest.approx(0.0)
    assert index[12] == pytest.approx(100.0)
    assert index[11] == pytest.approx(100 * 0.5 / 6)


def test_weights_are_normalised(wards):
    only_age = {"share_aged_75_plus": 3.0}
    assert score_exclusion_risk(wards, only_age)[11] == pytest.approx(50.0)


def test_contributions_sum_to_index(wards):
    weights = {name: i + 1.0 for i, name in enumerate(INDICATORS)}
    parts = contributions(wards, weights)
    assert parts.sum(axis=1).to_numpy() == pytest.approx(
        score_exclusion_risk(wards, weights).to_numpy()
    )


@pytest.mark.parametrize(
    "weights",
    [{"share_aged_75_plus": -1.0}, dict.fromkeys(INDICATORS, 0.0), {"shoe_size": 1}],
)
def test_bad_weights(wards, weights):
    with pytest.raises(DataError):
        score_exclusion_risk(wards, weights)


def test_default_data_ranks_huntingdon_north_highest(default_analysis):
    wards = default_analysis.wards.set_index("ward_name")
    assert wards["exclusion_index"].between(0, 100).all()
    assert wards["exclusion_index"].idxmax() == "Huntingdon North"


def test_a_missing_indicator_is_left_out_not_scored_as_low(wards):
    wards.loc[12, "imd_score_2025"] = float("nan")
    with pytest.warns(UserWarning, match="imd_score_2025"):
        index = score_exclusion_risk(wards)
    # Ward 12 is highest on the five indicators it has: 100, not 5/6 x 100.
    assert index[12] == pytest.approx(100.0)
    assert index[11] == pytest.approx(100 * 0.5 / 6)  # ward 11 has all six
