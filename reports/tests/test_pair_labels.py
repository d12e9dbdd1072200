"""Pairs are told apart wherever they are chosen: the label names the mentees, the form and the year."""

from django.urls import reverse

from mentorship.models import Pair
from mentorship.tests.factories import PairFactory, ProgrammeFactory
from participants.tests.factories import PersonFactory, TeacherFactory
from reports.analytics.forms import ResultsFilterForm
from reports.models import OrderKind
from reports.orders.forms import OrderTextForm
from reports.orders.services import order_draft


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


def test_an_order_with_no_draft_pairs_says_why_the_list_is_empty(school_a):
    programme = ProgrammeFactory(organisation=school_a)
    PairFactory(organisation=school_a, programme=programme)  # active: already approved by its order
    order = order_draft(organisation=school_a, kind=OrderKind.PAIRS, programme=programme, user=None)
    form = OrderTextForm(instance=order)
    assert list(form.fields["pairs"].queryset) == []
    help_text = str(form.fields["pairs"].help_text)
    assert help_text.startswith("В программе нет черновиков пар: приказ утверждает только черновики")
    assert reverse("mentorship:matching", args=[school_a.slug, programme.pk]) in help_text

    pair = PairFactory(organisation=school_a, programme=programme, status=Pair.Status.DRAFT)
    form = OrderTextForm(instance=order)
    assert [label for value, label in form.fields["pairs"].choices] == [pair.label]
    assert not form.fields["pairs"].help_text
