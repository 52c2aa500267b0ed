r"""Where should help be? Choose outlets and pods that cover need-weighted demand.

Method
------
The council picks ``p`` staffed face-to-face outlets and ``k`` self-service
pods from candidate sites so that as much demand as possible lies within a
straight-line radius of a chosen site. This is the maximal covering location
problem (MCLP) of Church and ReVelle (1974):

.. math::

    \max \sum_i w_i y_i \quad \text{s.t.} \quad
    y_i \le \sum_{j \in N_i} x_j, \quad \sum_j x_j = p + |F|, \quad
    x_j = 1 \; (j \in F), \quad x_j \in \{0, 1\}, \quad 0 \le y_i \le 1,

where ``w_i`` is the weight (need) of demand point ``i``, ``N_i`` the sites
within the radius of ``i`` and ``F`` the sites fixed open. The ``y_i`` may be
continuous: at an optimum they equal ``min(1, sum x_j)``, which is 0 or 1.
It is solved exactly as a mixed-integer programme with HiGHS
(:func:`scipy.optimize.milp`) after two exact reductions: demand points that
no site can cover, or that a fixed site already covers, are dropped, and
demand points with the same set of covering sites are merged, adding weights.

Distances are Euclidean in British National Grid (EPSG:27700, metres): every
input must already be in that CRS.

References
----------
Church, R. and ReVelle, C. (1974) The maximal covering location problem.
*Papers of the Regional Science Association* 32, 101-118.

"""

from __future__ import annotations

import logging
import numbers
import operator
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
from numpy.typing import ArrayLike, NDArray
from pandas.api.types import is_bool_dtype, is_numeric_dtype
from scipy import sparse
from scipy.optimize import LinearConstraint, milp
from scipy.spatial import cKDTree

from insight import settings
from insight._errors import CRSError, DataError, InfeasibleError

logger = logging.getLogger(__name__)

#: Site kinds that can host a staffed face-to-face outlet (tier 1).
OUTLET_KINDS: tuple[str, ...] = ("customer_service_centre", "library")
#: Site kinds that can host a self-service pod (tier 2).
POD_KINDS: tuple[str, ...] = ("library", "gp_surgery")
#: Order of tiers in :func:`recommend_sites` results.
TIERS: tuple[str, ...] = ("existing_centre", "outlet", "pod")
#: Columns :func:`recommend_sites` needs in ``sites``.
REQUIRED_SITE_COLUMNS: tuple[str, ...] = ("site_id", "name", "kind", "existing_centre")

# A swap to a lower-indexed site counts as a tie if it loses at most this share
# of the total weight (float sums of the same numbers in another order).
_TIE_TOLERANCE = 1e-10
# Largest number of booleans unpacked at once when merging demand rows.
_CHUNK_CELLS = 8_000_000


@dataclass(frozen=True, eq=False)
class CoveringSolution:
    """Solution of a maximal covering location problem.

    Attributes
    ----------
    selected : tuple of int
        Column (site) indices of the open sites, fixed ones included, sorted.
    covered : ndarray of bool
        One value per demand row: True if an open site covers it. Read-only.
    objective : float
        Weight of the covered demand, in the units of the weights.
    total_weight : float
        Weight of all demand, covered or not.
    share_covered : float
        ``objective / total_weight``, between 0 and 1 (0 if the total is 0).
    status : str
        ``"optimal"``, or ``"optimal (no choice left)"`` when the solution
        follows without solving (``p = 0`` or nothing left to cover).

    """

    selected: tuple[int, ...]
    covered: NDArray[np.bool_]
    objective: float
    total_weight: float
    share_covered: float
    status: str


