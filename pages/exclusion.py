"""Exclusion risk page: the ward index and what makes it up."""

import altair as alt
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
chart = (
    alt.Chart(long)
    .mark_bar()
    .encode(
        x=alt.X("sum(Points):Q", title="Index points (0-100)"),
        # An explicit order, so the bars re-sort whenever the weights change.
        y=alt.Y("Ward:N", sort=list(order["ward_name"]), axis=alt.Axis(labelLimit=260)),
        color=alt.Color(
            "Indicator:N", sort=list(exclusion.INDICATORS.values()), title=None
        ),
        order=alt.Order("Indicator:N"),
        tooltip=["Ward", "Indicator", alt.Tooltip("Points:Q", format=".1f")],
    )
    .properties(height=700)
)
st.altair_chart(chart, width="stretch")

st.subheader("Indicators")
labels = exclusion.INDICATORS
shares = ["share_aged_75_plus", "share_disabled", "share_social_rented", "idaopi_rate"]
st.dataframe(
    order[["ward_name", "exclusion_index", *labels]].assign(
        **{column: 100 * order[column] for column in shares}
    ),
    hide_index=True,
    column_config={
        "ward_name": st.column_config.TextColumn("Ward", width="large"),
        "exclusion_index": st.column_config.NumberColumn("Index", format="%.0f"),
        "share_aged_75_plus": st.column_config.NumberColumn(
            labels["share_aged_75_plus"], format="%.1f%%", help="Share of residents"
        ),
        "share_disabled": st.column_config.NumberColumn(
            labels["share_disabled"], format="%.1f%%", help="Share of residents"
        ),
        "share_social_rented": st.column_config.NumberColumn(
            labels["share_social_rented"], format="%.1f%%", help="Share of households"
        ),
        "idaopi_rate": st.column_config.NumberColumn(
            labels["idaopi_rate"],
            format="%.1f%%",
            help="Income deprivation affecting older people: share of people 60+",
        ),
        "imd_score_2025": st.column_config.NumberColumn(
            labels["imd_score_2025"], format="%.1f", help="IMD 2025 score"
        ),
        "broadband_risk_2022": st.column_config.NumberColumn(
            labels["broadband_risk_2022"],
            format="%.2f",
            help="DERI broadband component, 0-10, higher is worse (May 2022)",
        ),
    },
)
show_attribution()
