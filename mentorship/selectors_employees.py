"""Who mentors as an employee of the school (ст. 351.8 ТК РФ) and what of their paperwork is missing."""

import datetime

from django.db.models import Prefetch, Q

from mentorship.employment import CalendarCorrection, PayRule
from mentorship.models import Pair
from organisations.models import Organisation
from participants.models import Person

# Staff of the school: its teachers and other staff are kept under the «Педагог» category.
STAFF_CATEGORIES = (Person.Category.TEACHER,)
EMPLOYEE_PAIR_STATUSES = (Pair.Status.DRAFT, Pair.Status.APPROVED, Pair.Status.ACTIVE, Pair.Status.CLOSED)

ERROR_NO_CONSENT = (
    "Нет письменного согласия работника на наставничество (ст. 351.8 ТК РФ): {names}. "
    "Распечатайте согласие, получите подпись и приложите скан в разделе «Наставники-работники»."
)


def is_employee(person: Person) -> bool:
    """A member of the school's staff, unless the school marked the exception."""
    if person.category not in STAFF_CATEGORIES:
        return False
    terms = employment_of(person)
    return not (terms is not None and terms.not_employee_mentor)


def employment_of(person: Person):
    """The person's labour contract record, or None."""
    try:
        return person.employment
    except Person.employment.RelatedObjectDoesNotExist:
        return None


def employee_pair_condition(prefix: str = "") -> Q:
    """Pairs whose mentor is an employee mentor (for filter())."""
    return Q(**{f"{prefix}mentor__category__in": STAFF_CATEGORIES}) & ~Q(
        **{f"{prefix}mentor__employment__not_employee_mentor": True}
    )


def employee_pairs(*, organisation: Organisation):
    """The school's pairs and groups led by employee mentors, with what their documents need."""
    return (
        organisation.pairs.filter(employee_pair_condition())
        .select_related(
            "mentor",
            "mentor__employment",
            "programme",
            "form",
            "employee_consent",
            "agreement",
            "early_end",
        )
        .prefetch_related(Prefetch("mentees", queryset=Person.objects.order_by("last_name", "first_name")))
        .order_by("mentor__last_name", "mentor__first_name", "pk")
    )


def pairs_without_consent(pairs) -> list[Pair]:
    """Of the given pairs, those of employee mentors with no written consent recorded."""
    return list(
        pairs.filter(employee_pair_condition(), employee_consent__isnull=True)
        .select_related("mentor")
        .order_by("mentor__last_name", "mentor__first_name", "pk")
    )


def consent_problems(pairs) -> list[str]:
    """One Russian message naming every employee mentor whose consent is missing; [] when none is."""
    missing = pairs_without_consent(pairs)
    if not missing:
        return []
    names = ", ".join(dict.fromkeys(pair.mentor.full_name for pair in missing))
    return [ERROR_NO_CONSENT.format(names=names)]


def calendar_corrections(*, organisation: Organisation) -> dict[datetime.date, bool]:
    return dict(CalendarCorrection.objects.filter(organisation=organisation).values_list("day", "is_working"))


def pay_rule_on(*, organisation: Organisation, day: datetime.date) -> PayRule | None:
    """The pay rule in force on a day (the latest that started by then)."""
    return (
        PayRule.objects.filter(organisation=organisation, valid_from__lte=day)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
        .order_by("-valid_from", "-pk")
        .first()
    )


def money(amount) -> str:
    """«3 000,00»: rubles as Russian documents write them."""
    return f"{amount:,.2f}".replace(",", " ").replace(".", ",")


def pay_text(agreement) -> str:
    """The agreement's pay as its text and the pay order print it."""
    amount = money(agreement.monthly_amount)
    if agreement.pay_basis == PayRule.Basis.PERCENT:
        rate = f"{agreement.pay_rate:g}".replace(".", ",")
        return f"{rate} % должностного оклада (ставки), что составляет {amount} руб. в месяц"
    if agreement.pay_basis == PayRule.Basis.PER_MENTEE:
        rate = money(agreement.pay_rate)
        return f"{rate} руб. в месяц за каждого наставляемого, всего {amount} руб. в месяц"
    return f"{amount} руб. в месяц"
