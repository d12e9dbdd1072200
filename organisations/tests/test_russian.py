"""organisations.russian: agreement, non-breaking spaces, the programme's name in a sentence."""

import pytest

from organisations.declension import infer_gender
from organisations.russian import (
    NBSP,
    agreeing,
    initials,
    programme_genitive,
    responsible_label,
    signature_name,
    surname_with_initials,
    tie,
)


def test_agreeing_follows_the_gender_and_is_masculine_when_unknown():
    assert agreeing("F", "обучающийся", "обучающаяся") == "обучающаяся"
    assert agreeing("M", "обучающийся", "обучающаяся") == "обучающийся"
    assert agreeing("", "назначенный", "назначенная") == "назначенный"


@pytest.mark.parametrize(
    ("typed", "tied"),
    [
        ("приказ № 48-ОД", f"приказ №{NBSP}48-\u2060ОД"),
        ("№ ____", f"№{NBSP}____"),
        ("МБОУ СОШ №  1", f"МБОУ СОШ №{NBSP}1"),
        ("№48", "№48"),  # no space to keep: left as typed
        ("с 1 сентября 2025 г. по 31 мая 2026 г.", f"с 1{NBSP}сентября 2025{NBSP}г. по 31{NBSP}мая 2026{NBSP}г."),
        ("2024–2026 гг.", f"2024–2026{NBSP}гг."),
        ("25 октября", f"25{NBSP}октября"),
        ("в 2025 году", "в 2025 году"),  # «г.» only, not «году»
        ("О.А. Николаева", f"О.{NBSP}А.{NBSP}Николаева"),
        ("О. А. Николаева", f"О.{NBSP}А.{NBSP}Николаева"),
        ("Д. Миллер", f"Д.{NBSP}Миллер"),
        ("Ответственный: Николаева О.А.", f"Ответственный: Николаева{NBSP}О.{NBSP}А."),
        ("Римский-Корсаков Н.А.", f"Римский-Корсаков{NBSP}Н.{NBSP}А."),
        ("Николаева О.А., Яковенко О. Н.", f"Николаева{NBSP}О.{NBSP}А., Яковенко{NBSP}О.{NBSP}Н."),
        ("25.10.2025", "25.10.2025"),
        ("в 5 классе", "в 5 классе"),
        ("", ""),
    ],
)
def test_tie_keeps_together_what_russian_typesetting_keeps_together(typed, tied):
    assert tie(typed) == tied


def test_tie_is_idempotent_and_leaves_markup_alone():
    html = '<td class="order-number">№ 1-ОД</td><p>О.В. Кляпка</p>'
    once = tie(html)
    assert once == f'<td class="order-number">№{NBSP}1-\u2060ОД</td><p>О.{NBSP}В.{NBSP}Кляпка</p>'
    assert tie(once) == once


def test_tie_keeps_the_tab_of_a_signature_line():
    # «Директор<tab>С. И. Громов»: the position is no surname, the tab puts the name at the right edge.
    assert tie("Директор\tС.И. Громов") == "Директор\tС.\u00a0И.\u00a0Громов"


def test_signatures_put_spaced_initials_before_the_surname():
    assert signature_name("Кляпка Ольга Викторовна") == f"О.{NBSP}В.{NBSP}Кляпка"
    assert signature_name("Миллер Джон") == f"Д.{NBSP}Миллер"
    assert signature_name("Кляпка") == "Кляпка"
    assert initials("Ольга", "", "Андреевна") == f"О.{NBSP}А."
    assert surname_with_initials("Николаевой", "Ольга", "Андреевна") == f"Николаевой{NBSP}О.{NBSP}А."
    assert surname_with_initials("Николаевой") == "Николаевой"


def test_a_programme_title_that_says_programme_is_declined_not_repeated():
    assert programme_genitive("Шаг вперёд") == "программы «Шаг вперёд»"
    assert programme_genitive("Программа наставничества «Шаг вперёд» на 2026/2027 учебный год") == (
        "Программы наставничества «Шаг вперёд» на 2026/2027 учебный год"
    )
    assert programme_genitive("программа  «Вместе»") == "программы «Вместе»"
    assert programme_genitive("Программа") == "Программы"
    assert programme_genitive("Программист будущего") == "программы «Программист будущего»"
    assert programme_genitive("") == ""


def test_the_hyphen_of_a_number_does_not_break_either():
    """«№ 45-» at the end of a line and «ОД» on the next: a word joiner after the hyphen forbids it."""
    assert tie("приказ № 45-ОД") == f"приказ №{NBSP}45-\u2060ОД"
    assert tie(tie("№ Р-145")) == f"№{NBSP}Р-\u2060145"
    assert tie("<td>№ 1-ОД</td>") == f"<td>№{NBSP}1-\u2060ОД</td>"


@pytest.mark.parametrize(
    ("responsible", "label"),
    [
        ("Николаева О. А.", "Ответственная"),
        ("Николаев О.А.", "Ответственный"),
        ("О. В. Кляпка", "Ответственная"),  # the surname alone does not tell; the full name known does
        ("Кляпка О. В.", "Ответственная"),
        ("Громов С. И.", "Ответственный"),
        ("Наставники", "Ответственные"),
        ("Руководители общеобразовательных организаций района", "Ответственные"),
        ("Николаева О. А., Яковенко О. Н.", "Ответственные"),
        ("Комиссия по распределению стимулирующей части фонда оплаты труда", "Ответственная"),
        ("Заместитель директора по УВР", "Ответственный"),
        ("Ответственный за ведение официального сайта", ""),  # the text says it already
        ("", "Ответственный"),
    ],
)
def test_responsible_label_agrees_with_who_is_named(responsible, label):
    known = {"Кляпка": "F", "Громов": "M"}
    assert responsible_label(responsible, gender_of_surname=lambda s: known.get(s) or infer_gender(s)) == label
