"""Demo: an electronic consent given by a parent through the personal link (with its PDF copy)."""

import datetime

from django.utils import timezone

from participants import econsent
from participants.models import Consent, ConsentLink, ConsentPurpose, ParentLink
from reports.printouts.econsent import econsent_copy_store_and_send

DEMO_CODE = "246810"


def demo_econsents(*, schools) -> int:
    """In the first school, a parent confirms the publication consent of their child by the link."""
    if not schools or ConsentLink.objects.filter(organisation=schools[0]).exists():
        return 0
    school = schools[0]
    link_row = (
        ParentLink.objects.filter(organisation=school, child__anonymised_at__isnull=True)
        .exclude(child__consents__purpose=ConsentPurpose.PUBLICATION)
        .filter(child__consents__purpose=ConsentPurpose.PARTICIPATION, child__consents__status="valid")
        .select_related("parent", "child")
        .order_by("child_id")
        .first()
    )
    if link_row is None:
        return 0
    parent, child = link_row.parent, link_row.child
    if not parent.email:
        parent.email = f"parent{parent.pk}@example.org"
        parent.save(update_fields=["email"])
    now = timezone.now()
    link = ConsentLink.objects.create(
        organisation=school,
        person=child,
        signer=parent,
        token_hash=econsent.token_hash(f"demo-{child.pk}"),
        expires_at=now + datetime.timedelta(days=econsent.LINK_DAYS),
    )
    items = [item for item in econsent.purpose_items(person=child) if item.valid is None]
    link.pending = {
        "choices": {item.key: item.kind == ConsentPurpose.PUBLICATION for item in items},
        "hashes": {item.key: item.sha256 for item in items},
        "signer_name": parent.full_name,
        "child_confirmed": econsent.child_must_cosign(link) is not None,
    }
    link.code_hash = econsent._code_hash(link, DEMO_CODE)
    link.code_expires_at = now + datetime.timedelta(minutes=econsent.CODE_MINUTES)
    link.save()
    consents = econsent.consent_link_confirm(
        link=link, code=DEMO_CODE, ip_address="192.0.2.10", user_agent="Mozilla/5.0 (демонстрация)", now=now
    )
    link.refresh_from_db()
    econsent_copy_store_and_send(link=link, consents=consents, send=False)
    return Consent.objects.filter(pk__in=[c.pk for c in consents]).count()


def demo_destruction(*, schools) -> int:
    """In the first school, a teacher who withdrew the consent; the director destroyed the data at
    once, so the register of acts of destruction shows an act."""
    from participants.destruction import person_anonymise_now
    from participants.models import DestructionAct, Person

    if not schools or DestructionAct.objects.filter(organisation=schools[0]).exists():
        return 0
    now = timezone.now()
    person = Person.objects.create(
        organisation=schools[0],
        last_name="Уволенная",
        first_name="Анна",
        patronymic="Петровна",
        gender="F",
        category=Person.Category.TEACHER,
        position="учитель истории",
        experience_years=10,
        processing_blocked_at=now - datetime.timedelta(days=3),
    )
    person_anonymise_now(person=person, user=None, now=now)
    return 1
