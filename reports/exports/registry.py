"""Every document the product hands out, registered once at start-up (ReportsConfig.ready).

Each room of reports/ that hands out files lists them in its ``exporters.py`` as ``EXPORTERS``;
``registry_fill`` finds those modules by walking the app's subpackages. The one view
(reports.exports.views), the background task (reports.exports.tasks) and the tests of the registry
then know every exporter; nothing is registered by importing a view, and exports/ imports none of
the rooms that build on it.
"""

import pkgutil
from importlib import import_module

from reports.exports.base import REGISTRY, register

EXPORTERS_MODULE = "exporters"


def exporter_modules(package_name: str) -> list:
    """The ``<room>.exporters`` modules of the package's subpackages, in the rooms' alphabetical order."""
    package = import_module(package_name)
    modules = []
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda info: info.name):
        if not info.ispkg:
            continue
        name = f"{package_name}.{info.name}.{EXPORTERS_MODULE}"
        try:
            modules.append(import_module(name))
        except ModuleNotFoundError as error:
            if error.name != name:  # a real import error inside the module, not a room without files
                raise
    return modules


def exporter_classes(package_name: str = "reports") -> list[type]:
    """Every exporter the rooms declare, room by room."""
    return [exporter_class for module in exporter_modules(package_name) for exporter_class in module.EXPORTERS]


def registry_fill(package_name: str = "reports") -> None:
    """Registers every exporter; called once by ReportsConfig.ready (a second call changes nothing)."""
    if REGISTRY:
        return
    for exporter_class in exporter_classes(package_name):
        register(exporter_class)
