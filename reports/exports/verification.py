"""The document's QR code (ГОСТ Р 7.0.97-2025) and its public verification page, for every kind of
registered document (orders, additional agreements…).

One mechanism: a document gets an unguessable token, its PDF is rendered once and kept (so the
SHA-256 the page shows is that of every download), and its QR code carries the registration data and
the link /verify/<token>/. A room registers a lookup (token → the page's record or None); the one
public view asks each in turn. A record names no person.
"""

import hashlib
import io
import logging
import secrets
from collections.abc import Callable

import segno
from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils.safestring import mark_safe

logger = logging.getLogger(__name__)
# 192 random bits: unguessable, and short enough to keep the QR code small.
TOKEN_BYTES = 24
TOKEN_MAX_LENGTH = 64
# A phone reads a 20 mm code printed at 300 dpi; «M» survives a fold or a stamp's edge.
QR_ERROR = "m"

# token → the page's record (see ``record``) or None; filled by the rooms at start-up (ReportsConfig.ready).
_LOOKUPS: list[Callable[[str], dict | None]] = []


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_plausible(token: str) -> bool:
    return bool(token) and len(token) <= TOKEN_MAX_LENGTH


def token_matches(stored: str, token: str) -> bool:
    """The index finds the row; the constant-time compare keeps the answer from leaking a prefix."""
    return bool(stored) and secrets.compare_digest(stored, token)


def verification_url(token: str, *, absolute_url=None) -> str:
    """The page's absolute link: from the request when one is at hand, else from SITE_URL."""
    path = reverse("document_verify", kwargs={"token": token})
    if absolute_url is not None:
        return absolute_url(path)
    return settings.SITE_URL.rstrip("/") + path


def qr_text(*, organisation, registration: str, url: str) -> str:
    """What the QR code says: the registration data, then the link (phones open the last line)."""
    return "\n".join([organisation.short_name or organisation.full_name, registration, url])


def qr_svg(text: str) -> str:
    """An inline SVG sized by the stylesheet; segno's output carries no markup of the text."""
    return mark_safe(segno.make(text, error=QR_ERROR, micro=False).svg_inline(border=2, omitsize=True))  # noqa: S308


def qr_png(text: str) -> bytes:
    buffer = io.BytesIO()
    segno.make(text, error=QR_ERROR, micro=False).save(buffer, kind="png", scale=10, border=2)
    return buffer.getvalue()


def qr_context(*, organisation, registration: str, url: str) -> dict:
    """The QR code for the PDF (SVG, templates/reports/gost/_qr.html) and the DOCX (PNG)."""
    text = qr_text(organisation=organisation, registration=registration, url=url)
    return {"text": text, "url": url, "svg": qr_svg(text), "png": qr_png(text)}


def sha256_hex(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def stored_pdf_save(field_file, *, organisation_id: int, kind: str, pk: int, content: bytes) -> str:
    """Keeps ``content`` in the FileField (private/<organisation>/<kind>/…) and returns its SHA-256;
    the caller saves the row. The old file goes once the new one is committed."""
    old = field_file.name if field_file else ""
    if old:
        storage = field_file.storage
        transaction.on_commit(lambda: storage.delete(old))
    name = f"{organisation_id}/{kind}/{kind}-{pk}-{secrets.token_hex(4)}.pdf"
    field_file.save(name, ContentFile(content), save=False)
    return sha256_hex(content)


def stored_pdf_bytes(field_file) -> bytes | None:
    """The kept PDF, or None when there is none or it was lost (the administrator is told)."""
    if not field_file:
        return None
    try:
        with field_file.open("rb") as handle:
            return handle.read()
    except FileNotFoundError:
        logger.error("A kept PDF is missing: %s", field_file.name)
        return None


def record(
    *,
    organisation,
    document_type: str,
    number: str,
    date: str,
    status: str,
    status_text: str,
    sha256: str,
    esigned: bool = False,
) -> dict:
    """What the public page shows: registration data, status, hash — nothing about a person.
    ``status`` is in_force | cancelled | amended | ended (the badge's colour)."""
    return {
        "organisation": organisation.full_name,
        "organisation_short": organisation.short_name,
        "document_type": document_type,
        "number": number,
        "date": date,
        "registration": f"{document_type} №\u00a0{number} от {date}",
        "status": status,
        "status_text": status_text,
        "sha256": sha256,
        "esigned": esigned,
    }


def lookup_register(lookup: Callable[[str], dict | None]) -> None:
    if lookup not in _LOOKUPS:
        _LOOKUPS.append(lookup)


def record_by_token(token: str) -> dict | None:
    """The record of the document a link names; None for an unknown or malformed token."""
    if not token_plausible(token):
        return None
    for lookup in _LOOKUPS:
        found = lookup(token)
        if found is not None:
            return found
    return None
