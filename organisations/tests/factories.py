import factory

from organisations.models import Membership, Organisation, User

TEST_PASSWORD = "correct-horse-battery"


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ["slug"]

    kind = Organisation.Kind.DISTRICT
    slug = factory.Sequence(lambda n: f"district-{n}")
    full_name = factory.Sequence(lambda n: f"Управление образования района № {n}")
    short_name = factory.Sequence(lambda n: f"УО района № {n}")
    town = "с. Новокаякент"


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ["slug"]

    kind = Organisation.Kind.SCHOOL
    parent = factory.SubFactory(DistrictFactory)
    slug = factory.Sequence(lambda n: f"school-{n}")
    full_name = factory.Sequence(lambda n: f"Муниципальное бюджетное общеобразовательное учреждение «Школа № {n}»")
    short_name = factory.Sequence(lambda n: f"МБОУ «Школа № {n}»")
    town = "г. Энгельс"
    director_name = "Кляпка Ольга Викторовна"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    last_name = "Николаева"
    first_name = "Ольга"
    patronymic = "Андреевна"
    password = factory.django.Password(TEST_PASSWORD)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(SchoolFactory)
    role = "curator"
