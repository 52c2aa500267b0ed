"""Command line: ``python -m insight report --out DIR``.

Runs the main job headless and writes the files described in
:mod:`insight.report`. Exit status 2 on bad input, with the reason on stderr.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys

from insight._errors import InsightError
from insight.analysis import SitingOptions, run_analysis
from insight.report import write_report
from insight.settings import DEFAULT_DISTRICT, OUTLET_RADIUS_M, POD_RADIUS_M

logger = logging.getLogger("insight")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of ``python -m insight``."""
    parser = argparse.ArgumentParser(prog="python -m insight", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    report = commands.add_parser("report", help="run the analysis and write outputs")
    report.add_argument("--out", required=True, help="folder for the output files")
    report.add_argument("--crm", help="CRM extract (CSV); default: synthetic extract")
    report.add_argument(
        "--column-map",
        metavar="THEIRS=OURS,...",
        help='rename export columns, e.g. "Ref=case_id,Method=channel"',
    )
    report.add_argument(
        "--district",
        default=DEFAULT_DISTRICT,
        help="ONS district code (only E07000011, Huntingdonshire, so far)",
    )
    report.add_argument("--outlets", type=int, default=1, help="new staffed outlets")
    report.add_argument("--pods", type=int, default=5, help="self-service pods")
    report.add_argument(
        "--outlet-radius-km", type=float, default=OUTLET_RADIUS_M / 1000
    )
    report.add_argument("--pod-radius-km", type=float, default=POD_RADIUS_M / 1000)
    report.add_argument(
        "--replace-centres",
        action="store_true",
        help="do not keep today's customer service centres fixed",
    )
    report.add_argument(
        "--demand",
        choices=["need", "assisted_contacts"],
        default="need",
        help="what the sites should cover",
    )
    report.add_argument("-q", "--quiet", action="store_true")
    return parser


def _parse_column_map(text: str | None) -> dict[str, str]:
    """``"Ref=case_id,Method=channel"`` as a dict; raises ValueError if malformed."""
    if not text:
        return {}
    pairs = [item.split("=") for item in text.split(",") if item.strip()]
    if any(len(pair) != 2 or not all(p.strip() for p in pair) for pair in pairs):
        raise ValueError(
            f"expected THEIRS=OURS pairs separated by commas, got {text!r}"
        )
    return {theirs.strip(): ours.strip() for theirs, ours in pairs}


def main(argv: list[str] | None = None) -> int:
    """Entry point; returns the exit status."""
    args = build_parser().parse_args(argv)
    logging.basicConfig(
        level=logging.WARNING if args.quiet else logging.INFO,
        format="%(levelname)s %(name)s: %(message)s",
    )
    if args.crm is not None and not args.crm.strip():
        print("error: --crm is empty; give a CSV file", file=sys.stderr)
        return 2
    try:
        column_map = _parse_column_map(args.column_map)
    except ValueError as exc:
        print(f"error: --column-map: {exc}", file=sys.stderr)
        return 2
    options = SitingOptions(
        p_outlets=args.outlets,
        k_pods=args.pods,
        outlet_radius_m=args.outlet_radius_km * 1000,
        pod_radius_m=args.pod_radius_km * 1000,
        keep_existing=not args.replace_centres,
        demand_basis=args.demand,
    )
    try:
        analysis = run_analysis(
            args.crm, column_map=column_map, district=args.district, siting=options
        )
        paths = write_report(analysis, args.out)
    except (InsightError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    summary = {
        "files": {k: str(v) for k, v in paths.items()},
        "rows_used": analysis.import_report.rows_used,
        "rows_set_aside": analysis.import_report.rows_set_aside,
        "share_covered": round(analysis.sites.attrs.get("share_covered", 0.0), 4),
        "synthetic": analysis.synthetic,
    }
    sys.stdout.write(json.dumps(summary, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
