"""«Об утверждении реестра наставников»: the school year's mentors, approved."""

from participants.models import MentorEntry
from participants.services_bases import mentor_set_status
from reports.orders.kinds import OrderType, TemplateSeed
from reports.orders.order_types._employees import LABOUR_CODE, register_mentors_consented
from reports.orders.order_types._wording import (
    CURATOR,
    IN_3_DAYS,
    MENTORS,
    ON_SIGNING,
    ORDER_R145,
    PERMANENT,
    PROGRAMME_TERM,
    SCHOOL_REGULATION,
    point,
)
from roadmap.stages import Stage

SEED = TemplateSeed(
    title="Об утверждении реестра наставников на {school_year} учебный год",
    preamble=(
        f"В соответствии с {LABOUR_CODE}, {ORDER_R145}, {SCHOOL_REGULATION}, на основании письменных "
        "согласий лиц, изъявивших желание участвовать в наставнической деятельности, в том числе письменных "
        "согласий работников на выполнение наставничества, в целях реализации {programme_genitive},"
    ),
    points=(
        point(
            "Утвердить реестр наставников {organisation_short} на {school_year} учебный год "
            "согласно {appendix_register}.",
            CURATOR,
            ON_SIGNING,
        ),
        point(
            "Возложить на наставников, включённых в реестр, с их письменного согласия сопровождение "
            "наставляемых в соответствии с Положением о наставничестве, индивидуальными планами и, для "
            "работников, дополнительными соглашениями к трудовым договорам, устанавливающими выплату "
            "за наставничество.",
            MENTORS,
            PROGRAMME_TERM,
        ),
        point(
            "Поручить {curator_dative} вести реестр наставников и своевременно вносить в него изменения "
            "при включении новых наставников и завершении наставничества.",
            CURATOR,
            PERMANENT,
        ),
        point(
            "Организовать обучение наставников, впервые включённых в реестр, в «Школе наставников».",
            CURATOR,
            "в течение первого полугодия {school_year} учебного года",
        ),
        point("Ознакомить наставников с настоящим приказом под роспись.", CURATOR, IN_3_DAYS),
    ),
)

ERROR_NO_MENTORS = "В приказ не включено ни одного наставника."


def candidates(organisation, programme) -> dict:
    return {
        "mentor_entries": list(
            organisation.mentor_entries.filter(
                school_year=programme.school_year, status=MentorEntry.Status.CANDIDATE
            ).select_related("person")
        )
    }


def lists_mentors(order) -> list[str]:
    return [] if order.mentor_entries.exists() else [ERROR_NO_MENTORS]


def approve_candidates(order, user) -> None:
    for entry in order.mentor_entries.filter(status=MentorEntry.Status.CANDIDATE):
        mentor_set_status(entry=entry, status=MentorEntry.Status.APPROVED, user=user, on=order.approved_on)


ORDER_TYPE = OrderType(
    code="mentor_register",
    title="Об утверждении реестра наставников",
    seed=SEED,
    appendices=("register",),
    subjects=frozenset({"mentor_entries"}),
    stage=Stage.MENTOR_BASE,
    default_subjects=candidates,
    checks=(lists_mentors, register_mentors_consented),
    effects=approve_candidates,
    approves_register=True,
    position=20,
)
