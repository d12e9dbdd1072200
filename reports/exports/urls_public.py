"""Pages outside any organisation and without login: the verification page a document's QR code leads to."""

from django.urls import path

from reports.exports.views_verify import document_verify

urlpatterns = [
    path("<str:token>/", document_verify, name="document_verify"),
]
