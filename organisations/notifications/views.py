from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.generic import FormView, TemplateView

from organisations.russian import plural
from organisations.tenancy import OrganisationMixin

from .forms import PreferencesForm
from .models import Notification, NotificationPreference
from .selectors import user_notifications
from .services import notification_open, notifications_read_all, preferences_save

# Every member of an organisation has a dashboard and their own notifications.
CAPABILITY = "dashboard.view"
PAGE_SIZE = 50


class NotificationListView(OrganisationMixin, TemplateView):
    required_capability = CAPABILITY
    template_name = "notifications/list.html"

    def get_context_data(self, **kwargs):
        notifications = user_notifications(user=self.request.user, organisation=self.organisation)
        page = Paginator(notifications, PAGE_SIZE).get_page(self.request.GET.get("page"))
        unread = sum(1 for notification in page if notification.read_at is None)
        return super().get_context_data(page_obj=page, notifications=page.object_list, unread_on_page=unread, **kwargs)


class NotificationOpenView(OrganisationMixin, View):
    """Marks the notice read and goes to its page."""

    required_capability = CAPABILITY

    def post(self, request, org, pk):
        notification = Notification.objects.filter(
            organisation=self.organisation, recipient=request.user, pk=pk
        ).first()
        if notification is None:
            raise Http404
        notification_open(notification=notification)
        target = notification.url
        if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            target = reverse("notifications:list", kwargs={"org": self.organisation.slug})
        return redirect(target)


class NotificationReadAllView(OrganisationMixin, View):
    required_capability = CAPABILITY

    def post(self, request, org):
        count = notifications_read_all(user=request.user, organisation=self.organisation)
        if count:
            messages.success(
                request,
                f"{count} {plural(count, 'уведомление отмечено', 'уведомления отмечены', 'уведомлений отмечено')} "
                "прочитанными.",
            )
        return redirect("notifications:list", org=self.organisation.slug)


class PreferencesView(OrganisationMixin, FormView):
    required_capability = CAPABILITY
    template_name = "notifications/preferences.html"
    form_class = PreferencesForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["chosen"] = dict(
            NotificationPreference.objects.filter(user=self.request.user).values_list("kind", "delivery")
        )
        return kwargs

    def form_valid(self, form):
        preferences_save(user=self.request.user, choices=form.cleaned_data)
        messages.success(self.request, "Настройки уведомлений сохранены.")
        return redirect("notifications:preferences", org=self.organisation.slug)
