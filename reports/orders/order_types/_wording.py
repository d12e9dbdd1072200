"""Phrases the standard order texts share (the same wording migration 0002 seeded the rows with).

Our own wording, following the conventions of school orders: a preamble «В соответствии с …,
в целях …,» that runs into «ПРИКАЗЫВАЮ:», points that start with an infinitive, each with the
person responsible and the deadline. An appendix placeholder becomes «приложению № N», so it
follows «согласно». {school_year} comes from the order's programme; district orders usually have
none, so their texts do without it.
"""

LAW_273 = "Федеральным законом от 29.12.2012 № 273-ФЗ «Об образовании в Российской Федерации»"
R145 = (
    "Министерства просвещения Российской Федерации от 25.12.2019 № Р-145 "
    "«Об утверждении методологии (целевой модели) наставничества обучающихся для организаций, "
    "осуществляющих образовательную деятельность по общеобразовательным, дополнительным "
    "общеобразовательным и программам среднего профессионального образования, в том числе "
    "с применением лучших практик обмена опытом между обучающимися»"
)
ORDER_R145 = f"распоряжением {R145}"
TEACHERS_RECOMMENDATIONS = (
    "методическими рекомендациями по разработке и внедрению системы (целевой модели) наставничества "
    "педагогических работников в образовательных организациях (письмо Министерства просвещения "
    "Российской Федерации от 21.12.2021 № АЗ-1128/08)"
)
SCHOOL_REGULATION = "Положением о наставничестве в {organisation_short}"


CURATOR = "{curator_initials}"
DIRECTOR = "{director_initials}"
MENTORS = "Наставники"
SITE = "Ответственный за ведение официального сайта"
HEADS = "Руководители общеобразовательных организаций района"

ON_SIGNING = "со дня подписания приказа"
PERMANENT = "постоянно"
QUARTERLY = "ежеквартально"
IN_3_DAYS = "в течение 3 рабочих дней со дня подписания приказа"
IN_5_DAYS = "в течение 5 рабочих дней со дня подписания приказа"
IN_10_DAYS = "в течение 10 рабочих дней со дня подписания приказа"
IN_A_MONTH = "в течение месяца со дня подписания приказа"
SCHOOL_YEAR = "в течение {school_year} учебного года"
PROGRAMME_TERM = "в течение срока реализации программы"


def point(action: str, responsible: str, deadline: str) -> dict:
    return {"action": action, "responsible": responsible, "deadline": deadline}
