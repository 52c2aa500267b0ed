"""Recommended sites page: the chosen outlets and pods, their reach and a map."""

import streamlit as st
from streamlit_folium import st_folium

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

basis = {
    "need": "residents weighted by their ward's exclusion risk",
    "assisted_contacts": "phone and face-to-face contacts",
}[options.demand_basis]
st.markdown(
    "Chosen by a maximal covering model solved exactly (HiGHS): "
    f"**{options.p_outlets}** new staffed outlet(s) within "
    f"**{options.outlet_radius_m / 1000:g} km** and **{options.k_pods}** self-service "
    f"pod(s) within **{options.pod_radius_m / 1000:g} km** (straight line), covering "
    f"as much as possible of {basis}."
)
left, right = st.columns(2)
left.metric("Demand covered, all sites", f"{100 * attrs['share_covered']:.1f}%")
right.metric(
    "Covered by staffed outlets alone",
    f"{100 * attrs['share_covered_outlets_only']:.1f}%",
)

if attrs["sites_without_gain"]:
    st.info(
        f"{len(attrs['sites_without_gain'])} more site(s) would add no coverage, so "
        "they are not recommended: " + ", ".join(attrs["sites_without_gain"]) + ".",
    )

published = publishable_sites(sites)
demand = ["demand_covered", "demand_covered_first", "demand_added"]
table = published.assign(
    tier=published["tier"].map(TIER_LABELS),
    kind=published["kind"].map(SITE_KIND_LABELS),
    radius_km=published["radius_m"] / 1000,
    **{column: published[column].round() for column in demand},
)
st.dataframe(
    table[
        [
            "name",
            "tier",
            "kind",
            "radius_km",
            "demand_covered",
            "demand_covered_first",
            "demand_added",
        ]
    ],
    hide_index=True,
    column_config={
        "name": "Site",
        "tier": "Recommendation",
        "kind": "Kind of site",
        "radius_km": st.column_config.NumberColumn("Reach (km)", format="%.1f"),
        "demand_covered": st.column_config.NumberColumn(
            "Demand within reach",
            format="localized",
            help="Weight of demand within its reach",
        ),
        "demand_covered_first": st.column_config.NumberColumn(
            "Demand it serves",
            format="localized",
            help="Demand credited to this site: nearest covering outlet, else pod",
        ),
        "demand_added": st.column_config.NumberColumn(
            "Only it reaches",
            format="localized",
            help="Demand no other chosen site reaches",
        ),
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