def coverage_matrix(
    demand: gpd.GeoDataFrame, sites: gpd.GeoDataFrame, radius_m: float
) -> sparse.csr_array:
    """Which sites cover which demand points, within a straight-line radius.

    Parameters
    ----------
    demand : GeoDataFrame
        Demand points (for example postcode centroids), EPSG:27700.
    sites : GeoDataFrame
        Candidate sites as points, EPSG:27700.
    radius_m : float
        Coverage radius, metres (British National Grid).

    Returns
    -------
    scipy.sparse.csr_array
        Boolean, ``len(demand)`` by ``len(sites)`` in row order: True where
        the Euclidean distance is at most ``radius_m``.

    Raises
    ------
    CRSError
        If either frame has no CRS or a CRS other than EPSG:27700.
    DataError
        If a geometry is missing, empty or not a point, or the radius is not a
        non-negative number.

    Examples
    --------
    >>> from insight import datasets
    >>> sites = datasets.load_sites()
    >>> coverage_matrix(sites, sites, 5_000.0).shape
    (31, 31)

    """
    _check_bng(demand, "demand")
    _check_bng(sites, "sites")
    _check_radius(radius_m, "radius_m")
    demand_xy = _point_xy(demand, "demand")
    site_xy = _point_xy(sites, "sites")

    # Candidate pairs from KD-trees, with a little slack for rounding.
    slack = float(radius_m) * (1.0 + 1e-9) + 1e-6
    pairs = cKDTree(demand_xy).sparse_distance_matrix(
        cKDTree(site_xy), slack, output_type="ndarray"
    )
    rows = pairs["i"].astype(np.intp)
    cols = pairs["j"].astype(np.intp)

    # Keep pairs whose exact distance is within the radius.
    delta = demand_xy[rows] - site_xy[cols]
    keep = np.sqrt((delta**2).sum(axis=1)) <= radius_m
    data = np.ones(int(keep.sum()), dtype=bool)
    shape = (len(demand_xy), len(site_xy))
    return sparse.csr_array((data, (rows[keep], cols[keep])), shape=shape)


def solve_maximal_covering(
    weights: ArrayLike,
    coverage: sparse.sparray | sparse.spmatrix | ArrayLike,
    p: int,
    fixed: Sequence[int] = (),
) -> CoveringSolution:
    """Open ``p`` sites besides the fixed ones to cover the most weight (MCLP).

    Solved exactly as a mixed-integer programme with HiGHS; see the module
    docstring for the formulation.

    Parameters
    ----------
    weights : array-like of float
        Non-negative weight of each demand row (for example residents).
    coverage : sparse or dense array of bool
        ``n_demand`` by ``n_sites``: True where site ``j`` covers demand ``i``,
        for example from :func:`coverage_matrix`.
    p : int
        Number of new sites to open besides ``fixed``.
    fixed : sequence of int
        Column indices of sites that are open whatever happens.

    Returns
    -------
    CoveringSolution
        Open sites, covered rows and covered weight. Among equally good
        selections the result is deterministic, and no open site can be
        swapped for a lower-indexed closed one without losing weight.

    Raises
    ------
    InfeasibleError
        If ``p`` is negative, ``p + len(fixed)`` exceeds the number of sites,
        ``fixed`` has repeated or out-of-range indices, weights are negative
        or not finite, or shapes do not match.

    Examples
    --------
    >>> import numpy as np
    >>> cover = np.array([[1, 0, 0], [1, 1, 0], [0, 1, 1], [0, 0, 1]], bool)
    >>> solve_maximal_covering([5.0, 6.0, 6.0, 5.0], cover, p=2).selected
    (0, 2)

    """
    w, cover, fixed_idx, n_open = _check_problem(weights, coverage, p, fixed)
    covered_by_fixed = _covered_by(cover, fixed_idx)
    keep = (w > 0) & ~covered_by_fixed & (np.diff(cover.indptr) > 0)

    # Solve only if there is a choice to make; otherwise take the lowest indices.
    if p > 0 and keep.any():
        reduced, reduced_w = _merge_identical_rows(cover[np.flatnonzero(keep)], w[keep])
        chosen = _solve_milp(reduced, reduced_w, n_open, fixed_idx)
        status = "optimal"
    else:
        free = np.setdiff1d(np.arange(cover.shape[1]), fixed_idx)
        chosen = np.union1d(fixed_idx, free[:p])
        status = "optimal (no choice left)"
    chosen = _prefer_lower_indices(cover, w, chosen, fixed_idx)
    return _make_solution(cover, w, chosen, status)


