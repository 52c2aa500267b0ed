"""What every page shares: session defaults, the sidebar and cached analysis.

Pages stay thin: they read the sidebar's choices from ``st.session_state``,
call one of the cached functions below (which call ``insight``) and render.
"""

from __future__ import annotations

import atexit
import hashlib
import logging
import shutil
import tempfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import streamlit as st

from insight import analysis, crm, datasets, demand, exclusion
from insight._errors import InsightError, describe_failure
from insight.settings import OUTLET_RADIUS_M, POD_RADIUS_M

logger = logging.getLogger(__name__)

SYNTHETIC_BANNER = (
    "**Synthetic contact data.** No real CRM data is public: the contacts shown are "
    "a seeded, documented synthetic extract calibrated to the council's published "
    "volumes."
)
UPLOAD_HINT = " A real export can be loaded on the *Data and sources* page."

#: Every session-state key and its default, set up in one place.
DEFAULTS: dict[str, object] = {
    "crm_path": None,
    "upload_id": None,
    "p_outlets": 1,
    "k_pods": 5,
    "outlet_radius_km": OUTLET_RADIUS_M / 1000,
    "pod_radius_km": POD_RADIUS_M / 1000,
    "keep_existing": True,
    "demand_basis": "need",
    **{f"weight_{name}": 1.0 for name in exclusion.INDICATORS},
}


def init_state() -> None:
    """Give every session-state key its default once per session.

    These keys hold the user's choices. Widgets keep their own keys (``_`` +
    the name) and copy into these on change, so a choice survives page
    changes even when Streamlit clears a widget's state.
    """
    for key, value in DEFAULTS.items():
        st.session_state.setdefault(key, value)


def _store(key: str) -> None:
    """Copy a widget's value into the choice it stands for."""
    st.session_state[key] = st.session_state[f"_{key}"]


def _slider(label: str, low: float, high: float, key: str, **kwargs: object) -> None:
    """A slider bound to the choice ``key``."""
    st.slider(
        label,
        low,
        high,
        value=st.session_state[key],
        key=f"_{key}",
        on_change=_store,
        args=(key,),
        **kwargs,
    )


def draw_sidebar() -> None:
    """Sidebar controls shared by all pages; values land in session state."""
    with st.sidebar:
        st.subheader("Where should help be?")
        _slider("New staffed outlets (p)", 0, 5, "p_outlets")
        _slider("Self-service pods (k)", 0, 12, "k_pods")
        _slider("Outlet reach (km)", 1.0, 20.0, "outlet_radius_km", step=0.5)
        _slider("Pod reach (km)", 0.5, 10.0, "pod_radius_km", step=0.5)
        st.checkbox(
            "Keep today's four centres",
            value=st.session_state["keep_existing"],
            key="_keep_existing",
            on_change=_store,
            args=("keep_existing",),
        )
        bases = ["need", "assisted_contacts"]
        st.radio(
            "Cover",
            bases,
            index=bases.index(st.session_state["demand_basis"]),
            format_func={
                "need": "Residents x exclusion risk",
                "assisted_contacts": "Phone and face-to-face contacts",
            }.get,
            key="_demand_basis",
            on_change=_store,
            args=("demand_basis",),
        )
        with st.expander("Exclusion index weights"):
            for name, label in exclusion.INDICATORS.items():
                _slider(label, 0.0, 3.0, f"weight_{name}", step=0.5)


def current_weights() -> tuple[tuple[str, float], ...]:
    """Exclusion weights from the sidebar, hashable for caching.

    All weights at 0 leave the index undefined: equal weights are used then,
    with a warning in the sidebar.
    """
    weights = tuple(
        (name, float(st.session_state[f"weight_{name}"]))
        for name in exclusion.INDICATORS
    )
    if not any(value > 0 for _, value in weights):
        st.sidebar.warning("All index weights are 0: equal weights are used instead.")
        return tuple(exclusion.DEFAULT_WEIGHTS.items())
    return weights


def current_options() -> analysis.SitingOptions:
    """Siting options from the sidebar."""
    state = st.session_state
    return analysis.SitingOptions(
        p_outlets=int(state["p_outlets"]),
        k_pods=int(state["k_pods"]),
        outlet_radius_m=1000 * float(state["outlet_radius_km"]),
        pod_radius_m=1000 * float(state["pod_radius_km"]),
        keep_existing=bool(state["keep_existing"]),
        demand_basis=state["demand_basis"],
    )


@st.cache_resource(show_spinner="Reading contacts...", max_entries=4)
def imported_contacts(crm_path: str | None) -> crm.ContactImport:
    """The CRM import, read once and shared read-only between sessions."""
    return analysis.load_contacts(crm_path)


@st.cache_data(show_spinner="Assessing wards...")
def assessed_wards(
    crm_path: str | None, weights: tuple[tuple[str, float], ...]
) -> gpd.GeoDataFrame:
    """Wards with demand and the exclusion index, for these weights."""
    contacts = imported_contacts(crm_path).contacts
    return analysis.assess_wards(contacts, weights=dict(weights))


