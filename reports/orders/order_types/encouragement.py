"""«О поощрении участников программы наставничества»: thanks that go into the portfolio."""

from reports.orders.kinds import OrderType, TemplateSeed
from reports.orders.order_types._wording import (
    CURATOR,
    DIRECTOR,
    IN_5_DAYS,
    ON_SIGNING,
    ORDER_R145,
    SCHOOL_REGULATION,
    SITE,
    point,
)
from roadmap.stages import Stage

SEED = TemplateSeed(
    title="О поощрении участников программы наставничества",
    preamble=(
        f"В соответствии с {ORDER_R145}, {SCHOOL_REGULATION}, по итогам реализации "
        "{programme_genitive}, в целях признания вклада участников в развитие наставничества,"
    ),
    points=(
        point(
            "Объявить благодарность за добросовестную работу и высокие результаты в программе "
            "наставничества: {people_dative}.",
            DIRECTOR,
            ON_SIGNING,
        ),
        point(
            "Вручить благодарственные письма поощрённым участникам на итоговом мероприятии программы наставничества.",
            CURATOR,
            "на итоговом мероприятии",
        ),
        point("Внести сведения о поощрении в портфолио участников программы наставничества.", CURATOR, IN_5_DAYS),
        point(
            "Рассмотреть вопрос об установлении наставникам стимулирующих выплат за особые достижения "
            "в наставнической деятельности сверх выплаты за наставничество, установленной работникам "
            "по статье 351.8 Трудового кодекса Российской Федерации, в соответствии с положением "
            "об оплате труда работников {organisation_short}.",
            "Комиссия по распределению стимулирующей части фонда оплаты труда",
            "на ближайшем заседании комиссии",
        ),
        point(
            "Разместить информацию о поощрении на официальном сайте {organisation_short} при наличии "
            "согласия участников на распространение их персональных данных.",
            SITE,
            IN_5_DAYS,
        ),
    ),
)

ERROR_NO_PEOPLE = "Выберите участников, которых приказ поощряет."


def lists_people(order) -> list[str]:
    return [] if order.people.exists() or order.partners.exists() else [ERROR_NO_PEOPLE]


ORDER_TYPE = OrderType(
    code="encouragement",
    title="О поощрении участников программы наставничества",
    seed=SEED,
    subjects=frozenset({"people", "partners"}),
    stage=Stage.COMPLETION,
    checks=(lists_people,),
    awards=True,
    position=70,
)
