"""The document's QR code (ГОСТ Р 7.0.97-2025) and the public page that verifies an order.

At approval an order gets an unguessable token and its PDF is rendered once and kept
(MEDIA_ROOT/private/<organisation>/order/…); from then on that file is what every download
serves, so the SHA-256 the verification page shows is the hash of the file a user holds.
The QR code on the first page carries the registration data (organisation, type, number, date)
and the page's link. The page shows the registration data, the status and the hash, and nothing
personal: no title (a title may name a person), no cancellation reason, no signer.
"""

from django.utils import timezone

from reports.exports import verification as common
from reports.exports.verification import new_token, sha256_hex, token_matches, token_plausible, verification_url
from reports.orders.models import Order
from roadmap.deadlines import short_date

DOCUMENT_TYPE = "Приказ"

__all__ = ["new_token", "sha256_hex", "verification_url"]


def registration_line(order: Order) -> str:
    """«Приказ от 25.10.2026 № 56-ОД»"""
    return f"{DOCUMENT_TYPE} от {short_date(order.approved_on)} № {order.number_label}"


def qr_context(order: Order) -> dict | None:
    """The QR code of an approved order for the PDF (SVG) and the DOCX (PNG); a draft has none."""
    if not order.verification_url or not order.number_label:
        return None
    return common.qr_context(
        organisation=order.organisation, registration=registration_line(order), url=order.verification_url
    )


def esign_context(order: Order) -> dict | None:
    """The electronic-signature mark's lines (ГОСТ Р 7.0.97-2025), when the director recorded one."""
    if not order.is_esigned:
        return None
    validity = ""
    if order.esign_valid_from and order.esign_valid_to:
        validity = f"с {short_date(order.esign_valid_from)} по {short_date(order.esign_valid_to)}"
    return {"certificate": order.esign_certificate, "owner": order.esign_owner, "validity": validity}


def approved_pdf_store(order: Order, content: bytes) -> None:
    """Keeps the approved PDF and its hash on the order (the caller saves the order)."""
    order.approved_pdf_sha256 = common.stored_pdf_save(
        order.approved_pdf, organisation_id=order.organisation_id, kind="order", pk=order.pk, content=content
    )


def approved_pdf_bytes(order: Order) -> bytes | None:
    """The stored PDF as approved, or None for a draft or an order approved before PDFs were kept
    (then it is printed anew from its snapshot)."""
    return common.stored_pdf_bytes(order.approved_pdf)


def order_by_token(token: str) -> Order | None:
    """The order a verification link names; None for an unknown or malformed token."""
    if not token_plausible(token):
        return None
    order = (
        Order.objects.select_related("organisation")
        .filter(verification_token=token, status__in=[Order.Status.APPROVED, Order.Status.CANCELLED])
        .first()
    )
    if order is None or not token_matches(order.verification_token, token):
        return None
    return order


def verification_record(order: Order) -> dict:
    """What the public page shows: registration data, status, hash — nothing about a person
    (no title: a title may name a person; no cancellation reason, no signer)."""
    amending = list(
        order.amended_by.filter(status=Order.Status.APPROVED, number_label__gt="").order_by("approved_on", "number")
    )
    if order.status == Order.Status.CANCELLED:
        status = "cancelled"
        status_text = (
            f"отменён {short_date(timezone.localtime(order.cancelled_at).date())}" if order.cancelled_at else "отменён"
        )
    elif amending:
        status = "amended"
        status_text = "изменён " + ", ".join(
            f"приказом от {short_date(a.approved_on)} № {a.number_label}" for a in amending
        )
    else:
        status, status_text = "in_force", "в силе"
    return common.record(
        organisation=order.organisation,
        document_type=DOCUMENT_TYPE,
        number=order.number_label,
        date=short_date(order.approved_on),
        status=status,
        status_text=status_text,
        sha256=order.approved_pdf_sha256,
        esigned=order.is_esigned,
    )


def record_by_token(token: str) -> dict | None:
    """The public page's lookup for orders (registered in ReportsConfig.ready)."""
    order = order_by_token(token)
    return verification_record(order) if order is not None else None
