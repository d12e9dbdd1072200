"""Forms of individual plans: goals and tasks, and the items as a formset."""

from django import forms

from participants.forms import DateInput

from .models import IndividualPlan, PlanItem


class PlanForm(forms.ModelForm):
    class Meta:
        model = IndividualPlan
        fields = ["goals", "tasks"]
        widgets = {
            "goals": forms.Textarea(attrs={"rows": 3}),
            "tasks": forms.Textarea(attrs={"rows": 3}),
        }


class PlanItemForm(forms.Form):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    activity = forms.CharField(
        label=PlanItem._meta.get_field("activity").verbose_name.capitalize(),
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control form-control-sm"}),
    )
    due_on = forms.DateField(
        label="Срок",
        required=False,
        widget=DateInput(attrs={"class": "form-control form-control-sm"}),
    )
    work_form = forms.CharField(
        label="Форма работы",
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
    )
    expected_result = forms.CharField(
        label="Ожидаемый результат",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control form-control-sm"}),
    )
    done = forms.BooleanField(
        label="Выполнено", required=False, widget=forms.CheckboxInput(attrs={"class": "form-check-input"})
    )
    comment = forms.CharField(
        label="Комментарий",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control form-control-sm"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The table shows the labels once, as column headers: each input still needs its own name.
        index = (self.prefix or "").rsplit("-", 1)[-1]
        if index.isdigit():
            for name, field in self.fields.items():
                if name != "id":
                    field.widget.attrs["aria-label"] = f"{field.label}, строка {int(index) + 1}"


class BasePlanItemFormSet(forms.BaseFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        # The delete box is added here, after the form's own labels: it needs its name too (WCAG 4.1.2).
        if "DELETE" in form.fields and index is not None:
            form.fields["DELETE"].widget.attrs.update(
                {"aria-label": f"Удалить мероприятие, строка {index + 1}", "class": "form-check-input"}
            )


PlanItemFormSet = forms.formset_factory(PlanItemForm, formset=BasePlanItemFormSet, extra=3, can_delete=True)


def item_initial(plan: IndividualPlan) -> list[dict]:
    return [
        {"id": item.pk, **{field: getattr(item, field) for field in PlanItemForm.base_fields if field != "id"}}
        for item in plan.items.all()
    ]


def items_from_formset(formset) -> tuple[list[dict], list[int]]:
    """The items to keep, in order, and the ids of those marked for deletion."""
    items, deleted = [], []
    for form in formset.forms:
        data = form.cleaned_data
        if not data:
            continue
        if data.get("DELETE"):
            if data.get("id"):
                deleted.append(data["id"])
            continue
        items.append({key: value for key, value in data.items() if key != "DELETE"})
    return items, deleted


def add_service_errors(form, error) -> None:
    """Puts a service's ValidationError on the form: on the field it names, else on the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)
