"""Consents to personal-data processing: the age rule, scans, withdrawal, anonymisation, the pages."""

import datetime
from io import StringIO

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from organisations.tests.files import assert_private_file
from participants import destruction, services
from participants.models import AccessLogEntry, Consent, ConsentPurpose, ConsentText, Person
from participants.selectors import consent_coverage, people_annotate_consent, people_with_valid_consent
from participants.tests.factories import ParentLinkFactory, PersonFactory, TeacherFactory
from participants.tests.factories_consents import JPEG_BYTES, PDF_BYTES, PNG_BYTES, ConsentFactory

SIGNED_ON = datetime.date(2026, 9, 1)
PARTICIPATION = ConsentPurpose.PARTICIPATION
PUBLICATION = ConsentPurpose.PUBLICATION


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Scans of these tests go to a temporary directory, not var/media."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _born(years: int, days_after: int = 0) -> datetime.date:
    """A birth date giving exactly ``years`` full years on SIGNED_ON (older by days_after days)."""
    return SIGNED_ON.replace(year=SIGNED_ON.year - years) - datetime.timedelta(days=days_after)


def _child(school, years, **kwargs):
    link = ParentLinkFactory(child__organisation=school, child__birth_date=_born(years, 30), **kwargs)
    return link.child, link.parent


def _record(school, person, user, **kwargs):
    params = {
        "organisation": school,
        "person": person,
        "purpose": PARTICIPATION,
        "signed_on": SIGNED_ON,
        "representative": None,
        "signed_by_subject": False,
        "scan": None,
        "user": user,
    }
    return services.consent_record(**{**params, **kwargs})


def _errors(excinfo) -> dict:
    return excinfo.value.message_dict


# --- The age rule ---------------------------------------------------------------------------


def test_the_seeded_texts_are_current_for_every_purpose(db):
    texts = {text.purpose: text for text in ConsentText.objects.filter(is_current=True)}
    assert set(texts) == set(ConsentPurpose.values)
    assert texts[PUBLICATION].version == "1" and texts[PARTICIPATION].version == "2"
    assert "152-ФЗ" in texts[PARTICIPATION].body and "отозвано" in texts[PARTICIPATION].body
    # 156-ФЗ: the processing text no longer bundles the transfer, which has its own texts.
    assert "органу управления образованием в объёме" not in texts[PARTICIPATION].body
    assert "отдельное согласие" in texts[PARTICIPATION].body
    assert "{partner}" in texts[ConsentPurpose.PARTNER_TRANSFER].title
    assert all(len(text.sha256) == 64 for text in texts.values())
    assert "социальных сетях" in texts[PUBLICATION].body


def test_thirteen_year_old_parent_signs_alone(school_a, curator_a):
    child, parent = _child(school_a, 13)
    consent = _record(school_a, child, curator_a, representative=parent)
    assert consent.representative == parent and not consent.signed_by_subject
    assert consent.text == ConsentText.objects.get(purpose=PARTICIPATION, is_current=True)
    assert consent.recorded_by == curator_a and consent.status == Consent.Status.VALID


def test_thirteen_year_old_cannot_sign_without_a_representative(school_a, curator_a):
    child, _parent = _child(school_a, 13)
    with pytest.raises(ValidationError) as excinfo:
        _record(school_a, child, curator_a, signed_by_subject=True)
    assert _errors(excinfo) == {"representative": [services.ERROR_REPRESENTATIVE_REQUIRED.format(adult_age=18)]}


def test_fifteen_year_old_signs_together_with_the_parent(school_a, curator_a):
    child, parent = _child(school_a, 15)
    with pytest.raises(ValidationError) as excinfo:
        _record(school_a, child, curator_a, representative=parent)
    assert _errors(excinfo) == {"signed_by_subject": [services.ERROR_CHILD_MUST_COSIGN.format(cosign_age=14)]}
    consent = _record(school_a, child, curator_a, representative=parent, signed_by_subject=True)
    assert consent.representative == parent and consent.signed_by_subject


def test_fourteenth_birthday_on_the_signing_day_counts(school_a, curator_a):
    link = ParentLinkFactory(child__organisation=school_a, child__birth_date=_born(14))
    with pytest.raises(ValidationError) as excinfo:
        _record(school_a, link.child, curator_a, representative=link.parent)
    assert "signed_by_subject" in _errors(excinfo)


