"""Handing out a class's questionnaire links: «Скопировать все ссылки» (a line per child), the XLSX of
the links, and one person's copy button and ready message. Tokens are stored hashed, so every way of
showing the links again re-issues them (the old links stop working) and is journalled."""

import datetime
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from participants.models import AccessLogEntry, Invitation
from participants.questionnaires.links import link_line, link_message, links_text
from participants.questionnaires.services import invitations_send, token_hash
from participants.tests.factories import PersonFactory
from participants.tests.factories_consents import ConsentFactory
from participants.tests.factories_questionnaires import make_template
from reports.tests.test_questionnaire_sheet import _url
from reports.tests.test_questionnaire_sheet import class_7b as class_7b  # the fixture

pytestmark = pytest.mark.usefixtures("reference_data")

LINE = re.compile(r"^(\S+ \S+) — (http://testserver/q/([A-Za-z0-9_-]+)/)$")


def _post(client, school, template, action):
    return client.post(
        _url(school), {"questionnaire": template.pk, "grade": "7", "class_letter": "б", "action": action}
    )


def test_copy_all_gives_one_line_per_child_with_a_new_working_link(client, school_a, curator_a, class_7b):
    template, people, tokens = class_7b
    client.force_login(curator_a)
    response = _post(client, school_a, template, "copy")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Скопировать все ссылки" in body and 'data-copy-target="all-links-text"' in body
    assert "Ранее выданные ссылки больше не работают" in body
    text = response.context["links_text"]
    lines = text.splitlines()
    assert [LINE.match(line).group(1) for line in lines] == ["Анна Андреева", "Анна Белова"]
    assert text in body.replace("&#x27;", "'")  # the textarea holds the same text (the fallback)
    for line in lines:
        token = LINE.match(line).group(3)
        assert client.get(reverse("questionnaire_answer", args=[token])).status_code == 200
    old = tokens[people["waiting"].pk]
    assert client.get(reverse("questionnaire_answer", args=[old])).status_code == 404
    assert "Нет согласия — ссылка не выдана: " + people["no_consent"].full_name in body
    entry = AccessLogEntry.objects.get(organisation=school_a, action="export")
    assert "для копирования: 7Б класс, 2 новые ссылки" in entry.what and entry.people_count == 2


def test_links_xlsx_is_reopened_with_names_links_and_chat_lines(client, school_a, curator_a, class_7b):
    template, people, _ = class_7b
    client.force_login(curator_a)
    response = _post(client, school_a, template, "xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Cache-Control"] == "private, no-store"
    sheet = load_workbook(io.BytesIO(response.content)).active
    values = [[cell for cell in row] for row in sheet.iter_rows(values_only=True)]
    header = next(i for i, row in enumerate(values) if row[0] == "Класс")
    rows = [row for row in values[header + 1 :] if row[0]]
    assert [(row[0], row[1], row[2]) for row in rows] == [("7Б", "Андреева", "Анна"), ("7Б", "Белова", "Анна")]
    for row in rows:
        token = re.search(r"/q/([A-Za-z0-9_-]+)/", row[3]).group(1)
        assert Invitation.objects.get(token_hash=token_hash(token)).person.last_name == row[1]
        assert row[5] == f"Анна {row[1]} — {row[3]}"
    assert any("Без ссылки (нет согласия): " + people["no_consent"].full_name in str(row[0]) for row in values)
    entry = AccessLogEntry.objects.get(organisation=school_a)
    assert "(XLSX): 7Б класс, 2 новые ссылки" in entry.what


def test_links_xlsx_is_refused_by_get_and_to_the_methodist(client, school_a, curator_a, member, class_7b):
    template, _, _ = class_7b
    client.force_login(curator_a)
    url = reverse("reports:export", kwargs={"org": school_a.slug, "identifier": "questionnaire-links"})
    assert client.get(url, {"questionnaire": template.pk, "grade": 7, "class_letter": "Б"}).status_code == 405
    client.force_login(member(school_a, "methodist"))
    assert _post(client, school_a, template, "xlsx").status_code == 403


def test_sending_shows_copy_all_and_a_copy_button_per_link(client, school_a, curator_a):
    template = make_template(organisation=school_a, title="Анкета наставляемого")
    for last_name in ("Андреева", "Белова"):
        ConsentFactory(
            person=PersonFactory(
                organisation=school_a, last_name=last_name, first_name="Анна", grade=5, class_letter="А"
            )
        )
    client.force_login(curator_a)
    response = client.post(
        reverse("participants:questionnaire_send", kwargs={"org": school_a.slug, "pk": template.pk}),
        {
            "target": "class",
            "grade": 5,
            "class_letter": "А",
            "school_year": 2026,
            "expires_on": (timezone.localdate() + datetime.timedelta(days=7)).isoformat(),
        },
    )
    body = response.content.decode()
    lines = response.context["links_text"].splitlines()
    assert [LINE.match(line).group(1) for line in lines] == ["Анна Андреева", "Анна Белова"]
    assert "Скопировать все ссылки" in body
    assert body.count('aria-label="Скопировать ссылку: ') == 2
    assert "js/copy-text.js" in body


def test_reissued_link_has_a_copy_button_and_a_ready_message(client, school_a, curator_a):
    template = make_template(organisation=school_a, title="Анкета наставляемого")
    person = PersonFactory(organisation=school_a, last_name="Андреева", first_name="Анна", grade=5, class_letter="А")
    ConsentFactory(person=person)
    (sent,), _ = invitations_send(
        organisation=school_a,
        template=template,
        people=[person],
        expires_at=timezone.now() + datetime.timedelta(days=7),
        user=None,
    )
    client.force_login(curator_a)
    response = client.post(
        reverse("participants:invitation_reissue", kwargs={"org": school_a.slug, "pk": sent.invitation.pk})
    )
    body = response.content.decode()
    url = response.context["url"]
    assert "Скопировать ссылку" in body and "Скопировать сообщение" in body
    message = response.context["message"]
    assert message.startswith("Здравствуйте! Просим ответить на анкету «Анкета наставляемого». Отвечает: Анна Андреева")
    assert f"Личная ссылка: {url}\n" in message
    assert "Ссылка действует по " in message and " г." in message


def test_link_texts():
    class P:
        first_name, last_name = "Иван", "Петров"

    class Q:
        title = "Входная анкета"

    assert link_line(P, "https://x/q/t/") == "Иван Петров — https://x/q/t/"
    assert links_text([(P, "u1"), (P, "u2")]) == "Иван Петров — u1\nИван Петров — u2"
    message = link_message(person=P, questionnaire=Q, url="https://x/q/t/")
    assert "«Входная анкета». Отвечает: Иван Петров." in message and "Личная ссылка: https://x/q/t/" in message
