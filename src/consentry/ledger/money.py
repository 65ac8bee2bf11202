"""Exact money: ISO 4217 currencies with their minor units, rounding, largest-remainder splits.

Amounts are ``Decimal`` until they are rounded once to the currency's minor
unit (half up: 0.005 GBP becomes 0.01), then integers of minor units. A split
of an amount by weights (shares, usage) gives each part the floor of its exact
quota and hands the units left over, one each, to the parts with the largest
remainders (ties: the earlier part), so the parts always sum to the amount.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from consentry.errors import InvalidInput

_EXPONENT_0 = "XXX BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF"
_EXPONENT_3 = "BHD IQD JOD KWD LYD OMR TND"
_EXPONENT_4 = "CLF UYW"
_EXPONENT_2 = (
    "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BOV BRL BSD BTN "
    "BWP BYN BZD CAD CDF CHE CHF CHW CNY COP COU CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB "
    "EUR FJD FKP GBP GEL GHS GIP GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS "
    "KHR KPW KYD KZT LAK LBP LKR LRD LSL MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN "
    "MXV MYR MZN NAD NGN NIO NOK NPR NZD PAB PEN PGK PHP PKR PLN QAR RON RSD RUB SAR SBD "
    "SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TOP TRY TTD TWD TZS "
    "UAH USD USN UYU UZS VED VES WST XCD XCG YER ZAR ZMW ZWG"
)
MINOR_UNITS: dict[str, int] = {
    code: exponent
    for exponent, codes in ((0, _EXPONENT_0), (2, _EXPONENT_2), (3, _EXPONENT_3), (4, _EXPONENT_4))
    for code in codes.split()
}
"""ISO 4217 (list one, 2025): each active currency's minor-unit exponent.

``XXX`` (ISO's "no currency") holds past uses listed without a tariff, at zero.
"""
NO_CURRENCY = "XXX"


def minor_units(currency: str) -> int:
    """The number of decimal places of ``currency``; InvalidInput for an unknown code."""
    try:
        return MINOR_UNITS[currency]
    except KeyError:
        raise InvalidInput(
            f"{currency!r} is not an ISO 4217 currency with minor units",
            hint="use a code such as GBP, EUR, USD or JPY",
        ) from None


def to_minor(amount: Decimal, currency: str) -> int:
    """``amount`` rounded (half up) to whole minor units of ``currency``."""
    exponent = minor_units(currency)
    return int((amount * (Decimal(10) ** exponent)).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def from_minor(units: int, currency: str) -> Decimal:
    """Minor units as an exact Decimal amount with the currency's places (``1234`` -> ``12.34``)."""
    exponent = minor_units(currency)
    return Decimal(units).scaleb(-exponent).quantize(Decimal(1).scaleb(-exponent))


def format_amount(units: int, currency: str) -> str:
    """Minor units as text, e.g. ``"12.34"`` (no grouping, no symbol)."""
    return str(from_minor(units, currency))


def allocate(total: int, weights: Sequence[Decimal | int | Fraction]) -> list[int]:
    """Split ``total`` minor units by ``weights``, exactly (largest remainder).

    Weights are non-negative; when they are all zero the split is equal. A
    negative total is split as its opposite, then negated.
    """
    if total < 0:
        return [-p for p in allocate(-total, weights)]
    exact = [Fraction(w) for w in weights]
    if any(w < 0 for w in exact):
        raise ValueError("weights must not be negative")
    if not exact:
        if total:
            raise ValueError("cannot split a non-zero amount among no one")
        return []
    whole = sum(exact, Fraction(0))
    if whole == 0:
        exact, whole = [Fraction(1)] * len(exact), Fraction(len(exact))
    quotas = [total * w / whole for w in exact]
    parts = [q.numerator // q.denominator for q in quotas]
    left = total - sum(parts)
    order = sorted(range(len(quotas)), key=lambda i: (-(quotas[i] - parts[i]), i))
    for i in order[:left]:
        parts[i] += 1
    return parts
