"""Tests of insight.siting: coverage, exact MCLP and two-tier recommendations."""

from __future__ import annotations

import itertools

import geopandas as gpd
import numpy as np
import pandas as pd
import pulp
import pytest
from scipy import sparse
from scipy.spatial.distance import cdist
from spopt.locate import MCLP

from insight import siting
from insight._errors import CRSError, DataError, InfeasibleError

# A point in Huntingdonshire, British National Grid metres.
E0, N0 = 520_000.0, 270_000.0
RESULT_COLUMNS = [
    "site_id",
    "name",
    "kind",
    "tier",
    "easting",
    "northing",
    "radius_m",
    "demand_covered",
    "demand_covered_first",
    "demand_added",
    "geometry",
]


def _points(offsets: list[tuple[float, float]], crs: str | None = "EPSG:27700", **cols):
    """GeoDataFrame of points at (E0, N0) + offsets (metres), with extra columns."""
    east = [E0 + de for de, _ in offsets]
    north = [N0 + dn for _, dn in offsets]
    return gpd.GeoDataFrame(cols, geometry=gpd.points_from_xy(east, north), crs=crs)


def _brute_force(weights, cover, p, fixed=()):
    """Best covered weight and every optimal selection, by enumeration."""
    free = [j for j in range(cover.shape[1]) if j not in fixed]
    values = {}
    for extra in itertools.combinations(free, p):
        chosen = tuple(sorted((*fixed, *extra)))
        values[chosen] = weights[cover[:, list(chosen)].any(axis=1)].sum()
    best = max(values.values())
    return best, {key for key, value in values.items() if value >= best - 1e-9}


def _value(weights, cover, chosen):
    return weights[cover[:, list(chosen)].any(axis=1)].sum()


# --- coverage_matrix -------------------------------------------------------


@pytest.fixture
def two_sites():
    # A at the origin, B 10 km east.
    return _points([(0, 0), (10_000, 0)], site_id=["A", "B"])


@pytest.fixture
def five_points():
    # Distances to A and B (metres):
    # d0 (3000, 4000): A 5000 exactly, B 8062  -> A only at 5 km
    # d1 (5000.5, 0):  A 5000.5,      B 4999.5 -> B only
    # d2 (5000, 0):    A 5000,        B 5000   -> both (boundary counts)
    # d3 (0, 20000):   A 20000,       B 22361  -> neither
    # d4 (0, 0):       A 0,           B 10000  -> A only (zero distance kept)
    offsets = [(3000, 4000), (5000.5, 0), (5000, 0), (0, 20_000), (0, 0)]
    return _points(offsets, w=[1.0, 2.0, 3.0, 4.0, 5.0])


def test_coverage_matrix_hand_made(five_points, two_sites):
    cover = siting.coverage_matrix(five_points, two_sites, 5_000.0)

    assert isinstance(cover, sparse.csr_array)
    assert cover.dtype == np.bool_
    expected = [[1, 0], [0, 1], [1, 1], [0, 0], [1, 0]]
    np.testing.assert_array_equal(cover.toarray(), np.array(expected, dtype=bool))


def test_coverage_matrix_radius_zero_keeps_coincident_points(five_points, two_sites):
    cover = siting.coverage_matrix(five_points, two_sites, 0.0)

    assert cover.nnz == 1
    assert cover[4, 0]


def test_coverage_matrix_matches_all_pairs_distances():
    rng = np.random.default_rng(42)
    demand = _points([tuple(xy) for xy in rng.uniform(-20_000, 20_000, (400, 2))])
    sites = _points([tuple(xy) for xy in rng.uniform(-20_000, 20_000, (25, 2))])
    distance = cdist(
        np.column_stack([demand.geometry.x, demand.geometry.y]),
        np.column_stack([sites.geometry.x, sites.geometry.y]),
    )

    cover = siting.coverage_matrix(demand, sites, 6_000.0)

    assert 0 < cover.nnz < distance.size
    np.testing.assert_array_equal(cover.toarray(), distance <= 6_000.0)


