from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from insight.privacy import suppress_small_counts

PARTS = list("abcde")


def test_small_counts_blanked_and_derived_follow():
    frame = pd.DataFrame({"n": [0, 1, 4, 5, 120], "rate": [0.0, 0.1, 0.4, 0.5, 12.0]})
    out = suppress_small_counts(frame, ["n"], derived={"rate": ["n"]})
    assert out["n"].isna().tolist() == [False, True, True, False, False]
    assert out["rate"].isna().tolist() == [False, True, True, False, False]
    assert out["n"].iloc[0] == 0 and out["n"].iloc[3] == 5
    assert frame["n"].iloc[1] == 1  # input untouched


def test_a_lone_blank_cannot_be_worked_out_from_the_total():
    # Ward 0: 60 contacts = 30 + 13 + 5 + 8 + 4. The 4 is blanked, and so must be
    # the next smallest (5), or 60 - 30 - 13 - 5 - 8 would give it away. Columns
    # c and e then hold one blank each (district totals are published), so
    # ward 1's c (100) and e (50) go too; ward 1's row then has two blanks.
    frame = pd.DataFrame(
        {
            "total": [60, 500],
            "a": [30, 200],
            "b": [13, 100],
            "c": [5, 100],
            "d": [8, 51],
            "e": [4, 50],
        }
    )
    out = suppress_small_counts(frame, ["total", *PARTS], total="total")
    assert out.isna().to_numpy().tolist() == [
        [False, False, False, True, False, True],
        [False, False, False, True, False, True],
    ]


def _is_safe(blank: np.ndarray, values: np.ndarray) -> bool:
    """No line has one blank, or blanks adding to less than 5."""
    for lines, numbers in ((blank, values), (blank.T, values.T)):
        for cells, line in zip(lines, numbers, strict=True):
            count = cells.sum()
            if count == 1 or (count > 1 and line[cells].sum() < 5):
                return False
    return True


@pytest.mark.parametrize("seed", range(8))
def test_no_line_gives_a_blank_away(seed):
    rng = np.random.default_rng(seed)
    parts = pd.DataFrame(rng.poisson(5, size=(26, 5)), columns=PARTS)
    frame = parts.assign(total=parts.sum(axis=1))[["total", *PARTS]]
    out = suppress_small_counts(frame, list(frame.columns), total="total")
    blank = out.isna().to_numpy()
    assert _is_safe(blank, frame.to_numpy())
    # Every primary blank is still blank, and every cell left is the original.
    small = frame.apply(lambda c: c.between(1, 4)).to_numpy()
    assert blank[small].all()
    assert (out.to_numpy()[~blank] == frame.to_numpy()[~blank]).all()


def test_a_ward_total_alone_is_protected_by_the_district_total():
    # Ward 2 has 3 contacts in all; its parts are blank by the primary rule,
    # but its total must not be recoverable as the district total minus others.
    frame = pd.DataFrame({"total": [100, 90, 3], "a": [60, 50, 2], "b": [40, 40, 1]})
    out = suppress_small_counts(frame, ["total", "a", "b"], total="total")
    assert out["total"].isna().sum() >= 2


@pytest.mark.parametrize(
    ("basis", "covered", "total", "shown"),
    [
        ("assisted_contacts", 1, 27, None),  # 1 of 27 contacts: one person
        ("assisted_contacts", 26, 27, None),  # one left uncovered
        ("assisted_contacts", 22, 27, 22 / 27),
        ("assisted_contacts", 0, 27, 0.0),
        ("need", 1, 27, 1 / 27),  # risk-weighted residents are no counts
    ],
)
def test_shares_covered_that_give_a_small_count_away(basis, covered, total, shown):
    import geopandas as gpd

    from insight.analysis import publishable_sites_share

    sites = gpd.GeoDataFrame({"tier": []})
    sites.attrs = {
        "demand_basis": basis,
        "total_weight": float(total),
        "covered_weight": float(covered),
        "share_covered": covered / total,
    }
    result = publishable_sites_share(sites)
    assert result == (None if shown is None else pytest.approx(shown))
