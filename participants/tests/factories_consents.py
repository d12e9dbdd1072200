"""Consents for tests: on the seeded current text of their purpose, in the person's school."""

import datetime

import factory

from participants.models import Consent, ConsentPurpose, ConsentText
from participants.tests.factories import PersonFactory

# Tiny files whose content is what their type says (the scan check reads content, not names).
PNG_BYTES = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)
JPEG_BYTES = bytes.fromhex("ffd8ffe000104a46494600010100000100010000ffd9")
PDF_BYTES = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


class ConsentFactory(factory.django.DjangoModelFactory):
    """A valid participation consent signed by an adult teacher-like person by default."""

    class Meta:
        model = Consent

    person = factory.SubFactory(
        PersonFactory, birth_date=datetime.date(1990, 1, 1), category="teacher", grade=None, class_letter=""
    )
    organisation = factory.SelfAttribute("person.organisation")
    purpose = ConsentPurpose.PARTICIPATION
    text = factory.LazyAttribute(lambda o: ConsentText.objects.get(purpose=o.purpose, is_current=True))
    signed_by_subject = True
    signed_on = datetime.date(2026, 9, 1)


def consent_for(person):
    """A valid participation consent of the person, on the current text (made if missing)."""
    text, _ = ConsentText.objects.get_or_create(
        purpose=ConsentPurpose.PARTICIPATION, is_current=True, defaults={"version": "t", "title": "t", "body": "t"}
    )
    return Consent.objects.create(
        organisation=person.organisation,
        person=person,
        purpose=ConsentPurpose.PARTICIPATION,
        text=text,
        signed_on=datetime.date(2026, 9, 1),
        signed_by_subject=True,
    )
