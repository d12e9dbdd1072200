"""Who may mentor and be mentored in each standard form: the matching engine and the pair form
obey it. A form a school has already edited (any side set) is left as it is."""

from django.db import migrations

STUDENT, TEACHER, GRADUATE, PARTNER = "student", "teacher", "graduate", "partner_employee"
HEADS = "директор, заместител, завуч, руководител"

# name: (mentor categories, mentor positions, mentee categories)
SIDES = {
    "ученик – ученик": ([STUDENT], "", [STUDENT]),
    "учитель – ученик": ([TEACHER], "", [STUDENT]),
    "студент – ученик": ([GRADUATE], "", [STUDENT]),
    "работодатель – ученик": ([PARTNER], "", [STUDENT]),
    "учитель – учитель": ([TEACHER], "", [TEACHER]),
    "руководитель – педагог": ([TEACHER], HEADS, [TEACHER]),
    "традиционная": ([TEACHER], "", [TEACHER]),
    "групповая": ([TEACHER], "", [TEACHER]),
    "реверсивная": ([TEACHER], "", [TEACHER]),
    "ситуационная": ([TEACHER], "", [TEACHER]),
    "скоростная": ([TEACHER], "", [TEACHER]),
    "виртуальная": ([TEACHER], "", [TEACHER]),
}


def seed(apps, schema_editor):
    MentoringForm = apps.get_model("participants", "MentoringForm")
    for form in MentoringForm.objects.filter(name__in=SIDES):
        if form.mentor_categories or form.mentee_categories or form.mentor_positions:
            continue
        form.mentor_categories, form.mentor_positions, form.mentee_categories = SIDES[form.name]
        form.save(update_fields=["mentor_categories", "mentor_positions", "mentee_categories"])


class Migration(migrations.Migration):
    dependencies = [
        ("participants", "0010_mentoring_form_sides"),
    ]

    operations = [
        # Reversing keeps the values: the fields go with the previous migration.
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