def test_adult_signs_alone(school_a, curator_a):
    student, parent = _child(school_a, 18)
    with pytest.raises(ValidationError) as excinfo:
        _record(school_a, student, curator_a, representative=parent, signed_by_subject=False)
    assert _errors(excinfo) == {
        "representative": [services.ERROR_REPRESENTATIVE_NOT_EXPECTED.format(adult_age=18)],
        "signed_by_subject": [services.ERROR_SUBJECT_MUST_SIGN.format(adult_age=18)],
    }
    consent = _record(school_a, student, curator_a, signed_by_subject=True)
    assert consent.representative is None and consent.signed_by_subject


def test_eighteenth_birthday_is_counted_on_the_signing_date(school_a, curator_a):
    link = ParentLinkFactory(child__organisation=school_a, child__birth_date=_born(18))
    assert _record(school_a, link.child, curator_a, signed_by_subject=True).representative is None
    younger = ParentLinkFactory(child__organisation=school_a, child__birth_date=_born(18) + datetime.timedelta(days=1))
    with pytest.raises(ValidationError) as excinfo:
        _record(school_a, younger.child, curator_a, signed_by_subject=True)
    assert "representative" in _errors(excinfo)


def test_school_setting_of_sixteen_changes_who_signs(school_a, curator_a):
    child, _parent = _child(school_a, 17)
    with pytest.raises(ValidationError):
        _record(school_a, child, curator_a, signed_by_subject=True)
    school_a.consent_adult_age = 16
    school_a.save()
    assert _record(school_a, child, curator_a, signed_by_subject=True).representative is None

    school_a.consent_cosign_age = 16
    school_a.consent_adult_age = 18
    school_a.save()
    fifteen, fifteen_parent = _child(school_a, 15)
    assert not _record(school_a, fifteen, curator_a, representative=fifteen_parent).signed_by_subject


def test_minor_without_birth_date_needs_it_first(school_a, curator_a):
    link = ParentLinkFactory(child__organisation=school_a, child__birth_date=None)
    with pytest.raises(ValidationError) as excinfo:
        _record(school_a, link.child, curator_a, representative=link.parent, signed_by_subject=True)
    assert _errors(excinfo) == {NON_FIELD_ERRORS: [services.ERROR_BIRTH_DATE_REQUIRED]}


def test_teacher_without_birth_date_signs_alone(school_a, curator_a):
    teacher = TeacherFactory(organisation=school_a, birth_date=None)
    assert _record(school_a, teacher, curator_a, signed_by_subject=True).signed_by_subject


def test_representative_must_be_a_parent_of_this_person(school_a, school_b, curator_a):
    child, _parent = _child(school_a, 10)
    _other_child, other_parent = _child(school_a, 10)
    with pytest.raises(ValidationError) as excinfo:
        _record(school_a, child, curator_a, representative=other_parent)
    assert _errors(excinfo) == {"representative": [services.ERROR_REPRESENTATIVE_NOT_PARENT]}
    foreign_child, foreign_parent = _child(school_b, 10)
    with pytest.raises(ValidationError) as excinfo:
        _record(school_a, foreign_child, curator_a, representative=foreign_parent)
    assert excinfo.value.messages == [services.ERROR_PERSON_OF_ANOTHER_ORGANISATION]


def test_second_valid_consent_for_a_purpose_is_refused_kindly(school_a, curator_a):
    teacher = TeacherFactory(organisation=school_a)
    _record(school_a, teacher, curator_a, signed_by_subject=True)
    with pytest.raises(ValidationError) as excinfo:
        _record(school_a, teacher, curator_a, signed_by_subject=True)
    purpose = ConsentPurpose(PARTICIPATION).label
    assert _errors(excinfo) == {"purpose": [services.ERROR_DUPLICATE.format(purpose=purpose, signed_on=SIGNED_ON)]}
    assert "от 01.09.2026" in _errors(excinfo)["purpose"][0]
    assert _record(school_a, teacher, curator_a, signed_by_subject=True, purpose=PUBLICATION).purpose == PUBLICATION


def test_signing_date_cannot_be_in_the_future(school_a, curator_a):
    teacher = TeacherFactory(organisation=school_a)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as excinfo:
        _record(school_a, teacher, curator_a, signed_by_subject=True, signed_on=tomorrow)
    assert _errors(excinfo) == {"signed_on": [services.ERROR_SIGNED_IN_FUTURE]}


