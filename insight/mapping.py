"""Web maps of wards and sites (folium), for the app and the HTML report.

Data arrive in British National Grid (EPSG:27700) and are projected to WGS84
(EPSG:4326) here, only for Leaflet. Classes come from :mod:`mapclassify`;
suppressed or missing values are drawn grey and named in the tooltip.

Leaflet itself is embedded in the map (from the XStatic-Leaflet package) rather
than fetched from a CDN, so maps draw on networks that block CDNs and the HTML
report opens offline; only the basemap tiles need the internet.
"""

from __future__ import annotations

import base64
import html
import logging
from functools import lru_cache
from itertools import pairwise
from pathlib import Path

import branca.colormap as cm
import folium
import geopandas as gpd
import mapclassify
import numpy as np
import pandas as pd
from branca.element import Element, MacroElement
from jinja2 import Template

from insight.settings import TIER_LABELS, WGS84

logger = logging.getLogger(__name__)

NO_DATA_COLOUR = "#bdbdbd"
#: Behind the wards where basemap tiles do not load (offline): lighter than
#: the grey of missing values, so the two are not confused.
BACKGROUND_COLOUR = "#f4f4f4"
TIER_COLOURS = {"existing_centre": "#1f3b73", "outlet": "#7b3294", "pod": "#1b7837"}
BASEMAP_ATTRIBUTION = (
    '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> '
    "contributors | ONS, OS &copy; Crown copyright 2025, OGL v3"
)


_SWATCH = (
    '<i style="background:{colour};width:14px;height:12px;'
    'display:inline-block;margin-right:6px"></i>'
)
_DOT = (
    '<i style="background:{colour};width:11px;height:11px;border-radius:50%;'
    "border:2px solid white;box-shadow:0 0 1px #000;display:inline-block;"
    'margin:0 6px 0 1px"></i>'
)
_RING = (
    '<i style="border:1.5px dashed #444;width:12px;height:12px;border-radius:50%;'
    'display:inline-block;margin:0 6px 0 1px"></i>'
)


# A light background, and a word on the layer button: its icon is an image
# file that the embedded Leaflet CSS cannot point at.
_MAP_CSS = """<style>
.leaflet-container { background: BACKGROUND !important; }
.leaflet-control-layers-toggle {
  background-image: none !important; width: auto !important; padding: 0 10px;
  height: 36px !important;
  line-height: 36px; font: 13px sans-serif; color: #333; text-decoration: none;
}
.leaflet-control-layers-toggle::after { content: "Layers"; }
</style>"""


