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
parts = exclusion.contributions(wards, dict(weights))
parts.columns = [exclusion.INDICATORS[c] for c in parts.columns]
parts.index = wards["ward_name"]
parts = parts.loc[
    wards.set_index("ward_name")["exclusion_index"].sort_values(ascending=False).index
]

st.subheader("Index by ward, and what makes it up")
st.bar_chart(parts, horizontal=True, height=640)

st.subheader("Indicators")
shown = wards[["ward_name", "exclusion_index", *exclusion.INDICATORS]].sort_values(
    "exclusion_index", ascending=False
)
st.dataframe(
    shown.rename(columns=exclusion.INDICATORS),
    hide_index=True,
    column_config={
        "exclusion_index": st.column_config.NumberColumn("Index", format="%.0f")
    },
)
show_attribution()
