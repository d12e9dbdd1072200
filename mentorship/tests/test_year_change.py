"""The new school year (issue 21): a school at the end of 2025/26, its new lists for 2026/27."""

import datetime
import io

import pytest
from auditlog.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from mentorship import services_year
from mentorship.models import IndividualPlan, Pair, PlanItem, Programme, YearChange
from mentorship.services_year import (
    ARCHIVE,
    CLOSE,
    CONTINUE,
    GRADUATED,
    KEEP,
    LEFT,
    MOVED,
    NEW,
    SAME,
    STAFF_JOINED,
    STAFF_LEFT,
    UNCHANGED,
    YearChangeError,
    year_change_apply,
    year_change_decide,
    year_change_start,
    year_change_undo,
    year_change_upload,
)
from mentorship.tests.factories import PairFactory, ProgrammeFactory
from participants.models import Consent, ConsentText, MenteeEntry, MentorEntry, Person, PersonYearRecord
from participants.tests.factories import PersonFactory, TeacherFactory

FROM, TO = 2025, 2026


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def xlsx(name: str, rows) -> SimpleUploadedFile:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def student(school, last, first, patronymic, grade, letter, born, gender="M"):
    return PersonFactory(
        organisation=school,
        last_name=last,
        first_name=first,
        patronymic=patronymic,
        grade=grade,
        class_letter=letter,
        birth_date=born,
        gender=gender,
    )


@pytest.fixture
def school(school_a):
    """The school at the end of 2025/26: classes 7 А, 9 А, 10 А, 11 А, two teachers, three pairs."""
    d = datetime.date
    people = {
        "alekseev": student(school_a, "Алексеев", "Антон", "Ильич", 7, "А", d(2012, 1, 10)),
        "borisov": student(school_a, "Борисов", "Борис", "Ильич", 7, "А", d(2012, 2, 10)),
        "vasilieva": student(school_a, "Васильева", "Вера", "Ильинична", 7, "А", d(2012, 3, 10), "F"),
        "ivanov": student(school_a, "Иванов", "Кирилл", "Петрович", 7, "А", d(2012, 3, 4)),
        "zhukov": student(school_a, "Жуков", "Жан", "Ильич", 9, "А", d(2010, 4, 4)),
        "zaitseva": student(school_a, "Зайцева", "Зоя", "Ильинична", 9, "А", d(2010, 5, 5), "F"),
        "grigoriev": student(school_a, "Григорьев", "Глеб", "Ильич", 10, "А", d(2009, 6, 6)),
        "dmitriev": student(school_a, "Дмитриев", "Дмитрий", "Ильич", 11, "А", d(2008, 7, 7)),
        "egorova": student(school_a, "Егорова", "Ева", "Ильинична", 11, "А", d(2008, 8, 8), "F"),
        "petrova": TeacherFactory(
            organisation=school_a, last_name="Петрова", first_name="Ольга", patronymic="Ивановна"
        ),
        "sidorov": TeacherFactory(
            organisation=school_a, last_name="Сидоров", first_name="Семён", patronymic="Ильич", gender="M"
        ),
    }
    programme = ProgrammeFactory(organisation=school_a, school_year=FROM, title="Программа на 2025/2026 учебный год")
    continuing = PairFactory(
        organisation=school_a, programme=programme, mentor=people["petrova"], mentees=[people["borisov"]]
    )
    plan = IndividualPlan.objects.create(organisation=school_a, pair=continuing, goals="Подтянуть математику")
    for n, done in enumerate((True, True, False, False), start=1):
        PlanItem.objects.create(
            organisation=school_a,
            plan=plan,
            position=n,
            activity=f"Пункт {n}",
            done=done,
            done_on=d(2026, 3, n) if done else None,
            due_on=d(2026, 4, n),
        )
    leaving_mentor = PairFactory(
        organisation=school_a, programme=programme, mentor=people["sidorov"], mentees=[people["alekseev"]]
    )
    graduate_mentor = PairFactory(
        organisation=school_a, programme=programme, mentor=people["dmitriev"], mentees=[people["vasilieva"]]
    )
    for key, status in (("petrova", "approved"), ("sidorov", "approved"), ("dmitriev", "candidate")):
        MentorEntry.objects.create(
            organisation=school_a, person=people[key], school_year=FROM, status=status, competencies="математика"
        )
    for key in ("borisov", "alekseev", "vasilieva"):
        MenteeEntry.objects.create(
            organisation=school_a, person=people[key], school_year=FROM, status="in_pair", needs="математика"
        )
    # Turned 14 during 2025/26 (born between 1.09.2011 and 31.08.2012), consent signed by the parent alone.
    Consent.objects.create(
        organisation=school_a,
        person=people["alekseev"],
        purpose="participation",
        text=ConsentText.objects.filter(purpose="participation", is_current=True).first()
        or ConsentText.objects.create(purpose="participation", version="t", title="t", body="t"),
        signed_on=d(2025, 9, 2),
        signed_by_subject=False,
    )
    school_a.test_people = people
    school_a.test_pairs = {
        "continuing": continuing,
        "leaving_mentor": leaving_mentor,
        "graduate_mentor": graduate_mentor,
    }
    return school_a


