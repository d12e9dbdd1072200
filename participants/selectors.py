from auditlog.models import LogEntry
from django.db.models import Count, Exists, OuterRef, Prefetch, Q

from organisations.figures import whole_percent
from organisations.models import Organisation

from .models import YOUNG_SPECIALIST_MAX_YEARS, Consent, ConsentPurpose, Person


def people_counts(*, organisation: Organisation) -> dict[str, int]:
    """People of one school by category, plus young specialists: one query."""
    Category = Person.Category
    return organisation.people.aggregate(
        total=Count("pk"),
        **{category.value: Count("pk", filter=Q(category=category)) for category in Category},
        young_specialists=Count(
            "pk", filter=Q(category=Category.TEACHER, experience_years__lte=YOUNG_SPECIALIST_MAX_YEARS)
        ),
    )


def district_schools_with_counts(*, district: Organisation):
    """The district's schools, each annotated with its people by category: one query."""
    Category = Person.Category
    return district.schools.annotate(
        people_total=Count("people"),
        students=Count("people", filter=Q(people__category=Category.STUDENT)),
        teachers=Count("people", filter=Q(people__category=Category.TEACHER)),
        young_specialists=Count(
            "people",
            filter=Q(people__category=Category.TEACHER, people__experience_years__lte=YOUNG_SPECIALIST_MAX_YEARS),
        ),
    ).order_by("short_name")


def region_districts_with_counts(*, region: Organisation):
    """The region's districts, each annotated with its schools and their people by category: one query."""
    Category = Person.Category
    people = "schools__people"
    return (
        region.schools.filter(kind=Organisation.Kind.DISTRICT)
        .annotate(
            school_count=Count("schools", distinct=True),
            people_total=Count(people),
            students=Count(people, filter=Q(**{f"{people}__category": Category.STUDENT})),
            teachers=Count(people, filter=Q(**{f"{people}__category": Category.TEACHER})),
            young_specialists=Count(
                people,
                filter=Q(
                    **{
                        f"{people}__category": Category.TEACHER,
                        f"{people}__experience_years__lte": YOUNG_SPECIALIST_MAX_YEARS,
                    }
                ),
            ),
        )
        .order_by("short_name")
    )


# --- Consents -----------------------------------------------------------------------------

# Who counts as a participant for consent coverage (DESIGN §5): students, teachers, graduates and
# partner employees. Parents are not participants: they sign for their children as legal
# representatives, so they are neither counted nor expected to have a consent of their own.
PARTICIPANT_CATEGORIES = (
    Person.Category.STUDENT,
    Person.Category.TEACHER,
    Person.Category.GRADUATE,
    Person.Category.PARTNER_EMPLOYEE,
)


def valid_consent_exists(
    *,
    purpose: str = ConsentPurpose.PARTICIPATION,
    person_field: str = "pk",
    partner=None,
    partner_field: str | None = None,
) -> Exists:
    """THE consent rule (152-ФЗ as amended by 156-ФЗ): True for a person with a valid consent for the
    purpose and processing not blocked. Every gate reads it: pairing, links and exports (processing),
    the district's registers (transfer to the authority), a partner's mentor account and documents
    (transfer to that partner).

    person_field names the person in the outer query: "pk" for people, "person" for base entries.
    A transfer to a partner names the partner: ``partner`` (an object or id) or ``partner_field``
    (the partner in the outer query, e.g. "mentor__partner" for a pair's mentee).
    """
    consents = Consent.objects.filter(
        person=OuterRef(person_field),
        purpose=purpose,
        status=Consent.Status.VALID,
        person__processing_blocked_at__isnull=True,
        person__anonymised_at__isnull=True,
    )
    if purpose == ConsentPurpose.PARTNER_TRANSFER:
        if partner_field is not None:
            consents = consents.filter(partner=OuterRef(partner_field))
        elif partner is not None:
            consents = consents.filter(partner=partner)
        # Neither: a consent to any partner (a list's «has a consent» column), never a gate.
    return Exists(consents)


def people_allowed(*, person_ids, purpose: str, partner=None) -> set[int]:
    """The ids among person_ids whose data may go to the purpose (the same rule, one query)."""
    return set(
        Person.objects.filter(pk__in=list(person_ids))
        .filter(valid_consent_exists(purpose=purpose, partner=partner))
        .values_list("pk", flat=True)
    )


