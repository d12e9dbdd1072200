"""Web helpers every app uses: where to go back to, and how a file leaves the server.

A file of the product names people (orders, registers, scans, consent forms), so every file
response is private to the user who asked for it and never cached on the way, and the browser
is told not to guess its type.
"""

from django.http import FileResponse, HttpResponse
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme

INLINE_CONTENT_TYPES = frozenset({"application/pdf", "image/jpeg", "image/png"})


def safe_next(request, default: str) -> str:
    """Where to go back to: ?next= or POST next when it is a page of this site."""
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def private_file_headers(response, *, filename: str | None = None, as_attachment: bool | None = None):
    """Marks a file response as private: no cache on the way, no type sniffing, a file name.

    ``as_attachment`` defaults to downloading everything but PDF and images, which open in the browser.
    """
    if filename is not None:
        if as_attachment is None:
            content_type = response.get("Content-Type", "").split(";")[0].strip()
            as_attachment = content_type not in INLINE_CONTENT_TYPES
        response["Content-Disposition"] = content_disposition_header(as_attachment=as_attachment, filename=filename)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def file_response(
    content: bytes, *, content_type: str, filename: str, as_attachment: bool | None = None
) -> HttpResponse:
    """A file built in memory (a PDF, DOCX, XLSX or CSV) as a private response."""
    response = HttpResponse(content, content_type=content_type)
    return private_file_headers(response, filename=filename, as_attachment=as_attachment)


def stored_file_response(handle, *, content_type: str, filename: str, as_attachment: bool | None = None):
    """A stored file (a scan, an agreement, a photo, a built export), streamed as a private response."""
    if as_attachment is None:
        as_attachment = content_type not in INLINE_CONTENT_TYPES
    response = FileResponse(handle, as_attachment=as_attachment, filename=filename, content_type=content_type)
    return private_file_headers(response)
