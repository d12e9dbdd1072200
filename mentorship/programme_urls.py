"""Pages of the mentoring programme under /o/<org>/programme/."""

from django.urls import path  # noqa: F401 - used by the patterns below as they are added

app_name = "mentorship"

urlpatterns: list = []
