"""The standard order templates and Положение о наставничестве seeded by reports/0002.

A curator drafting any kind of order starts from these texts, so each must fill cleanly from the
drafting placeholders and read as an official Russian order.
"""

import re
import string
from importlib import import_module

import pytest

from conftest import SEEDED_BY_MIGRATIONS
from reports.models import OrderKind, OrderTemplate, Regulation
from reports.orders.drafting import PLACEHOLDERS, appendix_numbers
from reports.orders.kinds import order_type, order_types

SEED_MODULE = "reports.migrations.0002_seed_order_templates"

SAMPLE_VALUES = {
    "organisation_short": "МБОУ СОШ № 1",
    "organisation_full": (
        "Муниципальное бюджетное общеобразовательное учреждение «Средняя общеобразовательная школа № 1»"
    ),
    "school_year": "2026/2027",
    "programme_title": "Программа наставничества обучающихся «Шаг вперёд» на 2026/2027 учебный год",
    "programme_genitive": "Программы наставничества обучающихся «Шаг вперёд» на 2026/2027 учебный год",
    "programme_period": "с 1 сентября 2026 г. по 31 мая 2027 г.",
    "curator_accusative": "Николаеву Ольгу Андреевну",
    "curator_dative": "Николаевой Ольге Андреевне",
    "curator_initials": "Николаева О. А.",
    "director_initials": "Кляпка О. В.",
    "people_dative": "Кляпке Ольге Викторовне, Черных Илье Сергеевичу",
    "appendix_pairs": "приложению № 1",
    "appendix_register": "приложению № 1",
    "appendix_plans": "приложению № 1",
    "appendix_regulation": "приложению № 1",
    "appendix_roadmap": "приложению № 2",
    "appendix_pay": "приложению № 1",
}
REGULATION_PLACEHOLDERS = {"organisation_full", "organisation_short"}
REGULATION_SECTIONS = [
    "1. Общие положения",
    "2. Цели и задачи наставничества",
    "3. Организация наставничества",
    "4. Права и обязанности наставника",
    "5. Права и обязанности наставляемого",
    "6. Процесс формирования пар и групп",
    "7. Завершение наставничества",
    "8. Мониторинг и оценка результатов",
    "9. Мотивация наставников",
    "10. Документы, регламентирующие наставничество",
]

# A Latin letter typed inside a Cyrillic word («нaставник» with a Latin «a») looks right on
# screen but breaks search and spell-checking.
MIXED_SCRIPT = re.compile(r"[А-Яа-яЁё][A-Za-z]|[A-Za-z][А-Яа-яЁё]")
# Points of an order start with an infinitive: «Утвердить…», «Провести…».
INFINITIVE_START = re.compile(r"^[А-ЯЁ][а-яё]+(ть|ти)(ся)?\b")


def placeholders_in(text):
    return {name for _literal, name, _spec, _conversion in string.Formatter().parse(text) if name is not None}


def texts_of(template):
    yield template.title
    yield template.preamble
    yield template.control_text
    for point in template.points:
        yield from (point["action"], point["responsible"], point["deadline"])


@pytest.fixture
def standard_templates(reference_data):
    return {t.kind: t for t in OrderTemplate.objects.filter(organisation__isnull=True)}


@pytest.fixture
def standard_regulation(reference_data):
    return Regulation.objects.get(organisation__isnull=True)


def test_the_migration_runs_the_seed():
    module = import_module(SEED_MODULE)
    assert [op.code for op in module.Migration.operations] == [module.seed]


def test_every_kind_has_a_standard_template(standard_templates):
    assert set(standard_templates) == set(OrderKind.values)


def test_seeding_again_changes_nothing(standard_templates, standard_regulation):
    from django.apps import apps

    import_module(SEED_MODULE).seed(apps, None)
    # The later seeds (the Положение of ст. 351.8 ТК РФ, its order types) run after it, as in conftest.
    for module in SEEDED_BY_MIGRATIONS[SEEDED_BY_MIGRATIONS.index(SEED_MODULE) + 1 :]:
        import_module(module).seed(apps, None)

    assert OrderTemplate.objects.filter(organisation__isnull=True).count() == len(OrderKind.values)
    assert Regulation.objects.filter(organisation__isnull=True).count() == 1
    assert Regulation.objects.get(organisation__isnull=True).body == standard_regulation.body


