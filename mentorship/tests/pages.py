"""Tenant pages of this app for the tenancy tests (see organisations/tests/tenant_pages.py)."""

from organisations.tests.tenant_pages import Page

PAGES: dict = {}


# Individual plans, meetings, «Мои пары», the calendar (views_plans.py, views_meetings.py).
def _pair(school):
    from mentorship.tests.factories import PairFactory

    return {"pair_pk": PairFactory(organisation=school).pk}


def _meeting(school):
    import datetime

    from django.utils import timezone

    from mentorship.models import Meeting
    from mentorship.tests.factories import PairFactory

    pair = PairFactory(organisation=school)
    starts_at = timezone.make_aware(datetime.datetime.combine(pair.starts_on, datetime.time(15)))
    return {"pair_pk": pair.pk, "pk": Meeting.objects.create(organisation=school, pair=pair, starts_at=starts_at).pk}


PAGES |= {
    "mentorship:plan_list": Page(allowed="methodist", denied="mentor"),
    "mentorship:plan_edit": Page(allowed="methodist", denied="administrator", kwargs=_pair),
    # The methodist sees every pair's meetings, the calendar and the attention list, and logs none.
    "mentorship:meeting_list": Page(allowed="methodist", denied="administrator", kwargs=_pair),
    "mentorship:meeting_add": Page(allowed="curator", denied="methodist", kwargs=_pair),
    "mentorship:meeting_edit": Page(allowed="curator", denied="methodist", kwargs=_meeting),
    "mentorship:my_pairs": Page(allowed="mentor", denied="methodist"),
    "mentorship:calendar": Page(allowed="methodist", denied="mentor"),
    "mentorship:meeting_attention": Page(allowed="methodist", denied="mentor"),
    "mentorship:meetings_ics": Page(allowed="mentor", denied="methodist"),
}


# «Школа наставника» (views_training.py).
def _training_group(school):
    from mentorship.models import TrainingGroup
    from mentorship.tests.factories import ProgrammeFactory

    programme = ProgrammeFactory(organisation=school)
    return {"pk": TrainingGroup.objects.create(organisation=school, programme=programme, title="Группа 1").pk}


def _training_session(school):
    from mentorship.models import TrainingSession

    kwargs = _training_group(school)
    session = TrainingSession.objects.create(
        organisation=school, group_id=kwargs["pk"], held_on="2026-10-01", topic="Роль наставника"
    )
    return {**kwargs, "session_pk": session.pk}


PAGES |= {
    "mentorship:training_list": Page(allowed="curator", denied="mentor"),
    "mentorship:training_add": Page(allowed="curator", denied="mentor"),
    "mentorship:training_detail": Page(allowed="curator", denied="methodist", kwargs=_training_group),
    "mentorship:training_edit": Page(allowed="curator", denied="methodist", kwargs=_training_group),
    "mentorship:training_session_add": Page(allowed="curator", denied="methodist", kwargs=_training_group),
    "mentorship:training_session_edit": Page(allowed="curator", denied="methodist", kwargs=_training_session),
}


# Programmes and stages, pairs and groups, matching, best practices (views.py).
def _programme(school):
    from mentorship.tests.factories import ProgrammeFactory

    return {"pk": ProgrammeFactory(organisation=school).pk}


def _a_pair(school):
    from mentorship.tests.factories import PairFactory

    return {"pk": PairFactory(organisation=school).pk}


def _draft_pair(school):
    from mentorship.tests.factories import PairFactory

    return {"pk": PairFactory(organisation=school, status="draft").pk}


def _case_photo(school):
    from mentorship.models import CasePhoto
    from mentorship.tests.factories import PairFactory

    pair = PairFactory(organisation=school, is_best_practice=True)
    # No stored file: the page says so and goes back to the pair.
    return {"pk": CasePhoto.objects.create(organisation=school, pair=pair, image="missing.png").pk}


def _decision(school):
    from participants.tests.factories import PersonFactory, TeacherFactory

    return {
        "mentee": PersonFactory(organisation=school).pk,
        "mentor": TeacherFactory(organisation=school).pk,
        "kind": "pin",
    }


PAGES |= {
    "mentorship:programme_list": Page(allowed="methodist", denied="mentor"),
    "mentorship:programme_create": Page(allowed="curator", denied="methodist"),
    "mentorship:programme_detail": Page(allowed="methodist", denied="mentor", kwargs=_programme),
    "mentorship:programme_edit": Page(allowed="curator", denied="methodist", kwargs=_programme),
    "mentorship:programme_advance": Page(allowed="curator", denied="methodist", kwargs=_programme),
    "mentorship:matching_weights": Page(allowed="curator", denied="methodist", kwargs=_programme),
    "mentorship:matching": Page(allowed="curator", denied="methodist", kwargs=_programme),
    "mentorship:matching_decision": Page(
        allowed="curator", denied="methodist", kwargs=_programme, method="post", data=_decision
    ),
    "mentorship:matching_accept": Page(allowed="curator", denied="methodist", kwargs=_programme, method="post"),
    "mentorship:pair_create": Page(allowed="curator", denied="methodist", kwargs=_programme),
    "mentorship:pair_list": Page(allowed="methodist", denied="mentor"),
    "mentorship:pair_detail": Page(allowed="methodist", denied="mentor", kwargs=_a_pair),
    "mentorship:pair_edit": Page(allowed="curator", denied="methodist", kwargs=_draft_pair),
    "mentorship:pair_activate": Page(allowed="curator", denied="methodist", kwargs=_a_pair, method="post"),
    "mentorship:pair_close": Page(allowed="curator", denied="methodist", kwargs=_a_pair),
    "mentorship:pair_repair": Page(allowed="curator", denied="methodist", kwargs=_a_pair),
    "mentorship:pair_case": Page(allowed="curator", denied="methodist", kwargs=_a_pair),
    "mentorship:pair_to_mentor_base": Page(allowed="curator", denied="methodist", kwargs=_a_pair, method="post"),
    "mentorship:pair_cases": Page(allowed="methodist", denied="mentor"),
    "mentorship:pair_case_photo": Page(allowed="methodist", denied="mentor", kwargs=_case_photo),
}


# Sending a questionnaire to a pair or to a programme's pairs (views_questionnaires.py).
PAGES |= {
    "mentorship:pair_questionnaire_send": Page(allowed="curator", denied="methodist", kwargs=_a_pair),
    "mentorship:programme_questionnaire_send": Page(allowed="curator", denied="methodist", kwargs=_programme),
}


# «Новый учебный год» (views_year.py).
def _year_change(school):
    from mentorship.models import YearChange

    change = YearChange.objects.create(organisation=school, from_year=2025, to_year=2026)
    return {"pk": change.pk}


PAGES |= {
    "mentorship:year_change": Page(allowed="curator", denied="methodist"),
    "mentorship:year_change_upload": Page(allowed="curator", denied="methodist", method="post"),
    "mentorship:year_change_decide": Page(allowed="curator", denied="methodist", kwargs=_year_change, method="post"),
    "mentorship:year_change_undo": Page(allowed="curator", denied="methodist", kwargs=_year_change, method="post"),
}
