"""Forms for sending questionnaires to a chosen group and for a class's printed sheet of links.

Choices come from the school only: its current questionnaires, or the versions it has sent.
"""

import datetime

from django import forms
from django.utils import timezone

from participants.forms import DateInput
from participants.models import QuestionnaireTemplate

from .services import templates_current_for, templates_for

DEFAULT_LINK_DAYS = 14


class QuestionnaireChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: QuestionnaireTemplate) -> str:
        return f"{obj.title} ({obj.get_phase_display()}, версия {obj.version})"


def default_expiry() -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=DEFAULT_LINK_DAYS)


def expires_at_end_of(day: datetime.date) -> datetime.datetime:
    """A link «действует по» a day works until that day's end."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(23, 59, 59)))


def repeat_field() -> forms.BooleanField:
    return forms.BooleanField(
        label="Повторный опрос: отправить и тем, кто уже ответил на эту анкету",
        required=False,
        help_text="Для ежеквартальной диагностики или нового учебного года. "
        "Тот, чья прежняя ссылка ещё не использована, второй не получит.",
    )


class PeopleSendForm(forms.Form):
    """Which questionnaire a given set of people (a pair, a programme) gets and until when."""

    questionnaire = QuestionnaireChoiceField(label="Анкета", queryset=QuestionnaireTemplate.objects.none())
    expires_on = forms.DateField(label="Ссылка действует по", widget=DateInput())
    repeat = repeat_field()

    def __init__(self, *args, organisation, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("expires_on", default_expiry())
        super().__init__(*args, **kwargs)
        self.fields["questionnaire"].queryset = templates_current_for(organisation=organisation).order_by(
            "audience", "phase", "title"
        )

    def clean_expires_on(self):
        expires_on = self.cleaned_data["expires_on"]
        if expires_on < timezone.localdate():
            raise forms.ValidationError("Дата не может быть в прошлом.")
        return expires_on


class ClassSheetForm(forms.Form):
    """A class and a questionnaire version the school has sent: the printed sheet of its links."""

    questionnaire = QuestionnaireChoiceField(
        label="Анкета",
        queryset=QuestionnaireTemplate.objects.none(),
        help_text="Только анкеты, которые школа уже рассылала.",
    )
    grade = forms.IntegerField(label="Класс (параллель)", min_value=1, max_value=11)
    class_letter = forms.CharField(label="Литера", max_length=3, required=False)

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        sent = templates_for(organisation=organisation).filter(invitations__organisation=organisation).distinct()
        self.fields["questionnaire"].queryset = sent.order_by("title", "-version")

    def clean_class_letter(self):
        return self.cleaned_data["class_letter"].strip().upper()

    @property
    def class_name(self) -> str:
        return f"{self.cleaned_data['grade']}{self.cleaned_data['class_letter']}"
