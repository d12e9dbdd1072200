"""The built-in order types, one module each (``ORDER_TYPE``); ReportsConfig.ready registers them.

A new order type is one more module here declaring ``ORDER_TYPE = OrderType(...)``
(reports.orders.kinds); modules whose name starts with «_» hold shared wording and checks.
"""

import importlib
import pkgutil

from reports.orders.kinds import register


def load_builtin_types() -> None:
    """Registers every module of this package that declares ORDER_TYPE."""
    for module_info in pkgutil.iter_modules(__path__):
        if module_info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        declared = getattr(module, "ORDER_TYPE", None)
        if declared is not None:
            register(declared)
