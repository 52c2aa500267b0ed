"""Demand page: contacts by channel, ward and service (published counts only)."""

import pandas as pd
import streamlit as st

from insight.demand import publishable_count, suppress_channel_summary
from insight.settings import CHANNEL_LABELS, CHANNELS
from pages._shared import (
    SUPPRESSED,
    channel_summary,
    current_weights,
    imported_contacts,
    published_wards,
    service_table,
    show_data_notice,
    styled,
)

st.title("Where does demand come from?")
show_data_notice()
crm_path = st.session_state["crm_path"]
report = imported_contacts(crm_path).report

st.subheader("District totals by channel")
channels = suppress_channel_summary(channel_summary(crm_path))
totals = pd.DataFrame(
    {
        "Channel": [CHANNEL_LABELS[c] for c in channels.index],
        "In the extract": [
            publishable_count(report.rows_by_channel.get(c, 0)) for c in channels.index
        ],
        "Placed on the map": [publishable_count(int(n)) for n in channels["contacts"]],
        "Share of placed": channels["share"].to_numpy(),
        "Resolved first time": channels["resolved_first_contact"].to_numpy(),
        "Avoidable": channels["avoidable"].to_numpy(),
    }
)
shares = ["Share of placed", "Resolved first time", "Avoidable"]
st.dataframe(
    styled(totals, dict.fromkeys(shares, "{:.1%}")),
    hide_index=True,
    column_config={"Channel": st.column_config.TextColumn(width="medium")},
)
st.caption(
    f"{report.rows_set_aside:,} of {report.rows_read:,} rows could not be placed "
    "(see *Data and sources*). Web forms are an assumption of the synthetic extract "
    "(100 a day): the council publishes web visits, not transactions."
    if report.synthetic
    else f"{report.rows_set_aside:,} of {report.rows_read:,} rows could not be placed "
    "(see *Data and sources*)."
)

st.subheader("Contacts by ward")
st.caption(
    f"{SUPPRESSED}: suppressed. Counts of 1-4 are not published, and neither is the "
    "next smallest count in a row or column where a blank could otherwise be worked "
    "out from a total; rates and shares follow their counts."
)
wards = published_wards(crm_path, current_weights())
counts = {f"contacts_{c}": CHANNEL_LABELS[c] for c in CHANNELS}
shown = wards[
    [
        "ward_name",
        "residents",
        "contacts_total",
        "contacts_per_1000",
        "assisted_share",
        "avoidable_share",
        *counts,
    ]
].sort_values("contacts_per_1000", ascending=False)
shown = shown.astype({c: float for c in ["contacts_total", *counts]})
whole = "{:,.0f}"
st.dataframe(
    styled(
        shown,
        {
            "residents": whole,
            "contacts_total": whole,
            "contacts_per_1000": whole,
            "assisted_share": "{:.1%}",
            "avoidable_share": "{:.1%}",
            **dict.fromkeys(counts, whole),
        },
    ),
    hide_index=True,
    column_config={
        "ward_name": st.column_config.TextColumn("Ward", width="large"),
        "residents": "Residents",
        "contacts_total": "Contacts",
        "contacts_per_1000": "Per 1,000 residents",
        "assisted_share": "Phone + face to face",
        "avoidable_share": "Avoidable",
        **counts,
    },
)

st.subheader("Contacts by ward and service")
services = service_table(crm_path).astype(float)
services.index = wards.set_index("ward_code").loc[services.index, "ward_name"]
services.index.name = "Ward"
services.columns = [c.replace("_", " ").capitalize() for c in services.columns]
st.dataframe(styled(services, dict.fromkeys(services.columns, whole)))
