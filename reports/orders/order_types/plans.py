"""«Об утверждении индивидуальных планов»: the plans of the pairs at work."""

from mentorship.models import IndividualPlan, Pair
from mentorship.services_plans import plan_approve
from reports.orders.kinds import OrderType, TemplateSeed
from reports.orders.order_types._wording import (
    CURATOR,
    IN_3_DAYS,
    MENTORS,
    ON_SIGNING,
    ORDER_R145,
    PROGRAMME_TERM,
    QUARTERLY,
    SCHOOL_REGULATION,
    point,
)
from roadmap.stages import Stage

SEED = TemplateSeed(
    title="Об утверждении индивидуальных планов развития наставляемых",
    preamble=(
        f"В соответствии с {ORDER_R145}, {SCHOOL_REGULATION}, в целях реализации "
        "{programme_genitive} и планомерной работы наставнических пар (групп),"
    ),
    points=(
        point(
            "Утвердить индивидуальные планы развития наставляемых под руководством наставника "
            "согласно {appendix_plans}.",
            CURATOR,
            ON_SIGNING,
        ),
        point(
            "Поручить наставникам обеспечить выполнение мероприятий индивидуальных планов в установленные "
            "сроки и отмечать их выполнение.",
            MENTORS,
            PROGRAMME_TERM,
        ),
        point(
            "Поручить {curator_dative} анализировать выполнение индивидуальных планов и докладывать "
            "о его результатах на совещании при директоре.",
            CURATOR,
            QUARTERLY,
        ),
        point(
            "Вносить изменения в индивидуальные планы по мотивированному предложению наставника "
            "по согласованию с куратором.",
            MENTORS,
            "по мере необходимости",
        ),
        point("Ознакомить наставников и наставляемых с утверждёнными индивидуальными планами.", CURATOR, IN_3_DAYS),
    ),
)

ERROR_NO_PLANS = "В приказ не включено ни одного индивидуального плана."


def draft_plans(organisation, programme) -> dict:
    return {
        "plans": list(
            IndividualPlan.objects.filter(
                organisation=organisation, pair__programme=programme, status=IndividualPlan.Status.DRAFT
            ).exclude(pair__status=Pair.Status.DRAFT)
        )
    }


def lists_plans(order) -> list[str]:
    return [] if order.plans.exists() else [ERROR_NO_PLANS]


def approve_plans(order, user) -> None:
    for plan in order.plans.all():
        plan_approve(plan=plan, user=user, on=order.approved_on)


ORDER_TYPE = OrderType(
    code="plans",
    title="Об утверждении индивидуальных планов",
    seed=SEED,
    appendices=("plans",),
    subjects=frozenset({"plans"}),
    stage=Stage.PAIR_WORK,
    default_subjects=draft_plans,
    checks=(lists_plans,),
    effects=approve_plans,
    position=50,
)
