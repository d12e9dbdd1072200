"""Pages of meetings: a pair's meetings and the forms to log or correct one, the mentor's «Мои
пары», the school's month calendar, the pairs needing attention and the iCalendar feed.

Staff with «programme.manage» see and log the meetings of every pair of the school; the methodist
(«meetings.view») sees them, the calendar and the attention list, read-only; a mentor
(«meetings.log») sees and logs only own pairs: another pair is a 404 for them, and the
school-wide pages are a 403.
"""

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Avg
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.views import View
from django.views.generic import TemplateView

from organisations.http import private_file_headers
from organisations.tenancy import OrganisationMixin, resolve_access
from participants.journal import access_record
from participants.models import AccessLogEntry

from .forms_meetings import MeetingForm, meeting_initial
from .forms_plans import add_service_errors
from .ical import calendar_text, feed_token, feed_token_owner
from .models import Pair
from .selectors_meetings import feed_meetings, month_calendar, my_pairs, pair_meetings, pairs_needing_attention
from .selectors_plans import fulfilment_percent, mentor_own_pairs, with_mentees
from .services_meetings import (
    ALL_PAIRS_CAPABILITY,
    LOG_CAPABILITY,
    VIEW_CAPABILITY,
    may_log,
    meeting_log,
    meeting_pairs,
    meeting_pairs_to_view,
    meeting_update,
)

FEED_DAYS_BACK = 180
MEETINGS_PER_PAGE = 25
MONTHS_RANGE = (2000, 2100)


class PairMeetingsMixin(OrganisationMixin):
    """A page logging one pair's meetings: staff, or the pair's own mentor."""

    def get_required_capability(self) -> str:
        return ALL_PAIRS_CAPABILITY if self.access.can(ALL_PAIRS_CAPABILITY) else LOG_CAPABILITY

    def pairs(self):
        return meeting_pairs(access=self.access, user=self.request.user)

    def get_pair(self) -> Pair:
        pairs = self.pairs().select_related("mentor", "form", "programme")
        return get_object_or_404(with_mentees(pairs), pk=self.kwargs["pair_pk"])


class PairMeetingListView(PairMeetingsMixin, TemplateView):
    """A pair's meetings: staff and the methodist see every pair's, a mentor own pairs'."""

    template_name = "mentorship/meeting_list.html"

    def get_required_capability(self) -> str:
        return VIEW_CAPABILITY if self.access.can(VIEW_CAPABILITY) else LOG_CAPABILITY

    def pairs(self):
        return meeting_pairs_to_view(access=self.access, user=self.request.user)

    def get_context_data(self, **kwargs):
        pair = self.get_pair()
        page = Paginator(pair_meetings(pair=pair), MEETINGS_PER_PAGE).get_page(self.request.GET.get("page"))
        # Over all the pair's meetings, not only the page's.
        mean = pair.meetings.filter(usefulness__gt=0).aggregate(mean=Avg("usefulness"))["mean"]
        access_record(
            request=self.request,
            organisation=self.organisation,
            action=AccessLogEntry.Action.VIEW,
            what=f"Встречи пары: {pair.mentor.short_name}",
            person=pair.mentor,
        )
        kwargs.update(
            pair=pair,
            meetings=page.object_list,
            page_obj=page,
            meetings_count=page.paginator.count,
            usefulness_mean=round(mean, 1) if mean is not None else None,
            can_log=may_log(access=self.access, user=self.request.user, pair=pair),
        )
        return super().get_context_data(**kwargs)


class MeetingAddView(PairMeetingsMixin, TemplateView):
    template_name = "mentorship/meeting_form.html"

    def get(self, request, *args, **kwargs):
        pair = self.get_pair()
        return self.render_to_response(self.get_context_data(pair=pair, form=MeetingForm(pair=pair)))

    def post(self, request, *args, **kwargs):
        pair = self.get_pair()
        form = MeetingForm(request.POST, pair=pair)
        if form.is_valid():
            try:
                meeting_log(pair=pair, user=request.user, **form.service_kwargs())
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "Встреча внесена.")
                return redirect("mentorship:meeting_list", org=self.organisation.slug, pair_pk=pair.pk)
        return self.render_to_response(self.get_context_data(pair=pair, form=form))


class MeetingEditView(PairMeetingsMixin, TemplateView):
    """Correcting a logged meeting: whoever may log the pair's meetings (a mentor: own pairs)."""

    template_name = "mentorship/meeting_form.html"

    def get_meeting(self, pair: Pair):
        meetings = pair.meetings.prefetch_related("attendance")
        return get_object_or_404(meetings, pk=self.kwargs["pk"])

    def get(self, request, *args, **kwargs):
        pair = self.get_pair()
        meeting = self.get_meeting(pair)
        form = MeetingForm(pair=pair, initial=meeting_initial(meeting))
        return self.render_to_response(self.get_context_data(pair=pair, meeting=meeting, form=form))

    def post(self, request, *args, **kwargs):
        pair = self.get_pair()
        meeting = self.get_meeting(pair)
        form = MeetingForm(request.POST, pair=pair)
        if form.is_valid():
            try:
                meeting_update(meeting=meeting, user=request.user, **form.service_kwargs())
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, "Встреча исправлена.")
                return redirect("mentorship:meeting_list", org=self.organisation.slug, pair_pk=pair.pk)
        return self.render_to_response(self.get_context_data(pair=pair, meeting=meeting, form=form))


