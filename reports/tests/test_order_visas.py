"""The approval route of orders: visas in order, a return with a comment, an edit taking visas back,
the number only at the director's approval, the лист согласования in the PDF and the DOCX, the
route settings page, the visas waiting for a person, concurrent visas (PostgreSQL)."""

import datetime
import io
import re
import shutil
import subprocess
import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from docx import Document
from pypdf import PdfReader

from mentorship.tests.factories import ProgrammeFactory
from organisations.roles import Role
from organisations.tests.factories import MembershipFactory, SchoolFactory, UserFactory
from participants.tests.factories import TeacherFactory
from reports.models import ApprovalStep, Order, OrderKind, OrderVisa
from reports.orders.documents import order_pdf
from reports.orders.docx import order_docx
from reports.orders.route import StepRow, route_save, visa_agree, visa_return
from reports.orders.selectors import orders_awaiting_approval, visas_waiting_for
from reports.orders.services import order_approve, order_draft, order_return, order_save, order_submit

pytestmark = pytest.mark.django_db

ORDER_DATE = datetime.date(2026, 10, 25)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _member(school, role, last, first, patronymic, position=""):
    user = UserFactory(last_name=last, first_name=first, patronymic=patronymic)
    MembershipFactory(user=user, organisation=school, role=role)
    if position:
        TeacherFactory(
            organisation=school, user=user, last_name=last, first_name=first, patronymic=patronymic, position=position
        )
    return user


@pytest.fixture
def school():
    return SchoolFactory(order_number_suffix="-ОД", director_name="Громов Сергей Ильич")


@pytest.fixture
def people(school):
    return {
        "director": _member(school, Role.DIRECTOR, "Громов", "Сергей", "Ильич"),
        "curator": _member(school, Role.CURATOR, "Николаева", "Ольга", "Андреевна"),
        "methodist": _member(school, Role.METHODIST, "Мамедова", "Айгюн", "Рафиковна", position="методист"),
        "deputy": _member(
            school, Role.DEPUTY_DIRECTOR, "Соколова", "Марина", "Кузьминична", position="заместитель директора по УВР"
        ),
        "accountant": _member(school, Role.ACCOUNTANT, "Белова", "Нина", "Петровна"),
    }


@pytest.fixture
def route(school, people):
    return route_save(
        organisation=school,
        steps=[
            StepRow(role=Role.METHODIST),
            StepRow(role=Role.DEPUTY_DIRECTOR),
            # The accountant's visa is needed where pay is involved: skipped for the training order.
            StepRow(role=Role.ACCOUNTANT, skip_kinds=(OrderKind.TRAINING,)),
        ],
    )


def _order(school, people, kind=OrderKind.FINAL_EVENT):
    order = order_draft(
        organisation=school, kind=kind, programme=ProgrammeFactory(organisation=school), user=people["curator"]
    )
    order_save(order=order, fields={}, points=[{"action": "Провести итоговое мероприятие программы."}])
    return order


def _statuses(order):
    return [visa.status for visa in order.visas.order_by("position")]


def _flat(text: str) -> str:
    return re.sub(r"([-/])\s+", r"\1", " ".join(text.split()))


def test_an_organisation_without_a_route_sends_orders_straight_to_the_director(school, people):
    order = order_submit(order=_order(school, people), user=people["curator"])
    assert order.status == Order.Status.SUBMITTED and not order.visas.exists()
    assert list(orders_awaiting_approval(school)) == [order]
    order = order_approve(order=order, user=people["director"], on=ORDER_DATE)
    pages = [_flat(page.extract_text()) for page in PdfReader(io.BytesIO(order_pdf(order))).pages]
    assert any("Лист ознакомления" in page for page in pages)
    assert not any("Лист согласования" in page for page in pages), "no visas, no approval sheet"
    document = Document(io.BytesIO(order_docx(order)))
    assert "Лист согласования" not in [p.text for p in document.paragraphs]


