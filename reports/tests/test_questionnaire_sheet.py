"""A class's printed sheet of questionnaire links: the PDF reopened and read, links re-issued."""

import datetime
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from participants.models import AccessLogEntry, Invitation
from participants.questionnaires.services import invitations_send, response_save, token_hash
from participants.tests.factories import PersonFactory
from participants.tests.factories_consents import ConsentFactory
from participants.tests.factories_questionnaires import make_template

pytestmark = pytest.mark.usefixtures("reference_data")

LINK = re.compile(r"http://testserver/q/([A-Za-z0-9_-]+)/")


def _student(school, last_name, letter="Б", consent=True):
    person = PersonFactory(organisation=school, last_name=last_name, first_name="Анна", grade=7, class_letter=letter)
    if consent:
        ConsentFactory(person=person)
    return person


def _pdf_text(response) -> str:
    """All pages' text with whitespace removed: a long link may wrap, and names are checked without spaces."""
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return "".join("".join(page.extract_text().split()) for page in reader.pages)


def _url(school):
    return reverse("reports:questionnaire_sheet", kwargs={"org": school.slug})


@pytest.fixture
def class_7b(school_a):
    template = make_template(organisation=school_a, title="Анкета наставляемого")
    people = {
        "waiting": _student(school_a, "Андреева"),
        "also": _student(school_a, "Белова"),
        "answered": _student(school_a, "Воронцова"),
        "no_consent": _student(school_a, "Гусева", consent=False),
        "other": _student(school_a, "Давыдова", letter="А"),
    }
    sent, _ = invitations_send(
        organisation=school_a,
        template=template,
        people=[p for key, p in people.items() if key != "no_consent"],
        expires_at=timezone.now() + datetime.timedelta(days=7),
        user=None,
    )
    tokens = {s.invitation.person_id: s.token for s in sent}
    response_save(invitation=Invitation.objects.get(person=people["answered"]), answers={}, submit=True)
    return template, people, tokens


def test_page_says_links_will_stop_working_before_printing(client, school_a, curator_a, class_7b):
    template, people, tokens = class_7b
    client.force_login(curator_a)
    assert "Лист ссылок на анкету для класса" in client.get(_url(school_a)).content.decode()
    response = client.get(_url(school_a), {"questionnaire": template.pk, "grade": 7, "class_letter": "б"})
    body = response.content.decode()
    assert "ранее выданные ссылки перестанут работать" in body
    assert "При печати листа, выгрузке в XLSX или копировании ссылок будут выданы 2 новые ссылки" in body
    assert people["waiting"].full_name in body and people["other"].full_name not in body
    assert "Нет согласия — ссылка не выдаётся: " + people["no_consent"].full_name in body
    assert 'data-confirm="Выдать новые ссылки? Ранее выданные ссылки перестанут работать."' in body
    # Looking changes nothing.
    waiting = Invitation.objects.get(person=people["waiting"])
    assert waiting.token_hash == token_hash(tokens[people["waiting"].pk])


def test_printing_gives_new_links_with_names_and_marks_students_without_consent(client, school_a, curator_a, class_7b):
    template, people, tokens = class_7b
    client.force_login(curator_a)
    response = client.post(_url(school_a), {"questionnaire": template.pk, "grade": "7", "class_letter": "б"})
    text = _pdf_text(response)

    for key in ("waiting", "also", "no_consent"):
        assert "".join(people[key].full_name.split()) in text
    assert "".join(people["other"].full_name.split()) not in text
    assert "нетсогласия—ссылканевыдаётся" in text
    printed = LINK.findall(text)
    assert len(printed) == 2
    by_person = {Invitation.objects.get(token_hash=token_hash(token)).person for token in printed}
    assert by_person == {people["waiting"], people["also"]}
    # The order on the sheet is the class list's: the name comes right before its link.
    assert text.index("Андреева") < text.index(printed[0]) < text.index("Белова") < text.index(printed[1])

    old = tokens[people["waiting"].pk]
    assert client.get(reverse("questionnaire_answer", args=[old])).status_code == 404
    assert client.get(reverse("questionnaire_answer", args=[printed[0]])).status_code == 200
    other = Invitation.objects.get(person=people["other"])
    assert other.token_hash == token_hash(tokens[people["other"].pk])  # another class keeps its link
    entry = AccessLogEntry.objects.get(organisation=school_a, action="print")
    assert "7Б класс" in entry.what and entry.people_count == 4


def test_sheet_offers_only_questionnaires_the_school_has_sent(client, school_a, school_b, curator_a, class_7b):
    template, _, _ = class_7b
    unsent = make_template(organisation=school_a, title="Неразосланная анкета")
    foreign = make_template(organisation=school_b, title="Анкета другой школы")
    client.force_login(curator_a)
    body = client.get(_url(school_a)).content.decode()
    assert template.title in body and unsent.title not in body and foreign.title not in body
    response = client.post(_url(school_a), {"questionnaire": foreign.pk, "grade": "7", "class_letter": "Б"})
    assert response.status_code == 200 and "application/pdf" not in response["Content-Type"]
    assert "Выберите корректный вариант" in response.content.decode()


def test_methodist_may_not_print(client, school_a, member, class_7b):
    template, _, _ = class_7b
    client.force_login(member(school_a, "methodist"))
    response = client.post(_url(school_a), {"questionnaire": template.pk, "grade": "7", "class_letter": "Б"})
    assert response.status_code == 403
