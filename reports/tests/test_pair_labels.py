"""Pairs are told apart wherever they are chosen: the label names the mentees, the form and the year."""

from mentorship.tests.factories import PairFactory
from participants.tests.factories import PersonFactory, TeacherFactory
from reports.analytics.forms import ResultsFilterForm


def test_two_pairs_of_one_mentor_differ_in_a_select_without_a_query_per_option(school_a, django_assert_num_queries):
    mentor = TeacherFactory(organisation=school_a, last_name="Кляпка")
    for name in ("Иванов", "Петров", "Сидоров"):
        PairFactory(mentor=mentor, mentees=[PersonFactory(organisation=school_a, last_name=name)])
    form = ResultsFilterForm(organisation=school_a, personal=True)
    with django_assert_num_queries(2):  # the pairs with mentor, form, programme; their mentees
        labels = [label for value, label in form.fields["pair"].choices if value]
    assert len(labels) == len(set(labels)) == 3
    assert all(label.startswith("Кляпка О. Н. → ") for label in labels)
    assert {label.split(" → ")[1].split(",")[0] for label in labels} == {"Иванов И.", "Петров И.", "Сидоров И."}
