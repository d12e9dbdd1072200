"""«Об установлении выплаты за наставничество»: pay to employee mentors under ст. 351.8 ТК РФ.

The order lists the mentors (people); each must have an additional agreement that sets the pay.
Its appendix is the table of the mentors with their bases (consent, agreement, labour contract), the
pay rule, the monthly amount and the term; the accountant's pay register takes the approved order as
the basis of the payment.
"""

from mentorship.employment import AdditionalAgreement
from reports.orders.kinds import OrderType, TemplateSeed
from reports.orders.order_types._employees import ACCOUNTANT, LABOUR_CODE
from reports.orders.order_types._wording import (
    DIRECTOR,
    IN_3_DAYS,
    ON_SIGNING,
    ORDER_R145,
    SCHOOL_REGULATION,
    point,
)

SEED = TemplateSeed(
    title="Об установлении выплаты за наставничество",
    preamble=(
        f"В соответствии с {LABOUR_CODE}, {ORDER_R145}, Положением об оплате труда работников "
        f"{{organisation_short}}, {SCHOOL_REGULATION}, на основании письменных согласий работников на выполнение "
        "наставничества и дополнительных соглашений к трудовым договорам, в целях оплаты наставничества работников "
        "в рамках {programme_genitive},"
    ),
    points=(
        point(
            "Установить работникам, выполняющим наставничество с их письменного согласия, ежемесячную выплату "
            "за наставничество в размерах и на сроки, определённые дополнительными соглашениями к трудовым "
            "договорам, согласно {appendix_pay}.",
            DIRECTOR,
            ON_SIGNING,
        ),
        point(
            "Производить выплату за наставничество ежемесячно пропорционально дням наставничества в месяце "
            "на основании реестра выплат за наставничество и прекращать её после последнего дня наставничества.",
            ACCOUNTANT,
            "ежемесячно",
        ),
        point("Ознакомить работников с настоящим приказом под подпись.", DIRECTOR, IN_3_DAYS),
    ),
)

ERROR_NO_MENTORS = "В приказ не включено ни одного наставника: выберите работников, которым устанавливается выплата."
ERROR_NO_AGREEMENT = (
    "У работников нет дополнительного соглашения о наставничестве, в котором установлен размер выплаты: {names}."
)


def mentors_have_agreements(order) -> list[str]:
    people = list(order.people.order_by("last_name", "first_name"))
    if not people:
        return [ERROR_NO_MENTORS]
    with_agreement = set(
        AdditionalAgreement.objects.filter(organisation=order.organisation, pair__mentor__in=people).values_list(
            "pair__mentor_id", flat=True
        )
    )
    missing = [person.full_name for person in people if person.pk not in with_agreement]
    return [ERROR_NO_AGREEMENT.format(names=", ".join(missing))] if missing else []


ORDER_TYPE = OrderType(
    code="mentoring_pay",
    title="Об установлении выплаты за наставничество",
    seed=SEED,
    subjects=frozenset({"people"}),
    appendices=("pay",),
    checks=(mentors_have_agreements,),
    position=45,
)