def test_an_order_walks_a_three_step_route_with_a_return_in_the_middle(school, people, route, tmp_path):
    curator, methodist, deputy, accountant, director = (
        people[k] for k in ("curator", "methodist", "deputy", "accountant", "director")
    )
    order = order_submit(order=_order(school, people), user=curator)
    assert order.status == Order.Status.VISAS
    assert _statuses(order) == ["waiting", "pending", "pending"]
    assert list(orders_awaiting_approval(school)) == []
    with pytest.raises(ValidationError, match="ещё на согласовании"):
        order_approve(order=order, user=director)
    with pytest.raises(ValidationError, match="не ваша роль"):
        visa_agree(order=order, user=deputy)

    visa_agree(order=order, user=methodist)
    assert _statuses(order) == ["agreed", "waiting", "pending"]
    turns = [visa.turn_at for visa in order.visas.order_by("position")]
    assert turns[0] <= turns[1] and turns[2] is None, "each visa knows since when it waits"
    with pytest.raises(ValidationError, match="Напишите замечание"):
        visa_return(order=order, user=deputy, comment="  ")
    visa_return(order=order, user=deputy, comment="Уточните дату итогового мероприятия.")
    order.refresh_from_db()
    assert order.status == Order.Status.RETURNED and order.number is None
    assert order.return_comment == "Уточните дату итогового мероприятия."
    assert _statuses(order) == ["pending", "returned", "pending"], "the route is reset, the return kept"
    returned = order.visas.get(position=2)
    assert returned.decided_by == deputy and returned.decided_at is not None

    # The author corrects the order and submits it again: the route starts from the first visa.
    order_save(order=order, fields={}, points=[{"action": "Провести итоговое мероприятие 20 мая."}])
    order = order_submit(order=order, user=curator)
    assert _statuses(order) == ["waiting", "pending", "pending"]
    assert [v.decided_by for v in order.visas.all()] == [None, None, None]
    for user in (methodist, deputy, accountant):
        assert [v.order for v in visas_waiting_for(user, school)] == [order]
        visa_agree(order=order, user=user)
    order.refresh_from_db()
    assert order.status == Order.Status.SUBMITTED and order.number is None, "the number is the director's"
    order = order_approve(order=order, user=director, on=ORDER_DATE)
    assert order.number_label == "1-ОД"

    # The PDF: the лист согласования on its own page after the лист ознакомления.
    content = order_pdf(order)
    pages = [_flat(page.extract_text()) for page in PdfReader(io.BytesIO(content)).pages]
    acquaintance = next(i for i, page in enumerate(pages) if "Лист ознакомления" in page)
    approval = next(i for i, page in enumerate(pages) if "Лист согласования" in page)
    assert approval > acquaintance
    sheet = pages[approval]
    assert "приказа от 25.10.2026 № 1-ОД" in sheet
    for fact in (
        "Методист Мамедова Айгюн Рафиковна Согласовано",
        "Заместитель директора по УВР Соколова Марина Кузьминична Согласовано",
        "Главный бухгалтер Белова Нина Петровна Согласовано",
    ):
        assert fact in sheet, fact
    assert sheet.index("Мамедова") < sheet.index("Соколова") < sheet.index("Белова")
    assert "Уточните дату" not in sheet, "the sheet shows the route that led to approval"
    if binary := shutil.which("pdftoppm"):
        (tmp_path / "order.pdf").write_bytes(content)
        subprocess.run(  # noqa: S603 - poppler on a file we wrote
            [binary, "-r", "60", "-png", str(tmp_path / "order.pdf"), str(tmp_path / "page")], check=True
        )
        assert len(list(tmp_path.glob("page-*.png"))) == len(pages)

    # The DOCX, opened again: the sheet after the лист ознакомления, one row per visa.
    document = Document(io.BytesIO(order_docx(order)))
    texts = [p.text for p in document.paragraphs]
    assert texts.index("Лист согласования") > texts.index("Лист ознакомления")
    table = document.tables[-1]
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows[0] == ["№", "Должность", "ФИО", "Решение", "Дата", "Замечания, подпись"]
    assert [row[2] for row in rows[1:]] == [
        "Мамедова Айгюн Рафиковна",
        "Соколова Марина Кузьминична",
        "Белова Нина Петровна",
    ]
    assert {row[3] for row in rows[1:]} == {"Согласовано"}
    assert all(row[4] == datetime.date.today().strftime("%d.%m.%Y") for row in rows[1:])
    for row in table.rows:
        assert row._tr.trPr.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}cantSplit") is not None


def test_a_step_is_skipped_for_the_order_types_it_names(school, people, route):
    order = order_submit(order=_order(school, people, kind=OrderKind.TRAINING), user=people["curator"])
    assert [visa.role for visa in order.visas.order_by("position")] == [Role.METHODIST, Role.DEPUTY_DIRECTOR]


def test_an_edit_after_a_visa_takes_the_visas_back(school, people, route):
    order = order_submit(order=_order(school, people), user=people["curator"])
    visa_agree(order=order, user=people["methodist"])
    visa_agree(order=order, user=people["deputy"])
    order.refresh_from_db()
    assert order.is_editable, "an order on visas may be corrected"
    order_save(order=order, fields={}, points=[{"action": "Провести итоговое мероприятие 20 мая."}])
    order.refresh_from_db()
    assert order.status == Order.Status.VISAS
    assert _statuses(order) == ["waiting", "pending", "pending"]
    assert not order.visas.filter(decided_by__isnull=False).exists()


