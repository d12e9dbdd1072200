"""The models of reports, kept in their rooms: orders in reports/orders/, background files in reports/exports/."""

from reports.employees.models import AgreementVerification, EmployeeDocumentTemplate
from reports.exports.models import ReportJob
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
    "ApprovalStep",
    "EmployeeDocumentTemplate",
    "Order",
    "OrderKind",
    "OrderNumberSequence",
    "OrderPoint",
    "OrderTemplate",
    "OrderVisa",
    "Regulation",
    "ReportJob",
]
