"""Which answers of the standard questionnaires go to the person's profile that matching reads.

A mentor's areas of experience become the mentor's competencies, the time a mentor can give
becomes «когда может заниматься», a mentee's difficulties become the mentee's request. Only
questions still without a profile field are touched, so running it again changes nothing.
"""

from django.db import migrations

VERSION = 1

# (template title, question text) -> profile field
PROFILE_FIELDS = {
    ("Чем я могу быть полезен в качестве наставника?", "В каких областях вы готовы делиться опытом?"): "competencies",
    (
        "Чем я могу быть полезен в качестве наставника?",
        "Сколько времени в неделю вы готовы уделять наставничеству?",
    ): "availability",
    ("Что мне нужно от наставника (для обучающегося)", "С чем вам нужна помощь?"): "needs",
    ("Что мне нужно от наставника (для обучающегося)", "Какой предмет или тема даётся вам труднее всего?"): "needs",
    ("Что мне нужно от наставника (для обучающегося)", "Чего вы ждёте от занятий с наставником?"): "needs",
    ("Что мне нужно от наставника (для молодого педагога)", "В чём вам нужна поддержка?"): "needs",
}


def seed(apps, schema_editor):
    Question = apps.get_model("participants", "Question")
    for (title, text), field in PROFILE_FIELDS.items():
        Question.objects.filter(
            template__organisation=None, template__title=title, template__version=VERSION, text=text, profile_field=""
        ).update(profile_field=field)


def unseed(apps, schema_editor):
    Question = apps.get_model("participants", "Question")
    for (title, text), field in PROFILE_FIELDS.items():
        Question.objects.filter(
            template__organisation=None,
            template__title=title,
            template__version=VERSION,
            text=text,
            profile_field=field,
        ).update(profile_field="")


class Migration(migrations.Migration):
    dependencies = [
        ("participants", "0007_person_name_forms_question_profile_field"),
    ]

    operations = [
        migrations.RunPython(seed, unseed),
    ]
