"""The document's QR code (ГОСТ Р 7.0.97-2025) and the public page that verifies an order.

At approval an order gets an unguessable token and its PDF is rendered once and kept
(MEDIA_ROOT/private/<organisation>/order/…); from then on that file is what every download
serves, so the SHA-256 the verification page shows is the hash of the file a user holds.
The QR code on the first page carries the registration data (organisation, type, number, date)
and the page's link. The page shows the registration data, the status and the hash, and nothing
personal: no title (a title may name a person), no cancellation reason, no signer.
"""

import hashlib
import io
import logging
import secrets

import segno
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

from reports.orders.models import Order
from roadmap.deadlines import short_date

logger = logging.getLogger(__name__)
# 192 random bits: unguessable, and short enough to keep the QR code small.
TOKEN_BYTES = 24
DOCUMENT_TYPE = "Приказ"
# A phone reads a 20 mm code printed at 300 dpi; «M» survives a fold or a stamp's edge.
QR_ERROR = "m"


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def verification_url(token: str, *, absolute_url=None) -> str:
    """The page's absolute link: from the request when one is at hand, else from SITE_URL."""
    path = reverse("order_verify", kwargs={"token": token})
    if absolute_url is not None:
        return absolute_url(path)
    return settings.SITE_URL.rstrip("/") + path


def registration_line(order: Order) -> str:
    """«Приказ от 25.10.2026 № 56-ОД»"""
    return f"{DOCUMENT_TYPE} от {short_date(order.approved_on)} № {order.number_label}"


def qr_text(order: Order) -> str:
    """What the QR code says: the registration data, then the link (phones open the last line)."""
    return "\n".join(
        [
            order.organisation.short_name or order.organisation.full_name,
            registration_line(order),
            order.verification_url,
        ]
    )


def qr_svg(text: str) -> str:
    """An inline SVG sized by the stylesheet; segno's output carries no markup of the text."""
    return mark_safe(segno.make(text, error=QR_ERROR, micro=False).svg_inline(border=2, omitsize=True))  # noqa: S308


def qr_png(text: str) -> bytes:
    buffer = io.BytesIO()
    segno.make(text, error=QR_ERROR, micro=False).save(buffer, kind="png", scale=10, border=2)
    return buffer.getvalue()


def qr_context(order: Order) -> dict | None:
    """The QR code of an approved order for the PDF (SVG) and the DOCX (PNG); a draft has none."""
    if not order.verification_url or not order.number_label:
        return None
    text = qr_text(order)
    return {"text": text, "url": order.verification_url, "svg": qr_svg(text), "png": qr_png(text)}


def esign_context(order: Order) -> dict | None:
    """The electronic-signature mark's lines (ГОСТ Р 7.0.97-2025), when the director recorded one."""
    if not order.is_esigned:
        return None
    validity = ""
    if order.esign_valid_from and order.esign_valid_to:
        validity = f"с {short_date(order.esign_valid_from)} по {short_date(order.esign_valid_to)}"
    return {"certificate": order.esign_certificate, "owner": order.esign_owner, "validity": validity}


def sha256_hex(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def approved_pdf_store(order: Order, content: bytes) -> None:
    """Keeps the approved PDF and its hash on the order (the caller saves the order)."""
    old = order.approved_pdf.name if order.approved_pdf else ""
    if old:
        # Removed once the new file is committed: a rolled-back change keeps the old one served.
        storage = order.approved_pdf.storage
        transaction.on_commit(lambda: storage.delete(old))
    name = f"{order.organisation_id}/order/order-{order.pk}-{secrets.token_hex(4)}.pdf"
    order.approved_pdf.save(name, ContentFile(content), save=False)
    order.approved_pdf_sha256 = sha256_hex(content)


def approved_pdf_bytes(order: Order) -> bytes | None:
    """The stored PDF as approved, or None for a draft or an order approved before PDFs were kept."""
    if not order.approved_pdf:
        return None
    try:
        with order.approved_pdf.open("rb") as handle:
            return handle.read()
    except FileNotFoundError:
        # A lost file (a restore without MEDIA_ROOT): the order is printed anew from its snapshot; the
        # page's hash matches it only if the rendering is byte-identical. The administrator is told.
        logger.error("The approved PDF of order %s is missing: %s", order.pk, order.approved_pdf.name)
        return None


def order_by_token(token: str) -> Order | None:
    """The order a verification link names; None for an unknown or malformed token."""
    if not token or len(token) > 64:
        return None
    order = (
        Order.objects.select_related("organisation")
        .filter(verification_token=token, status__in=[Order.Status.APPROVED, Order.Status.CANCELLED])
        .first()
    )
    # The index finds the row; the constant-time compare keeps the answer from leaking a prefix.
    if order is None or not secrets.compare_digest(order.verification_token, token):
        return None
    return order


def verification_record(order: Order) -> dict:
    """What the public page shows: registration data, status, hash — nothing about a person."""
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
    return {
        "organisation": order.organisation.full_name,
        "organisation_short": order.organisation.short_name,
        "document_type": DOCUMENT_TYPE,
        "number": order.number_label,
        "date": short_date(order.approved_on),
        "status": status,
        "status_text": status_text,
        "sha256": order.approved_pdf_sha256,
        "esigned": order.is_esigned,
    }
