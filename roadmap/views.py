"""Pages of roadmaps: the table as schools print it, the timeline, items, progress, «мои мероприятия»."""

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.generic import FormView, TemplateView, View

from organisations.http import safe_next
from organisations.russian import plural
from organisations.scans import stored_scan_response
from organisations.tenancy import OrganisationMixin

from . import selectors, services
from .deadlines import DeadlineKind, parse_deadline
from .forms import (
    ApproveForm,
    DoneForm,
    EvidenceForm,
    ItemForm,
    ItemProgressForm,
    RoadmapCopyForm,
    RoadmapCreateForm,
    RoadmapEditForm,
    SectionForm,
    next_period,
)
from .models import Evidence, Item, Occurrence, Roadmap, Section
from .template import STANDARD_TEMPLATE
from .texts import signature_of

VIEW, EDIT, APPROVE = "roadmap.view", "roadmap.edit", "roadmap.approve"
ERROR_NOT_RESPONSIBLE = (
    "Недостаточно прав: отмечать выполнение могут ответственные за мероприятие и те, кто ведёт дорожную карту."
)
STATUS_ACTIONS = {
    Occurrence.Status.IN_PROGRESS: "Выполняется",
    Occurrence.Status.PLANNED: "Вернуть в план",
    Occurrence.Status.CANCELLED: "Отменить",
}


def _ok(request, call, **kwargs) -> bool:
    """Runs a service; a refusal becomes an error message and False."""
    try:
        call(**kwargs)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return False
    return True


def _form_errors(form, error: ValidationError) -> None:
    for message in error.messages:
        form.add_error(None, message)


class RoadmapMixin(OrganisationMixin):
    """A roadmap of the organisation from the URL's pk; another organisation's one is a 404."""

    @property
    def roadmap(self) -> Roadmap:
        if not hasattr(self, "_roadmap"):
            self._roadmap = selectors.roadmap_get(organisation=self.organisation, pk=self.kwargs["pk"])
        return self._roadmap

    def get_context_data(self, **kwargs):
        kwargs.setdefault("roadmap", self.roadmap)
        kwargs.setdefault("can_edit", self.access.can(EDIT) and not self.roadmap.is_archived)
        kwargs.setdefault("can_approve", self.access.can(APPROVE))
        return super().get_context_data(**kwargs)


# --- Roadmaps ---------------------------------------------------------------------------------


class RoadmapListView(OrganisationMixin, TemplateView):
    required_capability = VIEW
    template_name = "roadmap/roadmap_list.html"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        roadmaps = list(selectors.roadmaps_with_completion(organisation=self.organisation, today=today))
        for roadmap in roadmaps:
            roadmap.completion = selectors.Completion.of(roadmap)
        kwargs.update(
            roadmaps=roadmaps,
            can_edit=self.access.can(EDIT),
            live=[r for r in roadmaps if not r.is_archived],
            archived=[r for r in roadmaps if r.is_archived],
        )
        return super().get_context_data(**kwargs)


class RoadmapCreateView(OrganisationMixin, FormView):
    required_capability = EDIT
    form_class = RoadmapCreateForm
    template_name = "roadmap/roadmap_create.html"

    def form_valid(self, form):
        template = None if form.cleaned_data["source"] == form.EMPTY else STANDARD_TEMPLATE
        try:
            roadmap = services.roadmap_create(
                organisation=self.organisation,
                title=form.title_or_default(),
                starts_on=form.period.start,
                ends_on=form.period.end,
                user=self.request.user,
                template=template,
            )
        except ValidationError as error:
            _form_errors(form, error)
            return self.form_invalid(form)
        count = roadmap.items.count()
        messages.success(
            self.request,
            f"Дорожная карта создана: {count} {plural(count, 'мероприятие', 'мероприятия', 'мероприятий')}."
            if count
            else "Дорожная карта создана. Добавьте разделы и мероприятия.",
        )
        return redirect(roadmap.get_absolute_url())


