"""Services of roadmaps: the standard template, copies, approval, items and their occurrences, progress."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from organisations.tests.factories import MembershipFactory, SchoolFactory
from participants.tests.factories import PartnerFactory, TeacherFactory
from roadmap import services
from roadmap.deadlines import Period
from roadmap.models import Evidence, Item, Occurrence, Roadmap
from roadmap.selectors import Completion, roadmap_table
from roadmap.template import STANDARD_TEMPLATE
from roadmap.tests.factories import ItemFactory, RoadmapFactory, SectionFactory, occurrence_of

D = datetime.date
pytestmark = pytest.mark.django_db


def _standard(school, first=2026, last=2027):
    period = Period.of_school_years(first, last)
    return services.roadmap_create_standard(
        organisation=school, title="ДК", starts_on=period.start, ends_on=period.end, user=None
    )


def test_standard_template_has_the_seven_stages_in_our_wording(school_a):
    roadmap = _standard(school_a)
    titles = list(roadmap.sections.order_by("position").values_list("title", flat=True))
    assert len(titles) == 7
    assert titles[0] == "1. Подготовка условий для запуска программы наставничества"
    assert titles[-1] == "7. Завершение программы наставничества"
    assert roadmap.items.count() == sum(len(section.items) for section in STANDARD_TEMPLATE)
    assert not roadmap.items.filter(deadline_kind="text").exists()
    assert roadmap.status == Roadmap.Status.DRAFT


def test_template_dates_move_into_the_chosen_period(school_a):
    roadmap = _standard(school_a, 2026, 2028)
    first = roadmap.items.get(content__startswith="Издание приказа о внедрении")
    assert (first.deadline_display, first.deadline_start, first.deadline_end) == (
        "сентябрь 2026 г.",
        D(2026, 9, 1),
        D(2026, 9, 30),
    )
    by_end_of_september = roadmap.items.get(content__startswith="Определение целей")
    assert by_end_of_september.deadline_display == "до 30.09.2026"
    # The next roadmap is due in May of the period's last school year.
    next_roadmap = roadmap.items.get(content__startswith="Разработка дорожной карты")
    assert next_roadmap.deadline_display == "май 2028 г."
    # A yearly item recurs in every school year of the period, a quarterly one in every quarter.
    yearly = roadmap.items.get(content__startswith="Формирование базы наставляемых")
    assert list(yearly.occurrences.values_list("due_on", flat=True)) == [D(2026, 10, 31), D(2027, 10, 31)]
    quarterly = roadmap.items.get(content__startswith="Диагностика наставляемых")
    assert quarterly.occurrences.count() == 9  # Sep 2026 (part of Q3) … Jul–Aug 2028 (part of Q3)
    assert quarterly.deadline_display == "ежеквартально"


def test_every_item_has_an_occurrence_even_without_a_date(school_a):
    roadmap = _standard(school_a)
    assert not roadmap.items.filter(occurrences__isnull=True).exists()
    school_of_mentors = roadmap.items.get(content__startswith="Организация «Школы наставника»")
    assert list(school_of_mentors.occurrences.values_list("due_on", flat=True)) == [None]


def test_period_must_be_in_order_and_not_too_long(school_a):
    with pytest.raises(ValidationError, match=services.ERROR_PERIOD):
        services.roadmap_create(
            organisation=school_a, title="x", starts_on=D(2026, 9, 1), ends_on=D(2026, 8, 31), user=None
        )
    with pytest.raises(ValidationError, match="не больше 6 лет"):
        services.roadmap_create(
            organisation=school_a, title="x", starts_on=D(2026, 9, 1), ends_on=D(2036, 8, 31), user=None
        )


def test_copy_into_the_next_period_moves_dates_and_keeps_people(school_a, curator_a):
    roadmap = RoadmapFactory(organisation=school_a, starts_on=D(2024, 9, 1), ends_on=D(2026, 8, 31))
    section = SectionFactory(roadmap=roadmap, title="Информационное сопровождение")
    teacher = TeacherFactory(organisation=school_a)
    typed = {
        "Сентябрь 2024г": "сентябрь 2026 г.",
        "До конца октября": "до 31.10.2026",
        "В течение всего периода реализации ЦМН": "в течение всего периода",
        "1 раз в квартал": "ежеквартально",
        "Август 2024-2026г.": "ежегодно в августе, 2026–2028 гг.",
        "В течение года этапа 5": "В течение года этапа 5",
        "": "",
    }
    for text in typed:
        services.item_create(
            roadmap=roadmap,
            section=section,
            content=f"Мероприятие «{text}»",
            deadline_text=text,
            responsible_text="Заместители директора: Николаева О.А.",
            responsible_people=[teacher],
            responsible_users=[curator_a],
        )
    done = occurrence_of(roadmap.items.get(deadline_text="Сентябрь 2024г"))
    services.occurrence_mark_done(occurrence=done, user=curator_a, done_on=D(2024, 9, 20), comment="Готово")

    copy = services.roadmap_copy(
        roadmap=roadmap, title="Следующая", starts_on=D(2026, 9, 1), ends_on=D(2028, 8, 31), user=curator_a
    )
    assert copy.status == Roadmap.Status.DRAFT
    assert list(copy.sections.values_list("title", flat=True)) == ["Информационное сопровождение"]
    items = {item.content: item for item in copy.items.prefetch_related("responsibles")}
    for text, display in typed.items():
        item = items[f"Мероприятие «{text}»"]
        assert item.deadline_display == display
        assert item.responsible_text == "Заместители директора: Николаева О.А."
        assert {(r.user_id, r.person_id) for r in item.responsibles.all()} == {(curator_a.pk, None), (None, teacher.pk)}
    assert not Occurrence.objects.filter(item__roadmap=copy, status="done").exists()
    assert not Evidence.objects.filter(occurrence__item__roadmap=copy).exists()
    assert items["Мероприятие «1 раз в квартал»"].occurrences.count() == 9


def test_changing_the_period_moves_whole_period_and_recurring_items(school_a):
    roadmap = RoadmapFactory(organisation=school_a)
    whole = ItemFactory(section__roadmap=roadmap, deadline="В течение всего периода")
    yearly = ItemFactory(section__roadmap=roadmap, deadline="Ежегодно (май)")
    fixed = ItemFactory(section__roadmap=roadmap, deadline="18.09.2026")
    services.roadmap_update(roadmap=roadmap, title="Новое", starts_on=D(2026, 9, 1), ends_on=D(2028, 8, 31))
    assert list(whole.occurrences.values_list("due_on", flat=True)) == [D(2028, 8, 31)]
    assert list(yearly.occurrences.values_list("due_on", flat=True)) == [D(2027, 5, 31), D(2028, 5, 31)]
    assert list(fixed.occurrences.values_list("due_on", flat=True)) == [D(2026, 9, 18)]


def test_approval_records_the_block_and_only_a_draft_is_approved(school_a, director_a):
    roadmap = ItemFactory(section__roadmap__organisation=school_a).roadmap
    services.roadmap_approve(
        roadmap=roadmap,
        user=director_a,
        approver_position="Директор МБОУ СОШ № 1",
        approver_name="О.В. Кляпка",
        approved_on=D(2026, 9, 2),
        approval_order="приказ от 02.09.2026 № 56-ОД",
    )
    roadmap.refresh_from_db()
    assert (roadmap.status, roadmap.approved_by, roadmap.approved_on) == ("approved", director_a, D(2026, 9, 2))
    with pytest.raises(ValidationError, match=services.ERROR_APPROVE_NOT_DRAFT):
        services.roadmap_approve(
            roadmap=roadmap, user=director_a, approver_position="Д", approver_name="К", approved_on=D(2026, 9, 2)
        )
    with pytest.raises(ValidationError, match="Удалить можно только черновик"):
        services.roadmap_delete(roadmap=roadmap)
    services.roadmap_return_to_draft(roadmap=roadmap, user=director_a)
    roadmap.refresh_from_db()
    assert (roadmap.status, roadmap.approved_on, roadmap.approver_name) == ("draft", None, "")


def test_an_empty_roadmap_is_not_approved(school_a, director_a):
    roadmap = RoadmapFactory(organisation=school_a)
    with pytest.raises(ValidationError, match=services.ERROR_APPROVE_EMPTY):
        services.roadmap_approve(
            roadmap=roadmap,
            user=director_a,
            approver_position="Директор",
            approver_name="О.В. Кляпка",
            approved_on=D(2026, 9, 2),
        )


def test_an_archived_roadmap_is_read_only(school_a, curator_a):
    item = ItemFactory(section__roadmap__organisation=school_a)
    roadmap = item.roadmap
    services.roadmap_archive(roadmap=roadmap, user=curator_a)
    roadmap.refresh_from_db()
    with pytest.raises(ValidationError, match="в архиве"):
        services.item_create(roadmap=roadmap, section=item.section, content="Новое")
    with pytest.raises(ValidationError, match="в архиве"):
        services.occurrence_set_status(occurrence=occurrence_of(item), status="done", user=curator_a)
    # It can still be copied into a new period.
    copy = services.roadmap_copy(
        roadmap=roadmap, title="Копия", starts_on=D(2027, 9, 1), ends_on=D(2028, 8, 31), user=None
    )
    assert copy.items.get().deadline_display == "октябрь 2027 г."


def test_changing_the_deadline_keeps_the_status_of_the_nth_occurrence(school_a, curator_a):
    item = ItemFactory(section__roadmap__organisation=school_a, deadline="Ежегодно (сентябрь)")
    roadmap = item.roadmap
    services.roadmap_update(roadmap=roadmap, title=roadmap.title, starts_on=D(2026, 9, 1), ends_on=D(2028, 8, 31))
    first = item.occurrences.order_by("position").first()
    services.occurrence_mark_done(occurrence=first, user=curator_a, done_on=D(2026, 9, 10))
    services.item_update(item=item, section=item.section, content=item.content, deadline_text="Ежегодно (октябрь)")
    occurrences = list(item.occurrences.order_by("position"))
    assert [(o.due_on, o.status) for o in occurrences] == [(D(2026, 10, 31), "done"), (D(2027, 10, 31), "planned")]
    services.item_update(item=item, section=item.section, content=item.content, deadline_text="До 15.10.2026")
    assert [(o.due_on, o.status) for o in item.occurrences.all()] == [(D(2026, 10, 15), "done")]


def test_item_keeps_the_typed_deadline_and_flags_what_it_did_not_understand(school_a):
    section = SectionFactory(roadmap__organisation=school_a)
    item = services.item_create(
        roadmap=section.roadmap, section=section, content="Встречи", deadline_text="По мере необходимости"
    )
    assert (item.deadline_text, item.deadline_kind, item.deadline_unrecognised) == (
        "По мере необходимости",
        "text",
        True,
    )
    assert item.deadline_display == "По мере необходимости"
    assert list(item.occurrences.values_list("due_on", flat=True)) == [None]


def test_responsible_people_must_belong_to_the_organisation(school_a, school_b, curator_b):
    section = SectionFactory(roadmap__organisation=school_a)
    with pytest.raises(ValidationError, match=services.ERROR_RESPONSIBLE_FOREIGN):
        services.item_create(roadmap=section.roadmap, section=section, content="x", responsible_users=[curator_b])
    foreign_teacher = TeacherFactory(organisation=school_b)
    with pytest.raises(ValidationError, match=services.ERROR_RESPONSIBLE_FOREIGN):
        services.item_create(
            roadmap=section.roadmap, section=section, content="x", responsible_people=[foreign_teacher]
        )
    assert not Item.objects.filter(content="x").exists()


def test_a_section_with_items_is_not_deleted(school_a):
    item = ItemFactory(section__roadmap__organisation=school_a)
    with pytest.raises(ValidationError, match=services.ERROR_SECTION_NOT_EMPTY):
        services.section_delete(section=item.section)


def test_marking_done_records_who_when_and_the_evidence(school_a, curator_a):
    occurrence = occurrence_of(ItemFactory(section__roadmap__organisation=school_a, deadline="Октябрь 2026"))
    services.occurrence_mark_done(
        occurrence=occurrence,
        user=curator_a,
        done_on=D(2026, 10, 20),
        comment="Приказ подписан",
        url="https://school.example/news/1",
    )
    occurrence.refresh_from_db()
    assert (occurrence.status, occurrence.done_on, occurrence.done_by) == ("done", D(2026, 10, 20), curator_a)
    assert occurrence.done_on_time
    evidence = occurrence.evidence.get()
    assert (evidence.comment, evidence.url, evidence.added_by) == (
        "Приказ подписан",
        "https://school.example/news/1",
        curator_a,
    )
    services.occurrence_set_status(occurrence=occurrence, status="in_progress", user=curator_a)
    occurrence.refresh_from_db()
    assert (occurrence.status, occurrence.done_on, occurrence.done_by) == ("in_progress", None, None)


def test_done_cannot_be_dated_in_the_future(school_a, curator_a):
    occurrence = occurrence_of(ItemFactory(section__roadmap__organisation=school_a))
    with pytest.raises(ValidationError, match=services.ERROR_DONE_IN_FUTURE):
        services.occurrence_set_status(
            occurrence=occurrence,
            status="done",
            user=curator_a,
            done_on=timezone.localdate() + datetime.timedelta(days=1),
        )


def test_evidence_can_link_a_document_of_the_school(school_a, school_b, curator_a):
    occurrence = occurrence_of(ItemFactory(section__roadmap__organisation=school_a))
    partner = PartnerFactory(organisation=school_a)
    evidence = services.evidence_add(occurrence=occurrence, user=curator_a, document=partner)
    assert evidence.document == partner
    with pytest.raises(ValidationError, match=services.ERROR_EVIDENCE_DOCUMENT_FOREIGN):
        services.evidence_add(occurrence=occurrence, user=curator_a, document=PartnerFactory(organisation=school_b))
    with pytest.raises(ValidationError, match=services.ERROR_EVIDENCE_EMPTY):
        services.evidence_add(occurrence=occurrence, user=curator_a, comment="  ")


TODAY = D(2026, 11, 15)


def test_completion_is_done_on_time_over_what_is_due(school_a, curator_a):
    roadmap = RoadmapFactory(organisation=school_a)
    section = SectionFactory(roadmap=roadmap)
    on_time = ItemFactory(section=section, deadline="Сентябрь 2026")
    late = ItemFactory(section=section, deadline="До 30.09.2026")
    overdue = ItemFactory(section=section, deadline="Октябрь 2026")
    early = ItemFactory(section=section, deadline="Май 2027")
    ItemFactory(section=section, deadline="Апрель 2027")  # not due yet: does not count
    ItemFactory(section=section, deadline="По отдельному графику")  # no date: does not count
    cancelled = ItemFactory(section=section, deadline="Сентябрь 2026")
    Occurrence.objects.filter(item=on_time).update(status="done", done_on=D(2026, 9, 25))
    Occurrence.objects.filter(item=late).update(status="done", done_on=D(2026, 10, 5))
    Occurrence.objects.filter(item=early).update(status="done", done_on=D(2026, 11, 1))
    Occurrence.objects.filter(item=cancelled).update(status="cancelled")
    table = roadmap_table(roadmap=roadmap, today=TODAY)
    assert table.completion == Completion(counted=4, on_time=2, late=1, overdue=1)
    assert table.completion.percent == 50
    assert table.sections[0].completion == table.completion
    assert overdue.progress(TODAY).state == "overdue"


def test_recurring_item_progress_counts_its_occurrences(school_a):
    item = ItemFactory(section__roadmap__organisation=school_a, deadline="1 раз в квартал")
    first, second, *_ = item.occurrences.order_by("position")
    Occurrence.objects.filter(pk=first.pk).update(status="done", done_on=first.due_on)
    progress = Item.objects.get(pk=item.pk).progress(TODAY)
    # Q3 2026 (September) done, Q4 2026 not yet due; the last is July–August 2027.
    assert (progress.done, progress.total, progress.state) == (1, 5, "in_progress")
    assert progress.next_open.pk == second.pk


def test_responsible_names_in_free_text_are_matched_to_staff(school_a):
    nikolaeva = TeacherFactory(organisation=school_a, last_name="Николаева", first_name="Ольга", patronymic="Андреевна")
    yakovenko = TeacherFactory(
        organisation=school_a, last_name="Яковенко", first_name="Оксана", patronymic="Николаевна"
    )
    TeacherFactory(organisation=school_a, last_name="Кляпка", first_name="Ольга", patronymic="Викторовна")
    TeacherFactory(organisation=school_a, last_name="Кляпка", first_name="Олег", patronymic="Владимирович")
    user = MembershipFactory(
        organisation=school_a,
        role="methodist",
        user__last_name="Ширяева",
        user__first_name="Наталья",
        user__patronymic="Викторовна",
    ).user
    matcher = services.ResponsibleMatcher(school_a)
    assert matcher.match("Заместители директора: Николаева О.А. Яковенко О.Н.") == (
        [],
        sorted([nikolaeva.pk, yakovenko.pk]),
    )
    assert matcher.match("Директор школы Кляпка О.В.") == ([], [])  # two staff with these initials
    assert matcher.match("Н.В. Ширяева") == ([user.pk], [])
    assert matcher.match("Методист") == ([], [])


# --- District roadmaps ---------------------------------------------------------------------------


@pytest.fixture
def district_item(district, school_a, school_b):
    roadmap = RoadmapFactory(organisation=district, title="Муниципальная дорожная карта")
    section = SectionFactory(roadmap=roadmap, title="Подготовка условий")
    return services.item_create(
        roadmap=roadmap,
        section=section,
        content="Семинар-совещание с ответственными за наставничество",
        deadline_text="Октябрь 2026",
        schools=[school_a, school_b],
    )


def test_district_item_assigned_to_schools_gives_each_its_own_item(district_item, school_a, school_b):
    copies = {item.organisation: item for item in district_item.school_items.select_related("roadmap")}
    assert set(copies) == {school_a, school_b}
    copy = copies[school_a]
    assert copy.roadmap.district_roadmap == district_item.roadmap
    assert copy.roadmap.organisation == school_a
    assert copy.section.title == "Подготовка условий"
    assert (copy.content, copy.deadline_display) == (district_item.content, "октябрь 2026 г.")
    assert list(copy.occurrences.values_list("due_on", flat=True)) == [D(2026, 10, 31)]


def test_district_sees_how_many_schools_did_each_item(district_item, school_a, school_b, django_assert_num_queries):
    from roadmap.selectors import district_item_progress

    Occurrence.objects.filter(organisation=school_a).update(status="done", done_on=D(2026, 10, 20))
    with django_assert_num_queries(1):
        progress = district_item_progress(roadmap=district_item.roadmap, today=TODAY)
    assert {k: progress[district_item.pk][k] for k in ("assigned", "done", "late")} == {
        "assigned": 2,
        "done": 1,
        "late": 1,
    }


def test_district_changes_reach_the_schools_and_unassigning_a_started_school_is_refused(
    district_item, school_a, school_b
):
    services.item_update(
        item=district_item, section=district_item.section, content="Семинар (перенесён)", deadline_text="Ноябрь 2026"
    )
    copy = district_item.school_items.get(organisation=school_a)
    assert (copy.content, copy.deadline_display) == ("Семинар (перенесён)", "ноябрь 2026 г.")
    Occurrence.objects.filter(item=copy).update(status="in_progress")
    with pytest.raises(ValidationError, match="МБОУ СОШ № 1"):
        services.district_item_assign(item=district_item, schools=[school_b])
    added, removed = services.district_item_assign(item=district_item, schools=[school_a])
    assert (added, removed) == (0, 1)
    assert not district_item.school_items.filter(organisation=school_b).exists()


def test_only_a_district_assigns_and_only_to_its_schools(district_item, school_a):
    other_school = SchoolFactory(slug="other-school")
    with pytest.raises(ValidationError, match="не относится"):
        services.district_item_assign(item=district_item, schools=[other_school])
    school_item = ItemFactory(section__roadmap__organisation=school_a)
    with pytest.raises(ValidationError, match=services.ERROR_ASSIGN_NOT_DISTRICT):
        services.district_item_assign(item=school_item, schools=[school_a])


def test_school_copy_takes_the_district_approval_and_cannot_be_restructured(district_item, school_a):
    roadmap = district_item.roadmap
    services.roadmap_approve(
        roadmap=roadmap,
        user=None,
        approver_position="Начальник УО",
        approver_name="Т.П. Бондаренко",
        approved_on=D(2026, 9, 1),
    )
    copy = Roadmap.objects.get(organisation=school_a)
    assert (copy.status, copy.approver_name) == ("approved", "Т.П. Бондаренко")
    with pytest.raises(ValidationError, match="назначило управление образования"):
        services.item_create(roadmap=copy, section=copy.sections.get(), content="Своё")
    school_item = copy.items.get()
    services.item_update_progress(item=school_item, actual_value=Decimal("3"), responsible_users=[])
    school_item.refresh_from_db()
    assert school_item.actual_value == Decimal("3")
