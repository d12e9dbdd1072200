"""Pages of the «Школа наставника»: groups, their sessions and attendance, the indicator
«занятий проведено / по плану»."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.generic import TemplateView

from organisations.tenancy import OrganisationMixin

from .forms_plans import add_service_errors
from .forms_training import TrainingGroupForm, TrainingSessionForm
from .selectors_training import training_groups, training_summary
from .services_training import training_group_save, training_session_save

CAPABILITY = "programme.manage"


class TrainingListView(OrganisationMixin, TemplateView):
    required_capability = CAPABILITY
    template_name = "mentorship/training_list.html"

    def get_context_data(self, **kwargs):
        groups = list(training_groups(organisation=self.organisation))
        for group in groups:
            group.sessions_upcoming = group.sessions_total - group.sessions_held
        kwargs["groups"] = groups
        kwargs["has_programmes"] = self.organisation.programmes.exists()
        return super().get_context_data(**kwargs)


class TrainingGroupMixin(OrganisationMixin):
    required_capability = CAPABILITY

    def get_group(self):
        groups = self.organisation.training_groups.select_related("programme")
        return get_object_or_404(groups, pk=self.kwargs["pk"])


class TrainingGroupFormView(TrainingGroupMixin, TemplateView):
    template_name = "mentorship/training_group_form.html"
    editing = False

    def get_form(self, group, data=None):
        if group is None:
            programme = self.organisation.programmes.order_by("-school_year", "kind").first()
            initial = {"programme": programme}
        else:
            initial = {
                "programme": group.programme,
                "title": group.title,
                "sessions_target": group.sessions_target,
                "members": list(group.members.all()),
            }
        return TrainingGroupForm(data, organisation=self.organisation, group=group, initial=initial)

    def get(self, request, *args, **kwargs):
        group = self.get_group() if self.editing else None
        return self.render_to_response(self.get_context_data(group=group, form=self.get_form(group)))

    def post(self, request, *args, **kwargs):
        group = self.get_group() if self.editing else None
        form = self.get_form(group, request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                group = training_group_save(
                    programme=group.programme if group else data["programme"],
                    title=data["title"],
                    sessions_target=data["sessions_target"],
                    member_ids=[person.pk for person in data["members"]],
                    group=group,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "Группа сохранена.")
                return redirect("mentorship:training_detail", org=self.organisation.slug, pk=group.pk)
        return self.render_to_response(self.get_context_data(group=group, form=form))


class TrainingGroupDetailView(TrainingGroupMixin, TemplateView):
    template_name = "mentorship/training_detail.html"

    def get_context_data(self, **kwargs):
        group = self.get_group()
        today = timezone.localdate()
        sessions = list(group.sessions.annotate(attended=Count("attendance")).order_by("held_on", "pk"))
        members = list(group.members.order_by("last_name", "first_name", "patronymic"))
        summary = training_summary(organisation=self.organisation, person_ids=[m.pk for m in members], today=today)
        for member in members:
            member.attended, member.held_total = summary[member.pk]
        held = sum(session.held_on <= today for session in sessions)
        kwargs.update(group=group, sessions=sessions, members=members, sessions_held=held, today=today)
        return super().get_context_data(**kwargs)


class TrainingSessionFormView(TrainingGroupMixin, TemplateView):
    template_name = "mentorship/training_session_form.html"

    def get_session(self, group):
        if "session_pk" not in self.kwargs:
            return None
        return get_object_or_404(group.sessions.all(), pk=self.kwargs["session_pk"])

    def get_form(self, group, session, data=None):
        initial = {}
        if session is not None:
            initial = {
                "held_on": session.held_on,
                "topic": session.topic,
                "expert": session.expert,
                "format": session.format,
                "attendees": list(session.attendees.all()),
            }
        return TrainingSessionForm(data, group=group, initial=initial)

    def get(self, request, *args, **kwargs):
        group = self.get_group()
        session = self.get_session(group)
        context = self.get_context_data(group=group, session=session, form=self.get_form(group, session))
        return self.render_to_response(context)

    def post(self, request, *args, **kwargs):
        group = self.get_group()
        session = self.get_session(group)
        form = self.get_form(group, session, request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                training_session_save(
                    group=group,
                    session=session,
                    held_on=data["held_on"],
                    topic=data["topic"],
                    expert=data["expert"],
                    format=data["format"],
                    attendee_ids=[person.pk for person in data["attendees"]],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "Занятие сохранено.")
                return redirect("mentorship:training_detail", org=self.organisation.slug, pk=group.pk)
        return self.render_to_response(self.get_context_data(group=group, session=session, form=form))
