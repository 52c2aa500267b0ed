"""Demand page: contacts by channel, ward and service (published counts only)."""

import pandas as pd
import streamlit as st

from insight.demand import publishable_count, suppress_channel_summary
from insight.settings import CHANNEL_LABELS, CHANNELS
from pages._shared import (
    channel_summary,
    current_weights,
    imported_contacts,
    published_wards,
    service_table,
    show_data_notice,
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
st.dataframe(
    totals,
    hide_index=True,
    column_config={
        "In the extract": st.column_config.TextColumn(),
        "Placed on the map": st.column_config.TextColumn(),
        "Share of placed": st.column_config.NumberColumn(format="percent"),
        "Resolved first time": st.column_config.NumberColumn(format="percent"),
        "Avoidable": st.column_config.NumberColumn(format="percent"),
    },
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
    "Counts of 1-4 are blank, and so is the next smallest count in a row or column "
    "where a blank could otherwise be worked out from a total."
)
wards = published_wards(crm_path, current_weights())
wards["residents"] = wards["residents"].round()
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
shown["contacts_per_1000"] = shown["contacts_per_1000"].round()
st.dataframe(
    shown,
    hide_index=True,
    column_config={
        "ward_name": st.column_config.TextColumn("Ward", width="medium"),
        "residents": st.column_config.NumberColumn("Residents", format="localized"),
        "contacts_total": st.column_config.NumberColumn("Contacts", format="localized"),
        "contacts_per_1000": st.column_config.NumberColumn(
            "Per 1,000 residents", format="localized"
        ),
        "assisted_share": st.column_config.NumberColumn(
            "Phone + face to face", format="percent"
        ),
        "avoidable_share": st.column_config.NumberColumn("Avoidable", format="percent"),
        **{
            k: st.column_config.NumberColumn(v, format="localized")
            for k, v in counts.items()
        },
    },
)

st.subheader("Contacts by ward and service")
services = service_table(crm_path).astype(float)  # blanks show empty, not None
services.index = wards.set_index("ward_code").loc[services.index, "ward_name"]
services.columns = [c.replace("_", " ").capitalize() for c in services.columns]
st.dataframe(
    services,
    column_config={
        "ward_name": "Ward",
        **{c: st.column_config.NumberColumn(format="localized") for c in services},
    },
)
