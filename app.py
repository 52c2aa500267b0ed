"""Council customer insight: Streamlit entry point.

Run with ``streamlit run app.py``. This script only routes between pages and
draws the shared sidebar; all analysis lives in the ``insight`` package.
"""

import logging

import streamlit as st

from pages._shared import draw_sidebar, init_state

logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
st.set_page_config(
    page_title="Council customer insight", page_icon=":material/map:", layout="wide"
)

# Each page's url_path differs from its file name: a page whose path matched
# a file in pages/ would be run on its own, without this script's sidebar.
init_state()
navigation = st.navigation(
    [
        st.Page(
            "pages/map.py",
            title="Map",
            icon=":material/map:",
            url_path="ward-map",
            default=True,
        ),
        st.Page(
            "pages/demand.py",
            title="Demand",
            icon=":material/call:",
            url_path="contact-demand",
        ),
        st.Page(
            "pages/exclusion.py",
            title="Exclusion risk",
            icon=":material/wifi_off:",
            url_path="exclusion-risk",
        ),
        st.Page(
            "pages/sites.py",
            title="Recommended sites",
            icon=":material/storefront:",
            url_path="recommended-sites",
        ),
        st.Page(
            "pages/data.py",
            title="Data and sources",
            icon=":material/database:",
            url_path="data-and-sources",
        ),
    ]
)
draw_sidebar()
navigation.run()
