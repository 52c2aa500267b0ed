"""Data page: load a CRM export, read its import report, see sources and licences."""

import streamlit as st

from insight.crm import REASONS
from pages._shared import (
    forget_upload,
    imported_contacts,
    save_upload,
    show_attribution,
    show_data_notice,
    try_import,
)

st.title("Data and sources")

st.subheader("Load a CRM export")
upload = st.file_uploader(
    "CSV with case id, created at, channel, service and postcode columns",
    type=["csv", "txt"],
)
if upload is not None and upload.file_id != st.session_state["upload_id"]:
    # A new file: import it once; a failed one is deleted at once.
    st.session_state["upload_id"] = upload.file_id
    path = save_upload(upload.name, upload.getvalue())
    if try_import(path, upload.name):
        forget_upload(st.session_state["crm_path"])
        st.session_state["crm_path"] = path
    else:
        forget_upload(path)
if st.session_state["crm_path"] and st.button("Back to the synthetic extract"):
    forget_upload(st.session_state["crm_path"])
    st.session_state["crm_path"] = None
    st.rerun()
show_data_notice(upload_hint=False)

st.subheader("Import report")
report = imported_contacts(st.session_state["crm_path"]).report
separator = {",": "comma", ";": "semicolon", "\t": "tab", "|": "bar"}
st.write(
    f"**{report.rows_read:,}** rows read, **{report.rows_used:,}** used, "
    f"**{report.rows_set_aside:,}** set aside. Text encoding {report.encoding}; "
    f"columns separated by {separator.get(report.delimiter, report.delimiter)}."
)
if report.set_aside:
    st.table(
        [
            {
                "Reason": REASONS[key],
                "Column": report.columns[key],
                "Rows": f"{count:,}",
                "First lines": ", ".join(map(str, report.example_rows[key][:5])),
            }
            for key, count in report.set_aside.items()
        ]
    )
for column, unknown in report.unknown_values.items():
    lines = ", ".join(map(str, unknown["example_rows"][:5]))
    st.caption(
        f"{unknown['rows']:,} rows have a {column} we do not know "
        f"({unknown['spellings']:,} spellings; values are not shown), first on lines "
        f"{lines}. Known {column}s are listed in the README."
    )
if report.lines_in_unclosed_quotes:
    st.warning(
        f"{report.lines_in_unclosed_quotes:,} lines sit inside quotes that are never "
        "closed and were read as single records (set aside): close the quotes on "
        f"lines {', '.join(map(str, report.example_rows['unclosed_quote'][:5]))}."
    )
st.caption(
    "This report counts rows before small-number suppression: it is for the "
    "file's owner, not for publication."
)
for column, info in report.unreadable_values.items():
    st.caption(
        f"{info['count']} unreadable true/false values in {column!r} (kept, as blank)"
    )

st.subheader("Sources and licences")
st.markdown(
    "Boundaries, postcodes, census, deprivation and site data are real open data "
    "for Huntingdonshire, built by `geodata/build_default.py`; `geodata/README.md` "
    "lists every source, vintage and licence."
)
show_attribution()
