"""Tenant pages of this app for the tenancy tests (see organisations/tests/tenant_pages.py)."""

from organisations.tests.tenant_pages import Page

PAGES = {
    "reports:dashboard": Page(allowed="mentor"),
    "reports:export": Page(allowed="curator", denied="mentor", fixed_kwargs={"identifier": "people"}),
}


# Printable consent forms.
def _person(school):
    from participants.tests.factories import PersonFactory

    return {"pk": PersonFactory(organisation=school).pk}


PAGES |= {
    "reports:consent_form_person": Page(allowed="methodist", denied="mentor", kwargs=_person),
    # Without ?grade= the page sends back to the consent list with a message (302).
    "reports:consent_forms_class": Page(allowed="methodist", denied="mentor"),
}
