"""Every page runs under Streamlit's AppTest on the default data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[1]
PAGES = [
    "pages/map.py",
    "pages/demand.py",
    "pages/exclusion.py",
    "pages/sites.py",
    "pages/data.py",
]


@pytest.fixture(scope="module")
def app():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize("page", PAGES)
def test_page_runs(app, page):
    app.switch_page(page)
    app.run()
    assert not app.exception, app.exception
    assert app.title, f"{page} shows no title"
    # The shared sidebar is drawn on every page (the entry script ran).
    assert app.slider(key="_k_pods").value == 5


def test_map_page_headlines_and_synthetic_label(app):
    app.switch_page("pages/map.py")
    app.run()
    labels = [m.label for m in app.metric]
    assert "Phone" in labels and "Need covered" in labels
    phone = next(m for m in app.metric if m.label == "Phone")
    assert int(phone.value.replace(",", "")) == 140_000  # the calibrated volume
    assert any("Synthetic contact data" in w.value for w in app.warning)


def test_sidebar_changes_the_recommendation(app):
    app.switch_page("pages/sites.py")
    app.run()
    app.slider(key="_k_pods").set_value(2)
    app.run()
    assert not app.exception
    table = app.dataframe[0].value
    assert (table["tier"] == "Pod").sum() == 2


def test_every_map_layer_draws(app):
    app.switch_page("pages/map.py")
    app.run()
    for layer in app.radio(key="map_layer").options:
        app.radio(key="map_layer").set_value(layer)
        app.run()
        assert not app.exception, (layer, app.exception)


def test_all_zero_weights_fall_back_to_equal(app):
    app.switch_page("pages/exclusion.py")
    app.run()
    for slider in app.slider:
        if slider.key.startswith("_weight_"):
            slider.set_value(0.0)
    app.run()
    assert not app.exception
    assert any("equal weights are used" in w.value for w in app.sidebar.warning)


def test_exclusion_bars_follow_the_weights(app, wards):
    # With only the 75+ weight left, the bars must be in order of that share,
    # worked out here from the embedded data rather than by the page's code.
    app.switch_page("pages/exclusion.py")
    app.run()
    for slider in app.slider:
        if slider.key.startswith("_weight_"):
            slider.set_value(1.0 if slider.key == "_weight_share_aged_75_plus" else 0.0)
    app.run()
    assert not app.exception
    spec = json.loads(app.get("vega_lite_chart")[0].proto.spec)
    expected = wards.sort_values("share_aged_75_plus", ascending=False)["ward_name"]
    assert spec["encoding"]["y"]["sort"] == expected.tolist()
    for slider in app.slider:  # back to the defaults for the other tests
        if slider.key.startswith("_weight_"):
            slider.set_value(1.0)
    app.run()


def test_a_real_export_is_labelled_as_such(tmp_path):
    export = tmp_path / "export.csv"
    export.write_text(
        "case_id,created_at,channel,service,postcode\n"
        + "".join(f"R{i},2024-06-03T11:00,phone,housing,PE29 3TN\n" for i in range(40))
    )
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.session_state["crm_path"] = str(export)
    at.run()
    assert not at.exception
    assert not any("Synthetic" in w.value for w in at.warning)
    assert any("export.csv" in i.value for i in at.info)
    phone = next(m for m in at.metric if m.label == "Phone")
    assert phone.value == "40"
