"""The employee mentor's paperwork: the school's wording of the documents and the pay order."""

from django.core.exceptions import ValidationError
from django.db import transaction

from mentorship.employment import AdditionalAgreement
from mentorship.models import Programme
from organisations.models import Organisation
from reports.employees.models import EmployeeDocumentTemplate
from reports.employees.pay import PAY_ORDER_KIND
from reports.orders.models import Order
from reports.orders.services import order_draft

ERROR_EMPTY_TEXT = "Текст документа не может быть пустым."
ERROR_NO_AGREEMENTS = (
    "Нет дополнительных соглашений, по которым ещё не издан приказ о выплате: сначала оформите соглашения."
)


@transaction.atomic
def employee_template_save(*, organisation: Organisation, kind: str, body: str) -> EmployeeDocumentTemplate:
    if kind not in EmployeeDocumentTemplate.Kind.values:
        raise ValidationError("Неизвестный документ.")
    body = (body or "").strip()
    if not body:
        raise ValidationError(ERROR_EMPTY_TEXT)
    template, _ = EmployeeDocumentTemplate.objects.update_or_create(
        organisation=organisation, kind=kind, defaults={"body": body}
    )
    return template


@transaction.atomic
def employee_template_reset(*, organisation: Organisation, kind: str) -> None:
    EmployeeDocumentTemplate.objects.filter(organisation=organisation, kind=kind).delete()


def agreements_without_pay_order(*, organisation: Organisation, programme: Programme | None = None):
    """Agreements whose mentor no approved (or pending) pay order lists yet."""
    listed = Order.objects.filter(organisation=organisation, kind=PAY_ORDER_KIND).exclude(status=Order.Status.CANCELLED)
    agreements = AdditionalAgreement.objects.filter(organisation=organisation).exclude(pair__mentor__orders__in=listed)
    if programme is not None:
        agreements = agreements.filter(pair__programme=programme)
    return agreements.select_related("pair__mentor").order_by("pair__mentor__last_name", "pair__mentor__first_name")


@transaction.atomic
def pay_order_draft(*, organisation: Organisation, programme: Programme, user) -> Order:
    """A draft «Об установлении выплаты за наставничество» listing the mentors with agreements not
    yet covered by a pay order; its appendix prints each with the amount, the term and the bases."""
    agreements = list(agreements_without_pay_order(organisation=organisation, programme=programme))
    if not agreements:
        raise ValidationError(ERROR_NO_AGREEMENTS)
    mentors = list(dict.fromkeys(agreement.pair.mentor for agreement in agreements))
    # The mentors, their bases and amounts are the order's appendix (reports.orders.documents).
    return order_draft(organisation=organisation, kind=PAY_ORDER_KIND, programme=programme, user=user, people=mentors)
