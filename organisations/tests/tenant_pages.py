"""The registry of every page under /o/<org>/ for the tenancy tests.

Each app lists its pages in `<app>/tests/pages.py` as ``PAGES = {url name: Page(...)}``;
test_tenancy.py fails when a page under /o/<org>/ is missing from every list.

A page belongs to a school (the default), to a district (``organisation="district"``) or to a
region (``organisation="region"``): the tests open it in an organisation of that kind, and a
user of another organisation of the same kind gets 404 there.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module

APPS_WITH_PAGES = ("organisations", "participants", "roadmap", "mentorship", "reports")
ORGANISATION_KINDS = ("school", "district", "region")


def no_objects(organisation) -> dict:
    return {}


@dataclass(frozen=True)
class Page:
    allowed: str  # a role in the page's organisation that may open the page
    denied: str | None = None  # a role there that gets 403, None when every role may open it
    # Makes the objects the URL needs in the given organisation and returns the URL's other kwargs.
    kwargs: Callable[[object], dict] = field(default=no_objects)
    fixed_kwargs: dict = field(default_factory=dict)  # URL kwargs that name no object, e.g. an identifier
    method: str = "get"  # "post" for action-only URLs
    data: Callable[[object], dict] = field(default=no_objects)  # POST data, made in the organisation
    organisation: str = "school"  # the kind of organisation the page belongs to: "school", "district" or "region"

    def __post_init__(self):
        if self.organisation not in ORGANISATION_KINDS:
            raise ValueError(f"organisation={self.organisation!r}: a page belongs to one of {ORGANISATION_KINDS}")


def all_pages() -> dict[str, Page]:
    pages: dict[str, Page] = {}
    for app in APPS_WITH_PAGES:
        try:
            module = import_module(f"{app}.tests.pages")
        except ModuleNotFoundError:
            continue
        pages.update(module.PAGES)
    return pages
