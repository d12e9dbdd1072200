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


# --- No child identifiable in aggregates ------------------------------------------------------
#
# THE rule (DESIGN §5, 152-ФЗ): a figure about people (students, their answers) shown to a district
# or region user, exported for them, or filtered down to a group, never describes fewer than
# MIN_GROUP people: such a cell reads «менее 5», and so does one more cell wherever a shown total
# would let the hidden one be subtracted back (complementary suppression). School staff who may
# see the people themselves («participants.view») see their own school's small groups.

MIN_GROUP = 5
SUPPRESSED_TEXT = "менее 5"


def is_small(size: int | float | None) -> bool:
    """A group of 1–4 people: shown only as «менее 5». Zero (nobody) is not a group of anyone."""
    return size is not None and 0 < size < MIN_GROUP


def suppress_cells(sizes, *, total_shown: bool = True, also_hidden=()) -> set[int]:
    """Indexes of the cells to hide among ``sizes`` (people per cell): every small group (and the
    cells ``also_hidden`` for a small group of their own) and, when the total of the cells is shown
    and exactly one cell is hidden, the smallest other non-empty cell too, so that the hidden one
    cannot be got back as total − the others."""
    sizes = list(sizes)
    hidden = {index for index, size in enumerate(sizes) if is_small(size)} | set(also_hidden)
    if total_shown and len(hidden) == 1:
        others = [(size, index) for index, size in enumerate(sizes) if index not in hidden and size]
        if others:
            hidden.add(min(others)[1])
    return hidden
