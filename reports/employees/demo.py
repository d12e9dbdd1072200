"""The demo's employee mentors (ст. 351.8 ТК РФ) in school-1: the teachers who mentor students
have written consents (scans) and additional agreements under the school's pay rule; one order
«Об установлении выплаты за наставничество» is approved, so the pay register has October and
November; one teacher refused early in November and the order ending that mentoring is approved.

Run again, it adds nothing: a school that already has a pay rule is left alone.
"""

import datetime
from decimal import Decimal

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from mentorship.employment import PayRule
from mentorship.models import Pair
from mentorship.selectors_employees import employee_pair_condition
from mentorship.services_employees import (
    agreement_conclude,
    consent_record,
    early_end_register,
    employment_terms_save,
    pay_rule_add,
)
from organisations.models import Membership
from organisations.roles import Role
from organisations.school_year import current_school_year
from reports.employees.services import pay_order_draft
from reports.orders.demo import visas_through
from reports.orders.services import order_approve, order_draft, order_submit

DEMO_SCHOOL = "school-1"
# A scan stands for the signed paper: the smallest file a PDF reader and our scan check accept.
SCAN = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
SALARY = Decimal("42000.00")


def _user(school, role):
    membership = Membership.objects.filter(organisation=school, role=role).select_related("user").order_by("pk").first()
    return membership.user if membership else None


def demo_employees(*, schools, today: datetime.date | None = None) -> int:
    """Paperwork of the employee mentors of school-1; returns how many agreements were made."""
    today = today or timezone.localdate()
    year = current_school_year(today)
    made = 0
    for school in schools:
        if school.slug != DEMO_SCHOOL or PayRule.objects.filter(organisation=school).exists():
            continue
        programme = school.programmes.filter(school_year=year).order_by("pk").first()
        if programme is None:
            continue
        with transaction.atomic():
            made += _school(school, programme, year=year, today=today)
    return made


def _day(year: int, month: int, day: int, today: datetime.date) -> datetime.date:
    return min(datetime.date(year, month, day), today)


def _school(school, programme, *, year: int, today: datetime.date) -> int:
    curator = _user(school, Role.CURATOR) or _user(school, Role.DIRECTOR)
    director = _user(school, Role.DIRECTOR) or curator
    pay_rule_add(
        organisation=school,
        basis=PayRule.Basis.FIXED,
        amount=Decimal("3000.00"),
        valid_from=datetime.date(year, 9, 1),
        source="Положение об оплате труда работников, п. 5.4",
    )
    pairs = list(
        programme.pairs.filter(employee_pair_condition())
        .exclude(status__in=[Pair.Status.DRAFT, Pair.Status.CLOSED])
        .select_related("mentor")
        .order_by("pk")
    )
    for number, pair in enumerate(pairs, start=1):
        mentor = pair.mentor
        if not hasattr(mentor, "employment"):
            employment_terms_save(
                organisation=school,
                person=mentor,
                contract_number=f"{number + 10}-ТД",
                contract_date=datetime.date(2015 + number % 8, 8, 26),
                salary_rate=SALARY,
            )
        consent_record(
            pair=pair,
            signed_on=_day(year, 9, 29, today),
            scan=ContentFile(SCAN, name=f"согласие-{mentor.pk}.pdf"),
            user=curator,
        )
        agreement_conclude(pair=pair, concluded_on=_day(year, 10, 1, today), user=curator)
    if not pairs:
        return 0
    order = pay_order_draft(organisation=school, programme=programme, user=curator)
    order_submit(order=order, user=curator)
    approved_on = _day(year, 10, 13, today)
    visas_through(order, on=approved_on - datetime.timedelta(days=1))
    order_approve(order=order, user=director, on=approved_on)

    # One teacher refuses in November: her right under ч. 4 ст. 351.8 ТК РФ, not a fault.
    notice_on = datetime.date(year, 11, 13)
    refusing = pairs[-1]
    if len(pairs) > 1 and today > notice_on + datetime.timedelta(days=10):
        early_end_register(pair=refusing, initiator="mentor", notice_on=notice_on, user=curator)
        end_order = order_draft(organisation=school, kind="mentoring_end", programme=programme, user=curator)
        order_submit(order=end_order, user=curator)
        visas_through(end_order, on=notice_on)
        order_approve(order=end_order, user=director, on=notice_on + datetime.timedelta(days=1))
    return len(pairs)