def recommend_sites(
    demand: gpd.GeoDataFrame,
    sites: gpd.GeoDataFrame,
    *,
    weight: str,
    p_outlets: int,
    k_pods: int,
    outlet_radius_m: float = settings.OUTLET_RADIUS_M,
    pod_radius_m: float = settings.POD_RADIUS_M,
    keep_existing: bool = True,
) -> gpd.GeoDataFrame:
    """Recommend staffed outlets and self-service pods that cover most need.

    Tier 1 chooses outlets among customer service centres and libraries
    (and any site marked ``existing_centre``) within ``outlet_radius_m``. Tier
    2 then chooses pods among libraries and GP surgeries not used in tier 1,
    within ``pod_radius_m``, to cover the most demand that tier 1 leaves
    uncovered. Both tiers are solved exactly by :func:`solve_maximal_covering`.

    Parameters
    ----------
    demand : GeoDataFrame
        Demand points in EPSG:27700, for example live postcodes with residents.
    sites : GeoDataFrame
        Candidate sites as points in EPSG:27700 with columns ``site_id``
        (unique), ``name``, ``kind`` and ``existing_centre`` (bool), as from
        :func:`insight.datasets.load_sites`.
    weight : str
        Column of ``demand`` with the non-negative need of each point.
    p_outlets : int
        Number of new outlets (besides existing centres if ``keep_existing``).
    k_pods : int
        Number of pods.
    outlet_radius_m, pod_radius_m : float
        Coverage radii of an outlet and a pod, metres (British National Grid).
    keep_existing : bool
        If True, every existing centre stays open and ``p_outlets`` outlets
        are added; if False, ``p_outlets`` outlets are chosen freely and
        existing centres compete with other candidates.

    Returns
    -------
    GeoDataFrame
        One row per chosen site, points in EPSG:27700, ordered by tier, with
        columns ``site_id``, ``name``, ``kind``, ``tier`` (``existing_centre``
        for any chosen existing centre, ``outlet`` or ``pod``), ``easting``
        and ``northing`` (metres), ``radius_m`` (metres), ``demand_covered``
        (weight within the site's radius), ``demand_covered_first`` (weight
        credited to this site: each covered point is credited to its nearest
        covering outlet, or if no outlet covers it to its nearest covering
        pod, so these sum to the covered weight), ``demand_added`` (weight
        that only this site covers) and ``geometry``. New sites that would add
        no coverage are left out, so a tier can have fewer rows than asked
        for. ``attrs`` holds ``total_weight``, ``covered_weight``,
        ``share_covered``, ``share_covered_outlets_only`` (shares between 0
        and 1), ``weight_column``, ``outlets_requested``, ``pods_requested``
        and ``sites_without_gain`` (names of the sites left out).

    Raises
    ------
    CRSError
        If ``demand`` or ``sites`` is not in EPSG:27700.
    DataError
        If a column is missing, weights are negative, missing or all zero,
        site ids repeat, a geometry is not a point, or a radius is negative.
    InfeasibleError
        If there are fewer candidates than ``p_outlets`` or ``k_pods``.

    Examples
    --------
    >>> from insight import datasets
    >>> postcodes = datasets.load_postcodes()
    >>> demand = postcodes[
    ...     (postcodes["status"] == "live") & (postcodes["residents"] > 0)
    ... ]
    >>> chosen = recommend_sites(
    ...     demand, datasets.load_sites(), weight="residents", p_outlets=1, k_pods=2
    ... )
    >>> chosen["tier"].value_counts().to_dict()
    {'existing_centre': 4, 'pod': 2, 'outlet': 1}

    """
    w = _check_demand(demand, weight)
    _check_sites(sites)
    _check_radius(outlet_radius_m, "outlet_radius_m")
    _check_radius(pod_radius_m, "pod_radius_m")

    outlets, outlet_cover, outlets_only = _choose_outlets(
        demand, w, sites, p_outlets, outlet_radius_m, keep_existing
    )
    outlets = outlets.assign(radius_m=float(outlet_radius_m))
    pods, pod_cover, solution = _choose_pods(
        demand, w, sites, outlets, outlet_cover, k_pods, pod_radius_m
    )
    pods = pods.assign(radius_m=float(pod_radius_m))
    chosen = pd.concat([frame for frame in (outlets, pods) if len(frame)] or [pods])
    cover = sparse.hstack([outlet_cover, pod_cover], format="csr")
    chosen, cover, dropped = _drop_sites_without_gain(chosen, cover, w)

    result = _site_table(demand, w, chosen, cover)
    result.attrs = {
        "total_weight": solution.total_weight,
        "covered_weight": solution.objective,
        "share_covered": solution.share_covered,
        "share_covered_outlets_only": outlets_only,
        "weight_column": weight,
        "outlets_requested": int(p_outlets),
        "pods_requested": int(k_pods),
        "sites_without_gain": dropped,
    }
    return result


