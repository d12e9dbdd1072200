"""Forms of the «Школа наставника»: a group and a session with its attendance."""

from django import forms
from django.utils import timezone

from participants.forms import DateInput
from participants.models import MentorEntry

from .models import TrainingSession


def _name(person) -> str:
    return person.full_name


class TrainingGroupForm(forms.Form):
    programme = forms.ModelChoiceField(label="Программа", queryset=None, empty_label=None)
    title = forms.CharField(label="Название группы", max_length=200)
    sessions_target = forms.IntegerField(label="Занятий по плану", min_value=1, max_value=100, initial=10)
    members = forms.ModelMultipleChoiceField(
        label="Наставники",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Наставники из базы учебного года программы.",
    )

    def __init__(self, *args, organisation, group=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = organisation.programmes.all()
        if group is not None:
            self.fields["programme"].disabled = True
            years = [group.programme.school_year]
        else:
            years = list(organisation.programmes.values_list("school_year", flat=True))
        entries = MentorEntry.objects.filter(organisation=organisation, school_year__in=years).exclude(
            status=MentorEntry.Status.LEFT
        )
        self.fields["members"].queryset = organisation.people.filter(pk__in=entries.values("person_id")).order_by(
            "last_name", "first_name", "patronymic"
        )
        self.fields["members"].label_from_instance = _name


class TrainingSessionForm(forms.Form):
    held_on = forms.DateField(label="Дата", widget=DateInput())
    topic = forms.CharField(label="Тема", max_length=300)
    expert = forms.CharField(label="Ведущий (эксперт)", max_length=300, required=False)
    format = forms.ChoiceField(label="Формат", choices=TrainingSession.Format.choices)
    attendees = forms.ModelMultipleChoiceField(
        label="Присутствовали", queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, group, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attendees"].queryset = group.members.order_by("last_name", "first_name", "patronymic")
        self.fields["attendees"].label_from_instance = _name
        if not self.is_bound:
            self.initial.setdefault("held_on", timezone.localdate())
