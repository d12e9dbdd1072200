"""The role model as a matching criterion: read from the names, scored, and filled into the pairs."""

import pytest
from django.urls import reverse

from mentorship.matching import (
    CRITERIA,
    GRADUATE,
    PARTNER_EMPLOYEE,
    STUDENT,
    TEACHER,
    CriterionSetting,
    MenteeProfile,
    MentorProfile,
    Weights,
    best_role_model,
    role_model_profile,
    score,
    suggest,
    words,
)
from mentorship.models import Pair, Programme
from mentorship.tests.factories import ProgrammeFactory
from mentorship.tests.test_pairs import make_mentee, make_mentor
from participants.models import MenteeEntry, MentorEntry, MentoringForm, Person, RoleModel
from participants.tests.factories import PersonFactory


def _rm(id_, name, form_name, audience="students"):
    return role_model_profile(id=id_, name=name, form_name=form_name, audience=audience)


PEER = _rm(1, "равный – равному", "ученик – ученик")
ACHIEVER = _rm(2, "успевающий – неуспевающий", "ученик – ученик")


def test_the_sides_are_read_from_the_seeded_names():
    assert (PEER.mentor_categories, PEER.mentee_categories) == ({STUDENT}, {STUDENT})
    master = _rm(3, "мастер – ученик", "учитель – ученик")
    assert (master.mentor_categories, master.mentee_categories) == ({TEACHER}, {STUDENT})
    assert _rm(4, "успешный студент – ученик с низкой учебной мотивацией", "студент – ученик").mentor_categories == {
        GRADUATE
    }
    employer = _rm(5, "работодатель – будущий сотрудник", "работодатель – ученик")
    assert (employer.mentor_categories, employer.mentee_categories) == ({PARTNER_EMPLOYEE}, {STUDENT})
    young = _rm(6, "опытный педагог – молодой специалист", "учитель – учитель", "teachers")
    assert young.mentee_young_specialist and young.mentee_categories == {TEACHER} and not young.mentor_head
    head = _rm(7, "руководитель – педагог, приступивший к новой должности", "руководитель – педагог", "teachers")
    assert head.mentor_head and not head.mentee_young_specialist
    assert ACHIEVER.need_kinds == {"educational"}


def test_young_specialists_and_heads_are_checked_and_unknown_never_fails():
    young = _rm(6, "руководитель – молодой специалист", "руководитель – педагог", "teachers")
    novice = MenteeProfile(id=1, name="Николаев", category=TEACHER, experience_years=1)
    veteran = MenteeProfile(id=2, name="Кляпка", category=TEACHER, experience_years=15)
    unknown = MenteeProfile(id=3, name="Черных", category=TEACHER)
    deputy = MentorProfile(id=10, name="Яковенко", position="заместитель директора по УВР")
    teacher = MentorProfile(id=11, name="Петрова", position="учитель математики")
    no_position = MentorProfile(id=12, name="Сидорова")
    assert young.fits(novice, deputy) and young.fits(unknown, deputy) and young.fits(novice, no_position)
    assert not young.fits(veteran, deputy) and not young.fits(novice, teacher)
    assert young.problems(veteran, teacher) == [
        "стаж наставляемого 15 лет: не молодой специалист",
        "наставник не руководитель",
    ]


def test_the_pair_gets_the_role_model_of_the_mentees_request_or_a_neutral_one():
    student_mentor = MentorProfile(id=10, name="Старшеклассник", category=STUDENT, grade=10)
    struggling = MenteeProfile(id=1, name="Черных", grade=6, need_kind="educational")
    curious = MenteeProfile(id=2, name="Кляпка", grade=6)
    assert best_role_model(struggling, student_mentor, [ACHIEVER, PEER]) == ACHIEVER
    assert best_role_model(curious, student_mentor, [ACHIEVER, PEER]) == PEER
    assert best_role_model(curious, student_mentor, [ACHIEVER]) == ACHIEVER  # the only one left
    assert best_role_model(curious, MentorProfile(id=11, name="Учитель"), [ACHIEVER, PEER]) is None


def test_the_role_model_changes_the_optimal_assignment():
    # A scores 10 with the teacher T and 9 with the student S; B scores 8 with T and 1 with S.
    # Without role models both go to T (capacity 2): 18 points. In «ученик – ученик» only S fits
    # a role model: A→S, B→T (9 + 10 + 8 = 27) beats A→T, B→S (10 + 1 + 10 = 21) and both to T (18).
    a_words = " ".join(f"слово{i}а" for i in range(10))
    b_words = " ".join(f"слово{i}б" for i in range(10))
    a = MenteeProfile(id=1, name="А", grade=5, needs=words(a_words))
    b = MenteeProfile(id=2, name="Б", grade=5, needs=words(b_words))
    t = MentorProfile(
        id=10, name="Т", capacity=2, competencies=words(a_words + " " + " ".join(f"слово{i}б" for i in range(8)))
    )
    s = MentorProfile(
        id=20,
        name="С",
        category=STUDENT,
        grade=9,
        competencies=words(" ".join(f"слово{i}а" for i in range(9)) + " слово0б"),
    )
    weights = Weights(
        settings={c.code: CriterionSetting(10 if c.code in {"needs", "role_model"} else 0) for c in CRITERIA}
    )

    without = suggest([a, b], [t, s], weights)
    assert without.pairs == {(1, 10), (2, 10)} and without.total == 18

    with_role_models = suggest([a, b], [t, s], weights, role_models=[PEER])
    assert with_role_models.pairs == {(1, 20), (2, 10)} and with_role_models.total == 27
    by_mentee = {sg.mentee.id: sg for sg in with_role_models.suggestions}
    assert by_mentee[1].role_model == PEER and by_mentee[2].role_model is None
    part = next(p for p in by_mentee[2].breakdown.parts if p.code == "role_model")
    assert (part.value, part.points) == (0, 0)
    assert part.explanation == "не подходит ролевая модель «равный – равному»: наставник — педагог, а нужен обучающийся"
    assert next(p for p in by_mentee[1].breakdown.parts if p.code == "role_model").explanation == (
        "ролевая модель «равный – равному»"
    )