def test_coverage_matrix_empty_demand(two_sites):
    cover = siting.coverage_matrix(_points([]), two_sites, 5_000.0)

    assert cover.shape == (0, 2)


@pytest.mark.parametrize("which", ["demand", "sites"])
@pytest.mark.parametrize("crs", ["EPSG:4326", None])
def test_coverage_matrix_rejects_other_crs(five_points, two_sites, which, crs):
    frames = {"demand": five_points, "sites": two_sites}
    frame = frames[which]
    frames[which] = (
        frame.to_crs(crs) if crs else frame.set_crs(None, allow_override=True)
    )

    with pytest.raises(CRSError, match=rf"`{which}`.*to_crs\(\"EPSG:27700\"\)"):
        siting.coverage_matrix(frames["demand"], frames["sites"], 5_000.0)


def test_coverage_matrix_rejects_polygons(five_points, two_sites):
    with pytest.raises(DataError, match="`sites` needs non-empty point"):
        siting.coverage_matrix(five_points, two_sites.buffer(10).to_frame(), 5_000.0)


# --- solve_maximal_covering: hand-made ---------------------------------------

# Four demand points a, b, c, d with weights 5, 6, 6, 5 and three sites:
#   site 0 covers {a, b} = 11, site 1 covers {b, c} = 12, site 2 covers {c, d} = 11.
# p=1: site 1 alone is best (12).
# p=2: greedy takes site 1 then adds 5 (a or d) = 17, but {0, 2} covers all = 22.
# p=1 with site 1 fixed: {0, 1} and {1, 2} both cover 17, a tie -> lower index 0.
HAND_WEIGHTS = np.array([5.0, 6.0, 6.0, 5.0])
HAND_COVER = np.array(
    [[1, 0, 0], [1, 1, 0], [0, 1, 1], [0, 0, 1]],
    dtype=bool,
)


@pytest.mark.parametrize(
    ("p", "fixed", "selected", "objective"),
    [
        (0, (), (), 0.0),
        (1, (), (1,), 12.0),
        (2, (), (0, 2), 22.0),
        (3, (), (0, 1, 2), 22.0),
        (1, (1,), (0, 1), 17.0),
        (0, (2,), (2,), 11.0),
    ],
)
def test_solve_hand_made(p, fixed, selected, objective):
    solution = siting.solve_maximal_covering(HAND_WEIGHTS, HAND_COVER, p, fixed)

    assert solution.selected == selected
    assert solution.objective == pytest.approx(objective)
    assert solution.total_weight == pytest.approx(22.0)
    assert solution.share_covered == pytest.approx(objective / 22.0)
    expected_covered = HAND_COVER[:, list(selected)].any(axis=1)
    np.testing.assert_array_equal(solution.covered, expected_covered)


def test_solve_status_and_read_only_result():
    solved = siting.solve_maximal_covering(HAND_WEIGHTS, HAND_COVER, 2)
    trivial = siting.solve_maximal_covering(HAND_WEIGHTS, HAND_COVER, 0)

    assert solved.status == "optimal"
    assert trivial.status == "optimal (no choice left)"
    assert not solved.covered.flags.writeable


def test_solve_accepts_sparse_input_and_drops_uncoverable_rows():
    # Row 4 (weight 100) has no covering site: it counts in the total only.
    weights = np.append(HAND_WEIGHTS, 100.0)
    cover = sparse.csr_array(np.vstack([HAND_COVER, np.zeros((1, 3), dtype=bool)]))

    solution = siting.solve_maximal_covering(weights, cover, 2)

    assert solution.selected == (0, 2)
    assert solution.objective == pytest.approx(22.0)
    assert solution.total_weight == pytest.approx(122.0)
    assert solution.share_covered == pytest.approx(22.0 / 122.0)
    assert not solution.covered[4]