def test_templates_use_only_known_placeholders(standard_templates):
    for kind, template in standard_templates.items():
        for text in texts_of(template):
            assert placeholders_in(text) <= PLACEHOLDERS, (kind, text)


def test_appendix_placeholders_match_the_appendices_each_kind_carries(standard_templates):
    for kind, template in standard_templates.items():
        used = set().union(*(placeholders_in(text) for text in texts_of(template)))
        referred = {name.removeprefix("appendix_") for name in used if name.startswith("appendix_")}
        assert referred == set(order_type(kind).appendices), kind


def test_appendices_are_cited_in_the_order_of_their_numbers(standard_templates):
    for kind, template in standard_templates.items():
        numbers = appendix_numbers(kind)
        cited = [
            numbers[name.removeprefix("appendix_")]
            for point in template.points
            for name in sorted(placeholders_in(point["action"]))
            if name.startswith("appendix_")
        ]
        assert cited == sorted(cited), kind


def test_key_orders_name_what_they_approve(standard_templates):
    def used(kind):
        return set().union(*(placeholders_in(text) for text in texts_of(standard_templates[kind])))

    assert {"appendix_regulation", "appendix_roadmap", "curator_accusative"} <= used(OrderKind.IMPLEMENTATION)
    assert "appendix_pairs" in used(OrderKind.PAIRS)
    assert "appendix_register" in used(OrderKind.MENTOR_REGISTER)
    assert "appendix_plans" in used(OrderKind.PLANS)
    assert "people_dative" in used(OrderKind.ENCOURAGEMENT)
    assert "curator_accusative" in used(OrderKind.DISTRICT_CURATOR)
    for kind in (OrderKind.DISTRICT_CURATOR, OrderKind.DISTRICT_IMPLEMENTATION):
        text = " ".join(texts_of(standard_templates[kind]))
        assert "общеобразовательных организациях района" in text
        assert "муниципальн" in text
        # A district order has no programme, hence no school year to fill in.
        assert not used(kind) & {"school_year", "programme_title", "programme_genitive", "programme_period"}, kind


def test_templates_fill_into_plain_russian(standard_templates):
    for kind, template in standard_templates.items():
        for text in texts_of(template):
            filled = text.format_map(SAMPLE_VALUES)
            assert "{" not in filled and "}" not in filled, (kind, filled)
            assert not re.search(r"[A-Za-z]", filled), (kind, filled)
            assert "  " not in filled, (kind, filled)


def test_no_latin_letters_inside_russian_words(standard_templates, standard_regulation):
    texts = [text for template in standard_templates.values() for text in texts_of(template)]
    texts.append(standard_regulation.body)
    for text in texts:
        without_placeholders = re.sub(r"\{[a-z_]+\}", "", text)
        assert not MIXED_SCRIPT.search(without_placeholders), MIXED_SCRIPT.search(without_placeholders)


def test_templates_follow_the_order_layout(standard_templates):
    for kind, template in standard_templates.items():
        assert template.title.startswith(("О ", "Об ")), kind
        assert template.preamble.startswith("В соответствии с "), kind
        assert "от 25.12.2019 № Р-145" in template.preamble, kind
        assert " в целях " in template.preamble, kind
        assert template.control_text == "Контроль за исполнением настоящего приказа оставляю за собой."
        assert 3 <= len(template.points) <= 7, kind
        for point in template.points:
            assert set(point) == {"action", "responsible", "deadline"}, kind
            assert all(value.strip() for value in point.values()), (kind, point)
            assert INFINITIVE_START.match(point["action"]), (kind, point["action"])
            assert point["action"].endswith("."), (kind, point["action"])


def test_order_titles_are_distinct_and_fill_with_the_school_year(standard_templates):
    titles = [t.title for t in standard_templates.values()]
    assert len(set(titles)) == len(titles)
    register = standard_templates[OrderKind.MENTOR_REGISTER].title.format_map(SAMPLE_VALUES)
    assert register == "Об утверждении реестра наставников на 2026/2027 учебный год"


