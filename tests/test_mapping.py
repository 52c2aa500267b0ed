"""Ward maps draw whatever suppression leaves of the values."""

from __future__ import annotations

from itertools import pairwise

import numpy as np
import pytest

from insight.mapping import class_edges, make_ward_map


@pytest.mark.parametrize(
    "values",
    [
        [np.nan] * 26,
        [7.0] + [np.nan] * 25,
        [3.0] * 26,
        [1.0, 2.0] * 13,
        list(range(26)),
    ],
    ids=["all-missing", "one-known", "all-equal", "two-values", "spread"],
)
def test_map_draws_any_values(wards, values):
    shown = wards.assign(value=values)
    edges = class_edges(shown["value"])
    assert all(b > a for a, b in pairwise(edges))
    html = make_ward_map(shown, "value", label="Test value").get_root().render()
    assert all(name in html for name in wards["ward_name"].str.replace("&", "\\u0026"))


def test_legend_names_suppressed_values(wards):
    shown = wards.assign(value=[np.nan, *range(25)])
    html = make_ward_map(shown, "value", label="Contacts").get_root().render()
    assert "suppressed / no data" in html and "Contacts" in html


def _legend(fmap):
    (legend,) = [c for c in fmap._children.values() if c._name == "Legend"]
    return legend.content


def test_legend_keys_the_site_tiers_drawn(wards, default_analysis):
    sites = default_analysis.sites
    legend = _legend(make_ward_map(wards, "residents", label="R", sites=sites))
    assert "Existing customer service centre" in legend
    assert "reach (straight line)" in legend
    pods = sites[sites["tier"] == "pod"]
    legend = _legend(make_ward_map(wards, "residents", label="R", sites=pods))
    keys = legend.split("<b>Sites</b>")[1]
    assert "Self-service pod" in keys and "Existing" not in keys
    assert "<b>Sites</b>" not in _legend(make_ward_map(wards, "residents", label="R"))
