import csv
import datetime
import io

from django.urls import reverse
from openpyxl import load_workbook

from participants.models import AccessLogEntry, Consent
from participants.tests.factories import PersonFactory
from participants.tests.factories_consents import consent_for


def _sheet_rows(response):
    workbook = load_workbook(io.BytesIO(response.content), read_only=True)
    return [list(row) for row in workbook.active.iter_rows(values_only=True) if any(v is not None for v in row)]


def _export_url(school, **params):
    url = reverse("reports:export", kwargs={"org": school.slug, "identifier": "people"})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


def test_people_export_follows_the_filters_and_the_school(client, school_a, school_b, curator_a):
    seventh = PersonFactory(organisation=school_a, last_name="Черных", grade=7, birth_date=datetime.date(2013, 3, 8))
    ninth = PersonFactory(organisation=school_a, last_name="Кляпка", grade=9)
    foreign = PersonFactory(organisation=school_b, last_name="Чужой", grade=7)
    for person in (seventh, ninth, foreign):
        consent_for(person)
    client.force_login(curator_a)
    response = client.get(_export_url(school_a, grade=7))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="people-school-a-' in response["Content-Disposition"]
    rows = _sheet_rows(response)
    assert rows[0][0] == "Участники программы наставничества — МБОУ СОШ № 1"
    header_index = next(i for i, row in enumerate(rows) if row[0] == "Фамилия")
    data = [row for row in rows[header_index + 1 :] if row[0]]
    assert [row[0] for row in data] == ["Черных"]
    assert data[0][4] == "08.03.2013" and data[0][6] == "7Б"


def test_people_without_consent_are_not_exported_and_the_file_says_so(client, school_a, curator_a):
    consent_for(PersonFactory(organisation=school_a, last_name="Согласный"))
    PersonFactory(organisation=school_a, last_name="Безсогласия")
    PersonFactory(organisation=school_a, last_name="Безсогласия2")
    withdrawn = consent_for(PersonFactory(organisation=school_a, last_name="Отозвавший"))
    withdrawn.status = Consent.Status.WITHDRAWN
    withdrawn.save()
    client.force_login(curator_a)
    rows = _sheet_rows(client.get(_export_url(school_a)))
    names = [row[0] for row in rows]
    assert "Согласный" in names
    assert not {"Безсогласия", "Безсогласия2", "Отозвавший"} & set(names)
    assert any(str(row[0]).endswith("3 человека.") for row in rows)


def test_formula_like_values_stay_text_in_xlsx_and_csv(client, school_a, curator_a):
    person = PersonFactory(
        organisation=school_a, last_name='=HYPERLINK("http://evil")', first_name="+7", patronymic="@x"
    )
    consent_for(person)
    client.force_login(curator_a)
    response = client.get(_export_url(school_a))
    workbook = load_workbook(io.BytesIO(response.content))
    cells = {cell.value: cell.data_type for row in workbook.active.iter_rows() for cell in row if cell.value}
    assert cells['=HYPERLINK("http://evil")'] == "s"
    assert cells["+7"] == "s" and cells["@x"] == "s"

    csv_response = client.get(_export_url(school_a, format="csv"))
    rows = list(csv.reader(io.StringIO(csv_response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[1][:3] == ['\'=HYPERLINK("http://evil")', "'+7", "'@x"]


def test_selected_people_are_exported_and_other_schools_ids_ignored(client, school_a, school_b, curator_a):
    chosen = PersonFactory(organisation=school_a, last_name="Выбранный")
    PersonFactory(organisation=school_a, last_name="Невыбранный")
    foreign = PersonFactory(organisation=school_b, last_name="Чужой")
    for person in [*school_a.people.all(), foreign]:
        consent_for(person)
    client.force_login(curator_a)
    url = reverse("reports:export", kwargs={"org": school_a.slug, "identifier": "people"})
    rows = _sheet_rows(client.post(url, {"person": [chosen.pk, foreign.pk]}))
    names = {row[0] for row in rows}
    assert "Выбранный" in names
    assert not {"Невыбранный", "Чужой"} & names


def test_export_is_recorded_in_the_access_journal(client, school_a, curator_a):
    for _ in range(3):
        consent_for(PersonFactory(organisation=school_a))
    client.force_login(curator_a)
    client.get(_export_url(school_a))
    entry = AccessLogEntry.objects.get(organisation=school_a)
    assert (entry.user, entry.action, entry.people_count) == (curator_a, "export", 3)
    assert entry.what.startswith("Выгрузка: Участники программы наставничества")


def test_unknown_export_is_404(client, school_a, curator_a):
    client.force_login(curator_a)
    url = reverse("reports:export", kwargs={"org": school_a.slug, "identifier": "nothing"})
    assert client.get(url).status_code == 404