def test_implementation_order_appoints_the_curator_in_the_accusative(standard_templates):
    actions = [p["action"].format_map(SAMPLE_VALUES) for p in standard_templates[OrderKind.IMPLEMENTATION].points]
    assert any(a.startswith("Назначить Николаеву Ольгу Андреевну куратором") for a in actions)
    assert any("согласно приложению № 1" in a and "Положение о наставничестве" in a for a in actions)


def test_encouragement_thanks_the_people_listed(standard_templates):
    actions = [p["action"].format_map(SAMPLE_VALUES) for p in standard_templates[OrderKind.ENCOURAGEMENT].points]
    assert any(a.startswith("Объявить благодарность") and "Кляпке Ольге Викторовне" in a for a in actions)


def test_regulation_has_its_sections_and_fills(standard_regulation):
    body = standard_regulation.body
    assert standard_regulation.title == "Положение о наставничестве"
    assert placeholders_in(body) <= REGULATION_PLACEHOLDERS
    headings = [line.removeprefix("# ") for line in body.splitlines() if line.startswith("#")]
    assert headings == REGULATION_SECTIONS
    paragraphs = [p for p in body.split("\n\n") if p.strip()]
    assert all("\n" not in p for p in paragraphs)  # one paragraph per line, blank lines between
    assert 60 <= len(paragraphs) <= 120

    filled = body.format_map(SAMPLE_VALUES)
    assert "{" not in filled and "}" not in filled
    assert not re.search(r"[A-Za-z]", filled)
    assert filled.startswith("# 1. Общие положения\n\n1.1. Муниципальное бюджетное общеобразовательное учреждение")


def test_every_declared_type_seeds_the_text_the_migrations_seeded(standard_templates):
    """The declarations are what new code reads; the seeded rows (0002, proof-read by 0006) must not
    drift from them."""
    assert {t.code for t in order_types()} == set(standard_templates)
    for declared in order_types():
        row = standard_templates[declared.code]
        seed = declared.seed
        assert (seed.title, seed.preamble, list(seed.points), seed.control_text) == (
            row.title,
            row.preamble,
            row.points,
            row.control_text,
        ), declared.code


def test_a_programme_is_never_called_a_programme_twice(standard_templates):
    """«в целях реализации программы «Программа наставничества…»» repeats the word; the title that
    names itself a programme is declined instead, and a plain title gets «программы «…»»."""
    for kind, template in standard_templates.items():
        for text in texts_of(template):
            filled = text.format_map(SAMPLE_VALUES)
            assert "программы «Программа" not in filled, (kind, filled)
            assert "{programme_title}" not in text, (kind, text)  # «программы «{programme_title}»» was the trap
    preamble = standard_templates[OrderKind.PAIRS].preamble.format_map(SAMPLE_VALUES)
    assert "в целях реализации Программы наставничества обучающихся «Шаг вперёд» на 2026/2027 учебный год," in (
        preamble
    )
    plain = standard_templates[OrderKind.PAIRS].preamble.format_map(
        {**SAMPLE_VALUES, "programme_genitive": "программы «Шаг вперёд»"}
    )
    assert "в целях реализации программы «Шаг вперёд»," in plain


def test_proofreading_migration_changes_only_rows_still_holding_the_seeded_text(standard_templates):
    from django.apps import apps

    module = import_module("reports.migrations.0007_proofread_order_templates")
    pairs = standard_templates[OrderKind.PAIRS]
    register = standard_templates[OrderKind.MENTOR_REGISTER]
    register.preamble = "Свой текст школы"
    register.save()
    # The later proof-reading (ст. 351.8 ТК РФ, 0011) is undone first, as migrating backwards would.
    labour_code = import_module("reports.migrations.0011_orders_labour_code_351_8")
    labour_code.backwards(apps, None)
    module.backwards(apps, None)
    pairs.refresh_from_db()
    register.refresh_from_db()
    assert "программы «{programme_title}»" in pairs.preamble
    assert register.points[4]["action"] == "Ознакомить наставников с настоящим приказом под подпись."
    module.seed(apps, None)
    labour_code.seed(apps, None)
    pairs.refresh_from_db()
    register.refresh_from_db()
    assert pairs.preamble == order_type(OrderKind.PAIRS).seed.preamble
    assert register.points[4]["action"] == "Ознакомить наставников с настоящим приказом под роспись."
    assert register.preamble == "Свой текст школы"  # edited by someone: left alone
