"""The pure rules of market-based Scope 2: hierarchy, retirement, vintage, allocation."""

from __future__ import annotations

import pytest

from envledger.methods.scope2_market import (
    allocate,
    default_emission_rate,
    hierarchy_level,
    requires_retirement,
    type_rank,
    vintage_window,
)


def test_hierarchy_certificates_before_contracts_before_supplier_rates() -> None:
    assert [type_rank(t) for t in ("GEC", "I-REC", "REC", "GO", "PPA", "green_tariff",
                                   "supplier_rate")] == [0, 0, 0, 0, 1, 2, 3]
    assert (hierarchy_level("PPA"), hierarchy_level("supplier_rate")) == (1, 2)


def test_retirement_and_default_rates() -> None:
    assert requires_retirement("GEC") and not requires_retirement("supplier_rate")
    assert default_emission_rate("I-REC") == 0.0
    assert default_emission_rate("supplier_rate") is None


@pytest.mark.parametrize(("vintage", "allowed"),
                         [(2021, False), (2022, True), (2023, True), (2024, False)])
def test_vintage_window_is_the_year_and_the_year_before(vintage: int, allowed: bool) -> None:
    assert (vintage in vintage_window(2023)) is allowed
    assert 2021 in vintage_window(2023, years_before=2)


def test_allocation_stops_at_the_consumption() -> None:
    # 100 MWh consumed: 60 + 30 applied in full, the third gets the 10 left, the fourth 0
    assert allocate(100.0, [60.0, 30.0, 25.0, 5.0]) == [60.0, 30.0, 10.0, 0.0]