# --- Scans ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "stored_as"),
    [
        ("scan.pdf", PDF_BYTES, "pdf"),
        ("photo.jpeg", JPEG_BYTES, "jpg"),
        ("scan.png", PNG_BYTES, "png"),
        # Judged by content, whatever the name: a PNG called .pdf is a PNG and is kept as one.
        ("Иванов Илья.pdf", PNG_BYTES, "png"),
    ],
)
def test_scans_of_the_three_types_are_accepted_by_content(school_a, curator_a, media_root, name, content, stored_as):
    teacher = TeacherFactory(organisation=school_a)
    scan = SimpleUploadedFile(name, content)
    consent = _record(school_a, teacher, curator_a, signed_by_subject=True, scan=scan)
    assert consent.scan.name.startswith(f"private/{school_a.pk}/consent/consent-{teacher.pk}-participation-")
    assert consent.scan.name.endswith(f".{stored_as}")
    assert "Иванов" not in consent.scan.name
    assert (media_root / consent.scan.name).read_bytes() == content


def test_text_file_named_pdf_is_refused(school_a, curator_a, media_root):
    teacher = TeacherFactory(organisation=school_a)
    with pytest.raises(ValidationError) as excinfo:
        _record(school_a, teacher, curator_a, signed_by_subject=True, scan=SimpleUploadedFile("scan.pdf", b"hello"))
    assert _errors(excinfo) == {"scan": [services.ERROR_SCAN_TYPE]}
    assert not Consent.objects.exists()
    assert not any(media_root.rglob("*.*"))


def test_scan_over_ten_megabytes_is_refused(school_a, curator_a):
    teacher = TeacherFactory(organisation=school_a)
    big = SimpleUploadedFile("scan.png", PNG_BYTES + b"\0" * (10 * 1024 * 1024))
    with pytest.raises(ValidationError) as excinfo:
        _record(school_a, teacher, curator_a, signed_by_subject=True, scan=big)
    assert list(_errors(excinfo)) == ["scan"]
    assert "10 МБ" in _errors(excinfo)["scan"][0]


# --- Withdrawal, the guard, anonymisation ---------------------------------------------------


def test_withdrawal_blocks_processing_and_the_guard_names_the_person(school_a, curator_a):
    child, parent = _child(school_a, 15)
    consent = _record(school_a, child, curator_a, representative=parent, signed_by_subject=True)
    services.consent_require(person=child)

    withdrawn_on = datetime.date(2026, 10, 5)
    services.consent_withdraw(consent=consent, withdrawn_on=withdrawn_on, user=curator_a)
    consent.refresh_from_db()
    child.refresh_from_db()
    assert consent.status == Consent.Status.WITHDRAWN
    assert (consent.withdrawn_on, consent.withdrawn_by) == (withdrawn_on, curator_a)
    assert timezone.localdate(child.processing_blocked_at) == withdrawn_on
    with pytest.raises(ValidationError) as excinfo:
        services.consent_require(person=child)
    assert excinfo.value.messages == [services.ERROR_PROCESSING_BLOCKED.format(name=child.full_name)]
    assert child.full_name in excinfo.value.messages[0]
    assert not people_with_valid_consent(organisation=school_a).filter(pk=child.pk).exists()


def test_guard_without_any_consent(school_a):
    teacher = TeacherFactory(organisation=school_a, last_name="Яковенко", first_name="Оксана")
    with pytest.raises(ValidationError) as excinfo:
        services.consent_require(person=teacher)
    assert excinfo.value.messages == [
        services.ERROR_CONSENT_REQUIRED.format(name=teacher.full_name, purpose="участие в программе наставничества")
    ]
    with pytest.raises(ValidationError) as excinfo:
        services.consent_require(person=teacher, purpose=PUBLICATION)
    assert "публикация фото и материалов" in excinfo.value.messages[0]