CLASS_HEADER = ["ФИО", "Класс", "Дата рождения"]


def new_lists():
    classes = xlsx(
        "классы.xlsx",
        [
            CLASS_HEADER,
            ["Алексеев Антон Ильич", "8А", "10.01.2012"],
            ["Борисов Борис Ильич", "8А", "10.02.2012"],
            ["Васильева Вера Ильинична", "8Б", "10.03.2012"],  # moved to another class
            ["Иванов Кирил Петрович", "8А", "04.03.2012"],  # a typo: possibly the same person
            ["Жуков Жан Ильич", "10А", "04.04.2010"],
            ["Кузнецов Кирилл Ильич", "11А", "01.01.2009"],  # new
            ["Новиков Никита Ильич", "1А", "01.02.2019"],  # new
            ["Новикова Нина Ильинична", "5Б", "01.02.2015"],  # new
        ],
    )
    staff = xlsx(
        "педагоги.xlsx",
        [
            ["ФИО", "Должность"],
            ["Петрова Ольга Ивановна", "учитель математики"],
            ["Тихонова Татьяна Ильинична", "учитель физики"],  # joined
        ],
    )
    return [classes, staff]


def uploaded(school, user):
    change = year_change_start(organisation=school, user=user, to_year=TO)
    return year_change_upload(change=change, uploaded_files=new_lists(), user=user)


def state(school):
    """Everything the change may touch, to compare before and after."""
    people = sorted(
        school.people.values_list(
            "pk",
            "category",
            "last_name",
            "first_name",
            "patronymic",
            "birth_date",
            "grade",
            "class_letter",
            "graduation_year",
            "left_on",
            "updated_at",
        )
    )
    pairs = sorted(
        Pair.objects.filter(organisation=school).values_list(
            "pk", "status", "closed_on", "outcome", "termination_reason"
        )
    )
    return {
        "people": people,
        "pairs": pairs,
        "programmes": sorted(Programme.objects.filter(organisation=school).values_list("pk", "school_year")),
        "mentors": sorted(
            MentorEntry.objects.filter(organisation=school).values_list("pk", "person_id", "school_year", "status")
        ),
        "mentees": sorted(
            MenteeEntry.objects.filter(organisation=school).values_list("pk", "person_id", "school_year", "status")
        ),
        "plans": IndividualPlan.objects.filter(organisation=school).count(),
        "items": sorted(PlanItem.objects.filter(organisation=school).values_list("pk", "done")),
        "records": PersonYearRecord.objects.filter(organisation=school).count(),
    }


def test_promotion_is_proposed_before_any_list(school, curator_a):
    change = year_change_start(organisation=school, user=curator_a, to_year=TO)
    promotion = {row["from"]: row["to"] for row in change.diff["promotion"]}
    assert promotion == {"7 А": "8 А", "9 А": "10 А", "10 А": "11 А", "11 А": "выпускники"}
    assert state(school)["records"] == 0


