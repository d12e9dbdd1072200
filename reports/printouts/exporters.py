"""Printouts as exporters: a pair's individual plan, consent forms (a person's, a class's) and a
class's sheet of questionnaire links with QR codes. All name people: every print is journalled.
``fmt="html"`` gives the HTML a PDF is made from (not for the links sheet: printing it issues links).
"""

import dataclasses
import datetime

import segno
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe

from mentorship.selectors_plans import fulfilment_percent, with_mentees
from mentorship.services_plans import plan_for_pair, plan_pairs
from organisations.models import Organisation
from organisations.russian import plural
from participants.models import (
    PARTNER_PLACEHOLDER,
    AccessLogEntry,
    ConsentPurpose,
    ConsentText,
    Gender,
    ParentLink,
    Person,
)
from participants.questionnaires.forms import ClassSheetForm
from participants.questionnaires.links import link_line
from participants.questionnaires.services import invitations_reissue_for_class
from participants.selectors import people_annotate_consent
from participants.services import consent_signer_rule
from reports.exports.base import HTML_CONTENT_TYPE, XLSX_CONTENT_TYPE, Column, Exporter, ExportResult, write_xlsx
from reports.exports.pdf import render_html, render_pdf
from reports.printouts import roadmap
from reports.printouts.destruction import DestructionActExporter
from reports.printouts.econsent import ConsentCopyExporter

PLAN_TEMPLATE = "reports/pdf/plan.html"
CONSENT_TEMPLATE = "reports/pdf/consent_forms.html"
LINKS_TEMPLATE = "reports/pdf/questionnaire_links.html"


def _pk(value) -> int:
    value = str(value or "")
    if not value.isdigit():
        raise Http404
    return int(value)


def _pdf_or_html(*, template_name: str, context: dict, fmt: str, filename: str, **journal) -> ExportResult:
    if fmt == "html":
        return ExportResult(
            filename, HTML_CONTENT_TYPE, render_html(template_name=template_name, context=context).encode(), **journal
        )
    return ExportResult(
        filename, "application/pdf", render_pdf(template_name=template_name, context=context), **journal
    )


def _print_action(fmt: str) -> str:
    return AccessLogEntry.Action.VIEW if fmt == "html" else AccessLogEntry.Action.PRINT


# --- The individual plan --------------------------------------------------------------------------


class PlanPdfExporter(Exporter):
    """Who may print is who may edit the plan (plan_pairs): staff with «plans.edit» any pair of the
    school, a mentor only own pairs (another's is the same 404 as a missing one)."""

    identifier = "plan-pdf"
    title = "Индивидуальный план (PDF)"
    capability = "plans.edit"
    personal_data = True
    formats = ("pdf", "html")

    def required_capability(self, access) -> str:
        return "plans.edit" if access.can("plans.edit") else "meetings.log"

    def render(self, *, organisation, params, fmt: str = "pdf", context=None) -> ExportResult:
        if context is None or context.access is None:
            raise Http404
        pairs = plan_pairs(access=context.access, user=context.user).select_related("mentor", "form", "role_model")
        pairs = with_mentees(pairs.select_related("programme")).filter(organisation=organisation)
        try:
            pair = pairs.get(pk=_pk(params.get("pair")))
        except pairs.model.DoesNotExist:
            raise Http404 from None
        plan = plan_for_pair(pair=pair)
        items = list(plan.items.all())
        done = sum(item.done for item in items)
        data = {
            "html_preview": fmt == "html",
            "organisation": organisation,
            "pair": pair,
            "mentees": [link.mentee for link in pair.mentee_links],
            "plan": plan,
            "items": items,
            "items_done": done,
            "fulfilment": fulfilment_percent(done, len(items)),
            "printed_on": timezone.localdate(),
        }
        return _pdf_or_html(
            template_name=PLAN_TEMPLATE,
            context=data,
            fmt=fmt,
            filename=f"Индивидуальный план — {pair.mentor.short_name}.pdf",
            what=f"Индивидуальный план: {pair.mentor.short_name}",
            action=_print_action(fmt),
            person=pair.mentor,
            people_count=1 + len(data["mentees"]),
        )