class _Legend(MacroElement):
    """A Leaflet control listing the classes, drawn by the map's own script."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.control({position: "bottomright"});
        {{ this.get_name() }}.onAdd = function () {
            var div = L.DomUtil.create("div", "legend");
            div.style.cssText = "background:white;padding:6px 8px;"
                + "font:12px sans-serif;border-radius:4px;"
                + "box-shadow:0 0 4px rgba(0,0,0,.3);line-height:18px";
            div.innerHTML = {{ this.content|tojson }};
            return div;
        };
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, content: str) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self._name = "Legend"
        self.content = content


def _legend_html(
    label: str,
    index: list[float],
    colours: cm.StepColormap,
    fmt: str,
    tiers: list[str] | None = None,
) -> str:
    """Class boxes with their ranges, the grey of missing values, site keys."""
    rows = [f"<b>{html.escape(label)}</b>"]
    for low, high in pairwise(index):
        swatch = _SWATCH.format(colour=colours((low + high) / 2))
        rows.append(f"{swatch}{fmt.format(low)} - {fmt.format(high)}")
    rows.append(_SWATCH.format(colour=NO_DATA_COLOUR) + "suppressed / no data")
    if tiers:
        rows.append("<b>Sites</b>")
        for tier in tiers:
            dot = _DOT.format(colour=TIER_COLOURS.get(tier, "#444444"))
            rows.append(dot + html.escape(TIER_LABELS.get(tier, tier)))
        rows.append(_RING + "reach (straight line)")
    return "<br>".join(rows)


@lru_cache(maxsize=1)
def _embedded_leaflet() -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """Leaflet's JS and CSS as data URLs, or folium's CDN links if not installed."""
    try:
        from xstatic.pkg import leaflet
    except ImportError:  # pragma: no cover - the CDN still works online
        logger.warning("XStatic-Leaflet not installed: maps load Leaflet from a CDN")
        return list(folium.Map.default_js[:1]), list(folium.Map.default_css[:1])
    base = Path(leaflet.BASE_DIR)

    def data_url(name: str, mime: str) -> str:
        encoded = base64.b64encode((base / name).read_bytes()).decode("ascii")
        return f"data:{mime};base64,{encoded}"

    return (
        [("leaflet", data_url("leaflet.js", "text/javascript"))],
        [("leaflet_css", data_url("leaflet.css", "text/css"))],
    )


def classify_values(
    values: pd.Series, scheme: str = "NaturalBreaks", k: int = 5
) -> list[float]:
    """Upper class bounds of ``values`` by a mapclassify scheme.

    Missing values are left out. Returns fewer than ``k`` bounds when there
    are fewer distinct values.
    """
    known = values.dropna().astype(float)
    k = max(1, min(k, known.nunique()))
    if k < 2:
        return [float(known.max())] if len(known) else [0.0]
    classifier = mapclassify.classify(known.to_numpy(), scheme=scheme, k=k)
    return [float(b) for b in classifier.bins]


def class_edges(
    values: pd.Series, scheme: str = "NaturalBreaks", k: int = 5
) -> list[float]:
    """Strictly increasing class edges, lowest value first, at least two.

    Copes with what suppression leaves: no known value, one, or a few equal.
    """
    bounds = classify_values(values, scheme, k)
    low = float(np.nanmin(values)) if values.notna().any() else 0.0
    edges = sorted({min(low, bounds[0]), *bounds})
    return edges if len(edges) > 1 else [edges[0], edges[0] + 1.0]


def step_colours(edges: list[float]) -> cm.StepColormap:
    """Yellow-to-red class colours, one per class between ``edges``."""
    ramp = cm.linear.YlOrRd_09.scale(0.0, 1.0)  # type: ignore[attr-defined]
    classes = len(edges) - 1
    steps = [0.1 + 0.9 * i / max(classes - 1, 1) for i in range(classes)]
    shades = [ramp.rgba_floats_tuple(step) for step in steps]
    return cm.StepColormap(shades, index=edges, vmin=edges[0], vmax=edges[-1])


def make_ward_map(
    wards: gpd.GeoDataFrame,
    column: str,
    *,
    label: str,
    value_format: str = "{:,.0f}",
    scheme: str = "NaturalBreaks",
    k: int = 5,
    sites: gpd.GeoDataFrame | None = None,
    note: str | None = None,
) -> folium.Map:
    """A ward choropleth with legend, tooltips and optional site markers.

    Parameters
    ----------
    wards : GeoDataFrame
        Ward polygons in any CRS (projected to WGS84 here) with ``ward_name``
        and ``column``.
    column : str
        The value to colour by.
    label : str
        Legend caption and tooltip alias, with units (e.g. "Contacts per 1,000
        residents").
    value_format : str
        Format of the value in tooltips.
    scheme, k : str, int
        mapclassify scheme and number of classes.
    sites : GeoDataFrame, optional
        Chosen sites from :func:`insight.siting.recommend_sites` (points with
        ``name``, ``tier``, ``radius_m`` in metres).
    note : str, optional
        Added to the attribution (e.g. "Contacts: SYNTHETIC data").

    """
    shown = wards.to_crs(WGS84)
    values = shown[column].astype(float)
    index = class_edges(values, scheme, k)
    colours = step_colours(index)

    # Style and tooltip columns; missing values are named, not hidden.
    shown["_fill"] = [NO_DATA_COLOUR if pd.isna(v) else colours(v) for v in values]
    shown["_value"] = [
        "suppressed / no data" if pd.isna(v) else value_format.format(v) for v in values
    ]
    xmin, ymin, xmax, ymax = shown.total_bounds
    fmap = folium.Map(tiles=None, control_scale=True, zoom_snap=0.25)
    fmap.default_js, fmap.default_css = _embedded_leaflet()
    fmap.get_root().header.add_child(  # type: ignore[attr-defined]
        Element(_MAP_CSS.replace("BACKGROUND", BACKGROUND_COLOUR)), name="map_css"
    )
    attribution = BASEMAP_ATTRIBUTION + (f" | {note}" if note else "")
    folium.TileLayer("OpenStreetMap", attr=attribution, name="Basemap").add_to(fmap)
    folium.GeoJson(
        shown[["ward_name", "_value", "_fill", "geometry"]],
        name=label,
        style_function=lambda f: {
            "fillColor": f["properties"]["_fill"],
            "color": "#555555",
            "weight": 1,
            "fillOpacity": 0.75,
        },
        highlight_function=lambda f: {"weight": 3, "color": "#000000"},
        tooltip=folium.GeoJsonTooltip(
            fields=["ward_name", "_value"], aliases=["Ward", label], sticky=True
        ),
    ).add_to(fmap)
    tiers = [] if sites is None else [t for t in TIER_LABELS if t in set(sites["tier"])]
    _Legend(_legend_html(label, index, colours, value_format, tiers)).add_to(fmap)
    if sites is not None and len(sites):
        add_sites(fmap, sites)
    folium.LayerControl(collapsed=True).add_to(fmap)
    fmap.fit_bounds(
        [[ymin, xmin], [ymax, xmax]],
        padding_top_left=(10, 60),
        padding_bottom_right=(10, 10),
    )
    return fmap


def add_sites(fmap: folium.Map, sites: gpd.GeoDataFrame) -> folium.Map:
    """Draw chosen sites as markers with their coverage circle (radius, m)."""
    shown = sites.to_crs(WGS84)
    for tier, group in shown.groupby("tier", sort=False):
        colour = TIER_COLOURS.get(str(tier), "#444444")
        layer = folium.FeatureGroup(name=TIER_LABELS.get(str(tier), str(tier)))
        for _, site in group.iterrows():
            text = f"{site['name']} ({TIER_LABELS.get(str(tier), tier)})"
            location = [site.geometry.y, site.geometry.x]
            folium.Circle(
                location,
                radius=float(site["radius_m"]),
                color=colour,
                weight=1.5,
                dash_array="6 4",
                fill=False,
            ).add_to(layer)
            folium.CircleMarker(
                location,
                radius=7 if tier != "pod" else 5,
                color="white",
                weight=2,
                fill=True,
                fill_color=colour,
                fill_opacity=1.0,
                tooltip=text,
            ).add_to(layer)
        layer.add_to(fmap)
    return fmap
