"""Market-based Scope 2: contractual instruments, their quality criteria and hierarchy.

The market-based method assigns purchased electricity (or heat) the emission rate of
the contractual instruments the company holds for it, in this order: (1) energy
attribute certificates (GEC, I-REC, REC, GO) and then direct contracts (PPA) and
green tariffs, (2) a supplier-specific emission rate, (3) the residual mix of the
facility's market, (4) the grid average (the location-based factor) where no
residual mix exists. An instrument counts only if it meets the Scope 2 Quality
Criteria; the engine (``engine.market``) applies these rules in SQL, the functions
here are the reference they are tested against.

References
----------
GHG Protocol Scope 2 Guidance (2015), ch. 6.4-6.11 (market-based emission factor
hierarchy, Table 6.3) and ch. 7.1 (Scope 2 Quality Criteria, Table 7.1).
"""

from __future__ import annotations

#: Energy attribute certificates: Chinese Green Electricity Certificate, International
#: REC, US Renewable Energy Certificate, EU Guarantee of Origin.
CERTIFICATES = ("GEC", "I-REC", "REC", "GO")
#: Every instrument type, in hierarchy order (certificates, contracts, supplier rate).
INSTRUMENT_TYPES = (*CERTIFICATES, "PPA", "green_tariff", "supplier_rate")
#: Energy carriers an instrument can cover (Scope 2 Guidance, Appendix A for heat).
ENERGIES = ("electricity", "heat")
#: Default vintage window: the reporting year or the year before.
VINTAGE_YEARS_BEFORE = 1


def hierarchy_level(instrument_type: str) -> int:
    """Level of an instrument type in the market-based hierarchy [1]: 1 contracts, 2 supplier.

    References
    ----------
    GHG Protocol Scope 2 Guidance (2015), ch. 6.5, Table 6.3.
    """
    return 2 if instrument_type == "supplier_rate" else 1


def type_rank(instrument_type: str) -> int:
    """Order [1] of use within a level: certificates 0, PPA 1, green tariff 2, supplier 3."""
    if instrument_type in CERTIFICATES:
        return 0
    return INSTRUMENT_TYPES.index(instrument_type) - len(CERTIFICATES) + 1


def requires_retirement(instrument_type: str) -> bool:
    """Whether the company must retire or cancel the instrument to claim it.

    Certificates, PPAs and green tariffs: yes (Quality Criterion 3). A supplier-specific
    rate describes delivered electricity and carries no certificate of its own
    (Quality Criterion 6), so no.

    References
    ----------
    GHG Protocol Scope 2 Guidance (2015), Table 7.1, Scope 2 Quality Criteria 3 and 6.
    """
    return instrument_type != "supplier_rate"


def default_emission_rate(instrument_type: str) -> float | None:
    """Emission rate [tCO2e/MWh] when none is stated: 0 for renewable instruments.

    A supplier-specific rate must be stated (None).

    References
    ----------
    GHG Protocol Scope 2 Guidance (2015), ch. 6.6 and Table 7.1, Quality Criterion 1.
    """
    return None if instrument_type == "supplier_rate" else 0.0


def vintage_window(reporting_year: int, years_before: int = VINTAGE_YEARS_BEFORE) -> range:
    """Vintages [year] an instrument claimed for ``reporting_year`` [year] may have.

    Certificates must be issued and redeemed as close as possible to the period of
    consumption; envledger allows the reporting year and ``years_before`` years
    before it (default 1), never a later vintage.

    References
    ----------
    GHG Protocol Scope 2 Guidance (2015), Table 7.1, Scope 2 Quality Criterion 4.
    """
    return range(reporting_year - years_before, reporting_year + 1)


def allocate(consumption: float, volumes: list[float]) -> list[float]:
    """Volume applied [MWh] of each instrument, in order, to ``consumption`` [MWh].

    Instruments are used in order until the consumption is covered; what exceeds it
    is not applied (and is reported as excluded). For company-wide instruments the
    consumption is the uncovered consumption of every facility in the market, and
    each facility receives a share proportional to its own uncovered consumption.

    References
    ----------
    GHG Protocol Scope 2 Guidance (2015), ch. 7.1 (Quality Criterion 2: instruments
    are counted once and never beyond the consumption they cover).
    """
    applied, left = [], max(consumption, 0.0)
    for volume in volumes:
        used = min(volume, left)
        applied.append(used)
        left -= used
    return applied


__all__ = [
    "CERTIFICATES",
    "ENERGIES",
    "INSTRUMENT_TYPES",
    "VINTAGE_YEARS_BEFORE",
    "allocate",
    "default_emission_rate",
    "hierarchy_level",
    "requires_retirement",
    "type_rank",
    "vintage_window",
]
