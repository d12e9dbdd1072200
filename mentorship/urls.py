from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from mentorship.health import health
from mentorship.views_meetings import MeetingsFeedView
from organisations.views import home
from participants.questionnaires.views import AnswerView

admin.site.site_header = "«Наставник»: администрирование"
admin.site.site_title = "«Наставник»"

urlpatterns = [
    path("", home, name="home"),
    path("health/", health, name="health"),  # for the proxy and monitoring, no session
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("admin/", admin.site.urls),
    # The subscribable meetings calendar: the secret token in the URL, no session.
    path("calendar/<str:token>/meetings.ics", MeetingsFeedView.as_view(), name="meetings_feed"),
    path("q/<str:token>/", AnswerView.as_view(), name="questionnaire_answer"),  # questionnaire link, no session
    path("c/", include("reports.printouts.urls_public")),  # electronic consent link, no session
    # A document's QR code (ГОСТ Р 7.0.97-2025): its public verification page, no session.
    path("verify/", include("reports.exports.urls_public")),
    path("o/<slug:org>/", include("reports.urls")),
    path("o/<slug:org>/", include("organisations.urls")),
    path("o/<slug:org>/notifications/", include("organisations.notifications.urls")),
    path("o/<slug:org>/people/", include("participants.urls")),
    path("o/<slug:org>/roadmap/", include("roadmap.urls")),
    path("o/<slug:org>/programme/", include("mentorship.programme_urls")),
]
