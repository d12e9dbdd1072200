"""Checks more than one order type makes before approval."""

ERROR_NO_CURATOR = "Выберите куратора: приказ назначает его."


def names_a_curator(order) -> list[str]:
    return [ERROR_NO_CURATOR] if order.curator_id is None else []
