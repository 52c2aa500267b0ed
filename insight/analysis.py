"""The main job in one call: demand, exclusion risk and recommended sites.

:func:`run_analysis` is what the command line, the notebook and the app run.
Each step is also a function of its own module, for analysts who want to
change one step.

Examples
--------
>>> from insight.analysis import SitingOptions, run_analysis
>>> result = run_analysis(siting=SitingOptions(p_outlets=1, k_pods=4))
>>> len(result.wards)
26

"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import geopandas as gpd
import pandas as pd

from insight import crm, datasets, demand, exclusion, siting, synthetic
from insight._errors import DataError
from insight.privacy import publishable_share
from insight.settings import (
    ASSISTED_CHANNELS,
    DEFAULT_DISTRICT,
    OUTLET_RADIUS_M,
    POD_RADIUS_M,
)

logger = logging.getLogger(__name__)

DemandBasis = Literal["need", "assisted_contacts"]


@dataclass(frozen=True)
class SitingOptions:
    """How many sites of each tier, their reach (metres) and what to cover.

    ``demand_basis`` is ``"need"`` (residents times the ward's exclusion
    index / 100) or ``"assisted_contacts"`` (phone and face-to-face contacts
    per postcode).
    """

    p_outlets: int = 1
    k_pods: int = 5
    outlet_radius_m: float = OUTLET_RADIUS_M
    pod_radius_m: float = POD_RADIUS_M
    keep_existing: bool = True
    demand_basis: DemandBasis = "need"


@dataclass
class Analysis:
    """Everything the outputs are made of."""

    wards: gpd.GeoDataFrame
    sites: gpd.GeoDataFrame
    channels: pd.DataFrame
    import_report: crm.ImportReport
    options: SitingOptions
    weights: dict[str, float] = field(default_factory=dict)

    @property
    def synthetic(self) -> bool:
        """Whether the contacts are the synthetic extract."""
        return self.import_report.synthetic

    def share_covered(self, *, outlets_only: bool = False) -> float | None:
        """Share of demand within reach of the chosen sites (0-1), as published.

        When the sites cover contacts, a share that would give away a count of
        1-4 covered or uncovered is None (see
        :func:`insight.privacy.publishable_share`).
        """
        return publishable_sites_share(self.sites, outlets_only=outlets_only)

    def describe_siting(self) -> str:
        """The scenario and its result in one sentence, for reports and maps."""
        options, tiers = self.options, self.sites["tier"].value_counts()
        kept = "today's centres kept" if options.keep_existing else "centres not kept"
        basis = {
            "need": "need (residents x exclusion risk)",
            "assisted_contacts": "phone and face-to-face contacts",
        }[options.demand_basis]
        share = self.share_covered()
        shown = "[c] (suppressed)" if share is None else f"{100 * share:.1f}%"
        return (
            f"{int(tiers.get('outlet', 0))} of {options.p_outlets} new staffed "
            f"outlets ({options.outlet_radius_m / 1000:g} km reach) and "
            f"{int(tiers.get('pod', 0))} of {options.k_pods} self-service pods "
            f"({options.pod_radius_m / 1000:g} km), {kept}: {shown} of {basis} "
            "within reach"
        )


def publishable_sites_share(
    sites: gpd.GeoDataFrame, *, outlets_only: bool = False
) -> float | None:
    """Share covered from :func:`choose_sites` attrs, withheld where disclosive.

    Shares of need (residents x index) are always published; shares of
    contacts follow :func:`insight.privacy.publishable_share`.
    """
    attrs = sites.attrs
    key = "share_covered_outlets_only" if outlets_only else "share_covered"
    share = attrs.get(key)
    if share is None or attrs.get("demand_basis") != "assisted_contacts":
        return None if share is None else float(share)
    total = float(attrs.get("total_weight", 0.0))
    return publishable_share(float(share) * total, total)


def load_contacts(
    crm_path: str | Path | None = None,
    district: str = DEFAULT_DISTRICT,
    column_map: Mapping[str, str] | None = None,
) -> crm.ContactImport:
    """Read a CRM extract, or the synthetic default when no path is given.

    Raises
    ------
    DataError
        If not one row of the extract can be used; the message gives the
        reasons and the first line of each.

    """
    path = Path(crm_path) if crm_path else synthetic.default_extract_path()
    imported = crm.read_contacts(
        path, datasets.load_postcodes(district), column_map=dict(column_map or {})
    )
    report = imported.report
    if report.rows_used == 0:
        reasons = ", ".join(
            f"{count} {key} (first at line {report.example_rows[key][0]})"
            for key, count in report.set_aside.items()
        )
        raise DataError(
            f"{path}: none of the {report.rows_read} rows can be used"
            + (f": {reasons}" if reasons else "")
        )
    return imported


def assess_wards(
    contacts: pd.DataFrame,
    district: str = DEFAULT_DISTRICT,
    weights: Mapping[str, float] | None = None,
) -> gpd.GeoDataFrame:
    """Wards (EPSG:27700) with demand figures and the exclusion index."""
    wards = datasets.load_wards(district)
    wards = demand.summarise_demand(contacts, wards)
    wards["exclusion_index"] = exclusion.score_exclusion_risk(wards, weights)
    return wards


def build_demand_points(
    wards: pd.DataFrame,
    contacts: pd.DataFrame,
    basis: DemandBasis = "need",
    district: str = DEFAULT_DISTRICT,
) -> gpd.GeoDataFrame:
    """Postcode points (EPSG:27700) weighted by the chosen demand basis.

    ``need``: live residential postcodes weighted by residents x the ward's
    exclusion index / 100. The index ranks wards within the district, so the
    ward lowest on every indicator weighs nothing: need is relative.
    ``assisted_contacts``: postcodes weighted by their phone and face-to-face
    contacts. Weights are persons (or contacts); points are in EPSG:27700.
    """
    postcodes = datasets.load_postcodes(district)
    if basis == "need":
        points = postcodes[
            (postcodes["status"] == "live") & (postcodes["residents"] > 0)
        ]
        index = wards.set_index("ward_code")["exclusion_index"] / 100
        weight = points["residents"] * points["ward_code"].map(index).fillna(0)
    elif basis == "assisted_contacts":
        assisted = contacts[contacts["channel"].isin(ASSISTED_CHANNELS)]
        counts = assisted.groupby("postcode").size()
        points = postcodes[postcodes["postcode"].isin(counts.index)]
        weight = points["postcode"].map(counts).astype(float)
    else:
        raise DataError(f"`basis` must be 'need' or 'assisted_contacts', got {basis!r}")
    return points.assign(weight=weight.to_numpy())[
        ["postcode", "ward_code", "weight", "geometry"]
    ]


def choose_sites(
    points: gpd.GeoDataFrame,
    options: SitingOptions,
    district: str = DEFAULT_DISTRICT,
) -> gpd.GeoDataFrame:
    """Recommended outlets and pods for weighted demand points (EPSG:27700)."""
    chosen = siting.recommend_sites(
        points,
        datasets.load_sites(district),
        weight="weight",
        p_outlets=options.p_outlets,
        k_pods=options.k_pods,
        outlet_radius_m=options.outlet_radius_m,
        pod_radius_m=options.pod_radius_m,
        keep_existing=options.keep_existing,
    )
    chosen.attrs["demand_basis"] = options.demand_basis
    return chosen


def run_analysis(
    crm_path: str | Path | None = None,
    *,
    column_map: Mapping[str, str] | None = None,
    district: str = DEFAULT_DISTRICT,
    weights: Mapping[str, float] | None = None,
    siting: SitingOptions = SitingOptions(),
) -> Analysis:
    """Run the main job: import contacts, assess wards, choose sites.

    Parameters
    ----------
    crm_path : str or Path, optional
        A CRM extract (CSV); the synthetic default when missing.
    column_map : mapping, optional
        The extract's column names mapped to ours (see :mod:`insight.crm`).
    district : str
        ONS district code; only ``E07000011`` is embedded so far.
    weights : mapping, optional
        Exclusion index weights per indicator (see :mod:`insight.exclusion`).
    siting : SitingOptions
        Tiers, radii (metres, British National Grid) and demand basis.

    """
    imported = load_contacts(crm_path, district, column_map)
    wards = assess_wards(imported.contacts, district, weights)
    points = build_demand_points(
        wards, imported.contacts, siting.demand_basis, district
    )
    chosen = choose_sites(points, siting, district)
    logger.info(
        "%d wards assessed, %d sites chosen, %.1f%% of demand covered",
        len(wards),
        len(chosen),
        100 * chosen.attrs.get("share_covered", float("nan")),
    )
    return Analysis(
        wards=wards,
        sites=chosen,
        channels=demand.summarise_channels(imported.contacts),
        import_report=imported.report,
        options=siting,
        weights=dict(weights or exclusion.DEFAULT_WEIGHTS),
    )
