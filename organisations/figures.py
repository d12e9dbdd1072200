"""How every figure of the product is rounded: to the nearest whole percent, half up.

One helper for the pages, the PDF/DOCX documents and the XLSX files, so a figure shown in two
places reads the same in both. Python's round() rounds half to even (round(62.5) == 62) and
works on binary floats (round(2.675, 2) == 2.67), so the arithmetic here is decimal.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


def _decimal(value: float | int | Decimal) -> Decimal:
    # str() gives the shortest decimal that round-trips, i.e. the number a person would write.
    return value if isinstance(value, Decimal) else Decimal(str(value))


def round_half_up(value: float | int | Decimal, places: int = 0) -> float:
    """``value`` to ``places`` decimals, a half away from zero: 2.675 → 2.68, -0.125 → -0.13."""
    exponent = Decimal(1).scaleb(-places)
    return float(_decimal(value).quantize(exponent, rounding=ROUND_HALF_UP))


def whole_percent(part: float | int, whole: float | int) -> int | None:
    """``part`` of ``whole`` in whole percent, half up (5 of 8 → 63); None when ``whole`` is 0."""
    if not whole:
        return None
    share = _decimal(part) * 100 / _decimal(whole)
    return int(share.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def mean(total: float | int, count: int, places: int = 2) -> float | None:
    """``total / count`` to ``places`` decimals, half up; None without values."""
    if not count:
        return None
    return round_half_up(_decimal(total) / _decimal(count), places)