class RoadmapDetailView(RoadmapMixin, TemplateView):
    """The table as schools print it: Содержание | Сроки | Ожидаемый результат | Показатели | Ответственный."""

    required_capability = VIEW
    template_name = "roadmap/roadmap_detail.html"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        table = selectors.roadmap_table(roadmap=self.roadmap, today=today)
        progress = {}
        if self.organisation.is_authority:
            progress = selectors.district_item_progress(roadmap=self.roadmap, today=today)
        can_edit = self.access.can(EDIT) and not self.roadmap.is_archived
        user_id = self.request.user.pk
        for rows in table.sections:
            for item in rows.items:
                item.state = item.progress(today)
                item.schools_progress = progress.get(item.pk)
                responsibles = list(item.responsibles.all())
                item.responsible_names = [r.name for r in responsibles]
                item.can_report = not self.roadmap.is_archived and (
                    can_edit
                    or any(r.user_id == user_id or (r.person_id and r.person.user_id == user_id) for r in responsibles)
                )
        kwargs.update(table=table, today=today)
        return super().get_context_data(**kwargs)


class RoadmapTimelineView(RoadmapMixin, TemplateView):
    required_capability = VIEW
    template_name = "roadmap/roadmap_timeline.html"

    def get_context_data(self, **kwargs):
        kwargs.update(timeline=selectors.roadmap_timeline(roadmap=self.roadmap), today=timezone.localdate())
        return super().get_context_data(**kwargs)


class RoadmapEditView(RoadmapMixin, FormView):
    required_capability = EDIT
    form_class = RoadmapEditForm
    template_name = "roadmap/roadmap_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "period": self.roadmap.period}

    def get_initial(self):
        return {"title": self.roadmap.title}

    def form_valid(self, form):
        try:
            services.roadmap_update(
                roadmap=self.roadmap,
                title=form.cleaned_data["title"],
                starts_on=form.period.start,
                ends_on=form.period.end,
            )
        except ValidationError as error:
            _form_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, "Дорожная карта сохранена.")
        return redirect(self.roadmap.get_absolute_url())


class RoadmapCopyView(RoadmapMixin, FormView):
    required_capability = EDIT
    form_class = RoadmapCopyForm
    template_name = "roadmap/roadmap_copy.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "period": next_period(self.roadmap)}

    def form_valid(self, form):
        try:
            copy = services.roadmap_copy(
                roadmap=self.roadmap,
                title=form.title_or_default(),
                starts_on=form.period.start,
                ends_on=form.period.end,
                user=self.request.user,
            )
        except ValidationError as error:
            _form_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, f"Создана копия на {copy.period_label}: сроки перенесены в новый период.")
        return redirect(copy.get_absolute_url())


class RoadmapApproveView(RoadmapMixin, FormView):
    required_capability = APPROVE
    form_class = ApproveForm
    template_name = "roadmap/roadmap_approve.html"

    def get_initial(self):
        organisation = self.organisation
        position = organisation.director_position or ("Начальник" if organisation.is_authority else "Директор")
        return {
            "approver_position": f"{position} {organisation.short_name}",
            "approver_name": signature_of(organisation.director_name) if organisation.director_name else "",
            "approved_on": timezone.localdate(),
        }

    def form_valid(self, form):
        try:
            services.roadmap_approve(roadmap=self.roadmap, user=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            _form_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, "Дорожная карта утверждена.")
        return redirect(self.roadmap.get_absolute_url())


class _RoadmapActionView(RoadmapMixin, View):
    http_method_names = ["post"]
    success_message = ""

    def act(self):
        raise NotImplementedError

    def post(self, request, *args, **kwargs):
        if _ok(request, self.act):
            messages.success(request, self.success_message)
        return redirect(self.roadmap.get_absolute_url())


class RoadmapReturnToDraftView(_RoadmapActionView):
    required_capability = APPROVE
    success_message = "Утверждение снято: дорожная карта снова черновик."

    def act(self):
        return services.roadmap_return_to_draft(roadmap=self.roadmap, user=self.request.user)


class RoadmapArchiveView(_RoadmapActionView):
    required_capability = EDIT
    success_message = "Дорожная карта перенесена в архив."

    def act(self):
        return services.roadmap_archive(roadmap=self.roadmap, user=self.request.user)