def test_a_must_have_role_model_excludes_the_pair():
    mentee = MenteeProfile(id=1, name="А", grade=5, needs=words("шахматы"))
    teacher = MentorProfile(id=10, name="Т", competencies=words("шахматы"))
    required = Weights().with_setting("role_model", required=True)
    assert suggest([mentee], [teacher], required).pairs == {(1, 10)}  # no role models: nothing to compare
    result = suggest([mentee], [teacher], required, role_models=[PEER, ACHIEVER])
    assert result.suggestions == ()
    assert [u.reason for u in result.unassigned] == ["нет наставника, подходящего под ролевые модели формы"]
    breakdown = score(mentee, teacher, required, role_models=[PEER, ACHIEVER])
    assert breakdown.failed_criteria == ["Ролевая модель"]


# --- With the database: the programme's role models, the page, the accepted pairs -----------------


@pytest.fixture
def peers(school_a):
    programme = ProgrammeFactory(organisation=school_a, kind=Programme.Kind.STUDENTS)
    form = MentoringForm.objects.get(name="ученик – ученик")
    programme.forms.add(form, through_defaults={"organisation": school_a})
    enabled = list(form.role_models.filter(name__in=["успевающий – неуспевающий", "равный – равному"]))
    programme.role_models.add(*enabled, through_defaults={"organisation": school_a})
    programme.matching_weights = Weights().with_setting("role_model", weight=10, required=True).as_dict()
    programme.save()
    return programme, form


def test_matching_suggests_a_fitting_mentor_and_the_accepted_pair_gets_the_role_model(client, peers, curator_a):
    programme, form = peers
    teacher = make_mentor(programme, last_name="Алексеева", capacity=1)
    MentorEntry.objects.filter(person=teacher).update(competencies="помощь с математикой")  # the better needs match
    student_mentor = make_mentor(programme, factory=PersonFactory, last_name="Борисов", grade=10, capacity=1)
    mentee = make_mentee(programme, last_name="Черных", grade=6)
    MenteeEntry.objects.filter(person=mentee).update(needs="трудности с математикой", need_kind="educational")
    client.force_login(curator_a)
    url = reverse("mentorship:matching", args=[programme.organisation.slug, programme.pk])
    weights = programme.matching_weights
    programme.matching_weights = Weights().with_setting("role_model", weight=0).as_dict()
    programme.save()
    (without,) = client.get(url, {"form": form.pk}).context["suggestions"]
    # By needs alone the teacher would be the better match, but «ученик – ученик» takes student mentors only.
    assert without.mentor.person_id == student_mentor.pk != teacher.pk
    programme.matching_weights = weights
    programme.save()

    response = client.get(url, {"form": form.pk})
    (suggestion,) = response.context["suggestions"]
    assert suggestion.mentor.person_id == student_mentor.pk  # the teacher fits no role model of the form
    assert suggestion.role_model.name == "успевающий – неуспевающий"
    html = response.content.decode()
    assert "Ролевая модель: успевающий – неуспевающий" in html
    value = f"{mentee.pk}:{student_mentor.pk}:{suggestion.role_model.id}"
    assert f'value="{value}"' in html

    accept = reverse("mentorship:matching_accept", args=[programme.organisation.slug, programme.pk])
    assert client.post(accept, {"form": form.pk, "pair": [value]}).status_code == 302
    pair = Pair.objects.get()
    assert (pair.mentor, pair.role_model.name, pair.status) == (student_mentor, "успевающий – неуспевающий", "draft")


def test_a_role_model_id_outside_the_programmes_form_is_ignored(client, peers, curator_a):
    programme, form = peers
    student_mentor = make_mentor(programme, factory=PersonFactory, grade=10, capacity=1)
    mentee = make_mentee(programme, grade=6)
    foreign = RoleModel.objects.get(form__name="учитель – ученик", name="мастер – ученик")
    client.force_login(curator_a)
    accept = reverse("mentorship:matching_accept", args=[programme.organisation.slug, programme.pk])
    client.post(accept, {"form": form.pk, "pair": [f"{mentee.pk}:{student_mentor.pk}:{foreign.pk}"]})
    assert Pair.objects.get().role_model is None
    assert Person.objects.get(pk=student_mentor.pk).category == Person.Category.STUDENT
