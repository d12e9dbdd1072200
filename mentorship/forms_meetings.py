"""The form to log a meeting of a pair or to correct a logged one."""

import datetime

from django import forms
from django.utils import timezone

from participants.forms import DateInput

from .models import Meeting


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(label="Вид встречи", choices=Meeting.Kind.choices, initial=Meeting.Kind.REGULAR)
    date = forms.DateField(label="Дата", widget=DateInput())
    time = forms.TimeField(label="Время", widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    duration_minutes = forms.IntegerField(label="Длительность, мин", min_value=5, max_value=600, initial=45)
    format = forms.ChoiceField(label="Формат", choices=Meeting.Format.choices, initial=Meeting.Format.IN_PERSON)
    topic = forms.CharField(label="Тема", max_length=300, required=False)
    attendees = forms.ModelMultipleChoiceField(
        label="Присутствовали", queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )
    notes = forms.CharField(label="Заметки", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    usefulness = forms.IntegerField(
        label="Полезность по оценке наставляемого (1–10)", min_value=1, max_value=10, required=False
    )

    def __init__(self, *args, pair, **kwargs):
        super().__init__(*args, **kwargs)
        self.pair = pair
        mentees = pair.mentees.order_by("last_name", "first_name")
        self.fields["attendees"].queryset = mentees
        self.fields["attendees"].label_from_instance = lambda person: person.full_name
        if not self.is_bound:
            self.initial.setdefault("date", timezone.localdate())
            self.initial.setdefault("attendees", list(mentees))

    def starts_at(self) -> datetime.datetime:
        data = self.cleaned_data
        return timezone.make_aware(datetime.datetime.combine(data["date"], data["time"]))

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "starts_at": self.starts_at(),
            "duration_minutes": data["duration_minutes"],
            "format": data["format"],
            "topic": data["topic"],
            "notes": data["notes"],
            "usefulness": data["usefulness"],
            "attendee_ids": [person.pk for person in data["attendees"]],
        }


def meeting_initial(meeting: Meeting) -> dict:
    """The form's values of a logged meeting, in the school's time zone."""
    starts_at = timezone.localtime(meeting.starts_at)
    return {
        "kind": meeting.kind,
        "date": starts_at.date(),
        "time": starts_at.time().replace(second=0, microsecond=0),
        "duration_minutes": meeting.duration_minutes,
        "format": meeting.format,
        "topic": meeting.topic,
        "notes": meeting.notes,
        "usefulness": meeting.usefulness,
        "attendees": [row.person_id for row in meeting.attendance.all()],
    }
