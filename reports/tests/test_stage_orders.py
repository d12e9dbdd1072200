"""The stage checklist lists the stage's orders: missing, a draft, or approved with its number."""

import datetime

import pytest
from django.urls import reverse

from mentorship.selectors import stage_checklist
from mentorship.tests.factories import ProgrammeFactory
from organisations.models import Membership
from organisations.tests.factories import SchoolFactory, UserFactory
from reports.models import OrderKind
from reports.orders.services import order_approve, order_draft, order_save, order_submit
from roadmap.stages import Stage

pytestmark = pytest.mark.django_db


def _row(programme, stage, text):
    return next(item for item in stage_checklist(programme=programme, stage=stage) if text in item.text)


def test_pairing_stage_needs_the_pairs_order_until_it_is_approved():
    school = SchoolFactory(order_number_suffix="-ОД")
    programme = ProgrammeFactory(organisation=school)
    user = UserFactory()
    row = _row(programme, Stage.PAIRING, "О закреплении наставнических пар")
    assert row.missing and "не составлен" in row.note

    order = order_draft(organisation=school, kind=OrderKind.FINAL_EVENT, programme=programme, user=user)
    row = _row(programme, Stage.COMPLETION, "О проведении итогового мероприятия")
    assert row.missing and "черновик" in row.note
    order_save(order=order, fields={}, points=[{"action": "Провести."}])
    order_submit(order=order, user=user)
    order_approve(order=order, user=user, on=datetime.date(2027, 5, 20))
    row = _row(programme, Stage.COMPLETION, "О проведении итогового мероприятия")
    assert not row.missing and row.note == "от 20.05.2027 № 1-ОД"
    # Another programme's order does not count.
    other = ProgrammeFactory(organisation=school, kind="teachers")
    assert _row(other, Stage.COMPLETION, "О проведении итогового мероприятия").missing


def test_programme_page_shows_the_indicators_of_its_stage(client, demo):
    programme = demo.programmes.get()
    assert programme.current_stage == Stage.PAIR_WORK
    curator = Membership.objects.filter(organisation=demo, role="curator").first().user
    client.force_login(curator)
    page = client.get(reverse("mentorship:programme_detail", args=[demo.slug, programme.pk])).content.decode()
    assert "Показатели этапа" in page
    assert "Выполнение индивидуальных планов" in page and "/kpi/plan_fulfilment/" in page
    assert "Обучающиеся в программе наставничества" in page
