import pytest

from roadmap.services import item_create, roadmap_create, section_create
from roadmap.tests import seed_000


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def enter_seed_000(school, user=None):
    """Seed 000 entered row by row through the services, as a curator would type it."""
    roadmap = roadmap_create(
        organisation=school,
        title=seed_000.TITLE,
        starts_on=seed_000.PERIOD.start,
        ends_on=seed_000.PERIOD.end,
        user=user,
    )
    for title, rows in seed_000.SECTIONS:
        section = section_create(roadmap=roadmap, title=title)
        for content, deadline, result, indicator, responsible in rows:
            item_create(
                roadmap=roadmap,
                section=section,
                content=content,
                deadline_text=deadline,
                expected_result=result,
                indicator=indicator,
                responsible_text=responsible,
            )
    return roadmap


@pytest.fixture
def seed_roadmap(school_a):
    return enter_seed_000(school_a)
