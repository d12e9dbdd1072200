"""Pages of programmes and stages, pairs and groups, matching and the best-practice bank.

Every object is fetched through ``self.organisation``: another school's object gives 404.
"""

from functools import cached_property

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import FormView, ListView, TemplateView

from organisations.http import safe_next
from organisations.russian import plural
from organisations.scans import stored_scan_response
from organisations.tenancy import OrganisationMixin
from participants.journal import access_record
from participants.models import AccessLogEntry, Person, RoleModel
from participants.questionnaires.forms import PeopleSendForm
from participants.views_bases import PersonFromQueryMixin
from roadmap.stages import STAGE_SUMMARIES, Stage

from .filters import PairFilter
from .forms import (
    CaseForm,
    MatchingRunForm,
    PairCloseForm,
    PairCreateForm,
    PairEditForm,
    PairRepairForm,
    ProgrammeEditForm,
    WeightsForm,
)
from .models import MatchDecision, Pair, Programme
from .selectors import (
    best_practice_pairs,
    case_photos,
    form_role_models,
    matching_gaps,
    matching_run,
    pairs_for_list,
    programme_forms,
    programme_pair_counts,
    programme_stage_activities,
    programme_weights,
    programmes_with_counts,
    publication_consent_missing,
    stage_checklist,
)
from .selectors_meetings import CLOSE_OFFER_DAYS, INACTIVE_DAYS, mark_inactivity, with_last_meeting
from .services import (
    match_decision_set,
    pair_activate,
    pair_case_save,
    pair_close,
    pair_edit_refusal,
    pair_form,
    pair_mentees_to_mentor_base,
    pair_repair,
    pair_update,
    pairs_form_many,
    programme_advance,
    programme_save,
    programme_weights_save,
)
from .services_employees import early_ends_close_due
from .stage_documents import stage_indicators

VIEW, MANAGE = "pairs.view", "programme.manage"


