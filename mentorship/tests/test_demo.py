"""The demo programmes of ``load_demo``: one story per school, and a second run adds nothing."""

import io

from django.core.management import call_command
from django.utils import timezone

from mentorship.demo import demo_programmes
from mentorship.models import EarlyEnd, Meeting, Pair, PlanItem, Programme, StageTransition, TrainingSession
from mentorship.selectors_meetings import pairs_needing_attention
from organisations.models import Organisation
from organisations.school_year import current_school_year
from roadmap.stages import Stage


def test_mid_year_school_has_working_pairs_with_plans_meetings_and_attention(demo):
    programme = demo.programmes.get(school_year=current_school_year())
    assert programme.kind == Programme.Kind.STUDENTS
    assert programme.current_stage == Stage.PAIR_WORK
    assert list(programme.transitions.order_by("to_stage").values_list("to_stage", flat=True)) == [2, 3, 4, 5, 6]
    assert {f.name for f in programme.forms.all()} == {"ученик – ученик", "учитель – ученик"}

    pairs = list(programme.pairs.select_related("plan"))
    assert len(pairs) >= 5
    assert {pair.form.name for pair in pairs} == {"ученик – ученик", "учитель – ученик"}
    for pair in pairs:
        # One teacher refused in November (ст. 351.8 ТК РФ, reports/employees/demo.py): that pair is closed.
        refused = EarlyEnd.objects.filter(pair=pair).exists()
        assert pair.status == (Pair.Status.CLOSED if refused else Pair.Status.ACTIVE)
        assert pair.approval_order == f"№ 45-ОД от 01.10.{programme.school_year}"
        items = list(pair.plan.items.all())
        assert 4 <= len(items) <= 6
        assert 0 < sum(item.done for item in items) < len(items)
        kinds = list(pair.meetings.order_by("starts_at").values_list("kind", flat=True))
        assert kinds[0] == Meeting.Kind.INTRODUCTION
        assert all(6 <= m.usefulness <= 10 for m in pair.meetings.all())

    attention = pairs_needing_attention(organisation=demo, today=timezone.localdate())
    assert 2 <= len(attention) < len(pairs)
    assert all(pair.days_without_meeting > 30 for pair in attention)

    group = programme.training_groups.get()
    assert group.sessions.count() == 6
    assert group.members.exists()


def test_other_schools_at_the_start_and_at_the_end(demo):
    year = current_school_year()
    starting = Programme.objects.get(organisation__slug="school-2", school_year=year)
    assert starting.current_stage == Stage.MENTEE_BASE
    assert not starting.pairs.exists()

    finished = Programme.objects.get(organisation__slug="school-3", school_year=year)
    assert finished.kind == Programme.Kind.TEACHERS
    assert finished.current_stage == Stage.COMPLETION
    pairs = list(finished.pairs.all())
    assert pairs
    assert all(p.status == Pair.Status.CLOSED and p.outcome == Pair.Outcome.COMPLETED for p in pairs)
    best = [p for p in pairs if p.is_best_practice]
    assert len(best) == 1
    assert best[0].case_description and best[0].case_results
    assert not best[0].case_photos.exists()


def test_second_run_creates_nothing(demo):
    models = (Programme, StageTransition, Pair, PlanItem, Meeting, TrainingSession)
    before = [model.objects.count() for model in models]

    result = demo_programmes(schools=Organisation.objects.filter(kind=Organisation.Kind.SCHOOL))
    assert (result.created, result.existing, result.pairs, result.meetings) == (0, 3, 0, 0)

    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert "Программы наставничества: создано 0, уже были 3." in out.getvalue()
    assert [model.objects.count() for model in models] == before


def test_finished_school_prepares_the_next_year_as_a_draft(demo, client, member):
    from mentorship.models import YearChange
    from mentorship.services_year import LEFT, MOVED, NEW, SAME

    change = YearChange.objects.get(organisation__slug="school-3")
    assert change.status == YearChange.Status.DRAFT
    assert change.to_year == current_school_year() + 1
    counts = change.diff["counts"]
    assert counts[NEW] == 1 and counts[MOVED] >= 1 and counts[SAME] == 1 and counts[LEFT] >= 2
    # The page opens on that draft (a year ahead of the proposed one) without ?year=.
    from django.urls import reverse

    client.force_login(member(change.organisation, "curator"))
    page = client.get(reverse("mentorship:year_change", kwargs={"org": "school-3"}))
    assert page.status_code == 200
    assert "Возможно, тот же человек" in page.content.decode()
