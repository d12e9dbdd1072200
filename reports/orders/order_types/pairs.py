"""«О закреплении наставнических пар (групп)»: approval starts the pairs' work."""

from mentorship.models import Pair
from mentorship.services import pair_activate, pair_approve
from reports.orders.kinds import OrderType, TemplateSeed
from reports.orders.order_types._employees import LABOUR_CODE, employee_mentors_consented
from reports.orders.order_types._wording import (
    CURATOR,
    DIRECTOR,
    IN_3_DAYS,
    IN_10_DAYS,
    MENTORS,
    ON_SIGNING,
    ORDER_R145,
    PERMANENT,
    SCHOOL_REGULATION,
    point,
)
from roadmap.stages import Stage

SEED = TemplateSeed(
    title="О закреплении наставнических пар (групп)",
    preamble=(
        f"В соответствии с {LABOUR_CODE}, {ORDER_R145}, {SCHOOL_REGULATION}, на основании результатов "
        "подбора наставников и наставляемых, письменных согласий работников на выполнение наставничества "
        "и письменных согласий участников (родителей (законных представителей) несовершеннолетних участников), "
        "в целях реализации {programme_genitive},"
    ),
    points=(
        point(
            "Закрепить наставнические пары (группы) на период {programme_period} согласно {appendix_pairs}.",
            CURATOR,
            ON_SIGNING,
        ),
        point(
            "Заключить с работниками, выполняющими наставничество, дополнительные соглашения к трудовым "
            "договорам о содержании, сроке и форме наставничества и размере выплаты за него (статья 351.8 "
            "Трудового кодекса Российской Федерации).",
            DIRECTOR,
            "до начала наставничества",
        ),
        point(
            "Поручить наставникам совместно с наставляемыми разработать индивидуальные планы развития "
            "и представить их куратору на согласование.",
            MENTORS,
            IN_10_DAYS,
        ),
        point(
            "Организовать первую (установочную) встречу наставников и наставляемых.",
            CURATOR,
            "в течение 2 недель со дня подписания приказа",
        ),
        point(
            "Поручить {curator_dative} вести учёт встреч наставнических пар (групп), осуществлять "
            "мониторинг их работы и оказывать наставникам методическую помощь.",
            CURATOR,
            PERMANENT,
        ),
        point(
            "Ознакомить наставников, наставляемых и родителей (законных представителей) "
            "несовершеннолетних наставляемых с настоящим приказом.",
            CURATOR,
            IN_3_DAYS,
        ),
    ),
)

ERROR_NO_PAIRS = "В приказ не включено ни одной пары: отметьте пары, которые он закрепляет."
ERROR_PAIR_NOT_DRAFT = "Пара «{pair}» уже {status}: закрепить приказом можно только черновик пары."


def draft_pairs(organisation, programme) -> dict:
    return {"pairs": list(organisation.pairs.filter(programme=programme, status=Pair.Status.DRAFT))}


def lists_draft_pairs(order) -> list[str]:
    pairs = list(order.pairs.select_related("mentor", "form"))
    problems = [] if pairs else [ERROR_NO_PAIRS]
    return problems + [
        ERROR_PAIR_NOT_DRAFT.format(pair=pair, status=pair.get_status_display())
        for pair in pairs
        if pair.status != Pair.Status.DRAFT
    ]


def approve_pairs(order, user) -> None:
    label = f"Приказ {order.label}"
    for pair in order.pairs.all():
        pair_approve(pair=pair, user=user, order_label=label)
        pair_activate(pair=pair, user=user)


ORDER_TYPE = OrderType(
    code="pairs",
    title="О закреплении наставнических пар (групп)",
    seed=SEED,
    appendices=("pairs",),
    subjects=frozenset({"pairs"}),
    stage=Stage.PAIRING,
    default_subjects=draft_pairs,
    checks=(lists_draft_pairs, employee_mentors_consented),
    effects=approve_pairs,
    position=40,
)
