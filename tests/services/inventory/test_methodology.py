"""The methodology held in the ledger: defaults, versions, audit, validation, factor choice."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa

from envledger.engine import compute_inventory
from envledger.errors import MethodologyError
from envledger.services.inventory.calculate import calculate, explain
from envledger.services.inventory.methodology import current_methodology, set_methodology
from envledger.settings import Settings
from envledger.store.db import session_scope
from envledger.store.models import AuditEvent, Organization
from envledger.store.publication import MethodologyVersion
from tests.support.engine_inputs import YEAR, electricity_factor, facility, make_inputs, record
from tests.support.publication import company_ledger

MEE = "cn_mee_nbs_electricity"


@pytest.fixture
def settings(ledger_url: str, tmp_path: Path) -> Settings:
    return company_ledger(ledger_url, tmp_path)


def count(settings: Settings, model: type) -> int:
    with session_scope(settings.database_url) as session:
        return session.scalar(sa.select(sa.func.count()).select_from(model))


def test_defaults_then_versions_with_audit_and_a_same_setting_is_a_no_op(
    settings: Settings,
) -> None:
    current = current_methodology(settings)  # the Settings defaults until one is set
    assert current.version is None
    assert current.calculation.gwp_set == settings.gwp_set == "AR5"
    assert current.calculation.series_priority == tuple(settings.series_priority)
    assert current.calculation.excluded_series == ()
    assert (current.base_year, current.significance_threshold) == (None, 0.05)

    first, changed = set_methodology(
        settings, organization="Test Co", base_year=2020, excluded_series=[MEE], actor="ann"
    )
    assert (first.version, changed, first.calculation.excluded_series) == (1, True, (MEE,))
    again, changed = set_methodology(settings, excluded_series=[MEE], base_year=2020)
    assert (again.version, changed) == (1, False)
    second, changed = set_methodology(settings, gwp_set="AR6", significance_threshold=0.1)
    assert (second.version, changed, second.organization, second.base_year) == (
        2, True, "Test Co", 2020
    )
    assert current_methodology(settings) == second
    assert count(settings, MethodologyVersion) == 2
    with session_scope(settings.database_url) as session:
        events = session.scalars(
            sa.select(AuditEvent).where(AuditEvent.action == "methodology.set")
            .order_by(AuditEvent.id)
        ).all()
        assert [e.actor for e in events] == ["ann", "cli"]
        assert events[1].detail["changes"] == {
            "gwp_set": ["AR5", "AR6"], "significance_threshold": [0.05, 0.1]
        }
        organization = session.scalars(sa.select(Organization)).one()
        assert (organization.name, organization.base_year) == ("Test Co", 2020)


BAD = [
    ({"gwp_set": "AR9"}, "GWP set 'AR9'"),
    ({"excluded_series": ["no_such_series"]}, "excluded series names no_such_series"),
    ({"series_priority": ["user", "typo_grid"]}, "series priority names typo_grid"),
    ({"significance_threshold": 0.0}, "between 0 and 1"),
    ({"significance_threshold": 1.0}, "between 0 and 1"),
    ({"base_year": 20}, "base year 20"),
]


def test_bad_settings_are_refused_and_change_nothing(settings: Settings) -> None:
    set_methodology(settings, base_year=2020)
    for change, message in BAD:
        with pytest.raises(MethodologyError, match=message):
            set_methodology(settings, **change)
    assert count(settings, MethodologyVersion) == 1
    assert current_methodology(settings).calculation.gwp_set == "AR5"


def test_excluded_series_changes_the_factor_choice(settings: Settings) -> None:
    # CD-OF (CN-SC) 2020: 100,000 kWh = 100 MWh.
    # Default: local cn_mee_nbs_electricity_CN-SC_2022, 0.1404 kg/kWh -> 100 x 0.1404 = 14.04 t
    inventory = calculate(settings, 2020)
    assert inventory.company_totals["total_t"][0].as_py() == pytest.approx(14.04)
    assert explain(settings, 2020, "CD-OF")["factor_id"].to_pylist() == [
        "cn_mee_nbs_electricity_CN-SC_2022"
    ]
    # Excluding the MEE series leaves the national carbon-market factor for 2020,
    # cn_ets_grid_2019 = 0.6101 t/MWh -> 100 x 0.6101 = 61.01 t
    set_methodology(settings, excluded_series=[MEE])
    inventory = calculate(settings, 2020)
    assert inventory.company_totals["total_t"][0].as_py() == pytest.approx(61.01)
    assert inventory.to_dict()["excluded_series"] == [MEE]
    assert explain(settings, 2020, "CD-OF")["factor_id"].to_pylist() == ["cn_ets_grid_2019"]


def test_excluding_user_leaves_out_every_imported_factor() -> None:
    # 1 MWh at F1 (CN-GD): user local factor 0.3 t/MWh beats the national 0.6 t/MWh by
    # tier; excluding 'user' leaves 1 x 0.6 = 0.6 t
    inputs = make_inputs(
        [record("F1", "electricity", 1000.0, "kWh", f"{YEAR}-01-01", f"{YEAR}-12-31")],
        [facility("F1")],
        [electricity_factor("mine", 0.3, tier="local", geography_code="CN-GD", origin="user",
                            series="my_supplier"),
         electricity_factor("national", 0.6)],
    )
    lines = compute_inventory(inputs, YEAR, "AR5", []).lines
    assert lines["factor_id"].to_pylist() == ["mine"]
    for excluded in (["user"], ["my_supplier"]):
        lines = compute_inventory(inputs, YEAR, "AR5", [], excluded).lines
        assert lines["factor_id"].to_pylist() == ["national"]
        assert lines["t_co2e"].to_pylist() == [pytest.approx(0.6)]
