"""Contacts per ward on hand-made and default data."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box

from insight.demand import count_contacts_by_ward, summarise_channels, summarise_demand


@pytest.fixture
def two_wards():
    return gpd.GeoDataFrame(
        {
            "ward_code": ["W1", "W2"],
            "ward_name": ["One", "Two"],
            "residents": [2000.0, 500.0],
        },
        geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1)],
        crs="EPSG:27700",
    )


@pytest.fixture
def contacts():
    return pd.DataFrame(
        {
            "ward_code": ["W1", "W1", "W1", "W2"],
            "channel": ["phone", "web_form", "face_to_face", "email"],
            "service": ["council_tax", "planning", "housing", "housing"],
            "resolved_first_contact": [True, True, False, pd.NA],
            "avoidable": [True, False, False, True],
        }
    )


def test_counts_rates_and_shares(two_wards, contacts):
    wards = summarise_demand(contacts, two_wards).set_index("ward_code")
    assert wards.loc["W1", "contacts_total"] == 3
    assert wards.loc["W1", "contacts_phone"] == 1
    assert wards.loc["W2", "contacts_email"] == 1
    assert wards.loc["W2", "contacts_phone"] == 0
    assert wards.loc["W1", "contacts_per_1000"] == pytest.approx(1.5)
    assert wards.loc["W2", "contacts_per_1000"] == pytest.approx(2.0)
    assert wards.loc["W1", "assisted_share"] == pytest.approx(2 / 3)
    assert wards.loc["W1", "avoidable_share"] == pytest.approx(1 / 3)
    assert wards.crs.to_epsg() == 27700


def test_by_service_has_every_service(two_wards, contacts):
    table = count_contacts_by_ward(contacts, two_wards, by="service")
    assert table.loc["W2", "housing"] == 1
    assert table.loc["W2", "elections"] == 0
    assert table.to_numpy().sum() == 4


def test_channel_summary(contacts):
    table = summarise_channels(contacts)
    assert table.loc["phone", "contacts"] == 1
    assert table["share"].sum() == pytest.approx(1.0)
    assert table.loc["automated_payment", "contacts"] == 0


def test_default_ward_totals_equal_used_contacts(default_analysis):
    wards = default_analysis.wards
    assert len(wards) == 26
    assert wards["contacts_total"].sum() == default_analysis.import_report.rows_used
    assert (
        default_analysis.channels["contacts"].sum()
        == default_analysis.import_report.rows_used
    )