def test_guard_for_many_people_lists_those_without_consent_in_one_query(school_a):
    with_consent = ConsentFactory(person__organisation=school_a).person
    without = TeacherFactory(organisation=school_a, last_name="Черных", first_name="Илья", patronymic="")
    services.consent_require_many(people=[with_consent])
    with CaptureQueriesContext(connection) as queries, pytest.raises(ValidationError) as excinfo:
        services.consent_require_many(people=[with_consent, without])
    assert len(queries.captured_queries) == 1
    assert excinfo.value.messages == [
        services.ERROR_CONSENTS_REQUIRED.format(purpose="участие в программе наставничества", names="Черных И.")
    ]


def test_withdrawing_publication_only_does_not_block(school_a, curator_a):
    teacher = TeacherFactory(organisation=school_a)
    _record(school_a, teacher, curator_a, signed_by_subject=True)
    publication = _record(school_a, teacher, curator_a, signed_by_subject=True, purpose=PUBLICATION)
    services.consent_withdraw(consent=publication, withdrawn_on=SIGNED_ON, user=curator_a)
    teacher.refresh_from_db()
    assert teacher.processing_blocked_at is None
    services.consent_require(person=teacher)


def test_withdrawal_dates_and_repeated_withdrawal(school_a, curator_a):
    consent = ConsentFactory(person__organisation=school_a)
    with pytest.raises(ValidationError) as excinfo:
        services.consent_withdraw(consent=consent, withdrawn_on=SIGNED_ON - datetime.timedelta(days=1), user=curator_a)
    assert _errors(excinfo) == {"withdrawn_on": [services.ERROR_WITHDRAWN_BEFORE_SIGNED.format(signed_on=SIGNED_ON)]}
    with pytest.raises(ValidationError) as excinfo:
        services.consent_withdraw(
            consent=consent, withdrawn_on=timezone.localdate() + datetime.timedelta(days=1), user=curator_a
        )
    assert _errors(excinfo) == {"withdrawn_on": [services.ERROR_WITHDRAWN_IN_FUTURE]}
    services.consent_withdraw(consent=consent, withdrawn_on=SIGNED_ON, user=curator_a)
    with pytest.raises(ValidationError) as excinfo:
        services.consent_withdraw(consent=consent, withdrawn_on=SIGNED_ON, user=curator_a)
    assert excinfo.value.messages == [services.ERROR_ALREADY_WITHDRAWN]


def test_new_participation_consent_lifts_the_block(school_a, curator_a):
    teacher = TeacherFactory(organisation=school_a)
    consent = _record(school_a, teacher, curator_a, signed_by_subject=True)
    services.consent_withdraw(consent=consent, withdrawn_on=SIGNED_ON, user=curator_a)
    _record(school_a, teacher, curator_a, signed_by_subject=True, signed_on=datetime.date(2026, 9, 10))
    teacher.refresh_from_db()
    assert teacher.processing_blocked_at is None
    assert destruction.people_anonymise_due(now=timezone.now() + datetime.timedelta(days=365)) == 0


def _withdrawn_with_scan(school, user, **person_fields):
    teacher = TeacherFactory(
        organisation=school, phone="+7 900 000-00-00", email="t@example.org", notes="любит шахматы", **person_fields
    )
    consent = _record(school, teacher, user, signed_by_subject=True, scan=SimpleUploadedFile("s.png", PNG_BYTES))
    publication = _record(
        school, teacher, user, signed_by_subject=True, purpose=PUBLICATION, scan=SimpleUploadedFile("p.pdf", PDF_BYTES)
    )
    blocked_at = timezone.make_aware(datetime.datetime(2026, 10, 1, 12, 0))
    services.consent_withdraw(consent=consent, withdrawn_on=datetime.date(2026, 10, 1), user=user, now=blocked_at)
    teacher.refresh_from_db()
    return teacher, [consent, publication]


