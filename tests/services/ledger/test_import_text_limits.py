"""Long text and control characters: the same refusal on SQLite and PostgreSQL (issue 9.9)."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from envledger.errors import InputError
from envledger.services.commitments.targets import import_targets
from envledger.services.ledger.importing import import_activities, import_facilities
from envledger.store.db import get_engine
from envledger.store.models import ActivityRecord
from tests.support.ledger import HEADER, SH_2023, row_counts

ACTIVITIES = "facility_code,period_start,period_end,activity,quantity,unit,data_source,reference"
READING = "SH-HQ,2023-01-01,2023-01-31,electricity,1200,kWh,invoice,"


@pytest.fixture
def ledger(ledger_url: str, tmp_path: Path) -> str:
    (tmp_path / "facilities.csv").write_text(f"{HEADER}\n{SH_2023}\n")
    import_facilities(ledger_url, tmp_path / "facilities.csv")
    return ledger_url


def refused(url: str, path: Path, text: str) -> list[str]:
    """The problems of importing ``text`` as activities; asserts nothing changed."""
    path.write_text(text)
    before = row_counts(url)
    with pytest.raises(InputError) as raised:
        import_activities(url, path)
    assert row_counts(url) == before
    return [str(problem) for problem in raised.value.problems]


@pytest.mark.parametrize(("reference", "expected"), [
    ("r" * 201, "is 201 characters long: at most 200 allowed"),
    ("r" * 1_000_000, "is 1,000,000 characters long: at most 200 allowed"),
    ("INV\x00001", "contains the control character U+0000 at character 4"),
])
def test_bad_references_are_refused_on_both_backends(
    ledger: str, tmp_path: Path, reference: str, expected: str
) -> None:
    problems = refused(ledger, tmp_path / "a.csv", f'{ACTIVITIES}\n{READING}"{reference}"\n')
    assert len(problems) == 1
    assert problems[0].startswith(f"a.csv, row 2, column 'reference': {expected}")


def test_the_longest_reference_is_stored_whole_on_both_backends(
    ledger: str, tmp_path: Path
) -> None:
    # 200 characters of three UTF-8 bytes each: the limit counts characters, as PostgreSQL does.
    reference = "票" * 200
    (tmp_path / "a.csv").write_text(f"{ACTIVITIES}\n{READING}{reference}\n", encoding="utf-8")
    import_activities(ledger, tmp_path / "a.csv")
    with get_engine(ledger).connect() as connection:
        stored = connection.execute(sa.select(ActivityRecord.reference)).scalar_one()
    assert stored == reference


def test_a_long_target_name_is_refused_on_both_backends(ledger: str, tmp_path: Path) -> None:
    path = tmp_path / "targets.csv"
    path.write_text(
        "name,metric,basis,scope,base_year,target_year,reduction_pct\n"
        f"{'T' * 201},ghg,absolute,company,2020,2030,30\n"
    )
    before = row_counts(ledger)
    with pytest.raises(InputError) as raised:
        import_targets(ledger, path)
    assert [str(p) for p in raised.value.problems] == [
        "targets.csv, row 2, column 'name': is 201 characters long: at most 200 allowed"]
    assert row_counts(ledger) == before
