"""The PDF copy of an electronic consent: exactly what the signer agreed to (each purpose's full
text, its version and SHA-256), with the record of the confirmation. It is e-mailed to the signer
and kept in each recorded consent (Consent.copy); the card serves it through ConsentCopyExporter."""

import secrets

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.http import Http404
from django.utils import timezone

from participants.econsent import PurposeItem, purpose_items
from participants.models import Consent, ConsentLink
from reports.exports.base import Exporter, ExportResult
from reports.exports.pdf import render_pdf

PDF_CONTENT_TYPE = "application/pdf"

COPY_TEMPLATE = "reports/pdf/econsent_copy.html"


def econsent_copy_pdf(*, link: ConsentLink, consents: list[Consent]) -> bytes:
    """The copy of the consents just recorded by the link (all of one confirmation)."""
    by_key = {(c.purpose, c.partner_id): c for c in consents}
    items: list[tuple[PurposeItem, Consent]] = []
    for item in purpose_items(person=link.person):
        consent = by_key.get((item.kind, item.partner.pk if item.partner else None))
        if consent is not None:
            items.append((item, consent))
    first = consents[0]
    return render_pdf(
        template_name=COPY_TEMPLATE,
        context={
            "organisation": link.organisation,
            "person": link.person,
            "signer": link.signer,
            "is_representative": link.signer_id != link.person_id,
            "items": items,
            "refused_titles": [
                item.title
                for item in purpose_items(person=link.person)
                if link.pending["choices"].get(item.key) is False
            ],
            "consent": first,
            "confirmed_at": timezone.localtime(first.confirmed_at),
        },
    )


def econsent_copy_store_and_send(*, link: ConsentLink, consents: list[Consent], send: bool = True) -> bytes:
    """Renders the copy, keeps it in every consent of the confirmation and e-mails it to the signer."""
    if not consents:
        return b""
    content = econsent_copy_pdf(link=link, consents=consents)
    first = consents[0]
    first.copy.save(f"econsent-{link.person_id}-{secrets.token_hex(8)}.pdf", ContentFile(content), save=False)
    Consent.objects.filter(pk__in=[c.pk for c in consents]).update(copy=first.copy.name)
    if not send:
        return content
    message = EmailMessage(
        "Экземпляр согласия на обработку персональных данных",
        "Во вложении — экземпляр согласий, которые вы дали по ссылке: полный текст каждого согласия, "
        "его редакция и дата и время подтверждения. Отозвать согласие можно по той же ссылке.\n",
        settings.DEFAULT_FROM_EMAIL,
        [link.signer.email],
    )
    message.attach("Согласие.pdf", content, PDF_CONTENT_TYPE)
    message.send()
    return content


class ConsentCopyExporter(Exporter):
    """The stored PDF copy of an electronic consent: param ``consent``."""

    identifier = "consent-copy"
    title = "Экземпляр электронного согласия"
    capability = "participants.view"
    personal_data = True
    formats = ("pdf",)

    def render(self, *, organisation, params, fmt: str = "pdf", context=None) -> ExportResult:
        value = str(params.get("consent") or "")
        if not value.isdigit():
            raise Http404
        consent = (
            organisation.consents.select_related("person")
            .filter(pk=int(value), person__anonymised_at__isnull=True)
            .exclude(copy="")
            .first()
        )
        if consent is None:
            raise Http404
        try:
            with consent.copy.open("rb") as file:
                content = file.read()
        except FileNotFoundError:
            # Lost from the storage: made again from the record, which keeps every fact it printed.
            link = ConsentLink.objects.filter(person=consent.person, used_at=consent.confirmed_at).first()
            if link is None:
                raise Http404 from None
            content = econsent_copy_pdf(link=link, consents=list(organisation.consents.filter(copy=consent.copy.name)))
        return ExportResult(
            filename=f"Согласие-{consent.pk}.pdf",
            content_type=PDF_CONTENT_TYPE,
            content=content,
            what=f"Экземпляр электронного согласия «{consent.purpose_label}» от {consent.signed_on:%d.%m.%Y}",
            action="print",
            person=consent.person,
        )
