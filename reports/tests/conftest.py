import pytest


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    # An approved order keeps its PDF under MEDIA_ROOT/private/ (reports.orders.verification).
    settings.MEDIA_ROOT = tmp_path / "media"
