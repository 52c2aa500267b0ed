"""Map page: wards by demand, exclusion risk, broadband or street reports, and sites."""

import streamlit as st
from streamlit_folium import st_folium

from insight.analysis import publishable_sites_share
from insight.demand import publishable_count
from insight.mapping import make_ward_map
from insight.settings import CHANNEL_LABELS
from pages._shared import (
    channel_summary,
    chosen_sites,
    current_options,
    current_weights,
    imported_contacts,
    published_wards,
    show_attribution,
    show_data_notice,
    site_summary,
)

LAYERS = {
    "Contact demand": ("contacts_per_1000", "Contacts per 1,000 residents", "{:,.0f}"),
    "Digital exclusion risk": (
        "exclusion_index",
        "Exclusion risk index (0-100)",
        "{:.0f}",
    ),
    "Broadband": (
        "broadband_risk_2022",
        "Broadband risk, DERI 0-10, higher is worse (May 2022)",
        "{:.2f}",
    ),
    "Street reports online (real)": (
        "fms_reports_2020",
        "FixMyStreet street reports made online in 2020 (real, mySociety)",
        "{:,.0f}",
    ),
}

st.title("Customer insight map")
show_data_notice()

crm_path = st.session_state["crm_path"]
wards = published_wards(crm_path, current_weights())
sites = chosen_sites(crm_path, current_weights(), current_options())
channels = channel_summary(crm_path)
report = imported_contacts(crm_path).report

# Headline figures: the extract's volumes, and what the map could place.
columns = st.columns(len(channels) + 1)
for column, (channel, row) in zip(columns, channels.iterrows(), strict=False):
    column.metric(
        CHANNEL_LABELS[channel],
        publishable_count(report.rows_by_channel.get(channel, 0)),
        help=(
            "In the extract; "
            f"{publishable_count(int(row['contacts']))} placed on the map by postcode"
        ),
    )
options = current_options()
share = publishable_sites_share(sites)
columns[-1].metric(
    "Need covered" if options.demand_basis == "need" else "Contacts covered",
    "[c]" if share is None else f"{100 * share:.1f}%",
    help=(
        "Share of risk-weighted residents within reach of a recommended site"
        if options.demand_basis == "need"
        else "Share of phone and face-to-face contacts within reach of a site"
    ),
)

st.caption(
    f"Contacts in the extract; {report.rows_used:,} of them placed on the map by "
    f"postcode, {report.rows_set_aside:,} set aside (see *Data and sources*). "
    + site_summary(sites, options)
)

layer = st.radio("Colour wards by", list(LAYERS), horizontal=True, key="map_layer")
column, label, value_format = LAYERS[layer]
synthetic = report.synthetic and layer == "Contact demand"
note = "Contacts: SYNTHETIC data" if synthetic else None
fmap = make_ward_map(
    wards, column, label=label, value_format=value_format, sites=sites, note=note
)
st_folium(
    fmap, height=620, use_container_width=True, returned_objects=[], key="ward_map"
)
show_attribution()
