"""No dead ends: matching says why it proposes little, and the forms' sides hold everywhere."""

import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from mentorship.models import Pair, Programme
from mentorship.tests.factories import PairFactory, ProgrammeFactory
from mentorship.tests.test_pairs import form_pair, make_mentee, make_mentor, messages_of
from participants.admin import MentoringFormAdminForm
from participants.mentoring_forms import MENTEE, MENTOR, person_fits, person_refusal, side_rule
from participants.models import MenteeEntry, MentorEntry, MentoringForm
from participants.tests.factories import MenteeEntryFactory, PersonFactory, TeacherFactory


@pytest.fixture
def programme(school_a):
    return ProgrammeFactory(organisation=school_a, kind=Programme.Kind.STUDENTS)


@pytest.fixture
def peers(programme):
    form = MentoringForm.objects.get(name="ученик – ученик")
    programme.forms.add(form, through_defaults={"organisation": programme.organisation})
    return form


def _page(client, programme, form):
    url = reverse("mentorship:matching", args=[programme.organisation.slug, programme.pk])
    response = client.get(url, {"form": form.pk})
    assert response.status_code == 200
    return response, response.content.decode()


def test_all_mentees_candidates_shows_the_reason_and_the_link(client, programme, peers, curator_a):
    make_mentor(programme, factory=PersonFactory, grade=10)
    for name in ("Васильев", "Григорьев", "Дмитриев"):
        person = PersonFactory(organisation=programme.organisation, last_name=name, grade=6)
        MenteeEntryFactory(person=person, school_year=programme.school_year, status=MenteeEntry.Status.CANDIDATE)
    client.force_login(curator_a)
    response, html = _page(client, programme, peers)
    assert response.context["suggestions"] == []
    assert "Предложить нечего — и вот почему" in html
    assert "3 наставляемых ждут подтверждения в базе" in html
    link = reverse("participants:mentee_list", args=[programme.organisation.slug])
    assert f'href="{link}?year={programme.school_year}&amp;status=candidate"' in html
    # The old sentence without a reason is gone when there is one.
    assert "Предложить нечего: нет наставляемых" not in html


def test_missing_consents_and_no_free_places_are_counted(client, programme, peers, curator_a):
    make_mentor(programme, factory=PersonFactory, grade=10, capacity=1)
    make_mentee(programme, grade=6)
    make_mentee(programme, grade=6)
    make_mentee(programme, grade=5, consent=False)
    client.force_login(curator_a)
    response, html = _page(client, programme, peers)
    assert len(response.context["suggestions"]) == 1
    assert "Нет согласия на участие у 1 наставляемого базы — <a" in html
    assert "У наставников нет свободных мест: все места 1 наставника заняты" in html
    assert "?without_consent=on" in html


def test_peers_form_never_proposes_a_teacher_and_says_so(client, programme, peers, curator_a):
    make_mentor(programme)  # a teacher in the register
    make_mentor(programme)
    make_mentee(programme, grade=6)
    client.force_login(curator_a)
    response, html = _page(client, programme, peers)
    assert response.context["suggestions"] == []
    assert "Форма «ученик – ученик»: наставники только из обучающихся; не подходят 2 наставника базы" in html

    student = make_mentor(programme, factory=PersonFactory, grade=10)
    response, _ = _page(client, programme, peers)
    assert [s.mentor.person_id for s in response.context["suggestions"]] == [student.pk]


