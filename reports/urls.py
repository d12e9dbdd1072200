from django.urls import path

from . import (
    views,
    views_consents,
    views_exports,
    views_order_documents,
    views_orders,
    views_plans,
    views_questionnaires,
    views_roadmap,
)

app_name = "reports"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("export/<slug:identifier>/", views_exports.ExportView.as_view(), name="export"),
    path("consent-forms/<int:pk>/", views_consents.ConsentFormPersonView.as_view(), name="consent_form_person"),
    path("consent-forms/class/", views_consents.ConsentFormsClassView.as_view(), name="consent_forms_class"),
    path("questionnaire-sheet/", views_questionnaires.QuestionnaireSheetView.as_view(), name="questionnaire_sheet"),
    path("plans/<int:pair_pk>/pdf/", views_plans.PlanPdfView.as_view(), name="plan_pdf"),
    path("roadmap/<int:pk>/pdf/", views_roadmap.RoadmapPdfView.as_view(), name="roadmap_pdf"),
    # Orders (views_orders.py).
    path("orders/", views_orders.OrderListView.as_view(), name="order_list"),
    path("orders/new/", views_orders.OrderNewView.as_view(), name="order_new"),
    path("orders/numbering/", views_orders.OrderSequenceView.as_view(), name="order_sequence"),
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
]
