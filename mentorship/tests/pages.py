"""Tenant pages of this app for the tenancy tests (see organisations/tests/tenant_pages.py)."""

from organisations.tests.tenant_pages import Page  # noqa: F401 - used by the entries below

PAGES: dict = {}
