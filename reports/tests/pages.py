"""Tenant pages of this app for the tenancy tests (see organisations/tests/tenant_pages.py)."""

from organisations.tests.tenant_pages import Page

PAGES = {
    "reports:dashboard": Page(allowed="mentor"),
    "reports:export": Page(allowed="curator", denied="mentor", fixed_kwargs={"identifier": "people"}),
}
