from django import forms
from django.utils import timezone

from mentorship.employment import EarlyEnd, EmploymentTerms, PayRule

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ConsentForm(forms.Form):
    signed_on = forms.DateField(label="Дата согласия", widget=DATE, initial=timezone.localdate)
    scan = forms.FileField(label="Скан подписанного согласия (PDF, JPEG, PNG)")


class AgreementForm(forms.Form):
    concluded_on = forms.DateField(label="Дата соглашения", widget=DATE, initial=timezone.localdate)


class EmploymentTermsForm(forms.ModelForm):
    class Meta:
        model = EmploymentTerms
        fields = ["contract_number", "contract_date", "salary_rate", "not_employee_mentor", "exception_reason"]
        widgets = {"contract_date": DATE}


class EarlyEndForm(forms.Form):
    initiator = forms.ChoiceField(label="Кто прекращает", choices=EarlyEnd.Initiator.choices, widget=forms.RadioSelect)
    notice_on = forms.DateField(label="Дата заявления (уведомления)", widget=DATE, initial=timezone.localdate)
    ends_on = forms.DateField(
        label="Последний день наставничества",
        widget=DATE,
        required=False,
        help_text="Пусто — самый ранний возможный день: третий рабочий день после заявления (уведомления).",
    )


class PayRuleForm(forms.ModelForm):
    class Meta:
        model = PayRule
        fields = ["basis", "amount", "valid_from", "valid_to", "source"]
        widgets = {"valid_from": DATE, "valid_to": DATE}


class CalendarCorrectionForm(forms.Form):
    day = forms.DateField(label="День", widget=DATE)
    is_working = forms.TypedChoiceField(
        label="Этот день",
        choices=[("1", "рабочий"), ("0", "выходной")],
        coerce=lambda value: value == "1",
    )
    note = forms.CharField(label="Основание", max_length=300, required=False)


class TemplateBodyForm(forms.Form):
    body = forms.CharField(label="Текст", widget=forms.Textarea(attrs={"rows": 18}))


class MonthForm(forms.Form):
    month = forms.CharField(label="Месяц", widget=forms.TextInput(attrs={"type": "month"}))
