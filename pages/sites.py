"""Recommended sites page: the chosen outlets and pods, their reach and a map."""

import streamlit as st
from streamlit_folium import st_folium

from insight.analysis import publishable_sites_share
from insight.demand import publishable_count
from insight.mapping import make_ward_map
from insight.report import publishable_sites
from insight.settings import SHORT_TIER_LABELS
from pages._shared import (
    SUPPRESSED,
    assessed_wards,
    chosen_sites,
    current_options,
    current_weights,
    show_data_notice,
    styled,
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
for column, label, outlets_only in (
    (left, "Demand covered, all sites", False),
    (middle, "Covered by staffed outlets alone", True),
):
    share = publishable_sites_share(sites, outlets_only=outlets_only)
    column.metric(label, SUPPRESSED if share is None else f"{100 * share:.1f}%")
right.metric("Left uncovered", amount(attrs["total_weight"] - attrs["covered_weight"]))

if attrs["sites_without_gain"]:
    st.info(
        f"{len(attrs['sites_without_gain'])} more site(s) would add no coverage, so "
        "they are not recommended: " + ", ".join(attrs["sites_without_gain"]) + ".",
    )

if sites.empty:
    st.info(
        "No site is recommended: ask for staffed outlets or pods in the sidebar, or "
        "tick *Keep today's four centres*."
    )
published = publishable_sites(sites)
demand = ["demand_added", "demand_covered_first", "demand_covered"]
table = published.assign(
    tier=published["tier"].map(SHORT_TIER_LABELS),
    adds=published["demand_added"].astype(float) / attrs["total_weight"],
    **{column: published[column].astype(float) for column in demand},
)
whole = "{:,.0f}"
st.dataframe(
    styled(
        table[["name", "tier", "adds", *demand]],
        {"adds": "{:.1%}", **dict.fromkeys(demand, whole)},
    ),
    hide_index=True,
    column_config={
        "name": st.column_config.TextColumn("Site", width=270),
        "tier": st.column_config.TextColumn("Recommendation", width=125),
        "adds": st.column_config.Column(
            "Adds (% of demand)",
            help="Demand that no other chosen site reaches, as a share of all demand",
        ),
        "demand_added": "Only it reaches",
        "demand_covered_first": st.column_config.Column(
            "It serves",
            help="Demand credited to this site: nearest covering outlet, else pod",
        ),
        "demand_covered": "Within reach",
    },
)
st.caption(
    "*Only it reaches*: demand that would lose its site if this one alone were left "
    "out; an existing centre adding little is overlapped by other sites, not "
    "idle. *It serves*: demand for which it is the nearest site within reach."
    + (f" {SUPPRESSED}: suppressed (fewer than 5 contacts)." if by_contacts else "")
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