def _error_messages(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _questionnaire_form(view):
    """The «Отправить анкету» form of the pair and programme pages (views_questionnaires.py sends)."""
    if not view.access.can("participants.edit"):
        return None
    return PeopleSendForm(organisation=view.organisation, auto_id="questionnaire_%s")


# --- Programmes -----------------------------------------------------------------------------


class ProgrammeMixin:
    """The programme of the URL's ``pk``, of this school only."""

    programme_kwarg = "pk"

    @cached_property
    def programme(self) -> Programme:
        queryset = self.organisation.programmes.select_related("curator")
        return get_object_or_404(queryset, pk=self.kwargs[self.programme_kwarg])

    def get_context_data(self, **kwargs):
        kwargs.setdefault("programme", self.programme)
        return super().get_context_data(**kwargs)


class ProgrammeListView(OrganisationMixin, ListView):
    required_capability = VIEW
    template_name = "mentorship/programme_list.html"

    def get_queryset(self):
        return programmes_with_counts(organisation=self.organisation)

    def get_context_data(self, **kwargs):
        kwargs["can_manage"] = self.access.can(MANAGE)
        kwargs["kinds"] = Programme.Kind.choices
        return super().get_context_data(**kwargs)


class _ProgrammeFormView(OrganisationMixin, FormView):
    required_capability = MANAGE
    form_class = ProgrammeEditForm
    template_name = "mentorship/programme_form.html"

    def get_instance(self) -> Programme:
        raise NotImplementedError

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(instance=self.get_instance(), organisation=self.organisation)
        return kwargs

    def form_valid(self, form):
        programme = form.save(commit=False)
        try:
            programme_save(
                programme=programme,
                forms=form.cleaned_data["enabled_forms"],
                role_models=form.cleaned_data["role_models"],
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
            return self.form_invalid(form)
        messages.success(self.request, f"Программа «{programme.title}» сохранена.")
        return redirect("mentorship:programme_detail", org=self.organisation.slug, pk=programme.pk)


class ProgrammeCreateView(_ProgrammeFormView):
    def get_instance(self) -> Programme:
        kind = self.request.GET.get("kind") or self.request.POST.get("kind")
        if kind not in Programme.Kind.values:
            kind = Programme.Kind.STUDENTS
        return Programme(organisation=self.organisation, kind=kind)


class ProgrammeEditView(ProgrammeMixin, _ProgrammeFormView):
    def get_instance(self) -> Programme:
        return self.programme


class ProgrammeDetailView(ProgrammeMixin, OrganisationMixin, TemplateView):
    required_capability = VIEW
    template_name = "mentorship/programme_detail.html"

    def get_context_data(self, **kwargs):
        programme = self.programme
        kwargs.update(
            stages=[(stage, STAGE_SUMMARIES[stage]) for stage in Stage],
            checklist=stage_checklist(programme=programme),
            indicators=stage_indicators(programme=programme, stage=programme.current_stage),
            activities=programme_stage_activities(programme=programme),
            counts=programme_pair_counts(programme=programme),
            transitions=programme.transitions.select_related("moved_by")[:10],
            enabled_forms=programme.forms.all(),
            enabled_role_models=programme.role_models.select_related("form"),
            can_manage=self.access.can(MANAGE),
            is_last_stage=programme.current_stage == Stage.COMPLETION,
            questionnaire_form=_questionnaire_form(self),
        )
        return super().get_context_data(**kwargs)


class ProgrammeAdvanceView(ProgrammeMixin, OrganisationMixin, TemplateView):
    """A confirmation page with what the current stage still misses; POST moves on anyway."""

    required_capability = MANAGE
    template_name = "mentorship/stage_advance.html"

    def get_context_data(self, **kwargs):
        programme = self.programme
        kwargs.update(
            checklist=stage_checklist(programme=programme),
            activities=programme_stage_activities(programme=programme),
            current=Stage(programme.current_stage),
            next_stage=Stage(programme.current_stage + 1) if programme.current_stage < Stage.COMPLETION else None,
        )
        return super().get_context_data(**kwargs)

    def post(self, request, *args, **kwargs):
        try:
            transition = programme_advance(programme=self.programme, user=request.user)
        except ValidationError as error:
            _error_messages(request, error)
        else:
            messages.success(request, f"Программа переведена на этап «{Stage(transition.to_stage).label}».")
        return redirect("mentorship:programme_detail", org=self.organisation.slug, pk=self.programme.pk)


class ProgrammeWeightsView(ProgrammeMixin, OrganisationMixin, FormView):
    required_capability = MANAGE
    form_class = WeightsForm
    template_name = "mentorship/matching_weights.html"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["weights"] = programme_weights(programme=self.programme)
        return kwargs

    def form_valid(self, form):
        programme_weights_save(programme=self.programme, weights=form.weights)
        messages.success(self.request, "Веса критериев подбора сохранены.")
        return redirect(
            safe_next(self.request, reverse("mentorship:matching", args=[self.organisation.slug, self.programme.pk]))
        )


# --- Matching -------------------------------------------------------------------------------


class MatchingView(ProgrammeMixin, OrganisationMixin, TemplateView):
    required_capability = MANAGE
    template_name = "mentorship/matching.html"

    def get_context_data(self, **kwargs):
        programme = self.programme
        data = self.request.GET if "form" in self.request.GET else None
        if data is None:
            first = programme_forms(programme=programme).first()
            data = {"form": first.pk} if first else None
        run_form = MatchingRunForm(data, programme=programme)
        kwargs["run_form"] = run_form
        if data is not None and run_form.is_valid():
            form = run_form.cleaned_data["form"]
            run = matching_run(programme=programme, form=form, role_model=run_form.cleaned_data["role_model"])
            kwargs.update(run=run, chosen_form=form, chosen_role_model=run_form.cleaned_data["role_model"])
            if run.result is not None:
                kwargs["suggestions"] = list(run.result.suggestions)
                kwargs["mentors_with_free_places"] = sum(1 for n in run.result.free_places.values() if n > 0)
            gaps = matching_gaps(programme=programme, form=form, run=run)
            short = run.result is None or not run.result.suggestions or bool(run.result.unassigned)
            kwargs["gaps"] = gaps if short else [gap for gap in gaps if gap.always]
            kwargs["decisions"] = self._decisions()
            access_record(
                request=self.request,
                organisation=self.organisation,
                action=AccessLogEntry.Action.VIEW,
                what=f"Подбор пар: {programme.title}",
                people_count=run.mentees_total + run.mentors_total,
            )
        kwargs["weights"] = programme_weights(programme=programme)
        kwargs["query"] = self.request.GET.urlencode()
        return super().get_context_data(**kwargs)

    def _decisions(self):
        return MatchDecision.objects.filter(organisation=self.organisation, programme=self.programme).select_related(
            "mentee", "mentor"
        )


class MatchDecisionView(ProgrammeMixin, OrganisationMixin, View):
    """Pin, forbid or clear a suggested pair (POST, then back to the matching page)."""

    required_capability = MANAGE

    def post(self, request, *args, **kwargs):
        people = self.organisation.people
        try:
            mentee = get_object_or_404(people, pk=int(request.POST.get("mentee", "")))
            mentor = get_object_or_404(people, pk=int(request.POST.get("mentor", "")))
        except ValueError:
            raise Http404 from None
        kind = request.POST.get("kind", "")
        try:
            match_decision_set(programme=self.programme, mentee=mentee, mentor=mentor, kind=kind, user=request.user)
        except ValidationError as error:
            _error_messages(request, error)
        else:
            labels = {"pin": "закреплена", "forbid": "запрещена", "clear": "снова свободна для подбора"}
            messages.success(request, f"Пара {mentor.short_name} — {mentee.short_name} {labels[kind]}.")
        default = reverse("mentorship:matching", args=[self.organisation.slug, self.programme.pk])
        return redirect(safe_next(request, default))


class MatchingAcceptView(ProgrammeMixin, OrganisationMixin, View):
    """Creates draft pairs for the chosen suggestions in one transaction: all or none."""

    required_capability = MANAGE

    def post(self, request, *args, **kwargs):
        programme = self.programme
        back = safe_next(request, reverse("mentorship:matching", args=[self.organisation.slug, programme.pk]))
        run_form = MatchingRunForm(request.POST, programme=programme)
        if not run_form.is_valid():
            messages.error(request, "Выберите форму наставничества.")
            return redirect(back)
        # "mentee:mentor" or "mentee:mentor:role model" (the role model the suggestion fits).
        keys = []
        for value in request.POST.getlist("pair"):
            parts = value.split(":")
            if len(parts) not in (2, 3) or not all(part.isdigit() for part in parts):
                raise Http404
            keys.append((int(parts[0]), int(parts[1]), int(parts[2]) if len(parts) == 3 else None))
        ids = {pk for key in keys for pk in key[:2]}
        people = {p.pk: p for p in self.organisation.people.filter(pk__in=ids)}
        if len(people) != len(ids):
            raise Http404
        form = run_form.cleaned_data["form"]
        allowed = {rm.pk: rm for rm in form_role_models(programme=programme, form=form)}
        groups: dict[int, list[tuple[Person, RoleModel | None]]] = {}
        as_groups = request.POST.get("as_groups") == "on"
        result = []
        for mentee_id, mentor_id, role_model_id in keys:
            role_model = allowed.get(role_model_id)
            if as_groups:
                groups.setdefault(mentor_id, []).append((people[mentee_id], role_model))
            else:
                result.append((people[mentor_id], [people[mentee_id]], role_model))
        for mentor_id, members in groups.items():
            shared = {role_model for _, role_model in members}  # a group gets a role model all its mentees fit
            role_model = shared.pop() if len(shared) == 1 else None
            result.append((people[mentor_id], [mentee for mentee, _ in members], role_model))
        try:
            created = pairs_form_many(
                programme=programme,
                groups=result,
                form=form,
                role_model=run_form.cleaned_data["role_model"],
                user=request.user,
            )
        except ValidationError as error:
            messages.error(request, "Ни одна пара не создана: исправьте ошибки и примите предложения снова.")
            _error_messages(request, error)
            return redirect(back)
        messages.success(request, f"Созданы черновики пар и групп: {len(created)}.")
        url = reverse("mentorship:pair_list", args=[self.organisation.slug])
        return redirect(f"{url}?programme={programme.pk}&status=draft")


# --- Pairs ----------------------------------------------------------------------------------


class PairListView(OrganisationMixin, PersonFromQueryMixin, ListView):
    required_capability = VIEW
    template_name = "mentorship/pair_list.html"
    paginate_by = 50

    @cached_property
    def filterset(self):
        # The export of the list (reports: «pairs») filters with the same PairFilter.
        pairs = pairs_for_list(organisation=self.organisation)
        return PairFilter(self.request.GET or None, queryset=pairs, organisation=self.organisation)

    def get_queryset(self):
        self.person  # noqa: B018 - a foreign or malformed ?person= is a 404 before any filtering
        # A pair whose ordered early end has come shows as closed without waiting for the daily job.
        early_ends_close_due(organisation=self.organisation)
        return with_last_meeting(self.filterset.qs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            filter_form=self.filterset.form,
            person=self.person,
            can_manage=self.access.can(MANAGE),
            programmes=list(self.organisation.programmes.all()),
            filtered=any(v for k, v in self.request.GET.items() if k != "page"),
        )
        mark_inactivity(context["object_list"], today=timezone.localdate())
        shown = len(context["object_list"])
        if shown:
            access_record(
                request=self.request,
                organisation=self.organisation,
                action=AccessLogEntry.Action.VIEW,
                what="Наставнические пары и группы",
                person=self.person,
                people_count=shown,
            )
        return context


class PairCreateView(ProgrammeMixin, OrganisationMixin, FormView):
    required_capability = MANAGE
    form_class = PairCreateForm
    template_name = "mentorship/pair_form.html"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["programme"] = self.programme
        return kwargs

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            pair = pair_form(programme=self.programme, user=self.request.user, **data)
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
            return self.form_invalid(form)
        messages.success(self.request, "Черновик пары создан. Его утвердит приказ о закреплении пар.")
        return redirect("mentorship:pair_detail", org=self.organisation.slug, pk=pair.pk)


def plural_days(days: int) -> str:
    return f"{days} {plural(days, 'день', 'дня', 'дней')}"


class PairMixin:
    @cached_property
    def pair(self) -> Pair:
        early_ends_close_due(organisation=self.organisation)
        queryset = pairs_for_list(organisation=self.organisation).select_related(
            "replaces__mentor", "approved_by", "programme__organisation"
        )
        pair = get_object_or_404(with_last_meeting(queryset), pk=self.kwargs["pk"])
        mark_inactivity([pair], today=timezone.localdate())
        return pair

    def get_context_data(self, **kwargs):
        kwargs.setdefault("pair", self.pair)
        return super().get_context_data(**kwargs)

    def back(self):
        return redirect("mentorship:pair_detail", org=self.organisation.slug, pk=self.pair.pk)


class PairDetailView(PairMixin, OrganisationMixin, TemplateView):
    required_capability = VIEW
    template_name = "mentorship/pair_detail.html"

    def get_context_data(self, **kwargs):
        pair = self.pair
        kwargs.update(
            can_manage=self.access.can(MANAGE),
            replaced_by=list(pair.replaced_by.select_related("mentor")),
            photos=list(pair.case_photos.all()),
            can_move_to_mentors=pair.status == Pair.Status.CLOSED
            and pair.outcome in {Pair.Outcome.COMPLETED, Pair.Outcome.CONTINUED},
            questionnaire_form=_questionnaire_form(self),
            inactive_days=INACTIVE_DAYS,
            close_offer_days=CLOSE_OFFER_DAYS,
        )
        access_record(
            request=self.request,
            organisation=self.organisation,
            action=AccessLogEntry.Action.VIEW,
            what=f"Наставническая пара: {pair}",
            person=pair.mentor,
            people_count=1 + len(pair.pair_mentees.all()),
        )
        return super().get_context_data(**kwargs)


class PairEditView(PairMixin, OrganisationMixin, FormView):
    """Editing a draft pair; an approved, working or closed one shows why it cannot be edited."""

    required_capability = MANAGE
    form_class = PairEditForm
    template_name = "mentorship/pair_edit.html"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["pair"] = self.pair
        return kwargs

    def get_context_data(self, **kwargs):
        kwargs["refusal"] = pair_edit_refusal(self.pair)
        return super().get_context_data(**kwargs)

    def form_valid(self, form):
        try:
            pair_update(pair=self.pair, user=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
            return self.form_invalid(form)
        messages.success(self.request, "Черновик пары изменён.")
        return self.back()


class PairActivateView(PairMixin, OrganisationMixin, View):
    required_capability = MANAGE

    def post(self, request, *args, **kwargs):
        try:
            pair_activate(pair=self.pair, user=request.user)
        except ValidationError as error:
            _error_messages(request, error)
        else:
            messages.success(request, "Пара приступила к работе.")
        return self.back()


class PairCloseView(PairMixin, OrganisationMixin, FormView):
    required_capability = MANAGE
    form_class = PairCloseForm
    template_name = "mentorship/pair_close.html"

    def get_initial(self):
        # «Закрыть с причиной» from the pair page of a pair silent for months: ended early, the reason begun.
        initial = super().get_initial()
        if self.request.GET.get("inactive") and self.pair.offer_close:
            initial["outcome"] = Pair.Outcome.TERMINATED
            initial["reason"] = f"Пара не встречалась {plural_days(self.pair.days_without_meeting)}."
        return initial

    def form_valid(self, form):
        try:
            pair_close(pair=self.pair, user=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
            return self.form_invalid(form)
        messages.success(self.request, "Пара завершена.")
        return self.back()


class PairRepairView(PairMixin, OrganisationMixin, FormView):
    required_capability = MANAGE
    form_class = PairRepairForm
    template_name = "mentorship/pair_repair.html"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["pair"] = self.pair
        return kwargs

    def form_valid(self, form):
        try:
            new = pair_repair(pair=self.pair, user=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
            return self.form_invalid(form)
        messages.success(self.request, "Прежняя пара прекращена, создан черновик новой пары.")
        return redirect("mentorship:pair_detail", org=self.organisation.slug, pk=new.pk)


class PairCaseView(PairMixin, OrganisationMixin, FormView):
    required_capability = MANAGE
    form_class = CaseForm
    template_name = "mentorship/pair_case.html"

    def get_initial(self):
        return {"description": self.pair.case_description, "results": self.pair.case_results}

    def get_context_data(self, **kwargs):
        kwargs["without_consent"] = publication_consent_missing(pair=self.pair)
        return super().get_context_data(**kwargs)

    def form_valid(self, form):
        try:
            pair_case_save(pair=self.pair, user=self.request.user, **form.cleaned_data)
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
            return self.form_invalid(form)
        messages.success(self.request, "Практика добавлена в банк лучших практик.")
        return self.back()


class PairToMentorBaseView(PairMixin, OrganisationMixin, View):
    required_capability = MANAGE

    def post(self, request, *args, **kwargs):
        try:
            added, already = pair_mentees_to_mentor_base(pair=self.pair, user=request.user)
        except ValidationError as error:
            _error_messages(request, error)
        else:
            year = self.pair.programme.school_year + 1
            messages.success(
                request,
                f"В базу наставников {year}/{year + 1} учебного года добавлено: {added}; уже были в базе: {already}.",
            )
        return self.back()


# --- The best-practice bank -----------------------------------------------------------------


class CaseListView(OrganisationMixin, ListView):
    required_capability = VIEW
    template_name = "mentorship/pair_cases.html"
    paginate_by = 20

    def get_queryset(self):
        return best_practice_pairs(organisation=self.organisation)


class CasePhotoView(OrganisationMixin, View):
    required_capability = VIEW

    def get(self, request, *args, **kwargs):
        photo = get_object_or_404(case_photos(organisation=self.organisation), pk=kwargs["pk"])
        if not photo.image or not photo.image.storage.exists(photo.image.name):
            messages.warning(request, "Файл этого фото не найден.")
            return redirect("mentorship:pair_detail", org=self.organisation.slug, pk=photo.pair_id)
        response = stored_scan_response(photo.image, download_name=f"Фото практики {photo.pk}")
        access_record(
            request=request,
            organisation=self.organisation,
            action=AccessLogEntry.Action.VIEW,
            what=f"Фото лучшей практики: {photo.pair}",
        )
        return response