class MyPairsView(OrganisationMixin, TemplateView):
    """«Мои пары»: the pairs of the mentor whose person record is the user's."""

    required_capability = "meetings.log"
    template_name = "mentorship/my_pairs.html"

    def get_context_data(self, **kwargs):
        pairs = list(my_pairs(organisation=self.organisation, user=self.request.user))
        today = timezone.localdate()
        for pair in pairs:
            pair.fulfilment = fulfilment_percent(pair.items_done, pair.items_total)
            pair.last_meeting_on = timezone.localtime(pair.last_meeting_at).date() if pair.last_meeting_at else None
            since = pair.last_meeting_on or pair.starts_on
            pair.needs_attention = (
                pair.status == Pair.Status.ACTIVE and (today - since).days > pair.programme.attention_weeks * 7
            )
        kwargs.update(
            pairs=pairs,
            own_person=self.organisation.people.filter(user=self.request.user).first(),
            feed_url=feed_url(self.request, self.organisation),
        )
        return super().get_context_data(**kwargs)


def _month(request) -> tuple[int, int]:
    """?month=2026-09, or the current month."""
    value = request.GET.get("month", "")
    try:
        year, month = (int(part) for part in value.split("-"))
        if MONTHS_RANGE[0] <= year <= MONTHS_RANGE[1] and 1 <= month <= 12:
            return year, month
    except ValueError:
        pass
    today = timezone.localdate()
    return today.year, today.month


def feed_url(request, organisation) -> str:
    token = feed_token(user=request.user, organisation=organisation)
    return request.build_absolute_uri(reverse("meetings_feed", kwargs={"token": token}))


class CalendarView(OrganisationMixin, TemplateView):
    required_capability = VIEW_CAPABILITY
    template_name = "mentorship/calendar_month.html"

    def get_context_data(self, **kwargs):
        year, month = _month(self.request)
        # The feed and the .ics file are for those who log meetings; a methodist only looks.
        can_export = self.access.can(LOG_CAPABILITY)
        kwargs.update(
            month=month_calendar(organisation=self.organisation, year=year, month=month),
            today=timezone.localdate(),
            feed_url=feed_url(self.request, self.organisation) if can_export else None,
        )
        return super().get_context_data(**kwargs)


class AttentionView(OrganisationMixin, TemplateView):
    """«Давно не встречались»: active pairs without a meeting for longer than the programme allows
    (its own «недель без встреч» setting; the 30-day «Требует внимания» badge is selectors_meetings.INACTIVE_DAYS)."""

    required_capability = VIEW_CAPABILITY
    template_name = "mentorship/meeting_attention.html"

    def get_context_data(self, **kwargs):
        kwargs["pairs"] = pairs_needing_attention(organisation=self.organisation, today=timezone.localdate())
        return super().get_context_data(**kwargs)


def _calendar_response(*, request, user, access, what: str) -> HttpResponse:
    pairs = None if access.can(ALL_PAIRS_CAPABILITY) else mentor_own_pairs(access.organisation.pairs.all(), user=user)
    since = timezone.localdate() - datetime.timedelta(days=FEED_DAYS_BACK)
    meetings = list(feed_meetings(organisation=access.organisation, pairs=pairs, since=since))
    name = f"Встречи наставников — {access.organisation.short_name}"
    if pairs is not None:
        name = f"Мои встречи с наставляемыми — {access.organisation.short_name}"
    text = calendar_text(meetings=meetings, organisation=access.organisation, name=name)
    request.user = user  # the journal records whose calendar it was, also when it came by token
    access_record(
        request=request,
        organisation=access.organisation,
        action=AccessLogEntry.Action.EXPORT,
        what=what,
        people_count=len({m.pair_id for m in meetings}),
    )
    return private_file_headers(HttpResponse(text.encode(), content_type="text/calendar; charset=utf-8"))


class MeetingsIcsView(OrganisationMixin, View):
    """The meetings as an .ics file: every pair's for staff, own pairs' for a mentor."""

    required_capability = "meetings.log"

    def get(self, request, *args, **kwargs):
        response = _calendar_response(
            request=request, user=request.user, access=self.access, what="Календарь встреч (iCalendar)"
        )
        return private_file_headers(response, filename=f"meetings-{self.organisation.slug}.ics", as_attachment=True)


class MeetingsFeedView(View):
    """The subscribable feed: no session, the secret token names the user and the school.

    The user's access to the school is checked afresh; a token of a mentor gives only that
    mentor's pairs. A broken, forged or revoked token is a 404.
    """

    def get(self, request, token: str):
        owner = feed_token_owner(token)
        if owner is None:
            raise Http404
        user, organisation = owner
        access = resolve_access(user, organisation.slug)  # Http404 when the membership is gone
        if not access.can("meetings.log"):
            raise Http404
        return _calendar_response(request=request, user=user, access=access, what="Календарь встреч (подписка)")
