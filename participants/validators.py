"""Validators of uploaded files, reusable by every form that takes a scan."""

from django.core.exceptions import ValidationError

from organisations.scans import scan_content_type

SCAN_MAX_SIZE = 10 * 1024 * 1024  # bytes

ERROR_SCAN_TOO_LARGE = "Файл слишком большой ({size} МБ). Загрузите файл не больше 10 МБ."
ERROR_SCAN_TYPE = "Загрузите скан в формате PDF, JPEG или PNG: содержимое этого файла не похоже ни на один из них."
ERROR_SCAN_EMPTY = "Файл пустой. Загрузите скан документа."


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
