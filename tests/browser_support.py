# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""A real headless Chromium for the HTML report's tests: Debian's chromium and chromium-driver
(`.ci/run` installs them), driven by Selenium with the network off.

Nothing is downloaded: Selenium Manager is told to stay offline (``SE_OFFLINE``) and is never
needed, since the browser and the driver are given by path. The page is loaded with the
network emulated offline and every request sent to a proxy that does not exist, and the
browser's own record of requests says what the page asked for.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")


def require_browser() -> None:
    """Skip (fail in CI, which installs them) when Debian's Chromium or its driver is missing."""
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.exists()]
    if missing:
        message = f"{', '.join(missing)} missing: apt-get install chromium chromium-driver"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


@contextmanager
def offline_chromium(width: int = 1280, height: int = 900) -> Iterator[Any]:
    """A headless Chromium with no network, its console and network logs recorded."""
    require_browser()
    os.environ["SE_OFFLINE"] = "true"  # Selenium Manager must never fetch a driver
    from selenium import webdriver  # noqa: PLC0415 -- only the browser tests need it
    from selenium.webdriver.chrome.service import Service  # noqa: PLC0415

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in (
        "--headless=new",
        "--no-sandbox",  # root in a container
        "--disable-dev-shm-usage",
        "--disable-gpu",
        "--proxy-server=127.0.0.1:9",  # anything that tries the network goes nowhere
        "--proxy-bypass-list=<-loopback>",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--window-size={width},{height}",
        "--hide-scrollbars",
    ):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER)))
    try:
        driver.execute_cdp_cmd("Network.enable", {})
        driver.execute_cdp_cmd(
            "Network.emulateNetworkConditions",
            {"offline": True, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
        )
        yield driver
    finally:
        driver.quit()


def open_page(driver: Any, page: Path, *, timeout: float = 30.0) -> float:
    """Load ``page`` from disk and wait until its script is done; the seconds it took."""
    from selenium.webdriver.common.by import By  # noqa: PLC0415
    from selenium.webdriver.support.ui import WebDriverWait  # noqa: PLC0415

    driver.get_log("browser")  # forget what earlier pages logged
    driver.get_log("performance")
    started = time.monotonic()
    driver.get(page.resolve().as_uri())
    WebDriverWait(driver, timeout).until(
        lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-ready") == "true"
    )
    return time.monotonic() - started


def console_problems(driver: Any) -> list[dict[str, Any]]:
    """The console's warnings and errors since the page was opened (CSP violations too)."""
    return [e for e in driver.get_log("browser") if e["level"] in ("SEVERE", "WARNING")]


def network_log(driver: Any) -> list[tuple[str, dict[str, Any]]]:
    """The browser's network events since the page was opened: (method, params)."""
    events = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"].startswith("Network."):
            events.append((message["method"], message["params"]))
    return events


def requested_urls(events: list[tuple[str, dict[str, Any]]]) -> list[str]:
    """Every URL the page tried to load (blocked or not), from :func:`network_log`."""
    return [p["request"]["url"] for m, p in events if m == "Network.requestWillBeSent"]
