from django.urls import include, path

from reports.analytics import views_documents as analytics_views
from reports.analytics import views_kpi as kpi_views
from reports.analytics import views_questionnaires as questionnaire_views
from reports.exports import views as export_views
from reports.exports import views_jobs as job_views
from reports.home import views as home_views
from reports.letters import views as letter_views
from reports.orders import views as order_views
from reports.orders import views_documents as order_document_views
from reports.orders import views_route as order_route_views
from reports.orders import views_templates as order_template_views
from reports.printouts import views_consents as consent_form_views
from reports.printouts import views_plans as plan_views
from reports.printouts import views_questionnaire_sheet as questionnaire_sheet_views
from reports.printouts import views_roadmap as roadmap_views
from reports.registers import views as register_views

app_name = "reports"

urlpatterns = [
    path("", home_views.DashboardView.as_view(), name="dashboard"),
    path("export/<slug:identifier>/", export_views.ExportView.as_view(), name="export"),
    # All of the school's data in one archive (director; the district's officer for a hand-over).
    path("data-archive/", register_views.SchoolArchiveView.as_view(), name="school_archive"),
    # Monitoring indicators (kpi_views.py): a school's, one indicator's people, the district's schools.
    path("kpi/", kpi_views.KpiView.as_view(), name="kpi"),
    path("kpi/<slug:code>/", kpi_views.KpiDetailView.as_view(), name="kpi_detail"),
    path("district-kpi/", kpi_views.DistrictKpiView.as_view(), name="district_kpi"),
    # Analytical reports (analytics_views.py): the school's справка, the district's annual report, registers.
    path("analytics/", analytics_views.AnalyticsView.as_view(), name="analytics"),
    path("analytics/pdf/", analytics_views.AnalyticsPdfView.as_view(), name="analytics_pdf"),
    path("analytics/docx/", analytics_views.AnalyticsDocxView.as_view(), name="analytics_docx"),
    path("district-report/", analytics_views.DistrictReportView.as_view(), name="district_report"),
    path("district-report/pdf/", analytics_views.DistrictReportPdfView.as_view(), name="district_report_pdf"),
    path("district-report/xlsx/", analytics_views.DistrictReportXlsxView.as_view(), name="district_report_xlsx"),
    path("district-registers/", analytics_views.DistrictRegistersView.as_view(), name="district_registers"),
    path(
        "district-registers/xlsx/",
        analytics_views.DistrictRegistersXlsxView.as_view(),
        name="district_registers_xlsx",
    ),
    # Files built in the background (job_views.py, reports/tasks.py).
    path("exports/", job_views.ReportJobListView.as_view(), name="job_list"),
    path("exports/<int:pk>/", job_views.ReportJobDetailView.as_view(), name="job_detail"),
    path("exports/<int:pk>/progress/", job_views.ReportJobProgressView.as_view(), name="job_progress"),
    path("exports/<int:pk>/download/", job_views.ReportJobDownloadView.as_view(), name="job_download"),
    path("consent-forms/<int:pk>/", consent_form_views.ConsentFormPersonView.as_view(), name="consent_form_person"),
    path("consent-forms/class/", consent_form_views.ConsentFormsClassView.as_view(), name="consent_forms_class"),
    path(
        "questionnaire-sheet/", questionnaire_sheet_views.QuestionnaireSheetView.as_view(), name="questionnaire_sheet"
    ),
    # Questionnaire results (questionnaire_views.py).
    path(
        "questionnaire-results/<int:pk>/",
        questionnaire_views.QuestionnaireResultsView.as_view(),
        name="questionnaire_results",
    ),
    path(
        "questionnaire-results/<int:pk>/xlsx/",
        questionnaire_views.QuestionnaireResultsXlsxView.as_view(),
        name="questionnaire_results_xlsx",
    ),
    path(
        "questionnaire-results/entry-exit/",
        questionnaire_views.EntryExitView.as_view(),
        name="questionnaire_entry_exit",
    ),
    path(
        "questionnaire-results/quarterly/",
        questionnaire_views.QuarterlyView.as_view(),
        name="questionnaire_quarterly",
    ),
    path("plans/<int:pair_pk>/pdf/", plan_views.PlanPdfView.as_view(), name="plan_pdf"),
    path("roadmap/<int:pk>/pdf/", roadmap_views.RoadmapPdfView.as_view(), name="roadmap_pdf"),
    # Orders (order_views.py).
    path("orders/", order_views.OrderListView.as_view(), name="order_list"),
    path("orders/new/", order_views.OrderNewView.as_view(), name="order_new"),
    path("orders/numbering/", order_views.OrderSequenceView.as_view(), name="order_sequence"),
    path("orders/templates/", order_template_views.OrderTemplateListView.as_view(), name="order_templates"),
    path(
        "orders/templates/<slug:kind>/",
        order_template_views.OrderTemplateEditView.as_view(),
        name="order_template_edit",
    ),
    path(
        "orders/templates/<slug:kind>/reset/",
        order_template_views.OrderTemplateResetView.as_view(),
        name="order_template_reset",
    ),
    path("orders/regulation/", order_template_views.RegulationEditView.as_view(), name="regulation_edit"),
    path("orders/<int:pk>/", order_views.OrderDetailView.as_view(), name="order_detail"),
    path("orders/<int:pk>/edit/", order_views.OrderEditView.as_view(), name="order_edit"),
    path("orders/<int:pk>/preview/", order_views.OrderPreviewView.as_view(), name="order_preview"),
    path("orders/<int:pk>/submit/", order_views.OrderSubmitView.as_view(), name="order_submit"),
    # The approval route (order_route_views.py): its settings, the visas waiting for a person, a visa.
    path("orders/route/", order_route_views.OrderRouteView.as_view(), name="order_route"),
    path("orders/visas/", order_route_views.OrderVisaListView.as_view(), name="order_visas"),
    path("orders/<int:pk>/visa/", order_route_views.OrderVisaView.as_view(), name="order_visa"),
    path("orders/<int:pk>/approve/", order_views.OrderApproveView.as_view(), name="order_approve"),
    path("orders/<int:pk>/return/", order_views.OrderReturnView.as_view(), name="order_return"),
    path("orders/<int:pk>/esign/", order_views.OrderEsignView.as_view(), name="order_esign"),
    path("orders/<int:pk>/cancel/", order_views.OrderCancelView.as_view(), name="order_cancel"),
    path("orders/<int:pk>/amend/", order_views.OrderAmendView.as_view(), name="order_amend"),
    # An order as files (order_document_views.py).
    path("orders/<int:pk>/pdf/", order_document_views.OrderPdfView.as_view(), name="order_pdf"),
    path("orders/<int:pk>/docx/", order_document_views.OrderDocxView.as_view(), name="order_docx"),
    path(
        "orders/<int:pk>/acquaintance/",
        order_document_views.OrderAcquaintancePdfView.as_view(),
        name="order_acquaintance",
    ),
    # Thank-you letters and a mentor's portfolio (letter_views.py).
    path("letters/mentor/<int:pk>/", letter_views.MentorLetterView.as_view(), name="letter_mentor"),
    path("letters/partner/<int:pk>/", letter_views.PartnerLetterView.as_view(), name="letter_partner"),
    path("people/<int:pk>/portfolio/", letter_views.MentorPortfolioView.as_view(), name="mentor_portfolio"),
    # Mentors who are employees, ст. 351.8 ТК РФ (reports/employees/urls.py).
    path("employees/", include("reports.employees.urls")),
    # Monitoring campaigns of a region or district, and the indicators' targets (reports/monitoring/urls.py).
    path("monitoring/", include("reports.monitoring.urls")),
]