@pytest.mark.parametrize(("best_pair", "expected"), [((0, 2), (0,)), ((1, 2), (1,))])
def test_solve_ties_go_to_lower_index(best_pair, expected):
    # Two identical best columns (covering weights 3 + 4); the other covers 5.
    cover = np.zeros((3, 3), dtype=bool)
    cover[:2, list(best_pair)] = True
    other = ({0, 1, 2} - set(best_pair)).pop()
    cover[2, other] = True

    solution = siting.solve_maximal_covering([3.0, 4.0, 5.0], cover, 1)

    assert solution.selected == expected


def test_solve_zero_weights_and_no_rows():
    zero = siting.solve_maximal_covering(np.zeros(4), HAND_COVER, 2)
    empty = siting.solve_maximal_covering(np.zeros(0), np.zeros((0, 3), bool), 2)

    assert zero.selected == (0, 1)
    assert zero.share_covered == 0.0
    assert empty.selected == (0, 1)
    assert empty.covered.shape == (0,)


@pytest.mark.parametrize(
    ("weights", "cover", "p", "fixed", "match"),
    [
        (HAND_WEIGHTS, HAND_COVER, -1, (), "p=-1"),
        (HAND_WEIGHTS, HAND_COVER, 3, (0,), "p=3 new sites besides 1 fixed"),
        (HAND_WEIGHTS, HAND_COVER, 4, (), "need 0 <= p <= 3"),
        ([5.0, -6.0, 6.0, 5.0], HAND_COVER, 1, (), "non-negative"),
        ([5.0, np.nan, 6.0, 5.0], HAND_COVER, 1, (), "finite"),
        (HAND_WEIGHTS[:3], HAND_COVER, 1, (), r"shape \(3,\).*shape \(4, 3\)"),
        (HAND_WEIGHTS, HAND_COVER[0], 1, (), "must be 2-D"),
        (HAND_WEIGHTS, HAND_COVER, 1, (3,), "outside 0..2"),
        (HAND_WEIGHTS, HAND_COVER, 1, (1, 1), "repeats"),
        (HAND_WEIGHTS, HAND_COVER, 1.5, (), "`p` must be an integer"),
    ],
)
def test_solve_rejects_bad_input(weights, cover, p, fixed, match):
    with pytest.raises(InfeasibleError, match=match):
        siting.solve_maximal_covering(weights, cover, p, fixed)


# --- solve_maximal_covering: random instances against brute force --------------


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("p", range(5))
@pytest.mark.parametrize("fixed", [(), (3,), (0, 6)])
def test_solve_equals_brute_force(seed, p, fixed):
    # Small integer weights make ties common, so the tie rule is exercised.
    rng = np.random.default_rng(seed)
    weights = rng.integers(0, 10, size=12).astype(float)
    cover = rng.random((12, 7)) < 0.3

    solution = siting.solve_maximal_covering(weights, cover, p, fixed)
    best, optimal = _brute_force(weights, cover, p, fixed)

    assert solution.objective == pytest.approx(best, rel=1e-12, abs=1e-12)
    assert solution.selected in optimal
    assert set(fixed) <= set(solution.selected)
    np.testing.assert_array_equal(
        solution.covered, cover[:, list(solution.selected)].any(axis=1)
    )

    # Tie rule: no open site can move to a lower closed index without loss.
    free = sorted(set(solution.selected) - set(fixed))
    for s, j in itertools.product(free, range(7)):
        if j < s and j not in solution.selected:
            swapped = (set(solution.selected) - {s}) | {j}
            assert _value(weights, cover, swapped) < best


@pytest.mark.parametrize("seed", range(4))
def test_solve_does_not_depend_on_row_order(seed):
    rng = np.random.default_rng(100 + seed)
    weights = rng.integers(1, 4, size=30).astype(float)
    cover = rng.random((30, 9)) < 0.25
    order = rng.permutation(30)

    first = siting.solve_maximal_covering(weights, cover, 3)
    permuted = siting.solve_maximal_covering(weights[order], cover[order], 3)

    assert permuted.selected == first.selected
    np.testing.assert_array_equal(permuted.covered, first.covered[order])


