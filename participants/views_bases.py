"""Pages of the mentor and mentee bases, mentor documents, partners and their agreements.

Every object is fetched through ``self.organisation``: another school's object gives 404.
"""

import datetime
from functools import cached_property

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import CreateView, ListView, UpdateView
from django_filters.views import FilterView

from organisations.http import safe_next
from organisations.scans import stored_scan_response
from organisations.school_year import current_school_year, school_year_choices, school_year_from, school_year_label
from organisations.tenancy import OrganisationMixin

from .extensions import register_columns
from .filters_bases import MenteeFilter, MentorFilter
from .forms_bases import AgreementForm, MenteeEntryForm, MentorDocumentForm, MentorEntryForm, PartnerForm
from .journal import access_record
from .models import AccessLogEntry, Gender, MenteeEntry, MentorDocument, MentorEntry, PartnerAgreement
from .selectors_bases import (
    mentee_entries,
    mentor_entries,
    mentor_register_entries,
    partners_with_mentor_counts,
    with_document_states,
)
from .services_bases import (
    MENTEE_TRANSITIONS,
    MENTOR_TRANSITIONS,
    documents_state,
    mentee_entry_save,
    mentee_set_status,
    mentor_entry_save,
    mentor_set_status,
    needs_documents,
)

VIEW, EDIT = "participants.view", "participants.edit"

# The button that moves an entry to a status.
MENTOR_ACTIONS = {
    MentorEntry.Status.APPROVED: "Утвердить",
    MentorEntry.Status.ACTIVE: "Приступил к работе",
    MentorEntry.Status.LEFT: "Выбыл",
}
MENTEE_ACTIONS = {
    MenteeEntry.Status.INCLUDED: "Включить в базу",
    MenteeEntry.Status.IN_PAIR: "В паре",
    MenteeEntry.Status.COMPLETED: "Завершил программу",
    MenteeEntry.Status.LEFT: "Выбыл",
}


def selected_year(request) -> int:
    """The school year of ?year=2026, or the current one."""
    return school_year_from(request.GET)


def _ending(person, masculine: str, feminine: str) -> str:
    return feminine if person.gender == Gender.FEMALE else masculine


def _actions(entry, transitions, labels) -> list[tuple[str, str]]:
    allowed = transitions[entry.status]
    return [(status, label) for status, label in labels.items() if status in allowed]


def _decorate_mentors(entries, on: datetime.date) -> list[MentorEntry]:
    """Document states and status buttons from prefetched data: no queries."""
    entries = with_document_states(entries, on=on)
    for entry in entries:
        entry.actions = _actions(entry, MENTOR_TRANSITIONS, MENTOR_ACTIONS)
    return entries


class YearMixin:
    """The school year a page shows (?year=2026, the current one by default) and the switcher."""

    @cached_property
    def year(self) -> int:
        return selected_year(self.request)

    def get_context_data(self, **kwargs):
        choices = school_year_choices(around=current_school_year())
        if self.year not in dict(choices):
            choices = sorted([*choices, (self.year, school_year_label(self.year))])
        kwargs.update(year=self.year, year_label=school_year_label(self.year), year_choices=choices)
        return super().get_context_data(**kwargs)


class PersonFromQueryMixin:
    """The person of ?person=<id>, of this school only; None without the parameter."""

    @cached_property
    def person(self):
        value = self.request.GET.get("person")
        if not value:
            return None
        if not value.isdigit():
            raise Http404
        return get_object_or_404(self.organisation.people, pk=value)

    def get_context_data(self, **kwargs):
        kwargs.setdefault("person", self.person)
        return super().get_context_data(**kwargs)


class _BaseListView(OrganisationMixin, YearMixin, FilterView):
    required_capability = VIEW
    paginate_by = 50

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs["organisation"] = self.organisation
        return kwargs

    def entries(self, year=None):
        raise NotImplementedError

    journal_what = ""  # «База наставников»

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_edit"] = self.access.can(EDIT)
        context["filtered"] = any(value for key, value in self.request.GET.items() if key not in {"year", "page"})
        if not context["paginator"] or not context["paginator"].count:
            context["year_is_empty"] = not self.entries().exists()
            if context["year_is_empty"]:
                # In September the new year is empty and last year's base is one click away: say so.
                previous = self.year - 1
                context["previous_year"] = previous
                context["previous_year_label"] = school_year_label(previous)
                context["previous_year_count"] = self.entries(previous).count()
        _journal_list(self, f"{self.journal_what} {school_year_label(self.year)}", len(context["object_list"]))
        return context


