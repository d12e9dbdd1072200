"""The one rounding of the product's figures: whole percent, half up (not Python's half to even)."""

import pytest

from organisations.figures import mean, round_half_up, whole_percent


@pytest.mark.parametrize(
    ("part", "whole", "percent"),
    [
        (5, 8, 63),  # 62.5: round() would give 62
        (1, 8, 13),  # 12.5: round() gives 12
        (3, 7, 43),  # 42.86: floor division gave 42
        (18, 40, 45),
        (1, 3, 33),
        (2, 3, 67),
        (999, 1000, 100),  # 99.9 reads as 100 %; the status compares the exact share (kpi)
        (0, 5, 0),
        (7, 7, 100),
    ],
)
def test_whole_percent_rounds_half_up(part, whole, percent):
    assert whole_percent(part, whole) == percent


def test_nothing_to_count_gives_none():
    assert whole_percent(0, 0) is None
    assert mean(0, 0) is None


def test_means_round_half_up_in_decimal_not_binary():
    assert round(2.675, 2) == 2.67  # why the helper exists: 2.675 is 2.67499… as a float
    assert round_half_up(2.675, 2) == 2.68
    assert mean(118, 15) == 7.87
    assert mean(29, 11) == 2.64
    assert mean(1, 8, places=2) == 0.13  # 0.125
    assert round_half_up(-0.125, 2) == -0.13
