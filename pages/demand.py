import streamlit as st

from insight.privacy import suppress_small_counts
from insight.settings import CHANNELS
from pages._shared import (
    assessed_wards,
    channel_summary,
    current_weights,
    show_data_notice,
)

st.title("Where does demand come from?")
show_data_notice()
crm_path = st.session_state["crm_path"]

st.subheader("District totals by channel")
channels = channel_summary(crm_path)
st.dataframe(
    channels,
    column_config={
        "share": st.column_config.ProgressColumn(
            "Share", format="percent", min_value=0, max_value=1
        ),
        "resolved_first_contact": st.column_config.NumberColumn(
            "Resolved first time", format="percent"
        ),
        "avoidable": st.column_config.NumberColumn("Avoidable", format="percent"),
    },
)

st.subheader("Contacts by ward")
st.caption("Counts of 1-4 are suppressed (blank) to protect residents.")
wards = assessed_wards(crm_path, current_weights())
counts = [f"contacts_{c}" for c in CHANNELS]
table = suppress_small_counts(
    wards,
    ["contacts_total", *counts],
    derived={"contacts_per_1000": "contacts_total", "assisted_share": "contacts_total"},
)
st.dataframe(
    table[
        [
            "ward_name",
            "residents",
            "contacts_total",
            "contacts_per_1000",
            "assisted_share",
            "avoidable_share",
            *counts,
        ]
    ].sort_values("contacts_per_1000", ascending=False),
    hide_index=True,
    column_config={
        "residents": st.column_config.NumberColumn("Residents", format="%d"),
        "contacts_per_1000": st.column_config.NumberColumn(
            "Per 1,000 residents", format="%.0f"
        ),
        "assisted_share": st.column_config.NumberColumn(
            "Phone + face to face", format="percent"
        ),
        "avoidable_share": st.column_config.NumberColumn("Avoidable", format="percent"),
    },
)
