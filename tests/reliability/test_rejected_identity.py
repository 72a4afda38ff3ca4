"""A corrected resubmission can be rejected again (issue 9, item 1).

Rejecting moves a submission's rows to ``rejected_activity``. SQLite hands a freed
``activity_record`` id to the next row, so the corrected resubmission's row got the id
of the row rejected before it; when rejected rows kept that id, the second reject
failed with ``UNIQUE constraint failed: rejected_activity.id`` (HTTP 500 on the web).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from envledger.services.audit.chain import verify_chain
from envledger.services.governance.review import reject, submission_rows
from envledger.services.ledger.importing import import_activities
from envledger.settings import Settings
from envledger.store.db import session_scope
from envledger.store.review import RejectedActivity
from tests.support.access import SignedInApp, signed_in_app
from tests.support.publication import ACTIVITIES, BACKENDS, module_company

JUNE = "CD-OF,2021-06-01,2021-06-30,electricity,{kwh},kWh,invoice\n"


@pytest.fixture(scope="module", params=BACKENDS)
def company(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Settings]:
    yield from module_company(request, tmp_path_factory)


@pytest.fixture(scope="module", params=BACKENDS)
def signed_in(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SignedInApp]:
    yield from signed_in_app(request, tmp_path_factory)


def rejected(url: str) -> list[tuple[int, int, float]]:
    """(batch, original activity id, quantity [kWh]) of every rejected row."""
    with session_scope(url) as session:
        return [tuple(row) for row in session.execute(
            sa.select(RejectedActivity.batch_id, RejectedActivity.activity_id,
                      RejectedActivity.quantity).order_by(RejectedActivity.id))]


def test_a_corrected_resubmission_is_rejected_again(company: Settings, tmp_path: Path) -> None:
    url = company.database_url
    batches = []
    for attempt, kwh in enumerate((10000, 10500, 11000)):
        path = tmp_path / f"june-{attempt}.csv"
        path.write_text(ACTIVITIES + JUNE.format(kwh=kwh))
        batch = import_activities(url, path, actor="fo-cd", submit=True,
                                  facilities=frozenset({"CD-OF"})).batch_id
        reject(url, batch, "rev", f"attempt {attempt}: the invoice says otherwise")
        batches.append(batch)
        assert [row["quantity"] for row in submission_rows(url, batch)] == [kwh]
    found = rejected(url)
    assert [(batch, kwh) for batch, _, kwh in found] == [
        (batches[0], 10000), (batches[1], 10500), (batches[2], 11000)]
    assert all(activity_id is not None for _, activity_id, _ in found)
    assert verify_chain(url).ok


def test_the_web_route_rejects_a_corrected_resubmission_again(signed_in: SignedInApp) -> None:
    site, reviewer = signed_in.sign_in("site"), signed_in.sign_in("reviewer")
    for attempt, kwh in enumerate((20000, 20500)):
        sent = site.post(
            "/upload", data={"csrf_token": signed_in.csrf(site)},
            files={"file": (f"july-{attempt}.csv",
                            (ACTIVITIES + JUNE.format(kwh=kwh).replace("-06-", "-07-")).encode(),
                            "text/csv")})
        assert sent.status_code == 303, sent.text
        batch = int(sent.headers["location"].rsplit("/", 1)[1])
        decided = reviewer.post(f"/submissions/{batch}/reject", data={
            "csrf_token": signed_in.csrf(reviewer), "comment": f"attempt {attempt}: wrong"})
        assert decided.status_code == 303, decided.text
        page = reviewer.get(f"/api/v1/submissions/{batch}")
        assert page.json()["status"] == "rejected"
        assert [row["quantity"] for row in page.json()["rows"]] == [kwh]
    assert verify_chain(signed_in.settings.database_url).ok


