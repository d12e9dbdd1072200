"""Tenant pages of this app for the tenancy tests (see organisations/tests/test_tenancy.py)."""

from organisations.tests.tenant_pages import Page

PAGES = {
    "organisations:settings": Page(allowed="director", denied="curator"),
}
