"""A verifier re-performs the demo company's published 2023 from its evidence pack alone.

The pack is made by envledger; the re-performance (tests/support/evidence_reperform.py) uses the
standard library only and must match every published figure to a relative 1e-9.
"""

from __future__ import annotations

import ast
import csv
from pathlib import Path

import pytest

from envledger.demo import generate_demo
from envledger.demo.commitments import write_demo_commitments
from envledger.services.commitments.instruments import import_instruments
from envledger.services.evidence.pack import write_evidence_pack
from envledger.services.inventory.calculate import prepare_ledger
from envledger.services.ledger.importing import import_activities, import_facilities, import_factors
from envledger.services.publication.publishing import publish
from envledger.settings import Settings
from tests.support.evidence_reperform import close, measure, reperform

YEAR = 2023


@pytest.fixture(scope="module")
def pack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo company's 2023 (rows overlapping 2023 only, for speed), published, packed."""
    folder = tmp_path_factory.mktemp("demo")
    files = generate_demo(folder / "data")
    with files.activities_csv.open(newline="") as stream:
        rows = list(csv.reader(stream))
    with files.activities_csv.open("w", newline="") as stream:
        csv.writer(stream).writerows(
            [rows[0]] + [r for r in rows[1:] if r[2] >= f"{YEAR}-01-01" and r[1] <= f"{YEAR}-12-31"]
        )
    url = f"sqlite:///{folder / 'ledger.db'}"
    prepare_ledger(url)
    import_facilities(url, files.facilities_csv)
    import_factors(url, files.factors_csv)
    import_activities(url, files.activities_csv)
    import_instruments(url, write_demo_commitments(folder / "data").instruments_csv)
    settings = Settings(database_url=url)
    publish(settings, YEAR)
    out = folder / "evidence.zip"
    write_evidence_pack(settings, YEAR, out)
    return out


def test_the_reperformer_uses_only_the_standard_library() -> None:
    source = (Path(__file__).parents[2] / "support" / "evidence_reperform.py").read_text()
    modules = {
        alias.name.split(".")[0] if isinstance(node, ast.Import) else node.module
        for node in ast.walk(ast.parse(source)) if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    assert modules == {"__future__", "csv", "io", "json", "math", "zipfile", "collections",
                       "pathlib", "typing"}


def test_every_published_figure_is_reperformed_from_the_pack(pack: Path) -> None:
    done = reperform(pack)
    published = done["published"]
    paths = list(done["company"].keys())
    assert len(paths) == 15  # every measure of the contract's MEASURES
    assert {f["code"] for f in published["facilities"]} == set(done["facilities"])
    for facility in published["facilities"]:
        for path in paths:
            assert close(done["facilities"][facility["code"]][path], measure(facility, path)), (
                facility["code"], path)
    for path in paths:
        assert close(done["company"][path], measure(published["company"], path)), path
    assert {g["name"] for g in published["groups"]} == set(done["groups"])
    for group in published["groups"]:
        for path in paths:
            assert close(done["groups"][group["name"]][path], measure(group, path))
    for entry in published["intensities"]:
        mine = done["intensities"][(entry["group"], entry["indicator"])]
        value = entry["intensity"]["value"]
        assert (mine is None and value is None) or close(mine, value), entry
    assert {(s["scope"], s["source"]) for s in published["by_source"]} == set(done["by_source"])
    for entry in published["by_source"]:
        assert close(done["by_source"][(entry["scope"], entry["source"])],
                     entry["emissions"]["value"])
    for entry in published["by_gas"]:
        mass, t_co2e = done["by_gas"][entry["gas"]]
        assert close(mass, entry["mass"]["value"]) and close(t_co2e, entry["emissions"]["value"])
    by_scope = {(s["scope"], s["method"]): s["emissions"]["value"] for s in published["by_scope"]}
    assert close(by_scope[(1, None)], done["company"]["emissions.scope1"])
    assert close(by_scope[(2, "market")], done["company"]["emissions.scope2_market"])
    # the demo exercises every kind of line: fuels, refrigerant blends, market instruments
    sources = {source for _, source in done["by_source"]}
    assert {"stationary_combustion", "refrigerant", "purchased_electricity"} <= sources
    assert published["instruments"]["applied"]
