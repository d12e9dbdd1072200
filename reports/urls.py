from django.urls import path

from . import views, views_consents, views_exports

app_name = "reports"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("export/<slug:identifier>/", views_exports.ExportView.as_view(), name="export"),
    path("consent-forms/<int:pk>/", views_consents.ConsentFormPersonView.as_view(), name="consent_form_person"),
    path("consent-forms/class/", views_consents.ConsentFormsClassView.as_view(), name="consent_forms_class"),
]
