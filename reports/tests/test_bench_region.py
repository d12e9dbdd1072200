"""``manage.py bench --region`` at a tiny size: it generates the region, opens every page with
HTTP 200 and prints time and queries (the real size runs on PostgreSQL, README)."""

from io import StringIO

import pytest
from django.core.management import call_command

from organisations.models import Organisation
from reports.bench_region import REGION_PREFIX


@pytest.mark.django_db
def test_bench_region_runs_at_a_tiny_size():
    out = StringIO()
    call_command("bench", region=True, region_schools=4, region_districts=2, region_people=12, repeat=1, stdout=out)
    text = out.getvalue()
    assert "Регион: 4 школы в 2 районах, 48 участников" in text
    for page in (
        "Сводка региона",
        "Показатели районов региона",
        "Мониторинг: состояние и сводная таблица",
        "Сводка района",
    ):
        assert f"  {page}: " in text and "HTTP" not in text
    assert Organisation.objects.filter(slug__startswith=REGION_PREFIX).count() == 7
    call_command("bench", region=True, region_schools=4, region_districts=2, region_people=12, repeat=1, stdout=out)
    assert Organisation.objects.filter(slug__startswith=REGION_PREFIX).count() == 7