# --- the embedded Huntingdonshire data ---------------------------------------


# `postcodes` and `sites` (the embedded data) come from conftest.py.
@pytest.fixture(scope="module")
def demand(postcodes):
    live = (postcodes["status"] == "live") & (postcodes["residents"] > 0)
    return postcodes[live].reset_index(drop=True)


def _xy(frame):
    return np.column_stack([frame.geometry.x, frame.geometry.y])


def test_default_data_matches_spopt_cbc_and_brute_force(demand, sites):
    weights = demand["residents"].to_numpy()
    cost = cdist(_xy(demand), _xy(sites))
    cover = siting.coverage_matrix(demand, sites, 5_000.0)

    ours = siting.solve_maximal_covering(weights, cover, 3)
    model = MCLP.from_cost_matrix(cost, weights, service_radius=5_000.0, p_facilities=3)
    model = model.solve(pulp.PULP_CBC_CMD(msg=False))
    theirs = tuple(j for j, var in enumerate(model.fac_vars) if var.value() > 0.5)
    best, optimal = _brute_force(weights, cost <= 5_000.0, 3)

    np.testing.assert_array_equal(cover.toarray(), cost <= 5_000.0)
    assert 0 < ours.share_covered < 1
    assert ours.objective == pytest.approx(
        pulp.value(model.problem.objective), rel=1e-9
    )
    assert ours.objective == pytest.approx(best, rel=1e-9)
    assert ours.selected in optimal
    assert theirs in optimal
    if len(optimal) == 1:
        assert ours.selected == theirs


@pytest.fixture(scope="module")
def recommended(demand, sites):
    return siting.recommend_sites(
        demand, sites, weight="residents", p_outlets=2, k_pods=3
    )


def test_recommend_default_tiers(recommended, sites):
    existing = set(sites.loc[sites["existing_centre"], "site_id"])

    assert list(recommended.columns) == RESULT_COLUMNS
    assert recommended.crs.to_epsg() == 27700
    assert len(existing) == 4
    tiers = recommended.set_index("site_id")["tier"]
    assert set(tiers[tiers == "existing_centre"].index) == existing
    assert recommended["tier"].value_counts().to_dict() == {
        "existing_centre": 4,
        "pod": 3,
        "outlet": 2,
    }
    assert recommended["site_id"].is_unique
    is_pod = recommended["tier"] == "pod"
    assert recommended.loc[is_pod, "kind"].isin(siting.POD_KINDS).all()
    assert recommended.loc[~is_pod, "kind"].isin(siting.OUTLET_KINDS).all()
    assert (recommended.loc[is_pod, "radius_m"] == 3_000.0).all()
    assert (recommended.loc[~is_pod, "radius_m"] == 8_000.0).all()


def test_recommend_default_figures(recommended, demand):
    attrs = recommended.attrs
    weights = demand["residents"].to_numpy()

    assert attrs["weight_column"] == "residents"
    assert attrs["total_weight"] == pytest.approx(weights.sum())
    assert 0 < attrs["share_covered_outlets_only"] <= attrs["share_covered"] < 1
    assert attrs["share_covered"] == pytest.approx(
        attrs["covered_weight"] / attrs["total_weight"]
    )
    assert recommended["demand_covered_first"].sum() == pytest.approx(
        attrs["covered_weight"]
    )
    outlets_first = recommended.loc[
        recommended["tier"] != "pod", "demand_covered_first"
    ]
    assert outlets_first.sum() == pytest.approx(
        attrs["share_covered_outlets_only"] * attrs["total_weight"]
    )
    assert (recommended["demand_covered"] >= recommended["demand_covered_first"]).all()
    np.testing.assert_allclose(recommended["easting"], recommended.geometry.x)

    # demand_covered, recomputed with shapely distances.
    for row in recommended.itertuples():
        near = demand.distance(row.geometry) <= row.radius_m
        assert row.demand_covered == pytest.approx(weights[near.to_numpy()].sum())


