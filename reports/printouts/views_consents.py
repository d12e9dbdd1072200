"""Printable consent forms (PDF), pre-filled from the school's records.

One person's form, or a whole class at once (one form per student, each starting on a new
page). Every print goes to the access journal. ``?format=html`` shows the HTML the PDF is
made from, for checking the layout.
"""

import dataclasses
import datetime

from django import forms
from django.contrib import messages
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.generic import View

from organisations.models import Organisation
from organisations.russian import plural
from organisations.tenancy import OrganisationMixin
from participants.journal import access_record
from participants.models import AccessLogEntry, ConsentPurpose, ConsentText, Gender, ParentLink, Person
from participants.selectors import people_annotate_consent
from participants.services import consent_signer_rule
from reports.exports.pdf import render_html, render_pdf

TEMPLATE = "reports/pdf/consent_forms.html"
ERROR_UNKNOWN_PURPOSE = "Неизвестная цель согласия: выберите «участие в программе» или «публикация»."
ERROR_NO_TEXT = "Нет действующей редакции текста согласия с целью «{purpose}»: обратитесь к администратору."


@dataclasses.dataclass
class ConsentFormData:
    """What one printed form says about its subject and signers."""

    person: Person
    parents: list[Person]
    needs_representative: bool
    child_cosigns: bool
    age_unknown: bool  # a student without a birth date: the co-signature line says when it applies

    @property
    def feminine(self) -> bool:
        return self.person.gender == Gender.FEMALE


def consent_form_data(*, organisation: Organisation, person: Person, on: datetime.date) -> ConsentFormData:
    """Who signs the person's form if it is signed on the given day (the school's age rule)."""
    parents = [link.parent for link in getattr(person, "parent_link_list", [])]
    rule = consent_signer_rule(organisation=organisation, person=person, on=on)
    if rule is None:
        return ConsentFormData(person, parents, needs_representative=True, child_cosigns=True, age_unknown=True)
    return ConsentFormData(
        person,
        parents,
        needs_representative=rule.needs_representative,
        child_cosigns=rule.child_cosigns,
        age_unknown=False,
    )


def _with_parents(queryset):
    links = (
        ParentLink.objects.filter(parent__anonymised_at__isnull=True)
        .select_related("parent")
        .order_by("parent__last_name", "parent__first_name")
    )
    return queryset.prefetch_related(Prefetch("parent_links", queryset=links, to_attr="parent_link_list"))


def _purpose(request) -> str | None:
    value = request.GET.get("purpose") or ConsentPurpose.PARTICIPATION
    return value if value in ConsentPurpose.values else None


class ConsentFormsMixin(OrganisationMixin):
    required_capability = "participants.view"

    def render_forms(self, *, people: list[Person], purpose: str, text: ConsentText, what: str, filename: str):
        today = timezone.localdate()
        as_html = self.request.GET.get("format") == "html"
        context = {
            "html_preview": as_html,
            "organisation": self.organisation,
            "text": text,
            "paragraphs": [p.strip() for p in text.body.split("\n\n") if p.strip()],
            "purpose": purpose,
            "is_publication": purpose == ConsentPurpose.PUBLICATION,
            "forms": [consent_form_data(organisation=self.organisation, person=p, on=today) for p in people],
            "printed_on": today,
        }
        access_record(
            request=self.request,
            organisation=self.organisation,
            action=AccessLogEntry.Action.VIEW if as_html else AccessLogEntry.Action.PRINT,
            what=what,
            person=people[0] if len(people) == 1 else None,
            people_count=len(people),
        )
        if as_html:
            response = HttpResponse(render_html(template_name=TEMPLATE, context=context))
        else:
            response = HttpResponse(render_pdf(template_name=TEMPLATE, context=context), content_type="application/pdf")
            response["Content-Disposition"] = content_disposition_header(as_attachment=False, filename=filename)
        response["Cache-Control"] = "private, no-store"
        return response

    def current_text(self, purpose: str) -> ConsentText | None:
        text = ConsentText.objects.filter(purpose=purpose, is_current=True).first()
        if text is None:
            messages.error(self.request, ERROR_NO_TEXT.format(purpose=ConsentPurpose(purpose).label))
        return text


class ConsentFormPersonView(ConsentFormsMixin, View):
    def get(self, request, *args, **kwargs):
        people = _with_parents(self.organisation.people.filter(anonymised_at__isnull=True))
        person = get_object_or_404(people, pk=kwargs["pk"])
        purpose = _purpose(request)
        if purpose is None:
            messages.error(request, ERROR_UNKNOWN_PURPOSE)
            return redirect(person.get_absolute_url())
        text = self.current_text(purpose)
        if text is None:
            return redirect(person.get_absolute_url())
        return self.render_forms(
            people=[person],
            purpose=purpose,
            text=text,
            what=f"Бланк согласия на обработку персональных данных ({ConsentPurpose(purpose).label})",
            filename=f"Согласие — {person.full_name}.pdf",
        )


class ClassPrintForm(forms.Form):
    grade = forms.IntegerField(label="Класс", min_value=1, max_value=11)
    letter = forms.CharField(label="Литера", max_length=3, required=False)
    purpose = forms.ChoiceField(label="Цель", choices=ConsentPurpose.choices, required=False)
    only_missing = forms.BooleanField(label="Только тем, у кого нет согласия", required=False)

    def clean_letter(self):
        return self.cleaned_data["letter"].strip().upper()


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
        students = self.organisation.people.filter(
            category=Person.Category.STUDENT,
            grade=grade,
            class_letter__in={letter, letter.lower()},
            anonymised_at__isnull=True,
        )
        if form.cleaned_data["only_missing"]:
            students = people_annotate_consent(students, purpose=purpose).filter(has_valid_consent=False)
        students = list(_with_parents(students).order_by("last_name", "first_name", "patronymic"))
        if not students:
            if form.cleaned_data["only_missing"]:
                messages.info(request, f"У всех обучающихся {class_name} класса есть действующее согласие.")
            else:
                messages.warning(request, f"В {class_name} классе нет обучающихся.")
            return redirect(back)
        text = self.current_text(purpose)
        if text is None:
            return redirect(back)
        count = len(students)
        return self.render_forms(
            people=students,
            purpose=purpose,
            text=text,
            what=(
                f"Бланки согласий на обработку персональных данных ({ConsentPurpose(purpose).label}): "
                f"{class_name} класс, {count} {plural(count, 'бланк', 'бланка', 'бланков')}"
            ),
            filename=f"Согласия — {class_name} класс.pdf",
        )
