"""Uncertainty propagation, IPCC 2006 Guidelines Vol. 1 ch. 3, Approach 1.

Throughout, U is the relative 95 % uncertainty [%]: half the 95 % confidence interval
as a percentage of the mean.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

#: z of the two-sided 95 % interval of a normal distribution [1].
Z95 = 1.959963984540054


def product_uncertainty(uncertainties: Sequence[float]) -> float:
    """U [%] of a product of uncorrelated quantities with U_i [%]: sqrt(sum U_i^2).

    References
    ----------
    IPCC 2006 Guidelines, Vol. 1 ch. 3, Equation 3.1 (Approach 1, multiplication).
    """
    return math.sqrt(sum(u * u for u in uncertainties))


def sum_uncertainty(values: Sequence[float], uncertainties: Sequence[float]) -> float | None:
    """U [%] of x_1 + ... + x_n [any one unit] with uncorrelated U_i [%].

    sqrt(sum (U_i x_i)^2) / |sum x_i|; None when the sum is zero (undefined).

    References
    ----------
    IPCC 2006 Guidelines, Vol. 1 ch. 3, Equation 3.2 (Approach 1, addition).
    """
    total = sum(values)
    if total == 0:
        return None
    return math.sqrt(sum((u * x) ** 2 for x, u in zip(values, uncertainties, strict=True))) \
        / abs(total)


def correlated_sum_uncertainty(
    values: Sequence[float], uncertainties: Sequence[float], keys: Sequence[str]
) -> float | None:
    """U [%] of a sum whose terms with the same key are fully correlated.

    Terms sharing a key (one emission factor applied at several facilities, or one
    meter's quantity behind several gases) move together: their absolute
    uncertainties U_i x_i add linearly within the key, and the keys combine by
    Equation 3.2. With distinct keys this is :func:`sum_uncertainty`.

    References
    ----------
    IPCC 2006 Guidelines, Vol. 1 ch. 3, section 3.2.3.1 (correlation; Approach 1
    assumes none, so correlated terms are combined before it is applied).
    """
    total = sum(values)
    if total == 0:
        return None
    by_key: dict[str, float] = {}
    for x, u, key in zip(values, uncertainties, keys, strict=True):
        by_key[key] = by_key.get(key, 0.0) + u * x
    return math.sqrt(sum(s * s for s in by_key.values())) / abs(total)


def lognormal_uncertainty(factor_95: float) -> float:
    """U [%] of a lognormal whose 95 % interval is median / k to median x k.

    The half-width of a normal of the same relative standard deviation:
    1.96 x sqrt(exp(s^2) - 1) x 100 with s = ln k / 1.96; k = 3 gives 119 %.

    References
    ----------
    IPCC 2006 Guidelines, Vol. 1 ch. 3, section 3.2.2.4 (lognormal for skewed,
    non-negative quantities such as CH4 and N2O factors).
    """
    sigma = math.log(factor_95) / Z95
    return 100.0 * Z95 * math.sqrt(math.expm1(sigma * sigma))


__all__ = [
    "Z95",
    "correlated_sum_uncertainty",
    "lognormal_uncertainty",
    "product_uncertainty",
    "sum_uncertainty",
]