def test_recommend_share_grows_with_pods(demand, sites):
    shares = [
        siting.recommend_sites(
            demand, sites, weight="residents", p_outlets=1, k_pods=k
        ).attrs["share_covered"]
        for k in range(5)
    ]

    assert all(b >= a - 1e-12 for a, b in itertools.pairwise(shares))
    assert shares[-1] > shares[0]


def test_recommend_without_keeping_existing(demand, sites):
    chosen = siting.recommend_sites(
        demand, sites, weight="residents", p_outlets=3, k_pods=2, keep_existing=False
    )
    kept = siting.recommend_sites(
        demand, sites, weight="residents", p_outlets=0, k_pods=2
    )

    assert chosen["tier"].isin(["existing_centre", "outlet"]).sum() == 3
    assert (chosen["tier"] == "pod").sum() == 2
    # Outlets alone: the free choice is the exact 3-outlet optimum, and with
    # p_outlets=0 the four existing centres are all there is.
    weights = demand["residents"].to_numpy()
    tier1 = sites[sites["kind"].isin(siting.OUTLET_KINDS)]
    cover = siting.coverage_matrix(demand, tier1, 8_000.0)
    best3 = siting.solve_maximal_covering(weights, cover, 3)
    assert chosen.attrs["share_covered_outlets_only"] == pytest.approx(
        best3.share_covered, rel=1e-9
    )
    assert kept.attrs["share_covered_outlets_only"] == pytest.approx(
        _value(weights, cover.toarray(), np.flatnonzero(tier1["existing_centre"]))
        / weights.sum()
    )


@pytest.mark.parametrize("which", ["demand", "sites"])
def test_recommend_rejects_wgs84(demand, sites, which):
    frames = {"demand": demand, "sites": sites}
    frames[which] = frames[which].to_crs("EPSG:4326")

    with pytest.raises(CRSError, match=rf"`{which}` is in .*4326.*to_crs"):
        siting.recommend_sites(
            frames["demand"], frames["sites"], weight="residents", p_outlets=1, k_pods=1
        )


# --- recommend_sites: hand-made two-tier instance ----------------------------

# Sites (offsets in metres from E0, N0):
#   S0 customer service centre, existing, at (0, 0)
#   S1 library (20000, 0); S2 library (0, 10000)
#   S3 GP (1000, 0); S4 GP (0, -12000)
# Demand (weight):
#   D0 (500, 0) 100     -> S0 (0.5 km), S3 (0.5 km)
#   D1 (20000, 1000) 50 -> S1 (1 km)
#   D2 (0, 11000) 30    -> S2 (1 km)
#   D3 (0, -12500) 10   -> S4 (0.5 km); 12.5 km from S0
#   D4 (40000, 40000) 7 -> nothing
#   D5 (0, 7500) 8      -> S0 (7.5 km), S2 (2.5 km)
# Total 205. Outlet radius 8 km, pod radius 3 km.
# keep_existing, p=1, k=1:
#   tier 1: S0 fixed covers D0 + D5 = 108; S1 adds 50, S2 adds 30 -> S1.
#           Outlets cover 158.
#   tier 2: candidates S2, S3, S4. S2 adds D2 = 30 (D5 already covered),
#           S3 adds 0, S4 adds 10 -> S2. Total covered 188.
#   Credit: D5 is nearer S2 but goes to S0, because outlets come first.
# not keep_existing, p=1, k=1:
#   tier 1: S0 108, S1 50, S2 38 (D2 + D5) -> S0, labelled existing_centre.
#   tier 2: candidates S1 (library, unused), S2, S3, S4: S1 adds 50 -> S1.
HAND_SITES = {
    "offsets": [(0, 0), (20_000, 0), (0, 10_000), (1_000, 0), (0, -12_000)],
    "site_id": ["S0", "S1", "S2", "S3", "S4"],
    "name": ["Centre", "East Library", "North Library", "Near GP", "South GP"],
    "kind": [
        "customer_service_centre",
        "library",
        "library",
        "gp_surgery",
        "gp_surgery",
    ],
    "existing_centre": [True, False, False, False, False],
}
HAND_DEMAND = {
    "offsets": [
        (500, 0),
        (20_000, 1_000),
        (0, 11_000),
        (0, -12_500),
        (40_000, 40_000),
        (0, 7_500),
    ],
    "need": [100.0, 50.0, 30.0, 10.0, 7.0, 8.0],
}


