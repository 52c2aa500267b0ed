"""Time each step of the main job on the default data (run on demand).

Steps: generate the synthetic extract (about 270,000 rows), read and geocode
it, assess the 26 wards, choose sites, write the report. Prints seconds per
step, the best of ``--repeat`` runs. Usage: ``python benchmarks/bench_pipeline.py``.
"""

from __future__ import annotations

import argparse
import logging
import platform
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from insight import analysis, crm, datasets, synthetic
from insight.report import write_report

logger = logging.getLogger("bench_pipeline")


def best_of(repeat: int, step: Callable[[], Any]) -> tuple[float, Any]:
    """Shortest wall time of ``repeat`` runs (seconds) and the last result."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = step()
        times.append(time.perf_counter() - start)
    return min(times), result


def main() -> None:
    """Run and print the timings."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)
    print(f"Python {platform.python_version()}, {platform.machine()}")

    folder = Path(tempfile.mkdtemp())
    path = folder / "extract.csv"
    postcodes = datasets.load_postcodes()
    steps: list[tuple[str, Callable[[], Any]]] = [
        ("generate synthetic extract", lambda: synthetic.write_synthetic_extract(path)),
        ("read and geocode extract", lambda: crm.read_contacts(path, postcodes)),
    ]
    results: dict[str, Any] = {}
    for name, step in steps:
        seconds, results[name] = best_of(args.repeat, step)
        print(f"{name:32s} {seconds:6.2f} s")

    contacts = results["read and geocode extract"].contacts
    seconds, wards = best_of(args.repeat, lambda: analysis.assess_wards(contacts))
    print(f"{'assess 26 wards':32s} {seconds:6.2f} s")
    options = analysis.SitingOptions()
    seconds, _ = best_of(
        args.repeat,
        lambda: analysis.choose_sites(
            analysis.build_demand_points(wards, contacts, options.demand_basis),
            options,
        ),
    )
    print(f"{'choose sites (1 outlet, 5 pods)':32s} {seconds:6.2f} s")
    result = analysis.run_analysis(path)
    seconds, _ = best_of(args.repeat, lambda: write_report(result, folder / "out"))
    print(f"{'write the five report files':32s} {seconds:6.2f} s")
    read = results["read and geocode extract"].report.rows_read
    print(f"rows: {len(contacts):,} placed of {read:,}")


if __name__ == "__main__":
    main()
