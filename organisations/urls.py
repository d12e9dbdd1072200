from django.urls import path

from . import views

app_name = "organisations"

urlpatterns = [
    path("settings/", views.OrganisationSettingsView.as_view(), name="settings"),
]
