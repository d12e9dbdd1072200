"""Tenant pages of this app for the tenancy tests (see organisations/tests/tenant_pages.py)."""

from organisations.tests.tenant_pages import Page
from participants.tests.factories import PersonFactory


def _person(school):
    return {"pk": PersonFactory(organisation=school).pk}


PAGES = {
    "participants:person_list": Page(allowed="curator", denied="mentor"),
    "participants:person_detail": Page(allowed="methodist", denied="mentor", kwargs=_person),
}
