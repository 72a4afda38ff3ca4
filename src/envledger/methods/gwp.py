"""Global warming potentials (100-year) of the GHG Protocol gases and refrigerant blends.

Values come from the CC0 package ``globalwarmingpotentials``; gas names are respelled
to envledger's vocabulary (``HFC134a`` -> ``HFC-134a``, ``cC4F8`` -> ``c-C4F8``).
Only the seven groups the GHG Protocol Corporate Standard covers are known:
CO2, CH4, N2O, HFCs, PFCs, SF6 and NF3.
"""

from __future__ import annotations

import re

import globalwarmingpotentials
import pyarrow as pa
import pyarrow.compute as pc

from envledger.errors import EnvledgerError

GWP_SETS = ("AR4", "AR5", "AR6")
"""Supported IPCC assessment reports (100-year horizon)."""

_PFC = re.compile(r"^c?C\d*F\d+$")
_SINGLE_GAS_GROUPS = ("CO2", "CH4", "N2O", "SF6", "NF3")


def _our_spelling(name: str) -> str | None:
    """envledger spelling of a package gas name, or None if outside the seven groups."""
    if name in _SINGLE_GAS_GROUPS:
        return name
    if name == "HFC4310mee":
        return "HFC-43-10mee"
    if name.startswith("HFC"):
        return f"HFC-{name[3:]}"
    if _PFC.match(name):
        return f"c-{name[1:]}" if name.startswith("c") else name
    return None


def _load(gwp_set: str) -> dict[str, float]:
    """GWP-100 [kg CO2e/kg] by gas in our spelling, CO2 included."""
    values = {"CO2": 1.0}
    for name, value in globalwarmingpotentials.data[f"{gwp_set}GWP100"].items():
        gas = _our_spelling(name)
        if gas is not None:
            values[gas] = float(value)
    return values


_GWP = {gwp_set: _load(gwp_set) for gwp_set in GWP_SETS}
KNOWN_GASES = tuple(sorted({gas for values in _GWP.values() for gas in values}))
"""Every gas with a GWP in at least one supported set, in envledger spelling."""


def _values(gwp_set: str) -> dict[str, float]:
    """GWP-100 [kg CO2e/kg] by gas of a supported set."""
    try:
        return _GWP[gwp_set]
    except KeyError:
        raise EnvledgerError(
            f"unknown GWP set '{gwp_set}'; supported: {', '.join(GWP_SETS)}"
        ) from None


def gas_group(gas: str) -> str:
    """Reporting group of a gas: CO2, CH4, N2O, HFCs, PFCs, SF6 or NF3.

    Raises
    ------
    EnvledgerError
        If the gas is not one envledger knows (the message lists the known gases).

    References
    ----------
    GHG Protocol Corporate Standard (2004), ch. 4; ISO 14064-1:2018 clause 5.2.
    """
    if gas not in KNOWN_GASES:
        raise EnvledgerError(f"unknown gas '{gas}'; known gases: {' '.join(KNOWN_GASES)}")
    if gas in _SINGLE_GAS_GROUPS:
        return gas
    return "HFCs" if gas.startswith("HFC-") else "PFCs"


def _composition(blend: str, blends: pa.Table) -> list[tuple[str, float]]:
    """(component, mass fraction [-]) rows of one blend."""
    rows = blends.filter(pc.equal(blends.column("blend"), blend))
    if rows.num_rows == 0:
        known = sorted(set(blends.column("blend").to_pylist()))
        raise EnvledgerError(f"unknown blend '{blend}'; known blends: {' '.join(known)}")
    return list(
        zip(
            rows.column("component").to_pylist(),
            rows.column("mass_fraction").to_pylist(),
            strict=True,
        )
    )


def blend_gwp(blend: str, gwp_set: str, blends: pa.Table) -> float:
    """Mass-weighted GWP-100 of a refrigerant blend [kg CO2e/kg].

    R-410A (50 % HFC-32, 50 % HFC-125) under AR5: 0.5 x 677 + 0.5 x 3170 = 1923.5.

    Raises
    ------
    EnvledgerError
        If the blend, a component gas or the GWP set is unknown.

    References
    ----------
    IPCC AR4/AR5/AR6 WG1 100-year GWPs; GHG Protocol, HFC and PFC emissions from
    refrigeration and air conditioning (blends weighted by mass fraction).
    """
    values = _values(gwp_set)
    total = 0.0
    for component, fraction in _composition(blend, blends):
        if component not in values:
            raise EnvledgerError(
                f"blend '{blend}': component '{component}' has no {gwp_set} GWP;"
                f" known gases: {' '.join(sorted(values))}"
            )
        total += fraction * values[component]
    return total


def gwp_table(gwp_set: str, blends: pa.Table) -> pa.Table:
    """GWP-100 [kg CO2e/kg] of every known gas and blend in one assessment report.

    Returns
    -------
    pyarrow.Table
        ``gwp_set, gas, value`` (the engine's ``gwp`` table); blends are included
        mass-weighted for display, the engine decomposes them before applying GWPs.

    Raises
    ------
    EnvledgerError
        If the set is not one of AR4, AR5, AR6.

    References
    ----------
    IPCC AR4 WG1 Table 2.14; AR5 WG1 Table 8.A.1; AR6 WG1 Tables 7.15 and 7.SM.7 (via the
    ``globalwarmingpotentials`` package, CC0).
    """
    values = dict(_values(gwp_set))
    for blend in sorted(set(blends.column("blend").to_pylist())):
        values[blend] = blend_gwp(blend, gwp_set, blends)
    return pa.table(
        {
            "gwp_set": pa.array([gwp_set] * len(values), pa.string()),
            "gas": pa.array(list(values), pa.string()),
            "value": pa.array(list(values.values()), pa.float64()),
        }
    )


__all__ = ["GWP_SETS", "KNOWN_GASES", "blend_gwp", "gas_group", "gwp_table"]
