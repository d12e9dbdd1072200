"""Notifications of the programme: pairs without meetings, certificates expiring, consents withdrawn.

Time-based kinds: ``manage.py send_notifications`` runs their ``collect`` (idempotent by key).
Texts go out by e-mail, so a child is named by first name and class only («Пётр (7Б)»).
"""

import datetime
from collections import defaultdict

from django.db.models import Q
from django.urls import reverse

from organisations.notifications.kinds import Delivery, NotificationKind, register
from organisations.notifications.services import notify
from organisations.russian import plural
from participants.models import Consent, MentorDocument, Person

from .models import Pair
from .selectors_meetings import CLOSE_OFFER_DAYS, INACTIVE_DAYS, days_without_meeting, pairs_with_last_meeting
from .selectors_plans import with_mentees

CERTIFICATE_DAYS = 30
CONSENT_LOOKBACK_DAYS = 7  # a withdrawal recorded up to a week back is still news
NAMED_MENTEES = 2
WORKING = (Pair.Status.APPROVED, Pair.Status.ACTIVE)


def safe_name(person: Person) -> str:
    """A child by first name and class, an adult by surname and initials: what an e-mail may carry."""
    if person.category == Person.Category.STUDENT:
        return f"{person.first_name} ({person.class_name})" if person.class_name else person.first_name
    return person.short_name


def pair_title(pair: Pair, mentees: list[Person]) -> str:
    names = [safe_name(mentee) for mentee in mentees[:NAMED_MENTEES]]
    if len(mentees) > NAMED_MENTEES:
        names.append(f"ещё {len(mentees) - NAMED_MENTEES}")
    return f"{safe_name(pair.mentor)} → {', '.join(names) or '—'}"


def _days(count: int) -> str:
    return f"{count} {plural(count, 'день', 'дня', 'дней')}"


def _pair_url(pair: Pair, name: str = "pair_detail") -> str:
    return reverse(f"mentorship:{name}", kwargs={"org": pair.organisation.slug, "pk": pair.pk})


def _school_curators(organisation_ids) -> dict[int, set[int]]:
    """Members with the curator's role per organisation: who hears when a programme names no curator."""
    from organisations.models import Membership

    result: dict[int, set[int]] = defaultdict(set)
    rows = Membership.objects.filter(organisation_id__in=organisation_ids, role="curator").values_list(
        "organisation_id", "user_id"
    )
    for organisation_id, user_id in rows:
        result[organisation_id].add(user_id)
    return result


def _curators(pair: Pair, school_curators) -> set[int]:
    return (
        {pair.programme.curator_id} if pair.programme.curator_id else school_curators.get(pair.organisation_id, set())
    )


def _mentor_user(person: Person) -> set[int]:
    return {person.user_id} if person.user_id and not (person.processing_blocked_at or person.anonymised_at) else set()


def collect_inactive_pairs(today: datetime.date) -> int:
    """Active pairs without a meeting for 30 days: the mentor is nudged and the curator told; at 60
    days the curator is offered to close or re-pair. Once per pause: a meeting starts a new count."""
    pairs = list(
        with_mentees(
            pairs_with_last_meeting(
                Pair.objects.filter(status=Pair.Status.ACTIVE, starts_on__lte=today - datetime.timedelta(INACTIVE_DAYS))
            ).select_related("mentor", "programme", "organisation")
        )
    )
    school_curators = _school_curators({pair.organisation_id for pair in pairs})
    made = 0
    for pair in pairs:
        # The same rule as the «Требует внимания» badge (mentorship.selectors_meetings.mark_inactivity).
        days = days_without_meeting(pair, today=today)
        if days is None or days <= INACTIVE_DAYS:
            continue
        since = today - datetime.timedelta(days=days)
        title = pair_title(pair, [link.mentee for link in pair.mentee_links])
        base = f"mentorship.pair_inactive:{pair.pk}:{since:%Y-%m-%d}"
        noun = "пара" if len(pair.mentee_links) <= 1 else "группа"
        made += len(
            notify(
                kind=PAIR_INACTIVE.code,
                organisation=pair.organisation,
                recipients=_mentor_user(pair.mentor),
                text=(
                    f"Ваша {noun} {title} не встречалась {_days(days)}: "
                    "запланируйте встречу и отметьте её в «Мои пары»."
                ),
                url=reverse("mentorship:my_pairs", kwargs={"org": pair.organisation.slug}),
                key=f"{base}:{INACTIVE_DAYS}",
            )
        )
        made += len(
            notify(
                kind=PAIR_INACTIVE.code,
                organisation=pair.organisation,
                # Found at 60 days already, the curator gets the offer below instead.
                recipients=set()
                if days > CLOSE_OFFER_DAYS
                else _curators(pair, school_curators) - _mentor_user(pair.mentor),
                text=f"{noun.capitalize()} {title} не встречалась {_days(days)} — требует внимания.",
                url=_pair_url(pair),
                key=f"{base}:{INACTIVE_DAYS}",
            )
        )
        if days > CLOSE_OFFER_DAYS:
            made += len(
                notify(
                    kind=PAIR_INACTIVE.code,
                    organisation=pair.organisation,
                    recipients=_curators(pair, school_curators),
                    text=(
                        f"{noun.capitalize()} {title} не встречалась {_days(days)}: завершите её с указанием причины "
                        "или подберите наставляемому другого наставника."
                    ),
                    url=_pair_url(pair),
                    key=f"{base}:{CLOSE_OFFER_DAYS}",
                )
            )
    return made


