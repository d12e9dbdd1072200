"""Roadmap pages: the table, the timeline, marking done, evidence, «мои мероприятия», the district's view."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from organisations.tests.files import assert_private_file
from participants.tests.factories import TeacherFactory
from roadmap import services
from roadmap.models import Evidence, ItemResponsible, Occurrence, Roadmap
from roadmap.tests.factories import ItemFactory, RoadmapFactory, SectionFactory, occurrence_of

D = datetime.date
PDF_BYTES = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"


def _url(name, organisation, **kwargs):
    return reverse(f"roadmap:{name}", kwargs={"org": organisation.slug, **kwargs})


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def test_curator_creates_a_roadmap_from_the_standard_template(client, school_a, curator_a):
    client.force_login(curator_a)
    response = client.post(_url("create", school_a), {"first_year": 2026, "last_year": 2027, "source": "standard"})
    roadmap = Roadmap.objects.get(organisation=school_a)
    assert response["Location"] == roadmap.get_absolute_url()
    assert roadmap.title == "Дорожная карта внедрения целевой модели наставничества на 2026/2027 учебный год"
    assert (roadmap.starts_on, roadmap.ends_on, roadmap.created_by) == (D(2026, 9, 1), D(2027, 8, 31), curator_a)
    page = client.get(roadmap.get_absolute_url()).content.decode()
    for header in ("Содержание", "Сроки", "Ожидаемый результат", "Показатели эффективности", "Ответственный"):
        assert f'<th scope="col">{header}</th>' in page
    assert "1. Подготовка условий для запуска программы наставничества" in page
    assert "сентябрь 2026 г." in page
    assert "ежеквартально" in page


def test_an_empty_roadmap_asks_for_a_section_first(client, school_a, curator_a):
    client.force_login(curator_a)
    client.post(_url("create", school_a), {"first_year": 2024, "last_year": 2026, "source": "empty", "title": "ДК"})
    roadmap = Roadmap.objects.get(organisation=school_a)
    assert roadmap.period_label == "2024–2026 годы"
    response = client.get(_url("item_add", school_a, pk=roadmap.pk))
    assert response["Location"] == _url("section_add", school_a, pk=roadmap.pk)
    client.post(_url("section_add", school_a, pk=roadmap.pk), {"title": "Информационное сопровождение"})
    section = roadmap.sections.get()
    response = client.post(
        _url("item_add", school_a, pk=roadmap.pk),
        {"section": section.pk, "content": "Рубрика на сайте", "deadline_text": "Август 2024-2026г."},
    )
    assert response.status_code == 302
    item = roadmap.items.get()
    assert (item.deadline_text, item.deadline_display) == ("Август 2024-2026г.", "ежегодно в августе, 2024–2026 гг.")
    assert item.occurrences.count() == 3


def test_item_with_an_unclear_deadline_is_saved_and_flagged(client, school_a, curator_a):
    section = SectionFactory(roadmap__organisation=school_a)
    client.force_login(curator_a)
    response = client.post(
        _url("item_add", school_a, pk=section.roadmap_id),
        {"section": section.pk, "content": "Встречи", "deadline_text": "по мере необходимости"},
        follow=True,
    )
    page = response.content.decode()
    assert "Срок «по мере необходимости» не распознан" in page
    assert "У 1 мероприятия срок не распознан" in page


def test_deadline_check_explains_the_typed_text(client, school_a, curator_a):
    roadmap = RoadmapFactory(organisation=school_a)
    client.force_login(curator_a)
    url = _url("deadline_check", school_a) + f"?roadmap={roadmap.pk}&deadline_text=Ежегодно (май)"
    assert "Понято как: «ежегодно в мае», срок — 31.05.2027." in client.get(url).content.decode()
    url = _url("deadline_check", school_a) + f"?roadmap={roadmap.pk}&deadline_text=1 раз в квартал"
    assert "5 сроков: 30.09.2026, 31.12.2026, 31.03.2027, 30.06.2027" in client.get(url).content.decode()
    url = _url("deadline_check", school_a) + f"?roadmap={roadmap.pk}&deadline_text=когда-нибудь"
    assert "Срок не распознан" in client.get(url).content.decode()


def test_roadmap_table_query_count_does_not_grow_with_rows(client, school_a, curator_a):
    roadmap = RoadmapFactory(organisation=school_a)
    teacher = TeacherFactory(organisation=school_a)
    section = SectionFactory(roadmap=roadmap)
    item = ItemFactory(section=section, deadline="1 раз в квартал")
    ItemResponsible.objects.create(organisation=school_a, item=item, person=teacher)
    client.force_login(curator_a)
    urls = [
        roadmap.get_absolute_url(),
        _url("timeline", school_a, pk=roadmap.pk),
        _url("my_items", school_a),
        _url("list", school_a),
        reverse("reports:export", kwargs={"org": school_a.slug, "identifier": "roadmap"}) + f"?roadmap={roadmap.pk}",
    ]
    few = [_queries(client, url) for url in urls]
    for _ in range(3):
        extra = SectionFactory(roadmap=roadmap)
        for deadline in ("Ежегодно (сентябрь)", "По отдельному графику", "В течение всего периода", "Май 2027"):
            item = ItemFactory(section=extra, deadline=deadline)
            ItemResponsible.objects.create(
                organisation=school_a, item=item, person=TeacherFactory(organisation=school_a)
            )
            ItemResponsible.objects.create(organisation=school_a, item=item, user=curator_a)
            services.occurrence_mark_done(occurrence=occurrence_of(item), user=curator_a, comment="Готово")
    RoadmapFactory(organisation=school_a, title="Вторая")
    assert [_queries(client, url) for url in urls] == few


def test_responsible_mentor_marks_own_item_done_but_not_others(client, school_a, member):
    mentor = member(school_a, "mentor")
    teacher = TeacherFactory(organisation=school_a, user=mentor)
    mine = ItemFactory(section__roadmap__organisation=school_a, deadline="Октябрь 2026")
    ItemResponsible.objects.create(organisation=school_a, item=mine, person=teacher)
    other = ItemFactory(section=mine.section, deadline="Октябрь 2026")
    client.force_login(mentor)
    page = client.get(mine.roadmap.get_absolute_url()).content.decode()
    assert page.count("Отметить выполнение") == 1
    response = client.post(
        _url("occurrence_done", school_a, pk=occurrence_of(mine).pk),
        {"done_on": "2026-10-15", "comment": "Провели встречу"},
    )
    assert response.status_code == 302
    occurrence = occurrence_of(mine)
    assert (occurrence.status, occurrence.done_on, occurrence.done_by) == ("done", D(2026, 10, 15), mentor)
    assert occurrence.evidence.get().comment == "Провели встречу"
    response = client.post(_url("occurrence_done", school_a, pk=occurrence_of(other).pk), {"done_on": "2026-10-15"})
    assert response.status_code == 403
    assert "отмечать выполнение могут ответственные" in response.content.decode()
    # «Мои мероприятия» lists only the mentor's own item.
    my_page = client.get(_url("my_items", school_a)).content.decode()
    assert mine.content in my_page and other.content not in my_page


def test_marking_done_changes_completion_on_the_table(client, school_a, curator_a):
    item = ItemFactory(section__roadmap__organisation=school_a, deadline="До 30.09.2026")
    ItemFactory(section=item.section, deadline="Сентябрь 2026")
    client.force_login(curator_a)
    before = client.get(item.roadmap.get_absolute_url()).content.decode()
    assert "в срок 0 из 2 (0 %)" in before
    back = item.roadmap.get_absolute_url()
    response = client.post(
        _url("occurrence_done", school_a, pk=occurrence_of(item).pk),
        {"done_on": "2026-09-20", "comment": "Приказ № 56-ОД", "next": back},
    )
    assert response["Location"] == back
    assert "в срок 1 из 2 (50 %)" in client.get(back).content.decode()


def test_evidence_file_is_checked_and_served_only_through_the_view(client, school_a, curator_a, mentor_a, curator_b):
    occurrence = occurrence_of(ItemFactory(section__roadmap__organisation=school_a))
    client.force_login(curator_a)
    bad = SimpleUploadedFile("order.pdf", "не скан".encode(), content_type="application/pdf")
    response = client.post(_url("occurrence_done", school_a, pk=occurrence.pk), {"done_on": "2026-10-10", "file": bad})
    assert response.status_code == 200
    assert "Загрузите скан в формате PDF, JPEG или PNG" in response.content.decode()
    good = SimpleUploadedFile("Приказ 56-ОД.pdf", PDF_BYTES, content_type="application/pdf")
    client.post(_url("occurrence_done", school_a, pk=occurrence.pk), {"done_on": "2026-10-10", "file": good})
    evidence = Evidence.objects.get(occurrence=occurrence)
    assert evidence.file_name == "Приказ 56-ОД.pdf"
    assert "Приказ" not in evidence.file.name and evidence.file.name.startswith(f"private/{school_a.pk}/")
    client.force_login(mentor_a)
    response = client.get(_url("evidence_file", school_a, pk=evidence.pk))
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Cache-Control"] == "private, no-store"
    assert_private_file(response, filename="Приказ 56-ОД.pdf", as_attachment=False)
    client.force_login(curator_b)
    assert client.get(_url("evidence_file", school_a, pk=evidence.pk)).status_code == 404


def test_status_changes_and_cancelled_items_leave_completion(client, school_a, curator_a):
    item = ItemFactory(section__roadmap__organisation=school_a, deadline="Сентябрь 2026")
    client.force_login(curator_a)
    occurrence = occurrence_of(item)
    client.post(_url("occurrence_status", school_a, pk=occurrence.pk), {"status": "cancelled"})
    assert occurrence_of(item).status == "cancelled"
    response = client.post(_url("occurrence_status", school_a, pk=occurrence.pk), {"status": "overdue"}, follow=True)
    assert "Неизвестный статус" in response.content.decode()


def test_timeline_groups_items_by_month(client, school_a, curator_a):
    roadmap = RoadmapFactory(organisation=school_a)
    section = SectionFactory(roadmap=roadmap)
    ItemFactory(section=section, content="Нетворкинг", deadline="18.10.2026")
    ItemFactory(section=section, content="Реестр", deadline="В течение всего периода")
    ItemFactory(section=section, content="Школа наставника", deadline="По отдельному графику")
    ItemFactory(section=section, content="Диагностика", deadline="1 раз в квартал")
    client.force_login(curator_a)
    response = client.get(_url("timeline", school_a, pk=roadmap.pk))
    months = {month.label: [o.item.content for o in month.occurrences] for month in response.context["timeline"].months}
    assert len(months) == 12
    assert months["Октябрь 2026"] == ["Нетворкинг"]
    assert months["Декабрь 2026"] == ["Диагностика"]
    assert months["Август 2027"] == ["Диагностика"]
    assert [item.content for item in response.context["timeline"].whole_period] == ["Реестр"]
    assert [item.content for item in response.context["timeline"].undated] == ["Школа наставника"]


def test_approve_form_proposes_the_director(client, school_a, director_a):
    item = ItemFactory(section__roadmap__organisation=school_a)
    client.force_login(director_a)
    response = client.get(_url("approve", school_a, pk=item.roadmap_id))
    initial = response.context["form"].initial
    assert initial["approver_position"] == "Директор МБОУ СОШ № 1"
    assert initial["approver_name"] == "О.\u00a0В.\u00a0Кляпка"
    client.post(
        _url("approve", school_a, pk=item.roadmap_id),
        {"approver_position": "Директор МБОУ СОШ № 1", "approver_name": "О.В. Кляпка", "approved_on": "2026-09-02"},
    )
    page = client.get(item.roadmap.get_absolute_url()).content.decode()
    assert "Утверждена 2 сентября 2026 г.: Директор МБОУ СОШ № 1 О.В. Кляпка." in page


def test_copy_page_proposes_the_next_period(client, school_a, curator_a):
    roadmap = ItemFactory(section__roadmap__organisation=school_a).roadmap
    client.force_login(curator_a)
    form = client.get(_url("copy", school_a, pk=roadmap.pk)).context["form"]
    assert (form.fields["first_year"].initial, form.fields["last_year"].initial) == (2027, 2028)
    response = client.post(_url("copy", school_a, pk=roadmap.pk), {"first_year": 2027, "last_year": 2028})
    copy = Roadmap.objects.exclude(pk=roadmap.pk).get()
    assert response["Location"] == copy.get_absolute_url()
    assert copy.items.get().deadline_display == "октябрь 2027 г."


# --- District ----------------------------------------------------------------------------------


@pytest.fixture
def district_roadmap(district, school_a, school_b):
    roadmap = RoadmapFactory(organisation=district, title="Муниципальная дорожная карта")
    section = SectionFactory(roadmap=roadmap, title="Подготовка условий")
    services.item_create(
        roadmap=roadmap,
        section=section,
        content="Семинар-совещание",
        deadline_text="Октябрь 2026",
        schools=[school_a, school_b],
    )
    return roadmap


def test_district_officer_assigns_items_and_sees_school_progress(
    client, district, school_a, school_b, district_officer, district_roadmap
):
    client.force_login(district_officer)
    section = district_roadmap.sections.get()
    response = client.post(
        _url("item_add", district, pk=district_roadmap.pk),
        {
            "section": section.pk,
            "content": "Реестры наставников",
            "deadline_text": "До 15.11.2026",
            "schools": [school_a.pk],
        },
    )
    assert response.status_code == 302
    Occurrence.objects.filter(organisation=school_a, item__content="Семинар-совещание").update(
        status="done", done_on=D(2026, 10, 10)
    )
    page = client.get(district_roadmap.get_absolute_url()).content.decode()
    assert "выполнили 1 из 2" in page
    assert "выполнили 0 из 1" in page
    item = district_roadmap.items.get(content="Семинар-совещание")
    detail = client.get(_url("item_detail", district, pk=item.pk)).content.decode()
    assert "МБОУ СОШ № 1" in detail and "МБОУ СОШ № 2" in detail


def test_district_roadmap_query_count_does_not_grow_with_schools(client, district, district_officer, district_roadmap):
    from organisations.tests.factories import SchoolFactory

    client.force_login(district_officer)
    few = _queries(client, district_roadmap.get_absolute_url())
    item = district_roadmap.items.get()
    services.district_item_assign(
        item=item, schools=[*district.schools.all(), *(SchoolFactory(parent=district) for _ in range(4))]
    )
    assert _queries(client, district_roadmap.get_absolute_url()) == few


def test_school_sees_the_district_items_and_marks_them(client, school_a, curator_a, district_roadmap):
    copy = Roadmap.objects.get(organisation=school_a)
    client.force_login(curator_a)
    listing = client.get(_url("list", school_a)).content.decode()
    assert "Назначено управлением образования: УО Заречного района" in listing
    page = client.get(copy.get_absolute_url()).content.decode()
    assert "Семинар-совещание" in page and "Добавить мероприятие" not in page
    item = copy.items.get()
    response = client.post(_url("occurrence_done", school_a, pk=occurrence_of(item).pk), {"done_on": "2026-10-12"})
    assert response.status_code == 302
    form = client.get(_url("item_edit", school_a, pk=item.pk)).context["form"]
    assert set(form.fields) == {"actual_value", "responsible_users", "responsible_people"}


def test_district_officer_reads_a_school_roadmap_but_does_not_edit_it(client, school_a, district_officer):
    item = ItemFactory(section__roadmap__organisation=school_a)
    client.force_login(district_officer)
    page = client.get(item.roadmap.get_absolute_url())
    assert page.status_code == 200
    assert "Отметить выполнение" not in page.content.decode()
    assert client.get(_url("item_edit", school_a, pk=item.pk)).status_code == 403
    assert (
        client.post(_url("occurrence_done", school_a, pk=occurrence_of(item).pk), {"done_on": "2026-10-01"}).status_code
        == 403
    )


def test_navigation_shows_the_roadmap_to_those_who_may_see_it(
    client, school_a, district, curator_a, district_officer, member
):
    client.force_login(curator_a)
    assert "Дорожная карта</a>" in client.get(school_a.get_absolute_url()).content.decode()
    client.force_login(district_officer)
    assert "Дорожная карта</a>" in client.get(district.get_absolute_url()).content.decode()
    client.force_login(member(school_a, "administrator"))
    assert "Дорожная карта</a>" not in client.get(school_a.get_absolute_url()).content.decode()


def test_going_back_after_marking_done_stays_on_this_site(client, school_a, curator_a):
    item = ItemFactory(section__roadmap__organisation=school_a, deadline="Сентябрь 2026")
    client.force_login(curator_a)
    url = _url("occurrence_done", school_a, pk=occurrence_of(item).pk)
    response = client.post(url, {"done_on": "2026-09-20", "next": "/\\evil.example/"})
    assert response["Location"] == item.get_absolute_url()