@pytest.fixture
def hand_sites():
    return _points(**HAND_SITES)


@pytest.fixture
def hand_demand():
    return _points(**HAND_DEMAND)


def _recommend(hand_demand, hand_sites, **kwargs):
    options = {"weight": "need", "p_outlets": 1, "k_pods": 1}
    options |= {"outlet_radius_m": 8_000.0, "pod_radius_m": 3_000.0} | kwargs
    return siting.recommend_sites(hand_demand, hand_sites, **options)


def test_recommend_hand_made(hand_demand, hand_sites):
    result = _recommend(hand_demand, hand_sites)

    expected = pd.DataFrame(
        {
            "site_id": ["S0", "S1", "S2"],
            "tier": ["existing_centre", "outlet", "pod"],
            "easting": [E0, E0 + 20_000, E0],
            "northing": [N0, N0, N0 + 10_000],
            "radius_m": [8_000.0, 8_000.0, 3_000.0],
            "demand_covered": [108.0, 50.0, 38.0],
            "demand_covered_first": [108.0, 50.0, 30.0],
        }
    )
    pd.testing.assert_frame_equal(
        pd.DataFrame(result[expected.columns]), expected, check_dtype=False
    )
    assert result.attrs["total_weight"] == pytest.approx(205.0)
    assert result.attrs["covered_weight"] == pytest.approx(188.0)
    assert result.attrs["share_covered"] == pytest.approx(188.0 / 205.0)
    assert result.attrs["share_covered_outlets_only"] == pytest.approx(158.0 / 205.0)


def test_recommend_hand_made_existing_not_kept(hand_demand, hand_sites):
    result = _recommend(hand_demand, hand_sites, keep_existing=False)

    assert result["site_id"].tolist() == ["S0", "S1"]
    assert result["tier"].tolist() == ["existing_centre", "pod"]
    assert result["demand_covered_first"].tolist() == pytest.approx([108.0, 50.0])
    assert result.attrs["covered_weight"] == pytest.approx(158.0)


def test_recommend_hand_made_no_pods(hand_demand, hand_sites):
    result = _recommend(hand_demand, hand_sites, p_outlets=0, k_pods=0)

    assert result["site_id"].tolist() == ["S0"]
    assert result.attrs["share_covered"] == pytest.approx(108.0 / 205.0)


def test_recommend_hand_made_pods_only_at_libraries_and_gps(hand_demand, hand_sites):
    # No outlets: the centre S0 and GP S3 both reach D0 (100) within 3 km,
    # but a centre cannot host a pod, so S3 is chosen.
    result = _recommend(
        hand_demand, hand_sites, p_outlets=0, k_pods=1, keep_existing=False
    )

    assert result["site_id"].tolist() == ["S3"]
    assert result.attrs["covered_weight"] == pytest.approx(100.0)
    assert result.attrs["share_covered_outlets_only"] == 0.0


def test_recommend_hand_made_nothing_chosen(hand_demand, hand_sites):
    result = _recommend(
        hand_demand, hand_sites, p_outlets=0, k_pods=0, keep_existing=False
    )

    assert list(result.columns) == RESULT_COLUMNS
    assert len(result) == 0
    assert result.attrs["covered_weight"] == 0.0
    assert result.attrs["total_weight"] == pytest.approx(205.0)


