"""Methane from wastewater treated on site (IPCC 2006 Vol. 5 Ch. 6, 2019 Refinement)."""

from __future__ import annotations

from envledger.errors import EnvledgerError

B0_COD = 0.25
"""Maximum CH4 producing capacity [kg CH4/kg COD] (IPCC 2006 Vol. 5 Ch. 6 default)."""

MCF_DEFAULTS: dict[str, float] = {
    "aerobic_well_managed": 0.0,
    "aerobic_primary": 0.03,
    "anaerobic_reactor": 0.8,
    "anaerobic_lagoon": 0.2,
    "anaerobic_lagoon_deep": 0.8,
}
"""Methane correction factor [-] by treatment type, keyed like the ``treatment`` column.

IPCC 2006 Vol. 5 Ch. 6 Table 6.3: aerobic well managed 0, anaerobic reactor 0.8,
anaerobic shallow lagoon (depth < 2 m; ``anaerobic_lagoon``) 0.2, anaerobic deep lagoon
(depth > 2 m) 0.8. ``aerobic_primary`` 0.03 is the 2019 Refinement's value for a
centralised aerobic plant (Vol. 5 Ch. 6, Table 6.3 (Updated)), not an IPCC 2006 one.
"""


def ch4_from_wastewater(
    tow: float, sludge: float, b0: float, mcf: float, recovered: float = 0.0
) -> float:
    """Methane emitted [kg CH4] by treating organic matter on site.

    CH4 = (TOW - S) x B0 x MCF - R.

    Parameters
    ----------
    tow : float
        Total organics in the wastewater [kg COD].
    sludge : float
        Organics removed as sludge [kg COD].
    b0 : float
        Maximum CH4 producing capacity [kg CH4/kg COD], default 0.25.
    mcf : float
        Methane correction factor of the treatment [-], between 0 and 1.
    recovered : float
        Methane recovered or flared [kg CH4].

    Raises
    ------
    EnvledgerError
        If MCF is outside [0, 1], the sludge exceeds TOW, or more methane is
        recovered than generated.

    References
    ----------
    IPCC 2006 Guidelines, Vol. 5 Ch. 6, Eq. 6.1 and 6.2 (EF = B0 x MCF), Table 6.3;
    2019 Refinement to the 2006 IPCC Guidelines, Vol. 5 Ch. 6, Table 6.3 (Updated)
    (MCF 0.03, centralised aerobic treatment).
    """
    if not 0.0 <= mcf <= 1.0:
        raise EnvledgerError(f"MCF must be between 0 and 1, got {mcf}")
    if sludge > tow:
        raise EnvledgerError(f"sludge ({sludge} kg COD) exceeds total organics ({tow} kg COD)")
    generated = (tow - sludge) * b0 * mcf
    if recovered > generated:
        raise EnvledgerError(
            f"recovered methane ({recovered} kg) exceeds methane generated ({generated} kg)"
        )
    return generated - recovered


__all__ = ["B0_COD", "MCF_DEFAULTS", "ch4_from_wastewater"]
