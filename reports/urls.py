from django.urls import path

from . import (
    views,
    views_analytics,
    views_consents,
    views_exports,
    views_jobs,
    views_kpi,
    views_letters,
    views_order_documents,
    views_order_templates,
    views_orders,
    views_plans,
    views_questionnaire_results,
    views_questionnaire_sheet,
    views_roadmap,
)

app_name = "reports"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("export/<slug:identifier>/", views_exports.ExportView.as_view(), name="export"),
    # Monitoring indicators (views_kpi.py): a school's, one indicator's people, the district's schools.
    path("kpi/", views_kpi.KpiView.as_view(), name="kpi"),
    path("kpi/<slug:code>/", views_kpi.KpiDetailView.as_view(), name="kpi_detail"),
    path("district-kpi/", views_kpi.DistrictKpiView.as_view(), name="district_kpi"),
    # Analytical reports (views_analytics.py): the school's справка, the district's annual report, registers.
    path("analytics/", views_analytics.AnalyticsView.as_view(), name="analytics"),
    path("analytics/pdf/", views_analytics.AnalyticsPdfView.as_view(), name="analytics_pdf"),
    path("analytics/docx/", views_analytics.AnalyticsDocxView.as_view(), name="analytics_docx"),
    path("district-report/", views_analytics.DistrictReportView.as_view(), name="district_report"),
    path("district-report/pdf/", views_analytics.DistrictReportPdfView.as_view(), name="district_report_pdf"),
    path("district-report/xlsx/", views_analytics.DistrictReportXlsxView.as_view(), name="district_report_xlsx"),
    path("district-registers/", views_analytics.DistrictRegistersView.as_view(), name="district_registers"),
    path(
        "district-registers/xlsx/",
        views_analytics.DistrictRegistersXlsxView.as_view(),
        name="district_registers_xlsx",
    ),
    # Files built in the background (views_jobs.py, reports/tasks.py).
    path("exports/", views_jobs.ReportJobListView.as_view(), name="job_list"),
    path("exports/<int:pk>/", views_jobs.ReportJobDetailView.as_view(), name="job_detail"),
    path("exports/<int:pk>/progress/", views_jobs.ReportJobProgressView.as_view(), name="job_progress"),
    path("exports/<int:pk>/download/", views_jobs.ReportJobDownloadView.as_view(), name="job_download"),
    path("consent-forms/<int:pk>/", views_consents.ConsentFormPersonView.as_view(), name="consent_form_person"),
    path("consent-forms/class/", views_consents.ConsentFormsClassView.as_view(), name="consent_forms_class"),
    path(
        "questionnaire-sheet/", views_questionnaire_sheet.QuestionnaireSheetView.as_view(), name="questionnaire_sheet"
    ),
    # Questionnaire results (views_questionnaire_results.py).
    path(
        "questionnaire-results/<int:pk>/",
        views_questionnaire_results.QuestionnaireResultsView.as_view(),
        name="questionnaire_results",
    ),
    path(
        "questionnaire-results/<int:pk>/xlsx/",
        views_questionnaire_results.QuestionnaireResultsXlsxView.as_view(),
        name="questionnaire_results_xlsx",
    ),
    path(
        "questionnaire-results/entry-exit/",
        views_questionnaire_results.EntryExitView.as_view(),
        name="questionnaire_entry_exit",
    ),
    path(
        "questionnaire-results/quarterly/",
        views_questionnaire_results.QuarterlyView.as_view(),
        name="questionnaire_quarterly",
    ),
    path("plans/<int:pair_pk>/pdf/", views_plans.PlanPdfView.as_view(), name="plan_pdf"),
    path("roadmap/<int:pk>/pdf/", views_roadmap.RoadmapPdfView.as_view(), name="roadmap_pdf"),
    # Orders (views_orders.py).
    path("orders/", views_orders.OrderListView.as_view(), name="order_list"),
    path("orders/new/", views_orders.OrderNewView.as_view(), name="order_new"),
    path("orders/numbering/", views_orders.OrderSequenceView.as_view(), name="order_sequence"),
    path("orders/templates/", views_order_templates.OrderTemplateListView.as_view(), name="order_templates"),
    path(
        "orders/templates/<slug:kind>/",
        views_order_templates.OrderTemplateEditView.as_view(),
        name="order_template_edit",
    ),
    path(
        "orders/templates/<slug:kind>/reset/",
        views_order_templates.OrderTemplateResetView.as_view(),
        name="order_template_reset",
    ),
    path("orders/regulation/", views_order_templates.RegulationEditView.as_view(), name="regulation_edit"),
    path("orders/<int:pk>/", views_orders.OrderDetailView.as_view(), name="order_detail"),
    path("orders/<int:pk>/edit/", views_orders.OrderEditView.as_view(), name="order_edit"),
    path("orders/<int:pk>/preview/", views_orders.OrderPreviewView.as_view(), name="order_preview"),
    path("orders/<int:pk>/submit/", views_orders.OrderSubmitView.as_view(), name="order_submit"),
    path("orders/<int:pk>/approve/", views_orders.OrderApproveView.as_view(), name="order_approve"),
    path("orders/<int:pk>/return/", views_orders.OrderReturnView.as_view(), name="order_return"),
    path("orders/<int:pk>/cancel/", views_orders.OrderCancelView.as_view(), name="order_cancel"),
    path("orders/<int:pk>/amend/", views_orders.OrderAmendView.as_view(), name="order_amend"),
    # An order as files (views_order_documents.py).
    path("orders/<int:pk>/pdf/", views_order_documents.OrderPdfView.as_view(), name="order_pdf"),
    path("orders/<int:pk>/docx/", views_order_documents.OrderDocxView.as_view(), name="order_docx"),
    path(
        "orders/<int:pk>/acquaintance/",
        views_order_documents.OrderAcquaintancePdfView.as_view(),
        name="order_acquaintance",
    ),
    # Thank-you letters and a mentor's portfolio (views_letters.py).
    path("letters/mentor/<int:pk>/", views_letters.MentorLetterView.as_view(), name="letter_mentor"),
    path("letters/partner/<int:pk>/", views_letters.PartnerLetterView.as_view(), name="letter_partner"),
    path("people/<int:pk>/portfolio/", views_letters.MentorPortfolioView.as_view(), name="mentor_portfolio"),
]
