# SPDX-FileCopyrightText: 2026 The ospo-scan authors
# SPDX-License-Identifier: Apache-2.0
"""``check --format html`` in a real browser: Debian's headless Chromium, network off.

A real ScanCode scan of the npm fixture (a denied license, a license conflict, an OR whose
alternative the policy elects), a manifest that does not parse (a scan error) and files with
hostile names, rendered by the command line, then opened from disk. The page must make no
request, log no error, show the report's counts, filter, sort and open license texts, and show
the hostile names as text. Screenshots of the summary and the violations are saved as test
artifacts (``OSPO_SCAN_UPDATE_SCREENSHOT=1`` also writes the README's ``docs/html-report.png``).
A generated result of 20,000 files and 2,000 packages must open in seconds and stay filterable.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from selenium.common.exceptions import NoAlertPresentException
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from browser_support import (
    console_problems,
    network_log,
    offline_chromium,
    open_page,
    requested_urls,
)
from ospo_scan.cli.main import main
from ospo_scan.engine.catalog import license_texts
from ospo_scan.evaluate import evaluate
from ospo_scan.formats.check_html import FORMAT
from ospo_scan.model import DependencyScope, MatchKind
from ospo_scan.policy.load import load_policy
from policy_helpers import DATA, dependency, detection, file_record, make_result, package

#: Files whose names are markup: they must be shown as names, never parsed.
IMG_NAME = "<img src=x onerror=alert(1)>.py"
SCRIPT_NAME = "<script>alert(2)<\\script>.py"
BROKEN_PYPROJECT = '[project]\nname = "half"\nversion = "0.1.0\ndependencies = ["requests"]\n'
README_SCREENSHOT = Path(__file__).parents[2] / "docs" / "html-report.png"


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


@pytest.fixture(scope="module")
def artifacts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the screenshots go: ``OSPO_SCAN_ARTIFACTS`` (a CI job's artifact folder), else
    pytest's temporary folder (pytest keeps the last three runs' folders)."""
    chosen = os.environ.get("OSPO_SCAN_ARTIFACTS")
    if chosen:
        Path(chosen).mkdir(parents=True, exist_ok=True)
        return Path(chosen)
    return tmp_path_factory.mktemp("html-report-artifacts")