def _unique_cover(
    cover: sparse.csr_array, w: NDArray[np.float64]
) -> NDArray[np.float64]:
    """Weight each column covers that no other column covers."""
    count = np.asarray(cover.sum(axis=1)).ravel()
    return np.asarray(cover.T.astype(float) @ (w * (count == 1))).ravel()


def _drop_sites_without_gain(
    chosen: gpd.GeoDataFrame, cover: sparse.csr_array, w: NDArray[np.float64]
) -> tuple[gpd.GeoDataFrame, sparse.csr_array, list[str]]:
    """Leave out new sites that add no coverage, one at a time, pods first.

    When more sites are asked for than add anything (for example a library
    beside an open centre), the model may pick any of them at no gain. Such
    a site is no recommendation, so it is dropped; covered weight is unchanged.
    Existing centres are never dropped.
    """
    keep = np.ones(len(chosen), dtype=bool)
    is_new = (chosen["tier"] != TIERS[0]).to_numpy()
    while True:
        columns = np.flatnonzero(keep)
        gain = _unique_cover(cover[:, columns], w)
        idle = columns[(gain <= 0) & is_new[columns]]
        if not len(idle):
            break
        keep[idle[-1]] = False
    dropped = chosen.loc[~keep, "name"].tolist() if (~keep).any() else []
    if dropped:
        logger.info("%d chosen sites add no coverage and are left out", len(dropped))
    return chosen[keep], cover[:, np.flatnonzero(keep)], [str(n) for n in dropped]


def _choose_outlets(
    demand: gpd.GeoDataFrame,
    w: NDArray[np.float64],
    sites: gpd.GeoDataFrame,
    p_outlets: int,
    radius_m: float,
    keep_existing: bool,
) -> tuple[gpd.GeoDataFrame, sparse.csr_array, float]:
    """Tier 1: outlets, their coverage columns and the share they cover."""
    existing = sites["existing_centre"].to_numpy(dtype=bool)
    is_candidate = sites["kind"].isin(OUTLET_KINDS).to_numpy() | existing
    candidates = sites[is_candidate]
    fixed = np.flatnonzero(existing[is_candidate]).tolist() if keep_existing else []
    _check_count(p_outlets, "p_outlets", len(candidates) - len(fixed))

    cover = coverage_matrix(demand, candidates, radius_m)
    solution = solve_maximal_covering(w, cover, p_outlets, fixed)
    chosen = candidates.iloc[list(solution.selected)]
    tier = np.where(chosen["existing_centre"].astype(bool), TIERS[0], TIERS[1])
    logger.info(
        "chose %d outlets (%d new); they cover %.1f%% of %s weight",
        len(chosen),
        p_outlets,
        100 * solution.share_covered,
        f"{solution.total_weight:.6g}",
    )
    return (
        chosen.assign(tier=tier),
        cover[:, list(solution.selected)],
        solution.share_covered,
    )