def consent_purposes(*, organisation: Organisation) -> list[tuple[str, object]]:
    """The school's purposes, each a separate consent: (kind, partner or None), partners by name."""
    purposes = [(ConsentPurpose.PARTICIPATION, None), (ConsentPurpose.AUTHORITY_TRANSFER, None)]
    purposes += [(ConsentPurpose.PARTNER_TRANSFER, partner) for partner in organisation.partners.order_by("name")]
    purposes.append((ConsentPurpose.PUBLICATION, None))
    return purposes


def people_needing_transfer_consent(*, organisation: Organisation):
    """Participants with a valid participation consent whose transfer to the authority rests on no
    separate consent: none at all, or one carried over from a bundled text (before 156-ФЗ)."""
    separate = Consent.objects.filter(
        person=OuterRef("pk"),
        purpose=ConsentPurpose.AUTHORITY_TRANSFER,
        status=Consent.Status.VALID,
        bundled=False,
    )
    bundled = Consent.objects.filter(
        person=OuterRef("pk"), purpose=ConsentPurpose.AUTHORITY_TRANSFER, status=Consent.Status.VALID, bundled=True
    )
    return (
        participants(organisation=organisation)
        .filter(valid_consent_exists())
        .exclude(Exists(separate))
        .annotate(carried_over=Exists(bundled))
        .order_by("last_name", "first_name", "patronymic", "pk")
    )


def people_with_valid_consent(*, organisation: Organisation, purpose: str = ConsentPurpose.PARTICIPATION):
    """People of the school whose data may be processed for the purpose."""
    return organisation.people.filter(valid_consent_exists(purpose=purpose))


def people_annotate_consent(queryset, *, purpose: str = ConsentPurpose.PARTICIPATION):
    """Marks each person of the queryset with ``has_valid_consent``: one subquery, no query per row."""
    return queryset.annotate(has_valid_consent=valid_consent_exists(purpose=purpose))


def participants(*, organisation: Organisation):
    """The school's participants in the sense of consent coverage; anonymised people are no longer."""
    return organisation.people.filter(category__in=PARTICIPANT_CATEGORIES, anonymised_at__isnull=True)


def participants_with_consents(*, organisation: Organisation):
    """Participants with ``has_valid_consent`` and their consents, newest first, in ``consent_list``."""
    consents = Consent.objects.select_related("representative", "text").order_by("-signed_on", "-pk")
    queryset = (
        participants(organisation=organisation)
        .select_related("partner")
        .prefetch_related(Prefetch("consents", queryset=consents, to_attr="consent_list"))
    )
    return people_annotate_consent(queryset)


def consent_coverage(*, organisation: Organisation) -> dict:
    """Participants with a valid participation consent out of all participants: one query.

    ``percent`` is whole percent half up like every figure (organisations.figures), so it equals the
    KPI «Согласия»; ``missing`` says who is still without one. None without participants.
    """
    counts = participants(organisation=organisation).aggregate(
        participants=Count("pk"),
        covered=Count("pk", filter=Q(valid_consent_exists(purpose=ConsentPurpose.PARTICIPATION))),
    )
    total, covered = counts["participants"], counts["covered"]
    return {
        "participants": total,
        "covered": covered,
        "missing": total - covered,
        "percent": whole_percent(covered, total),
    }


def school_classes(*, organisation: Organisation) -> list[tuple[int, str]]:
    """The school's classes that have students, as (grade, letter), in order: one query."""
    return list(
        organisation.people.filter(category=Person.Category.STUDENT, grade__isnull=False, anonymised_at__isnull=True)
        .order_by("grade", "class_letter")
        .values_list("grade", "class_letter")
        .distinct()
    )


HISTORY_ACTIONS = {
    LogEntry.Action.CREATE: "создание",
    LogEntry.Action.UPDATE: "изменение",
    LogEntry.Action.DELETE: "удаление",
    LogEntry.Action.ACCESS: "просмотр",
}


def person_history(*, person: Person, limit: int = 30):
    """The latest audit-log entries of the person and of their consents, bases and documents.

    Each entry gets ``label``, e.g. «Участник: изменение».
    """
    entries = list(
        LogEntry.objects.filter(additional_data__person_id=person.pk)
        .select_related("actor", "content_type")
        .order_by("-timestamp")[:limit]
    )
    for entry in entries:
        model = entry.content_type.model_class()
        subject = model._meta.verbose_name.capitalize() if model else entry.content_type.model
        entry.label = f"{subject}: {HISTORY_ACTIONS.get(entry.action, '')}"
    return entries
