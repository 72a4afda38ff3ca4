"""An estimated submission shows its method and inputs on its page and in the JSON twin.

The small company (tests/support/publication.py) gets a 2023 row for CD-OF and one
invoice 2023-01-01..2023-06-30 of 181 MWh (181 days): covered_average estimates July to
December at 181 / 181 = 1 MWh a day.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from envledger.services.ledger.estimation import submit_estimate
from envledger.services.ledger.estimation_plan import EstimateRequest
from envledger.services.ledger.importing import import_activities, import_facilities
from tests.support.access import SignedInApp, signed_in_app
from tests.support.publication import ACTIVITIES, FACILITIES


@pytest.fixture(scope="module", params=["sqlite"])
def signed_in(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SignedInApp]:
    yield from signed_in_app(request, tmp_path_factory)


def test_the_submission_page_and_its_twin_show_the_estimation(
    signed_in: SignedInApp, tmp_path: Path
) -> None:
    url = signed_in.settings.database_url
    (tmp_path / "f.csv").write_text(
        FACILITIES + "CD-OF,Chengdu office,office,CN,CN-SC,CN-Southwest,2023,1000,100,yes,\n")
    (tmp_path / "a.csv").write_text(
        ACTIVITIES + "CD-OF,2023-01-01,2023-06-30,electricity,181,MWh,invoice\n")
    import_facilities(url, tmp_path / "f.csv")
    uploaded = import_activities(url, tmp_path / "a.csv").batch_id
    batch = submit_estimate(url, EstimateRequest(2023, "CD-OF", "electricity", "covered_average"),
                            actor="site").batch_id
    reviewer = signed_in.sign_in("reviewer")
    page = reviewer.get(f"/submissions/{batch}")
    assert page.status_code == 200
    assert "Estimation" in page.text and "covered_average" in page.text
    # July: 181 MWh / 181 d x 31 d = 31 MWh.
    assert "181 MWh / 181 d (6 covered months) x 31 d = 31 MWh" in page.text
    document = reviewer.get(f"/api/v1/submissions/{batch}").json()
    estimation = document["estimation"]
    assert estimation["method"] == "covered_average"
    assert estimation["quantity"] == pytest.approx(184.0)  # 184 days, July-December
    assert [row["data_source"] for row in document["rows"]] == ["estimated"] * 6
    assert reviewer.get(f"/api/v1/submissions/{uploaded}").json()["estimation"] is None
    ordinary = reviewer.get(f"/submissions/{uploaded}")
    assert "Estimation" not in ordinary.text
    site = signed_in.sign_in("site")
    assert "covered_average" in site.get(f"/submissions/{batch}").text
