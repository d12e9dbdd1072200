"""Printable consent forms: the PDF reopened and read, one form per student, the journal, the fetcher."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import dateformat, timezone, translation
from pypdf import PdfReader

from participants.models import AccessLogEntry, ConsentText
from participants.tests.factories import ParentLinkFactory, PersonFactory, TeacherFactory
from participants.tests.factories_consents import ConsentFactory
from reports.exports.pdf import STATIC_DIR, StaticFilesFetcher, render_pdf

A4_POINTS = (595, 842)


def _years_ago(years: int, days: int = 10) -> datetime.date:
    today = timezone.localdate()
    return today.replace(year=today.year - years) - datetime.timedelta(days=days)


def _pdf_pages(response) -> list[str]:
    """The text of each page, with whitespace folded (justified lines stretch spaces)."""
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def _person_url(school, person, purpose=None):
    url = reverse("reports:consent_form_person", kwargs={"org": school.slug, "pk": person.pk})
    return f"{url}?purpose={purpose}" if purpose else url


def _class_url(school, **params):
    return reverse("reports:consent_forms_class", kwargs={"org": school.slug}), params


@pytest.fixture
def school(school_a):
    school_a.full_name = "Муниципальное бюджетное общеобразовательное учреждение «Средняя школа № 1»"
    school_a.address = "г. Энгельс, ул. Тельмана, д. 10"
    school_a.inn = "6449012345"
    school_a.save()
    return school_a


def test_person_form_is_prefilled_for_a_child_and_parent(client, school, member):
    link = ParentLinkFactory(
        child__organisation=school,
        child__last_name="Черных",
        child__first_name="Илья",
        child__patronymic="Сергеевич",
        child__birth_date=_years_ago(12),
        child__grade=7,
        child__class_letter="Б",
        parent__last_name="Черных",
        parent__first_name="Анна",
        parent__patronymic="Викторовна",
        parent__gender="F",
    )
    client.force_login(member(school, "methodist"))
    response = client.get(_person_url(school, link.child))
    text = " ".join(_pdf_pages(response))
    assert school.full_name in text
    assert "ИНН 6449012345" in text
    assert "Черных Илья Сергеевич" in text
    assert "Черных Анна Викторовна" in text
    assert f"дата рождения {link.child.birth_date:%d.%m.%Y}" in text
    assert "обучающийся 7Б класса" in text
    assert "несовершеннолетнего" in text
    with translation.override("ru"):
        printed = dateformat.format(timezone.localdate(), "j E Y")
    assert f"Бланк подготовлен {printed} г." in text
    current = ConsentText.objects.get(purpose="participation", is_current=True)
    assert current.title in text and f"Редакция текста согласия: {current.version}" in text
    assert "«____» ______________ 20____ г." in text
    assert "/ Черных А. В. /" in text
    # A 12-year-old does not co-sign.
    assert "С согласием ознакомлен" not in text
    assert "inline" in response["Content-Disposition"]


def test_child_from_cosign_age_gets_the_cosignature_line(client, school, curator_a):
    link = ParentLinkFactory(
        child__organisation=school,
        child__last_name="Николаева",
        child__first_name="Ольга",
        child__patronymic="Андреевна",
        child__gender="F",
        child__birth_date=_years_ago(15),
    )
    client.force_login(curator_a)
    text = " ".join(_pdf_pages(client.get(_person_url(school, link.child))))
    assert "несовершеннолетней" in text and "обучающаяся" in text
    assert "С согласием ознакомлена, согласна" in text
    assert "/ Николаева О. А. /" in text


def test_adult_signs_own_form(client, school, curator_a):
    teacher = TeacherFactory(
        organisation=school, last_name="Яковенко", first_name="Оксана", patronymic="Николаевна", gender="F"
    )
    client.force_login(curator_a)
    text = " ".join(_pdf_pages(client.get(_person_url(school, teacher))))
    assert "Я, Яковенко Оксана Николаевна, дата рождения 02.03.1985" in text
    assert "на обработку моих персональных данных" in text
    assert "законного представителя" not in text
    assert "/ Яковенко О. Н. /" in text


def test_publication_form_uses_its_own_text(client, school, curator_a):
    teacher = TeacherFactory(organisation=school)
    client.force_login(curator_a)
    text = " ".join(_pdf_pages(client.get(_person_url(school, teacher, "publication"))))
    assert "статьёй 10.1" in text and "разрешённых для распространения" in text
    assert "социальных сетях" in text


def test_unknown_purpose_goes_back_with_a_message(client, school, curator_a):
    person = PersonFactory(organisation=school)
    client.force_login(curator_a)
    response = client.get(_person_url(school, person, "marketing"), follow=True)
    assert "Неизвестная цель согласия" in response.content.decode()


def test_page_is_a4_with_fonts_embedded_and_numbers_from_page_two(client, school, curator_a):
    person = PersonFactory(organisation=school, birth_date=_years_ago(15))
    client.force_login(curator_a)
    response = client.get(_person_url(school, person))
    reader = PdfReader(io.BytesIO(response.content))
    page = reader.pages[0]
    assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == A4_POINTS
    fonts = {str(font.get_object()["/BaseFont"]) for font in page["/Resources"]["/Font"].values()}
    assert fonts and all("Liberation-Serif" in font for font in fonts)
    # Page numbers from page 2 of each form (at the top; the text layer puts them last).
    pages = [" ".join(p.extract_text().split()) for p in reader.pages]
    assert len(pages) == 2
    assert not pages[0].endswith(" 1")
    assert pages[1].endswith(" 2")


def test_print_is_recorded_in_the_journal(client, school, curator_a):
    person = PersonFactory(organisation=school)
    client.force_login(curator_a)
    client.get(_person_url(school, person))
    entry = AccessLogEntry.objects.get(action="print")
    assert (entry.person, entry.people_count, entry.user) == (person, 1, curator_a)
    assert "Бланк согласия" in entry.what


def test_class_pdf_has_one_form_per_student(client, school, school_b, curator_a):
    seventh_b = [
        ParentLinkFactory(child__organisation=school, child__last_name=name, child__birth_date=_years_ago(13)).child
        for name in ("Андреев", "Борисов", "Васильев")
    ]
    PersonFactory(organisation=school, last_name="Семиклассник", grade=7, class_letter="А")
    PersonFactory(organisation=school_b, last_name="Чужой", grade=7, class_letter="Б")
    client.force_login(curator_a)
    url, params = _class_url(school, grade=7, letter="б", purpose="participation")
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    pages = _pdf_pages(response)
    title = ConsentText.objects.get(purpose="participation", is_current=True).title
    first_pages = [page for page in pages if title in page]
    assert len(first_pages) == len(seventh_b) == 3
    for student, page in zip(sorted(seventh_b, key=lambda p: p.last_name), first_pages, strict=True):
        assert student.full_name in page
    # Each form numbers its own pages from its second page.
    number = 0
    for page in pages:
        number = 1 if title in page else number + 1
        assert page.endswith(f" {number}") == (number > 1)
    text = " ".join(pages)
    assert "Семиклассник" not in text and "Чужой" not in text
    entry = AccessLogEntry.objects.get(action="print")
    assert entry.people_count == 3 and entry.person is None
    assert "7Б класс, 3 бланка" in entry.what
    assert "7Б" in response["Content-Disposition"] or "7%D0%91" in response["Content-Disposition"]

    # The query count does not depend on the size of the class.
    for name in ("Григорьев", "Давыдов", "Егоров", "Жуков"):
        ParentLinkFactory(child__organisation=school, child__last_name=name)
    with CaptureQueriesContext(connection) as more:
        assert len(_pdf_pages(client.get(url, params))) >= 7
    assert len(more.captured_queries) == len(queries.captured_queries)


def test_class_pdf_only_for_those_without_consent(client, school, curator_a):
    signed = ConsentFactory(
        person__organisation=school, person__category="student", person__grade=7, person__class_letter="Б"
    ).person
    missing = PersonFactory(organisation=school, last_name="Безсогласия", grade=7, class_letter="Б")
    client.force_login(curator_a)
    url, params = _class_url(school, grade=7, letter="Б", only_missing="1")
    text = " ".join(_pdf_pages(client.get(url, params)))
    assert missing.full_name in text and signed.full_name not in text


def test_class_without_students_or_without_grade_goes_back_to_the_list(client, school, curator_a):
    client.force_login(curator_a)
    url, _ = _class_url(school)
    response = client.get(url, {"grade": 9, "letter": "В"}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("participants:consent_list", kwargs={"org": school.slug})
    assert "В 9В классе нет обучающихся." in response.content.decode()
    response = client.get(url, follow=True)
    assert "Класс: Обязательное поле." in response.content.decode()
    assert not AccessLogEntry.objects.filter(action="print").exists()


def test_html_switch_shows_the_source(client, school, curator_a):
    person = PersonFactory(organisation=school, last_name="Проверкин")
    client.force_login(curator_a)
    response = client.get(_person_url(school, person), {"format": "html"})
    assert response["Content-Type"].startswith("text/html")
    content = response.content.decode()
    assert "Проверкин" in content
    # Styles and fonts come from our static files (the Content-Security-Policy forbids inline styles).
    assert '<base href="/static/">' in content and "<style" not in content
    assert AccessLogEntry.objects.get(person=person).action == "view"


def test_consent_list_offers_printing_a_class(client, school, curator_a):
    PersonFactory(organisation=school, grade=7, class_letter="Б")
    client.force_login(curator_a)
    content = client.get(reverse("participants:consent_list", kwargs={"org": school.slug})).content.decode()
    assert reverse("reports:consent_forms_class", kwargs={"org": school.slug}) in content
    assert '<option value="Б">Б</option>' in content


# --- The URL fetcher ------------------------------------------------------------------------


def test_fetcher_serves_our_static_files_only(tmp_path):
    fetcher = StaticFilesFetcher()
    font = STATIC_DIR / "fonts" / "LiberationSerif-Regular.ttf"
    response = fetcher.fetch(font.as_uri())
    assert response.read()[:4] == font.read_bytes()[:4]
    refused = [
        "file:///etc/passwd",
        (STATIC_DIR / ".." / "manage.py").as_uri(),
        STATIC_DIR.as_uri() + "/../mentorship/settings.py",
        "https://example.org/font.ttf",
        "http://127.0.0.1:8000/static/css/app.css",
        "data:text/plain,hello",
        "ftp://example.org/x",
    ]
    outside = tmp_path / "secret.txt"
    outside.write_text("secret")
    refused.append(outside.as_uri())
    for url in refused:
        with pytest.raises(ValueError, match="Refused"):
            fetcher.fetch(url)


def test_render_pdf_does_not_fetch_outside_static(tmp_path, settings):
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"\x89PNG\r\n\x1a\n")
    engine = settings.TEMPLATES[0]
    settings.TEMPLATES = [{**engine, "DIRS": [tmp_path, *engine["DIRS"]]}]
    (tmp_path / "probe.html").write_text(
        f'<p>Проба</p><img src="{secret.as_uri()}"><img src="https://example.org/x.png">'
    )
    reader = PdfReader(io.BytesIO(render_pdf(template_name="probe.html", context={})))
    page = reader.pages[0]
    assert "Проба" in page.extract_text()
    assert not page["/Resources"].get("/XObject")
