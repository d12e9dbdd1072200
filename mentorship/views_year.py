"""«Новый учебный год»: the promotion proposed, the new lists uploaded and diffed, applied, undone.

The capability is ``programme.manage``: the change closes and carries pairs, makes the new year's
programme and bases, which is running the programme; it also moves people between classes, so the
writes ask ``participants.edit`` too (the roles that manage the programme keep the bases as well).
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView, View

from organisations.school_year import school_year_label
from organisations.tenancy import OrganisationMixin
from participants.importing import MAX_FILE_SIZE, ImportFileError, format_size
from participants.journal import access_record

from .models import YearChange
from .services_year import (
    KIND_TITLES,
    LEFT,
    PAIR_CHOICES,
    SAME,
    STAFF_LEFT,
    YearChangeError,
    choices_of,
    flagged_pairs,
    leaving_people,
    people_count,
    promotion_proposal,
    proposed_to_year,
    year_change_apply,
    year_change_counts,
    year_change_decide,
    year_change_start,
    year_change_undo,
    year_change_upload,
)

CAPABILITY = "programme.manage"
SHOWN_PER_KIND = 200  # rows of an informative kind (unchanged, moved, new) shown on the page
NO_PEOPLE_RIGHTS = "Недостаточно прав: менять составы классов может только тот, кто ведёт базы участников."


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".xlsx,.csv"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data]
        return [single(data, initial)]


class YearListsForm(forms.Form):
    files = MultipleFileField(
        label="Списки нового учебного года",
        help_text=(
            "Списки классов и список педагогов (Excel .xlsx или CSV, каждый не больше "
            f"{format_size(MAX_FILE_SIZE)}); можно выбрать несколько файлов сразу, например выгрузку "
            "электронного журнала по каждому классу."
        ),
        error_messages={"required": "Выберите хотя бы один файл со списком."},
    )


def _target_year(request, organisation=None) -> int:
    """``?year=``; else a draft in the making for a later year; else the year proposed_to_year() gives."""
    value = request.GET.get("year", "")
    if value.isdigit() and 2000 <= int(value) <= 2100:
        return int(value)
    proposed = proposed_to_year()
    if organisation is not None:
        draft = organisation.year_changes.filter(status=YearChange.Status.DRAFT, to_year__gt=proposed).first()
        if draft is not None:
            return draft.to_year
    return proposed


class YearChangeView(OrganisationMixin, TemplateView):
    required_capability = CAPABILITY
    template_name = "mentorship/year_change.html"

    def get_context_data(self, **kwargs):
        to_year = _target_year(self.request, self.organisation)
        changes = self.organisation.year_changes.filter(to_year=to_year)
        change = (
            changes.filter(status=YearChange.Status.APPLIED).first()
            or changes.filter(status=YearChange.Status.DRAFT).first()
        )
        kwargs.update(
            to_year=to_year,
            from_label=school_year_label(to_year - 1),
            to_label=school_year_label(to_year),
            change=change,
            form=kwargs.get("form") or YearListsForm(),
            history=self.organisation.year_changes.exclude(pk=change.pk if change else None)[:10],
            can_undo=False,
            undo_until=None,
        )
        if change is None or not change.diff.get("entries"):
            kwargs["promotion"] = (change.diff.get("promotion") if change else None) or promotion_proposal(
                self.organisation
            )
            return super().get_context_data(**kwargs)
        diff, decisions = change.diff, change.decisions
        leaving = leaving_people(diff, decisions)
        sections = []
        for kind, title in KIND_TITLES.items():
            entries = [entry for entry in diff["entries"] if entry["kind"] == kind]
            if not entries:
                continue
            actionable = kind in (LEFT, SAME, STAFF_LEFT)
            for entry in entries:
                entry["decision"] = decisions.get(f"entry:{entry['id']}", entry.get("default"))
                entry["field"] = f"entry:{entry['id']}"
            sections.append(
                {
                    "kind": kind,
                    "title": title,
                    "count": len(entries),
                    "people": people_count(len(entries)),
                    "entries": entries if actionable else entries[:SHOWN_PER_KIND],
                    "more": 0 if actionable else max(0, len(entries) - SHOWN_PER_KIND),
                    "choices": choices_of(kind),
                }
            )
        pairs = []
        for pair in diff.get("pairs", []):
            pair = dict(pair)
            pair["decision"] = decisions.get(f"pair:{pair['pair_id']}")
            pair["flagged"] = pair["mentor_id"] in leaving or bool(set(pair["mentee_ids"]) & leaving)
            pairs.append(pair)
        mentors = [
            {
                **mentor,
                "checked": bool(decisions.get(f"mentor:{mentor['person_id']}")),
                "leaves": mentor["person_id"] in leaving,
            }
            for mentor in diff.get("mentors", [])
        ]
        kwargs.update(
            promotion=diff.get("promotion", []),
            sections=sections,
            pairs=pairs,
            pair_choices=PAIR_CHOICES,
            flagged=len(flagged_pairs(diff, decisions)),
            mentors=mentors,
            cosign=diff.get("cosign", []),
            totals=year_change_counts(change),
            can_undo=change.status == YearChange.Status.APPLIED
            and change.applied_at
            and (timezone.now() - change.applied_at).days < YearChange.UNDO_DAYS,
            undo_until=change.applied_at + timezone.timedelta(days=YearChange.UNDO_DAYS) if change.applied_at else None,
        )
        if change.status == YearChange.Status.DRAFT:
            access_record(
                request=self.request,
                organisation=self.organisation,
                action="view",
                what=f"Переход на {school_year_label(to_year)} учебный год: сравнение списков",
                people_count=len(diff["entries"]),
            )
        return super().get_context_data(**kwargs)


class _YearChangeWrite(OrganisationMixin, View):
    required_capability = CAPABILITY
    http_method_names = ["post"]

    def check_people_rights(self):
        if not self.access.can("participants.edit"):
            raise PermissionDenied(NO_PEOPLE_RIGHTS)

    def back(self, to_year: int):
        return redirect(f"{reverse('mentorship:year_change', kwargs={'org': self.organisation.slug})}?year={to_year}")


class YearChangeUploadView(_YearChangeWrite):
    def post(self, request, *args, **kwargs):
        self.check_people_rights()
        to_year = _target_year(request)
        form = YearListsForm(request.POST, request.FILES)
        if not form.is_valid():
            for error in form.errors.get("files", []):
                messages.error(request, error)
            return self.back(to_year)
        try:
            change = year_change_start(organisation=self.organisation, user=request.user, to_year=to_year)
            year_change_upload(change=change, uploaded_files=form.cleaned_data["files"], user=request.user)
        except (YearChangeError, ImportFileError) as error:
            messages.error(request, error.message)
            return self.back(to_year)
        messages.success(request, "Списки сравнены. Проверьте изменения и примите решения, затем нажмите «Применить».")
        return self.back(to_year)


class YearChangeDecideView(_YearChangeWrite):
    """Saves the decisions; with ``action=apply`` applies the change right after."""

    def post(self, request, *args, **kwargs):
        self.check_people_rights()
        change = get_object_or_404(self.organisation.year_changes, pk=kwargs["pk"])
        decisions = {key: value for key, value in request.POST.items() if key.startswith(("entry:", "pair:"))}
        for mentor in change.diff.get("mentors", []):
            key = f"mentor:{mentor['person_id']}"
            decisions[key] = key in request.POST
        try:
            year_change_decide(change=change, decisions=decisions)
            if request.POST.get("action") == "apply":
                year_change_apply(change=change, user=request.user)
                access_record(
                    request=request,
                    organisation=self.organisation,
                    action="change",
                    what=f"Переход на {school_year_label(change.to_year)} учебный год",
                    people_count=len(change.diff.get("entries", [])),
                )
                messages.success(
                    request,
                    f"Переход на {school_year_label(change.to_year)} учебный год применён. "
                    f"Его можно отменить в течение {YearChange.UNDO_DAYS} дней.",
                )
            else:
                messages.success(request, "Решения сохранены.")
        except YearChangeError as error:
            messages.error(request, error.message)
        return self.back(change.to_year)


class YearChangeUndoView(_YearChangeWrite):
    def post(self, request, *args, **kwargs):
        self.check_people_rights()
        change = get_object_or_404(self.organisation.year_changes, pk=kwargs["pk"])
        try:
            year_change_undo(change=change, user=request.user)
        except YearChangeError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "Переход отменён: классы, выпускники, базы и пары — как были до него.")
        return self.back(change.to_year)
