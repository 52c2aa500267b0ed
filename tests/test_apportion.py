"""Carrying LSOA figures to wards on a hand-made example."""

from __future__ import annotations

import pandas as pd
import pytest

from insight._errors import DataError
from insight.apportion import apportion_counts, apportion_means, derive_pair_weights


@pytest.fixture
def postcodes():
    # LSOA A: 3 residents in ward W1, 1 in W2. LSOA B: 2 residents, all in W2.
    return pd.DataFrame(
        {
            "postcode": ["a1", "a2", "a3", "b1"],
            "lsoa": ["A", "A", "A", "B"],
            "ward_code": ["W1", "W1", "W2", "W2"],
            "residents": [2.0, 1.0, 1.0, 2.0],
        }
    )


def test_weights_split_each_area(postcodes):
    weights = derive_pair_weights(postcodes, "lsoa").set_index(["area", "ward"])
    assert weights.loc[("A", "W1"), "weight"] == pytest.approx(0.75)
    assert weights.loc[("A", "W2"), "weight"] == pytest.approx(0.25)
    assert weights.loc[("B", "W2"), "weight"] == pytest.approx(1.0)


def test_counts_are_conserved(postcodes):
    weights = derive_pair_weights(postcodes, "lsoa")
    values = pd.DataFrame({"lsoa": ["A", "B"], "people": [100.0, 40.0]})
    wards = apportion_counts(values, weights, "lsoa")
    assert wards.loc["W1", "people"] == pytest.approx(75.0)
    assert wards.loc["W2", "people"] == pytest.approx(25.0 + 40.0)
    assert wards["people"].sum() == pytest.approx(140.0)


def test_means_weigh_by_residents_carried(postcodes):
    weights = derive_pair_weights(postcodes, "lsoa")
    values = pd.DataFrame({"lsoa": ["A", "B"], "score": [10.0, 40.0]})
    wards = apportion_means(values, weights, "lsoa")
    # W2 carries 1 resident of A (score 10) and 2 of B (score 40): (10 + 80) / 3.
    assert wards.loc["W2", "score"] == pytest.approx(30.0)
    assert wards.loc["W1", "score"] == pytest.approx(10.0)


def test_missing_values_for_an_area_are_an_error(postcodes):
    weights = derive_pair_weights(postcodes, "lsoa")
    with pytest.raises(DataError, match="no values"):
        apportion_counts(pd.DataFrame({"lsoa": ["A"], "x": [1.0]}), weights, "lsoa")


def test_area_without_residents_is_an_error(postcodes):
    postcodes.loc[3, "residents"] = 0.0
    with pytest.raises(DataError, match="B"):
        derive_pair_weights(postcodes, "lsoa")