def collect_certificates(today: datetime.date) -> int:
    """A mentor's certificate (no criminal record, medical) expiring within 30 days: the curators
    of the mentor's working pairs (or the school's curators) and the mentor, once per expiry date."""
    documents = list(
        MentorDocument.objects.filter(
            valid_until__gte=today,
            valid_until__lte=today + datetime.timedelta(CERTIFICATE_DAYS),
            person__anonymised_at__isnull=True,
        ).select_related("person", "organisation")
    )
    pairs = Pair.objects.filter(mentor__in={d.person_id for d in documents}, status__in=WORKING).select_related(
        "programme"
    )
    pair_curators: dict[int, set[int]] = defaultdict(set)
    for pair in pairs:
        if pair.programme.curator_id:
            pair_curators[pair.mentor_id].add(pair.programme.curator_id)
    school_curators = _school_curators({d.organisation_id for d in documents})
    made = 0
    for document in documents:
        person = document.person
        left = (document.valid_until - today).days
        text = (
            f"{document.get_kind_display().capitalize()} наставника {safe_name(person)} действует до "
            f"{document.valid_until:%d.%m.%Y} (осталось {_days(left)}): попросите новую."
        )
        recipients = pair_curators.get(person.pk) or school_curators.get(document.organisation_id, set())
        key = f"mentorship.certificate:{document.pk}:{document.valid_until:%Y-%m-%d}"
        slug = document.organisation.slug
        made += len(
            notify(
                kind=CERTIFICATE_EXPIRING.code,
                organisation=document.organisation,
                recipients=recipients,
                text=text,
                url=reverse("participants:person_detail", kwargs={"org": slug, "pk": person.pk}),
                key=key,
            )
        )
        # The mentor's own notice leads to a page of theirs: the person card is for the staff.
        made += len(
            notify(
                kind=CERTIFICATE_EXPIRING.code,
                organisation=document.organisation,
                recipients=_mentor_user(person) - recipients,
                text=(
                    f"Ваша {document.get_kind_display()} действует до {document.valid_until:%d.%m.%Y} "
                    f"(осталось {_days(left)}): принесите новую куратору программы."
                ),
                url=reverse("mentorship:my_pairs", kwargs={"org": slug}),
                key=key,
            )
        )
    return made


def collect_withdrawn_consents(today: datetime.date) -> int:
    """A consent withdrawn (in the last week) by a person of a working pair: its mentor and curator."""
    consents = list(
        Consent.objects.filter(
            status=Consent.Status.WITHDRAWN,
            withdrawn_on__gte=today - datetime.timedelta(CONSENT_LOOKBACK_DAYS),
            withdrawn_on__lte=today,
        ).select_related("person", "organisation")
    )
    people = {consent.person_id for consent in consents}
    pairs = list(
        Pair.objects.filter(Q(mentor__in=people) | Q(mentees__in=people), status__in=WORKING)
        .distinct()
        .select_related("mentor", "programme", "organisation")
        .prefetch_related("pair_mentees")
    )
    school_curators = _school_curators({pair.organisation_id for pair in pairs})
    by_person: dict[int, list[Pair]] = defaultdict(list)
    for pair in pairs:
        for person_id in {pair.mentor_id, *(link.mentee_id for link in pair.pair_mentees.all())}:
            by_person[person_id].append(pair)
    made = 0
    for consent in consents:
        for pair in by_person.get(consent.person_id, []):
            curators = _curators(pair, school_curators)
            mentor = set() if pair.mentor_id == consent.person_id else _mentor_user(pair.mentor) - curators
            what = f"Отозвано согласие на обработку персональных данных ({consent.get_purpose_display()})"
            key = f"mentorship.consent_withdrawn:{consent.pk}:{pair.pk}"
            made += len(
                notify(
                    kind=CONSENT_WITHDRAWN.code,
                    organisation=pair.organisation,
                    recipients=curators,
                    text=(
                        f"{what}: {safe_name(consent.person)} из пары наставника {safe_name(pair.mentor)} — "
                        "решите, как продолжать работу пары."
                    ),
                    url=_pair_url(pair),
                    key=key,
                )
            )
            made += len(
                notify(
                    kind=CONSENT_WITHDRAWN.code,
                    organisation=pair.organisation,
                    recipients=mentor,
                    text=f"{what}: {safe_name(consent.person)} из вашей пары — куратор скажет, как продолжать работу.",
                    url=reverse("mentorship:my_pairs", kwargs={"org": pair.organisation.slug}),
                    key=key,
                )
            )
    return made


PAIR_INACTIVE = register(
    NotificationKind(
        "mentorship.pair_inactive",
        "Пара не встречалась 30 дней",
        Delivery.IMMEDIATE,
        collect=collect_inactive_pairs,
        order=30,
    )
)
CERTIFICATE_EXPIRING = register(
    NotificationKind(
        "mentorship.certificate_expiring",
        "Справка внешнего наставника истекает через 30 дней",
        Delivery.DIGEST,
        collect=collect_certificates,
        order=40,
    )
)
CONSENT_WITHDRAWN = register(
    NotificationKind(
        "mentorship.consent_withdrawn",
        "Отозвано согласие участника ваших пар",
        Delivery.IMMEDIATE,
        collect=collect_withdrawn_consents,
        order=45,
    )
)
