"""Command line: ``python -m insight report --out DIR``.

Runs the main job headless and writes the files described in
:mod:`insight.report`. Exit status 2 on bad input, with the reason on stderr.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys

from insight._errors import InsightError, describe_failure
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
        action="append",
        help=(
            'rename export columns, e.g. "Ref=case_id,Method=channel"; repeat '
            'the option for a name with a comma in it ("Ref, new=case_id")'
        ),
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
    report.add_argument(
        "--debug",
        action="store_true",
        help="let unexpected errors raise, with messages that may quote the data",
    )
    return parser


def _parse_column_map(values: list[str] | None) -> dict[str, str]:
    """``--column-map`` values as one dict; raises ValueError if malformed.

    A value with one ``=`` is one pair, commas and all; a value with more is
    split at its commas. Each export column may be named once.

    >>> _parse_column_map(["Ref=case_id,Method=channel", "Post, code=postcode"])
    {'Ref': 'case_id', 'Method': 'channel', 'Post, code': 'postcode'}
    """
    pairs: dict[str, str] = {}
    for text in values or []:
        items = [text] if text.count("=") == 1 else text.split(",")
        for item in filter(str.strip, items):
            theirs, equals, ours = (part.strip() for part in item.partition("="))
            if not (theirs and equals and ours) or "=" in ours:
                raise ValueError(
                    f"expected THEIRS=OURS pairs separated by commas, got {text!r}"
                )
            if theirs in pairs:
                raise ValueError(f"{theirs!r} is mapped twice")
            pairs[theirs] = ours
    return pairs


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
    except Exception as exc:  # the message could quote the file
        if args.debug:
            raise
        print(
            f"error: unexpected {describe_failure(exc)}; this is a fault in the "
            "tool. The message is not shown, as it could quote the file; rerun "
            "with --debug on data you may show.",
            file=sys.stderr,
        )
        return 1
    summary = {
        "files": {k: str(v) for k, v in paths.items()},
        "rows_used": analysis.import_report.rows_used,
        "rows_set_aside": analysis.import_report.rows_set_aside,
        "share_covered": (
            None if (share := analysis.share_covered()) is None else round(share, 4)
        ),
        "sites_chosen": {
            tier: int(n) for tier, n in analysis.sites["tier"].value_counts().items()
        },
        "sites_asked_for": {"outlet": args.outlets, "pod": args.pods},
        "sites_without_gain": analysis.sites.attrs.get("sites_without_gain", []),
        "scenario": analysis.describe_siting(),
        "synthetic": analysis.synthetic,
    }
    sys.stdout.write(json.dumps(summary, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
