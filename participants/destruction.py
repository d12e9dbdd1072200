"""Destruction of personal data after a withdrawal, documented (приказ Роскомнадзора от 28.10.2022
№ 179): each run of the anonymisation gives, per school, an act of destruction and the extract
from the event journal, kept for three years (DestructionAct; the PDF and XLSX are made in
reports/printouts/destruction.py). People are named in them by internal numbers, never by name.

The run: ``python manage.py anonymise_withdrawn`` (cron) anonymises those whose 30 days have
passed; ``--background`` queues the same work for ``manage.py db_worker`` (the task below). A
director may anonymise a withdrawn person at once (person_anonymise_now).
"""

import datetime
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, Max, OuterRef
from django.utils import timezone
from django_tasks import task

from organisations.models import Organisation

from .models import AccessLogEntry, Consent, ConsentPurpose, DestructionAct, Person
from .services import ANONYMISE_AFTER_DAYS, person_anonymise

KEEP_YEARS = 3
INFORMATION_SYSTEM = "информационная система «Наставник» (учёт участников программы наставничества)"
METHOD = (
    "обезличивание (замена фамилии на «Обезличено»), удаление имени, отчества, даты рождения, телефона, "
    "адреса электронной почты, примечаний, форм ФИО по падежам, связи с учётной записью, истории изменений "
    "и сканов и экземпляров согласий средствами информационной системы, без возможности восстановления"
)
DATA_CATEGORIES = (
    "фамилия, имя, отчество; дата рождения; номер телефона; адрес электронной почты; примечания; "
    "формы фамилии, имени и отчества по падежам; сканы и электронные экземпляры согласий на обработку "
    "персональных данных; история изменений записи"
)
REASON_WITHDRAWN = (
    "отзыв субъектом персональных данных (его законным представителем) согласия на обработку персональных "
    "данных, часть 5 статьи 21 Федерального закона от 27.07.2006 № 152-ФЗ «О персональных данных»"
)
REASON_AT_ONCE = REASON_WITHDRAWN + "; решение руководителя Оператора об уничтожении до истечения 30 дней"
BY_SCHEDULE = "автоматически, по расписанию (команда anonymise_withdrawn)"
EVENT = "Уничтожение персональных данных (обезличивание)"

ERROR_NOT_WITHDRAWN = "Данные можно обезличить только после отзыва согласия на участие в программе."
ERROR_ALREADY = "Данные участника уже обезличены."


def _keep_until(day: datetime.date) -> datetime.date:
    try:
        return day.replace(year=day.year + KEEP_YEARS)
    except ValueError:  # 29 February
        return day.replace(year=day.year + KEEP_YEARS, day=28)


def _categories(people: list[Person]) -> str:
    labels = sorted({Person.Category(p.category).label.lower() for p in people})
    return ", ".join(labels)


@transaction.atomic
def destruction_act_make(
    *, organisation: Organisation, people: list[Person], now: datetime.datetime, reason: str, performed_by: str
) -> DestructionAct:
    """The act and its journal extract for the people just anonymised (their internal numbers)."""
    number = (
        DestructionAct.objects.select_for_update().filter(organisation=organisation).aggregate(n=Max("number"))["n"]
        or 0
    ) + 1
    journal = []
    for person in people:
        entry = AccessLogEntry.objects.create(
            organisation=organisation,
            action=AccessLogEntry.Action.CHANGE,
            person=person,
            at=now,
            what=f"{EVENT}: участник № {person.pk}",
        )
        journal.append(
            {
                "at": now.isoformat(),
                "event": EVENT,
                "subject": f"участник № {person.pk}",
                "category": Person.Category(person.category).label,
                "data": DATA_CATEGORIES,
                "system": INFORMATION_SYSTEM,
                "reason": reason,
                "who": performed_by,
                "journal_id": entry.pk,
            }
        )
    return DestructionAct.objects.create(
        organisation=organisation,
        number=number,
        destroyed_at=now,
        person_ids=[person.pk for person in people],
        subject_categories=_categories(people),
        data_categories=DATA_CATEGORIES,
        reason=reason,
        method=METHOD,
        performed_by=performed_by,
        journal=journal,
        keep_until=_keep_until(timezone.localdate(now)),
    )


def people_anonymise_due(*, now: datetime.datetime | None = None) -> int:
    """Anonymises everyone due (ANONYMISE_AFTER_DAYS after the withdrawal), each in their own
    transaction, and documents the run with one act per school. Old acts (3 years) are deleted.
    People who signed a new participation consent in the meantime are skipped."""
    now = now or timezone.now()
    valid = Consent.objects.filter(
        person=OuterRef("pk"), purpose=ConsentPurpose.PARTICIPATION, status=Consent.Status.VALID
    )
    due = (
        Person.objects.filter(
            processing_blocked_at__lte=now - datetime.timedelta(days=ANONYMISE_AFTER_DAYS),
            anonymised_at__isnull=True,
        )
        .exclude(Exists(valid))
        .order_by("organisation_id", "pk")
    )
    done: dict[int, list[Person]] = defaultdict(list)
    for person in due.iterator():
        done[person.organisation_id].append(person_anonymise(person=person, now=now))
    for people in done.values():
        destruction_act_make(
            organisation=people[0].organisation,
            people=people,
            now=now,
            reason=REASON_WITHDRAWN,
            performed_by=BY_SCHEDULE,
        )
    DestructionAct.objects.filter(keep_until__lt=timezone.localdate(now)).delete()
    return sum(len(people) for people in done.values())


@transaction.atomic
def person_anonymise_now(*, person: Person, user, now: datetime.datetime | None = None) -> DestructionAct:
    """The director's decision: a withdrawn person's data destroyed at once, with its act."""
    now = now or timezone.now()
    if person.anonymised_at is not None:
        raise ValidationError(ERROR_ALREADY)
    if person.processing_blocked_at is None:
        raise ValidationError(ERROR_NOT_WITHDRAWN)
    person = person_anonymise(person=person, now=now)
    organisation = person.organisation
    director = f"{organisation.director_position} {organisation.director_name}".strip() or "руководитель Оператора"
    who = (user.get_full_name() or user.get_username()) if user is not None else director
    return destruction_act_make(
        organisation=person.organisation, people=[person], now=now, reason=REASON_AT_ONCE, performed_by=who
    )


@task()
def anonymise_withdrawn_task() -> int:
    """The same run in the background worker (``manage.py db_worker``)."""
    return people_anonymise_due()