def test_the_director_returns_an_order_on_visas_and_the_visas_are_taken_back(school, people, route):
    order = order_submit(order=_order(school, people), user=people["curator"])
    visa_agree(order=order, user=people["methodist"])
    order_return(order=order, comment="Не нужен этот приказ в таком виде.", user=people["director"])
    order.refresh_from_db()
    assert order.status == Order.Status.RETURNED and _statuses(order) == ["pending", "pending", "pending"]


def test_a_named_person_gives_their_visa_alone(school, people):
    other_methodist = _member(school, Role.METHODIST, "Ершова", "Анна", "Львовна")
    route_save(organisation=school, steps=[StepRow(user=people["methodist"])])
    order = order_submit(order=_order(school, people), user=people["curator"])
    with pytest.raises(ValidationError, match="не ваша роль"):
        visa_agree(order=order, user=other_methodist)
    assert list(visas_waiting_for(other_methodist, school)) == []
    visa_agree(order=order, user=people["methodist"])
    order.refresh_from_db()
    assert order.status == Order.Status.SUBMITTED


def test_route_rules_are_checked_with_russian_messages(school, people):
    mentor = _member(school, Role.MENTOR, "Кляпка", "Ольга", "Викторовна")
    with pytest.raises(ValidationError) as error:
        route_save(
            organisation=school,
            steps=[
                StepRow(),
                StepRow(role=Role.MENTOR),
                StepRow(user=mentor),
                StepRow(role=Role.METHODIST, skip_kinds=("nonsense",)),
                StepRow(role=Role.METHODIST),
            ],
        )
    assert error.value.messages == [
        "Шаг 1: выберите роль или сотрудника.",
        "Шаг 2: роль «Наставник» не согласует приказы.",
        "Шаг 3: Кляпка Ольга Викторовна не может согласовывать приказы в этой организации.",
        "Шаг 4: неизвестный вид приказа «nonsense».",
        "Шаг 5 повторяет шаг 4: один согласующий визирует приказ один раз.",
    ]
    assert not ApprovalStep.objects.filter(organisation=school).exists()


def test_a_visa_given_meanwhile_is_not_overwritten(school, people, route):
    """Two methodists see the same waiting visa; the second press finds it given (SQLite)."""
    second = _member(school, Role.METHODIST, "Ершова", "Анна", "Львовна")
    order = order_submit(order=_order(school, people), user=people["curator"])
    seen = order.visas.get(position=1).pk
    visa_agree(order=order, user=people["methodist"], visa_pk=seen)
    with pytest.raises(ValidationError, match="Эту визу уже дал Мамедова Айгюн Рафиковна"):
        visa_agree(order=order, user=second, visa_pk=seen)
    first = order.visas.get(position=1)
    assert first.decided_by == people["methodist"]
    assert _statuses(order) == ["agreed", "waiting", "pending"]


@pytest.mark.django_db(transaction=True)
def test_concurrent_visas_on_one_order_never_lose_one(school, people, route):
    """Two sessions give the same visa at once: the row lock queues the second, which then finds the
    visa given; the first person's visa stays and the route moves one step (PostgreSQL)."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises every write; the race is real only on PostgreSQL")
    second = _member(school, Role.METHODIST, "Ершова", "Анна", "Львовна")
    order = order_submit(order=_order(school, people), user=people["curator"])
    seen = order.visas.get(position=1).pk
    first_locked = threading.Event()
    results: dict[str, object] = {}

    def first_session():
        try:
            with transaction.atomic():
                visa_agree(order=order, user=people["methodist"], visa_pk=seen)
                first_locked.set()
                time.sleep(0.6)  # the second session arrives while this one holds the lock
            results["first"] = "agreed"
        except Exception as error:  # reported below
            results["first"] = error
            first_locked.set()
        finally:
            connection.close()

    def second_session():
        first_locked.wait(5)
        started = time.monotonic()
        try:
            visa_agree(order=order, user=second, visa_pk=seen)
            results["second"] = "agreed"
        except ValidationError as error:
            results["second"] = error.messages[0]
        finally:
            results["waited"] = time.monotonic() - started
            connection.close()

    threads = [threading.Thread(target=first_session), threading.Thread(target=second_session)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results["first"] == "agreed"
    assert str(results["second"]).startswith("Эту визу уже дал Мамедова Айгюн Рафиковна")
    assert results["waited"] >= 0.4, "the second session waited for the first one's lock"
    visas = list(order.visas.order_by("position"))
    assert [v.status for v in visas] == ["agreed", "waiting", "pending"]
    assert visas[0].decided_by_id == people["methodist"].pk


def test_concurrent_visas_of_the_two_steps_keep_both(school, people, route):
    """The methodist and the deputy press at once: the deputy's turn comes only after the
    methodist's visa, so the deputy gets a message, and nothing is lost."""
    order = order_submit(order=_order(school, people), user=people["curator"])
    visa_agree(order=order, user=people["methodist"])
    visa_agree(order=order, user=people["deputy"])
    assert _statuses(order) == ["agreed", "agreed", "waiting"]


