"""The disclosure site in real headless chromium: per-section years, shared URLs, languages."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from envledger.web.shared.documents import number
from tests.support.web import DemoLedger

pytestmark = pytest.mark.browser


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    # a Content-Security-Policy refusal (an injected <style>, say) is only a console error
    opened.on("console", lambda message: errors.append(message.text)
              if "Content Security Policy" in message.text else None)
    yield opened
    context.close()
    assert errors == [], errors


def _open(page: Any, url: str) -> None:
    page.goto(url)
    page.wait_for_selector("html[data-ready]")


def _values(page: Any, section: str) -> list[str]:
    return page.locator(f'[data-section="{section}"] td[data-field="value"]').all_inner_texts()


def _displays(document: dict[str, Any]) -> list[str]:
    """The figures of a section document formatted as the page formats them."""
    return [number(f["value"], 2) for f in document["figures"]]


def test_server_year_selectors_urls_and_languages(
    page: Any, live_server: str, demo: DemoLedger, output: Path
) -> None:
    _open(page, f"{live_server}/")
    latest = httpx.get(f"{live_server}/api/v1/sections/ghg").json()
    assert _values(page, "ghg") == _displays(latest)
    energy_before = _values(page, "energy")

    page.select_option("#ghg-year", "2021")
    expected = _displays(httpx.get(f"{live_server}/api/v1/sections/ghg?year=2021").json())
    assert expected != _displays(latest)
    assert _values(page, "ghg") == expected
    assert _values(page, "energy") == energy_before
    assert page.input_value("#energy-year") == "2023"
    assert page.locator('[data-section="ghg"] [data-caption]').inner_text().endswith("2021")
    assert "ghg=2021" in page.url
    assert "year=2021" in page.get_attribute('[data-section="ghg"] [data-link="json"]', "href")

    page.reload()
    page.wait_for_selector("html[data-ready]")
    assert page.input_value("#ghg-year") == "2021"
    assert _values(page, "ghg") == expected
    assert _values(page, "energy") == energy_before

    assert "not been restated" in page.inner_text("#note-restatement")  # 2023
    page.select_option("#footnotes-year", "2020")
    assert "were revised" in page.inner_text("#note-restatement")  # the restated base year

    page.wait_for_selector("html[data-charts=ready]", timeout=20_000)
    # total, scope 1, scope 2 location-based, scope 2 market-based
    assert page.locator('[data-charts="ghg"] svg').count() == 4
    page.screenshot(path=str(output / "site-en.png"), full_page=True)
    page.screenshot(path=str(output / "site-en-first-screen.png"))

    page.click('a[data-language="zh-CN"]')
    page.wait_for_selector('html[lang="zh-CN"][data-ready]')
    assert "lang=zh-CN" in page.url and "ghg=2021" in page.url
    assert page.locator('[data-section="ghg"] th[scope="row"]').first.inner_text() == (
        "温室气体排放总量"
    )
    assert _values(page, "ghg") == expected
    page.wait_for_selector("html[data-charts=ready]", timeout=20_000)
    page.screenshot(path=str(output / "site-zh.png"))


def test_energy_by_type_follows_the_year_selector(page: Any, live_server: str) -> None:
    _open(page, f"{live_server}/")
    rows = page.locator('[data-section="energy"] th[scope="row"]').all_inner_texts()
    assert "Energy by type: purchased electricity" in rows
    assert "Energy by type: diesel" in rows
    page.select_option("#energy-year", "2021")
    document = httpx.get(f"{live_server}/api/v1/sections/energy?year=2021").json()
    assert all(f["metric"].startswith("carrier.") for f in document["figures"][3:])
    assert _values(page, "energy") == _displays(document)


def _section_file(site: Path, section: str, year: int) -> dict[str, Any]:
    path = site / "api" / "v1" / "sections" / section / f"{year}.json"
    return json.loads(path.read_text(encoding="utf-8"))


def test_static_site_from_file_url(page: Any, static_site: Path, output: Path) -> None:
    index = (static_site / "index.html").as_uri()
    _open(page, index)
    assert _values(page, "ghg") == _displays(_section_file(static_site, "ghg", 2023))
    energy_before = _values(page, "energy")

    page.select_option("#ghg-year", "2022")
    expected = _displays(_section_file(static_site, "ghg", 2022))
    assert _values(page, "ghg") == expected
    assert _values(page, "energy") == energy_before
    assert "ghg=2022" in page.url

    page.reload()
    page.wait_for_selector("html[data-ready]")
    assert page.input_value("#ghg-year") == "2022"
    assert _values(page, "ghg") == expected

    _open(page, f"{index}?water=2020")
    assert _values(page, "water") == _displays(_section_file(static_site, "water", 2020))
    assert _values(page, "ghg") == _displays(_section_file(static_site, "ghg", 2023))

    page.click('a[data-language="zh-CN"]')
    page.wait_for_selector('html[lang="zh-CN"][data-ready]')
    assert page.url.startswith((static_site / "zh-CN" / "index.html").as_uri())
    assert _values(page, "water") == _displays(_section_file(static_site, "water", 2020))
    assert "选择年份" in page.inner_text('label[for="ghg-year"]')
    page.wait_for_selector("html[data-charts=ready]", timeout=20_000)
    assert page.locator('[data-charts="water"] svg').count() == 3
    page.screenshot(path=str(output / "static-zh.png"))


def test_api_documentation_renders_offline(browser: Any, live_server: str) -> None:
    """Swagger UI and ReDoc draw the API from the vendored files, asking no other host.

    ReDoc's bundle links its footer logo from cdn.redoc.ly; the policy blocks it (the
    only refusal allowed here), so nothing leaves the machine.
    """
    context = browser.new_context()
    page = context.new_page()
    elsewhere: list[str] = []
    refused: list[str] = []
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: refused.append(message.text)
            if "Content Security Policy" in message.text else None)

    def local_only(route: Any) -> None:
        if route.request.url.startswith(live_server):
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()

    page.route("**/*", local_only)
    page.goto(f"{live_server}/docs")
    page.wait_for_selector(".opblock-summary-path")
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert any("/api/v1/sections/{section}" in path for path in paths), paths
    assert refused == []
    page.goto(f"{live_server}/redoc")
    page.wait_for_selector("h1")
    assert "envledger disclosure" in page.locator("h1").first.inner_text()
    context.close()
    assert errors == [] and elsewhere == []
    assert all("https://cdn.redoc.ly/redoc/logo-mini.svg" in text for text in refused), refused
