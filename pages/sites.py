"""Recommended sites page: the chosen outlets and pods, their reach and a map."""

import streamlit as st
from streamlit_folium import st_folium

from insight.demand import publishable_count
from insight.mapping import make_ward_map
from insight.report import publishable_sites
from insight.settings import SITE_KIND_LABELS, TIER_LABELS
from pages._shared import (
    assessed_wards,
    chosen_sites,
    current_options,
    current_weights,
    show_data_notice,
)

st.title("Where should help be?")
options = current_options()
if options.demand_basis == "assisted_contacts":
    show_data_notice()
sites = chosen_sites(st.session_state["crm_path"], current_weights(), options)
attrs = sites.attrs

unit = {
    "need": "risk-weighted residents (residents x ward exclusion index / 100)",
    "assisted_contacts": "phone and face-to-face contacts",
}[options.demand_basis]
by_contacts = options.demand_basis == "assisted_contacts"


def amount(value: float) -> str:
    """Demand as shown: contact counts follow small-number suppression."""
    return publishable_count(round(value)) if by_contacts else f"{value:,.0f}"


tiers = sites["tier"].value_counts()
new_outlets, pods = int(tiers.get("outlet", 0)), int(tiers.get("pod", 0))
st.markdown(
    "Chosen by a maximal covering model solved exactly (HiGHS), straight-line reach: "
    f"**{new_outlets} of {options.p_outlets}** new staffed outlets asked for "
    f"(reach {options.outlet_radius_m / 1000:g} km) and **{pods} of {options.k_pods}** "
    f"self-service pods (reach {options.pod_radius_m / 1000:g} km). Demand is "
    f"**{unit}**: {amount(attrs['total_weight'])} in the district."
)
left, middle, right = st.columns(3)
left.metric("Demand covered, all sites", f"{100 * attrs['share_covered']:.1f}%")
middle.metric(
    "Covered by staffed outlets alone",
    f"{100 * attrs['share_covered_outlets_only']:.1f}%",
)
right.metric("Left uncovered", amount(attrs["total_weight"] - attrs["covered_weight"]))

if attrs["sites_without_gain"]:
    st.info(
        f"{len(attrs['sites_without_gain'])} more site(s) would add no coverage, so "
        "they are not recommended: " + ", ".join(attrs["sites_without_gain"]) + ".",
    )

published = publishable_sites(sites)
demand = ["demand_added", "demand_covered_first", "demand_covered"]
table = published.assign(
    tier=published["tier"].map(TIER_LABELS),
    kind=published["kind"].map(SITE_KIND_LABELS),
    radius_km=published["radius_m"] / 1000,
    adds=published["demand_added"] / attrs["total_weight"],
    **{column: published[column].astype(float).round() for column in demand},
)
st.dataframe(
    table[["name", "tier", "adds", *demand, "kind", "radius_km"]],
    hide_index=True,
    column_config={
        "name": st.column_config.TextColumn("Site", width="medium"),
        "tier": "Recommendation",
        "adds": st.column_config.NumberColumn(
            "Adds (% of demand)",
            format="percent",
            help="Demand that no other chosen site reaches, as a share of all demand",
        ),
        "demand_added": st.column_config.NumberColumn(
            "Only it reaches", format="localized"
        ),
        "demand_covered_first": st.column_config.NumberColumn(
            "It serves",
            format="localized",
            help="Demand credited to this site: nearest covering outlet, else pod",
        ),
        "demand_covered": st.column_config.NumberColumn(
            "Within reach", format="localized"
        ),
        "kind": "Kind of site",
        "radius_km": st.column_config.NumberColumn("Reach (km)", format="%.1f"),
    },
)
wards = assessed_wards(st.session_state["crm_path"], current_weights())
fmap = make_ward_map(
    wards,
    "exclusion_index",
    label="Exclusion risk index (0-100)",
    value_format="{:.0f}",
    sites=sites,
)
st_folium(
    fmap, height=520, use_container_width=True, returned_objects=[], key="sites_map"
)

st.download_button(
    "Download sites.csv",
    published.to_csv(index=False),
    "sites.csv",
    "text/csv",
)
