"""«Об организации «Школы наставников»»: training of the mentors."""

from reports.orders.kinds import OrderType, TemplateSeed
from reports.orders.order_types._wording import (
    CURATOR,
    DIRECTOR,
    IN_10_DAYS,
    ON_SIGNING,
    ORDER_R145,
    SCHOOL_REGULATION,
    SCHOOL_YEAR,
    point,
)
from roadmap.stages import Stage

SEED = TemplateSeed(
    title="Об организации «Школы наставников»",
    preamble=(
        f"В соответствии с {ORDER_R145}, {SCHOOL_REGULATION}, в целях повышения профессиональной "
        "компетентности наставников, оказания им методической помощи и обмена опытом наставнической "
        "деятельности,"
    ),
    points=(
        point(
            "Организовать в {school_year} учебном году работу «Школы наставников» для наставников, "
            "включённых в реестр наставников {organisation_short}, в том числе работников, выполняющих "
            "наставничество с их письменного согласия (статья 351.8 Трудового кодекса Российской Федерации).",
            CURATOR,
            SCHOOL_YEAR,
        ),
        point("Назначить {curator_accusative} руководителем «Школы наставников».", DIRECTOR, ON_SIGNING),
        point(
            "Поручить {curator_dative} разработать и представить на утверждение план занятий «Школы "
            "наставников», включив в него основы наставнической деятельности, психолого-педагогическое "
            "сопровождение наставляемых, составление индивидуальных планов и оценку их выполнения.",
            CURATOR,
            IN_10_DAYS,
        ),
        point(
            "Привлекать к проведению занятий педагога-психолога, опытных наставников и представителей "
            "организаций-партнёров.",
            CURATOR,
            "в соответствии с планом занятий",
        ),
        point(
            "Обеспечить участие наставников в занятиях, в том числе с применением дистанционных "
            "образовательных технологий, и учёт их посещения.",
            CURATOR,
            SCHOOL_YEAR,
        ),
        point(
            "Вносить сведения о пройденном обучении в портфолио наставников.",
            CURATOR,
            "по окончании обучения",
        ),
    ),
)


ORDER_TYPE = OrderType(
    code="training",
    title="Об организации «Школы наставников»",
    seed=SEED,
    subjects=frozenset({"people"}),
    stage=Stage.MENTOR_TRAINING,
    position=30,
)
