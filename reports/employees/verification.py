"""The additional agreement's QR code and public verification record (ГОСТ Р 7.0.97-2025), on the one
mechanism of reports.exports.verification: token, kept PDF, SHA-256. The page shows the organisation,
«Дополнительное соглашение № N от …», the status (в силе / прекращено <date>) and the hash; no name."""

import datetime

from django.utils import timezone

from mentorship.employment import AdditionalAgreement
from reports.exports import verification as common
from reports.exports.verification import token_matches, token_plausible
from roadmap.deadlines import short_date

DOCUMENT_TYPE = "Дополнительное соглашение"


def registration_line(agreement: AdditionalAgreement) -> str:
    """«Дополнительное соглашение № 3 от 01.09.2025»"""
    return f"{DOCUMENT_TYPE} № {agreement.number} от {short_date(agreement.concluded_on)}"


def qr_context(agreement: AdditionalAgreement) -> dict | None:
    check = getattr(agreement, "verification", None)
    if check is None:
        return None
    return common.qr_context(
        organisation=agreement.organisation, registration=registration_line(agreement), url=check.url
    )


def agreement_status(agreement: AdditionalAgreement, today: datetime.date | None = None) -> tuple[str, str]:
    """(badge, text): an early end ends the agreement on its last day (or once its order is approved);
    an agreement whose term has run out is no longer in force either."""
    today = today or timezone.localdate()
    end = getattr(agreement.pair, "early_end", None)
    if end is not None:
        if end.order_label or end.ends_on <= today:
            return "cancelled", f"прекращено {short_date(end.ends_on)}"
        return "in_force", f"в силе; прекращается досрочно {short_date(end.ends_on)}"
    if agreement.ends_on < today:
        return "ended", f"срок наставничества истёк {short_date(agreement.ends_on)}"
    return "in_force", "в силе"


def _agreement_by_token(token: str) -> AdditionalAgreement | None:
    agreement = (
        AdditionalAgreement.objects.select_related("organisation", "verification", "pair__early_end")
        .filter(verification__token=token)
        .first()
    )
    if agreement is None or not token_matches(agreement.verification.token, token):
        return None
    return agreement


def record_by_token(token: str) -> dict | None:
    """The public page's lookup for agreements (registered in ReportsConfig.ready)."""
    if not token_plausible(token):
        return None
    agreement = _agreement_by_token(token)
    if agreement is None:
        return None
    status, status_text = agreement_status(agreement)
    return common.record(
        organisation=agreement.organisation,
        document_type=DOCUMENT_TYPE,
        number=str(agreement.number),
        date=short_date(agreement.concluded_on),
        status=status,
        status_text=status_text,
        sha256=agreement.verification.pdf_sha256,
    )
