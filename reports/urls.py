from django.urls import path

from . import views, views_consents, views_exports, views_plans, views_roadmap

app_name = "reports"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("export/<slug:identifier>/", views_exports.ExportView.as_view(), name="export"),
    path("consent-forms/<int:pk>/", views_consents.ConsentFormPersonView.as_view(), name="consent_form_person"),
    path("consent-forms/class/", views_consents.ConsentFormsClassView.as_view(), name="consent_forms_class"),
    path("plans/<int:pair_pk>/pdf/", views_plans.PlanPdfView.as_view(), name="plan_pdf"),
    path("roadmap/<int:pk>/pdf/", views_roadmap.RoadmapPdfView.as_view(), name="roadmap_pdf"),
]