class RoadmapDeleteView(RoadmapMixin, View):
    required_capability = EDIT
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        title = self.roadmap.title
        try:
            services.roadmap_delete(roadmap=self.roadmap)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(self.roadmap.get_absolute_url())
        messages.success(request, f"Дорожная карта «{title}» удалена.")
        return redirect("roadmap:list", org=self.organisation.slug)


# --- Sections ---------------------------------------------------------------------------------


class SectionCreateView(RoadmapMixin, FormView):
    required_capability = EDIT
    form_class = SectionForm
    template_name = "roadmap/section_form.html"

    def form_valid(self, form):
        try:
            services.section_create(roadmap=self.roadmap, title=form.cleaned_data["title"])
        except ValidationError as error:
            _form_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, "Раздел добавлен.")
        return redirect(self.roadmap.get_absolute_url())


class _SectionMixin(OrganisationMixin):
    required_capability = EDIT

    @property
    def section(self) -> Section:
        if not hasattr(self, "_section"):
            sections = Section.objects.filter(organisation=self.organisation).select_related("roadmap__organisation")
            self._section = get_object_or_404(sections, pk=self.kwargs["pk"])
        return self._section


class SectionEditView(_SectionMixin, FormView):
    form_class = SectionForm
    template_name = "roadmap/section_form.html"

    def get_initial(self):
        return {"title": self.section.title}

    def get_context_data(self, **kwargs):
        kwargs.update(roadmap=self.section.roadmap, section=self.section)
        return super().get_context_data(**kwargs)

    def form_valid(self, form):
        try:
            services.section_update(section=self.section, title=form.cleaned_data["title"])
        except ValidationError as error:
            _form_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, "Раздел сохранён.")
        return redirect(self.section.roadmap.get_absolute_url())