@st.cache_data
def published_wards(
    crm_path: str | None, weights: tuple[tuple[str, float], ...]
) -> gpd.GeoDataFrame:
    """Wards as pages may show them: contact counts suppressed."""
    return demand.suppress_ward_counts(assessed_wards(crm_path, weights))


@st.cache_data(show_spinner="Choosing sites...")
def chosen_sites(
    crm_path: str | None,
    weights: tuple[tuple[str, float], ...],
    options: analysis.SitingOptions,
) -> gpd.GeoDataFrame:
    """Recommended sites for the sidebar's options."""
    wards = assessed_wards(crm_path, weights)
    contacts = imported_contacts(crm_path).contacts
    points = analysis.build_demand_points(wards, contacts, options.demand_basis)
    return analysis.choose_sites(points, options)


@st.cache_data
def channel_summary(crm_path: str | None) -> pd.DataFrame:
    """District totals per channel."""
    return demand.summarise_channels(imported_contacts(crm_path).contacts)


@st.cache_data
def service_table(crm_path: str | None) -> pd.DataFrame:
    """Contacts per ward and service, suppressed for publication."""
    contacts = imported_contacts(crm_path).contacts
    table = demand.count_contacts_by_ward(contacts, datasets.load_wards(), "service")
    return demand.suppress_service_counts(table)


_UPLOADS = Path(tempfile.mkdtemp(prefix="insight_uploads_"))
atexit.register(shutil.rmtree, _UPLOADS, ignore_errors=True)


def save_upload(name: str, data: bytes) -> str:
    """Keep an uploaded export in this server's private folder, named by content.

    Two uploads with the same name but different content never share a file or
    a cached import; the folder is readable by this user only and is removed
    when the server stops. An export is personal data: it is kept no longer.
    """
    digest = hashlib.sha256(data).hexdigest()[:16]
    path = _UPLOADS / f"{digest}_{Path(name).name}"
    path.write_bytes(data)
    return str(path)


def forget_upload(path: str | None) -> None:
    """Delete an upload and its cached import (when the user moves on)."""
    if path and Path(path).parent == _UPLOADS:
        Path(path).unlink(missing_ok=True)
        imported_contacts.clear(path)


def try_import(path: str, shown_name: str) -> bool:
    """Import an upload; show a plain error and return False if it fails.

    An unexpected failure is a bug: it is logged by type and place only, as
    its message could quote the file (personal data), and the page says so.
    """
    try:
        imported_contacts(path)
    except InsightError as exc:
        message = str(exc).replace(path, shown_name)
        st.error(
            f"{message}\n\nFix the file and upload it again.", icon=":material/error:"
        )
        return False
    except Exception as exc:  # no failure may leak the file
        logger.error("import of an upload failed: %s", describe_failure(exc))
        st.error(
            f"{shown_name} could not be read: an unexpected "
            f"{type(exc).__name__} (a fault in this tool, not necessarily in the "
            "file). The upload has been deleted.",
            icon=":material/error:",
        )
        return False
    return True


def show_data_notice(upload_hint: bool = True) -> None:
    """Say where the contacts come from, on every page that shows them."""
    report = imported_contacts(st.session_state["crm_path"]).report
    period = f"{report.period_start} to {report.period_end}"
    if report.synthetic:
        hint = UPLOAD_HINT if upload_hint else ""
        st.warning(
            f"{SYNTHETIC_BANNER} Period: {period}.{hint}", icon=":material/science:"
        )
    else:
        name = Path(report.source).name.split("_", 1)[-1]
        st.info(f"Contacts from **{name}** (uploaded export), {period}.")


def site_summary(sites: gpd.GeoDataFrame, options: analysis.SitingOptions) -> str:
    """One sentence: the sites recommended against those asked for."""
    tiers = sites["tier"].value_counts()
    text = (
        f"Recommended: {int(tiers.get('existing_centre', 0))} existing centres, "
        f"{int(tiers.get('outlet', 0))} of {options.p_outlets} new outlets and "
        f"{int(tiers.get('pod', 0))} of {options.k_pods} pods"
    )
    left_out = sites.attrs.get("sites_without_gain", [])
    if left_out:
        text += f" ({len(left_out)} more would add no coverage)"
    return text + "."


#: What a suppressed cell shows in tables (the ONS mark for confidential).
SUPPRESSED = "[c]"


def styled(frame: pd.DataFrame, formats: dict[str, str]) -> pd.io.formats.style.Styler:
    """A table with number formats, suppressed or missing cells as ``[c]``.

    ``formats`` maps columns to format strings such as ``"{:,.0f}"`` or
    ``"{:.1%}"``; the values stay numbers, so columns still sort.
    """
    return frame.style.format(formats, na_rep=SUPPRESSED)


def show_attribution() -> None:
    """Data attribution lines, required by the sources' licences."""
    st.caption("\n".join(f"- {line}" for line in datasets.ATTRIBUTION))