def _choose_pods(
    demand: gpd.GeoDataFrame,
    w: NDArray[np.float64],
    sites: gpd.GeoDataFrame,
    outlets: gpd.GeoDataFrame,
    outlet_cover: sparse.csr_array,
    k_pods: int,
    radius_m: float,
) -> tuple[gpd.GeoDataFrame, sparse.csr_array, CoveringSolution]:
    """Tier 2: pods that add most coverage to the fixed outlets."""
    is_free = ~sites["site_id"].isin(outlets["site_id"])
    candidates = sites[sites["kind"].isin(POD_KINDS) & is_free]
    _check_count(k_pods, "k_pods", len(candidates))

    # Outlet columns come first, fixed open, each with the outlet radius.
    pod_cover = coverage_matrix(demand, candidates, radius_m)
    combined = sparse.hstack([outlet_cover, pod_cover], format="csr")
    n_outlets = outlet_cover.shape[1]
    solution = solve_maximal_covering(w, combined, k_pods, range(n_outlets))

    picked = [j - n_outlets for j in solution.selected if j >= n_outlets]
    logger.info(
        "chose %d pods; all sites cover %.1f%%", k_pods, 100 * solution.share_covered
    )
    pods = candidates.iloc[picked].assign(tier=TIERS[2])
    return pods, pod_cover[:, picked], solution


def _site_table(
    demand: gpd.GeoDataFrame,
    w: NDArray[np.float64],
    chosen: gpd.GeoDataFrame,
    cover: sparse.csr_array,
) -> gpd.GeoDataFrame:
    """Build the result rows: chosen sites by tier with the demand they reach."""
    order = np.argsort(
        pd.Categorical(chosen["tier"], categories=TIERS).codes, kind="stable"
    )
    chosen = chosen.iloc[order]
    cover = cover[:, order]
    is_pod = (chosen["tier"] == TIERS[2]).to_numpy()

    table = pd.DataFrame(
        {
            "site_id": chosen["site_id"].to_numpy(),
            "name": chosen["name"].to_numpy(),
            "kind": chosen["kind"].to_numpy(),
            "tier": chosen["tier"].to_numpy(),
            "easting": chosen.geometry.x.to_numpy(dtype=float),
            "northing": chosen.geometry.y.to_numpy(dtype=float),
            "radius_m": chosen["radius_m"].to_numpy(dtype=float),
            "demand_covered": cover.T.astype(float) @ w,
            "demand_covered_first": _credit_first(demand, w, chosen, cover, is_pod),
            "demand_added": _unique_cover(cover, w),
        }
    )
    return gpd.GeoDataFrame(table, geometry=chosen.geometry.to_numpy(), crs=chosen.crs)


def _credit_first(
    demand: gpd.GeoDataFrame,
    w: NDArray[np.float64],
    chosen: gpd.GeoDataFrame,
    cover: sparse.csr_array,
    is_pod: NDArray[np.bool_],
) -> NDArray[np.float64]:
    """Weight credited to each site: nearest covering outlet, else nearest pod."""
    pairs = cover.tocoo()
    rows, cols = pairs.coords
    delta = _point_xy(demand, "demand")[rows] - _point_xy(chosen, "sites")[cols]
    distance = np.sqrt((delta**2).sum(axis=1))

    # Per demand row, the first pair by (row, pod flag, distance, column).
    order = np.lexsort((cols, distance, is_pod[cols], rows))
    first = order[np.r_[True, np.diff(rows[order]) > 0]] if len(order) else order
    credit = np.bincount(cols[first], weights=w[rows[first]], minlength=len(chosen))
    return credit.astype(float)