def test_anonymisation_comes_thirty_days_after_the_block(school_a, curator_a, media_root):
    teacher, consents = _withdrawn_with_scan(school_a, curator_a, last_name="Кляпка", first_name="Ольга")
    scan_files = [media_root / c.scan.name for c in consents]
    assert all(path.exists() for path in scan_files)
    blocked_at = teacher.processing_blocked_at
    assert LogEntry.objects.filter(additional_data__person_id=teacher.pk).exists()

    assert destruction.people_anonymise_due(now=blocked_at + datetime.timedelta(days=29, hours=23)) == 0
    assert (
        destruction.people_anonymise_due(now=blocked_at + datetime.timedelta(days=services.ANONYMISE_AFTER_DAYS)) == 1
    )

    teacher.refresh_from_db()
    assert teacher.full_name == services.ANONYMISED_NAME == "Обезличено"
    assert (teacher.birth_date, teacher.phone, teacher.email, teacher.notes) == (None, "", "", "")
    assert teacher.anonymised_at == blocked_at + datetime.timedelta(days=30)
    assert "кляпка" not in teacher.search_name
    # The consents stay as the legal record, without their scans.
    assert Consent.objects.filter(person=teacher).count() == 2
    assert not Consent.objects.filter(person=teacher).exclude(scan="").exists()
    assert not any(path.exists() for path in scan_files)
    # The change history held the old name: it goes too.
    assert not LogEntry.objects.filter(additional_data__person_id=teacher.pk).exists()
    assert not LogEntry.objects.filter(changes_text__contains="Кляпка").exists()
    # Nothing twice.
    assert destruction.people_anonymise_due(now=blocked_at + datetime.timedelta(days=60)) == 0


def test_command_reports_how_many_were_anonymised_in_russian(school_a, curator_a):
    def run():
        out = StringIO()
        call_command("anonymise_withdrawn", stdout=out)
        return out.getvalue().strip()

    assert run() == "Обезличивать некого: ни у кого не истёк срок после отзыва согласия."
    long_ago = timezone.now() - datetime.timedelta(days=31)
    recently = timezone.now() - datetime.timedelta(days=5)
    PersonFactory(organisation=school_a, processing_blocked_at=long_ago)
    PersonFactory(organisation=school_a, processing_blocked_at=recently)
    assert run().startswith("Обезличен 1 человек. Акты об уничтожении")
    PersonFactory.create_batch(3, organisation=school_a, processing_blocked_at=long_ago)
    assert run() == "Обезличено 3 человека. Акты об уничтожении персональных данных — в разделе «Акты об уничтожении»."
    PersonFactory.create_batch(5, organisation=school_a, processing_blocked_at=long_ago)
    assert run().startswith("Обезличено 5 человек. ")
    assert Person.objects.filter(anonymised_at__isnull=False).count() == 9


# --- Selectors ------------------------------------------------------------------------------


def test_coverage_counts_participants_but_not_parents_in_one_query(school_a, school_b, curator_a):
    ConsentFactory(person__organisation=school_a)  # a teacher with consent
    child, parent = _child(school_a, 12)
    _record(school_a, child, curator_a, representative=parent)
    TeacherFactory(organisation=school_a)  # no consent
    PersonFactory(organisation=school_a, anonymised_at=timezone.now())  # no longer a participant
    ConsentFactory(person__organisation=school_b)
    with CaptureQueriesContext(connection) as queries:
        coverage = consent_coverage(organisation=school_a)
    assert len(queries.captured_queries) == 1
    # 2 of 3 is 66.7 %: 67 % half up, as the KPI «Согласия» shows it.
    assert coverage == {"participants": 3, "covered": 2, "missing": 1, "percent": 67}
    assert consent_coverage(organisation=school_b)["percent"] == 100
    flags = dict(people_annotate_consent(school_a.people.all()).values_list("pk", "has_valid_consent"))
    assert flags[child.pk] is True and flags[parent.pk] is False


# --- Pages ----------------------------------------------------------------------------------


def _create_url(school, person):
    return reverse("participants:consent_create", kwargs={"org": school.slug, "pk": person.pk})


def test_form_offers_only_the_persons_parents(client, school_a, curator_a):
    child, parent = _child(school_a, 15, parent__last_name="Черных", parent__first_name="Анна")
    _other, other_parent = _child(school_a, 10, parent__last_name="Посторонний")
    client.force_login(curator_a)
    response = client.get(_create_url(school_a, child))
    content = response.content.decode()
    assert list(response.context["form"].fields["representative"].queryset) == [parent]
    assert "Черных Анна" in content and "Посторонний" not in content
    assert 'type="date"' in content
    assert "Подписано самим субъектом" in content
    # A single parent of a minor is chosen already, and a 15-year-old co-signs.
    assert response.context["form"].fields["representative"].initial == parent.pk
    assert response.context["form"].fields["signed_by_subject"].initial is True
    assert other_parent.pk not in [p.pk for p in response.context["form"].fields["representative"].queryset]