def _journal_list(view, what: str, shown: int) -> None:
    """A list page of people is a view of their personal data: one journal record per page."""
    if shown:
        access_record(
            request=view.request,
            organisation=view.organisation,
            action=AccessLogEntry.Action.VIEW,
            what=what,
            people_count=shown,
        )


# --- The mentor base -------------------------------------------------------------------


class MentorListView(_BaseListView):
    filterset_class = MentorFilter
    journal_what = "База наставников"
    template_name = "participants/mentor_list.html"

    def entries(self, year=None):
        return self.organisation.mentor_entries.filter(school_year=year or self.year)

    def get_queryset(self):
        return mentor_entries(organisation=self.organisation, year=self.year)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["object_list"] = _decorate_mentors(context["object_list"], timezone.localdate())
        return context


class MentorRegisterView(OrganisationMixin, YearMixin, ListView):
    """The approved mentors of a year: the list the order «об утверждении реестра» approves."""

    required_capability = VIEW
    template_name = "participants/mentor_register.html"

    def get_queryset(self):
        return mentor_register_entries(organisation=self.organisation, year=self.year)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        entries = _decorate_mentors(context["object_list"], timezone.localdate())
        columns = register_columns(organisation=self.organisation, person_ids=[e.person_id for e in entries])
        for entry in entries:
            entry.extra_cells = [values.get(entry.person_id, "—") for _, values in columns]
        context["object_list"] = entries
        context["extra_titles"] = [title for title, _ in columns]
        _journal_list(self, f"Реестр наставников {school_year_label(self.year)}", len(entries))
        return context


class _EntryFormMixin:
    """Shared by the create and edit pages of both bases."""

    base_label = ""  # «наставников»
    list_url_name = ""

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["organisation"] = self.organisation
        if self.object is None:
            kwargs.update(person=self.person, year=self.year)
        else:
            kwargs["year"] = self.object.school_year
        return kwargs

    def list_url(self, year: int) -> str:
        return reverse(self.list_url_name, kwargs={"org": self.organisation.slug}) + f"?year={year}"

    def get_success_url(self):
        return safe_next(self.request, self.list_url(self.object.school_year))

    def get_context_data(self, **kwargs):
        year = self.object.school_year if self.object else self.year
        kwargs.setdefault("back_url", safe_next(self.request, self.list_url(year)))
        kwargs["entry_year_label"] = school_year_label(year)
        return super().get_context_data(**kwargs)


class MentorCreateView(OrganisationMixin, YearMixin, PersonFromQueryMixin, _EntryFormMixin, CreateView):
    required_capability = EDIT
    form_class = MentorEntryForm
    template_name = "participants/mentor_form.html"
    list_url_name = "participants:mentor_list"

    def form_valid(self, form):
        self.object = mentor_entry_save(
            entry=form.build_entry(),
            preferred_forms=form.cleaned_data["preferred_forms"],
            tag_names=form.tag_names,
            user=self.request.user,
        )
        person = self.object.person
        messages.success(
            self.request,
            f"{person.short_name} {_ending(person, 'добавлен', 'добавлена')} в базу наставников "
            f"{school_year_label(self.object.school_year)} учебного года.",
        )
        return redirect(self.get_success_url())


