"""Thumb-sized on a phone (WCAG 2.5.5): the mentor's «Мои пары», the meeting log form and the
questionnaire answer page at 390 px are one column, do not scroll sideways, and every control
(a button, a field, a choice with its label) is at least 44×44 px."""

import datetime

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from mentorship.models import Pair
from mentorship.tests.factories import PairFactory, ProgrammeFactory
from organisations.tests.factories import MembershipFactory
from participants.models import QuestionnaireTemplate
from participants.questionnaires.services import invitations_send
from participants.tests.factories import TeacherFactory
from participants.tests.factories_consents import ConsentFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
MIN_TARGET = 44

# Every control the user touches on the page's content, as its box. A choice (radio, checkbox) is
# touched through its label too: its target is the box around both. Links inside a sentence are
# exempt (WCAG 2.5.5 «inline»).
TARGETS = """() => {
    const root = document.querySelector(".thumb-friendly");
    const found = [];
    const selector = "a, button, input:not([type=hidden]), select, textarea, summary";
    for (const el of root.querySelectorAll(selector)) {
        const box = el.getBoundingClientRect();
        if (box.width === 0 && box.height === 0) continue;
        if (el.tagName === "A" && el.closest("p, .form-text, .small")) continue;
        let left = box.left, top = box.top, right = box.right, bottom = box.bottom;
        if (el.type === "radio" || el.type === "checkbox") {
            for (const label of el.labels || []) {
                const lb = label.getBoundingClientRect();
                left = Math.min(left, lb.left); top = Math.min(top, lb.top);
                right = Math.max(right, lb.right); bottom = Math.max(bottom, lb.bottom);
            }
        }
        const name = (el.labels && el.labels.length ? el.labels[0].innerText : "")
            || el.getAttribute("aria-label") || el.innerText || el.name || el.tagName;
        found.push({
            name: name.trim().slice(0, 40), tag: el.tagName.toLowerCase(), type: el.type || "",
            left: left, right: right, top: top, width: right - left, height: bottom - top,
        });
    }
    return {
        targets: found,
        scroll: document.documentElement.scrollWidth,
        client: document.documentElement.clientWidth,
    };
}"""


def _context(chromium, live_server, user=None):
    context = chromium.new_context(viewport=PHONE, locale="ru-RU", has_touch=True, is_mobile=True)
    context.set_default_timeout(15_000)
    if user is not None:
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
        context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])
    return context


def _measure(context, url, screenshot):
    page = context.new_page()
    response = page.goto(url)
    assert response.ok, url
    page.screenshot(path=screenshot, full_page=True)
    return page.evaluate(TARGETS)


def _assert_thumb_friendly(measured, page_name, min_targets):
    targets = measured["targets"]
    assert len(targets) >= min_targets, f"{page_name}: {targets}"
    small = [t for t in targets if t["width"] < MIN_TARGET - 0.5 or t["height"] < MIN_TARGET - 0.5]
    assert not small, f"{page_name}: targets smaller than 44×44 px: " + "; ".join(
        f"{t['tag']} «{t['name']}» {t['width']:.0f}×{t['height']:.0f}" for t in small
    )
    assert measured["scroll"] <= measured["client"] + 1, f"{page_name} scrolls sideways"
    for target in targets:
        assert target["left"] >= -1 and target["right"] <= PHONE["width"] + 1, f"{page_name}: {target}"
    # One column: no two fields stand side by side (the choices of one question may).
    fields = [
        t for t in targets if t["tag"] in ("input", "select", "textarea") and t["type"] not in ("radio", "checkbox")
    ]
    for i, first in enumerate(fields):
        for second in fields[i + 1 :]:
            side_by_side = (
                first["top"] < second["top"] + second["height"] and second["top"] < first["top"] + first["height"]
            )
            assert not side_by_side, f"{page_name}: «{first['name']}» and «{second['name']}» share a row"


@pytest.fixture
def mentor_pair(school_a, reference_data):
    user = MembershipFactory(organisation=school_a, role="mentor").user
    mentor = TeacherFactory(organisation=school_a, user=user, last_name="Кляпка")
    pair = PairFactory(
        organisation=school_a,
        programme=ProgrammeFactory(organisation=school_a),
        mentor=mentor,
        status=Pair.Status.ACTIVE,
    )
    return user, pair


def test_my_pairs_and_the_meeting_form_are_thumb_sized_on_a_phone(
    chromium, live_server, school_a, mentor_pair, screenshots_dir
):
    user, pair = mentor_pair
    context = _context(chromium, live_server, user)
    try:
        my_pairs = _measure(
            context,
            live_server.url + reverse("mentorship:my_pairs", args=[school_a.slug]),
            screenshots_dir / "thumb-my-pairs.png",
        )
        meeting = _measure(
            context,
            live_server.url + reverse("mentorship:meeting_add", args=[school_a.slug, pair.pk]),
            screenshots_dir / "thumb-meeting-form.png",
        )
    finally:
        context.close()
    _assert_thumb_friendly(my_pairs, "Мои пары", min_targets=4)
    assert {"Внести встречу", "Встречи", "Индивидуальный план"} <= {t["name"] for t in my_pairs["targets"]}
    _assert_thumb_friendly(meeting, "Новая встреча", min_targets=4)
    assert "Сохранить" in {t["name"] for t in meeting["targets"]}


def test_the_questionnaire_answer_page_is_thumb_sized_on_a_phone(
    chromium, live_server, school_a, reference_data, screenshots_dir
):
    template = QuestionnaireTemplate.objects.filter(
        organisation__isnull=True, audience="student_mentee", phase="interim"
    ).first()
    person = ConsentFactory(person__organisation=school_a).person
    (sent,), _ = invitations_send(
        organisation=school_a,
        template=template,
        people=[person],
        expires_at=timezone.now() + datetime.timedelta(days=7),
        user=None,
    )
    context = _context(chromium, live_server)
    try:
        measured = _measure(
            context,
            live_server.url + reverse("questionnaire_answer", args=[sent.token]),
            screenshots_dir / "thumb-answer.png",
        )
    finally:
        context.close()
    _assert_thumb_friendly(measured, "Анкета", min_targets=template.questions.count() + 2)
    assert any(t["type"] == "radio" for t in measured["targets"])
    assert {"Отправить ответы", "Сохранить черновик"} <= {t["name"] for t in measured["targets"]}
