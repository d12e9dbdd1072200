"""Programmes: creation and editing, the stage checklist, moving on, the dashboard."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from mentorship import services
from mentorship.models import Programme, StageTransition
from mentorship.selectors import stage_checklist, stage_missing
from mentorship.services import programme_advance
from mentorship.tests.factories import ProgrammeFactory
from organisations.school_year import current_school_year
from participants.models import MenteeEntry, MentoringForm
from participants.tests.factories import MenteeEntryFactory, PersonFactory
from participants.tests.factories_consents import ConsentFactory
from roadmap.stages import Stage


def test_curator_creates_a_programme_with_forms_of_its_audience(client, school_a, curator_a):
    client.force_login(curator_a)
    form = MentoringForm.objects.get(name="учитель – ученик")
    role_model = form.role_models.first()
    year = current_school_year()
    url = reverse("mentorship:programme_create", args=[school_a.slug]) + "?kind=students"
    page = client.get(url).content.decode()
    assert "учитель – ученик" in page and "традиционная" not in page  # teachers' forms are not offered
    data = {
        "kind": "students",
        "school_year": year,
        "title": "Программа наставничества «Вместе»",
        "starts_on": f"{year}-09-01",
        "ends_on": f"{year + 1}-05-31",
        "curator": curator_a.pk,
        "attention_weeks": 3,
        "enabled_forms": [form.pk],
        "role_models": [role_model.pk],
    }
    response = client.post(url, data)
    programme = Programme.objects.get()
    assert response.status_code == 302
    assert (programme.organisation, programme.kind, programme.curator) == (school_a, "students", curator_a)
    assert list(programme.forms.all()) == [form] and list(programme.role_models.all()) == [role_model]
    assert programme.matching_weights["criteria"]["needs"]["weight"] == 8

    response = client.post(url, data)
    assert "Программа для обучающихся на" in response.content.decode()  # already exists
    assert Programme.objects.count() == 1


def test_role_models_must_belong_to_the_chosen_forms(school_a):
    programme = Programme(
        organisation=school_a,
        kind="students",
        school_year=2026,
        title="П",
        starts_on="2026-09-01",
        ends_on="2027-05-31",
    )
    form = MentoringForm.objects.get(name="учитель – ученик")
    other = MentoringForm.objects.get(name="ученик – ученик").role_models.first()
    with pytest.raises(ValidationError) as excinfo:
        services.programme_save(programme=programme, forms=[form], role_models=[other])
    assert excinfo.value.messages == [services.ERROR_ROLE_MODEL_NOT_IN_FORMS.format(role_model=other.name)]


def test_programme_page_highlights_the_current_stage(client, school_a, curator_a):
    programme = ProgrammeFactory(organisation=school_a, current_stage=Stage.MENTEE_BASE)
    client.force_login(curator_a)
    page = client.get(reverse("mentorship:programme_detail", args=[school_a.slug, programme.pk])).content.decode()
    assert 'aria-current="step"' in page
    assert "Что нужно на этапе «Формирование базы наставляемых»" in page
    assert "База наставляемых пуста" in page
    assert "появится с модулем" not in page  # no placeholders: questionnaires are checked, orders come from reports


def test_stage_two_lists_mentees_without_consent(school_a):
    programme = ProgrammeFactory(organisation=school_a, current_stage=Stage.MENTEE_BASE)
    without = PersonFactory(organisation=school_a, last_name="Черных")
    MenteeEntryFactory(person=without, status=MenteeEntry.Status.INCLUDED, school_year=programme.school_year)
    covered = PersonFactory(organisation=school_a)
    MenteeEntryFactory(person=covered, status=MenteeEntry.Status.INCLUDED, school_year=programme.school_year)
    ConsentFactory(person=covered)
    missing = [text for text in stage_missing(programme=programme) if "согласия" in text]
    assert missing == [f"Без согласия на обработку персональных данных 1 наставляемый: {without.short_name}"]


def test_every_stage_has_a_checklist(school_a):
    programme = ProgrammeFactory(organisation=school_a)
    for stage in Stage:
        assert stage_checklist(programme=programme, stage=stage)


def test_advancing_records_who_and_what_was_missing(client, school_a, curator_a):
    programme = ProgrammeFactory(organisation=school_a, current_stage=Stage.MENTEE_BASE)
    client.force_login(curator_a)
    url = reverse("mentorship:programme_advance", args=[school_a.slug, programme.pk])
    assert "База наставляемых пуста" in client.get(url).content.decode()
    client.post(url)
    programme.refresh_from_db()
    assert programme.current_stage == Stage.MENTOR_BASE
    transition = StageTransition.objects.get()
    assert (transition.from_stage, transition.to_stage, transition.moved_by) == (2, 3, curator_a)
    assert transition.missing == ["База наставляемых пуста"]
    page = client.get(reverse("mentorship:programme_detail", args=[school_a.slug, programme.pk])).content.decode()
    assert "Не хватало: База наставляемых пуста" in page


def test_last_stage_cannot_advance(school_a, curator_a):
    programme = ProgrammeFactory(organisation=school_a, current_stage=Stage.COMPLETION)
    with pytest.raises(ValidationError) as excinfo:
        programme_advance(programme=programme, user=curator_a)
    assert excinfo.value.messages == [services.ERROR_LAST_STAGE.format(stage="Завершение программы")]


def test_dashboard_shows_the_programme_and_its_stage(client, school_a, curator_a):
    ProgrammeFactory(organisation=school_a, title="Программа «Вместе»", current_stage=Stage.PAIRING)
    client.force_login(curator_a)
    page = client.get(reverse("reports:dashboard", args=[school_a.slug])).content.decode()
    assert "Программа «Вместе»</a>: этап 5 «Формирование пар и групп»" in page
    assert page.count('aria-current="step"') == 1
