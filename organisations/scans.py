"""Scans of signed papers (documents, agreements, consents, evidence, photos): what they may be and how they are served.

The type of a scan is judged by its first bytes, never by its name, both when it is uploaded and
when it is served: a file renamed to .pdf is not shown inline as a PDF.
"""

import filetype
from django.http import FileResponse, Http404

from .http import stored_file_response

# What a scan may be, judged by its content (never by its name): content type -> extension.
SCAN_TYPES: dict[str, str] = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}


def scan_content_type(file) -> str | None:
    """The content type of a scan judged by its first bytes, or None when it is not PDF, JPEG or PNG."""
    kind = filetype.guess(file)
    if kind is None or kind.mime not in SCAN_TYPES:
        return None
    return kind.mime


def scan_file_response(handle, *, download_name: str) -> FileResponse:
    """An open stored scan as a private response named ``download_name`` plus the extension of its content.

    A file of another type (stored before uploads were checked) is only ever downloaded, never shown.
    """
    content_type = scan_content_type(handle)
    handle.seek(0)
    if content_type is None:
        return stored_file_response(
            handle, content_type="application/octet-stream", filename=download_name, as_attachment=True
        )
    return stored_file_response(
        handle, content_type=content_type, filename=f"{download_name}.{SCAN_TYPES[content_type]}"
    )


def stored_scan_response(field_file, *, download_name: str) -> FileResponse:
    """The scan of a FileField as a private response; 404 when the stored file is gone."""
    try:
        handle = field_file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    return scan_file_response(handle, download_name=download_name)
