"""The review pages through the in-process client: upload, queue, decide, scope, audit.

The signed-in app of access_helpers (small company, 2022 published and so locked):
``site`` owns CD-OF, ``target`` owns WH-CD, ``reviewer`` reviews. Tests run in order.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from envledger.store.db import session_scope
from envledger.store.models import ActivityRecord, ImportBatch
from tests.support.access import SignedInApp, signed_in_app
from tests.support.publication import ACTIVITIES

JUNE = "CD-OF,2021-06-01,2021-06-30,electricity,10000,kWh,invoice\n"


@pytest.fixture(scope="module", params=["sqlite"])
def signed_in(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SignedInApp]:
    yield from signed_in_app(request, tmp_path_factory)


@pytest.fixture(scope="module")
def clients(signed_in: SignedInApp) -> dict[str, TestClient]:
    return {name: signed_in.sign_in(name) for name in ("site", "target", "reviewer", "verifier")}


def upload(signed_in: SignedInApp, client: TestClient, name: str, text: str) -> httpx.Response:
    return client.post("/upload", data={"csrf_token": signed_in.csrf(client)},
                       files={"file": (name, text.encode(), "text/csv")})


def rows_and_batches(signed_in: SignedInApp) -> tuple[int, int]:
    with session_scope(signed_in.settings.database_url) as session:
        return (session.scalar(sa.select(sa.func.count()).select_from(ActivityRecord)) or 0,
                session.scalar(sa.select(sa.func.count()).select_from(ImportBatch)) or 0)


def test_a_bad_upload_shows_every_problem_by_row_and_changes_nothing(
    signed_in: SignedInApp, clients: dict[str, TestClient]
) -> None:
    before = rows_and_batches(signed_in)
    page = upload(signed_in, clients["site"], "bad.csv", ACTIVITIES
                  + "CD-OF,2021-06-01,2021-06-30,electricity,lots,kWh,invoice\n"
                  + "CD-OF,2021-07-01,2021-07-31,electricity,5,kWh,guess\n")
    assert page.status_code == 400
    assert "2 problem(s) found; nothing was submitted" in page.text
    # Row 2 (the first data row) has a bad quantity, row 3 a bad data_source.
    assert "<td>bad.csv</td><td>2</td><td>quantity</td>" in page.text
    assert "<td>bad.csv</td><td>3</td><td>data_source</td>" in page.text
    assert rows_and_batches(signed_in) == before


def test_another_facilitys_row_and_a_locked_year_are_refused(
    signed_in: SignedInApp, clients: dict[str, TestClient]
) -> None:
    before = rows_and_batches(signed_in)
    foreign = upload(signed_in, clients["site"], "wh.csv", ACTIVITIES + JUNE.replace(
        "CD-OF", "WH-CD"))
    assert foreign.status_code == 400
    assert "&#39;WH-CD&#39; is not one of your facilities (CD-OF)" in foreign.text
    locked = upload(signed_in, clients["site"], "late.csv", ACTIVITIES + JUNE.replace(
        "2021", "2022"))
    assert locked.status_code == 400 and "locked reporting years: 2022" in locked.text
    assert rows_and_batches(signed_in) == before


def test_an_upload_is_pending_until_a_reviewer_approves_it(
    signed_in: SignedInApp, clients: dict[str, TestClient]
) -> None:
    site, reviewer = clients["site"], clients["reviewer"]
    sent = upload(signed_in, site, "june.csv", ACTIVITIES + JUNE)
    assert sent.status_code == 303
    target = sent.headers["location"]  # /submissions/<batch>
    batch = int(target.rsplit("/", 1)[1])
    assert "<strong>pending</strong>" in site.get(target).text
    assert "Approve" not in site.get(target).text  # no review form for the submitter
    assert site.post(target + "/approve", data={
        "csrf_token": signed_in.csrf(site), "comment": "mine"}).status_code == 403
    queue = reviewer.get("/submissions?status=pending")
    assert f'href="/submissions/{batch}"' in queue.text
    assert reviewer.post(target + "/approve", data={"comment": "ok"}).status_code == 403  # CSRF
    blank = reviewer.post(target + "/approve", data={
        "csrf_token": signed_in.csrf(reviewer), "comment": ""})
    assert blank.status_code == 400 and "give a comment" in blank.text
    done = reviewer.post(target + "/approve", data={
        "csrf_token": signed_in.csrf(reviewer), "comment": "matches the invoice"})
    assert done.status_code == 303
    shown = site.get(target).text
    assert "<strong>approved</strong> by reviewer" in shown and "matches the invoice" in shown
    data = site.get("/api/v1/facilities/CD-OF/data?year=2021").json()["activities"]
    assert {(row["quantity"], row["review_status"]) for row in data} == {
        (100000.0, "approved"), (10000.0, "approved")}
    audit = clients["verifier"].get("/audit")
    assert audit.status_code == 200 and "submission.approve" in audit.text


def test_a_facility_owner_cannot_see_another_facilitys_submission(
    signed_in: SignedInApp, clients: dict[str, TestClient]
) -> None:
    mine = clients["site"].get("/api/v1/submissions").json()["submissions"]
    batch = next(item["batch_id"] for item in mine if item["file_name"] == "june.csv")
    other = clients["target"]
    assert other.get(f"/submissions/{batch}").status_code == 404
    assert other.get(f"/api/v1/submissions/{batch}").status_code == 404
    assert other.get("/api/v1/submissions").json() == {"submissions": []}
    assert other.get("/facilities/CD-OF?year=2021").status_code == 404
    assert clients["site"].get("/audit").status_code == 403
