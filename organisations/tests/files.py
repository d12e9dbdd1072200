"""One check for every file of personal data a page serves (see organisations.http)."""

from django.utils.http import content_disposition_header


def assert_private_file(response, *, filename: str, as_attachment: bool) -> None:
    """The response names its file, is cached nowhere on the way and forbids type sniffing."""
    assert response["Content-Disposition"] == content_disposition_header(as_attachment=as_attachment, filename=filename)
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