def _check_problem(
    weights: ArrayLike,
    coverage: sparse.sparray | sparse.spmatrix | ArrayLike,
    p: int,
    fixed: Sequence[int],
) -> tuple[NDArray[np.float64], sparse.csr_array, NDArray[np.intp], int]:
    """Validate an MCLP; return weights, CSR coverage, fixed indices, sites open."""
    w = np.asarray(weights, dtype=float)
    cover = _as_bool_csr(coverage)
    if w.ndim != 1 or cover.shape[0] != len(w):
        raise InfeasibleError(
            f"`weights` has shape {w.shape} but `coverage` has shape "
            f"{cover.shape}: need one weight per coverage row"
        )
    n_bad, n_negative = int((~np.isfinite(w)).sum()), int((w < 0).sum())
    if n_bad or n_negative:
        raise InfeasibleError(
            f"`weights` must be finite and non-negative; got {n_bad} missing or "
            f"infinite and {n_negative} negative of {len(w)}"
        )

    p = _as_int(p, "p")
    fixed_idx = np.array([_as_int(j, "fixed") for j in fixed], dtype=np.intp)
    n_sites = cover.shape[1]
    if len(np.unique(fixed_idx)) != len(fixed_idx):
        raise InfeasibleError(f"`fixed` repeats a site index: {list(fixed)!r}")
    if ((fixed_idx < 0) | (fixed_idx >= n_sites)).any():
        raise InfeasibleError(
            f"`fixed` indices {list(fixed)!r} are outside 0..{n_sites - 1}"
        )
    if p < 0 or p + len(fixed_idx) > n_sites:
        raise InfeasibleError(
            f"cannot open p={p} new sites besides {len(fixed_idx)} fixed ones "
            f"among {n_sites} sites: need 0 <= p <= {n_sites - len(fixed_idx)}"
        )
    return w, cover, np.sort(fixed_idx), p + len(fixed_idx)


def _as_bool_csr(coverage: Any) -> sparse.csr_array:
    """Coverage as a boolean CSR array without explicit False entries."""
    if sparse.issparse(coverage):
        cover = sparse.csr_array(coverage).astype(bool)
    else:
        dense = np.asarray(coverage)
        if dense.ndim != 2:
            raise InfeasibleError(
                f"`coverage` must be 2-D (demand x sites), got shape {dense.shape}"
            )
        cover = sparse.csr_array(dense.astype(bool))
    cover.eliminate_zeros()
    cover.sum_duplicates()
    return cover


def _as_int(value: Any, name: str) -> int:
    """Return ``value`` as an int, or raise an InfeasibleError naming it."""
    if isinstance(value, bool | np.bool_):
        raise InfeasibleError(f"`{name}` must be an integer, got {value!r}")
    try:
        return operator.index(value)
    except TypeError:
        raise InfeasibleError(f"`{name}` must be an integer, got {value!r}") from None


def _covered_by(
    cover: sparse.csr_array, columns: NDArray[np.intp]
) -> NDArray[np.bool_]:
    """Rows of ``cover`` covered by at least one of ``columns``."""
    indicator = np.zeros(cover.shape[1])
    indicator[columns] = 1.0
    return np.asarray(cover.astype(float) @ indicator > 0)


