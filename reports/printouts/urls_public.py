"""/c/<token>/: the public page of an electronic consent (no session; included by mentorship.urls)."""

from django.urls import path

from .views_econsent import ConsentLinkView

urlpatterns = [
    path("<str:token>/", ConsentLinkView.as_view(), name="consent_link"),
]