class SectionDeleteView(_SectionMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        roadmap = self.section.roadmap
        if _ok(request, services.section_delete, section=self.section):
            messages.success(request, "Раздел удалён.")
        return redirect(roadmap.get_absolute_url())


# --- Items ------------------------------------------------------------------------------------


def _deadline_check_url(organisation, roadmap) -> str:
    return reverse("roadmap:deadline_check", kwargs={"org": organisation.slug}) + f"?roadmap={roadmap.pk}"


class ItemCreateView(RoadmapMixin, FormView):
    required_capability = EDIT
    form_class = ItemForm
    template_name = "roadmap/item_form.html"

    def get(self, request, *args, **kwargs):
        if self.roadmap.is_district_copy or self.roadmap.is_archived:
            messages.error(
                request, services.ERROR_DISTRICT_COPY if self.roadmap.is_district_copy else services.ERROR_ARCHIVED
            )
            return redirect(self.roadmap.get_absolute_url())
        if not self.roadmap.sections.exists():
            messages.info(request, "Сначала добавьте раздел: мероприятия группируются по разделам.")
            return redirect("roadmap:section_add", org=self.organisation.slug, pk=self.roadmap.pk)
        return super().get(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(roadmap=self.roadmap, deadline_check_url=_deadline_check_url(self.organisation, self.roadmap))
        return kwargs

    def get_initial(self):
        section = self.request.GET.get("section", "")
        return {"section": int(section)} if section.isdigit() else {}

    def form_valid(self, form):
        try:
            item = services.item_create(roadmap=self.roadmap, **form.service_kwargs())
        except ValidationError as error:
            _form_errors(form, error)
            return self.form_invalid(form)
        _report_deadline(self.request, item)
        messages.success(self.request, "Мероприятие добавлено.")
        return redirect(f"{self.roadmap.get_absolute_url()}#item-{item.pk}")


def _report_deadline(request, item: Item) -> None:
    if item.deadline_kind == DeadlineKind.TEXT:
        messages.warning(
            request,
            f"Срок «{item.deadline_text}» не распознан: мероприятие сохранено без даты, напоминаний по нему не будет. "
            "Уточните срок, например: «сентябрь 2026», «до 15.10.2026», «ежегодно в мае».",
        )


class _ItemMixin(OrganisationMixin):
    @property
    def item(self) -> Item:
        if not hasattr(self, "_item"):
            self._item = get_object_or_404(selectors.items_of(organisation=self.organisation), pk=self.kwargs["pk"])
        return self._item


class ItemDetailView(_ItemMixin, TemplateView):
    required_capability = VIEW
    template_name = "roadmap/item_detail.html"

    def get_context_data(self, **kwargs):
        item = self.item
        today = timezone.localdate()
        occurrences = list(
            item.occurrences.select_related("done_by").prefetch_related(
                Prefetch("evidence", queryset=Evidence.objects.select_related("added_by", "document_type"))
            )
        )
        can_report = selectors.can_report_progress(access=self.access, user=self.request.user, item=item)
        kwargs.update(
            item=item,
            roadmap=item.roadmap,
            occurrences=occurrences,
            responsibles=list(item.responsibles.select_related("user", "person")),
            today=today,
            can_edit=self.access.can(EDIT) and not item.roadmap.is_archived,
            can_report=can_report and not item.roadmap.is_archived,
            status_actions=STATUS_ACTIONS,
        )
        for occurrence in occurrences:
            occurrence.evidence_form = EvidenceForm(auto_id=f"evidence-{occurrence.pk}-%s")
        if self.organisation.is_authority:
            kwargs["school_items"] = selectors.district_item_schools(item=item)
        return super().get_context_data(**kwargs)


class ItemEditView(_ItemMixin, FormView):
    required_capability = EDIT
    template_name = "roadmap/item_form.html"

    def get_form_class(self):
        return ItemProgressForm if self.item.roadmap.is_district_copy else ItemForm

    def get_form_kwargs(self):
        kwargs = {**super().get_form_kwargs(), "instance": self.item, "roadmap": self.item.roadmap}
        if not self.item.roadmap.is_district_copy:
            kwargs["deadline_check_url"] = _deadline_check_url(self.organisation, self.item.roadmap)
        return kwargs

    def get_initial(self):
        return {"section": self.item.section_id}

    def get_context_data(self, **kwargs):
        kwargs.update(item=self.item, roadmap=self.item.roadmap)
        return super().get_context_data(**kwargs)

    def form_valid(self, form):
        item = self.item
        try:
            if item.roadmap.is_district_copy:
                services.item_update_progress(item=item, **form.service_kwargs())
            else:
                services.item_update(item=item, **form.service_kwargs())
        except ValidationError as error:
            _form_errors(form, error)
            return self.form_invalid(form)
        _report_deadline(self.request, item)
        messages.success(self.request, "Мероприятие сохранено.")
        return redirect(item.get_absolute_url())


class ItemDeleteView(_ItemMixin, View):
    required_capability = EDIT
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        roadmap = self.item.roadmap
        try:
            services.item_delete(item=self.item)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(self.item.get_absolute_url())
        messages.success(request, "Мероприятие удалено.")
        return redirect(roadmap.get_absolute_url())


class DeadlineCheckView(OrganisationMixin, View):
    """htmx: how the typed deadline is understood, shown under the field as the curator types."""

    required_capability = EDIT

    def get(self, request, *args, **kwargs):
        roadmap_id = request.GET.get("roadmap", "")
        roadmap = (
            selectors.roadmap_get(organisation=self.organisation, pk=int(roadmap_id)) if roadmap_id.isdigit() else None
        )
        text = request.GET.get("deadline_text", "")[:300]
        context = {"text": text}
        if roadmap is not None:
            deadline = parse_deadline(text, period=roadmap.period)
            context.update(
                deadline=deadline,
                occurrences=[due for _, due in deadline.occurrences(roadmap.period) if due],
                recognised=deadline.kind != DeadlineKind.TEXT,
            )
        return render(request, "roadmap/_deadline_check.html", context)


# --- Progress ---------------------------------------------------------------------------------


class _OccurrenceMixin(OrganisationMixin):
    """An occurrence of the organisation that the user may report on (editor or responsible)."""

    required_capability = VIEW

    @property
    def occurrence(self) -> Occurrence:
        if not hasattr(self, "_occurrence"):
            occurrences = selectors.occurrences_of(organisation=self.organisation)
            self._occurrence = get_object_or_404(occurrences, pk=self.kwargs["pk"])
            item = self._occurrence.item
            if not selectors.can_report_progress(access=self.access, user=self.request.user, item=item):
                raise PermissionDenied(ERROR_NOT_RESPONSIBLE)
        return self._occurrence

    def back_url(self) -> str:
        return safe_next(self.request, self.occurrence.item.get_absolute_url())


class OccurrenceDoneView(_OccurrenceMixin, FormView):
    form_class = DoneForm
    template_name = "roadmap/occurrence_done.html"

    def get(self, request, *args, **kwargs):
        self.occurrence  # noqa: B018 - 404 or 403 before the form
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self.occurrence  # noqa: B018
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "occurrence": self.occurrence}

    def get_context_data(self, **kwargs):
        kwargs.update(
            occurrence=self.occurrence,
            item=self.occurrence.item,
            roadmap=self.occurrence.item.roadmap,
            back_url=self.back_url(),
        )
        return super().get_context_data(**kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            services.occurrence_mark_done(
                occurrence=self.occurrence,
                user=self.request.user,
                done_on=data["done_on"],
                comment=data["comment"],
                url=data["url"],
                file=data["file"],
            )
        except ValidationError as error:
            _form_errors(form, error)
            return self.form_invalid(form)
        messages.success(self.request, "Выполнение отмечено.")
        return redirect(self.back_url())


class OccurrenceStatusView(_OccurrenceMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        status = request.POST.get("status", "")
        if _ok(request, services.occurrence_set_status, occurrence=self.occurrence, status=status, user=request.user):
            messages.success(request, f"Статус изменён: «{self.occurrence.get_status_display()}».")
        return redirect(self.back_url())


class EvidenceAddView(_OccurrenceMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = EvidenceForm(request.POST, request.FILES)
        if not form.is_valid():
            for errors in form.errors.values():
                messages.error(request, " ".join(errors))
            return redirect(self.back_url())
        if _ok(request, services.evidence_add, occurrence=self.occurrence, user=request.user, **form.cleaned_data):
            messages.success(request, "Подтверждение добавлено.")
        return redirect(self.back_url())


class _EvidenceMixin(OrganisationMixin):
    required_capability = VIEW

    def evidence(self) -> Evidence:
        queryset = Evidence.objects.filter(organisation=self.organisation).select_related("occurrence__item")
        return get_object_or_404(queryset, pk=self.kwargs["pk"])


class EvidenceFileView(_EvidenceMixin, View):
    """The file attached as evidence: only through this view, never by a public URL."""

    def get(self, request, *args, **kwargs):
        evidence = self.evidence()
        if not evidence.file:
            messages.warning(request, "К этому подтверждению файл не приложен.")
            return redirect(evidence.occurrence.item.get_absolute_url())
        name = evidence.file_name.rsplit(".", 1)[0] or "подтверждение"
        return stored_scan_response(evidence.file, download_name=name)


class EvidenceDeleteView(_EvidenceMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        evidence = self.evidence()
        item = evidence.occurrence.item
        if not selectors.can_report_progress(access=self.access, user=request.user, item=item):
            raise PermissionDenied(ERROR_NOT_RESPONSIBLE)
        if _ok(request, services.evidence_delete, evidence=evidence):
            messages.success(request, "Подтверждение удалено.")
        return redirect(item.get_absolute_url())


# --- Мои мероприятия --------------------------------------------------------------------------


class MyItemsView(OrganisationMixin, TemplateView):
    required_capability = VIEW
    template_name = "roadmap/my_items.html"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        occurrences = list(
            selectors.my_occurrences(organisation=self.organisation, user=self.request.user, today=today)
        )
        groups = {"overdue": [], "soon": [], "later": [], "undated": [], "done": []}
        soon = today + datetime.timedelta(days=30)
        for occurrence in occurrences:
            if occurrence.status == Occurrence.Status.CANCELLED:
                continue
            if occurrence.status == Occurrence.Status.DONE:
                groups["done"].append(occurrence)
            elif occurrence.due_on is None:
                groups["undated"].append(occurrence)
            elif occurrence.due_on < today:
                groups["overdue"].append(occurrence)
            elif occurrence.due_on <= soon:
                groups["soon"].append(occurrence)
            else:
                groups["later"].append(occurrence)
        groups["done"] = sorted(groups["done"], key=lambda o: o.done_on, reverse=True)[:20]
        kwargs.update(groups=groups, today=today, total=len(occurrences))
        return super().get_context_data(**kwargs)
