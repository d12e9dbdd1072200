from types import SimpleNamespace

import pytest
from django.template import Context, Template

from organisations.declension import (
    CASE_LABELS,
    Case,
    decline_name,
    declined_full_name,
    declined_short_name,
    infer_gender,
)
from organisations.management.commands.measure_declension import (
    CASES,
    CATEGORIES,
    KNOWN_MISSES,
    SAMPLES,
    is_right,
)
from organisations.models import User


def _params():
    for last, first, middle, gender, *forms in SAMPLES:
        for case, expected in zip(CASES, forms, strict=True):
            if (last, first, case) in KNOWN_MISSES:
                continue
            for given in (gender, ""):
                label = f"{last} {first} {middle}-{case.value}-{'given' if given else 'inferred'}"
                yield pytest.param(last, first, middle, given, case, expected, id=label)


@pytest.mark.parametrize(("last", "first", "middle", "gender", "case", "expected"), list(_params()))
def test_tricky_names_decline_as_the_grammar_says(last, first, middle, gender, case, expected):
    """Each hand-made form, both with the person's gender and with the gender read off the name."""
    got = decline_name(last, first, middle, gender, case=case)
    assert is_right(got, expected), f"{got!r} != {expected!r}"


def test_the_sample_set_is_large_and_covers_every_rule():
    """At least 300 hand-checked forms; every rule of Розенталь's we cite has samples of its own."""
    assert len(SAMPLES) * len(CASES) >= 300
    assert {sample[3] for sample in SAMPLES} == {"M", "F"}
    assert len(CATEGORIES) >= 15
    for rule, samples in CATEGORIES:
        assert len(samples) >= 2, rule
    names = {(sample[0], sample[1], sample[2]) for sample in SAMPLES}
    assert len(names) == len(SAMPLES)  # no sample counted twice
    # The categories the issue names, each present.
    words = " ".join(f"{last} {first} {middle}" for last, first, middle, *_ in SAMPLES)
    for word in (
        "Дурново",  # -о
        "Гёте",  # -е
        "Церетели",  # -и
        "Шоу",  # -у
        "Камю",  # -ю
        "Черных",  # -ых
        "Долгих",  # -их
        "Шевченко",  # -енко
        "Гулия",  # -ия
        "Гамсахурдиа",  # -иа
        "Римская-Корсакова",  # double-barrelled
        "оглы",
        "кызы",
        "Фомич",
        "Саввична",
        "Кузьминична",
        "Ильинична",
        "Никитична",
        "Любовь",
        "Лев",
        "Пётр",
        "Павел",
        "Илья",
        "Никита",
    ):
        assert word in words, word
    women_on_a_consonant = [s for s in SAMPLES if s[3] == "F" and s[0][-1] in "бвгджзйклмнпрстфхцчшщь"]
    assert len(women_on_a_consonant) >= 8


def test_french_surnames_on_a_stressed_a_stay_whole():
    assert decline_name("Золя", "Эмиль", "", "M", case=Case.GENITIVE) == "Золя Эмиля"
    assert decline_name("Дега", "Эдгар", "", "M", case=Case.INSTRUMENTAL) == "Дега Эдгаром"
    # A Russian surname in -а still declines: the list is of surnames, not of an ending.
    assert decline_name("Глинка", "Михаил", "Иванович", "M", case=Case.DATIVE) == "Глинке Михаилу Ивановичу"


def test_first_part_that_is_no_surname_of_its_own_stays_whole():
    assert decline_name("Демут-Малиновский", "Василий", "Иванович", "M", case=Case.DATIVE) == (
        "Демут-Малиновскому Василию Ивановичу"
    )
    assert decline_name("Бонч-Бруевич", "Владимир", "Дмитриевич", "M", case=Case.INSTRUMENTAL) == (
        "Бонч-Бруевичем Владимиром Дмитриевичем"
    )
    # A woman's: the second part declines as a woman's surname, the first part stays.
    assert decline_name("Демут-Малиновская", "Анна", "Ивановна", "F", case=Case.GENITIVE) == (
        "Демут-Малиновской Анны Ивановны"
    )


def test_foreign_surname_beyond_the_rules_is_fixed_by_the_persons_correction():
    chaplin = SimpleNamespace(last_name="Чаплин", first_name="Чарльз", patronymic="", gender="M", name_forms={})
    assert declined_full_name(chaplin, Case.INSTRUMENTAL) == "Чаплиным Чарльзом"  # the rules' -ин surname
    chaplin.name_forms = {"instrumental": "Чаплином Чарльзом"}
    assert declined_full_name(chaplin, Case.INSTRUMENTAL) == "Чаплином Чарльзом"
    assert declined_short_name(chaplin, "instrumental") == "Чаплином\u00a0Ч."
    # Other cases still come from the rules.
    assert declined_full_name(chaplin, Case.DATIVE) == "Чаплину Чарльзу"


def test_override_wins_and_a_blank_override_falls_back_to_the_rules():
    person = SimpleNamespace(
        last_name="Кляпка",
        first_name="Ольга",
        patronymic="Викторовна",
        gender="F",
        name_forms={"dative": "  Кляпке  Ольге Викторовне (по паспорту) ", "genitive": "  "},
    )
    assert declined_full_name(person, "dative") == "Кляпке Ольге Викторовне (по паспорту)"
    assert declined_full_name(person, "genitive") == "Кляпки Ольги Викторовны"
    assert declined_short_name(person, "dative") == "Кляпке\u00a0О.\u00a0В."