# Pages.
def test_the_person_whose_turn_it_is_sees_the_buttons(client, school, people, route):
    order = order_submit(order=_order(school, people), user=people["curator"])
    url = reverse("reports:order_detail", kwargs={"org": school.slug, "pk": order.pk})
    client.force_login(people["methodist"])
    page = client.get(url).content.decode()
    assert "Согласовать" in page and "Вернуть с замечанием" in page
    assert 'data-testid="order-route"' in page and "ждёт визы" in page
    client.force_login(people["deputy"])
    page = client.get(url).content.decode()
    assert 'data-testid="visa-form"' not in page and "в очереди" in page

    client.force_login(people["methodist"])
    visa = order.visas.get(position=1)
    response = client.post(
        reverse("reports:order_visa", kwargs={"org": school.slug, "pk": order.pk}),
        {"decision": "agree", "visa": visa.pk},
    )
    assert response.status_code == 302
    client.force_login(people["deputy"])
    response = client.post(
        reverse("reports:order_visa", kwargs={"org": school.slug, "pk": order.pk}),
        {"decision": "return", "visa": order.visas.get(position=2).pk, "comment": ""},
        follow=True,
    )
    assert "Напишите замечание" in response.content.decode()
    response = client.post(
        reverse("reports:order_visa", kwargs={"org": school.slug, "pk": order.pk}),
        {"decision": "return", "visa": order.visas.get(position=2).pk, "comment": "Нет даты."},
        follow=True,
    )
    page = response.content.decode()
    assert "возвращён на доработку" in page and "Нет даты." in page
    assert "Соколова Марина Кузьминична" in page


def test_the_accountant_reads_the_order_but_does_not_draft(client, school, people, route):
    order = order_submit(order=_order(school, people), user=people["curator"])
    client.force_login(people["accountant"])
    page = client.get(reverse("reports:order_detail", kwargs={"org": school.slug, "pk": order.pk})).content.decode()
    assert "Редактировать" not in page and "Журнал приказов" not in page
    assert client.get(reverse("reports:order_list", kwargs={"org": school.slug})).status_code == 403


def test_the_director_sets_the_route_on_its_page(client, school, people):
    client.force_login(people["director"])
    url = reverse("reports:order_route", kwargs={"org": school.slug})
    page = client.get(url).content.decode()
    assert "Маршрут согласования приказов" in page and "Главный бухгалтер" in page
    data = {
        "steps-TOTAL_FORMS": "3",
        "steps-INITIAL_FORMS": "0",
        "steps-0-position": "2",
        "steps-0-role": Role.DEPUTY_DIRECTOR,
        "steps-1-position": "1",
        "steps-1-user": str(people["methodist"].pk),
        "steps-2-position": "3",
        "steps-2-role": Role.ACCOUNTANT,
        "steps-2-skip_kinds": [OrderKind.PAIRS, OrderKind.PLANS],
    }
    response = client.post(url, data, follow=True)
    assert "Маршрут согласования сохранён" in response.content.decode()
    steps = list(ApprovalStep.objects.filter(organisation=school).order_by("position"))
    assert [(s.role, s.user_id) for s in steps] == [
        ("", people["methodist"].pk),
        (Role.DEPUTY_DIRECTOR, None),
        (Role.ACCOUNTANT, None),
    ]
    assert steps[2].skip_kinds == sorted([OrderKind.PAIRS, OrderKind.PLANS])
    # A wrong step: the page says what and where, nothing is saved.
    bad = {"steps-TOTAL_FORMS": "1", "steps-INITIAL_FORMS": "0", "steps-0-role": Role.METHODIST}
    bad["steps-0-user"] = str(people["deputy"].pk)
    page = client.post(url, bad).content.decode()
    assert "Шаг 1: укажите либо роль, либо сотрудника" in page
    assert ApprovalStep.objects.filter(organisation=school).count() == 3


