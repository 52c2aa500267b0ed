"""Time coverage matrices and exact MCLP solves: HiGHS (ours) against spopt/CBC.

Two instances:

* the embedded Huntingdonshire data: live postcodes with residents as demand
  (about 4,900 points) and the 31 candidate sites, solved by
  :func:`insight.siting.solve_maximal_covering` (HiGHS) and by
  ``spopt.locate.MCLP`` with pulp's bundled CBC;
* a synthetic instance: uniform random demand points with gamma-distributed
  weights and candidate sites in a square in British National Grid, solved by
  HiGHS only (spopt builds one Python constraint per demand point).

Run on demand from the repository root::

    python benchmarks/bench_siting.py
    python benchmarks/bench_siting.py --n-demand 20000 --radius-m 8000

Times are wall-clock seconds, the best of ``--repeat`` runs.
"""

from __future__ import annotations

import argparse
import logging
import os
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pulp
from scipy.spatial.distance import cdist
from spopt.locate import MCLP

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from insight import datasets, siting
from insight.settings import BNG

logger = logging.getLogger("bench_siting")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Read the command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--default-p", type=int, default=3, help="sites to open")
    parser.add_argument(
        "--default-radius-m", type=float, default=5_000.0, help="metres (BNG)"
    )
    parser.add_argument("--n-demand", type=int, default=100_000)
    parser.add_argument("--n-sites", type=int, default=300)
    parser.add_argument("--side-km", type=float, default=40.0, help="square side")
    parser.add_argument("--p", type=int, default=10, help="sites to open (synthetic)")
    parser.add_argument(
        "--radius-m",
        type=float,
        nargs="+",
        default=[3_000.0, 5_000.0],
        help="synthetic radii, metres; the time grows quickly with the radius",
    )
    parser.add_argument("--seed", type=int, default=2013)
    parser.add_argument("--repeat", type=int, default=1, help="runs; best is kept")
    parser.add_argument("--skip-spopt", action="store_true")
    return parser.parse_args(argv)


def best_time(repeat: int, task: Callable[[], Any]) -> tuple[float, Any]:
    """Run ``task`` ``repeat`` times; return the fastest time (s) and a result."""
    times, result = [], None
    for _ in range(max(repeat, 1)):
        start = time.perf_counter()
        result = task()
        times.append(time.perf_counter() - start)
    return min(times), result


def default_instance() -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Live postcodes with residents (demand) and candidate sites, EPSG:27700."""
    postcodes = datasets.load_postcodes()
    live = (postcodes["status"] == "live") & (postcodes["residents"] > 0)
    return postcodes[live].reset_index(drop=True), datasets.load_sites()


def synthetic_instance(
    n_demand: int, n_sites: int, side_m: float, seed: int
) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Uniform demand (column ``weight``) and sites in a square, EPSG:27700."""
    rng = np.random.default_rng(seed)
    origin = np.array([500_000.0, 250_000.0])
    demand_xy = origin + rng.uniform(0, side_m, (n_demand, 2))
    site_xy = origin + rng.uniform(0, side_m, (n_sites, 2))
    demand = gpd.GeoDataFrame(
        {"weight": rng.gamma(2.0, 10.0, n_demand)},
        geometry=gpd.points_from_xy(demand_xy[:, 0], demand_xy[:, 1]),
        crs=BNG,
    )
    sites = gpd.GeoDataFrame(
        geometry=gpd.points_from_xy(site_xy[:, 0], site_xy[:, 1]), crs=BNG
    )
    return demand, sites


def time_highs(
    demand: gpd.GeoDataFrame,
    sites: gpd.GeoDataFrame,
    weights: np.ndarray,
    radius_m: float,
    p: int,
    repeat: int,
) -> dict[str, Any]:
    """Time coverage_matrix and solve_maximal_covering (HiGHS)."""
    t_cover, cover = best_time(
        repeat, lambda: siting.coverage_matrix(demand, sites, radius_m)
    )
    t_solve, solution = best_time(
        repeat, lambda: siting.solve_maximal_covering(weights, cover, p)
    )
    return {
        "cover_s": t_cover,
        "solve_s": t_solve,
        "nnz": cover.nnz,
        "solution": solution,
    }


