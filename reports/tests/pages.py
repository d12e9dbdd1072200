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


# The roadmap as a printable PDF.
def _roadmap(school):
    from roadmap.tests.factories import ItemFactory

    return {"pk": ItemFactory(section__roadmap__organisation=school).roadmap_id}


PAGES |= {
    "reports:roadmap_pdf": Page(allowed="mentor", denied="administrator", kwargs=_roadmap),
}


# The printable individual plan of a pair.
def _pair(school):
    from mentorship.tests.factories import PairFactory

    return {"pair_pk": PairFactory(organisation=school).pk}


PAGES |= {
    "reports:plan_pdf": Page(allowed="methodist", denied="administrator", kwargs=_pair),
}