class MentorUpdateView(OrganisationMixin, _EntryFormMixin, UpdateView):
    required_capability = EDIT
    form_class = MentorEntryForm
    template_name = "participants/mentor_form.html"
    context_object_name = "entry"
    list_url_name = "participants:mentor_list"

    def get_queryset(self):
        return self.organisation.mentor_entries.select_related("person__partner")

    def form_valid(self, form):
        mentor_entry_save(
            entry=form.build_entry(),
            preferred_forms=form.cleaned_data["preferred_forms"],
            tag_names=form.tag_names,
            user=self.request.user,
        )
        messages.success(self.request, f"Запись базы наставников ({self.object.person.short_name}) сохранена.")
        return redirect(self.get_success_url())

    def get_context_data(self, **kwargs):
        entry = self.object
        documents = MentorDocument.objects.filter(organisation=self.organisation, person=entry.person)
        kwargs["document_states"] = documents_state(documents) if needs_documents(entry.person) else None
        kwargs["actions"] = _actions(entry, MENTOR_TRANSITIONS, MENTOR_ACTIONS)
        kwargs["person"] = entry.person
        return super().get_context_data(**kwargs)


class _StatusView(OrganisationMixin, View):
    required_capability = EDIT
    http_method_names = ["post"]
    edit_url_name = ""

    def entries(self, year=None):
        raise NotImplementedError

    def set_status(self, entry, status):
        raise NotImplementedError

    def post(self, request, *args, **kwargs):
        entry = get_object_or_404(self.entries().select_related("person"), pk=kwargs["pk"])
        try:
            self.set_status(entry, request.POST.get("status", ""))
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, f"{entry.person.short_name}: статус «{entry.get_status_display()}».")
        default = reverse(self.edit_url_name, kwargs={"org": self.organisation.slug, "pk": entry.pk})
        return redirect(safe_next(request, default))


class MentorStatusView(_StatusView):
    edit_url_name = "participants:mentor_edit"

    def entries(self):
        return self.organisation.mentor_entries

    def set_status(self, entry, status):
        mentor_set_status(entry=entry, status=status, user=self.request.user)


# --- The mentee base -------------------------------------------------------------------


class MenteeListView(_BaseListView):
    filterset_class = MenteeFilter
    journal_what = "База наставляемых"
    template_name = "participants/mentee_list.html"

    def entries(self, year=None):
        return self.organisation.mentee_entries.filter(school_year=year or self.year)

    def get_queryset(self):
        return mentee_entries(organisation=self.organisation, year=self.year)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = list(context["object_list"])
        for entry in rows:
            entry.actions = _actions(entry, MENTEE_TRANSITIONS, MENTEE_ACTIONS)
        context["object_list"] = rows
        return context


class MenteeCreateView(OrganisationMixin, YearMixin, PersonFromQueryMixin, _EntryFormMixin, CreateView):
    required_capability = EDIT
    form_class = MenteeEntryForm
    template_name = "participants/mentee_form.html"
    list_url_name = "participants:mentee_list"

    def form_valid(self, form):
        self.object = mentee_entry_save(entry=form.build_entry(), tag_names=form.tag_names, user=self.request.user)
        person = self.object.person
        messages.success(
            self.request,
            f"{person.short_name} {_ending(person, 'добавлен', 'добавлена')} в базу наставляемых "
            f"{school_year_label(self.object.school_year)} учебного года.",
        )
        return redirect(self.get_success_url())


class MenteeUpdateView(OrganisationMixin, _EntryFormMixin, UpdateView):
    required_capability = EDIT
    form_class = MenteeEntryForm
    template_name = "participants/mentee_form.html"
    context_object_name = "entry"
    list_url_name = "participants:mentee_list"

    def get_queryset(self):
        return self.organisation.mentee_entries.select_related("person")

    def form_valid(self, form):
        mentee_entry_save(entry=form.build_entry(), tag_names=form.tag_names, user=self.request.user)
        messages.success(self.request, f"Запись базы наставляемых ({self.object.person.short_name}) сохранена.")
        return redirect(self.get_success_url())

    def get_context_data(self, **kwargs):
        kwargs["actions"] = _actions(self.object, MENTEE_TRANSITIONS, MENTEE_ACTIONS)
        kwargs["person"] = self.object.person
        return super().get_context_data(**kwargs)


class MenteeStatusView(_StatusView):
    edit_url_name = "participants:mentee_edit"

    def entries(self):
        return self.organisation.mentee_entries

    def set_status(self, entry, status):
        mentee_set_status(entry=entry, status=status, user=self.request.user)


# --- Documents of mentors --------------------------------------------------------------


