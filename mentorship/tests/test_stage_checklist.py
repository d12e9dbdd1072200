"""The stage checklist: questionnaires present or missing, and documents from registered sources."""

import datetime
import secrets

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from mentorship import stage_documents as registry
from mentorship.models import Pair, Programme
from mentorship.selectors import MISSING, OK, stage_checklist, stage_missing
from mentorship.stage_documents import StageDocument
from mentorship.tests.factories import PairFactory, ProgrammeFactory
from mentorship.tests.test_pairs import make_mentee, make_mentor
from participants.models import Invitation, QuestionnaireTemplate, Response
from participants.tests.factories import PersonFactory, TeacherFactory
from roadmap.stages import Stage

pytestmark = pytest.mark.usefixtures("reference_data")

Audience, Phase = QuestionnaireTemplate.Audience, QuestionnaireTemplate.Phase


def _template(audience, phase):
    return QuestionnaireTemplate.objects.filter(
        organisation__isnull=True, audience=audience, phase=phase, is_current=True
    ).first()


def _invite(person, template, *, answered=False, at=None):
    invitation = Invitation.objects.create(
        organisation=person.organisation,
        template=template,
        person=person,
        token_hash=secrets.token_hex(32),
        expires_at=timezone.now() + datetime.timedelta(days=14),
    )
    if at is not None:
        Invitation.objects.filter(pk=invitation.pk).update(created_at=at)
    if answered:
        Response.objects.create(
            organisation=person.organisation,
            invitation=invitation,
            template=template,
            person=person,
            submitted_at=at or timezone.now(),
            answers={"1": 8},
        )
    return invitation


def _texts(programme, stage, state):
    return [item.text for item in stage_checklist(programme=programme, stage=stage) if item.state == state]


@pytest.fixture
def programme(school_a):
    return ProgrammeFactory(organisation=school_a, kind=Programme.Kind.STUDENTS)


def test_no_placeholder_rows_are_left(programme):
    for stage in Stage:
        assert all(item.state in {OK, MISSING} for item in stage_checklist(programme=programme, stage=stage))
        assert not any("появится с модулем" in item.text for item in stage_checklist(programme=programme, stage=stage))


def test_forming_the_mentee_base_needs_the_needs_questionnaire_sent(programme):
    asked = make_mentee(programme, last_name="Черных")
    not_asked = make_mentee(programme, last_name="Кляпка")
    _invite(asked, _template(Audience.STUDENT_MENTEE, Phase.ENTRY), answered=True)
    _invite(not_asked, _template(Audience.STUDENT_MENTEE, Phase.INTERIM))  # not the entry one
    assert (
        f"Входная анкета наставляемых (запросы и потребности) не отправлена 1 наставляемому: {not_asked.short_name}"
        in _texts(programme, Stage.MENTEE_BASE, MISSING)
    )
    _invite(not_asked, _template(Audience.STUDENT_MENTEE, Phase.ENTRY))
    assert (
        "Входная анкета наставляемых (запросы и потребности) отправлена всем наставляемым; ответили 1 из 2"
        in _texts(programme, Stage.MENTEE_BASE, OK)
    )


def test_a_teachers_programme_asks_young_teachers_their_own_questionnaire(school_a):
    programme = ProgrammeFactory(organisation=school_a, kind=Programme.Kind.TEACHERS)
    young = make_mentee(programme, category="teacher", grade=None, class_letter="")
    _invite(young, _template(Audience.STUDENT_MENTEE, Phase.ENTRY))  # the students' one does not count
    assert any(text.startswith("Входная анкета наставляемых") for text in _texts(programme, Stage.MENTEE_BASE, MISSING))
    _invite(young, _template(Audience.TEACHER_MENTEE, Phase.ENTRY))
    assert any(text.startswith("Входная анкета наставляемых") for text in _texts(programme, Stage.MENTEE_BASE, OK))


def test_forming_the_mentor_base_needs_how_can_i_help_sent(programme):
    mentors = [make_mentor(programme, last_name=name) for name in ("Алексеева", "Борисова", "Васильева")]
    template = _template(Audience.MENTOR, Phase.ENTRY)
    assert template.title == "Чем я могу быть полезен в качестве наставника?"
    _invite(mentors[0], template, answered=True)
    missing = _texts(programme, Stage.MENTOR_BASE, MISSING)
    names = f"{mentors[1].short_name}, {mentors[2].short_name}"
    assert f"Анкета «Чем я могу быть полезен в качестве наставника?» не отправлена 2 наставникам: {names}" in missing
    for mentor in mentors[1:]:
        _invite(mentor, template)
    assert (
        "Анкета «Чем я могу быть полезен в качестве наставника?» отправлена всем наставникам; ответили 1 из 3"
        in _texts(programme, Stage.MENTOR_BASE, OK)
    )


