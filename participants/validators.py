"""Validators of uploaded files, reusable by every form that takes a scan."""

import filetype
from django.core.exceptions import ValidationError

SCAN_MAX_SIZE = 10 * 1024 * 1024  # bytes
# What a scan may be, judged by its content (never by its name): content type -> extension.
SCAN_TYPES: dict[str, str] = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}

ERROR_SCAN_TOO_LARGE = "Файл слишком большой ({size} МБ). Загрузите файл не больше 10 МБ."
ERROR_SCAN_TYPE = "Загрузите скан в формате PDF, JPEG или PNG: содержимое этого файла не похоже ни на один из них."
ERROR_SCAN_EMPTY = "Файл пустой. Загрузите скан документа."


def scan_content_type(file) -> str | None:
    """The content type of a scan judged by its first bytes, or None when it is not PDF, JPEG or PNG."""
    kind = filetype.guess(file)
    if kind is None or kind.mime not in SCAN_TYPES:
        return None
    return kind.mime


def validate_scan(file) -> None:
    """Accepts a PDF, JPEG or PNG of at most 10 MB; raises ValidationError in Russian otherwise."""
    size = file.size
    if not size:
        raise ValidationError(ERROR_SCAN_EMPTY, code="empty")
    if size > SCAN_MAX_SIZE:
        megabytes = f"{size / 1024 / 1024:.1f}".replace(".", ",")
        raise ValidationError(ERROR_SCAN_TOO_LARGE.format(size=megabytes), code="too_large")
    if scan_content_type(file) is None:
        raise ValidationError(ERROR_SCAN_TYPE, code="type")
