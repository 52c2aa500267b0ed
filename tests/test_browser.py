"""Serve the app, open it in headless Chromium, wait for the ward map.

Needs Debian's Chromium (``/usr/bin/chromium``; ``make browser`` installs it).
Playwright drives it; no browser is downloaded. The screenshot lands in
``tests/artifacts/app_map.png`` and the seconds from ``streamlit run`` to the
first map in ``tests/artifacts/timing.json``.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = pytest.mark.browser


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_healthy(url: str, server: subprocess.Popen[bytes], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"streamlit exited with {server.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as reply:
                if reply.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"{url} not healthy after {timeout} s")


@pytest.fixture(scope="module")
def served_app(tmp_path_factory):
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: run `make browser` (Debian package)"
        )
    port = _free_port()
    env = {**os.environ, "INSIGHT_CACHE_DIR": str(tmp_path_factory.mktemp("cache"))}
    log = (tmp_path_factory.mktemp("log") / "streamlit.log").open("wb")
    started = time.monotonic()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "app.py",
            "--server.headless=true",
            f"--server.port={port}",
            "--server.address=127.0.0.1",
            "--browser.gatherUsageStats=false",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, server, timeout=120)
        yield url, started
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()


def test_map_renders_in_chromium(served_app):
    from playwright.sync_api import sync_playwright

    url, started = served_app
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        page = browser.new_page(viewport={"width": 1400, "height": 1180})
        page.goto(url)

        # The folium map lives in the streamlit-folium component's iframe.
        page.wait_for_selector("iframe[title*='st_folium']", timeout=240_000)
        frame = page.frame_locator("iframe[title*='st_folium']")
        wards = frame.locator("path.leaflet-interactive")
        wards.first.wait_for(timeout=120_000)
        seconds = time.monotonic() - started
        assert wards.count() >= 26  # 26 wards, plus site circles
        assert frame.locator(".legend").count() >= 1
        page.get_by_text("Synthetic contact data").first.wait_for()
        page.wait_for_timeout(1500)
        page.screenshot(path=str(ARTIFACTS / "app_map.png"), full_page=False)
        browser.close()
    (ARTIFACTS / "timing.json").write_text(
        json.dumps({"seconds_to_first_map": round(seconds, 1)})
    )


def test_upload_a_real_export_in_chromium(served_app, tmp_path):
    from playwright.sync_api import sync_playwright

    url, _ = served_app
    bad = tmp_path / "bad.csv"
    bad.write_text("case_id,created_at,channel\nA1,2024-06-03T11:00,phone\n")
    good = tmp_path / "good.csv"
    good.write_text(
        "Case ID,Created At,Channel,Service,Post Code\n"
        + "".join(
            f"G{i},03/06/2024 11:00,Telephone,Housing,pe29 3tn\n" for i in range(30)
        )
    )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(f"{url}/data-and-sources")
        upload = page.locator("input[type='file']")
        upload.wait_for(state="attached", timeout=120_000)

        # A file without the needed columns: a plain error, and the session goes on.
        upload.set_input_files(str(bad))
        page.get_by_text("missing column(s) ['service', 'postcode']").wait_for(
            timeout=60_000
        )
        page.get_by_text("Synthetic contact data").first.wait_for(timeout=60_000)

        # A good file in another spelling: used, and labelled by its name.
        upload.set_input_files(str(good))
        page.get_by_text("Contacts from good.csv").wait_for(timeout=60_000)
        page.get_by_text("30 rows read").wait_for()
        page.screenshot(path=str(ARTIFACTS / "upload.png"))

        # Back to the synthetic extract, though the uploader still holds the file.
        page.get_by_role("button", name="Back to the synthetic extract").click()
        page.get_by_text("Synthetic contact data").first.wait_for(timeout=60_000)
        page.wait_for_timeout(1000)
        assert page.get_by_text("Contacts from good.csv").count() == 0
        browser.close()