def _delete_file_later(storage, name: str) -> None:
    """Removes a stored file once the transaction that dropped its last reference commits."""
    if name:
        transaction.on_commit(lambda: storage.delete(name))


class _DocumentMixin:
    form_class = MentorDocumentForm
    template_name = "participants/document_form.html"
    context_object_name = "document"

    def get_queryset(self):
        return MentorDocument.objects.filter(organisation=self.organisation).select_related("person")

    def get_success_url(self):
        return safe_next(self.request, self.object.person.get_absolute_url())

    def journal(self, what: str) -> None:
        access_record(
            request=self.request,
            organisation=self.organisation,
            action=AccessLogEntry.Action.CHANGE,
            what=f"{what}: {self.object.get_kind_display()}",
            person=self.object.person,
        )


class DocumentCreateView(OrganisationMixin, PersonFromQueryMixin, _DocumentMixin, CreateView):
    required_capability = EDIT

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(organisation=self.organisation, person=self.person)
        return kwargs

    @transaction.atomic
    def form_valid(self, form):
        self.object = form.build_document()
        self.object.recorded_by = self.request.user
        self.object.save()
        self.journal("Документ наставника внесён")
        messages.success(self.request, f"Документ внесён: {self.object.get_kind_display()}.")
        return redirect(self.get_success_url())

    def get_context_data(self, **kwargs):
        back = (
            self.person.get_absolute_url()
            if self.person
            else reverse("participants:mentor_list", kwargs={"org": self.organisation.slug})
        )
        kwargs.setdefault("back_url", safe_next(self.request, back))
        return super().get_context_data(**kwargs)


class DocumentUpdateView(OrganisationMixin, _DocumentMixin, UpdateView):
    required_capability = EDIT

    def get_object(self, queryset=None):
        document = super().get_object(queryset)
        self.stored_file_name = document.file.name
        return document

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(organisation=self.organisation, person=self.object.person)
        return kwargs

    @transaction.atomic
    def form_valid(self, form):
        self.object = form.save()
        if self.stored_file_name and self.object.file.name != self.stored_file_name:
            _delete_file_later(self.object.file.storage, self.stored_file_name)
        self.journal("Документ наставника изменён")
        messages.success(self.request, f"Документ сохранён: {self.object.get_kind_display()}.")
        return redirect(self.get_success_url())

    def get_context_data(self, **kwargs):
        kwargs.setdefault("person", self.object.person)
        kwargs.setdefault("back_url", safe_next(self.request, self.object.person.get_absolute_url()))
        return super().get_context_data(**kwargs)


class DocumentDeleteView(OrganisationMixin, View):
    required_capability = EDIT
    http_method_names = ["post"]

    @transaction.atomic
    def post(self, request, *args, **kwargs):
        queryset = MentorDocument.objects.filter(organisation=self.organisation).select_related("person")
        document = get_object_or_404(queryset, pk=kwargs["pk"])
        person, label = document.person, document.get_kind_display()
        access_record(
            request=request,
            organisation=self.organisation,
            action=AccessLogEntry.Action.CHANGE,
            what=f"Документ наставника удалён: {label}",
            person=person,
        )
        _delete_file_later(document.file.storage, document.file.name)
        document.delete()
        messages.success(request, f"Документ удалён: {label}.")
        return redirect(safe_next(request, person.get_absolute_url()))


class DocumentFileView(OrganisationMixin, View):
    """The scan of a mentor's document; every opening is recorded in the access journal."""

    required_capability = VIEW

    def get(self, request, *args, **kwargs):
        queryset = MentorDocument.objects.filter(organisation=self.organisation).select_related("person")
        document = get_object_or_404(queryset, pk=kwargs["pk"])
        if not document.file:
            messages.warning(request, "Скан этого документа не загружен.")
            return redirect(document.person.get_absolute_url())
        response = stored_scan_response(
            document.file, download_name=f"{document.get_kind_display()} — {document.person.short_name}"
        )
        access_record(
            request=request,
            organisation=self.organisation,
            action=AccessLogEntry.Action.VIEW,
            what=f"Скан документа наставника: {document.get_kind_display()}",
            person=document.person,
        )
        return response


# --- Partners and agreements -----------------------------------------------------------