def test_diff_shows_each_kind_with_the_right_counts(school, curator_a):
    change = uploaded(school, curator_a)
    assert change.diff["counts"] == {
        UNCHANGED: 4,  # Алексеев, Борисов, Жуков, Петрова
        MOVED: 1,  # Васильева 8 Б instead of 8 А
        NEW: 3,
        LEFT: 4,  # Григорьев, Дмитриев, Егорова, Зайцева
        SAME: 1,  # Иванов Кирилл / Кирил
        STAFF_JOINED: 1,
        STAFF_LEFT: 1,
    }
    by_name = {entry["name"]: entry for entry in change.diff["entries"] if entry.get("person_id")}
    assert by_name["Григорьев Глеб Ильич"]["default"] == ARCHIVE
    assert by_name["Дмитриев Дмитрий Ильич"]["default"] == GRADUATED
    assert by_name["Зайцева Зоя Ильинична"]["default"] == GRADUATED  # the 9th grade
    assert by_name["Сидоров Семён Ильич"]["default"] == ARCHIVE
    same = next(entry for entry in change.diff["entries"] if entry["kind"] == SAME)
    assert same["row"]["first_name"] == "Кирил" and same["person_id"] == school.test_people["ivanov"].pk
    # Proposals: the pair of two staying people continues, the others close.
    pairs = school.test_pairs
    assert change.decisions[f"pair:{pairs['continuing'].pk}"] == CONTINUE
    assert change.decisions[f"pair:{pairs['leaving_mentor'].pk}"] == CLOSE
    assert change.decisions[f"pair:{pairs['graduate_mentor'].pk}"] == CLOSE
    assert change.decisions[f"mentor:{school.test_people['petrova'].pk}"] is True
    assert change.decisions[f"mentor:{school.test_people['sidorov'].pk}"] is False
    assert [flag["name"] for flag in change.diff["cosign"]] == ["Алексеев Антон Ильич"]
    # Nothing is written before «Применить».
    assert state(school)["records"] == 0
    assert school.people.count() == 11


def test_a_missing_class_is_flagged_and_its_students_kept(school, curator_a):
    change = year_change_start(organisation=school, user=curator_a, to_year=TO)
    only_8a = xlsx("8а.xlsx", [CLASS_HEADER, ["Алексеев Антон Ильич", "8А", "10.01.2012"]])
    change = year_change_upload(change=change, uploaded_files=[only_8a], user=curator_a)
    flags = {row["to"]: row["flag"] for row in change.diff["promotion"]}
    assert "Класса 11 А в новых списках нет" in flags["11 А"]
    grigoriev = next(e for e in change.diff["entries"] if e.get("person_id") == school.test_people["grigoriev"].pk)
    assert grigoriev["default"] == KEEP


def test_apply_gives_classes_graduates_archive_bases_and_carried_pairs(school, curator_a):
    change = uploaded(school, curator_a)
    p = school.test_people
    year_change_apply(change=change, user=curator_a)
    for person in p.values():
        person.refresh_from_db()
    assert [p[k].class_name for k in ("alekseev", "borisov", "vasilieva", "ivanov", "zhukov")] == [
        "8А",
        "8А",
        "8Б",
        "8А",
        "10А",
    ]
    assert p["ivanov"].first_name == "Кирилл"  # the school's record keeps its spelling
    for key in ("dmitriev", "egorova", "zaitseva"):
        assert (p[key].category, p[key].graduation_year, p[key].grade) == (Person.Category.GRADUATE, TO, None)
    assert p["grigoriev"].left_on == p["sidorov"].left_on == datetime.date(TO, 9, 1)
    assert p["petrova"].left_on is None
    assert set(school.people.filter(created_at__gte=change.created_at).values_list("last_name", flat=True)) == {
        "Кузнецов",
        "Новиков",
        "Новикова",
        "Тихонова",
    }
    # History of each person.
    entry = LogEntry.objects.filter(
        additional_data__person_id=p["vasilieva"].pk, additional_data__year_change_id=change.pk
    ).get()
    assert entry.changes["class_letter"] == ["А", "Б"]
    # Pairs: one carried into the new programme with its two unfinished items, the others closed.
    pairs = school.test_pairs
    for pair in pairs.values():
        pair.refresh_from_db()
    assert (pairs["continuing"].status, pairs["continuing"].outcome) == ("closed", Pair.Outcome.CONTINUED)
    assert pairs["leaving_mentor"].outcome == Pair.Outcome.TERMINATED
    assert pairs["graduate_mentor"].outcome == Pair.Outcome.TERMINATED
    new_programme = Programme.objects.get(organisation=school, school_year=TO)
    carried = Pair.objects.get(programme=new_programme)
    assert carried.replaces == pairs["continuing"] and carried.mentor == p["petrova"]
    assert list(carried.mentees.all()) == [p["borisov"]]
    assert list(carried.plan.items.values_list("activity", "done")) == [("Пункт 3", False), ("Пункт 4", False)]
    # Bases of the new year.
    assert list(MentorEntry.objects.filter(school_year=TO).values_list("person__last_name", "status")) == [
        ("Петрова", "candidate")
    ]
    assert list(MenteeEntry.objects.filter(school_year=TO).values_list("person__last_name", "status")) == [
        ("Борисов", "in_pair")
    ]
    # Last year's bases and plan are untouched; consents stay.
    assert MentorEntry.objects.filter(school_year=FROM).count() == 3
    assert PlanItem.objects.filter(plan__pair=pairs["continuing"]).count() == 4
    assert Consent.objects.filter(person=p["alekseev"], status="valid").exists()
    # The 2025/26 KPI report reads the same: reports/tests/test_year_change_archive.py.
    change.refresh_from_db()
    assert change.status == YearChange.Status.APPLIED