def test_recommend_credits_nearest_pod():
    # A point of weight 9 at the origin; the centre is 50 km away, so only
    # pods cover it: GP "far" 2 km away (listed first) and GP "near" 1 km away.
    # Two points of weight 1 give each GP some coverage of its own (within
    # 3 km of one GP only), so neither is left out as adding nothing.
    sites = _points(
        [(50_000, 0), (2_000, 0), (0, 1_000)],
        site_id=["C", "far", "near"],
        name=["Centre", "Far GP", "Near GP"],
        kind=["customer_service_centre", "gp_surgery", "gp_surgery"],
        existing_centre=[True, False, False],
    )
    demand = _points([(0, 0), (4_500, 0), (0, 3_500)], need=[9.0, 1.0, 1.0])

    result = _recommend(demand, sites, p_outlets=0, k_pods=2)

    assert result["site_id"].tolist() == ["C", "far", "near"]
    assert result["demand_covered"].tolist() == pytest.approx([0.0, 10.0, 10.0])
    assert result["demand_covered_first"].tolist() == pytest.approx([0.0, 1.0, 10.0])
    assert result["demand_added"].tolist() == pytest.approx([0.0, 1.0, 1.0])


def test_recommend_leaves_out_sites_that_add_nothing():
    # Both GPs reach the only point; the second pod would add nothing, so it is
    # left out and named, and the covered weight stays 9.
    sites = _points(
        [(50_000, 0), (2_000, 0), (0, 1_000)],
        site_id=["C", "far", "near"],
        name=["Centre", "Far GP", "Near GP"],
        kind=["customer_service_centre", "gp_surgery", "gp_surgery"],
        existing_centre=[True, False, False],
    )
    demand = _points([(0, 0)], need=[9.0])

    result = _recommend(demand, sites, p_outlets=0, k_pods=2)

    assert result["site_id"].tolist() == ["C", "far"]
    assert result.attrs["sites_without_gain"] == ["Near GP"]
    assert result.attrs["covered_weight"] == pytest.approx(9.0)
    assert result.attrs["pods_requested"] == 2


@pytest.mark.parametrize(
    ("change", "error", "match"),
    [
        ({"weight": "residents"}, DataError, "'residents' is not a column"),
        ({"p_outlets": 3}, InfeasibleError, r"`p_outlets`=3 but only 2"),
        ({"p_outlets": -1}, InfeasibleError, r"`p_outlets`=-1"),
        ({"k_pods": 4}, InfeasibleError, r"`k_pods`=4 but only 3"),
        ({"pod_radius_m": -5.0}, DataError, r"`pod_radius_m` must be >= 0"),
    ],
)
def test_recommend_rejects_bad_arguments(hand_demand, hand_sites, change, error, match):
    with pytest.raises(error, match=match):
        _recommend(hand_demand, hand_sites, **change)


def test_recommend_rejects_bad_frames(hand_demand, hand_sites):
    negative = hand_demand.assign(need=[-1.0, 50.0, 30.0, 10.0, 7.0, 8.0])
    with pytest.raises(DataError, match=r"`demand\['need'\]`.*non-negative"):
        _recommend(negative, hand_sites)

    with pytest.raises(DataError, match=r"`sites` lacks columns \['kind'\]"):
        _recommend(hand_demand, hand_sites.drop(columns="kind"))

    repeated = hand_sites.assign(site_id=["S0", "S1", "S1", "S3", "S4"])
    with pytest.raises(DataError, match="repeats"):
        _recommend(hand_demand, repeated)

    no_crs = hand_demand.set_crs(None, allow_override=True)
    with pytest.raises(CRSError, match="`demand` has no CRS"):
        _recommend(no_crs, hand_sites)