class PartnerListView(OrganisationMixin, YearMixin, ListView):
    required_capability = VIEW
    template_name = "participants/partner_list.html"
    paginate_by = 50

    def get_queryset(self):
        return partners_with_mentor_counts(organisation=self.organisation, year=self.year)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_edit"] = self.access.can(EDIT)
        context["totals"] = (
            self.get_queryset()
            .order_by()
            .aggregate(partners=Count("pk"), providing=Count("pk", filter=Q(mentors_provided__gt=0)))
        )
        context["today"] = timezone.localdate()
        return context


class _PartnerFormMixin:
    form_class = PartnerForm
    template_name = "participants/partner_form.html"
    context_object_name = "partner"

    def get_queryset(self):
        return self.organisation.partners.all()

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["organisation"] = self.organisation
        return kwargs

    def get_success_url(self):
        return safe_next(self.request, reverse("participants:partner_list", kwargs={"org": self.organisation.slug}))

    def form_valid(self, form):
        self.object = form.build_partner()
        self.object.save()
        messages.success(self.request, f"Партнёр «{self.object.name}» сохранён.")
        return redirect(self.get_success_url())


class PartnerCreateView(OrganisationMixin, _PartnerFormMixin, CreateView):
    required_capability = EDIT


class PartnerUpdateView(OrganisationMixin, _PartnerFormMixin, UpdateView):
    required_capability = EDIT

    def get_context_data(self, **kwargs):
        kwargs["agreements"] = self.object.agreements.order_by("-signed_on")
        kwargs["employees"] = self.object.employees.order_by("last_name", "first_name")
        return super().get_context_data(**kwargs)


class _AgreementMixin:
    form_class = AgreementForm
    template_name = "participants/agreement_form.html"
    context_object_name = "agreement"

    def get_queryset(self):
        return PartnerAgreement.objects.filter(organisation=self.organisation).select_related("partner")

    def get_success_url(self):
        return safe_next(self.request, reverse("participants:partner_list", kwargs={"org": self.organisation.slug}))


class AgreementCreateView(OrganisationMixin, _AgreementMixin, CreateView):
    required_capability = EDIT

    @cached_property
    def partner(self):
        value = self.request.GET.get("partner")
        if not value:
            return None
        if not value.isdigit():
            raise Http404
        return get_object_or_404(self.organisation.partners, pk=value)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(organisation=self.organisation, partner=self.partner)
        return kwargs

    def get_context_data(self, **kwargs):
        kwargs.setdefault("partner", self.partner)
        return super().get_context_data(**kwargs)

    def form_valid(self, form):
        self.object = form.build_agreement()
        self.object.save()
        messages.success(self.request, f"Соглашение {self.object} с партнёром «{self.object.partner}» внесено.")
        return redirect(self.get_success_url())


class AgreementUpdateView(OrganisationMixin, _AgreementMixin, UpdateView):
    required_capability = EDIT

    def get_object(self, queryset=None):
        agreement = super().get_object(queryset)
        self.stored_file_name = agreement.file.name
        return agreement

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["organisation"] = self.organisation
        return kwargs

    def get_context_data(self, **kwargs):
        kwargs.setdefault("partner", self.object.partner)
        return super().get_context_data(**kwargs)

    @transaction.atomic
    def form_valid(self, form):
        self.object = form.save()
        if self.stored_file_name and self.object.file.name != self.stored_file_name:
            _delete_file_later(self.object.file.storage, self.stored_file_name)
        messages.success(self.request, f"Соглашение {self.object} сохранено.")
        return redirect(self.get_success_url())


class AgreementFileView(OrganisationMixin, View):
    required_capability = VIEW

    def get(self, request, *args, **kwargs):
        queryset = PartnerAgreement.objects.filter(organisation=self.organisation).select_related("partner")
        agreement = get_object_or_404(queryset, pk=kwargs["pk"])
        if not agreement.file:
            messages.warning(request, "Скан этого соглашения не загружен.")
            return redirect("participants:partner_list", org=self.organisation.slug)
        return stored_scan_response(
            agreement.file, download_name=f"Соглашение № {agreement.number} от {agreement.signed_on:%d.%m.%Y}"
        )
