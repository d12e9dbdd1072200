"""Small helpers for Russian text."""


def plural(number: int, one: str, few: str, many: str) -> str:
    """The noun form agreeing with a number: plural(2, "ученик", "ученика", "учеников")."""
    n = abs(number) % 100
    if 11 <= n <= 14:
        return many
    n %= 10
    if n == 1:
        return one
    if 2 <= n <= 4:
        return few
    return many
