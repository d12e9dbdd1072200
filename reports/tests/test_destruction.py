"""Destruction after a withdrawal: no trace of the name in any text column of any table (approved
orders excepted), the act of destruction and the journal extract (приказ Роскомнадзора № 179) as
PDF and XLSX, the register page; the run goes through the background worker by the command."""

import datetime
import io
import re

import pytest
from django.apps import apps
from django.core import mail
from django.core.management import call_command
from django.db import models
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from mentorship.tests.factories import PairFactory
from participants import econsent
from participants.journal import access_record
from participants.models import AccessLogEntry, Consent, ConsentPurpose, DestructionAct, Person
from participants.services import consent_withdraw
from participants.tests.factories import MentorEntryFactory, PersonFactory, TeacherFactory
from participants.tests.factories_consents import ConsentFactory
from reports.models import Order
from reports.printouts.econsent import econsent_copy_store_and_send

pytestmark = pytest.mark.django_db

NAME = "Уникальнова"


def _rows_with(text: str) -> list[str]:
    """Every row of every model whose CharField, TextField or JSONField holds the text, except
    approved orders and what belongs to them."""
    found = []
    for model in apps.get_models():
        fields = [
            f
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField)
        ]
        if not fields:
            continue
        queryset = model._default_manager.all()
        if model is Order:
            queryset = queryset.exclude(status=Order.Status.APPROVED)
        elif any(f.name == "order" and f.related_model is Order for f in model._meta.concrete_fields):
            queryset = queryset.exclude(order__status=Order.Status.APPROVED)
        for row in queryset.values("pk", *[f.attname for f in fields]):
            for name, value in row.items():
                if value is not None and text.lower() in str(value).lower():
                    found.append(f"{model._meta.label}.{name} #{row['pk']}")
    return found


@pytest.fixture
def person(school_a, curator_a, rf, settings, tmp_path):
    """A teacher whose name sits in every usual place: the card and its history, consents on paper
    and by the link (typed name, PDF copy), the mentor base, a pair, the journal, an approved order."""
    settings.MEDIA_ROOT = tmp_path / "media"
    teacher = TeacherFactory(
        organisation=school_a,
        last_name=NAME,
        first_name="Зинаида",
        patronymic="Прокофьевна",
        email="z@example.org",
        phone="+7 900 000-00-00",
        notes=f"{NAME} ведёт кружок",
        name_forms={"dative": f"{NAME}й Зинаиде Прокофьевне"},
    )
    teacher.position = "учитель химии"
    teacher.save()  # a history entry naming her
    ConsentFactory(person=teacher, signed_on=datetime.date(2025, 9, 1))
    sent = econsent.consent_link_send(
        organisation=school_a, person=teacher, signer=teacher, user=curator_a, url_for=lambda t: f"/c/{t}/"
    )
    choices = {item.key: item.kind == ConsentPurpose.PUBLICATION for item in econsent.purpose_items(person=teacher)}
    econsent.consent_link_choose(link=sent.link, choices=choices, signer_name=teacher.full_name)
    code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body)[1]
    consents = econsent.consent_link_confirm(link=sent.link, code=code, ip_address="10.0.0.1", user_agent="test")
    sent.link.refresh_from_db()
    econsent_copy_store_and_send(link=sent.link, consents=consents)
    MentorEntryFactory(person=teacher, school_year=2025)
    PairFactory(mentor=teacher, mentees=[PersonFactory(organisation=school_a)])
    request = rf.get("/")
    request.user = curator_a
    access_record(
        request=request, organisation=school_a, action="view", what=f"Карточка: {teacher.full_name}", person=teacher
    )
    approved = Order.objects.create(
        organisation=school_a,
        kind="mentor_register",
        title="Об утверждении реестра наставников",
        status=Order.Status.APPROVED,
        number=1,
        number_year=2025,
        number_label="1-ОД",
        approved_on=datetime.date(2025, 9, 25),
        signer_name=f"{NAME} З. П.",
        snapshot={"register": [{"person_id": teacher.pk, "name": teacher.full_name}]},
    )
    assert _rows_with(NAME)  # the name is everywhere before
    consent = Consent.objects.get(person=teacher, purpose=ConsentPurpose.PARTICIPATION)
    consent_withdraw(consent=consent, withdrawn_on=datetime.date(2025, 10, 1), user=curator_a)
    Person.objects.filter(pk=teacher.pk).update(processing_blocked_at=timezone.now() - datetime.timedelta(days=31))
    return teacher, approved


