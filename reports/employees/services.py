"""The employee mentor's paperwork: the school's wording of the documents and the pay order."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from mentorship.employment import AdditionalAgreement
from mentorship.models import Programme
from organisations.models import Organisation
from reports.employees.documents import PAPER_TEMPLATE, agreement_document
from reports.employees.models import AgreementVerification, EmployeeDocumentTemplate
from reports.employees.pay import PAY_ORDER_KIND
from reports.exports.pdf import render_pdf
from reports.exports.verification import new_token, stored_pdf_bytes, stored_pdf_save, verification_url
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


@transaction.atomic
def agreement_verification_issue(*, agreement: AdditionalAgreement, absolute_url=None) -> AgreementVerification:
    """The agreement's QR code link (ГОСТ Р 7.0.97-2025), issued once, at its first print.
    ``absolute_url`` turns the link's path into the address the QR code prints (the request's)."""
    check = AgreementVerification.objects.filter(agreement=agreement).first()
    if check is None:
        token = new_token()
        try:
            with transaction.atomic():
                check = AgreementVerification.objects.create(
                    agreement=agreement, token=token, url=verification_url(token, absolute_url=absolute_url)
                )
        except IntegrityError:
            check = AgreementVerification.objects.get(agreement=agreement)  # issued by a concurrent print
    agreement.verification = check
    return check


@transaction.atomic
def agreement_pdf_keep(*, agreement: AdditionalAgreement, absolute_url=None) -> bytes:
    """The agreement's PDF as kept: rendered at the first print and served from then on, so the
    verification page's SHA-256 is that of the file a user holds; printed anew (a new hash) only when
    what it says has changed (the school corrected the contract's number, its wording…)."""
    agreement_verification_issue(agreement=agreement, absolute_url=absolute_url)
    check = AgreementVerification.objects.select_for_update().get(agreement=agreement)
    agreement.verification = check
    paper = agreement_document(agreement)
    fingerprint = paper.fingerprint()
    if check.pdf and check.fingerprint == fingerprint:
        stored = stored_pdf_bytes(check.pdf)
        if stored is not None:
            return stored
    content = render_pdf(template_name=PAPER_TEMPLATE, context={"paper": paper, "html_preview": False})
    check.pdf_sha256 = stored_pdf_save(
        check.pdf, organisation_id=agreement.organisation_id, kind="agreement", pk=agreement.pk, content=content
    )
    check.fingerprint = fingerprint
    check.save(update_fields=["pdf", "pdf_sha256", "fingerprint"])
    return content