# --- Consent forms --------------------------------------------------------------------------------


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


def with_parents(queryset):
    links = (
        ParentLink.objects.filter(parent__anonymised_at__isnull=True)
        .select_related("parent")
        .order_by("parent__last_name", "parent__first_name")
    )
    return queryset.prefetch_related(Prefetch("parent_links", queryset=links, to_attr="parent_link_list"))


def consent_purpose(params) -> str | None:
    """The purpose asked for (participation by default); None for an unknown one."""
    value = params.get("purpose") or ConsentPurpose.PARTICIPATION
    return value if value in ConsentPurpose.values else None


def consent_text(purpose: str) -> ConsentText | None:
    return ConsentText.objects.filter(purpose=purpose, is_current=True).first()


class ClassPrintForm(forms.Form):
    grade = forms.IntegerField(label="Класс", min_value=1, max_value=11)
    letter = forms.CharField(label="Литера", max_length=3, required=False)
    purpose = forms.ChoiceField(label="Цель", choices=ConsentPurpose.choices, required=False)
    only_missing = forms.BooleanField(label="Только тем, у кого нет согласия", required=False)

    def clean_letter(self):
        return self.cleaned_data["letter"].strip().upper()


def class_students(*, organisation: Organisation, grade: int, letter: str, purpose: str, only_missing: bool):
    """The class's students who get a form, in the order of the class list."""
    students = organisation.people.filter(
        category=Person.Category.STUDENT,
        grade=grade,
        class_letter__in={letter, letter.lower()},
        anonymised_at__isnull=True,
    )
    if only_missing:
        students = people_annotate_consent(students, purpose=purpose).filter(has_valid_consent=False)
    return list(with_parents(students).order_by("last_name", "first_name", "patronymic"))


class _ConsentFormsExporter(Exporter):
    capability = "participants.view"
    personal_data = True
    formats = ("pdf", "html")

    def forms_result(
        self, *, organisation, people, purpose: str, fmt: str, what: str, filename: str, partner=None
    ) -> ExportResult:
        text = consent_text(purpose)
        if text is None or not people:
            raise Http404  # the page says why before asking for the file
        today = timezone.localdate()
        title, body = text.rendered(partner)
        if purpose == ConsentPurpose.PARTNER_TRANSFER and partner is None:
            title, body = (
                part.replace(PARTNER_PLACEHOLDER, "«____________________»") for part in (text.title, text.body)
            )
        data = {
            "html_preview": fmt == "html",
            "organisation": organisation,
            "text": text,
            "title": title,
            "paragraphs": [p.strip() for p in body.split("\n\n") if p.strip()],
            "purpose": purpose,
            "is_publication": purpose == ConsentPurpose.PUBLICATION,
            "forms": [consent_form_data(organisation=organisation, person=p, on=today) for p in people],
            "printed_on": today,
        }
        return _pdf_or_html(
            template_name=CONSENT_TEMPLATE,
            context=data,
            fmt=fmt,
            filename=filename,
            what=what,
            action=_print_action(fmt),
            person=people[0] if len(people) == 1 else None,
            people_count=len(people),
        )