def test_the_pair_form_refuses_a_teacher_in_a_peers_form(client, programme, peers, curator_a):
    teacher = make_mentor(programme)
    mentee = make_mentee(programme, grade=6)
    with pytest.raises(ValidationError) as excinfo:
        form_pair(programme, teacher, [mentee], peers)
    expected = (
        f"{teacher.full_name} ({teacher.position}) не может быть наставником в форме «ученик – ученик»: "
        "наставники только из обучающихся."
    )
    assert expected in messages_of(excinfo)

    client.force_login(curator_a)
    url = reverse("mentorship:pair_create", args=[programme.organisation.slug, programme.pk])
    data = {
        "mentor": teacher.pk,
        "mentees": [mentee.pk],
        "form": peers.pk,
        "starts_on": programme.starts_on.isoformat(),
        "planned_end_on": programme.ends_on.isoformat(),
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "не может быть наставником в форме «ученик – ученик»" in response.content.decode()
    assert not Pair.objects.exists()


def test_grades_and_positions_of_a_form(school_a):
    form = MentoringForm.objects.get(name="руководитель – педагог")
    deputy = TeacherFactory(organisation=school_a, position="Заместитель директора по УВР")
    teacher = TeacherFactory(organisation=school_a, position="учитель математики")
    assert person_fits(form, deputy, MENTOR) and not person_fits(form, teacher, MENTOR)
    assert "наставники только из педагогов, в должности «директор…», «заместител…»" in person_refusal(
        form, teacher, MENTOR
    )

    peers = MentoringForm.objects.get(name="ученик – ученик")
    peers.mentee_grade_min, peers.mentee_grade_max = 5, 9
    assert side_rule(peers, MENTEE) == "наставляемые только из обучающихся 5–9 классов"
    assert person_fits(peers, PersonFactory.build(organisation=school_a, grade=7), MENTEE)
    tenth = PersonFactory.build(organisation=school_a, grade=10, class_letter="Б", last_name="Орлов")
    assert person_refusal(peers, tenth, MENTEE).startswith("Орлов")
    assert "(10Б) не может быть наставляемым в форме «ученик – ученик»" in person_refusal(peers, tenth, MENTEE)


def test_unapproved_mentors_are_counted_with_the_link(client, programme, peers, curator_a):
    make_mentor(programme, factory=PersonFactory, grade=10, status=MentorEntry.Status.CANDIDATE)
    make_mentee(programme, grade=6)
    client.force_login(curator_a)
    _, html = _page(client, programme, peers)
    assert "1 наставник не утверждён в реестре" in html
    assert "status=candidate" in html


# --- Labels ----------------------------------------------------------------------------------


def test_a_pair_reads_mentor_mentees_form_and_year(school_a):
    mentor = TeacherFactory(organisation=school_a, last_name="Кляпка", first_name="Ольга", patronymic="Викторовна")
    mentee = PersonFactory(organisation=school_a, last_name="Иванов", first_name="Пётр", grade=7, class_letter="А")
    pair = PairFactory(mentor=mentor, mentees=[mentee], form=MentoringForm.objects.get(name="ученик – ученик"))
    year = pair.programme.school_year
    assert str(pair) == f"Кляпка О. В. → Иванов П., 7 А (ученик – ученик, {year}/{(year + 1) % 100:02d})"

    group = PairFactory(
        mentor=mentor,
        mentees=[PersonFactory(organisation=school_a, last_name=name, first_name="Анна") for name in "АБВГ"],
    )
    assert group.label.startswith("Кляпка О. В. → А А., 7 Б; Б А., 7 Б и ещё 2 (учитель – ученик, ")


def test_multi_line_needs_keep_their_lines(client, programme, curator_a):
    mentee = make_mentee(programme, grade=6)
    MenteeEntry.objects.filter(person=mentee).update(needs="Дроби\nПроценты")
    client.force_login(curator_a)
    html = client.get(reverse("participants:mentee_list", args=[programme.organisation.slug])).content.decode()
    assert '<td class="small text-pre-line">Дроби\nПроценты</td>' in html


def test_an_empty_year_of_a_base_points_to_last_year(client, programme, curator_a):
    make_mentee(programme, grade=6)
    make_mentee(programme, grade=6)
    client.force_login(curator_a)
    url = reverse("participants:mentee_list", args=[programme.organisation.slug])
    html = client.get(url, {"year": programme.school_year + 1}).content.decode()
    label = f"{programme.school_year}/{programme.school_year + 1}"
    assert f"В базе {label} учебного года 2 человека — " in html
    assert f'href="?year={programme.school_year}"' in html


def test_everyone_already_paired_is_said_so_not_that_nobody_fits(client, programme, peers, curator_a):
    make_mentor(programme, factory=PersonFactory, grade=10)
    person = PersonFactory(organisation=programme.organisation, grade=6)
    MenteeEntryFactory(person=person, school_year=programme.school_year, status=MenteeEntry.Status.IN_PAIR)
    client.force_login(curator_a)
    _, html = _page(client, programme, peers)
    assert "Все подходящие форме наставляемые базы уже в парах (1): подбирать некого" in html
    assert "нет подходящих форме" not in html


def test_the_forms_sides_are_edited_in_the_admin_as_checkboxes(db):
    form = MentoringForm.objects.get(name="ученик – ученик")
    admin_form = MentoringFormAdminForm(instance=form)
    assert admin_form.initial["mentor_categories"] == ["student"]
    data = {
        "name": form.name,
        "audience": form.audience,
        "position": form.position,
        "is_active": "on",
        "mentor_categories": ["student", "graduate"],
        "mentor_grade_min": "8",
        "mentor_grade_max": "11",
        "mentee_categories": ["student"],
        "mentee_grade_min": "9",
        "mentee_grade_max": "5",
    }
    admin_form = MentoringFormAdminForm(data, instance=form)
    assert not admin_form.is_valid()
    assert "Класс наставляемого «от» не может быть больше, чем «до»." in str(admin_form.errors)
    data["mentee_grade_min"] = "1"
    admin_form = MentoringFormAdminForm(data, instance=form)
    assert admin_form.is_valid(), admin_form.errors
    admin_form.save()
    form.refresh_from_db()
    assert form.mentor_categories == ["student", "graduate"]
    assert side_rule(form, MENTOR) == "наставники только из обучающихся 8–11 классов или студентов и выпускников"


def test_a_plan_items_error_is_tied_to_its_field(client, school_a, curator_a):
    pair = PairFactory(organisation=school_a)
    client.force_login(curator_a)
    url = reverse("mentorship:plan_edit", args=[school_a.slug, pair.pk])
    data = {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "0",
        "form-0-activity": "Встреча",
        "form-0-due_on": "не дата",
    }
    html = client.post(url, data).content.decode()
    described = re.search(r'<input[^>]*name="form-0-due_on"[^>]*aria-describedby="([^"]+)"', html)
    assert described, "the date input names no description"
    assert f'<div id="{described.group(1)}" class="text-danger small">' in html
