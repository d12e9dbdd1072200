"""The registry of every page under /o/<org>/ for the tenancy tests.

Each app lists its pages in `<app>/tests/pages.py` as ``PAGES = {url name: Page(...)}``;
test_tenancy.py fails when a page under /o/<org>/ is missing from every list.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module

APPS_WITH_PAGES = ("organisations", "participants", "roadmap", "mentorship", "reports")


def no_objects(school) -> dict:
    return {}


@dataclass(frozen=True)
class Page:
    allowed: str  # a role that may open the page
    denied: str | None = None  # a role that gets 403, None when every role may open it
    # Makes the objects the URL needs in the given school and returns the URL's other kwargs.
    kwargs: Callable[[object], dict] = field(default=no_objects)
    fixed_kwargs: dict = field(default_factory=dict)  # URL kwargs that name no object, e.g. an identifier
    method: str = "get"  # "post" for action-only URLs
    data: Callable[[object], dict] = field(default=no_objects)  # POST data, made in the school


def all_pages() -> dict[str, Page]:
    pages: dict[str, Page] = {}
    for app in APPS_WITH_PAGES:
        try:
            module = import_module(f"{app}.tests.pages")
        except ModuleNotFoundError:
            continue
        pages.update(module.PAGES)
    return pages
