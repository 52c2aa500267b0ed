import tempfile
from pathlib import Path

import streamlit as st

from insight.crm import REASONS
from pages._shared import imported_contacts, show_attribution, show_data_notice

st.title("Data and sources")
show_data_notice()

st.subheader("Load a CRM export")
upload = st.file_uploader(
    "CSV with case_id, created_at, channel, service and postcode columns", type="csv"
)
if upload is not None:
    folder = Path(tempfile.gettempdir()) / "insight_uploads"
    folder.mkdir(exist_ok=True)
    path = folder / Path(upload.name).name
    path.write_bytes(upload.getvalue())
    st.session_state["crm_path"] = str(path)
if st.session_state["crm_path"] and st.button("Back to the synthetic extract"):
    st.session_state["crm_path"] = None
    st.rerun()

st.subheader("Import report")
report = imported_contacts(st.session_state["crm_path"]).report
st.write(
    f"**{report.rows_read:,}** rows read, **{report.rows_used:,}** used, "
    f"**{report.rows_set_aside:,}** set aside."
)
if report.set_aside:
    st.table(
        [
            {
                "Reason": REASONS[key],
                "Column": report.columns[key],
                "Rows": count,
                "First lines": ", ".join(map(str, report.example_rows[key][:5])),
            }
            for key, count in report.set_aside.items()
        ]
    )

st.subheader("Sources and licences")
st.markdown(
    "Boundaries, postcodes, census, deprivation and site data are real open data "
    "for Huntingdonshire, built by `geodata/build_default.py`; `geodata/README.md` "
    "lists every source, vintage and licence."
)
show_attribution()
