"""A whole school year, end to end, as a curator lives it (issue «The journey»).

One browser test through the UI only: the programme and its roadmap, the implementation order;
the class and staff lists, consents, printed consent forms; the bases, the register order,
questionnaires answered on a phone; matching, the pairs order; a plan and a meeting; exit
questionnaires, «Завершение», the encouragement order, the analytical report and registers.
The starting state (the school, its users, the reference data) comes from factories.
"""

import datetime
import io
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.utils import timezone
from docx import Document
from openpyxl import Workbook, load_workbook
from playwright.sync_api import expect
from pypdf import PdfReader

from mentorship.models import Programme
from organisations.school_year import current_school_year
from organisations.tests.factories import TEST_PASSWORD, MembershipFactory, SchoolFactory
from reports.models import Order

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCHOOL = "school-1"
PHONE = {"width": 390, "height": 844}
CURATOR = "Николаева Ольга Андреевна"


@pytest.fixture
def school(reference_data, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"  # uploaded lists stay out of var/media
    return make_school()


def make_school():
    school = SchoolFactory(
        slug=SCHOOL,
        short_name="МБОУ СОШ № 1",
        full_name="Муниципальное бюджетное общеобразовательное учреждение «Средняя общеобразовательная школа № 1»",
        director_name="Кляпка Ольга Викторовна",
        order_number_suffix="-ОД",
    )
    MembershipFactory(organisation=school, role="curator", user__username="curator")
    MembershipFactory(
        organisation=school,
        role="director",
        user__username="director",
        user__last_name="Кляпка",
        user__first_name="Ольга",
        user__patronymic="Викторовна",
    )
    MembershipFactory(
        organisation=school,
        role="methodist",
        user__username="methodist",
        user__last_name="Сидорова",
        user__first_name="Анна",
        user__patronymic="Петровна",
    )
    # A mentor with an account: the curator links it to the teacher's record once the staff list is in.
    MembershipFactory(
        organisation=school,
        role="mentor",
        user__username="mentor",
        user__last_name="Яковенко",
        user__first_name="Оксана",
        user__patronymic="Николаевна",
    )
    return school


@dataclass
class Journey:
    """What the steps share: the desktop page, the browser for a phone, where files go."""

    page: object
    chromium: object
    screenshots: Path
    tmp_path: Path
    shot_number: int = 0

    @property
    def base(self) -> str:
        return self.page.live_server_url

    def url(self, path: str = "") -> str:
        return f"{self.base}/o/{SCHOOL}/{path}"

    def shot(self, name: str, page=None) -> None:
        """A screenshot of the page passed (journey-NN-name.png); the page must not scroll sideways."""
        page = page or self.page
        self.shot_number += 1
        page.screenshot(path=self.screenshots / f"journey-{self.shot_number:02d}-{name}.png", full_page=True)
        widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[1], f"{name}: the page is {widths[0]}px wide on a {widths[1]}px screen"

    def log_in(self, username: str) -> None:
        page = self.page
        page.context.clear_cookies()
        page.goto(self.base + "/")
        page.get_by_label("Имя пользователя").fill(username)
        page.get_by_label("Пароль").fill(TEST_PASSWORD)
        page.get_by_role("button", name="Войти").click()
        page.wait_for_url(f"**/o/{SCHOOL}/")

    def menu(self, menu: str, item: str) -> None:
        """An item of a drop-down of the main menu."""
        nav = self.page.locator("#main-nav")
        nav.get_by_role("button", name=menu).click()
        nav.get_by_role("link", name=item, exact=True).click()

    def nav(self, name: str) -> None:
        self.page.locator("#main-nav").get_by_role("link", name=name, exact=True).click()

    def alert(self, text: str):
        return self.page.get_by_role("alert").filter(has_text=text)

    def fetch(self, href: str):
        """A file the way its link gives it, with the session (Chromium shows PDFs inline)."""
        response = self.page.request.get(href if href.startswith("http") else self.base + href)
        assert response.ok, f"{href}: {response.status}"
        return response


def pdf_text(data: bytes) -> str:
    assert data.startswith(b"%PDF-")
    text = "\n".join((page.extract_text() or "") for page in PdfReader(io.BytesIO(data)).pages)
    return " ".join(text.split())


# --- 1. The programme, the roadmap and the implementation order ----------------------------


def create_programme(j: Journey) -> None:
    page = j.page
    year = current_school_year()
    j.menu("Программа", "Программы и этапы")
    expect(page.get_by_text("Программ пока нет.")).to_be_visible()
    page.get_by_role("link", name="Программа для обучающихся").click()
    expect(page.get_by_role("heading", name="Новая программа для обучающихся")).to_be_visible()
    expect(page.get_by_label("Учебный год")).to_have_value(str(year))
    page.get_by_label("Название").fill("Шаг вперёд")
    page.get_by_label("Окончание").fill(f"{year + 1}-08-31")  # through the summer: the test runs in any month
    page.get_by_label("учитель – ученик", exact=True).check()
    page.get_by_label("учитель – ученик: мастер – ученик").check()
    page.get_by_role("button", name="Сохранить").click()
    page.wait_for_url(re.compile(r"/programme/\d+/$"))
    expect(j.alert("Программа «Шаг вперёд» сохранена.")).to_be_visible()
    expect(page.get_by_text("Куратор: не назначен")).to_be_visible()
    j.shot("programme")


def create_roadmap(j: Journey) -> None:
    page = j.page
    year = current_school_year()
    j.nav("Дорожная карта")
    page.get_by_role("link", name="Создать дорожную карту").click()
    page.get_by_label("Типовая дорожная карта ЦМН").check()
    page.get_by_role("button", name="Создать").click()
    page.wait_for_url(re.compile(r"/roadmap/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Дорожная карта внедрения целевой модели наставничества на {year}/{year + 1} учебный год"
    )
    expect(page.get_by_test_id("roadmap-section")).to_have_count(7)
    j.shot("roadmap")


def draft_order(j: Journey, kind_label: str) -> None:
    page = j.page
    j.nav("Приказы")
    page.get_by_role("link", name="Новый приказ").click()
    page.get_by_label("Вид приказа").select_option(label=kind_label)
    expect(page.get_by_label("Программа")).not_to_have_value("")
    page.get_by_role("button", name="Составить проект").click()
    page.wait_for_url(re.compile(r"/orders/\d+/edit/$"))


def submit_order(j: Journey) -> str:
    """Saves the open draft and hands it to the director; returns the order's page."""
    page = j.page
    page.get_by_role("button", name="Сохранить и передать на утверждение").click()
    page.wait_for_url(re.compile(r"/orders/\d+/$"))
    expect(page.get_by_test_id("order-actions")).to_contain_text("Его утвердит руководитель")
    return page.url


def approve_order(j: Journey, order_url: str) -> None:
    """The director logs in and approves the submitted order (numbered from the school's register)."""
    page = j.page
    j.log_in("director")
    j.nav("Приказы")
    expect(page.get_by_test_id("orders-waiting")).to_contain_text("Ждут вашего утверждения: 1 приказ.")
    page.goto(order_url)
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Утвердить").click()
    expect(j.alert("Приказ утверждён и зарегистрирован")).to_be_visible()


def implementation_order(j: Journey) -> None:
    page = j.page
    draft_order(j, "О внедрении целевой модели наставничества и назначении куратора")
    expect(page.get_by_label("Куратор")).to_have_value(re.compile(r"\d+"))
    preview = page.get_by_test_id("order-preview")
    expect(preview).to_contain_text("Назначить Николаеву Ольгу Андреевну куратором")
    j.shot("implementation-order-draft")
    order_url = submit_order(j)
    approve_order(j, order_url)
    expect(page.get_by_role("heading", level=1).locator("..")).to_contain_text("№ 1-ОД")
    j.shot("implementation-order-approved")

    pdf = pdf_text(
        j.fetch(page.get_by_test_id("order-downloads").get_by_role("link", name="PDF").get_attribute("href")).body()
    )
    assert "ПРИКАЗ" in pdf and "№ 1-ОД" in pdf
    assert "Назначить Николаеву Ольгу Андреевну куратором" in pdf, pdf
    assert "Положение о наставничестве" in pdf

    order = Order.objects.get(kind="implementation")
    assert (order.status, order.number_label) == (Order.Status.APPROVED, "1-ОД")
    programme = Programme.objects.get(title="Шаг вперёд")
    assert programme.curator.username == "curator"
    page.goto(j.url(f"programme/{programme.pk}/"))
    expect(page.get_by_text(f"Куратор: {CURATOR}")).to_be_visible()


# --- 2. Lists, consents and the printed consent forms ---------------------------------------

# Class 7А: two mentees-to-be (13 years old, their parents sign) and a classmate without a consent.
STUDENTS = (
    ("Соколов Матвей Алексеевич", "М", "Соколова", "Елена", "Викторовна", "Ж"),
    ("Фёдорова Софья Дмитриевна", "Ж", "Фёдоров", "Дмитрий", "Олегович", "М"),
    ("Королёв Артём Игоревич", "М", None, None, None, None),
)
# Two mentors-to-be and a young colleague who has not signed yet.
TEACHERS = (
    ("Яковенко", "Оксана", "Николаевна", "учитель математики", "математика", 12),
    ("Иванов", "Сергей", "Петрович", "учитель физики", "физика, астрономия", 5),
    ("Гусейнов", "Али", "Рашид оглы", "учитель информатики", "информатика", "1 год"),
)
MENTEES = ("Соколов Матвей Алексеевич", "Фёдорова Софья Дмитриевна")
MENTORS = ("Яковенко Оксана Николаевна", "Иванов Сергей Петрович")


def thirteen_years_ago(extra_days: int) -> datetime.date:
    # 13 years and a few months old on any day the test runs: the parent signs alone.
    return timezone.localdate() - datetime.timedelta(days=round(13.25 * 365.25) + extra_days)


def write_lists(j: Journey) -> tuple[Path, Path]:
    """The two files as a school exports them: a title row above the class list, three name columns for staff."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "7А"
    sheet.append(
        [f"Список обучающихся 7 «А» класса на {current_school_year()}/{current_school_year() + 1} учебный год"]
    )
    sheet.append(["№ п/п", "Ф.И.О.", "Класс", "Дата рождения", "Пол"])
    for number, (name, gender, *_parent) in enumerate(STUDENTS, start=1):
        sheet.append([number, name, "7 А", thirteen_years_ago(number * 20).strftime("%d.%m.%Y"), gender])
    class_list = j.tmp_path / "7А.xlsx"
    workbook.save(class_list)

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Педагоги"
    sheet.append(["Фамилия", "Имя", "Отчество", "Дата рождения", "Должность", "Предмет(ы)", "Стаж"])
    for number, (last, first, patronymic, position, subjects, experience) in enumerate(TEACHERS):
        sheet.append([last, first, patronymic, f"0{number + 1}.03.{1985 + number * 7}", position, subjects, experience])
    staff_list = j.tmp_path / "Педагоги.xlsx"
    workbook.save(staff_list)
    return class_list, staff_list


def import_list(j: Journey, path: Path, added: str, shot: str) -> None:
    page = j.page
    j.menu("Участники", "Загрузка списков")
    page.get_by_label("Файл со списком").set_input_files(path)
    page.get_by_role("button", name="Проверить файл").click()
    page.wait_for_url(re.compile(r"/people/import/\d+/$"))
    expect(page.get_by_test_id("import-counts")).to_contain_text("Ошибки")
    expect(page.get_by_role("heading", name=f"Будут добавлены: {added}")).to_be_visible()
    j.shot(shot)
    page.get_by_role("button", name="Загрузить").click()
    page.wait_for_url(j.url("people/"))
    expect(j.alert(f"Список «{path.name}» загружен: добавлено {added}.")).to_be_visible()


def open_person(j: Journey, full_name: str) -> None:
    page = j.page
    page.goto(j.url("people/"))
    page.get_by_label("Поиск по ФИО").fill(full_name)
    page.get_by_role("button", name="Найти").click()
    page.wait_for_url(re.compile(r"\?.*q="))
    page.get_by_role("link", name=full_name, exact=True).click()
    expect(page.get_by_role("heading", level=1, name=full_name)).to_be_visible()


def add_parent(j: Journey, child: str, last: str, first: str, patronymic: str, gender: str) -> None:
    page = j.page
    open_person(j, child)
    page.get_by_role("link", name="Добавить законного представителя").click()
    expect(page.get_by_label("Фамилия")).to_have_value(child.split()[0])  # the child's surname to start from
    page.get_by_label("Фамилия").fill(last)
    page.get_by_label("Имя").fill(first)
    page.get_by_label("Отчество").fill(patronymic)
    page.get_by_label("Пол").select_option(label="женский" if gender == "Ж" else "мужской")
    page.get_by_role("button", name="Сохранить").click()
    expect(j.alert(f"{last} {first} {patronymic} — законный представитель {child}.")).to_be_visible()


def record_consent(j: Journey, full_name: str, parent: str | None = None) -> None:
    page = j.page
    open_person(j, full_name)
    consents = page.get_by_test_id("person-consents")
    consents.get_by_role("link", name="Добавить согласие").click()
    page.get_by_label("Цель согласия").select_option(label="участие в программе наставничества")
    if parent:
        expect(
            page.get_by_text("Участник несовершеннолетний: согласие подписывает законный представитель.")
        ).to_be_visible()
        page.get_by_label("Законный представитель").select_option(label=parent)
        expect(page.get_by_label("Подписано самим субъектом")).not_to_be_checked()  # 13: the parent alone
    else:
        expect(page.get_by_label("Подписано самим субъектом")).to_be_checked()
    page.get_by_role("button", name="Внести согласие").click()
    page.wait_for_url(re.compile(r"/people/\d+/#consents$"))
    row = consents.get_by_role("row").filter(has_text="участие в программе наставничества")
    expect(row.get_by_text("действует")).to_be_visible()
    if parent:
        last, first, patronymic = parent.split()
        expect(row).to_contain_text(f"законный представитель {last} {first[0]}.{patronymic[0]}.")


def print_class_consent_forms(j: Journey) -> None:
    page = j.page
    j.menu("Участники", "Согласия на обработку данных")
    expect(page.get_by_test_id("consent-coverage")).to_contain_text("4 из 6 участников")
    j.shot("consents")
    form = page.get_by_test_id("print-class")
    form.get_by_label("Класс").select_option("7")
    form.get_by_label("Литера").select_option("А")
    with page.expect_response(re.compile(r"/consent-forms/class/")) as response_info:
        form.get_by_role("button", name="Напечатать").click()
    response = response_info.value
    assert response.headers["content-type"] == "application/pdf"
    text = pdf_text(j.fetch(response.url).body())
    for name, *_rest in STUDENTS:
        assert name in text, name
    assert "Соколова Елена Викторовна" in text  # the parent who signs is printed on the child's form
    page.go_back()  # from the browser's PDF viewer
    expect(page.get_by_test_id("consent-coverage")).to_be_visible()


def lists_and_consents(j: Journey) -> None:
    class_list, staff_list = write_lists(j)
    import_list(j, class_list, "3 человека", "import-class-list")
    import_list(j, staff_list, "3 человека", "import-staff-list")
    j.shot("people")
    for child, _gender, last, first, patronymic, gender in STUDENTS:
        if last:
            add_parent(j, child, last, first, patronymic, gender)
            record_consent(j, child, parent=f"{last} {first} {patronymic}")
    j.shot("person-consent")
    for name in MENTORS:
        record_consent(j, name)
    print_class_consent_forms(j)


# --- 3. Bases, the register order, questionnaires answered on a phone ----------------------

# What each one answers: the subject that is hard / the area of experience.
NEEDS = {"Соколов Матвей Алексеевич": "физика", "Фёдорова Софья Дмитриевна": "математика, дроби"}
COMPETENCIES = {"Яковенко Оксана Николаевна": "математика, олимпиады", "Иванов Сергей Петрович": "физика, проекты"}


def add_to_bases(j: Journey) -> None:
    page = j.page
    j.menu("Участники", "Все участники")
    for name in MENTEES:
        page.get_by_role("checkbox", name=f"Выбрать: {name}").check()
    page.get_by_role("button", name="Выбранных — в базу наставляемых").click()
    expect(j.alert("В базу наставляемых добавлено: 2 человека.")).to_be_visible()
    for name in MENTORS:
        page.get_by_role("checkbox", name=f"Выбрать: {name}").check()
    page.get_by_role("button", name="Выбранных — в базу наставников").click()
    expect(j.alert("В базу наставников добавлено: 2 человека.")).to_be_visible()

    # Matching takes mentees included in the base, not candidates.
    j.menu("Участники", "База наставляемых")
    for name in MENTEES:
        row = page.get_by_role("row").filter(has_text=name)
        row.get_by_role("button", name="Включить в базу").click()
        expect(page.get_by_role("row").filter(has_text=name)).to_contain_text("включён в базу")
    j.shot("mentee-base")


def register_order(j: Journey) -> None:
    page = j.page
    j.menu("Участники", "База наставников")
    for name in MENTORS:
        expect(page.get_by_role("row").filter(has_text=name)).to_contain_text("кандидат")
    draft_order(j, "Об утверждении реестра наставников")
    for name in MENTORS:
        expect(page.get_by_label(name)).to_be_checked()
    expect(page.get_by_test_id("order-preview")).to_contain_text("Яковенко Оксана Николаевна")
    order_url = submit_order(j)
    approve_order(j, order_url)
    expect(page.get_by_role("heading", level=1).locator("..")).to_contain_text("№ 2-ОД")

    j.log_in("curator")
    j.menu("Участники", "Реестр наставников")
    register = page.get_by_test_id("register-table")
    for name in MENTORS:
        expect(register.get_by_role("row").filter(has_text=name)).to_contain_text("утверждён")
    j.shot("mentor-register")


def send_questionnaire(j: Journey, title: str, base: str, names, shot: str) -> dict[str, str]:
    """Sends the questionnaire to a base; returns the personal links the page shows once."""
    page = j.page
    j.menu("Участники", "Анкеты")
    row = page.get_by_role("row").filter(has_text=title)
    row.get_by_role("link", name="Разослать").click()
    expect(page.get_by_role("heading", name=f"Рассылка анкеты «{title}»")).to_be_visible()
    page.get_by_label(base).check()
    page.get_by_role("button", name="Создать ссылки").click()
    expect(page.get_by_text("Скопируйте ссылки сейчас")).to_be_visible()
    j.shot(shot)
    links = {}
    for name in names:
        link = page.get_by_role("row").filter(has_text=name).locator("code").inner_text().strip()
        assert link.startswith("http") and "/q/" in link, link
        links[name] = link
    return links


def on_phone(j: Journey, url: str, answer, shot: str) -> None:
    """Opens a personal link in a fresh phone-sized browser (no session) and answers."""
    context = j.chromium.new_context(viewport=PHONE, locale="ru-RU", is_mobile=True)
    context.set_default_timeout(15_000)
    phone = context.new_page()
    try:
        phone.goto(url)
        answer(phone)
        j.shot(shot, page=phone)
        phone.get_by_role("button", name="Отправить ответы").click()
        expect(phone.get_by_role("heading", name="Спасибо за ответы!")).to_be_visible()
    finally:
        context.close()


def question(phone, text: str):
    return phone.get_by_role("group", name=re.compile(re.escape(text)))


def answer_needs(hard_subject: str):
    def answer(phone):
        expect(phone.get_by_role("heading", name="Что мне нужно от наставника (для обучающегося)")).to_be_visible()
        question(phone, "С чем вам нужна помощь?").get_by_label("с учёбой по отдельным предметам").check()
        phone.get_by_label("Какой предмет или тема даётся вам труднее всего?").fill(hard_subject)
        question(phone, "Насколько вам сейчас интересно учиться?").get_by_label("5", exact=True).check()
        question(phone, "Насколько уверенно вы чувствуете себя в школе?").get_by_label("6", exact=True).check()
        question(phone, "Кто мог бы стать вашим наставником?").get_by_label("учитель").check()

    return answer


def answer_useful(areas: str):
    def answer(phone):
        expect(phone.get_by_role("heading", name="Чем я могу быть полезен в качестве наставника?")).to_be_visible()
        phone.get_by_label("В каких областях вы готовы делиться опытом?").fill(areas)
        question(phone, "С кем вам было бы интереснее работать?").get_by_label(
            "с обучающимися, которым трудно учиться"
        ).check()
        question(phone, "Сколько времени в неделю").get_by_label("1–2 часа").check()
        question(phone, "Был ли у вас опыт наставничества?").get_by_label("Да", exact=True).check()
        question(phone, "Насколько вы уверены в своих силах как наставник?").get_by_label("7", exact=True).check()

    return answer


def bases_register_questionnaires(j: Journey) -> None:
    add_to_bases(j)
    register_order(j)
    needs = send_questionnaire(
        j, "Что мне нужно от наставника (для обучающегося)", "база наставляемых", MENTEES, "needs-links"
    )
    useful = send_questionnaire(
        j, "Чем я могу быть полезен в качестве наставника?", "база наставников", MENTORS, "useful-links"
    )
    for number, (name, link) in enumerate(needs.items(), start=1):
        on_phone(j, link, answer_needs(NEEDS[name]), f"needs-answer-phone-{number}")
    for number, (name, link) in enumerate(useful.items(), start=1):
        on_phone(j, link, answer_useful(COMPETENCIES[name]), f"useful-answer-phone-{number}")
    j.menu("Участники", "Анкеты")
    for title in ("Что мне нужно от наставника (для обучающегося)", "Чем я могу быть полезен в качестве наставника?"):
        expect(j.page.get_by_role("row").filter(has_text=title)).to_contain_text("2 из 2")
    # The answers went to the profiles that matching reads.
    j.menu("Участники", "База наставляемых")
    for name, subject in NEEDS.items():
        expect(j.page.get_by_role("row").filter(has_text=name)).to_contain_text(subject)


# --- 4. Matching, the pairs order, active pairs ----------------------------------------------

# What matching proposes from the questionnaires: the mentor's subject meets the mentee's difficulty.
PAIRS = {
    "Иванов Сергей Петрович": "Соколов Матвей Алексеевич",
    "Яковенко Оксана Николаевна": "Фёдорова Софья Дмитриевна",
}


def programme_page(j: Journey) -> None:
    j.menu("Программа", "Программы и этапы")
    j.page.get_by_role("link", name="Шаг вперёд").click()
    expect(j.page.get_by_role("heading", level=1, name="Шаг вперёд")).to_be_visible()


def suggestion(j: Journey, mentor: str, mentee: str):
    return j.page.get_by_test_id("suggestions").get_by_role("row").filter(has_text=mentor).filter(has_text=mentee)


def matching(j: Journey) -> None:
    page = j.page
    programme_page(j)
    page.get_by_role("link", name="Подбор пар").click()
    expect(page.get_by_label("Форма наставничества")).to_have_value(re.compile(r"\d+"))
    expect(page.get_by_text("Наставляемых без пары: 2; наставников: 2")).to_be_visible()
    for mentor, mentee in PAIRS.items():
        expect(suggestion(j, mentor, mentee)).to_be_visible()
    expect(suggestion(j, "Иванов Сергей Петрович", "Соколов Матвей Алексеевич")).to_contain_text("совпадает: физика")

    # The curator knows these two already work well together: the pair is pinned by hand.
    suggestion(j, "Яковенко Оксана Николаевна", "Фёдорова Софья Дмитриевна").get_by_role(
        "button", name="Закрепить"
    ).click()
    expect(j.alert("Пара Яковенко О.Н. — Фёдорова С.Д. закреплена.")).to_be_visible()
    expect(suggestion(j, "Яковенко Оксана Николаевна", "Фёдорова Софья Дмитриевна")).to_contain_text("закреплено")
    expect(page.get_by_test_id("decisions")).to_contain_text("Яковенко О.Н. — Фёдорова С.Д.")
    j.shot("matching")

    page.get_by_role("button", name="Принять отмеченные").click()
    page.wait_for_url(re.compile(r"/programme/pairs/\?programme=\d+&status=draft$"))
    expect(j.alert("Созданы черновики пар и групп: 2.")).to_be_visible()
    table = page.get_by_test_id("pair-table")
    for mentor, mentee in PAIRS.items():
        expect(table.get_by_role("row").filter(has_text=mentor)).to_contain_text(mentee)
        expect(table.get_by_role("row").filter(has_text=mentor)).to_contain_text("черновик")


def employee_consents(j: Journey) -> None:
    """Both mentors are teachers: their written consents (ст. 351.8 ТК РФ), printed and signed, are
    uploaded as scans before the pairs order can be approved."""
    page = j.page
    scan = j.tmp_path / "согласие.pdf"
    scan.write_bytes(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")
    j.menu("Программа", "Наставники-работники")
    expect(page.get_by_role("status").filter(has_text="Нет письменного согласия")).to_contain_text("2 наставничества")
    table = page.get_by_test_id("employee-table")
    for mentor in PAIRS:
        row = table.get_by_role("row").filter(has_text=mentor)
        row.get_by_label("Скан подписанного согласия").set_input_files(scan)
        row.get_by_role("button", name="Внести согласие").click()
        expect(j.alert("внесено")).to_be_visible()
        expect(table.get_by_role("row").filter(has_text=mentor)).to_contain_text("подписано")
    j.shot("employee-consents")


def pairs_order(j: Journey) -> None:
    page = j.page
    employee_consents(j)
    draft_order(j, "О закреплении наставнических пар (групп)")
    pairs = page.get_by_test_id("order-pairs")
    expect(pairs.get_by_role("checkbox")).to_have_count(2)
    for checkbox in pairs.get_by_role("checkbox").all():
        expect(checkbox).to_be_checked()
    preview = page.get_by_test_id("order-preview")
    for mentor, mentee in PAIRS.items():
        expect(preview).to_contain_text(mentor)
        expect(preview).to_contain_text(mentee)
    j.shot("pairs-order-draft")
    order_url = submit_order(j)
    approve_order(j, order_url)
    expect(page.get_by_role("heading", level=1).locator("..")).to_contain_text("№ 3-ОД")

    j.log_in("curator")
    j.menu("Программа", "Пары и группы")
    table = page.get_by_test_id("pair-table")
    for mentor, mentee in PAIRS.items():
        row = table.get_by_role("row").filter(has_text=mentor)
        expect(row).to_contain_text(mentee)
        expect(row).to_contain_text("работает")
    j.shot("pairs")


# --- 5. A plan by the methodist, a meeting by the mentor ------------------------------------

MENTOR_WITH_ACCOUNT = "Яковенко Оксана Николаевна"


def link_mentor_account(j: Journey) -> None:
    """The curator links the mentor's login to her record: «Мои пары» then shows her pair."""
    page = j.page
    open_person(j, MENTOR_WITH_ACCOUNT)
    page.get_by_role("link", name="Изменить").first.click()  # the card's own; the bases' rows have theirs
    page.get_by_label("Учётная запись").select_option(label=f"{MENTOR_WITH_ACCOUNT} (mentor)")
    page.get_by_role("button", name="Сохранить").click()
    expect(page.get_by_role("heading", level=1, name=MENTOR_WITH_ACCOUNT)).to_be_visible()
    expect(page.locator("dl")).to_contain_text("mentor")


def fill_plan(j: Journey) -> None:
    page = j.page
    today = timezone.localdate()
    j.log_in("methodist")
    j.menu("Программа", "Индивидуальные планы")
    row = page.get_by_role("row").filter(has_text=MENTOR_WITH_ACCOUNT)
    expect(row).to_contain_text("не составлен")
    row.get_by_role("link", name="Открыть").click()
    expect(page.get_by_role("heading", name="Индивидуальный план")).to_be_visible()
    page.get_by_label("Цели").fill("Уверенно решать задачи на дроби и проценты.")
    page.get_by_label("Задачи").fill("Разобрать пробелы по теме «Дроби», подготовиться к контрольной работе.")
    items = (
        ("Встреча-знакомство, диагностика пробелов", today, "беседа", "Список тем для повторения", True),
        (
            "Занятия по теме «Дроби»",
            today + datetime.timedelta(days=30),
            "практикум",
            "Контрольная на «4» и выше",
            False,
        ),
    )
    for number, (activity, due_on, work_form, result, done) in enumerate(items, start=1):
        page.get_by_label(f"Мероприятие, строка {number}").fill(activity)
        page.get_by_label(f"Срок, строка {number}").fill(due_on.isoformat())
        page.get_by_label(f"Форма работы, строка {number}").fill(work_form)
        page.get_by_label(f"Ожидаемый результат, строка {number}").fill(result)
        if done:
            page.get_by_label(f"Выполнено, строка {number}").check()
    page.get_by_role("button", name="Сохранить").click()
    expect(page.get_by_test_id("fulfilment")).to_contain_text("Выполнено 1 из 2: 50 %.")
    j.shot("plan")
    j.menu("Программа", "Индивидуальные планы")
    expect(page.get_by_role("row").filter(has_text=MENTOR_WITH_ACCOUNT)).to_contain_text("50")


def log_meeting(j: Journey) -> None:
    page = j.page
    j.log_in("mentor")
    j.menu("Программа", "Мои пары")
    card = page.get_by_test_id("my-pair")
    expect(card).to_have_count(1)
    expect(card).to_contain_text("Фёдорова Софья Дмитриевна (7А)")
    expect(card).to_contain_text("встреч ещё не было")
    expect(card).to_contain_text("выполнено 1 из 2 (50 %)")
    card.get_by_role("link", name="Внести встречу").click()
    page.get_by_label("Вид встречи").select_option(label="встреча-знакомство")
    page.get_by_label("Время").fill("14:30")
    page.get_by_label("Тема").fill("Знакомство, что даётся труднее всего")
    expect(page.get_by_label("Фёдорова Софья Дмитриевна")).to_be_checked()
    page.get_by_label("Полезность по оценке наставляемого (1–10)").fill("9")
    page.get_by_role("button", name="Сохранить").click()
    page.wait_for_url(re.compile(r"/meetings/$"))
    expect(page.get_by_role("row").filter(has_text="встреча-знакомство")).to_contain_text(
        "Знакомство, что даётся труднее всего"
    )
    j.shot("meetings")
    j.menu("Программа", "Мои пары")
    expect(page.get_by_test_id("my-pair")).to_contain_text(f"Последняя встреча: {timezone.localdate():%d.%m.%Y}")


def plan_and_meeting(j: Journey) -> None:
    link_mentor_account(j)
    fill_plan(j)
    log_meeting(j)


# --- 6. Exit questionnaires, «Завершение», the encouragement order, reports and registers ----

STAGES = (
    "Формирование базы наставляемых",
    "Формирование базы наставников",
    "Отбор и обучение наставников",
    "Формирование пар и групп",
    "Организация работы пар и групп",
    "Завершение программы",
)


def answer_scales(title: str, scales: dict[str, str], yes: tuple[str, ...], texts: dict[str, str]):
    def answer(phone):
        expect(phone.get_by_role("heading", name=title)).to_be_visible()
        for text, value in scales.items():
            question(phone, text).get_by_label(value, exact=True).check()
        for text in yes:
            question(phone, text).get_by_label("Да", exact=True).check()
        for text, value in texts.items():
            phone.get_by_label(text).fill(value)

    return answer


def exit_questionnaires(j: Journey) -> None:
    mentees = send_questionnaire(j, "Итоговая анкета наставляемого", "база наставляемых", MENTEES, "exit-links")
    mentors = send_questionnaire(j, "Итоговая анкета наставника", "база наставников", MENTORS, "exit-mentor-links")
    on_phone(
        j,
        mentees["Фёдорова Софья Дмитриевна"],
        answer_scales(
            "Итоговая анкета наставляемого",
            {
                "Насколько вы довольны участием в программе наставничества?": "9",
                "Насколько наставник помог вам достичь ваших целей?": "8",
                "Насколько вам сейчас интересно учиться?": "8",
                "Насколько уверенно вы чувствуете себя в школе?": "8",
                "Насколько регулярными были встречи с наставником?": "9",
            },
            ("Хотели бы вы сами стать наставником?",),
            {"Что вам больше всего запомнилось?": "Как мы разобрались с дробями"},
        ),
        "exit-answer-mentee-phone",
    )
    on_phone(
        j,
        mentors[MENTOR_WITH_ACCOUNT],
        answer_scales(
            "Итоговая анкета наставника",
            {
                "Насколько вы довольны участием в программе наставничества?": "10",
                "Насколько наставляемый продвинулся к своим целям?": "8",
                "Насколько вам хватало времени на встречи?": "7",
                "Насколько полезной была поддержка куратора?": "9",
                "Насколько вы уверены в своих силах как наставник?": "9",
            },
            ("Готовы ли вы продолжить наставничество в следующем году?",),
            {},
        ),
        "exit-answer-mentor-phone",
    )
    j.menu("Участники", "Анкеты")
    for title in ("Итоговая анкета наставляемого", "Итоговая анкета наставника"):
        expect(j.page.get_by_role("row").filter(has_text=title)).to_contain_text("1 из 2")


def to_completion(j: Journey) -> None:
    """Stage by stage to «Завершение»: each page lists what is still missing; the curator goes on."""
    page = j.page
    programme_page(j)
    for number, label in enumerate(STAGES, start=2):
        page.get_by_role("link", name="Перейти к следующему этапу").click()
        expect(page.get_by_role("heading", name="Переход к следующему этапу")).to_be_visible()
        expect(page.get_by_text(f"Следующий: этап {number} «{label}».")).to_be_visible()
        if number == len(STAGES) + 1:
            j.shot("stage-advance")
        page.once("dialog", lambda dialog: dialog.accept())
        page.get_by_role("button", name=f"Перейти к этапу {number}").click()
        expect(j.alert(f"Программа переведена на этап «{label}».")).to_be_visible()
    current = page.get_by_test_id("stages").locator("[aria-current=step]")
    expect(current).to_contain_text("Завершение программы")
    expect(current).to_contain_text("текущий этап")
    expect(page.get_by_role("link", name="Перейти к следующему этапу")).to_have_count(0)
    expect(page.get_by_test_id("transitions").get_by_role("listitem")).to_have_count(6)
    expect(page.get_by_test_id("transitions")).to_contain_text("этап 6 → 7")
    j.shot("programme-completion")


def encouragement_order(j: Journey) -> None:
    page = j.page
    draft_order(j, "О поощрении участников программы наставничества")
    for name in MENTORS:
        page.get_by_label(name, exact=True).check()
    thanks = "наставничества: Иванову Сергею Петровичу, Яковенко Оксане Николаевне."
    expect(page.get_by_test_id("order-preview")).to_contain_text(thanks)  # the preview follows the ticks
    page.get_by_role("button", name="Сохранить", exact=True).click()
    page.wait_for_url(re.compile(r"/orders/\d+/$"))
    expect(j.alert("Проект приказа сохранён.")).to_be_visible()
    expect(page.get_by_test_id("order-preview")).to_contain_text(thanks)
    j.shot("encouragement-order")
    page.get_by_role("button", name="Передать на утверждение").click()
    expect(page.get_by_test_id("order-actions")).to_contain_text("Его утвердит руководитель")
    approve_order(j, page.url)
    pdf = pdf_text(
        j.fetch(page.get_by_test_id("order-downloads").get_by_role("link", name="PDF").get_attribute("href")).body()
    )
    assert "№ 4-ОД" in pdf and "О поощрении участников программы наставничества" in pdf
    assert "Иванову Сергею Петровичу, Яковенко Оксане Николаевне" in pdf, pdf


def completion_and_encouragement(j: Journey) -> None:
    exit_questionnaires(j)
    to_completion(j)
    encouragement_order(j)


def file_from_new_tab(j: Journey, url_pattern: str, button) -> bytes:
    """The bytes the server sends to a tab the button opens (Chromium's viewer would stand in for a PDF)."""
    page = j.page
    received = []

    def keep(route):
        response = route.fetch()
        received.append(response.body())
        route.fulfill(response=response)

    pattern = re.compile(url_pattern)
    page.context.route(pattern, keep)
    try:
        with page.context.expect_page() as tab_info:
            button.click()
        tab = tab_info.value
        tab.wait_for_load_state()
        tab.close()
    finally:
        page.context.unroute(pattern)
    assert len(received) == 1
    return received[0]


def downloaded(j: Journey, link) -> tuple[str, bytes]:
    with j.page.expect_download() as download_info:
        link.click()
    download = download_info.value
    return download.suggested_filename, Path(download.path()).read_bytes()


def analytical_report(j: Journey) -> None:
    page = j.page
    year = current_school_year()
    j.nav("Сводка")
    page.get_by_test_id("school-analytics-link").click()
    expect(page.get_by_role("heading", name="Аналитическая справка по итогам мониторинга")).to_be_visible()
    indicators = page.get_by_test_id("analytics-indicators")
    expect(indicators.get_by_role("row").filter(has_text="Наставляемые из базы в парах")).to_contain_text("2 из 2")
    expect(indicators.get_by_role("row").filter(has_text="Удовлетворённость наставляемых")).to_contain_text(
        "8,40 из 10"  # the mean of the five 1–10 items: 9, 8, 8, 8, 9
    )
    j.shot("analytics")

    pdf = pdf_text(file_from_new_tab(j, r"/analytics/pdf/$", page.get_by_test_id("analytics-pdf")))
    assert "Аналитическая справка по итогам мониторинга" in pdf and f"за {year}/{year + 1} учебный год" in pdf
    assert "МБОУ СОШ № 1" in pdf
    assert "учитель – ученик" in pdf  # pairs by form
    assert (
        "Средняя удовлетворённость по итоговым анкетам: наставляемых — 8,40 из 10, наставников — 8,60 из 10" in pdf
    ), pdf

    name, data = downloaded(j, page.get_by_test_id("analytics-docx"))
    assert name.endswith(".docx")
    document = Document(io.BytesIO(data))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = " ".join(cell.text for table in document.tables for row in table.rows for cell in row.cells)
    assert "Аналитическая справка по итогам мониторинга" in text
    assert "наставляемых — 8,40 из 10" in text + cells


def xlsx_rows(data: bytes) -> list[tuple]:
    workbook = load_workbook(io.BytesIO(data), read_only=True)
    return [tuple("" if v is None else str(v) for v in row) for row in workbook.active.iter_rows(values_only=True)]


def registers(j: Journey) -> None:
    page = j.page
    j.menu("Участники", "Реестр наставников")
    name, data = downloaded(j, page.get_by_role("link", name="Выгрузить в XLSX"))
    assert name.endswith(".xlsx")
    rows = xlsx_rows(data)
    for mentor in MENTORS:
        row = next(row for row in rows if mentor in row)
        assert "работает с наставляемыми" in row, row

    j.menu("Программа", "Пары и группы")
    name, data = downloaded(j, page.get_by_test_id("pairs-export"))
    rows = xlsx_rows(data)
    for mentor, mentee in PAIRS.items():
        row = next(row for row in rows if mentor in row)
        assert any(mentee in cell for cell in row) and "работает" in row, row


def test_a_school_year_end_to_end(school, browser_page, chromium, screenshots_dir, tmp_path):
    j = Journey(page=browser_page, chromium=chromium, screenshots=screenshots_dir, tmp_path=tmp_path)
    j.log_in("curator")
    create_programme(j)
    create_roadmap(j)
    implementation_order(j)
    j.log_in("curator")
    lists_and_consents(j)
    bases_register_questionnaires(j)
    matching(j)
    pairs_order(j)
    plan_and_meeting(j)
    j.log_in("curator")
    completion_and_encouragement(j)
    j.log_in("curator")
    analytical_report(j)
    registers(j)
