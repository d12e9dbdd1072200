"""Thank-you letters to mentors and partners, and a mentor's portfolio: PDF text, numbers, access."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from mentorship.models import Meeting, Pair, TrainingAttendance, TrainingGroup, TrainingMember, TrainingSession
from mentorship.services_plans import plan_for_pair, plan_save
from mentorship.tests.factories import PairFactory, ProgrammeFactory
from organisations.roles import Role
from organisations.school_year import current_school_year, school_year_label
from organisations.tests.factories import MembershipFactory, SchoolFactory, UserFactory
from participants.models import AccessLogEntry, Invitation, MentorEntry, Person, Response
from participants.tests.factories import MentorEntryFactory, PartnerFactory, PersonFactory, TeacherFactory
from participants.tests.factories_questionnaires import make_template
from reports.letters.documents import mentor_portfolio_context, partner_letter_text
from reports.models import OrderKind
from reports.orders.services import order_approve, order_draft, order_save, order_submit
from roadmap.deadlines import ru_date

pytestmark = pytest.mark.django_db


@pytest.fixture
def school():
    return SchoolFactory(
        order_number_suffix="-ОД",
        director_name="Николаева Ольга Андреевна",
        short_name="МБОУ «Школа № 7»",
        town="г. Энгельс",
    )


@pytest.fixture
def curator(school):
    user = UserFactory(username="letters-curator")
    MembershipFactory(user=user, organisation=school, role=Role.CURATOR)
    return user


@pytest.fixture
def director(school):
    user = UserFactory(username="letters-director")
    MembershipFactory(user=user, organisation=school, role=Role.DIRECTOR)
    return user


@pytest.fixture
def programme(school):
    return ProgrammeFactory(organisation=school)


def _pdf_text(response) -> str:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def _student(school, last_name, first_name="Илья", patronymic="Сергеевич", gender="M"):
    return PersonFactory(
        organisation=school, last_name=last_name, first_name=first_name, patronymic=patronymic, gender=gender
    )


# --- Letters ---------------------------------------------------------------------------------------


def _letter_url(school, person):
    return reverse("reports:letter_mentor", kwargs={"org": school.slug, "pk": person.pk})


def test_letter_to_a_woman_mentor_addresses_her_in_the_dative_and_as_уважаемая(client, school, curator, programme):
    mentor = TeacherFactory(organisation=school, last_name="Кляпка", first_name="Ольга", patronymic="Викторовна")
    PairFactory(
        organisation=school,
        programme=programme,
        mentor=mentor,
        mentees=[_student(school, "Черных"), _student(school, "Ли")],
    )
    client.force_login(curator)

    page = client.get(_letter_url(school, mentor)).content.decode()
    assert "Уважаемая Ольга Викторовна!" in page
    assert "помогли 2 наставляемым" in page  # the default text, ready to edit

    text = _pdf_text(
        client.post(_letter_url(school, mentor), {**_default(client, school, mentor), "signed_on": "2026-05-25"})
    )
    assert "БЛАГОДАРСТВЕННОЕ ПИСЬМО" in text
    assert "Кляпке Ольге Викторовне" in text
    assert "Уважаемая Ольга Викторовна!" in text
    assert f"в {school_year_label(current_school_year())} учебном году" in text
    assert "помогли 2 наставляемым" in text
    assert "О. А. Николаева" in text  # the director signs
    assert "25 мая 2026 г." in text
    entry = AccessLogEntry.objects.get(organisation=school, action=AccessLogEntry.Action.PRINT)
    assert entry.person == mentor and entry.what == "Благодарственное письмо: Кляпка О.В."


def _default(client, school, person) -> dict:
    """The text the letter page offers, as a browser would send it back unchanged."""
    response = client.get(_letter_url(school, person))
    return {"text": response.context["form"].initial["text"]}


def test_letter_to_a_man_says_уважаемый_and_declines_his_name(client, school, curator):
    mentor = TeacherFactory(
        organisation=school, last_name="Черных", first_name="Илья", patronymic="Сергеевич", gender="M"
    )
    client.force_login(curator)
    text = _pdf_text(
        client.post(_letter_url(school, mentor), {**_default(client, school, mentor), "signed_on": "2026-05-25"})
    )
    assert "Уважаемый Илья Сергеевич!" in text
    assert "Черных Илье Сергеевичу" in text
    assert "Уважаемая" not in text


def test_the_edited_text_is_printed_instead_of_the_default(client, school, curator):
    mentor = TeacherFactory(organisation=school, last_name="Кляпка", first_name="Ольга", patronymic="Викторовна")
    client.force_login(curator)
    edited = "Спасибо за подготовку победителей олимпиады по математике.\n\nЖелаем новых побед!"
    text = _pdf_text(client.post(_letter_url(school, mentor), {"text": edited, "signed_on": "2026-05-25"}))
    assert "Спасибо за подготовку победителей олимпиады по математике." in text
    assert "Желаем новых побед!" in text
    assert "выражает Вам искреннюю благодарность" not in text
    assert "Уважаемая Ольга Викторовна!" in text  # the salutation is not part of the edited text


def test_an_empty_text_is_refused_with_a_message(client, school, curator):
    mentor = TeacherFactory(organisation=school)
    client.force_login(curator)
    response = client.post(_letter_url(school, mentor), {"text": "  ", "signed_on": "2026-05-25"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert "Текст письма не может быть пустым." in response.content.decode()
    assert not AccessLogEntry.objects.filter(action=AccessLogEntry.Action.PRINT).exists()


def test_no_letter_for_a_person_whose_consent_is_withdrawn(client, school, curator):
    mentor = TeacherFactory(organisation=school, processing_blocked_at=timezone.now())
    client.force_login(curator)
    page = client.get(_letter_url(school, mentor)).content.decode()
    assert "Письмо не печатается" in page
    response = client.post(_letter_url(school, mentor), {"text": "Спасибо!", "signed_on": "2026-05-25"})
    assert response["Content-Type"].startswith("text/html")


def test_letter_to_a_partner_thanks_the_colleagues_and_names_its_mentors(client, school, curator, programme):
    partner = PartnerFactory(organisation=school, name="АО «Энгельсский механический завод»")
    other_partner = PartnerFactory(organisation=school, name="ООО «Соседи»")

    def employee(last_name, partner=partner, **kwargs):
        return PersonFactory(
            organisation=school,
            last_name=last_name,
            first_name="Андрей",
            patronymic="Петрович",
            category=Person.Category.PARTNER_EMPLOYEE,
            partner=partner,
            grade=None,
            class_letter="",
            position="инженер-конструктор",
            **kwargs,
        )

    in_register = employee("Самойлов")
    MentorEntryFactory(person=in_register, status=MentorEntry.Status.ACTIVE)
    with_pair = employee("Гусев")
    PairFactory(organisation=school, programme=programme, mentor=with_pair)
    candidate = employee("Кандидатов")  # in the base, never approved, no pair
    MentorEntryFactory(person=candidate, status=MentorEntry.Status.CANDIDATE)
    MentorEntryFactory(person=employee("Чужов", partner=other_partner), status=MentorEntry.Status.APPROVED)

    url = reverse("reports:letter_partner", kwargs={"org": school.slug, "pk": partner.pk})
    client.force_login(curator)
    default = client.get(url).context["form"].initial["text"]
    text = _pdf_text(client.post(url, {"text": default, "signed_on": "2026-06-01"}))
    assert "Уважаемые коллеги!" in text
    assert "АО «Энгельсский механический завод»" in text
    assert "Самойлов Андрей Петрович, инженер-конструктор" in text
    assert "Гусев Андрей Петрович" in text
    assert "Кандидатов" not in text and "Чужов" not in text
    entry = AccessLogEntry.objects.get(action=AccessLogEntry.Action.PRINT)
    assert entry.what == "Благодарственное письмо: АО «Энгельсский механический завод»" and entry.people_count == 2


def test_one_partner_employee_is_named_with_the_right_gender(school):
    woman = PersonFactory(organisation=school, last_name="Орлова", first_name="Анна", patronymic="Ивановна", gender="F")
    woman.position = "технолог"
    text = partner_letter_text(organisation=school, school_year=2026, employees=[woman])
    assert "Наставником стала Ваша сотрудница Орлова Анна Ивановна, технолог." in text
    assert "2026/2027 учебном году" in text


def test_letter_links_on_the_person_card_and_the_partner_list(client, school, curator):
    mentor = MentorEntryFactory(organisation=school, status=MentorEntry.Status.APPROVED).person
    partner = PartnerFactory(organisation=school)
    client.force_login(curator)
    card = client.get(mentor.get_absolute_url()).content.decode()
    assert _letter_url(school, mentor) in card
    assert reverse("reports:mentor_portfolio", kwargs={"org": school.slug, "pk": mentor.pk}) in card
    partners = client.get(reverse("participants:partner_list", kwargs={"org": school.slug})).content.decode()
    assert reverse("reports:letter_partner", kwargs={"org": school.slug, "pk": partner.pk}) in partners


# --- The portfolio ---------------------------------------------------------------------------------


def _meeting(pair, days_ago, usefulness=None):
    return Meeting.objects.create(
        organisation=pair.organisation,
        pair=pair,
        starts_at=timezone.now() - datetime.timedelta(days=days_ago),
        usefulness=usefulness,
    )


def _exit_answer(pair, mentee, value, template):
    invitation = Invitation.objects.create(
        organisation=pair.organisation,
        template=template,
        person=mentee,
        token_hash=f"{mentee.pk:064d}",
        expires_at=timezone.now() + datetime.timedelta(days=7),
    )
    question = template.questions.get(kind="scale_10")
    Response.objects.create(
        organisation=pair.organisation,
        invitation=invitation,
        template=template,
        person=mentee,
        submitted_at=timezone.now(),
        answers={str(question.pk): value, "unknown": "текст"},
    )


def _training(school, programme, mentor, *, held=10, attended=8):
    group = TrainingGroup.objects.create(organisation=school, programme=programme, title="Группа 1", sessions_target=12)
    TrainingMember.objects.create(organisation=school, group=group, mentor=mentor)
    start = timezone.localdate() - datetime.timedelta(days=held - 1)
    for index in range(held + 2):  # two sessions later than today are not held yet
        session = TrainingSession.objects.create(
            organisation=school,
            group=group,
            held_on=start + datetime.timedelta(days=index),
            topic=f"Занятие {index + 1}",
        )
        if index < attended:
            TrainingAttendance.objects.create(organisation=school, session=session, mentor=mentor)
    return group


def _encouragement(school, person, curator, director):
    order = order_draft(organisation=school, kind=OrderKind.ENCOURAGEMENT, user=curator, people=[person])
    order_save(order=order, fields={}, points=[{"action": "Объявить благодарность наставникам."}], people=[person])
    order_submit(order=order, user=curator)
    return order_approve(order=order, user=director, on=timezone.localdate())


def _pair_with_data(school, programme, mentor, *, items_done=3, items=4, ratings=(8, 9, None), template=None):
    mentee = _student(school, "Наставляемов")
    pair = PairFactory(organisation=school, programme=programme, mentor=mentor, mentees=[mentee])
    plan_save(
        plan=plan_for_pair(pair=pair),
        goals="",
        tasks="",
        items=[{"activity": f"Мероприятие {n}", "done": n < items_done} for n in range(items)],
    )
    for days_ago, rating in enumerate(ratings, start=1):
        _meeting(pair, days_ago, rating)
    if template is not None:
        _exit_answer(pair, mentee, 9, template)
    return pair


@pytest.fixture
def mentor(school):
    return TeacherFactory(organisation=school, last_name="Кляпка", first_name="Ольга", patronymic="Викторовна")


def test_portfolio_counts_pairs_plans_meetings_feedback_training_and_awards(
    client, school, curator, director, programme, mentor
):
    MentorEntryFactory(
        person=mentor, status=MentorEntry.Status.APPROVED, approved_on=datetime.date(programme.school_year, 9, 10)
    )
    template = make_template(organisation=school)
    _pair_with_data(school, programme, mentor, template=template)  # 3 of 4 items, ratings 8 and 9
    closed = PairFactory(
        organisation=school,
        programme=programme,
        mentor=mentor,
        status=Pair.Status.CLOSED,
        closed_on=timezone.localdate(),
        outcome=Pair.Outcome.COMPLETED,
    )
    _meeting(closed, 5)
    _meeting(closed, -3)  # planned for later: not held yet
    PairFactory(organisation=school, programme=programme, mentor=mentor, status=Pair.Status.DRAFT)  # not counted
    _training(school, programme, mentor, held=10, attended=8)
    order = _encouragement(school, mentor, curator, director)

    client.force_login(curator)
    text = _pdf_text(client.get(reverse("reports:mentor_portfolio", kwargs={"org": school.slug, "pk": mentor.pk})))
    assert "ПОРТФОЛИО НАСТАВНИКА" in text and "Кляпка Ольга Викторовна" in text
    assert "Пар и групп: 2;" in text
    assert "3 из 4 (75 %)" in text
    assert "Выполнено мероприятий индивидуальных планов: 3 из 4 (75 %)." in text
    assert "Проведено встреч с наставляемыми: 4." in text
    assert "8,5 (оценено встреч: 2)" in text
    assert "9,0 (анкет: 1)" in text
    assert "завершена: программа выполнена" in text
    assert "8 из 10" in text
    assert f"Благодарность (приказ от {order.approved_on:%d.%m.%Y} № 1-ОД)" in text
    assert f"Утверждение в реестре наставников на {school_year_label(programme.school_year)} учебный год" in text
    assert "О. А. Николаева" in text and ru_date(timezone.localdate()) in text
    entry = AccessLogEntry.objects.get(action=AccessLogEntry.Action.PRINT, person=mentor)
    assert entry.what == "Портфолио наставника: Кляпка О.В." and entry.people_count == 3


def test_portfolio_of_one_school_year_leaves_other_years_out(client, school, curator, programme, mentor):
    _pair_with_data(school, programme, mentor)
    earlier = ProgrammeFactory(organisation=school, school_year=programme.school_year - 1)
    PairFactory(
        organisation=school,
        programme=earlier,
        mentor=mentor,
        status=Pair.Status.CLOSED,
        closed_on=earlier.ends_on,
        outcome=Pair.Outcome.CONTINUED,
    )
    url = reverse("reports:mentor_portfolio", kwargs={"org": school.slug, "pk": mentor.pk})
    client.force_login(curator)
    assert "Пар и групп: 2;" in _pdf_text(client.get(url))
    this_year = _pdf_text(client.get(url, {"year": programme.school_year}))
    assert "Пар и групп: 1;" in this_year
    assert f"{school_year_label(programme.school_year)} учебный год" in this_year


def test_portfolio_queries_do_not_grow_with_pairs(school, curator, director, programme, mentor):
    template = make_template(organisation=school)
    MentorEntryFactory(person=mentor, status=MentorEntry.Status.APPROVED, approved_on=programme.starts_on)
    _training(school, programme, mentor, held=3, attended=2)
    _encouragement(school, mentor, curator, director)
    _pair_with_data(school, programme, mentor, template=template)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            context = mentor_portfolio_context(organisation=school, person=mentor)
        return len(queries), context

    few, context = count()
    assert context["totals"]["pairs"] == 1
    for _ in range(3):
        _pair_with_data(school, programme, mentor, template=template)
    many, context = count()
    assert context["totals"]["pairs"] == 4 and context["totals"]["feedback_responses"] == 4
    assert few == many


@pytest.fixture
def mentor_user(school, mentor):
    user = UserFactory(username="letters-mentor")
    MembershipFactory(user=user, organisation=school, role=Role.MENTOR)
    Person.objects.filter(pk=mentor.pk).update(user=user)
    return user


def test_a_mentor_prints_their_own_portfolio_and_gets_404_for_another(client, school, programme, mentor, mentor_user):
    _pair_with_data(school, programme, mentor)
    other = TeacherFactory(organisation=school, last_name="Другова")
    client.force_login(mentor_user)
    own = _pdf_text(client.get(reverse("reports:mentor_portfolio", kwargs={"org": school.slug, "pk": mentor.pk})))
    assert "Кляпка Ольга Викторовна" in own and "3 из 4 (75 %)" in own
    response = client.get(reverse("reports:mentor_portfolio", kwargs={"org": school.slug, "pk": other.pk}))
    assert response.status_code == 404


def test_a_mentor_cannot_print_letters(client, school, mentor, mentor_user):
    client.force_login(mentor_user)
    response = client.get(_letter_url(school, mentor))
    assert response.status_code == 403


def test_a_mentor_of_one_girl_helped_his_mentee_in_the_feminine(client, school, curator, programme):
    mentor = TeacherFactory(organisation=school, last_name="Громов", first_name="Сергей", patronymic="Иванович")
    girl = _student(school, "Черных", "Анна", "Сергеевна", "F")
    PairFactory(organisation=school, programme=programme, mentor=mentor, mentees=[girl])
    client.force_login(curator)
    page = client.get(_letter_url(school, mentor)).content.decode()
    assert "помогли Вашей наставляемой поверить" in page
    assert "Вашему наставляемому" not in page
