from django.urls import path

from . import views, views_bases, views_consents, views_destruction, views_econsent, views_import
from .questionnaires import views as views_questionnaires

app_name = "participants"

urlpatterns = [
    path("", views.PersonListView.as_view(), name="person_list"),
    path("<int:pk>/", views.PersonDetailView.as_view(), name="person_detail"),
    path("new/", views.PersonCreateView.as_view(), name="person_add"),
    path("bulk/base/", views.PersonBulkBaseView.as_view(), name="person_bulk_base"),
    path("<int:pk>/edit/", views.PersonUpdateView.as_view(), name="person_edit"),
    path("<int:pk>/delete/", views.PersonDeleteView.as_view(), name="person_delete"),
    path("<int:pk>/parents/add/", views.ParentAddView.as_view(), name="parent_add"),
    path("<int:pk>/parents/search/", views.ParentSearchView.as_view(), name="parent_search"),
    path("<int:pk>/parents/<int:parent_pk>/unlink/", views.ParentUnlinkView.as_view(), name="parent_unlink"),
    path("journal/", views.AccessLogView.as_view(), name="access_log"),
]

# Bases of mentors and mentees, mentor documents, partners and agreements.
urlpatterns += [
    path("mentors/", views_bases.MentorListView.as_view(), name="mentor_list"),
    path("mentors/add/", views_bases.MentorCreateView.as_view(), name="mentor_add"),
    path("mentors/register/", views_bases.MentorRegisterView.as_view(), name="mentor_register"),
    path("mentors/<int:pk>/", views_bases.MentorUpdateView.as_view(), name="mentor_edit"),
    path("mentors/<int:pk>/status/", views_bases.MentorStatusView.as_view(), name="mentor_status"),
    path("mentees/", views_bases.MenteeListView.as_view(), name="mentee_list"),
    path("mentees/add/", views_bases.MenteeCreateView.as_view(), name="mentee_add"),
    path("mentees/<int:pk>/", views_bases.MenteeUpdateView.as_view(), name="mentee_edit"),
    path("mentees/<int:pk>/status/", views_bases.MenteeStatusView.as_view(), name="mentee_status"),
    path("documents/add/", views_bases.DocumentCreateView.as_view(), name="document_add"),
    path("documents/<int:pk>/", views_bases.DocumentUpdateView.as_view(), name="document_edit"),
    path("documents/<int:pk>/delete/", views_bases.DocumentDeleteView.as_view(), name="document_delete"),
    path("documents/<int:pk>/file/", views_bases.DocumentFileView.as_view(), name="document_file"),
    path("partners/", views_bases.PartnerListView.as_view(), name="partner_list"),
    path("partners/add/", views_bases.PartnerCreateView.as_view(), name="partner_add"),
    path("partners/<int:pk>/", views_bases.PartnerUpdateView.as_view(), name="partner_edit"),
    path("partners/agreements/add/", views_bases.AgreementCreateView.as_view(), name="agreement_add"),
    path("partners/agreements/<int:pk>/", views_bases.AgreementUpdateView.as_view(), name="agreement_edit"),
    path("partners/agreements/<int:pk>/file/", views_bases.AgreementFileView.as_view(), name="agreement_file"),
]

# Consents to personal-data processing.
urlpatterns += [
    path("consents/", views_consents.ConsentListView.as_view(), name="consent_list"),
    path("<int:pk>/consents/new/", views_consents.ConsentCreateView.as_view(), name="consent_create"),
    path("consents/<int:pk>/withdraw/", views_consents.ConsentWithdrawView.as_view(), name="consent_withdraw"),
    path("consents/<int:pk>/scan/", views_consents.ConsentScanView.as_view(), name="consent_scan"),
    path("destruction-acts/", views_destruction.DestructionActListView.as_view(), name="destruction_acts"),
    path("<int:pk>/anonymise/", views_destruction.PersonAnonymiseNowView.as_view(), name="person_anonymise_now"),
    path("<int:pk>/consent-link/", views_econsent.ConsentLinkSendView.as_view(), name="consent_link_send"),
]

# Import of class lists and staff lists.
urlpatterns += [
    path("import/", views_import.ImportUploadView.as_view(), name="import_upload"),
    path("import/<int:pk>/", views_import.ImportPreviewView.as_view(), name="import_preview"),
    path("import/<int:pk>/apply/", views_import.ImportApplyView.as_view(), name="import_apply"),
    path("import/<int:pk>/marked.xlsx", views_import.ImportMarkedView.as_view(), name="import_marked"),
]

# Questionnaires: the builder, sending links and who has not answered (the answer page is /q/<token>/).
urlpatterns += [
    path("questionnaires/", views_questionnaires.QuestionnaireListView.as_view(), name="questionnaire_list"),
    path("questionnaires/new/", views_questionnaires.QuestionnaireBuilderView.as_view(), name="questionnaire_add"),
    path(
        "questionnaires/<int:pk>/edit/",
        views_questionnaires.QuestionnaireBuilderView.as_view(),
        name="questionnaire_edit",
    ),
    path("questionnaires/<int:pk>/send/", views_questionnaires.InvitationSendView.as_view(), name="questionnaire_send"),
    path("questionnaires/invitations/", views_questionnaires.InvitationListView.as_view(), name="invitation_list"),
    path(
        "questionnaires/invitations/<int:pk>/reissue/",
        views_questionnaires.InvitationReissueView.as_view(),
        name="invitation_reissue",
    ),
]
