import pytest
from django.urls import reverse

from organisations.models import Membership
from organisations.tests.factories import TEST_PASSWORD as PASSWORD
from organisations.tests.factories import DistrictFactory, SchoolFactory


def test_login_page_is_russian(client):
    response = client.get(reverse("login"))
    content = response.content.decode()
    assert "Вход в «Наставник»" in content
    assert "Пароль" in content


def test_login_with_password_leads_to_the_only_organisation(client, curator_a, school_a):
    response = client.post(reverse("login"), {"username": "curator-a", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("reports:dashboard", kwargs={"org": school_a.slug})


def test_wrong_password_message_is_russian(client, curator_a):
    response = client.post(reverse("login"), {"username": "curator-a", "password": "wrong"})
    assert "Пожалуйста, введите правильные имя пользователя и пароль" in response.content.decode()


def test_repeated_wrong_passwords_lock_the_login(client, curator_a, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "curator-a", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "curator-a", "password": PASSWORD})
    assert response.status_code == 429
    assert "Вход временно заблокирован" in response.content.decode()
    assert "15 минут" in response.content.decode()


def test_user_of_several_organisations_chooses_and_then_returns_to_the_last(client, curator_a, school_b):
    Membership.objects.create(user=curator_a, organisation=school_b, role="methodist")
    client.force_login(curator_a)
    chooser = client.get(reverse("home"))
    assert chooser.status_code == 200
    assert "Выберите организацию" in chooser.content.decode()
    client.get(reverse("reports:dashboard", kwargs={"org": school_b.slug}))
    assert client.get(reverse("home"))["Location"] == reverse("reports:dashboard", kwargs={"org": school_b.slug})


def test_switcher_lists_the_users_organisations(client, curator_a, school_b):
    Membership.objects.create(user=curator_a, organisation=school_b, role="methodist")
    client.force_login(curator_a)
    content = client.get(reverse("reports:dashboard", kwargs={"org": "school-a"})).content.decode()
    assert "МБОУ СОШ № 1" in content and "МБОУ СОШ № 2" in content


def test_user_without_organisation_is_told_what_to_do(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("lonely", password=PASSWORD))
    assert "не привязана ни к одной организации" in client.get(reverse("home")).content.decode()


def test_navigation_shows_what_the_role_may_do(client, school_a, member):
    client.force_login(member(school_a, "mentor"))
    mentor_page = client.get(reverse("reports:dashboard", kwargs={"org": school_a.slug})).content.decode()
    assert "Участники" not in mentor_page and "Реквизиты" not in mentor_page

    client.force_login(member(school_a, "director"))
    director_page = client.get(reverse("reports:dashboard", kwargs={"org": school_a.slug})).content.decode()
    assert "Участники" in director_page and "Реквизиты" in director_page


def test_director_edits_requisites(client, school_a, director_a):
    client.force_login(director_a)
    url = reverse("organisations:settings", kwargs={"org": school_a.slug})
    data = {
        "full_name": "Муниципальное бюджетное общеобразовательное учреждение «Школа „КвантУм“»",
        "short_name": "МБОУ Школа «КвантУм»",
        "address": "г. Энгельс, ул. Полиграфическая, 22",
        "town": "г. Энгельс",
        "inn": "6449012345",
        "order_number_suffix": "-ОД",
        "director_name": "Кляпка Ольга Викторовна",
        "director_position": "Директор",
        "consent_adult_age": 18,
        "consent_cosign_age": 14,
    }
    response = client.post(url, data, follow=True)
    assert "Реквизиты организации сохранены" in response.content.decode()
    school_a.refresh_from_db()
    assert school_a.inn == "6449012345" and school_a.short_name == "МБОУ Школа «КвантУм»"


def test_bad_inn_is_explained_next_to_the_field_and_nothing_is_saved(client, school_a, director_a):
    client.force_login(director_a)
    url = reverse("organisations:settings", kwargs={"org": school_a.slug})
    response = client.post(url, {"full_name": "Школа", "short_name": "", "inn": "12AB"})
    content = response.content.decode()
    assert response.status_code == 200
    assert "ИНН состоит из 10 цифр" in content
    assert "Обязательное поле" in content
    school_a.refresh_from_db()
    assert school_a.full_name != "Школа"


@pytest.mark.django_db
def test_district_officer_sees_only_own_schools(client, district_officer, school_a, school_b, district):
    other_district = DistrictFactory(slug="other-district")
    foreign_school = SchoolFactory(slug="foreign", parent=other_district, short_name="МБОУ Чужая школа")
    client.force_login(district_officer)
    page = client.get(reverse("reports:dashboard", kwargs={"org": district.slug})).content.decode()
    assert "МБОУ СОШ № 1" in page and "МБОУ СОШ № 2" in page
    assert "Чужая школа" not in page
    assert client.get(foreign_school.get_absolute_url()).status_code == 404
    assert client.get(reverse("reports:dashboard", kwargs={"org": other_district.slug})).status_code == 404
    assert client.get(school_a.get_absolute_url()).status_code == 200
    people = reverse("participants:person_list", kwargs={"org": school_a.slug})
    assert client.get(people).status_code == 403


def test_password_change(client, curator_a):
    client.force_login(curator_a)
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "Nastavnik-2026!", "new_password2": "Nastavnik-2026!"},
        follow=True,
    )
    assert "Пароль изменён" in response.content.decode()
    curator_a.refresh_from_db()
    assert curator_a.check_password("Nastavnik-2026!")


def test_logout(client, curator_a):
    client.force_login(curator_a)
    response = client.post(reverse("logout"))
    assert response["Location"] == reverse("login")
    assert client.get(reverse("home")).status_code == 302


def test_admin_works_for_administrators(admin_client):
    response = admin_client.get(reverse("admin:organisations_organisation_changelist"))
    assert response.status_code == 200
    assert "Организации" in response.content.decode()


def test_pages_carry_a_content_security_policy_and_an_idle_timeout(client, curator_a, settings):
    client.force_login(curator_a)
    response = client.get(reverse("reports:dashboard", kwargs={"org": "school-a"}))
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST
