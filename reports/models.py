"""The models of reports, kept in their rooms: orders in reports/orders/, background files in reports/exports/."""

from reports.analytics.models import Indicator, IndicatorTarget
from reports.employees.models import AgreementVerification, EmployeeDocumentTemplate
from reports.exports.models import ReportJob
from reports.monitoring.models import Answer, Campaign, ExportColumn, Question, Response
from reports.orders.models import (
    ApprovalStep,
    Order,
    OrderKind,
    OrderNumberSequence,
    OrderPoint,
    OrderTemplate,
    OrderVisa,
    Regulation,
)

__all__ = [
    "AgreementVerification",
    "Answer",
    "ApprovalStep",
    "Campaign",
    "EmployeeDocumentTemplate",
    "ExportColumn",
    "Indicator",
    "IndicatorTarget",
    "Order",
    "OrderKind",
    "OrderNumberSequence",
    "OrderPoint",
    "OrderTemplate",
    "OrderVisa",
    "Question",
    "Regulation",
    "ReportJob",
    "Response",
]