def test_undo_restores_the_state_exactly(school, curator_a):
    # The curator started the new year's bases before the change: those who leave are taken out.
    early = MentorEntry.objects.create(
        organisation=school, person=school.test_people["sidorov"], school_year=TO, status="approved"
    )
    before = state(school)
    change = uploaded(school, curator_a)
    year_change_apply(change=change, user=curator_a)
    assert state(school) != before
    early.refresh_from_db()
    assert (early.status, early.left_on) == (MentorEntry.Status.LEFT, datetime.date(TO, 9, 1))
    year_change_undo(change=change, user=curator_a)
    assert state(school) == before
    change.refresh_from_db()
    assert change.status == YearChange.Status.UNDONE
    # The same lists can be applied again afterwards.
    again = uploaded(school, curator_a)
    year_change_apply(change=again, user=curator_a)


def test_undo_only_within_seven_days(school, curator_a):
    change = uploaded(school, curator_a)
    year_change_apply(change=change, user=curator_a)
    YearChange.objects.filter(pk=change.pk).update(applied_at=timezone.now() - datetime.timedelta(days=8))
    with pytest.raises(YearChangeError, match="7 дней"):
        year_change_undo(change=change, user=curator_a)


def test_a_failure_in_the_middle_writes_nothing(school, curator_a, monkeypatch):
    change = uploaded(school, curator_a)
    before = state(school)

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services_year, "_new_year_programme", broken)
    with pytest.raises(RuntimeError):
        year_change_apply(change=change, user=curator_a)
    assert state(school) == before
    change.refresh_from_db()
    assert change.status == YearChange.Status.DRAFT
    assert not LogEntry.objects.filter(additional_data__year_change_id=change.pk).exists()


def test_curator_decisions_change_what_is_applied(school, curator_a):
    change = uploaded(school, curator_a)
    p = school.test_people
    grigoriev = next(e for e in change.diff["entries"] if e.get("person_id") == p["grigoriev"].pk)
    same = next(e for e in change.diff["entries"] if e["kind"] == SAME)
    sidorov = next(e for e in change.diff["entries"] if e["kind"] == STAFF_LEFT)
    year_change_decide(
        change=change,
        decisions={
            f"entry:{grigoriev['id']}": KEEP,
            f"entry:{same['id']}": "different",
            f"entry:{sidorov['id']}": GRADUATED,  # not a choice for a teacher: ignored
            "entry:999": "x",
        },
    )
    year_change_apply(change=change, user=curator_a)
    p["grigoriev"].refresh_from_db()
    assert (p["grigoriev"].class_name, p["grigoriev"].left_on) == ("11А", None)
    assert school.people.filter(first_name="Кирил").exists()  # created as another person
    p["sidorov"].refresh_from_db()
    assert (p["sidorov"].category, p["sidorov"].left_on) == (Person.Category.TEACHER, datetime.date(TO, 9, 1))


def test_lists_with_errors_are_refused(school, curator_a):
    change = year_change_start(organisation=school, user=curator_a, to_year=TO)
    bad = xlsx("bad.xlsx", [CLASS_HEADER, ["Иванов Пётр Ильич", "15Я", "01.01.2012"]])
    with pytest.raises(YearChangeError, match="есть ошибки"):
        year_change_upload(change=change, uploaded_files=[bad], user=curator_a)


# --- The page --------------------------------------------------------------------------------


def test_page_walks_upload_decide_apply_and_undo(client, school, curator_a, django_assert_max_num_queries):
    client.force_login(curator_a)
    url = reverse("mentorship:year_change", kwargs={"org": school.slug}) + f"?year={TO}"
    page = client.get(url)
    assert "7 А" in page.content.decode() and "выпускники" in page.content.decode()
    upload_url = reverse("mentorship:year_change_upload", kwargs={"org": school.slug}) + f"?year={TO}"
    response = client.post(upload_url, {"files": new_lists()})
    assert response.status_code == 302
    with django_assert_max_num_queries(25):
        page = client.get(url)
    html = page.content.decode()
    assert 'data-kind="new">3<' in html and 'data-kind="left">4<' in html
    change = school.year_changes.get()
    decide = reverse("mentorship:year_change_decide", kwargs={"org": school.slug, "pk": change.pk})
    grigoriev = next(e for e in change.diff["entries"] if e.get("person_id") == school.test_people["grigoriev"].pk)
    data = {k: v for k, v in change.decisions.items() if not k.startswith("mentor:")}
    data |= {
        f"mentor:{school.test_people['petrova'].pk}": "on",
        f"entry:{grigoriev['id']}": GRADUATED,
        "action": "apply",
    }
    client.post(decide, data)
    change.refresh_from_db()
    assert change.status == YearChange.Status.APPLIED
    assert school.people.get(pk=school.test_people["grigoriev"].pk).category == Person.Category.GRADUATE
    page = client.get(url)
    assert "Отменить переход" in page.content.decode()
    client.post(reverse("mentorship:year_change_undo", kwargs={"org": school.slug, "pk": change.pk}))
    change.refresh_from_db()
    assert change.status == YearChange.Status.UNDONE