def test_anonymisation_by_the_background_worker_leaves_no_trace_and_makes_the_act(
    client, settings, school_a, person, director_a
):
    teacher, approved = person
    copy_file = Consent.objects.exclude(copy="").first().copy.path
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    call_command("anonymise_withdrawn", "--background", stdout=io.StringIO())

    teacher.refresh_from_db()
    assert teacher.anonymised_at is not None and teacher.full_name == "Обезличено"
    assert _rows_with(NAME) == []
    assert _rows_with("Зинаида Прокофьевна") == []
    assert NAME in approved.snapshot["register"][0]["name"]  # the approved order keeps it
    assert not __import__("os").path.exists(copy_file)

    act = DestructionAct.objects.get(organisation=school_a)
    assert act.person_ids == [teacher.pk] and act.number == 1
    assert "педагог" in act.subject_categories and "фамилия, имя, отчество" in act.data_categories
    assert "часть 5 статьи 21" in act.reason and act.keep_until.year == timezone.localdate().year + 3
    assert act.journal[0]["subject"] == f"участник № {teacher.pk}"
    assert AccessLogEntry.objects.filter(pk=act.journal[0]["journal_id"]).exists()

    client.force_login(director_a)
    page = client.get(reverse("participants:destruction_acts", kwargs={"org": school_a.slug})).content.decode()
    assert "Утверждённые приказы хранят фамилии" in page and 'data-testid="destruction-acts"' in page
    url = reverse("reports:export", kwargs={"org": school_a.slug, "identifier": "destruction-act"})
    pdf = client.get(url, {"act": act.pk, "format": "pdf"})
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
    text = " ".join(text.split())
    assert "об уничтожении персональных данных" in text and f"№ {teacher.pk}" in text
    assert "Выгрузка из журнала регистрации событий" in text and "№ 179" in text and NAME not in text
    xlsx = client.get(url, {"act": act.pk, "format": "xlsx"})
    workbook = load_workbook(io.BytesIO(xlsx.content), read_only=True)
    assert workbook.sheetnames == ["Акт", "Выгрузка из журнала"]
    cells = [str(c) for sheet in workbook for row in sheet.iter_rows(values_only=True) for c in row if c]
    assert f"участник № {teacher.pk}" in cells and not any(NAME in c for c in cells)
    assert AccessLogEntry.objects.filter(what__startswith="Акт об уничтожении персональных данных № 1").count() == 2


def test_the_director_destroys_at_once_and_the_curator_may_not(client, school_a, curator_a, director_a):
    withdrawn = TeacherFactory(organisation=school_a, processing_blocked_at=timezone.now())
    active = TeacherFactory(organisation=school_a)
    url = reverse("participants:person_anonymise_now", kwargs={"org": school_a.slug, "pk": withdrawn.pk})
    client.force_login(curator_a)
    assert client.post(url).status_code == 403
    client.force_login(director_a)
    response = client.post(url, follow=True)
    assert "составлен акт об уничтожении № 1" in response.content.decode()
    act = DestructionAct.objects.get()
    assert act.person_ids == [withdrawn.pk] and "решение руководителя" in act.reason
    response = client.post(
        reverse("participants:person_anonymise_now", kwargs={"org": school_a.slug, "pk": active.pk}), follow=True
    )
    assert "только после отзыва согласия" in response.content.decode()
    active.refresh_from_db()
    assert active.anonymised_at is None


def test_the_register_of_acts_asks_the_same_queries_for_more_acts(client, school_a, director_a):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from participants.destruction import person_anonymise_now

    client.force_login(director_a)
    url = reverse("participants:destruction_acts", kwargs={"org": school_a.slug})
    counts = []
    for batch in (1, 4):
        for _ in range(batch):
            person_anonymise_now(
                person=TeacherFactory(organisation=school_a, processing_blocked_at=timezone.now()), user=director_a
            )
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1], counts