@pytest.fixture(scope="module")
def scanned(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The fixture tree scanned once; its HTML and JSON reports, from the same result."""
    base = tmp_path_factory.mktemp("html")
    tree = Path(shutil.copytree(DATA / "packages" / "npm_app", base / "app"))
    (tree / "pyproject.toml").write_text(BROKEN_PYPROJECT, encoding="utf-8")
    for name in (IMG_NAME, SCRIPT_NAME):
        (tree / name).write_text("# SPDX-License-Identifier: GPL-3.0-only\n", encoding="utf-8")
    saved = base / "result.json"
    done = run("scan", "-q", "-j", "1", "-o", str(saved), str(tree))
    assert done.exit_code == 0, done.stderr
    page = base / "report.html"
    done = run("check", "-q", "-o", str(page), str(saved))
    assert done.exit_code == 1, done.stderr  # GPL-3.0-only is denied by the default policy
    done = run("check", "-q", "--format", "json", str(saved))
    assert done.exit_code == 1, done.stderr
    return {"page": page, "report": json.loads(done.stdout), "saved": saved, "base": base}


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with offline_chromium() as driver:
        yield driver


@pytest.fixture
def page(browser: Any, scanned: dict[str, Any]) -> Any:
    """The fixture's report, freshly opened (so each test starts from the page as loaded)."""
    open_page(browser, scanned["page"])
    return browser


def status(driver: Any, section: str) -> tuple[int, int]:
    """(shown, total) rows of a section's table, as its status line says."""
    found = driver.find_element("css selector", f"#{section} .toolbar .status")
    return int(found.get_attribute("data-shown")), int(found.get_attribute("data-total"))


def type_filter(driver: Any, section: str, text: str) -> None:
    box = driver.find_element("css selector", f"#{section} input[type=search]")
    box.send_keys(Keys.CONTROL, "a")  # typing over the selection fires "input", clear() does not
    box.send_keys(text or Keys.BACKSPACE)
    shown = f"#{section} .toolbar .status"
    WebDriverWait(driver, 30).until(
        lambda d: d.find_element("css selector", shown).get_attribute("data-query") == text
    )


def column(driver: Any, section: str, index: int) -> list[str]:
    cells = driver.find_elements("css selector", f"#{section} tbody tr td:nth-child({index})")
    return [c.text for c in cells]


def test_opens_offline_with_no_request_and_no_console_error(
    browser: Any, scanned: dict[str, Any]
) -> None:
    seconds = open_page(browser, scanned["page"])
    assert console_problems(browser) == []
    # The page itself is all that was loaded: no script, style, font or image from anywhere.
    assert set(requested_urls(network_log(browser))) <= {scanned["page"].resolve().as_uri()}
    assert seconds < 15
    assert browser.execute_script("return document.images.length") == 0


def test_the_policy_blocks_what_a_page_must_not_do(
    browser: Any, scanned: dict[str, Any], tmp_path: Path
) -> None:
    """The console check above is not blind: markup slipped into the page is refused, and
    said so in the console (an inline style, an image from the network, an inline script)."""
    text = scanned["page"].read_text(encoding="utf-8")
    injected = (
        '<p style="color: red">styled</p><img src="https://example.org/x.png" alt="">'
        "<script>document.title = 'ran'</script>"
    )
    tampered = tmp_path / "tampered.html"
    tampered.write_text(text.replace("<body>", "<body>" + injected, 1), encoding="utf-8")
    open_page(browser, tampered)
    messages = " ".join(e["message"] for e in console_problems(browser))
    assert messages.count("Content Security Policy") >= 3, messages
    assert browser.title != "ran"
    events = network_log(browser)
    (image,) = [p for m, p in events if m == "Network.requestWillBeSent" and "example" in str(p)]
    failed = [p for m, p in events if m == "Network.loadingFailed"]
    assert [p.get("blockedReason") for p in failed if p["requestId"] == image["requestId"]] == [
        "csp"
    ]


def test_the_counts_are_the_reports(page: Any, scanned: dict[str, Any]) -> None:
    summary = scanned["report"]["summary"]
    findings = scanned["report"]["findings"]
    for key in ("deny", "review", "pass"):
        assert int(page.find_element("id", f"count-{key}").text) == summary[key], key
    assert int(page.find_element("id", "count-errors").text) == summary["scan_errors"] == 1
    assert page.find_element("id", "overall").get_attribute("data-verdict") == "deny"
    violations = [f for f in findings if f["verdict"] != "pass"]
    assert status(page, "violations") == (len(violations), len(violations))
    assert status(page, "findings")[1] == len(findings)
    assert status(page, "errors")[1] == summary["scan_errors"]
    conflicts = [f for f in findings if f["check"] == "package-conflict"]
    assert status(page, "conflicts")[1] == len(conflicts) == 1
    result = json.loads(scanned["saved"].read_text(encoding="utf-8"))
    assert status(page, "packages")[1] == len(result["packages"]) == 7
    assert status(page, "dependencies")[1] == len(result["dependencies"])
    assert status(page, "files")[1] == len(result["files"])
    # The violations come first, worst first: the first card is denied.
    first = page.find_element("css selector", "#violations article.finding")
    assert "deny" in first.get_attribute("class").split()


def test_filtering_a_table(page: Any, scanned: dict[str, Any]) -> None:
    result = json.loads(scanned["saved"].read_text(encoding="utf-8"))
    type_filter(page, "files", "liar-lib LICENSE")
    assert status(page, "files") == (1, len(result["files"]))
    assert column(page, "files", 1) == ["node_modules/liar-lib/LICENSE"]
    type_filter(page, "files", "")
    # The verdict select: the files whose worst finding is denied (a scan error counts).
    denied = {
        f["path"]
        for f in scanned["report"]["findings"]
        if f["subject"] == "file" and f["verdict"] == "deny"
    }
    assert "pyproject.toml" in denied
    select = page.find_element("css selector", "#files select[data-key=verdict]")
    select.find_element("css selector", "option[value=deny]").click()
    assert status(page, "files")[0] == len(denied) > 0
    assert set(column(page, "files", 1)) == denied
    # Dependencies by scope.
    page.find_element("css selector", "#dependencies select option[value=dev]").click()
    dev = [d for d in result["dependencies"] if d["scope"] == "dev"]
    assert status(page, "dependencies")[0] == len(dev) > 0
    assert set(column(page, "dependencies", 2)) == {"dev"}


def test_sorting_a_table(page: Any) -> None:
    header = page.find_element("css selector", "#packages th[data-key=name] button")
    header.click()
    names = column(page, "packages", 2)
    assert names == sorted(names, key=str.casefold)
    assert len(set(names)) > 2
    header.click()
    assert column(page, "packages", 2) == sorted(names, key=str.casefold, reverse=True)
    th = page.find_element("css selector", "#packages th[data-key=name]")
    assert th.get_attribute("aria-sort") == "descending"


def test_a_license_text_is_one_click_away(page: Any) -> None:
    button = next(
        b
        for b in page.find_elements("css selector", "#violations button.lic")
        if b.text == "GPL-3.0-only"
    )
    button.click()
    dialog = page.find_element("id", "license-dialog")
    assert dialog.get_attribute("open") is not None
    shown = page.find_element("id", "license-text").text
    expected = license_texts().by_id["GPL-3.0-only"].text
    assert "GNU GENERAL PUBLIC LICENSE" in shown
    assert len(shown) > 0.9 * len(expected.strip())
    assert "Copyleft" in page.find_element("id", "license-category").text
    page.find_element("id", "license-close").click()
    assert dialog.get_attribute("open") is None


def test_hostile_names_are_text(page: Any) -> None:
    names = [e.text for e in page.find_elements("css selector", "#violations .name")]
    assert f"{IMG_NAME}:1" in names
    assert f"{SCRIPT_NAME}:1" in names
    assert page.execute_script("return document.images.length") == 0
    assert page.execute_script("return document.scripts.length") == 2  # data and the script
    with pytest.raises(NoAlertPresentException):
        _ = page.switch_to.alert.text
    assert console_problems(page) == []


def test_how_to_resolve_gives_a_waiver_that_works(
    page: Any, scanned: dict[str, Any], tmp_path: Path
) -> None:
    card = next(
        c
        for c in page.find_elements("css selector", "#violations article.finding")
        if c.find_element("css selector", ".name").text == f"{IMG_NAME}:1"
    )
    card.find_element("css selector", "details summary").click()
    snippets = [s.text for s in card.find_elements("css selector", "pre.snippet")]
    assert len(snippets) == 2  # a waiver and a curation
    assert snippets[1].startswith("curations:")
    assert "sha256: " in snippets[1]
    policy = tmp_path / "policy.yml"
    policy.write_text(f"version: 1\nextends: default\n{snippets[0]}", encoding="utf-8")
    done = run("check", "-q", "-p", str(policy), "--format", "json", str(scanned["saved"]))
    findings = json.loads(done.stdout)["findings"]
    (waived,) = [f for f in findings if f["path"] == IMG_NAME]
    assert waived["verdict"] == "pass"
    assert waived["waiver"] is not None


def test_screenshots_of_the_summary_and_the_violations(
    browser: Any, scanned: dict[str, Any], artifacts: Path
) -> None:
    open_page(browser, scanned["page"])
    summary = artifacts / "html-report-summary.png"
    assert browser.save_screenshot(str(summary))
    # The violations, the first one opened on how to resolve it.
    browser.find_element("css selector", "#violations details summary").click()
    browser.execute_script("document.getElementById('violations').scrollIntoView()")
    violations = artifacts / "html-report-violations.png"
    assert browser.save_screenshot(str(violations))
    for shot in (summary, violations):
        assert shot.read_bytes().startswith(b"\x89PNG")
        assert shot.stat().st_size > 10_000
    if os.environ.get("OSPO_SCAN_UPDATE_SCREENSHOT") == "1":
        README_SCREENSHOT.parent.mkdir(exist_ok=True)
        shutil.copyfile(summary, README_SCREENSHOT)
    print(f"screenshots: {summary} {violations}")  # where to find the artifacts (with -s)


# --- a large result: 20,000 files, 2,000 packages, 4,000 dependencies ---

_EXPRESSIONS = ("MIT", "Apache-2.0", "BSD-3-Clause", "MIT OR GPL-3.0-only", "GPL-3.0-only")


@pytest.fixture(scope="module")
def large_page(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, float]:
    """The report of a generated result (records, no scan), and the seconds it took to render."""
    files = [
        file_record(
            f"src/m{i // 100:03d}/file-{i:05d}.py",
            detection(_EXPRESSIONS[i % len(_EXPRESSIONS)], MatchKind.TAG, line=1 + i % 7),
        )
        for i in range(20_000)
    ]
    files.append(file_record("x/</script><script>alert(3)</script>.py", detection("MIT")))
    packages = [
        package(
            f"pkg:npm/pkg-{i:04d}@1.{i % 10}.0",
            _EXPRESSIONS[i % 3],
            manifest=f"node_modules/pkg-{i:04d}/package.json",
        )
        for i in range(2_000)
    ]
    dependencies = [
        dependency(
            f"pkg:npm/pkg-{i % 2_000:04d}@1.{i % 10}.0",
            _EXPRESSIONS[i % 3],
            DependencyScope.DEV if i % 4 == 0 else DependencyScope.RUNTIME,
        )
        for i in range(4_000)
    ]
    result = make_result(files, packages, dependencies)
    report = evaluate(result, load_policy("default"), today=dt.date(2026, 6, 1))
    started = time.monotonic()
    text = FORMAT.with_context(result=result).render(report)
    seconds = time.monotonic() - started
    path = tmp_path_factory.mktemp("large") / "large.html"
    path.write_text(text, encoding="utf-8")
    return path, seconds


def test_a_large_result_opens_in_seconds_and_stays_filterable(
    browser: Any, large_page: tuple[Path, float]
) -> None:
    path, render_seconds = large_page
    load = os.getloadavg()[0]
    seconds = open_page(browser, path)
    # A generous bound for a shared machine; it opens in about a second when idle.
    assert seconds < 15, f"opened in {seconds:.1f} s (load {load:.1f})"
    assert render_seconds < 60, f"rendered in {render_seconds:.1f} s (load {load:.1f})"
    assert console_problems(browser) == []
    assert status(browser, "files") == (20_001, 20_001)
    assert status(browser, "packages") == (2_000, 2_000)
    assert status(browser, "dependencies") == (4_000, 4_000)
    # Paged: a few hundred rows in the document, not 20,000.
    rows = browser.execute_script("return document.querySelectorAll('tr').length")
    assert rows < 1_000
    started = time.monotonic()
    type_filter(browser, "files", "file-12345")
    assert status(browser, "files")[0] == 1
    assert time.monotonic() - started < 10
    assert column(browser, "files", 1) == ["src/m123/file-12345.py"]
    type_filter(browser, "files", "")
    started = time.monotonic()
    browser.find_element("css selector", "#files th[data-key=path] button").click()
    browser.find_element("css selector", "#files th[data-key=path] button").click()
    assert column(browser, "files", 1)[0] == "x/</script><script>alert(3)</script>.py"
    assert time.monotonic() - started < 10
    # A name that closes the data block's <script> is data all the same.
    type_filter(browser, "files", "alert(3)")
    assert column(browser, "files", 1) == ["x/</script><script>alert(3)</script>.py"]
    assert browser.execute_script("return document.scripts.length") == 2
    print(  # the figures, with the machine's load, for the record (with -s)
        f"large report: {path.stat().st_size / 1e6:.1f} MB, rendered in {render_seconds:.1f} s,"
        f" opened in {seconds:.1f} s (load average {load:.1f})"
    )