def test_page_query_count_does_not_grow_with_people(client, school_a, curator_a, django_assert_max_num_queries):
    for n in range(60):
        PersonFactory(organisation=school_a, last_name="Петров" + "а" * n, grade=5 + n % 5, class_letter="А")
    rows = [CLASS_HEADER] + [["Петров" + "а" * n + " Илья Сергеевич", f"{6 + n % 5}А", "17.05.2012"] for n in range(60)]
    change = year_change_start(organisation=school_a, user=curator_a, to_year=TO)
    year_change_upload(change=change, uploaded_files=[xlsx("a.xlsx", rows)], user=curator_a)
    client.force_login(curator_a)
    with django_assert_max_num_queries(25):
        assert (
            client.get(reverse("mentorship:year_change", kwargs={"org": school_a.slug}) + f"?year={TO}").status_code
            == 200
        )


def test_archived_people_leave_the_list_but_stay_findable(client, school, curator_a):
    change = uploaded(school, curator_a)
    year_change_apply(change=change, user=curator_a)
    client.force_login(curator_a)
    url = reverse("participants:person_list", kwargs={"org": school.slug})
    grigoriev = school.test_people["grigoriev"]
    assert grigoriev.last_name not in client.get(url).content.decode()
    assert grigoriev.last_name in client.get(url + "?left=only").content.decode()
    card = client.get(reverse("participants:person_detail", kwargs={"org": school.slug, "pk": grigoriev.pk}))
    assert "выбыл(а) 01.09.2026" in card.content.decode()


def test_people_data_of_old_changes_are_purged(client, school, curator_a):
    from django.core.management import call_command

    change = uploaded(school, curator_a)
    year_change_apply(change=change, user=curator_a)
    call_command("purge_year_changes", stdout=io.StringIO())
    change.refresh_from_db()
    assert change.snapshot  # still undoable
    YearChange.objects.filter(pk=change.pk).update(applied_at=timezone.now() - datetime.timedelta(days=8))
    out = io.StringIO()
    call_command("purge_year_changes", stdout=out)
    change.refresh_from_db()
    assert (change.snapshot, change.decisions) == ({}, {})
    assert "entries" not in change.diff and change.diff["counts"][NEW] == 3
    assert "Очищено переходов: 1" in out.getvalue()
    client.force_login(curator_a)
    page = client.get(reverse("mentorship:year_change", kwargs={"org": school.slug}) + f"?year={TO}")
    assert page.status_code == 200 and "Переход применён" in page.content.decode()


def test_newcomers_parents_from_the_list_are_added_once_and_undone(school, curator_a):
    header = [*CLASS_HEADER, "ФИО родителя", "Телефон родителя", "Кем приходится"]
    rows = [header]
    rows.append(["Новиков Никита Ильич", "1А", "01.02.2019", "Новикова Ольга Петровна", "+7 900 111-22-33", "мать"])
    rows.append(["Новикова Нина Ильинична", "5Б", "01.02.2015", "Новикова Ольга Петровна", "89001112233", "мать"])
    change = year_change_start(organisation=school, user=curator_a, to_year=TO)
    change = year_change_upload(change=change, uploaded_files=[xlsx("новые.xlsx", rows)], user=curator_a)
    before = state(school)
    year_change_apply(change=change, user=curator_a)
    mother = school.people.get(last_name="Новикова", first_name="Ольга")
    assert mother.category == Person.Category.PARENT
    assert sorted(mother.children_links.values_list("child__first_name", flat=True)) == ["Никита", "Нина"]
    year_change_undo(change=change, user=curator_a)
    assert state(school) == before
    assert not school.people.filter(last_name="Новикова", first_name="Ольга").exists()
