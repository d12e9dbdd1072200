"""Consents per purpose (156-ФЗ, in force since 01.09.2025): the transfer is no longer bundled.

Seeds the texts of the two transfer purposes (to the education authority; to a named partner
organisation, whose name stands for «{partner}») and a second edition of the participation text
without the transfer. Existing consents keep what they covered: every valid participation consent
signed on a text that bundled the transfer gets a transfer consent to the authority marked
``bundled`` (carried over); the coverage page lists these people as needing a new separate one.
Texts get their SHA-256 (title, blank line, body), as ConsentText.save() computes it.
"""

import hashlib

from django.db import migrations

TRANSFER_VERSION = "1"
PARTICIPATION_VERSION = "2"

AUTHORITY_TITLE = "Согласие на передачу персональных данных органу управления образованием"
AUTHORITY_BODY = """\
1. Цель передачи: отчётность Оператора о реализации целевой модели наставничества перед органом управления образованием муниципального района (городского округа), в ведении которого находится Оператор: реестр наставников, сведения о наставнических парах и группах, ответы на запросы мониторинга.

2. Получатель: орган управления образованием муниципального района (городского округа), в ведении которого находится Оператор.

3. Перечень передаваемых персональных данных: фамилия, имя, отчество; класс (для обучающихся) или должность (для педагогов), место работы (для сотрудников организаций-партнёров); сведения о включении в реестр наставников и об участии в наставнических парах и группах, компетенции наставника.

4. Действия с персональными данными: передача (предоставление, доступ) получателю указанными способами: через информационную систему Оператора и в виде документов (реестров, приказов). Обобщённые сведения, по которым нельзя определить субъекта персональных данных, передаются без этого согласия.

5. Срок действия: согласие действует со дня его подписания до окончания участия субъекта персональных данных в программе наставничества Оператора, если не будет отозвано ранее.

6. Отзыв согласия: согласие может быть отозвано в любое время; после отзыва Оператор прекращает передачу, а в сведениях для органа управления образованием субъект персональных данных учитывается только в числе, без имени."""

PARTNER_TITLE = "Согласие на передачу персональных данных организации-партнёру {partner}"
PARTNER_BODY = """\
1. Цель передачи: участие субъекта персональных данных в наставнической паре или группе, наставник которой — сотрудник организации-партнёра {partner} (форма наставничества «работодатель – ученик» и другие формы с участием партнёра): организация встреч, составление и выполнение индивидуального плана, обратная связь.

2. Получатель: организация-партнёр {partner} и её сотрудники, назначенные наставниками.

3. Перечень передаваемых персональных данных: фамилия, имя; класс; запросы и интересы, указанные для подбора наставника; сведения о встречах и о выполнении индивидуального плана.

4. Действия с персональными данными: передача (предоставление, доступ) получателю через учётную запись наставника в информационной системе Оператора и в документах наставнической пары (группы). Распространение неограниченному кругу лиц не разрешается.

5. Срок действия: согласие действует со дня его подписания до окончания участия в паре (группе) с наставником от организации-партнёра, если не будет отозвано ранее.

6. Отзыв согласия: согласие может быть отозвано в любое время; после отзыва сотрудники организации-партнёра перестают видеть персональные данные субъекта."""

# The bundled clauses of the first edition, each replaced by its text without the transfer.
PARTICIPATION_UNBUNDLED = (
    (
        "подготовка приказов и отчётов, в том числе обобщённых отчётов для органа управления образованием.",
        "подготовка приказов и отчётов, в том числе обобщённых отчётов, по которым нельзя определить "
        "субъекта персональных данных.",
    ),
    (
        "использование, передача (предоставление, доступ) органу управления образованием в объёме, необходимом "
        "для отчётности о реализации целевой модели наставничества, обезличивание,",
        "использование, обезличивание,",
    ),
    (
        "Распространение персональных данных неограниченному кругу лиц настоящим согласием не разрешается.",
        "Передача персональных данных третьим лицам (органу управления образованием, организациям-партнёрам) "
        "настоящим согласием не разрешается: на каждую передачу даётся отдельное согласие. Распространение "
        "персональных данных неограниченному кругу лиц настоящим согласием не разрешается.",
    ),
)


def sha256(title: str, body: str) -> str:
    return hashlib.sha256(f"{title}\n\n{body}".encode()).hexdigest()


def seed(apps, schema_editor):
    ConsentText = apps.get_model("participants", "ConsentText")
    Consent = apps.get_model("participants", "Consent")
    for purpose, title, body in (
        ("authority", AUTHORITY_TITLE, AUTHORITY_BODY),
        ("partner", PARTNER_TITLE, PARTNER_BODY),
    ):
        if not ConsentText.objects.filter(purpose=purpose, version=TRANSFER_VERSION).exists():
            is_current = not ConsentText.objects.filter(purpose=purpose, is_current=True).exists()
            ConsentText.objects.create(
                purpose=purpose, version=TRANSFER_VERSION, title=title, body=body, is_current=is_current
            )
    first = ConsentText.objects.filter(purpose="participation", version="1").first()
    if (
        first is not None
        and not ConsentText.objects.filter(purpose="participation", version=PARTICIPATION_VERSION).exists()
    ):
        body = first.body
        for old, new in PARTICIPATION_UNBUNDLED:
            body = body.replace(old, new)
        if first.is_current:
            first.is_current = False
            first.save(update_fields=["is_current"])
            is_current = True
        else:
            is_current = not ConsentText.objects.filter(purpose="participation", is_current=True).exists()
        ConsentText.objects.create(
            purpose="participation", version=PARTICIPATION_VERSION, title=first.title, body=body, is_current=is_current
        )
    for text in ConsentText.objects.filter(sha256=""):
        text.sha256 = sha256(text.title, text.body)
        text.save(update_fields=["sha256"])

    # What a bundled participation consent covered stays covered, marked for a new separate consent.
    authority_text = ConsentText.objects.filter(purpose="authority", version=TRANSFER_VERSION).first()
    if first is None or authority_text is None:
        return
    covered = set(Consent.objects.filter(purpose="authority", status="valid").values_list("person_id", flat=True))
    carried = [
        Consent(
            organisation_id=consent.organisation_id,
            person_id=consent.person_id,
            purpose="authority",
            text=authority_text,
            text_sha256=authority_text.sha256,
            bundled=True,
            representative_id=consent.representative_id,
            signed_by_subject=consent.signed_by_subject,
            signed_on=consent.signed_on,
            recorded_by_id=consent.recorded_by_id,
        )
        for consent in Consent.objects.filter(purpose="participation", status="valid", text=first)
        if consent.person_id not in covered
    ]
    Consent.objects.bulk_create(carried)
    for text in ConsentText.objects.all():
        Consent.objects.filter(text=text, text_sha256="", partner__isnull=True).update(text_sha256=text.sha256)


def unseed(apps, schema_editor):
    ConsentText = apps.get_model("participants", "ConsentText")
    Consent = apps.get_model("participants", "Consent")
    Consent.objects.filter(bundled=True).delete()
    ConsentText.objects.filter(purpose="participation", version=PARTICIPATION_VERSION).delete()
    ConsentText.objects.filter(purpose="participation", version="1").update(is_current=True)
    texts = ConsentText.objects.filter(purpose__in=["authority", "partner"], version=TRANSFER_VERSION)
    Consent.objects.filter(text__in=texts).delete()
    texts.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("participants", "0013_consent_purposes_transfer_econsent_destruction"),
    ]

    operations = [
        migrations.RunPython(seed, unseed),
    ]
