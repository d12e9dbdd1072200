"""Tenant pages of this app for the tenancy tests (see organisations/tests/tenant_pages.py)."""

from organisations.tests.tenant_pages import Page
from participants.tests.factories import (
    AgreementFactory,
    MenteeEntryFactory,
    MentorDocumentFactory,
    MentorEntryFactory,
    ParentLinkFactory,
    PartnerFactory,
    PersonFactory,
)


def _person(school):
    return {"pk": PersonFactory(organisation=school).pk}


def _parent_link(school):
    link = ParentLinkFactory(child__organisation=school)
    return {"pk": link.child_id, "parent_pk": link.parent_id}


def _bulk_data(school):
    return {"base": "mentee", "person": [PersonFactory(organisation=school).pk]}


PAGES = {
    "participants:person_list": Page(allowed="curator", denied="mentor"),
    "participants:person_detail": Page(allowed="methodist", denied="mentor", kwargs=_person),
    "participants:person_add": Page(allowed="curator", denied="methodist"),
    "participants:person_edit": Page(allowed="curator", denied="methodist", kwargs=_person),
    "participants:person_delete": Page(allowed="curator", denied="methodist", kwargs=_person, method="post"),
    "participants:person_bulk_base": Page(allowed="curator", denied="methodist", method="post", data=_bulk_data),
    "participants:parent_add": Page(allowed="curator", denied="methodist", kwargs=_person),
    "participants:parent_search": Page(allowed="curator", denied="methodist", kwargs=_person),
    "participants:parent_unlink": Page(allowed="curator", denied="methodist", kwargs=_parent_link, method="post"),
    "participants:access_log": Page(allowed="director", denied="curator"),
    "participants:destruction_acts": Page(allowed="director", denied="curator"),
    "participants:person_anonymise_now": Page(allowed="director", denied="curator", kwargs=_person, method="post"),
    "participants:consent_link_send": Page(allowed="curator", denied="methodist", kwargs=_person),
}


# Bases of mentors and mentees, mentor documents, partners and agreements.
def _mentor_entry(school):
    return {"pk": MentorEntryFactory(organisation=school).pk}


def _mentee_entry(school):
    return {"pk": MenteeEntryFactory(organisation=school).pk}


def _document(school):
    return {"pk": MentorDocumentFactory(organisation=school).pk}


def _partner(school):
    return {"pk": PartnerFactory(organisation=school).pk}


def _agreement(school):
    return {"pk": AgreementFactory(organisation=school).pk}


def _left(school):
    return {"status": "left"}


PAGES |= {
    "participants:mentor_list": Page(allowed="methodist", denied="mentor"),
    "participants:mentor_register": Page(allowed="methodist", denied="mentor"),
    "participants:mentor_add": Page(allowed="curator", denied="methodist"),
    "participants:mentor_edit": Page(allowed="curator", denied="methodist", kwargs=_mentor_entry),
    "participants:mentor_status": Page(
        allowed="curator", denied="methodist", kwargs=_mentor_entry, method="post", data=_left
    ),
    "participants:mentee_list": Page(allowed="methodist", denied="mentor"),
    "participants:mentee_add": Page(allowed="curator", denied="methodist"),
    "participants:mentee_edit": Page(allowed="curator", denied="methodist", kwargs=_mentee_entry),
    "participants:mentee_status": Page(
        allowed="curator", denied="methodist", kwargs=_mentee_entry, method="post", data=_left
    ),
    "participants:document_add": Page(allowed="curator", denied="methodist"),
    "participants:document_edit": Page(allowed="curator", denied="methodist", kwargs=_document),
    "participants:document_delete": Page(allowed="curator", denied="methodist", kwargs=_document, method="post"),
    "participants:document_file": Page(allowed="methodist", denied="mentor", kwargs=_document),
    "participants:partner_list": Page(allowed="methodist", denied="mentor"),
    "participants:partner_add": Page(allowed="curator", denied="methodist"),
    "participants:partner_edit": Page(allowed="curator", denied="methodist", kwargs=_partner),
    "participants:agreement_add": Page(allowed="curator", denied="methodist"),
    "participants:agreement_edit": Page(allowed="curator", denied="methodist", kwargs=_agreement),
    "participants:agreement_file": Page(allowed="methodist", denied="mentor", kwargs=_agreement),
}


# Consents to personal-data processing.
def _consent(school):
    from participants.tests.factories_consents import ConsentFactory

    return {"pk": ConsentFactory(person__organisation=school).pk}


def _withdrawal(school):
    return {"withdrawn_on": "2026-10-01"}


PAGES |= {
    "participants:consent_list": Page(allowed="methodist", denied="mentor"),
    "participants:consent_create": Page(allowed="curator", denied="methodist", kwargs=_person),
    "participants:consent_withdraw": Page(
        allowed="curator", denied="methodist", kwargs=_consent, method="post", data=_withdrawal
    ),
    "participants:consent_scan": Page(allowed="methodist", denied="mentor", kwargs=_consent),
}


# Import of class lists and staff lists.
def _import_batch(school):
    from participants.models import ImportBatch

    # No stored file: the preview page shows the summary; applying refuses and redirects back.
    batch = ImportBatch.objects.create(organisation=school, original_name="7Б.csv", summary={"counts": {}})
    return {"pk": batch.pk}


PAGES |= {
    "participants:import_upload": Page(allowed="curator", denied="methodist"),
    "participants:import_preview": Page(allowed="curator", denied="methodist", kwargs=_import_batch),
    "participants:import_apply": Page(allowed="curator", denied="methodist", kwargs=_import_batch, method="post"),
    "participants:import_marked": Page(allowed="curator", denied="methodist", kwargs=_import_batch),
}


# Questionnaires (the answer page /q/<token>/ is outside /o/<org>/ and tested in test_questionnaires.py).
def _questionnaire(school):
    from participants.tests.factories_questionnaires import make_template

    return {"pk": make_template(organisation=school).pk}


PAGES |= {
    "participants:questionnaire_list": Page(allowed="methodist", denied="mentor"),
    "participants:questionnaire_add": Page(allowed="curator", denied="methodist"),
    "participants:questionnaire_edit": Page(allowed="curator", denied="methodist", kwargs=_questionnaire),
    "participants:questionnaire_send": Page(allowed="curator", denied="methodist", kwargs=_questionnaire),
    "participants:invitation_list": Page(allowed="methodist", denied="mentor"),
}


# A new link for a lost one (POST; the page shows the new link once).
def _invitation(school):
    import datetime

    from django.utils import timezone

    from participants.questionnaires.services import invitations_send
    from participants.tests.factories_consents import ConsentFactory
    from participants.tests.factories_questionnaires import make_template

    person = ConsentFactory(person__organisation=school).person
    (sent,), _ = invitations_send(
        organisation=school,
        template=make_template(organisation=school),
        people=[person],
        expires_at=timezone.now() + datetime.timedelta(days=7),
        user=None,
    )
    return {"pk": sent.invitation.pk}


PAGES |= {
    "participants:invitation_reissue": Page(allowed="curator", denied="methodist", kwargs=_invitation, method="post"),
}
