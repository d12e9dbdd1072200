"""The standard federal set of monitoring indicators and their every-year targets (issue 20).

The rows are written here, not read from the code, so that a later change of the library's texts
does not change what this migration seeds. A region or district edits its own targets per year.
"""

from django.db import migrations

# code, title, short title, description, unit, federal target (every year), active
STANDARD = (
    (
        "students_involved",
        "Обучающиеся в программе наставничества",
        "Обучающиеся в программе",
        "Доля обучающихся школы, которые в этом периоде состоят в наставнической паре или группе наставником или наставляемым. Федеральный ориентир — 70 %.",
        "percent",
        70,
        True,
    ),
    (
        "mentors_students",
        "Наставники среди обучающихся",
        "Наставники из обучающихся",
        "Доля обучающихся, которые стали наставниками: в реестре наставников учебного года или наставник пары. Ориентир — не менее 10 %.",
        "percent",
        10,
        True,
    ),
    (
        "mentors_teachers",
        "Наставники среди педагогов",
        "Наставники из педагогов",
        "Доля педагогов, которые стали наставниками: в реестре наставников учебного года или наставник пары. Ориентир — не менее 10 %.",
        "percent",
        10,
        True,
    ),
    (
        "young_specialists",
        "Молодые специалисты с наставником",
        "Молодые специалисты с наставником",
        "Доля педагогов со стажем до 3 лет, которые состоят наставляемыми в паре или группе.",
        "percent",
        None,
        True,
    ),
    (
        "pairs_coverage",
        "Наставляемые из базы в парах",
        "База наставляемых в парах",
        "Доля участников базы наставляемых учебного года (включённых в базу, в паре или завершивших), которые состоят в паре или группе. Цель — 100 %.",
        "percent",
        100,
        True,
    ),
    (
        "consent_coverage",
        "Согласия на обработку персональных данных",
        "Согласия",
        "Доля участников (обучающиеся, педагоги, выпускники, сотрудники партнёров) с действующим согласием на участие в программе. Цель — 100 %.",
        "percent",
        100,
        True,
    ),
    (
        "plan_fulfilment",
        "Выполнение индивидуальных планов",
        "Выполнение планов",
        "Доля выполненных мероприятий индивидуальных планов пар и групп из всех запланированных на период. Цель — не менее 90 %.",
        "percent",
        90,
        True,
    ),
    (
        "partner_share",
        "Партнёры, предоставившие наставников",
        "Партнёры с наставниками",
        "Доля организаций-партнёров школы, сотрудники которых стали наставниками (в реестре наставников учебного года или наставник пары).",
        "percent",
        None,
        True,
    ),
    (
        "satisfaction_mentees",
        "Удовлетворённость наставляемых",
        "Удовлетворённость наставляемых",
        "Среднее по вопросам со шкалой от 1 до 10 итоговых анкет наставляемых (обучающихся и педагогов), отправленных в периоде; каждый ответ весит одинаково.",
        "mean",
        None,
        True,
    ),
    (
        "satisfaction_mentors",
        "Удовлетворённость наставников",
        "Удовлетворённость наставников",
        "Среднее по вопросам со шкалой от 1 до 10 итоговых анкет наставников, отправленных в периоде; каждый ответ весит одинаково.",
        "mean",
        None,
        True,
    ),
    (
        "growth",
        "Рост участников",
        "Рост участников",
        "Средняя разница «итоговая анкета − входная анкета» по одинаковым вопросам со шкалой у всех, кто ответил на обе (наставники и наставляемые); каждый ответ весит одинаково.",
        "mean",
        None,
        True,
    ),
    (
        "roadmap_completion",
        "Выполнение дорожной карты",
        "Дорожная карта в срок",
        "Мероприятия дорожной карты, выполненные в срок, из тех, срок которых в периоде уже наступил (выполненные досрочно тоже считаются); отменённые не учитываются.",
        "percent",
        None,
        True,
    ),
)


def seed(apps, schema_editor):
    Indicator = apps.get_model("reports", "Indicator")
    IndicatorTarget = apps.get_model("reports", "IndicatorTarget")
    for position, (code, title, short_title, description, unit, target, active) in enumerate(STANDARD, start=1):
        indicator, _ = Indicator.objects.get_or_create(
            organisation=None,
            code=code,
            defaults={
                "title": title,
                "short_title": short_title,
                "description": description,
                "unit": unit,
                "measure": code,
                "position": position * 10,
                "is_active": active,
            },
        )
        if target is not None and not IndicatorTarget.objects.filter(indicator=indicator, organisation=None).exists():
            IndicatorTarget.objects.create(
                indicator=indicator, organisation=None, school_year=None, target=target, direction="higher"
            )


class Migration(migrations.Migration):
    dependencies = [("reports", "0015_indicators_as_data")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
