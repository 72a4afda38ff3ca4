"""Submissions, review and period locks on the small company (SQLite and PostgreSQL).

The company (publication_helpers): CD-OF 100 MWh and WH-CD 50 MWh of electricity a
year, both in the boundary in 2021 and 2022, only CD-OF in 2020; the local factor
0.1404 t/MWh. The tests run in order on one ledger per backend.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from envledger.cli import app
from envledger.errors import (
    InputError,
    NotFoundError,
    PeriodLockedError,
    PublicationError,
    ReviewError,
)
from envledger.services.governance.period_locks import lock_history, locked_years, unlock_year
from envledger.services.governance.review import (
    approve,
    get_submission,
    list_submissions,
    reject,
    submission_rows,
)
from envledger.services.inventory.calculate import calculate
from envledger.services.ledger.importing import import_activities
from envledger.services.publication.publishing import publish, restatements
from envledger.settings import Settings
from envledger.store.db import session_scope
from envledger.store.models import ActivityRecord, AuditEvent
from envledger.store.review import RejectedActivity
from tests.support.publication import ACTIVITIES, BACKENDS, module_company

CD = frozenset({"CD-OF"})


@pytest.fixture(scope="module", params=BACKENDS)
def company(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Settings]:
    yield from module_company(request, tmp_path_factory)


def write(folder: Path, name: str, lines: str) -> Path:
    path = folder / name
    path.write_text(ACTIVITIES + lines)
    return path


def submit(settings: Settings, path: Path, actor: str = "fo-cd") -> int:
    return import_activities(
        settings.database_url, path, actor=actor, submit=True, facilities=CD
    ).batch_id


def total(settings: Settings, year: int) -> float:
    return calculate(settings, year).to_dict()["company"]["emissions"]["total"]["value"]


def events(settings: Settings, action: str) -> list[dict]:
    """Details of the ``action`` events, without the row fingerprints (tests/reliability)."""
    with session_scope(settings.database_url) as session:
        return [{k: v for k, v in detail.items() if k != "rows"} for detail in session.scalars(
            sa.select(AuditEvent.detail).where(AuditEvent.action == action)
            .order_by(AuditEvent.seq)
        )]


def count(settings: Settings, model: type) -> int:
    with session_scope(settings.database_url) as session:
        return session.scalar(sa.select(sa.func.count()).select_from(model)) or 0


def test_the_owners_import_is_approved_on_import(company: Settings) -> None:
    (batch,) = list_submissions(company.database_url)
    assert (batch.status, batch.reviewer, batch.row_count) == ("approved", "cli", 6)
    assert batch.facilities == ["CD-OF", "WH-CD"]
    assert str(batch.first_day) == "2020-01-01" and str(batch.last_day) == "2022-12-31"
    assert events(company, "import.activities")[0]["review_status"] == "approved"


def test_a_pending_submission_is_not_calculated_until_approved(
    company: Settings, tmp_path: Path
) -> None:
    # 2021: (100 + 50) MWh x 0.1404 t/MWh = 21.06 t
    assert total(company, 2021) == pytest.approx(21.06)
    batch = submit(company, write(tmp_path, "june.csv",
                                  "CD-OF,2021-06-01,2021-06-30,electricity,10000,kWh,invoice\n"))
    assert get_submission(company.database_url, batch).status == "pending"
    assert total(company, 2021) == pytest.approx(21.06)
    with pytest.raises(ReviewError, match="another person"):
        approve(company.database_url, batch, "fo-cd", "looks right")
    with pytest.raises(ReviewError, match="give a comment"):
        approve(company.database_url, batch, "rev", "  ")
    done = approve(company.database_url, batch, "rev", "matches the June invoice")
    assert (done.status, done.reviewer, done.comment) == (
        "approved", "rev", "matches the June invoice")
    # + 10,000 kWh = 10 MWh: 160 MWh x 0.1404 = 22.464 t
    assert total(company, 2021) == pytest.approx(22.464)
    assert events(company, "submission.approve")[-1] == {
        "batch_id": batch, "comment": "matches the June invoice",
        "before": {"status": "pending"}, "after": {"status": "approved"},
    }
    with pytest.raises(ReviewError, match="already approved by rev"):
        reject(company.database_url, batch, "rev", "changed my mind")


def test_a_facility_owner_submits_and_sees_only_their_facilities(
    company: Settings, tmp_path: Path
) -> None:
    before = count(company, ActivityRecord)
    path = write(tmp_path, "mixed.csv",
                 "CD-OF,2021-07-01,2021-07-31,electricity,1,MWh,invoice\n"
                 "WH-CD,2021-07-01,2021-07-31,electricity,1,MWh,invoice\n")
    with pytest.raises(InputError) as refused:
        submit(company, path)
    (problem,) = refused.value.problems
    assert (problem.row, problem.column) == (3, "facility_code")
    assert "'WH-CD' is not one of your facilities (CD-OF)" in problem.message
    assert count(company, ActivityRecord) == before
    mine = list_submissions(company.database_url, facilities=CD)
    assert [s.facilities for s in mine] == [["CD-OF"]]  # not the owner's two-site import
    with pytest.raises(NotFoundError):
        get_submission(company.database_url, mine[0].batch_id, facilities={"WH-CD"})


def test_a_rejected_submission_is_kept_but_never_calculated(
    company: Settings, tmp_path: Path
) -> None:
    wrong = submit(company, write(tmp_path, "dec.csv",
                                  "CD-OF,2022-12-01,2022-12-31,electricity,90,MWh,invoice\n"))
    done = reject(company.database_url, wrong, "rev", "90 MWh in a month is a typo")
    assert done.status == "rejected" and done.facilities == ["CD-OF"]
    assert [row["quantity"] for row in submission_rows(company.database_url, wrong)] == [90.0]
    assert count(company, RejectedActivity) == 1
    # 2022: (100 + 50) MWh x 0.1404 = 21.06 t, without the rejected 90 MWh
    assert total(company, 2022) == pytest.approx(21.06)
    # The same period can be submitted again, corrected: 9 MWh -> 159 x 0.1404 = 22.3236 t
    fixed = submit(company, write(tmp_path, "dec2.csv",
                                  "CD-OF,2022-12-01,2022-12-31,electricity,9,MWh,invoice\n"))
    approve(company.database_url, fixed, "rev", "corrected reading")
    assert total(company, 2022) == pytest.approx(22.3236)
    assert [s.status for s in list_submissions(company.database_url, "rejected")] == ["rejected"]


def test_publish_locks_and_unlocking_leads_to_a_restatement(
    company: Settings, tmp_path: Path
) -> None:
    url = company.database_url
    publish(company, 2020)  # 100 MWh x 0.1404 = 14.04 t
    assert 2020 in locked_years(url)
    late = write(tmp_path, "late.csv", "CD-OF,2020-12-01,2020-12-31,electricity,5,MWh,invoice\n")
    rows = count(company, ActivityRecord)
    with pytest.raises(PeriodLockedError, match=r"2020 \(1 row\).*unlock --year 2020"):
        import_activities(url, late)
    with pytest.raises(PeriodLockedError, match="2020"):
        submit(company, late)
    assert count(company, ActivityRecord) == rows
    with pytest.raises(ReviewError, match="needs a reason"):
        unlock_year(url, 2020, " ")
    unlock_year(url, 2020, "late December invoice", actor="owner")
    assert 2020 not in locked_years(url)
    with pytest.raises(ReviewError, match="not locked"):
        unlock_year(url, 2020, "again")
    assert events(company, "period.unlock")[-1]["reason"] == "late December invoice"
    import_activities(url, late)
    with pytest.raises(PublicationError, match="give a reason"):
        publish(company, 2020)
    result = publish(company, 2020, reason="error_correction", note="late invoice")
    assert result.snapshot.version == 2
    total_row = next(r for r in restatements(company, 2020) if r.figure == "emissions.total")
    # 14.04 t -> 105 MWh x 0.1404 = 14.742 t
    assert (total_row.original, total_row.revised) == (pytest.approx(14.04),
                                                       pytest.approx(14.742))
    assert total_row.reason == "error_correction"
    assert [(e.locked, e.actor) for e in lock_history(url, 2020)] == [
        (True, "cli"), (False, "owner"), (True, "cli")]


def test_a_submission_to_a_year_locked_meanwhile_cannot_be_approved(
    company: Settings, tmp_path: Path
) -> None:
    batch = submit(company, write(tmp_path, "nov.csv",
                                  "CD-OF,2021-11-01,2021-11-30,electricity,1,MWh,invoice\n"))
    publish(company, 2021)
    with pytest.raises(PeriodLockedError, match=r"submission \d+ has .* 2021"):
        approve(company.database_url, batch, "rev", "ok")
    assert reject(company.database_url, batch, "rev", "2021 is published").status == "rejected"


def test_cli_lists_approves_and_locks(
    company: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ENVLEDGER_DATABASE_URL", company.database_url)
    batch = submit(company, write(tmp_path, "oct.csv",
                                  "CD-OF,2022-10-01,2022-10-31,electricity,1,MWh,invoice\n"))
    runner = CliRunner()
    listed = runner.invoke(app, ["submissions", "--status", "pending", "--format", "json"])
    assert listed.exit_code == 0 and f'"batch_id": {batch}' in listed.output
    refused = runner.invoke(app, ["approve", str(batch), "--comment", ""])
    assert refused.exit_code == 1 and "give a comment" in refused.output
    done = runner.invoke(app, ["approve", str(batch), "--comment", "ok", "--actor", "rev"])
    assert done.exit_code == 0 and f"Submission {batch} (oct.csv) is approved by rev" in done.output
    assert runner.invoke(app, ["lock", "--year", "2022"]).exit_code == 0
    again = runner.invoke(app, ["lock", "--year", "2022"])
    assert "already locked" in again.output
    unlocked = runner.invoke(app, ["unlock", "--year", "2022", "--reason", "fix"])
    assert unlocked.exit_code == 0 and "restatement" in unlocked.output
    shown = runner.invoke(app, ["locks"])
    assert shown.exit_code == 0 and "Locked years: 2020, 2021" in shown.output
