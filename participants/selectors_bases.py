"""Reads of the mentor and mentee bases and of partners, shared by pages and exports."""

import datetime

from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, Subquery, Sum
from django.db.models.functions import Coalesce

from organisations.models import Organisation

from .models import MentorDocument, MentorEntry, PartnerAgreement
from .services_bases import documents_state, needs_documents

NAME_ORDER = ["person__last_name", "person__first_name", "person__patronymic", "pk"]
REGISTER_STATUSES = [MentorEntry.Status.APPROVED, MentorEntry.Status.ACTIVE]


def school_year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 9, 1), datetime.date(year + 1, 8, 31)


def _documents_prefetch(organisation: Organisation) -> Prefetch:
    return Prefetch("person__documents", queryset=MentorDocument.objects.filter(organisation=organisation))


def mentor_entries(*, organisation: Organisation, year: int):
    """The mentor base of a year with everything a row shows prefetched: a fixed number of queries."""
    return (
        organisation.mentor_entries.filter(school_year=year)
        .select_related("person__partner")
        .prefetch_related("person__tags", "preferred_forms", _documents_prefetch(organisation))
        .order_by(*NAME_ORDER)
    )


def mentor_register_entries(*, organisation: Organisation, year: int):
    """The register: approved and active mentors of the year."""
    return mentor_entries(organisation=organisation, year=year).filter(status__in=REGISTER_STATUSES)


def with_document_states(entries, *, on: datetime.date) -> list[MentorEntry]:
    """Sets ``document_states`` (None for the school's own staff) from prefetched documents."""
    entries = list(entries)
    for entry in entries:
        person = entry.person
        entry.document_states = documents_state(person.documents.all(), on) if needs_documents(person) else None
    return entries


def mentee_entries(*, organisation: Organisation, year: int):
    return (
        organisation.mentee_entries.filter(school_year=year)
        .select_related("person")
        .prefetch_related("person__tags")
        .order_by(*NAME_ORDER)
    )


def partners_with_mentor_counts(*, organisation: Organisation, year: int):
    """Partners with ``mentors_provided`` (employees in the year's mentor base) and
    ``mentors_planned_total`` (agreements in force during the year), computed in the query."""
    start, end = school_year_bounds(year)
    provided = (
        MentorEntry.objects.filter(organisation=organisation, school_year=year, person__partner=OuterRef("pk"))
        .order_by()
        .values("person__partner")
        .annotate(n=Count("person", distinct=True))
        .values("n")
    )
    planned = (
        PartnerAgreement.objects.filter(partner=OuterRef("pk"), signed_on__lte=end)
        .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=start))
        .order_by()
        .values("partner")
        .annotate(total=Sum("mentors_planned"))
        .values("total")
    )
    return (
        organisation.partners.annotate(
            mentors_provided=Coalesce(Subquery(provided, output_field=IntegerField()), 0),
            mentors_planned_total=Coalesce(Subquery(planned, output_field=IntegerField()), 0),
        )
        .prefetch_related(Prefetch("agreements", queryset=PartnerAgreement.objects.order_by("-signed_on")))
        .order_by("name", "pk")
    )
