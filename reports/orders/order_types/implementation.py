"""«О внедрении целевой модели наставничества и назначении куратора»: the school starts the programme."""

from mentorship.models import Programme
from reports.orders.kinds import OrderType, TemplateSeed
from reports.orders.order_types._checks import names_a_curator
from reports.orders.order_types._wording import (
    CURATOR,
    DIRECTOR,
    IN_5_DAYS,
    IN_A_MONTH,
    LAW_273,
    ON_SIGNING,
    ORDER_R145,
    PROGRAMME_TERM,
    SCHOOL_YEAR,
    SITE,
    TEACHERS_RECOMMENDATIONS,
    point,
)
from roadmap.stages import Stage

SEED = TemplateSeed(
    title="О внедрении целевой модели наставничества и назначении куратора",
    preamble=(
        f"В соответствии с {LAW_273}, {ORDER_R145}, {TEACHERS_RECOMMENDATIONS}, в целях создания "
        "условий для личностного и профессионального развития обучающихся и педагогических работников "
        "{organisation_short}, раскрытия их потенциала и распространения лучших практик наставничества,"
    ),
    points=(
        point(
            "Внедрить в {organisation_short} целевую модель наставничества обучающихся и педагогических "
            "работников в {school_year} учебном году.",
            CURATOR,
            SCHOOL_YEAR,
        ),
        point(
            "Назначить {curator_accusative} куратором внедрения целевой модели наставничества в {organisation_short}.",
            DIRECTOR,
            ON_SIGNING,
        ),
        point(
            "Утвердить Положение о наставничестве в {organisation_short} согласно {appendix_regulation}.",
            CURATOR,
            ON_SIGNING,
        ),
        point(
            "Утвердить дорожную карту внедрения целевой модели наставничества в {organisation_short} "
            "на {school_year} учебный год согласно {appendix_roadmap}.",
            CURATOR,
            ON_SIGNING,
        ),
        point(
            "Поручить {curator_dative} организовать реализацию {programme_genitive} "
            "в период {programme_period} и выполнение мероприятий дорожной карты в установленные сроки.",
            CURATOR,
            PROGRAMME_TERM,
        ),
        point(
            "Сформировать базы наставников и наставляемых, получить письменные согласия участников "
            "(родителей (законных представителей) несовершеннолетних участников) на участие в программе "
            "наставничества и обработку персональных данных.",
            CURATOR,
            IN_A_MONTH,
        ),
        point(
            "Разместить настоящий приказ, Положение о наставничестве и дорожную карту на официальном сайте "
            "{organisation_short} в разделе «Наставничество».",
            SITE,
            IN_5_DAYS,
        ),
    ),
)


def appoint_curator(order, user) -> None:
    """The programme's curator becomes the one the order appoints."""
    if order.programme_id and order.curator_id:
        Programme.objects.filter(pk=order.programme_id).update(curator=order.curator_id)


ORDER_TYPE = OrderType(
    code="implementation",
    title="О внедрении целевой модели наставничества и назначении куратора",
    seed=SEED,
    appendices=("regulation", "roadmap"),
    subjects=frozenset({"curator", "regulation"}),
    stage=Stage.PREPARATION,
    author_is_curator=True,
    checks=(names_a_curator,),
    effects=appoint_curator,
    position=10,
)
