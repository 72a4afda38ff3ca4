"""The review workflow in headless chromium: a facility owner uploads, a reviewer approves."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.support.access import PASSWORD, SignedInApp, signed_in_app
from tests.support.publication import ACTIVITIES
from tests.support.web import live_server

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module", params=["sqlite"])
def review_server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[SignedInApp, str]]:
    """The signed-in app of the small company served by uvicorn on a free loopback port."""
    for signed_in in signed_in_app(request, tmp_path_factory):
        with live_server(signed_in.app) as url:
            yield signed_in, url


def _sign_in(browser: Any, base: str, username: str) -> Any:
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.goto(f"{base}/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    return page


def test_upload_then_a_reviewer_approves(
    browser: Any, review_server: tuple[SignedInApp, str], output: Path, tmp_path: Path
) -> None:
    _, base = review_server
    good = tmp_path / "june.csv"
    good.write_text(ACTIVITIES + "CD-OF,2021-06-01,2021-06-30,electricity,10000,kWh,invoice\n")
    bad = tmp_path / "bad.csv"
    bad.write_text(ACTIVITIES + "CD-OF,2021-07-01,2021-07-31,electricity,lots,kWh,invoice\n")

    site = _sign_in(browser, base, "site")
    site.goto(f"{base}/upload")
    site.set_input_files("input[name=file]", str(bad))
    site.click("text=Submit for review")
    assert "nothing was submitted" in site.inner_text("main")
    assert site.locator("tbody tr td").nth(2).inner_text() == "quantity"
    site.screenshot(path=str(output / "review-upload-errors.png"), full_page=True)
    site.set_input_files("input[name=file]", str(good))
    site.click("text=Submit for review")
    site.wait_for_url("**/submissions/*")
    assert "pending" in site.inner_text("main dl")
    submission = site.url

    reviewer = _sign_in(browser, base, "reviewer")
    reviewer.goto(f"{base}/submissions?status=pending")
    reviewer.click(f'a[href="{submission.removeprefix(base)}"]')
    reviewer.fill("#comment", "matches the June invoice")
    reviewer.click("text=Approve")
    reviewer.wait_for_url(submission)
    assert "approved by reviewer" in reviewer.inner_text("main dl")
    reviewer.screenshot(path=str(output / "review-approved.png"), full_page=True)

    site.reload()
    assert "matches the June invoice" in site.inner_text("main dl")
