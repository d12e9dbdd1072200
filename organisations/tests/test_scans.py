import io

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import InMemoryStorage
from django.db.models.fields.files import FieldFile
from django.http import Http404

from organisations.scans import scan_content_type, scan_file_response, stored_scan_response
from organisations.tests.files import assert_private_file

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"


def _body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_scan_type_is_judged_by_content():
    assert scan_content_type(io.BytesIO(PNG)) == "image/png"
    assert scan_content_type(io.BytesIO(PDF)) == "application/pdf"
    assert scan_content_type(io.BytesIO(b"<html>")) is None


def test_scan_is_shown_inline_under_the_extension_of_its_content():
    response = scan_file_response(io.BytesIO(PNG), download_name="Скан — Иванов")
    assert response["Content-Type"] == "image/png"
    assert_private_file(response, filename="Скан — Иванов.png", as_attachment=False)
    assert _body(response) == PNG


def test_unknown_content_is_only_downloaded():
    response = scan_file_response(io.BytesIO(b"<script>alert(1)</script>"), download_name="Соглашение № 5")
    assert response["Content-Type"] == "application/octet-stream"
    assert_private_file(response, filename="Соглашение № 5", as_attachment=True)


def test_a_lost_stored_file_is_a_404():
    storage = InMemoryStorage()
    name = storage.save("scan.png", ContentFile(PNG))
    field = type("Field", (), {"storage": storage})()
    assert _body(stored_scan_response(FieldFile(None, field, name), download_name="Скан")) == PNG
    storage.delete(name)
    with pytest.raises(Http404):
        stored_scan_response(FieldFile(None, field, name), download_name="Скан")
