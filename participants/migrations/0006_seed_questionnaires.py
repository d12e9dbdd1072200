"""The standard questionnaires shared by every school (organisation empty): our own wording.

Idempotent: a template is created only when no standard template with its title and version
exists. A school edits a standard questionnaire by making its own version of it.
"""

from django.db import migrations

VERSION = 1

SCALE_10 = "scale_10"
SCALE_5 = "scale_5"
SINGLE = "single"
MULTIPLE = "multiple"
YES_NO = "yes_no"
SHORT_TEXT = "short_text"
LONG_TEXT = "long_text"

# (title, audience, phase, [(text, kind, required, choices)])
TEMPLATES = [
    (
        "Чем я могу быть полезен в качестве наставника?",
        "mentor",
        "entry",
        [
            ("В каких областях вы готовы делиться опытом?", LONG_TEXT, True, []),
            (
                "С кем вам было бы интереснее работать?",
                MULTIPLE,
                True,
                [
                    "с успевающими обучающимися",
                    "с обучающимися, которым трудно учиться",
                    "с одарёнными обучающимися",
                    "с молодыми педагогами",
                    "с педагогами, сменившими предмет или школу",
                ],
            ),
            (
                "Сколько времени в неделю вы готовы уделять наставничеству?",
                SINGLE,
                True,
                ["до 1 часа", "1–2 часа", "3–4 часа", "больше 4 часов"],
            ),
            ("Был ли у вас опыт наставничества?", YES_NO, True, []),
            ("Насколько вы уверены в своих силах как наставник?", SCALE_10, True, []),
            ("Какая помощь куратора вам понадобится?", LONG_TEXT, False, []),
        ],
    ),
    (
        "Что мне нужно от наставника (для обучающегося)",
        "student_mentee",
        "entry",
        [
            (
                "С чем вам нужна помощь?",
                MULTIPLE,
                True,
                [
                    "с учёбой по отдельным предметам",
                    "с подготовкой к экзаменам",
                    "с проектом или исследованием",
                    "с выбором профессии",
                    "с общением в классе",
                    "с участием в олимпиадах и конкурсах",
                ],
            ),
            ("Какой предмет или тема даётся вам труднее всего?", SHORT_TEXT, False, []),
            ("Насколько вам сейчас интересно учиться?", SCALE_10, True, []),
            ("Насколько уверенно вы чувствуете себя в школе?", SCALE_10, True, []),
            (
                "Кто мог бы стать вашим наставником?",
                SINGLE,
                True,
                ["ученик постарше", "учитель", "взрослый специалист", "не знаю"],
            ),
            ("Чего вы ждёте от занятий с наставником?", LONG_TEXT, False, []),
        ],
    ),
    (
        "Что мне нужно от наставника (для молодого педагога)",
        "teacher_mentee",
        "entry",
        [
            (
                "В чём вам нужна поддержка?",
                MULTIPLE,
                True,
                [
                    "планирование уроков",
                    "дисциплина на уроке",
                    "работа с родителями",
                    "оценивание",
                    "ведение документации",
                    "работа с детьми с особыми образовательными потребностями",
                ],
            ),
            ("Насколько уверенно вы ведёте урок?", SCALE_10, True, []),
            ("Насколько легко вам общаться с родителями учеников?", SCALE_10, True, []),
            ("Насколько вы удовлетворены работой в школе?", SCALE_10, True, []),
            ("Хотели бы вы посещать уроки наставника?", YES_NO, True, []),
            ("Что вы хотели бы изменить в своей работе за этот год?", LONG_TEXT, False, []),
        ],
    ),
    (
        "Отзыв о встрече с наставником",
        "student_mentee",
        "interim",
        [
            ("Насколько полезной была встреча?", SCALE_5, True, []),
            ("Было ли вам комфортно на встрече?", SCALE_5, True, []),
            ("Удалось ли сделать то, что планировали?", SINGLE, True, ["да", "частично", "нет"]),
            ("Что было самым полезным?", SHORT_TEXT, False, []),
            ("Что стоит изменить на следующей встрече?", LONG_TEXT, False, []),
        ],
    ),
    (
        "Итоговая анкета наставляемого",
        "student_mentee",
        "exit",
        [
            ("Насколько вы довольны участием в программе наставничества?", SCALE_10, True, []),
            ("Насколько наставник помог вам достичь ваших целей?", SCALE_10, True, []),
            ("Насколько вам сейчас интересно учиться?", SCALE_10, True, []),
            ("Насколько уверенно вы чувствуете себя в школе?", SCALE_10, True, []),
            ("Насколько регулярными были встречи с наставником?", SCALE_10, True, []),
            ("Хотели бы вы сами стать наставником?", YES_NO, True, []),
            ("Что вам больше всего запомнилось?", LONG_TEXT, False, []),
        ],
    ),
    (
        "Итоговая анкета наставника",
        "mentor",
        "exit",
        [
            ("Насколько вы довольны участием в программе наставничества?", SCALE_10, True, []),
            ("Насколько наставляемый продвинулся к своим целям?", SCALE_10, True, []),
            ("Насколько вам хватало времени на встречи?", SCALE_10, True, []),
            ("Насколько полезной была поддержка куратора?", SCALE_10, True, []),
            ("Насколько вы уверены в своих силах как наставник?", SCALE_10, True, []),
            ("Готовы ли вы продолжить наставничество в следующем году?", YES_NO, True, []),
            ("Что стоит улучшить в программе?", LONG_TEXT, False, []),
        ],
    ),
]


def seed(apps, schema_editor):
    QuestionnaireTemplate = apps.get_model("participants", "QuestionnaireTemplate")
    Question = apps.get_model("participants", "Question")
    for title, audience, phase, questions in TEMPLATES:
        if QuestionnaireTemplate.objects.filter(organisation=None, title=title, version=VERSION).exists():
            continue
        template = QuestionnaireTemplate.objects.create(
            organisation=None, title=title, audience=audience, phase=phase, version=VERSION, is_current=True
        )
        Question.objects.bulk_create(
            Question(template=template, position=position, text=text, kind=kind, required=required, choices=choices)
            for position, (text, kind, required, choices) in enumerate(questions, start=1)
        )


def unseed(apps, schema_editor):
    QuestionnaireTemplate = apps.get_model("participants", "QuestionnaireTemplate")
    QuestionnaireTemplate.objects.filter(
        organisation=None, version=VERSION, title__in=[title for title, *_ in TEMPLATES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("participants", "0005_questionnaires"),
    ]

    operations = [
        migrations.RunPython(seed, unseed),
    ]
