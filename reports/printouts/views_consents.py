"""Printable consent forms (PDF), pre-filled from the school's records.

One person's form, or a whole class at once (one form per student, each starting on a new
page). Every print goes to the access journal. ``?format=html`` shows the HTML the PDF is
made from, for checking the layout.
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.generic import View

from organisations.tenancy import OrganisationMixin
from participants.models import ConsentPurpose, ConsentText
from reports.exports.base import REGISTRY
from reports.exports.serving import export_response
from reports.printouts.exporters import (
    ClassPrintForm,
    ConsentFormData,
    class_students,
    consent_form_data,
    consent_purpose,
    consent_text,
)

__all__ = ["ConsentFormData", "ConsentFormPersonView", "ConsentFormsClassView", "consent_form_data"]

ERROR_UNKNOWN_PURPOSE = "Неизвестная цель согласия: выберите «участие в программе» или «публикация»."
ERROR_NO_TEXT = "Нет действующей редакции текста согласия с целью «{purpose}»: обратитесь к администратору."


class ConsentFormsMixin(OrganisationMixin):
    required_capability = "participants.view"

    def render_forms(self, identifier: str, params: dict):
        exporter = REGISTRY[identifier]
        return export_response(
            request=self.request,
            organisation=self.organisation,
            access=self.access,
            exporter=exporter,
            params=params,
            fmt=exporter.fmt_of(self.request.GET.get("format")),
        )

    def current_text(self, purpose: str) -> ConsentText | None:
        text = consent_text(purpose)
        if text is None:
            messages.error(self.request, ERROR_NO_TEXT.format(purpose=ConsentPurpose(purpose).label))
        return text


class ConsentFormPersonView(ConsentFormsMixin, View):
    def get(self, request, *args, **kwargs):
        person = get_object_or_404(self.organisation.people.filter(anonymised_at__isnull=True), pk=kwargs["pk"])
        purpose = consent_purpose(request.GET)
        if purpose is None:
            messages.error(request, ERROR_UNKNOWN_PURPOSE)
            return redirect(person.get_absolute_url())
        text = self.current_text(purpose)
        if text is None:
            return redirect(person.get_absolute_url())
        return self.render_forms("consent-form-person", {"person": person.pk, "purpose": purpose})


class ConsentFormsClassView(ConsentFormsMixin, View):
    """?grade=7&letter=Б&purpose=participation[&only_missing=1]: a form for every student of the class."""

    def get(self, request, *args, **kwargs):
        back = reverse("participants:consent_list", kwargs={"org": self.organisation.slug})
        form = ClassPrintForm(request.GET)
        if not form.is_valid():
            for field, errors in form.errors.items():
                label = form.fields[field].label if field in form.fields else ""
                messages.error(request, f"{label}: {' '.join(errors)}" if label else " ".join(errors))
            return redirect(back)
        grade, letter = form.cleaned_data["grade"], form.cleaned_data["letter"]
        purpose = form.cleaned_data["purpose"] or ConsentPurpose.PARTICIPATION
        class_name = f"{grade}{letter}"
        students = class_students(
            organisation=self.organisation,
            grade=grade,
            letter=letter,
            purpose=purpose,
            only_missing=form.cleaned_data["only_missing"],
        )
        if not students:
            if form.cleaned_data["only_missing"]:
                messages.info(request, f"У всех обучающихся {class_name} класса есть действующее согласие.")
            else:
                messages.warning(request, f"В {class_name} классе нет обучающихся.")
            return redirect(back)
        text = self.current_text(purpose)
        if text is None:
            return redirect(back)
        params = {"grade": grade, "letter": letter, "purpose": purpose}
        if form.cleaned_data["only_missing"]:
            params["only_missing"] = "1"
        return self.render_forms("consent-forms-class", params)
