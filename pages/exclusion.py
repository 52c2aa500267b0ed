"""Exclusion risk page: the ward index and what makes it up."""

import streamlit as st

from insight import exclusion
from pages._shared import assessed_wards, current_weights, show_attribution

st.title("Who is at risk of digital exclusion?")
st.markdown(
    "Each indicator is rescaled across the district's wards from 0 (lowest ward) to 1 "
    "(highest); the index is their weighted mean x 100. Change the weights in the "
    "sidebar. The index ranks wards within the district."
)
weights = current_weights()
wards = assessed_wards(st.session_state["crm_path"], weights)
order = wards.sort_values("exclusion_index", ascending=False)

st.subheader("Index by ward, and what makes it up")
parts = exclusion.contributions(order, dict(weights))
parts.columns = [exclusion.INDICATORS[c] for c in parts.columns]
parts.insert(0, "Ward", order["ward_name"].to_numpy())
long = parts.melt(id_vars="Ward", var_name="Indicator", value_name="Points")
st.bar_chart(
    long,
    x="Ward",
    y="Points",
    color="Indicator",
    horizontal=True,
    sort=False,
    height=700,
)

st.subheader("Indicators")
percent = st.column_config.NumberColumn(format="percent")
st.dataframe(
    order[["ward_name", "exclusion_index", *exclusion.INDICATORS]],
    hide_index=True,
    column_config={
        "ward_name": st.column_config.TextColumn("Ward", width="medium"),
        "exclusion_index": st.column_config.NumberColumn("Index", format="%.0f"),
        "share_aged_75_plus": st.column_config.NumberColumn(
            "Aged 75+", format="percent"
        ),
        "share_disabled": st.column_config.NumberColumn("Disabled", format="percent"),
        "share_social_rented": st.column_config.NumberColumn(
            "Social rented", format="percent"
        ),
        "idaopi_rate": st.column_config.NumberColumn(
            "Older people income-deprived", format="percent"
        ),
        "imd_score_2025": st.column_config.NumberColumn(
            "IMD 2025 score", format="%.1f"
        ),
        "broadband_risk_2022": st.column_config.NumberColumn(
            "Broadband risk (0-10)", format="%.2f"
        ),
    },
)
show_attribution()
