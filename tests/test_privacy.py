from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from insight.privacy import suppress_small_counts


def test_small_counts_blanked_and_derived_follow():
    frame = pd.DataFrame({"n": [0, 1, 4, 5, 120], "rate": [0.0, 0.1, 0.4, 0.5, 12.0]})
    out = suppress_small_counts(frame, ["n"], derived={"rate": "n"})
    assert out["n"].isna().tolist() == [False, True, True, False, False]
    assert out["rate"].isna().tolist() == [False, True, True, False, False]
    assert out["n"].iloc[0] == 0 and out["n"].iloc[3] == 5
    assert frame["n"].iloc[1] == 1  # input untouched


def test_a_lone_blank_cannot_be_worked_out_from_the_total():
    # Alconbury: 60 contacts = 30 + 13 + 5 + 8 + 4. The 4 is blanked; so must
    # be the next smallest (5), or 60 - 30 - 13 - 5 - 8 would give it away.
    frame = pd.DataFrame(
        {
            "total": [60, 500],
            "a": [30, 200],
            "b": [13, 100],
            "c": [5, 100],
            "d": [8, 50],
            "e": [4, 50],
        }
    )
    out = suppress_small_counts(
        frame, ["total", "a", "b", "c", "d", "e"], total="total"
    )
    assert out.loc[0].isna().tolist() == [False, False, False, True, False, True]
    # Column e now has one blank in its column: a second row's cell goes too.
    assert out["e"].isna().sum() != 1


@pytest.mark.parametrize("seed", range(6))
def test_no_published_line_keeps_exactly_one_blank(seed):
    rng = np.random.default_rng(seed)
    parts = pd.DataFrame(rng.poisson(6, size=(26, 5)), columns=list("abcde"))
    frame = parts.assign(total=parts.sum(axis=1))
    out = suppress_small_counts(frame, ["total", *"abcde"], total="total")
    blank = out[list("abcde")].isna()
    published_rows = out["total"].notna()
    assert not (blank[published_rows].sum(axis=1) == 1).any()
    assert not (blank.sum(axis=0) == 1).any()
    # Every primary blank is still blank, and every cell left is the original.
    small = parts.apply(lambda c: c.between(1, 4))
    assert blank[small].all().all()
    kept = ~blank
    assert (out[list("abcde")][kept] == parts[kept]).all().all()
