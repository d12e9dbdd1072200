"""«О досрочном прекращении наставничества»: the mentor's refusal or the school's cancellation
(ст. 351.8 ТК РФ). Approval closes the pairs on their end dates; pay stops there."""

from mentorship.employment import EarlyEnd
from mentorship.services_employees import early_end_apply
from reports.orders.kinds import OrderType, TemplateSeed
from reports.orders.order_types._employees import ACCOUNTANT, LABOUR_CODE_ARTICLE
from reports.orders.order_types._wording import (
    CURATOR,
    DIRECTOR,
    IN_3_DAYS,
    ON_SIGNING,
    ORDER_R145,
    SCHOOL_REGULATION,
    point,
)

SEED = TemplateSeed(
    title="О досрочном прекращении наставничества",
    preamble=(
        f"В соответствии с частью 4 {LABOUR_CODE_ARTICLE}, {ORDER_R145}, {SCHOOL_REGULATION}, на основании заявлений "
        "работников об отказе от выполнения наставничества (уведомлений работодателя об отмене поручения "
        "о наставничестве), поданных не позднее чем за три рабочих дня, в целях продолжения сопровождения "
        "наставляемых в рамках {programme_genitive},"
    ),
    points=(
        point(
            "Прекратить досрочно наставничество работников в наставнических парах (группах) согласно "
            "{appendix_pairs}; последний день наставничества — указанный в заявлении (уведомлении).",
            DIRECTOR,
            ON_SIGNING,
        ),
        point("Прекратить выплату за наставничество после последнего дня наставничества.", ACCOUNTANT, ON_SIGNING),
        point(
            "Закрепить наставляемых за другими наставниками с письменного согласия наставников.",
            CURATOR,
            "в течение 10 рабочих дней со дня подписания приказа",
        ),
        point("Ознакомить работников с настоящим приказом под подпись.", CURATOR, IN_3_DAYS),
    ),
)

ERROR_NO_PAIRS = "В приказ не включено ни одной пары: отметьте пары, наставничество в которых прекращается."
ERROR_NO_NOTICE = (
    "Для пары «{pair}» не внесены заявление работника или уведомление работодателя о досрочном прекращении."
)


def pending_ends(organisation, programme) -> dict:
    pairs = organisation.pairs.filter(programme=programme, early_end__isnull=False, early_end__order_label="")
    return {"pairs": list(pairs)}


def lists_pairs_with_notice(order) -> list[str]:
    pairs = list(order.pairs.select_related("mentor", "form"))
    if not pairs:
        return [ERROR_NO_PAIRS]
    noticed = set(EarlyEnd.objects.filter(pair__in=pairs).values_list("pair_id", flat=True))
    return [ERROR_NO_NOTICE.format(pair=pair) for pair in pairs if pair.pk not in noticed]


def close_pairs(order, user) -> None:
    for pair in order.pairs.all():
        early_end_apply(pair=pair, order_label=f"Приказ {order.label}")


ORDER_TYPE = OrderType(
    code="mentoring_end",
    title="О досрочном прекращении наставничества",
    seed=SEED,
    appendices=("pairs",),
    subjects=frozenset({"pairs"}),
    default_subjects=pending_ends,
    checks=(lists_pairs_with_notice,),
    effects=close_pairs,
    position=55,
)
