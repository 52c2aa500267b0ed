from __future__ import annotations

import pandas as pd

from insight.privacy import suppress_small_counts


def test_small_counts_blanked_and_derived_follow():
    frame = pd.DataFrame({"n": [0, 1, 4, 5, 120], "rate": [0.0, 0.1, 0.4, 0.5, 12.0]})
    out = suppress_small_counts(frame, ["n"], derived={"rate": "n"})
    assert out["n"].isna().tolist() == [False, True, True, False, False]
    assert out["rate"].isna().tolist() == [False, True, True, False, False]
    assert out["n"].iloc[0] == 0 and out["n"].iloc[3] == 5
    assert frame["n"].iloc[1] == 1  # input untouched
