import streamlit as st

from insight.mapping import TIER_LABELS
from insight.report import SITE_COLUMNS
from pages._shared import chosen_sites, current_options, current_weights

st.title("Where should help be?")
options = current_options()
sites = chosen_sites(st.session_state["crm_path"], current_weights(), options)
attrs = sites.attrs

st.markdown(
    "Chosen by a maximal covering model solved exactly (HiGHS): "
    f"**{options.p_outlets}** new staffed outlet(s) within "
    f"**{options.outlet_radius_m / 1000:g} km** and **{options.k_pods}** self-service "
    f"pod(s) within **{options.pod_radius_m / 1000:g} km**, straight-line distance "
    "on the British National Grid."
)
left, right = st.columns(2)
left.metric("Demand covered, all sites", f"{100 * attrs['share_covered']:.1f}%")
right.metric(
    "Covered by staffed outlets alone",
    f"{100 * attrs['share_covered_outlets_only']:.1f}%",
)

table = sites[[*SITE_COLUMNS, "demand_covered_first"]].assign(
    tier=sites["tier"].map(TIER_LABELS)
)
st.dataframe(table.drop(columns=["site_id"]), hide_index=True)
st.download_button(
    "Download sites.csv",
    sites[list(SITE_COLUMNS)].to_csv(index=False),
    "sites.csv",
    "text/csv",
)
