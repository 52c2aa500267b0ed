"""Shared fixtures: the embedded default data and one synthetic extract per run."""

from __future__ import annotations

from pathlib import Path

import pytest

from insight import datasets, synthetic
from insight.analysis import Analysis, SitingOptions, run_analysis

#: The raw public files beside the checkout (read-only), for independent checks.
SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"


@pytest.fixture(scope="session")
def wards():
    return datasets.load_wards()


@pytest.fixture(scope="session")
def postcodes():
    return datasets.load_postcodes()


@pytest.fixture(scope="session")
def sites():
    return datasets.load_sites()


@pytest.fixture(scope="session")
def extract_path(tmp_path_factory) -> Path:
    """The default synthetic CRM extract, written once for the whole run."""
    path = tmp_path_factory.mktemp("crm") / "synthetic_contacts.csv"
    return synthetic.write_synthetic_extract(path)


@pytest.fixture(scope="session")
def default_analysis(extract_path) -> Analysis:
    return run_analysis(extract_path, siting=SitingOptions(p_outlets=1, k_pods=5))


@pytest.fixture(scope="session")
def shared() -> Path:
    if not SHARED.exists():
        pytest.fail(
            f"raw data folder {SHARED} is missing (it sits beside the checkout)"
        )
    return SHARED