def time_spopt(
    demand: gpd.GeoDataFrame,
    sites: gpd.GeoDataFrame,
    weights: np.ndarray,
    radius_m: float,
    p: int,
    repeat: int,
) -> dict[str, Any]:
    """Time spopt's MCLP from a full distance matrix, solved by CBC."""
    demand_xy = np.column_stack([demand.geometry.x, demand.geometry.y])
    site_xy = np.column_stack([sites.geometry.x, sites.geometry.y])
    t_cost, cost = best_time(repeat, lambda: cdist(demand_xy, site_xy))
    t_build, model = best_time(
        repeat, lambda: MCLP.from_cost_matrix(cost, weights, radius_m, p)
    )
    t_solve, model = best_time(
        repeat, lambda: model.solve(pulp.PULP_CBC_CMD(msg=False))
    )
    chosen = tuple(j for j, var in enumerate(model.fac_vars) if var.value() > 0.5)
    return {
        "cost_s": t_cost,
        "build_s": t_build,
        "solve_s": t_solve,
        "objective": float(pulp.value(model.problem.objective)),
        "selected": chosen,
    }


def report_default(args: argparse.Namespace) -> None:
    """Benchmark the embedded data with HiGHS and, unless skipped, spopt/CBC."""
    demand, sites = default_instance()
    weights = demand["residents"].to_numpy()
    radius, p = args.default_radius_m, args.default_p
    ours = time_highs(demand, sites, weights, radius, p, args.repeat)
    solution = ours["solution"]
    logger.info(
        "default data: %d demand x %d sites, radius %.0f m, p=%d, %d pairs",
        len(demand),
        len(sites),
        radius,
        p,
        ours["nnz"],
    )
    logger.info(
        "  HiGHS (ours): coverage_matrix %.3f s + solve %.3f s = %.3f s; "
        "covered %.1f (%.2f%%), sites %s",
        ours["cover_s"],
        ours["solve_s"],
        ours["cover_s"] + ours["solve_s"],
        solution.objective,
        100 * solution.share_covered,
        solution.selected,
    )
    if args.skip_spopt:
        return
    theirs = time_spopt(demand, sites, weights, radius, p, args.repeat)
    logger.info(
        "  spopt + CBC:  cdist %.3f s + build %.3f s + solve %.3f s = %.3f s; "
        "covered %.1f, sites %s",
        theirs["cost_s"],
        theirs["build_s"],
        theirs["solve_s"],
        theirs["cost_s"] + theirs["build_s"] + theirs["solve_s"],
        theirs["objective"],
        theirs["selected"],
    )
    gap = abs(theirs["objective"] - solution.objective) / solution.objective
    logger.info("  relative difference of objectives: %.2e", gap)


def report_synthetic(args: argparse.Namespace) -> None:
    """Benchmark HiGHS on the synthetic instance at each radius."""
    start = time.perf_counter()
    demand, sites = synthetic_instance(
        args.n_demand, args.n_sites, args.side_km * 1_000.0, args.seed
    )
    logger.info(
        "synthetic: %d demand x %d sites in a %.0f km square, p=%d "
        "(generated in %.2f s)",
        len(demand),
        len(sites),
        args.side_km,
        args.p,
        time.perf_counter() - start,
    )
    weights = demand["weight"].to_numpy()
    for radius in args.radius_m:
        ours = time_highs(demand, sites, weights, radius, args.p, args.repeat)
        logger.info(
            "  radius %5.0f m: %9d pairs; coverage_matrix %.3f s + HiGHS "
            "solve %.3f s; covered %.1f%%",
            radius,
            ours["nnz"],
            ours["cover_s"],
            ours["solve_s"],
            100 * ours["solution"].share_covered,
        )


def main(argv: list[str] | None = None) -> None:
    """Run both benchmarks and log the figures."""
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stdout)
    logger.info(
        "Python %s, %s, %s cores",
        platform.python_version(),
        platform.machine(),
        os.cpu_count(),
    )
    start = time.perf_counter()
    report_default(args)
    report_synthetic(args)
    logger.info("total %.1f s", time.perf_counter() - start)


if __name__ == "__main__":
    main()
