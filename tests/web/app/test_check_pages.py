"""The checks page, its JSON twin, the dismiss form and the flags on a pending submission,
over the scenario company of tests/support/scenario_checks.py."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from envledger.services.access.accounts import add_user
from envledger.services.access.roles import Role
from envledger.settings import Settings
from envledger.web import create_app
from tests.support.access import PASSWORD, SignedInApp
from tests.support.scenario_checks import build_company, submit_december

ZERO = "zero_month:SH-HQ:natural_gas:::2025-07"


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SignedInApp]:
    folder = tmp_path_factory.mktemp("checks")
    url = f"sqlite:///{folder / 'ledger.db'}"
    build_company(url, folder)
    add_user(url, "reviewer", PASSWORD, Role.reviewer, [])
    add_user(url, "sam", PASSWORD, Role.facility_owner, ["SH-HQ"])
    settings = Settings(database_url=url)
    yield SignedInApp(settings, create_app(settings))


def test_the_page_and_its_twin_list_the_same_flags(app: SignedInApp) -> None:
    client = app.sign_in("reviewer")
    page = client.get("/checks?year=2025")
    twin = client.get("/api/v1/ledger/checks?year=2025").json()
    assert page.status_code == 200 and twin["year"] == 2025
    assert len(twin["flags"]) == 6
    for flag in twin["flags"]:
        assert f"<code>{flag['key']}</code>" in page.text
    assert page.text.count('action="/checks/dismiss"') == 6
    assert "x1000 unit slip: quantity in kWh entered as MWh" in page.text
    assert "40,000 MWh" in page.text and "20 – 60" in page.text


def test_the_coverage_page_shows_the_same_flags_without_dismiss_forms(
    app: SignedInApp,
) -> None:
    client = app.sign_in("reviewer")
    page = client.get("/coverage?year=2025")
    flags = client.get("/api/v1/ledger/checks?year=2025").json()["flags"]
    assert page.status_code == 200 and "Plausibility flags" in page.text
    assert [f["key"] for f in flags if f"<code>{f['key']}</code>" not in page.text] == []
    assert 'action="/checks/dismiss"' not in page.text


def test_a_facility_owner_sees_flags_but_cannot_dismiss(app: SignedInApp) -> None:
    client = app.sign_in("sam")
    page = client.get("/checks?year=2025")
    assert page.status_code == 200 and 'action="/checks/dismiss"' not in page.text
    assert "O6" not in page.text  # outside sam's facilities
    refused = client.post("/checks/dismiss", data={
        "csrf_token": app.csrf(client), "key": ZERO, "comment": "fine"})
    assert refused.status_code == 403


def test_dismissing_needs_a_comment_then_shows_who_when_why(app: SignedInApp) -> None:
    client = app.sign_in("reviewer")
    blank = client.post("/checks/dismiss", data={
        "csrf_token": app.csrf(client), "key": ZERO, "comment": " "})
    assert blank.status_code == 400 and "give a comment" in blank.text
    done = client.post("/checks/dismiss", data={
        "csrf_token": app.csrf(client), "key": ZERO, "comment": "Boiler overhaul in July"})
    assert (done.status_code, done.headers["location"]) == (303, "/checks?year=2025")
    page = client.get("/checks?year=2025")
    assert "dismissed by reviewer at" in page.text and "Boiler overhaul in July" in page.text
    assert page.text.count('action="/checks/dismiss"') == 5
    flag = next(f for f in client.get("/api/v1/ledger/checks?year=2025").json()["flags"]
                if f["key"] == ZERO)
    assert flag["dismissed"] and flag["dismissed_by"] == "reviewer"
    again = client.post("/checks/dismiss", data={
        "csrf_token": app.csrf(client), "key": ZERO, "comment": "twice"})
    assert again.status_code == 409


def test_a_pending_submission_shows_its_flags_before_approval(
    app: SignedInApp, tmp_path: Path
) -> None:
    batch = submit_december(app.settings.database_url, tmp_path)
    client = app.sign_in("reviewer")
    page = client.get(f"/submissions/{batch}")
    assert "Plausibility flags if approved" in page.text
    assert "<code>month_vs_last_year:SH-HQ:electricity:::2025-12</code>" in page.text
    assert 'action="/checks/dismiss"' not in page.text
    twin = client.get(f"/api/v1/submissions/{batch}").json()
    assert sorted(f["key"] for f in twin["flags"]) == [
        "month_vs_last_year:SH-HQ:electricity:::2025-12",
        "month_vs_median:SH-HQ:electricity:::2025-12",
    ]
