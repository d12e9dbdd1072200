"""«О назначении муниципального куратора»: a district's order."""

from reports.orders.kinds import OrderType, TemplateSeed
from reports.orders.order_types._checks import names_a_curator
from reports.orders.order_types._wording import (
    CURATOR,
    DIRECTOR,
    HEADS,
    IN_5_DAYS,
    IN_10_DAYS,
    ON_SIGNING,
    ORDER_R145,
    PERMANENT,
    QUARTERLY,
    SITE,
    point,
)

SEED = TemplateSeed(
    title="О назначении муниципального куратора целевой модели наставничества",
    preamble=(
        f"В соответствии с {ORDER_R145}, в целях координации внедрения целевой модели наставничества "
        "в общеобразовательных организациях района и их методического сопровождения,"
    ),
    points=(
        point(
            "Назначить {curator_accusative} муниципальным куратором внедрения целевой модели наставничества "
            "в общеобразовательных организациях района.",
            DIRECTOR,
            ON_SIGNING,
        ),
        point(
            "Поручить {curator_dative} координировать деятельность кураторов наставничества "
            "общеобразовательных организаций района и оказывать им методическую и консультационную помощь.",
            CURATOR,
            PERMANENT,
        ),
        point(
            "Поручить руководителям общеобразовательных организаций района назначить кураторов "
            "наставничества и сообщить о назначении муниципальному куратору.",
            HEADS,
            IN_10_DAYS,
        ),
        point(
            "Организовать мониторинг реализации целевой модели наставничества в общеобразовательных "
            "организациях района и обобщать его результаты.",
            CURATOR,
            QUARTERLY,
        ),
        point(
            "Подготовить аналитический отчёт о реализации целевой модели наставничества в районе "
            "по итогам учебного года.",
            CURATOR,
            "по окончании учебного года",
        ),
        point("Разместить настоящий приказ на официальном сайте {organisation_short}.", SITE, IN_5_DAYS),
    ),
)


ORDER_TYPE = OrderType(
    code="district_curator",
    title="О назначении муниципального куратора",
    seed=SEED,
    subjects=frozenset({"curator"}),
    district=True,
    author_is_curator=True,
    checks=(names_a_curator,),
    position=80,
)
