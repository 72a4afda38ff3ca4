"""Global warming potentials (100-year) of the GHG Protocol gases and refrigerant blends.

Values come from the CC0 package ``globalwarmingpotentials``; gas names are respelled
to envledger's vocabulary (``HFC134a`` -> ``HFC-134a``, ``cC4F8`` -> ``c-C4F8``).
Only the seven groups the GHG Protocol Corporate Standard covers are known:
CO2, CH4, N2O, HFCs, PFCs, SF6 and NF3.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

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


AR6_CH4: dict[str, float] = {"fossil": 29.8, "non_fossil": 27.0}
"""AR6 GWP-100 of methane [kg CO2e/kg CH4] by origin (AR6 WG1 Table 7.15)."""

CH4_NON_FOSSIL_SOURCES: dict[str, str] = {
    "stationary_combustion": "combustion",
    "mobile_combustion": "combustion",
    "purchased_electricity": "combustion",
    "purchased_heat": "combustion",
    "wastewater": "biogenic",
}
"""Sources whose methane takes the non-fossil AR6 value, and why (combustion or biogenic)."""

_AR6_SOURCE = "GHG Protocol, Global Warming Potential Values (August 2024), from AR6 WG1 Table 7.15"
_WHY = {
    "combustion": "combustion methane: its carbon is already counted in the fuel's CO2 factor",
    "biogenic": "biogenic methane: its carbon was recently taken from the atmosphere",
    "fossil": "fugitive methane of fossil origin: its oxidation adds fossil CO2 counted"
              " nowhere else",
}


def source_gwp(gwp_set: str, gas: str, source: str) -> tuple[float, str] | None:
    """GWP-100 [kg CO2e/kg] of a gas from one emission source, where it depends on origin.

    Only AR6 methane does: fossil 29.8 for fugitive methane of fossil origin, non-fossil
    27.0 for combustion methane and biogenic methane (:data:`CH4_NON_FOSSIL_SOURCES`);
    every other source counts as fugitive fossil. AR6 Table 7.SM.7's single value 27.9
    is then never applied; AR4 and AR5 have one CH4 value each.

    Returns
    -------
    tuple[float, str] or None
        ``(gwp [kg CO2e/kg], note saying which value and why)``, or None where the set's
        single value of the gas applies.

    References
    ----------
    IPCC AR6 WG1 (2021), Table 7.15; GHG Protocol, Global Warming Potential Values
    (August 2024): CH4 fossil 29.8, non-fossil 27.0.
    """
    if gwp_set != "AR6" or gas != "CH4":
        return None
    why = CH4_NON_FOSSIL_SOURCES.get(source, "fossil")
    origin = "fossil" if why == "fossil" else "non_fossil"
    value = AR6_CH4[origin]
    label = origin.replace("_", "-")
    return value, f"AR6 CH4 {label} {value:.1f} ({_WHY[why]}; {_AR6_SOURCE})"


def source_gwp_table(sources: Iterable[str]) -> pa.Table:
    """``gwp_set, gas, source, value, note`` for every source whose GWP depends on origin.

    ``value`` [kg CO2e/kg] replaces the GWP table's value of the gas for that source
    (see :func:`source_gwp`); the engine joins it by set, gas and source.
    """
    rows = [
        (gwp_set, gas, source, *rule)
        for gwp_set in GWP_SETS
        for gas in ("CH4",)
        for source in sorted(set(sources))
        if (rule := source_gwp(gwp_set, gas, source)) is not None
    ]
    names = ("gwp_set", "gas", "source", "value", "note")
    types = (pa.string(), pa.string(), pa.string(), pa.float64(), pa.string())
    return pa.table(
        {name: pa.array([row[i] for row in rows], kind)
         for i, (name, kind) in enumerate(zip(names, types, strict=True))}
    )


__all__ = [
    "AR6_CH4",
    "CH4_NON_FOSSIL_SOURCES",
    "GWP_SETS",
    "KNOWN_GASES",
    "blend_gwp",
    "gas_group",
    "gwp_table",
    "source_gwp",
    "source_gwp_table",
]