def _merge_identical_rows(
    cover: sparse.csr_array, w: NDArray[np.float64]
) -> tuple[sparse.csr_array, NDArray[np.float64]]:
    """Merge rows with the same covering sites, adding their weights.

    The result has one row per distinct pattern, in sorted pattern order, so
    it does not depend on the order of the demand rows.
    """
    n_rows, n_sites = cover.shape
    chunk = max(1, _CHUNK_CELLS // max(n_sites, 1))
    packed = np.vstack(
        [
            np.packbits(cover[start : start + chunk].toarray(), axis=1)
            for start in range(0, n_rows, chunk)
        ]
    )
    _, first, inverse = np.unique(
        packed, axis=0, return_index=True, return_inverse=True
    )
    merged_w: NDArray[np.float64] = np.bincount(
        inverse.ravel(), weights=w, minlength=len(first)
    ).astype(np.float64)
    logger.debug("merged %d demand rows into %d patterns", n_rows, len(first))
    return cover[first], merged_w


def _solve_milp(
    cover: sparse.csr_array,
    w: NDArray[np.float64],
    n_open: int,
    fixed: NDArray[np.intp],
) -> NDArray[np.intp]:
    """Solve the MCLP with HiGHS; return the sorted indices of open sites."""
    n_rows, n_sites = cover.shape

    # Variables: x (site open, binary) then y (row covered, continuous 0..1).
    objective = np.concatenate([np.zeros(n_sites), -w])
    integrality = np.concatenate([np.ones(n_sites), np.zeros(n_rows)])
    lower = np.zeros(n_sites + n_rows)
    lower[fixed] = 1.0

    # y_i - sum_{j covers i} x_j <= 0, and sum_j x_j = n_open.
    link = sparse.hstack([-cover.astype(float), sparse.eye_array(n_rows)], format="csr")
    count = np.concatenate([np.ones(n_sites), np.zeros(n_rows)])[np.newaxis, :]
    result = milp(
        objective,
        integrality=integrality,
        bounds=(lower, np.ones(n_sites + n_rows)),
        constraints=[
            LinearConstraint(link, -np.inf, 0.0),
            LinearConstraint(count, n_open, n_open),
        ],
        options={"mip_rel_gap": 0.0},
    )
    if result.status != 0 or result.x is None:
        raise InfeasibleError(f"HiGHS found no optimum: {result.message}")
    return np.flatnonzero(result.x[:n_sites] > 0.5)


def _prefer_lower_indices(
    cover: sparse.csr_array,
    w: NDArray[np.float64],
    chosen: NDArray[np.intp],
    fixed: NDArray[np.intp],
) -> NDArray[np.intp]:
    """Swap open sites for lower-indexed closed ones while no weight is lost.

    Each swap lowers the sum of open indices, so the loop ends; ties between
    equally good sites (for example two at the same place) go to the lower.
    """
    columns = sparse.csc_array(cover)
    is_open = np.zeros(cover.shape[1], dtype=bool)
    is_open[chosen] = True
    counts = np.asarray(columns.astype(float) @ is_open.astype(float))
    tolerance = _TIE_TOLERANCE * max(float(w.sum()), 1.0)

    def rows_of(j: int | np.integer[Any]) -> NDArray[np.intp]:
        rows = columns.indices[columns.indptr[j] : columns.indptr[j + 1]]
        return np.asarray(rows, dtype=np.intp)

    swapped = True
    while swapped:
        swapped = False
        for s in np.setdiff1d(np.flatnonzero(is_open), fixed)[::-1]:
            without = counts.copy()
            without[rows_of(s)] -= 1
            loss = w[rows_of(s)][without[rows_of(s)] == 0].sum()
            for j in np.flatnonzero(~is_open[:s]):
                gain = w[rows_of(j)][without[rows_of(j)] == 0].sum()
                if gain >= loss - tolerance:
                    is_open[[s, j]] = [False, True]
                    counts = without
                    counts[rows_of(j)] += 1
                    swapped = True
                    break
    return np.flatnonzero(is_open)


def _make_solution(
    cover: sparse.csr_array,
    w: NDArray[np.float64],
    chosen: NDArray[np.intp],
    status: str,
) -> CoveringSolution:
    """Package the open sites with the rows and weight they cover."""
    covered = _covered_by(cover, chosen)
    covered.setflags(write=False)
    objective = float(w[covered].sum())
    total = float(w.sum())
    return CoveringSolution(
        selected=tuple(int(j) for j in chosen),
        covered=covered,
        objective=objective,
        total_weight=total,
        share_covered=objective / total if total > 0 else 0.0,
        status=status,
    )


def _check_bng(frame: Any, name: str) -> None:
    """Raise CRSError unless ``frame`` is a GeoDataFrame in EPSG:27700."""
    if not isinstance(frame, gpd.GeoDataFrame):
        raise DataError(f"`{name}` must be a GeoDataFrame, got {type(frame).__name__}")
    if frame.crs is None:
        raise CRSError(
            f"`{name}` has no CRS; set the CRS it is in with `.set_crs(...)`, then "
            f'use `.to_crs("{settings.BNG}")` (distances are in BNG metres)'
        )
    if frame.crs.to_epsg() != 27700:
        raise CRSError(
            f"`{name}` is in {frame.crs.to_string()!r}, not British National Grid: "
            f'use `.to_crs("{settings.BNG}")` first (distances are in metres)'
        )


def _point_xy(frame: gpd.GeoDataFrame, name: str) -> NDArray[np.float64]:
    """Coordinates (metres) of point geometries, one row per feature."""
    geometry = frame.geometry
    bad = geometry.isna() | geometry.is_empty | (geometry.geom_type != "Point")
    if bad.any():
        examples = geometry[bad].geom_type.fillna("missing").unique()[:3]
        raise DataError(
            f"`{name}` needs non-empty point geometries; {int(bad.sum())} rows "
            f"are not (for example {list(examples)}): use `.centroid` for areas"
        )
    return np.column_stack([geometry.x.to_numpy(float), geometry.y.to_numpy(float)])


def _check_radius(radius_m: float, name: str) -> None:
    """Raise DataError unless the radius is a finite number of metres >= 0."""
    if isinstance(radius_m, bool) or not isinstance(radius_m, numbers.Real):
        raise DataError(f"`{name}` must be a number of metres, got {radius_m!r}")
    if not np.isfinite(radius_m):
        raise DataError(f"`{name}` must be a finite number of metres, got {radius_m!r}")
    if radius_m < 0:
        raise DataError(f"`{name}` must be >= 0 metres, got {radius_m!r}")


def _check_count(value: int, name: str, available: int) -> None:
    """Raise InfeasibleError unless 0 <= value <= the candidates available."""
    value = _as_int(value, name)
    if not 0 <= value <= available:
        raise InfeasibleError(
            f"`{name}`={value} but only {available} candidate sites are free: "
            f"choose 0..{available}"
        )


def _check_demand(demand: gpd.GeoDataFrame, weight: str) -> NDArray[np.float64]:
    """Validate demand points and return their weights."""
    _check_bng(demand, "demand")
    _point_xy(demand, "demand")
    if weight not in demand.columns:
        raise DataError(
            f"`weight`={weight!r} is not a column of `demand`; columns are "
            f"{list(demand.columns)!r}"
        )
    column = demand[weight]
    if is_bool_dtype(column) or not is_numeric_dtype(column):
        raise DataError(f"`demand[{weight!r}]` must be numeric, got {column.dtype}")

    w: NDArray[np.float64] = column.to_numpy(dtype=np.float64, na_value=np.nan)
    n_missing, n_negative = int((~np.isfinite(w)).sum()), int((w < 0).sum())
    if n_missing or n_negative or w.sum() <= 0:
        raise DataError(
            f"`demand[{weight!r}]` must be finite, non-negative and not all zero; "
            f"got {n_missing} missing or infinite, {n_negative} negative, "
            f"sum {float(np.nansum(w))!r}"
        )
    return w


def _check_sites(sites: gpd.GeoDataFrame) -> None:
    """Validate candidate sites: CRS, columns, unique ids, point geometries."""
    _check_bng(sites, "sites")
    missing = [c for c in REQUIRED_SITE_COLUMNS if c not in sites.columns]
    if missing:
        raise DataError(
            f"`sites` lacks columns {missing}; it has {list(sites.columns)!r}"
        )
    if sites["site_id"].duplicated().any():
        repeated = sites.loc[sites["site_id"].duplicated(), "site_id"].unique()
        raise DataError(f"`sites['site_id']` repeats {list(repeated)[:5]!r}")
    if sites["existing_centre"].isna().any():
        raise DataError("`sites['existing_centre']` has missing values; use bool")
    _point_xy(sites, "sites")