class ConsentFormPersonExporter(_ConsentFormsExporter):
    """One person's consent form: params ``person`` and ``purpose``."""

    identifier = "consent-form-person"
    title = "Бланк согласия на обработку персональных данных"

    def person_of(self, *, organisation, params) -> Person:
        people = with_parents(organisation.people.filter(anonymised_at__isnull=True))
        try:
            return people.get(pk=_pk(params.get("person")))
        except Person.DoesNotExist:
            raise Http404 from None

    def render(self, *, organisation, params, fmt: str = "pdf", context=None) -> ExportResult:
        person = self.person_of(organisation=organisation, params=params)
        purpose = consent_purpose(params)
        if purpose is None:
            raise Http404
        partner = organisation.partners.filter(pk=_pk(params.get("partner"))).first() if params.get("partner") else None
        return self.forms_result(
            organisation=organisation,
            people=[person],
            purpose=purpose,
            partner=partner,
            fmt=fmt,
            what=f"Бланк согласия на обработку персональных данных ({ConsentPurpose(purpose).label})",
            filename=f"Согласие — {person.full_name}.pdf",
        )


class ConsentFormsClassExporter(_ConsentFormsExporter):
    """A form for every student of a class: params ``grade``, ``letter``, ``purpose``, ``only_missing``."""

    identifier = "consent-forms-class"
    title = "Бланки согласий класса"

    def render(self, *, organisation, params, fmt: str = "pdf", context=None) -> ExportResult:
        form = ClassPrintForm(params)
        if not form.is_valid():
            raise Http404
        grade, letter = form.cleaned_data["grade"], form.cleaned_data["letter"]
        purpose = form.cleaned_data["purpose"] or ConsentPurpose.PARTICIPATION
        students = class_students(
            organisation=organisation,
            grade=grade,
            letter=letter,
            purpose=purpose,
            only_missing=form.cleaned_data["only_missing"],
        )
        class_name, count = f"{grade}{letter}", len(students)
        return self.forms_result(
            organisation=organisation,
            people=students,
            purpose=purpose,
            fmt=fmt,
            what=(
                f"Бланки согласий на обработку персональных данных ({ConsentPurpose(purpose).label}): "
                f"{class_name} класс, {count} {plural(count, 'бланк', 'бланка', 'бланков')}"
            ),
            filename=f"Согласия — {class_name} класс.pdf",
        )


# --- A class's questionnaire links ----------------------------------------------------------------


def qr_svg(url: str) -> str:
    """The link as an inline SVG QR code (sized by the stylesheet); segno's output holds no user text."""
    return mark_safe(segno.make(url, error="m").svg_inline(border=2, omitsize=True))  # noqa: S308


@dataclasses.dataclass(frozen=True)
class ClassLinks:
    form: ClassSheetForm
    questionnaire: object
    sheet: object  # participants.questionnaires.services.ClassSheet
    class_name: str
    rows: list  # (person, absolute url, invitation), in name order


def class_links_issue(*, organisation, params, context=None) -> ClassLinks:
    """Re-issues a class's unanswered links (the old ones stop working) and gives them as URLs.

    The printed sheet, its XLSX and the «Скопировать все ссылки» box all come from here: only the
    hash of a token is stored, so a link can be shown again only by issuing a new one. Http404 for
    a bad choice or a class without students (the page says so before).
    """
    form = ClassSheetForm(params, organisation=organisation)
    if not form.is_valid():
        raise Http404
    data = form.cleaned_data
    template = data["questionnaire"]
    try:
        sheet = invitations_reissue_for_class(
            organisation=organisation, template=template, grade=data["grade"], class_letter=data["class_letter"]
        )
    except ValidationError:
        raise Http404 from None
    if sheet.is_empty:
        raise Http404
    absolute_url = context.absolute_url if context is not None and context.absolute_url else str
    rows = [
        (sent.invitation.person, absolute_url(reverse("questionnaire_answer", args=[sent.token])), sent.invitation)
        for sent in sheet.issued
    ]
    return ClassLinks(form=form, questionnaire=template, sheet=sheet, class_name=form.class_name, rows=rows)


