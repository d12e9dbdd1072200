"""The curator corrects how a person's full name declines; orders and letters take the correction."""

from html import unescape

from django.urls import reverse

from participants.tests.factories import TeacherFactory

TEACHER = {
    "category": "teacher",
    "last_name": "Чаплина",
    "first_name": "Айгуль",
    "patronymic": "Вагиф кызы",
    "gender": "F",
    "position": "учитель музыки",
}


def _edit_url(person):
    return reverse("participants:person_edit", kwargs={"org": person.organisation.slug, "pk": person.pk})


def _teacher(school, **fields):
    return TeacherFactory(
        organisation=school, **{key: value for key, value in {**TEACHER, **fields}.items() if key != "category"}
    )


def test_edit_form_hints_the_automatic_forms_in_a_collapsed_section(client, school_a, curator_a):
    teacher = _teacher(school_a)
    client.force_login(curator_a)
    content = unescape(client.get(_edit_url(teacher)).content.decode())
    assert "<summary" in content and "Склонение ФИО" in content
    assert '<details class="mb-3 border rounded p-3">' in content  # nothing corrected yet: collapsed
    assert "ФИО в дательном падеже (кому?)" in content
    assert 'placeholder="Чаплиной Айгули Вагиф кызы"' in content
    assert 'placeholder="Чаплиной Айгулью Вагиф кызы"' in content


def test_only_forms_that_differ_from_the_automatic_ones_are_saved(client, school_a, curator_a):
    teacher = _teacher(school_a, last_name="Кляпка", first_name="Ольга", patronymic="Викторовна")
    client.force_login(curator_a)
    response = client.post(
        _edit_url(teacher),
        {
            **TEACHER,
            "last_name": "Кляпка",
            "first_name": "Ольга",
            "patronymic": "Викторовна",
            "name_genitive": "Кляпки Ольги Викторовны",  # the automatic form: not stored
            "name_dative": "  Кляпка   Ольге Викторовне ",  # the family's wish: stored, spaces tidied
            "name_accusative": "",
            "name_instrumental": "",
        },
        follow=True,
    )
    teacher.refresh_from_db()
    assert teacher.name_forms == {"dative": "Кляпка Ольге Викторовне"}
    card = response.content.decode()
    assert "Дательный (кому?):</span> Кляпка Ольге Викторовне" in card
    assert "исправлено вручную" in card
    assert "Родительный (кого?):</span> Кляпки Ольги Викторовны" in card
    assert "Творительный (кем?):</span> Кляпкой Ольгой Викторовной" in card


def test_emptied_field_goes_back_to_the_automatic_form(client, school_a, curator_a):
    teacher = _teacher(school_a, name_forms={"dative": "Чаплиной Айгуль Вагиф кызы", "genitive": "Чаплиной Г."})
    client.force_login(curator_a)
    form_page = client.get(_edit_url(teacher)).content.decode()
    assert '<details class="mb-3 border rounded p-3" open>' in form_page  # corrections are shown open
    assert 'value="Чаплиной Айгуль Вагиф кызы"' in form_page
    response = client.post(
        _edit_url(teacher),
        {**TEACHER, "name_genitive": "Чаплиной Г.", "name_dative": ""},
        follow=True,
    )
    teacher.refresh_from_db()
    assert teacher.name_forms == {"genitive": "Чаплиной Г."}
    assert "Дательный (кому?):</span> Чаплиной Айгули Вагиф кызы" in response.content.decode()


def test_new_name_drops_the_corrections_of_the_old_one(client, school_a, curator_a):
    teacher = _teacher(school_a, name_forms={"dative": "Чаплиной Айгуль Вагиф кызы"})
    client.force_login(curator_a)
    client.post(
        _edit_url(teacher),
        {**TEACHER, "last_name": "Мамедова", "name_dative": "Чаплиной Айгуль Вагиф кызы"},
    )
    teacher.refresh_from_db()
    assert teacher.last_name == "Мамедова"
    assert teacher.name_forms == {}


def test_a_new_person_can_be_saved_with_a_correction(client, school_a, curator_a):
    client.force_login(curator_a)
    client.post(
        reverse("participants:person_add", kwargs={"org": school_a.slug}),
        {
            **TEACHER,
            "last_name": "Чаплин",
            "first_name": "Чарльз",
            "patronymic": "",
            "gender": "M",
            "name_instrumental": "Чаплином Чарльзом",
        },
    )
    person = school_a.people.get()
    assert person.name_forms == {"instrumental": "Чаплином Чарльзом"}
