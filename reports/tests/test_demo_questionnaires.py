"""The demo questionnaires of ``load_demo`` tell the schools' story: school-1 mid-year with entry
answers and interim feedback (some links still open), school-3 finished with entry and exit
answers that show growth; a second run adds nothing."""

import datetime
import io

from django.core.management import call_command
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from mentorship.models import Pair, PairMentee
from organisations.models import Organisation
from organisations.school_year import current_school_year
from participants.models import Invitation, MenteeEntry, MentorEntry, QuestionnaireTemplate, Response
from participants.questionnaires.results import entry_exit, growth, satisfaction

Audience = QuestionnaireTemplate.Audience
Phase = QuestionnaireTemplate.Phase


def _invitations(school, audience, phase):
    return Invitation.objects.filter(organisation=school, template__audience=audience, template__phase=phase)


def test_mid_year_school_has_entry_answers_and_interim_feedback_with_open_links(demo, client):
    year = current_school_year()
    mentee_ids = set(
        MenteeEntry.objects.filter(organisation=demo, school_year=year, person__category="student").values_list(
            "person_id", flat=True
        )
    )
    mentor_ids = set(
        MentorEntry.objects.filter(organisation=demo, school_year=year).values_list("person_id", flat=True)
    )

    # September: every student mentee answered the needs questionnaire; all but two mentors answered theirs.
    mentee_entry = _invitations(demo, Audience.STUDENT_MENTEE, Phase.ENTRY)
    assert set(mentee_entry.values_list("person_id", flat=True)) == mentee_ids
    assert not mentee_entry.filter(answered_at__isnull=True).exists()
    mentor_entry = _invitations(demo, Audience.MENTOR, Phase.ENTRY)
    assert set(mentor_entry.values_list("person_id", flat=True)) == mentor_ids
    assert mentor_entry.filter(answered_at__isnull=True).count() == 2
    assert mentor_entry.filter(answered_at__isnull=False).count() == len(mentor_ids) - 2
    for invitation in [*mentee_entry, *mentor_entry]:
        assert timezone.localtime(invitation.created_at).date().month == 9

    # Interim feedback: every mentee of a working pair was asked; most answered, some links are open.
    # (The pair whose teacher refused in November, reports/employees/demo.py, was working then too.)
    working = Q(pair__status=Pair.Status.ACTIVE) | Q(pair__early_end__isnull=False)
    paired = set(PairMentee.objects.filter(working, organisation=demo).values_list("mentee_id", flat=True))
    interim = _invitations(demo, Audience.STUDENT_MENTEE, Phase.INTERIM)
    assert set(interim.values_list("person_id", flat=True)) == paired
    answered = interim.filter(answered_at__isnull=False).count()
    still_open = interim.filter(answered_at__isnull=True).count()
    assert answered > still_open >= 1
    assert answered > len(paired)  # two rounds: October and November

    # Times are in the story: sent in September–November, answered after sending and before now.
    start = timezone.make_aware(datetime.datetime(year, 9, 1))
    for invitation in Invitation.objects.filter(organisation=demo):
        assert start <= invitation.created_at < timezone.now()
        assert timezone.localtime(invitation.created_at).month in (9, 10, 11)
        if invitation.answered_at:
            assert invitation.created_at < invitation.answered_at < timezone.now()
            assert invitation.response.submitted_at == invitation.answered_at

    # The answers reached the profiles matching reads: a mentee's request names what they chose.
    needs = " ".join(
        MenteeEntry.objects.filter(person_id__in=mentee_ids, school_year=year).values_list("needs", flat=True)
    )
    assert "с учёбой по отдельным предметам" in needs

    # «Кто не ответил» lists the open links.
    client.force_login(demo.memberships.get(user__username="curator").user)
    page = client.get(reverse("participants:invitation_list", kwargs={"org": demo.slug}) + "?pending=1")
    assert page.status_code == 200
    assert len(page.context["invitations"]) == mentor_entry.filter(answered_at__isnull=True).count() + still_open
    first_open = interim.filter(answered_at__isnull=True).select_related("person").first()
    assert first_open.person.full_name in page.content.decode()


def test_finished_school_shows_growth_from_entry_to_exit(demo):
    school = Organisation.objects.get(slug="school-3")
    pairs = Pair.objects.filter(organisation=school, status=Pair.Status.CLOSED)
    mentors = set(pairs.values_list("mentor_id", flat=True))
    mentees = set(PairMentee.objects.filter(pair__in=pairs).values_list("mentee_id", flat=True))
    assert mentors and mentees

    for audience, people in ((Audience.MENTOR, mentors), (Audience.TEACHER_MENTEE, mentees)):
        for phase in (Phase.ENTRY, Phase.EXIT):
            answered = set(
                Response.objects.filter(
                    organisation=school, template__audience=audience, template__phase=phase, submitted_at__isnull=False
                ).values_list("person_id", flat=True)
            )
            assert people <= answered, (audience, phase)
    exits = Response.objects.filter(organisation=school, template__phase=Phase.EXIT)
    assert all(timezone.localtime(r.submitted_at).month in (9, 10, 11) for r in exits)

    for audience, people in ((Audience.MENTOR, mentors), (Audience.TEACHER_MENTEE, mentees)):
        result = growth(school, audience=audience)
        assert result.participants == len(people)
        assert any(item.growth is not None and item.growth > 0 for item in result.items), audience
        assert result.mean > 0
    table = entry_exit(school, audience=Audience.TEACHER_MENTEE)
    assert len(table.participants) == len(mentees)

    rated = satisfaction(school)
    assert rated.mentor_responses == len(mentors) and rated.mentee_responses == len(mentees)
    assert rated.mentors >= 7 and rated.mentees >= 7


def test_second_run_adds_no_questionnaires(demo):
    before = (Invitation.objects.count(), Response.objects.count(), QuestionnaireTemplate.objects.count())
    assert before[0] > 0

    out = io.StringIO()
    call_command("load_demo", stdout=out)

    assert (Invitation.objects.count(), Response.objects.count(), QuestionnaireTemplate.objects.count()) == before
    assert "Анкеты: отправлено приглашений 0, получено ответов 0." in out.getvalue()