class QuestionnaireSheetExporter(Exporter):
    """Params ``questionnaire``, ``grade``, ``class_letter``. Only the hash of a token is stored, so
    printing gives every unanswered invitation of the class a new token: links given out before
    stop working (the page says so before the curator confirms)."""

    identifier = "questionnaire-sheet"
    title = "Лист ссылок на анкету (PDF)"
    capability = "participants.edit"
    personal_data = True
    formats = ("pdf",)
    changes_data = True

    def render(self, *, organisation, params, fmt: str = "pdf", context=None) -> ExportResult:
        links = class_links_issue(organisation=organisation, params=params, context=context)
        template, sheet, class_name = links.questionnaire, links.sheet, links.class_name
        rows = [
            {"person": person, "url": url, "qr": qr_svg(url), "invitation": invitation}
            for person, url, invitation in links.rows
        ]
        printed = {
            "organisation": organisation,
            "questionnaire": template,
            "class_name": class_name,
            "rows": rows,
            "sheet": sheet,
            "printed_on": timezone.localdate(),
        }
        return ExportResult(
            f"Ссылки на анкету — {class_name} класс.pdf",
            "application/pdf",
            render_pdf(template_name=LINKS_TEMPLATE, context=printed),
            what=(
                f"Лист ссылок на анкету «{template.title}»: {class_name} класс, "
                f"{len(rows)} {plural(len(rows), 'новая ссылка', 'новые ссылки', 'новых ссылок')}"
            ),
            action=AccessLogEntry.Action.PRINT,
            people_count=len(rows) + len(sheet.without_consent) + len(sheet.answered) + len(sheet.not_invited),
        )


class QuestionnaireLinksExporter(Exporter):
    """The same links as the printed sheet, as a table (XLSX): class, name, link, valid until. Params as
    the sheet's; issuing it re-issues the class's unanswered links, so only a POST asks for it."""

    identifier = "questionnaire-links"
    title = "Ссылки на анкету для класса (XLSX)"
    capability = "participants.edit"
    personal_data = True
    formats = ("xlsx",)
    changes_data = True
    columns = (
        Column("Класс", 8),
        Column("Фамилия", 20),
        Column("Имя", 16),
        Column("Ссылка на анкету", 70),
        Column("Действует по", 14),
        Column("Строка для чата", 90),
    )

    def render(self, *, organisation, params, fmt: str = "xlsx", context=None) -> ExportResult:
        links = class_links_issue(organisation=organisation, params=params, context=context)
        rows = [
            (
                links.class_name,
                person.last_name,
                person.first_name,
                url,
                timezone.localtime(invitation.expires_at).date(),
                link_line(person, url),
            )
            for person, url, invitation in links.rows
        ]
        sheet = links.sheet
        notes = [f"Анкета «{links.questionnaire.title}», {links.class_name} класс. Ранее выданные ссылки не работают."]
        if sheet.without_consent:
            notes.append("Без ссылки (нет согласия): " + ", ".join(p.full_name for p in sheet.without_consent) + ".")
        if sheet.answered:
            notes.append("Уже ответили: " + ", ".join(p.full_name for p in sheet.answered) + ".")
        count = len(rows)
        return ExportResult(
            f"Ссылки на анкету — {links.class_name} класс.xlsx",
            XLSX_CONTENT_TYPE,
            write_xlsx(self.columns, rows, title=f"Ссылки на анкету — {organisation.short_name}", notes=notes),
            what=(
                f"Ссылки на анкету «{links.questionnaire.title}» (XLSX): {links.class_name} класс, "
                f"{count} {plural(count, 'новая ссылка', 'новые ссылки', 'новых ссылок')}"
            ),
            people_count=count + len(sheet.without_consent) + len(sheet.answered) + len(sheet.not_invited),
        )


# The files of this room, registered at start-up (reports.exports.registry).
EXPORTERS = (
    roadmap.RoadmapExporter,
    roadmap.RoadmapPdfExporter,
    PlanPdfExporter,
    ConsentFormPersonExporter,
    ConsentFormsClassExporter,
    QuestionnaireSheetExporter,
    QuestionnaireLinksExporter,
    ConsentCopyExporter,
    DestructionActExporter,
)