def test_visas_waiting_list_stays_flat_in_queries(client, school, people, route, django_assert_max_num_queries):
    client.force_login(people["methodist"])
    url = reverse("reports:order_visas", kwargs={"org": school.slug})
    page = client.get(url).content.decode()
    assert "Всё сделано" in page
    orders = [order_submit(order=_order(school, people), user=people["curator"]) for _ in range(2)]
    with django_assert_max_num_queries(14) as small:
        client.get(url)
    orders += [order_submit(order=_order(school, people), user=people["curator"]) for _ in range(6)]
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = client.get(url).content.decode()
    assert page.count("О проведении итогового мероприятия") >= len(orders)


def test_visas_of_another_school_are_not_listed(school, people, route):
    order_submit(order=_order(school, people), user=people["curator"])
    other = SchoolFactory()
    assert list(visas_waiting_for(people["methodist"], other)) == []
    assert OrderVisa.objects.filter(organisation=school).count() == 3


def test_demo_orders_go_through_the_route(demo):
    steps = list(demo.approval_steps.order_by("position"))
    assert [s.role for s in steps] == [Role.METHODIST, Role.DEPUTY_DIRECTOR, Role.ACCOUNTANT]
    assert not steps[2].applies_to(OrderKind.FINAL_EVENT) and steps[2].applies_to(OrderKind.MENTORING_PAY)
    pay = demo.orders.get(kind=OrderKind.MENTORING_PAY)
    assert pay.status == Order.Status.APPROVED
    assert [v.role for v in pay.visas.filter(status="agreed").order_by("position")] == [
        Role.METHODIST,
        Role.DEPUTY_DIRECTOR,
        Role.ACCOUNTANT,
    ]
    on_visas = demo.orders.filter(status=Order.Status.VISAS)
    assert on_visas.exists(), "an order waits on a visa"
    done = demo.orders.get(kind=OrderKind.FINAL_EVENT)
    assert done.status == Order.Status.SUBMITTED
    assert [v.status for v in done.visas.order_by("position")] == ["agreed", "agreed"]
    # The «Лист согласования» of an approved order never dates a visa after the order.
    for order in demo.orders.filter(status=Order.Status.APPROVED, visas__isnull=False).distinct():
        for visa in order.visas.all():
            assert timezone.localdate(visa.decided_at) <= order.approved_on, (order.title, visa.decided_at)


def test_the_route_tells_each_step_its_turn_and_the_author_a_return(school, people, route):
    from organisations.notifications.models import Notification

    def texts(user, kind="orders.awaiting"):
        return list(Notification.objects.filter(recipient=user, kind=kind).values_list("text", flat=True))

    order = order_submit(order=_order(school, people), user=people["curator"])
    assert texts(people["methodist"]) == [f"Приказ «{order.title}» ждёт вашей визы."]
    assert texts(people["deputy"]) == [] and texts(people["director"]) == []
    visa_agree(order=order, user=people["methodist"])
    assert texts(people["deputy"]) == [f"Приказ «{order.title}» ждёт вашей визы."]
    visa_return(order=order, user=people["deputy"], comment="Нет даты.")
    assert len(texts(people["curator"], "orders.returned")) == 1
    order = order_submit(order=order, user=people["curator"])
    assert len(texts(people["methodist"])) == 2, "a new submission is a new turn"
    for key in ("methodist", "deputy", "accountant"):
        visa_agree(order=order, user=people[key])
    assert texts(people["director"]) == [f"Приказ «{order.title}» ждёт вашей подписи."]


def test_the_home_page_lists_the_visas_waiting_for_each_person(client, school, people, route):
    order = order_submit(order=_order(school, people), user=people["curator"])

    def visas_section(user):
        client.force_login(user)
        response = client.get(reverse("reports:dashboard", kwargs={"org": school.slug}))
        assert response.status_code == 200
        return {filled.section.key: filled for filled in response.context["home"]}.get("visas")

    section = visas_section(people["methodist"])
    (item,) = section.items
    assert item.count == 1 and item.text == "Приказы ждут вашей визы"
    assert item.url == reverse("reports:order_visas", kwargs={"org": school.slug})
    assert item.rows[0].url == reverse("reports:order_detail", kwargs={"org": school.slug, "pk": order.pk})
    assert "автор: Николаева Ольга Андреевна" in item.rows[0].note
    assert not visas_section(people["deputy"]).items, "not the deputy's turn yet"

    visa_agree(order=order, user=people["methodist"])
    assert not visas_section(people["methodist"]).items
    assert visas_section(people["deputy"]).items[0].count == 1
    body = client.get(reverse("reports:dashboard", kwargs={"org": school.slug})).content.decode()
    assert "Визы, ожидающие вас" in body