def test_pair_work_needs_interim_feedback_since_the_programme_began(programme):
    mentee = PersonFactory(organisation=programme.organisation)
    PairFactory(organisation=programme.organisation, programme=programme, mentees=[mentee])
    interim = _template(Audience.STUDENT_MENTEE, Phase.INTERIM)
    before = timezone.make_aware(datetime.datetime.combine(programme.starts_on, datetime.time()))
    _invite(mentee, interim, at=before - datetime.timedelta(days=30))  # last year's: does not count
    title = "Анкета обратной связи для промежуточной оценки"
    assert f"{title} не отправлена 1 наставляемому: {mentee.short_name}" in _texts(programme, Stage.PAIR_WORK, MISSING)
    Invitation.objects.filter(person=mentee).update(created_at=before + datetime.timedelta(days=30))
    assert any(text.startswith(f"{title} отправлена всем") for text in _texts(programme, Stage.PAIR_WORK, OK))


def test_completion_needs_exit_questionnaires_answered(programme):
    school = programme.organisation
    mentor = TeacherFactory(organisation=school, last_name="Яковенко")
    mentees = [PersonFactory(organisation=school, last_name=name) for name in ("Черных", "Кляпка")]
    PairFactory(
        organisation=school,
        programme=programme,
        mentor=mentor,
        mentees=mentees,
        status=Pair.Status.CLOSED,
        closed_on=programme.ends_on,
        outcome=Pair.Outcome.COMPLETED,
    )
    # A draft terminated before it began gives no final feedback.
    PairFactory(
        organisation=school,
        programme=programme,
        status=Pair.Status.CLOSED,
        closed_on=programme.starts_on,
        outcome=Pair.Outcome.TERMINATED,
    )
    mentee_exit = _template(Audience.STUDENT_MENTEE, Phase.EXIT)
    _invite(mentees[0], mentee_exit, answered=True)
    _invite(mentees[1], mentee_exit)  # sent, not answered
    missing = _texts(programme, Stage.COMPLETION, MISSING)
    assert f"Не заполнили итоговую анкету: 1 наставник из 1: {mentor.short_name}" in missing
    assert f"Не заполнили итоговую анкету: 1 наставляемый из 2: {mentees[1].short_name}" in missing

    _invite(mentor, _template(Audience.MENTOR, Phase.EXIT), answered=True)
    Response.objects.create(
        organisation=school,
        invitation=Invitation.objects.get(person=mentees[1]),
        template=mentee_exit,
        person=mentees[1],
        submitted_at=timezone.now(),
    )
    ok = _texts(programme, Stage.COMPLETION, OK)
    assert "Итоговую анкету заполнили все наставники (1)" in ok
    assert "Итоговую анкету заполнили все наставляемые (2)" in ok
    assert not [text for text in stage_missing(programme=programme, stage=Stage.COMPLETION) if "анкет" in text]


def test_questionnaire_rows_cost_the_same_queries_for_more_people(programme):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            stage_checklist(programme=programme, stage=Stage.MENTOR_BASE)
        return len(captured.captured_queries)

    make_mentor(programme)
    few = queries()
    template = _template(Audience.MENTOR, Phase.ENTRY)
    for _ in range(5):
        _invite(make_mentor(programme), template, answered=True)
    assert queries() == few


# --- Documents from registered sources (the orders, registered by reports) --------------------------


def test_a_registered_source_adds_its_documents_to_the_stage(client, programme, curator_a, monkeypatch):
    monkeypatch.setattr(registry, "STAGE_DOCUMENT_SOURCES", [])
    before = stage_checklist(programme=programme, stage=Stage.PAIRING)
    assert not any("Приказ" in item.text for item in before)  # nothing until a source is registered

    calls = []

    def orders(source_programme, stage):
        calls.append((source_programme.pk, stage))
        if stage != Stage.PAIRING:
            return []
        return [
            StageDocument(
                "Приказ о закреплении наставнических пар и групп",
                present=True,
                url="/o/school-a/orders/7/",
                detail="№ 56-ОД от 01.10.2026",
            ),
            StageDocument("Приказ об утверждении индивидуальных планов", present=False),
        ]

    registry.STAGE_DOCUMENT_SOURCES.append(orders)
    items = {item.text: item for item in stage_checklist(programme=programme, stage=Stage.PAIRING)}
    pairs_order = items["Приказ о закреплении наставнических пар и групп"]
    assert (pairs_order.state, pairs_order.url, pairs_order.note) == (
        OK,
        "/o/school-a/orders/7/",
        "№ 56-ОД от 01.10.2026",
    )
    assert items["Приказ об утверждении индивидуальных планов"].state == MISSING
    assert "Приказ об утверждении индивидуальных планов" in stage_missing(programme=programme, stage=Stage.PAIRING)
    assert not any("Приказ" in item.text for item in stage_checklist(programme=programme, stage=Stage.MENTOR_TRAINING))
    assert (programme.pk, Stage.MENTOR_TRAINING) in calls

    programme.current_stage = Stage.PAIRING
    programme.save()
    client.force_login(curator_a)
    page = client.get(reverse("mentorship:programme_detail", args=[programme.organisation.slug, programme.pk]))
    html = page.content.decode()
    assert '<a href="/o/school-a/orders/7/">Приказ о закреплении наставнических пар и групп</a>' in html
    assert "№ 56-ОД от 01.10.2026" in html
