"""An order type is one declaration: a type declared here, in the test alone, is drafted from its
seed, checked, approved with its effect, printed as PDF and DOCX, and listed in the register
(the page, its filter and the XLSX export) without any other file knowing of it."""

import datetime
import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from mentorship.tests.factories import ProgrammeFactory
from participants.tests.factories import PersonFactory
from reports.models import Order
from reports.orders import kinds
from reports.orders.docx import order_docx
from reports.orders.filters import OrderFilter
from reports.orders.forms import OrderNewForm, OrderTextForm
from reports.orders.services import order_approve, order_draft, order_save, order_submit
from reports.orders.stage import stage_order_documents
from roadmap.stages import Stage

pytestmark = pytest.mark.django_db

CODE = "tea_party"
TITLE = "О чаепитии наставников и наставляемых"
ERROR_NO_GUESTS = "Выберите гостей чаепития."
APPROVED_ON = datetime.date(2026, 12, 1)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def effects():
    return []


@pytest.fixture
def tea_party(effects):
    """The throw-away type, registered for this test only."""

    def lists_guests(order) -> list[str]:
        return [] if order.people.exists() else [ERROR_NO_GUESTS]

    def record(order, user) -> None:
        effects.append((order.pk, order.number_label, order.approved_on, user.pk))

    declared = kinds.OrderType(
        code=CODE,
        title=TITLE,
        seed=kinds.TemplateSeed(
            title="О чаепитии в {organisation_short}",
            preamble="В целях сплочения участников программы «{programme_title}»,",
            points=(
                {"action": "Провести чаепитие наставников и наставляемых.", "responsible": "", "deadline": "в декабре"},
            ),
        ),
        subjects=frozenset({"people"}),
        stage=Stage.COMPLETION,
        checks=(lists_guests,),
        effects=record,
    )
    kinds.register(declared)
    yield declared
    kinds.unregister(CODE)


@pytest.fixture
def programme(school_a):
    return ProgrammeFactory(organisation=school_a, title="Вместе")


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_a_declared_type_goes_through_the_whole_life_of_an_order(
    client, tea_party, effects, school_a, curator_a, director_a, programme
):
    # Offered where orders are started, and drafted from the seed it declares (no template row).
    form = OrderNewForm(data={"kind": CODE, "programme": programme.pk}, organisation=school_a)
    assert (CODE, TITLE) in form.fields["kind"].choices and form.is_valid(), form.errors
    order = order_draft(organisation=school_a, kind=CODE, programme=programme, user=curator_a)
    kind_field = Order._meta.get_field("kind")
    kind_field.validate(CODE, order)  # the model field accepts the declared code, and only declared ones
    with pytest.raises(ValidationError):
        kind_field.validate("nobody_declared_this", order)
    assert order.template is None
    assert order.title == f"О чаепитии в {school_a.short_name}"
    assert order.preamble == "В целях сплочения участников программы «Вместе»,"
    assert [p.action for p in order.points.all()] == ["Провести чаепитие наставников и наставляемых."]
    assert set(OrderTextForm(instance=order).fields) >= {"people"}
    assert not {"pairs", "plans", "mentor_entries", "curator"} & set(OrderTextForm(instance=order).fields)

    # Its check stops submission until it lists guests.
    with pytest.raises(ValidationError, match=ERROR_NO_GUESTS):
        order_submit(order=order, user=curator_a)
    guest = PersonFactory(organisation=school_a, last_name="Гостева", first_name="Анна")
    order = order_save(
        order=order, fields={}, points=[{"action": "Провести чаепитие наставников и наставляемых."}], people=[guest]
    )
    order_submit(order=order, user=curator_a)
    order = order_approve(order=order, user=director_a, on=APPROVED_ON)
    assert order.status == Order.Status.APPROVED and order.number and order.approved_on == APPROVED_ON
    assert effects == [(order.pk, order.number_label, APPROVED_ON, director_a.pk)]
    assert order.get_kind_display() == TITLE

    # The stage it declares asks for it.
    titles = [document.title for document in stage_order_documents(programme, Stage.COMPLETION)]
    assert f"Приказ «{TITLE}»" in titles

    # PDF (through the order_pdf page) and DOCX carry its title and number.
    client.force_login(curator_a)
    response = client.get(reverse("reports:order_pdf", kwargs={"org": school_a.slug, "pk": order.pk}))
    assert response.status_code == 200
    pdf_text = _flat(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages))
    assert order.title in pdf_text and order.number_label in pdf_text
    document = Document(io.BytesIO(order_docx(order)))
    docx_text = _flat("\n".join(paragraph.text for paragraph in document.paragraphs))
    assert order.title in docx_text and "Провести чаепитие" in docx_text

    # The register: the page lists it and filters by it, the XLSX names its kind.
    page = client.get(reverse("reports:order_list", kwargs={"org": school_a.slug}), {"kind": CODE})
    assert page.status_code == 200
    content = page.content.decode()
    assert order.title in content and f'value="{CODE}"' in content
    assert list(OrderFilter({"kind": CODE}, queryset=school_a.orders.all()).qs) == [order]
    response = client.get(reverse("reports:export", kwargs={"org": school_a.slug, "identifier": "orders"}))
    rows = list(load_workbook(filename=io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert any(row[2] == order.title and row[3] == TITLE for row in rows)


def test_a_type_is_gone_once_unregistered(tea_party, school_a):
    kinds.unregister(CODE)
    assert CODE not in dict(kinds.kind_choices())
    assert CODE not in dict(OrderNewForm(organisation=school_a).fields["kind"].choices)
    kinds.register(tea_party)  # the fixture unregisters it again


def test_the_built_in_types_keep_their_codes_titles_and_order():
    assert kinds.kind_choices() == [
        ("implementation", "О внедрении целевой модели наставничества и назначении куратора"),
        ("mentor_register", "Об утверждении реестра наставников"),
        ("training", "Об организации «Школы наставников»"),
        ("pairs", "О закреплении наставнических пар (групп)"),
        ("mentoring_pay", "Об установлении выплаты за наставничество"),
        ("plans", "Об утверждении индивидуальных планов"),
        ("mentoring_end", "О досрочном прекращении наставничества"),
        ("final_event", "О проведении итогового мероприятия"),
        ("encouragement", "О поощрении участников программы наставничества"),
        ("district_curator", "О назначении муниципального куратора"),
        ("district_implementation", "О внедрении целевой модели наставничества в районе"),
    ]
    assert [t.code for t in kinds.order_types(district=True)] == ["district_curator", "district_implementation"]
