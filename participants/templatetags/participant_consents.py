"""The consents section of the person card, which participants/views.py leaves to this feature."""

import datetime

from django import template
from django.utils import timezone

from participants.models import Consent
from participants.services import ANONYMISE_AFTER_DAYS

register = template.Library()


@register.simple_tag
def person_consents(person) -> list[Consent]:
    """The person's consents, newest first, with what the card shows of each: one query."""
    return list(
        Consent.objects.filter(person=person, organisation_id=person.organisation_id)
        .select_related("representative", "text", "recorded_by", "withdrawn_by", "partner")
        .order_by("-signed_on", "-pk")
    )


@register.simple_tag
def anonymise_on(person):
    """The day from which the person's data are anonymised after a withdrawal, or None."""
    if person.processing_blocked_at is None or person.anonymised_at is not None:
        return None
    return timezone.localdate(person.processing_blocked_at) + datetime.timedelta(days=ANONYMISE_AFTER_DAYS)