def test_form_shows_russian_errors_next_to_fields(client, school_a, curator_a):
    child, _parent = _child(school_a, 13)
    _other, other_parent = _child(school_a, 10)
    client.force_login(curator_a)
    response = client.post(
        _create_url(school_a, child),
        {
            "purpose": PARTICIPATION,
            "signed_on": "2026-09-01",
            "scan": SimpleUploadedFile("scan.pdf", b"just text"),
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["representative"] == [services.ERROR_REPRESENTATIVE_REQUIRED.format(adult_age=18)]
    assert form.errors["scan"] == [services.ERROR_SCAN_TYPE]
    content = response.content.decode()
    assert 'id="error_1_id_representative"' in content
    assert services.ERROR_REPRESENTATIVE_REQUIRED.format(adult_age=18) in content

    response = client.post(
        _create_url(school_a, child),
        {"purpose": PARTICIPATION, "signed_on": "", "representative": other_parent.pk},
    )
    errors = response.context["form"].errors
    assert errors["representative"] == [services.ERROR_REPRESENTATIVE_NOT_PARENT]
    assert errors["signed_on"] == ["Обязательное поле."]
    assert not Consent.objects.exists()


def test_form_records_a_consent_with_its_scan(client, school_a, curator_a, media_root):
    child, parent = _child(school_a, 15)
    client.force_login(curator_a)
    response = client.post(
        _create_url(school_a, child),
        {
            "purpose": PARTICIPATION,
            "representative": parent.pk,
            "signed_by_subject": "on",
            "signed_on": "2026-09-01",
            "scan": SimpleUploadedFile("scan.pdf", PDF_BYTES),
        },
    )
    assert response.status_code == 302
    assert response["Location"] == child.get_absolute_url() + "#consents"
    consent = Consent.objects.get(person=child)
    assert (consent.representative, consent.signed_by_subject, consent.recorded_by) == (parent, True, curator_a)
    assert AccessLogEntry.objects.filter(action="change", person=child, what__endswith=": внесено").exists()
    card = client.get(child.get_absolute_url()).content.decode()
    assert "Согласие «участие в программе наставничества» от 01.09.2026 внесено." in card
    assert "действует" in card and "Добавить согласие" in card
    assert f"законный представитель {parent.short_name} и сам участник" in card
    assert reverse("participants:consent_withdraw", kwargs={"org": school_a.slug, "pk": consent.pk}) in card
    assert reverse("reports:consent_form_person", kwargs={"org": school_a.slug, "pk": child.pk}) in card


def test_card_hides_editing_from_a_methodist(client, school_a, member):
    consent = ConsentFactory(person__organisation=school_a)
    client.force_login(member(school_a, "methodist"))
    card = client.get(consent.person.get_absolute_url()).content.decode()
    assert "действует" in card
    assert "Добавить согласие" not in card and "Отозвать" not in card


def test_withdrawal_page_and_post(client, school_a, curator_a):
    consent = ConsentFactory(person__organisation=school_a)
    url = reverse("participants:consent_withdraw", kwargs={"org": school_a.slug, "pk": consent.pk})
    client.force_login(curator_a)
    page = client.get(url).content.decode()
    assert "Через 30 дней после отзыва данные будут обезличены" in page
    response = client.post(url, {"withdrawn_on": "2026-08-01"})
    assert response.status_code == 200
    assert response.context["form"].errors["withdrawn_on"] == [
        services.ERROR_WITHDRAWN_BEFORE_SIGNED.format(signed_on=SIGNED_ON)
    ]
    response = client.post(url, {"withdrawn_on": "2026-10-01"})
    assert response.status_code == 302
    consent.refresh_from_db()
    consent.person.refresh_from_db()
    assert consent.status == Consent.Status.WITHDRAWN
    assert consent.person.processing_blocked_at is not None
    assert AccessLogEntry.objects.filter(action="change", person=consent.person, what__endswith=": отозвано").exists()
    card = client.get(consent.person.get_absolute_url()).content.decode()
    assert "Обработка персональных данных участника приостановлена." in card
    assert "31 октября 2026 г. данные будут обезличены" in card


def test_scan_is_served_through_the_journal(client, school_a, curator_a, member):
    teacher = TeacherFactory(organisation=school_a)
    consent = _record(school_a, teacher, curator_a, signed_by_subject=True, scan=SimpleUploadedFile("x", PNG_BYTES))
    client.force_login(member(school_a, "methodist"))
    response = client.get(reverse("participants:consent_scan", kwargs={"org": school_a.slug, "pk": consent.pk}))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Cache-Control"] == "private, no-store"
    assert_private_file(response, filename=f"Согласие-{consent.pk}.png", as_attachment=False)
    assert b"".join(response.streaming_content) == PNG_BYTES
    entry = AccessLogEntry.objects.get(action="view", person=teacher)
    assert entry.what == "Скан согласия «участие в программе наставничества» от 01.09.2026"


def _list(client, school, **params):
    return client.get(reverse("participants:consent_list", kwargs={"org": school.slug}), params)


def _names(response):
    return sorted(person.last_name for person in response.context["object_list"])


def test_list_filters_and_coverage(client, school_a, school_b, curator_a):
    valid = ConsentFactory(person__organisation=school_a, person__last_name="Андреев").person
    withdrawn = ConsentFactory(person__organisation=school_a, person__last_name="Борисов", status="withdrawn").person
    publication_only = ConsentFactory(
        person__organisation=school_a, person__last_name="Васильев", purpose=PUBLICATION
    ).person
    PersonFactory(organisation=school_a, last_name="Григорьев", grade=5, class_letter="А")
    PersonFactory(organisation=school_a, last_name="Родитель", category="parent", grade=None, class_letter="")
    ConsentFactory(person__organisation=school_b, person__last_name="Чужой")
    client.force_login(curator_a)

    response = _list(client, school_a)
    assert _names(response) == ["Андреев", "Борисов", "Васильев", "Григорьев"]
    assert response.context["coverage"] == {"participants": 4, "covered": 1, "missing": 3, "percent": 25}
    content = response.content.decode()
    assert "25 %" in content and "1 из 4 участников" in content
    assert _names(_list(client, school_a, without_consent="on")) == ["Борисов", "Васильев", "Григорьев"]
    assert _names(_list(client, school_a, purpose=PUBLICATION)) == ["Васильев"]
    assert _names(_list(client, school_a, status="withdrawn")) == ["Борисов"]
    assert _names(_list(client, school_a, purpose=PARTICIPATION, status="valid")) == ["Андреев"]
    assert _names(_list(client, school_a, school_class="5А")) == ["Григорьев"]
    assert "Выберите корректный вариант" in _list(client, school_a, school_class="9Я").content.decode()
    assert {valid.pk, withdrawn.pk, publication_only.pk} <= {p.pk for p in response.context["filter"].qs}
    assert AccessLogEntry.objects.filter(action="view", what__startswith="Список согласий").exists()


def test_list_query_count_does_not_grow_with_rows(client, school_a, curator_a):
    client.force_login(curator_a)
    ConsentFactory(person__organisation=school_a)
    with CaptureQueriesContext(connection) as few:
        assert _list(client, school_a).status_code == 200
    for n in range(30):
        child, parent = _child(school_a, 10 + n % 8, child__grade=5 + n % 3)
        consent = _record(school_a, child, curator_a, representative=parent, signed_by_subject=n % 8 >= 4)
        if n % 3 == 0:
            services.consent_withdraw(consent=consent, withdrawn_on=SIGNED_ON, user=curator_a)
        TeacherFactory(organisation=school_a)
    ConsentFactory.create_batch(10, person__organisation=school_a, purpose=PUBLICATION)
    with CaptureQueriesContext(connection) as many:
        response = _list(client, school_a)
    assert len(many.captured_queries) == len(few.captured_queries)
    assert len(response.context["object_list"]) == 50
    assert "Страница 1 из 2" in response.content.decode()


def test_dashboard_shows_consent_coverage(client, school_a, curator_a, member):
    ConsentFactory(person__organisation=school_a)
    TeacherFactory.create_batch(2, organisation=school_a)
    client.force_login(curator_a)
    content = client.get(school_a.get_absolute_url()).content.decode()
    assert "Согласия на обработку персональных данных" in content
    assert "33 %" in content and "1 из 3 участников" in content
    assert "Без согласия: 2 человека" in content
    client.force_login(member(school_a, "mentor"))
    content = client.get(school_a.get_absolute_url()).content.decode()
    assert "33 %" in content and "Без согласия" not in content