def test_short_name_spaces_the_initials_and_keeps_them_with_the_surname():
    """ГОСТ Р 7.0.97-2025: a space between initials; non-breaking, so no line starts with «А.»."""
    person = SimpleNamespace(last_name="Николаева", first_name="Ольга", patronymic="Андреевна", gender="F")
    assert declined_short_name(person, Case.DATIVE) == "Николаевой\u00a0О.\u00a0А."
    assert declined_short_name(person, Case.NOMINATIVE) == "Николаева\u00a0О.\u00a0А."
    double = SimpleNamespace(last_name="Римский-Корсаков", first_name="Николай", patronymic="Андреевич", gender="M")
    assert declined_short_name(double, Case.DATIVE) == "Римскому-Корсакову\u00a0Н.\u00a0А."
    no_patronymic = SimpleNamespace(last_name="Миллер", first_name="Джон", patronymic="", gender="M")
    assert declined_short_name(no_patronymic, Case.INSTRUMENTAL) == "Миллером\u00a0Д."


def test_gender_is_read_off_the_patronymic_first():
    # Женя and Ким tell nothing; the patronymic does.
    assert infer_gender("Ким", "Женя", "Олеговна") == "F"
    assert infer_gender("Ким", "Женя", "Олегович") == "M"
    assert decline_name("Ким", "Женя", "Олеговна", case=Case.DATIVE) == "Ким Жене Олеговне"
    assert decline_name("Ким", "Женя", "Олегович", case=Case.DATIVE) == "Киму Жене Олеговичу"
    assert infer_gender("Петрова", "Саша", "") == "F"
    assert infer_gender("Ким", "Саша", "") == ""
    assert infer_gender("", "", "") == ""


def test_turkic_patronymics_never_decline_and_tell_the_gender():
    assert infer_gender("Мамедов", "Эльдар", "Рашид оглы") == "M"
    assert infer_gender("Алиева", "Лейла", "Вагиф кызы") == "F"
    assert decline_name("Мамедов", "Эльдар", "Рашид-оглы", case="dative") == "Мамедову Эльдару Рашид-оглы"
    assert decline_name("Алиева", "Лейла", "Вагиф кызы", case="instrumental") == "Алиевой Лейлой Вагиф кызы"
    assert decline_name("Сапаров", "Нурлан", "Ержанұлы", case="genitive") == "Сапарова Нурлана Ержанұлы"
    # The gender «кызы» gives decides the surname even for a first name that does not tell.
    assert decline_name("Гасанова", "Гюль", "Али кызы", case="dative") == "Гасановой Гюли Али кызы"


def test_double_barrelled_surnames_decline_in_both_halves():
    assert decline_name("Петрова-Водкина", "Елена", "Кузьминична", case="dative") == (
        "Петровой-Водкиной Елене Кузьминичне"
    )
    assert decline_name("Салтыков-Щедрин", "Михаил", "Евграфович", case="instrumental") == (
        "Салтыковым-Щедриным Михаилом Евграфовичем"
    )


def test_women_names_in_a_soft_sign_decline_in_every_case():
    forms = [decline_name("Исмаилова", "Асель", "Маратовна", case=case) for case in Case]
    assert forms == [
        "Исмаилова Асель Маратовна",
        "Исмаиловой Асели Маратовны",
        "Исмаиловой Асели Маратовне",
        "Исмаилову Асель Маратовну",
        "Исмаиловой Аселью Маратовной",
        "Исмаиловой Асели Маратовне",
    ]


def test_nominative_and_prepositional_cases():
    assert decline_name("Николаева", "Ольга", "Андреевна", "F", case="nominative") == "Николаева Ольга Андреевна"
    assert decline_name("Николаев", "Андрей", "Петрович", "M", case="prepositional") == "Николаеве Андрее Петровиче"


def test_capital_letters_and_stray_spaces_are_kept_tidy():
    assert decline_name(" ИВАНОВ ", "ПЁТР", "ИЛЬИЧ", "M", case="dative") == "ИВАНОВУ ПЕТРУ ИЛЬИЧУ"
    assert decline_name("Иванова", "Анна", "", "F", case="genitive") == "Ивановой Анны"


def test_a_user_account_without_gender_or_corrections_declines_too():
    user = User(username="nikolaeva", last_name="Николаева", first_name="Ольга", patronymic="Андреевна")
    assert declined_full_name(user, Case.DATIVE) == "Николаевой Ольге Андреевне"
    assert declined_short_name(user, Case.GENITIVE) == "Николаевой\u00a0О.\u00a0А."
    assert declined_full_name(User(username="admin"), Case.DATIVE) == ""


def test_cases_have_russian_labels_and_unknown_case_is_an_error():
    assert [str(case) for case in Case] == [
        "nominative",
        "genitive",
        "dative",
        "accusative",
        "instrumental",
        "prepositional",
    ]
    assert CASE_LABELS["dative"] == "дательный (кому?)"
    assert set(CASE_LABELS) == set(Case)
    with pytest.raises(ValueError, match="dativ"):
        decline_name("Иванов", "Иван", case="dativ")


def test_template_filters():
    person = SimpleNamespace(last_name="Шевчук", first_name="Анна", patronymic="Сергеевна", gender="F", name_forms={})
    template = Template(
        '{% load declension %}Выдать {{ person|case:"dative" }}; назначить {{ person|case_short:"accusative" }}'
        '{{ nobody|case:"dative" }}'
    )
    assert template.render(Context({"person": person, "nobody": None})) == (
        "Выдать Шевчук Анне Сергеевне; назначить Шевчук\u00a0А.\u00a0С."
    )
