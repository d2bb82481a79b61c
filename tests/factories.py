"""Small builders for test records. The demo region lives in fixtures/, not here."""

import factory
from django.contrib.auth.models import Group, User

from informeren.models import Organisatie, Samenwerkingsverband, School, SchoolType, Sector
from steunpunt.roles import Role

PASSWORD = "een-lang-test-wachtwoord"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"gebruiker{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Persoon {n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@steunpunt.example")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def roles(self, create: bool, extracted: list[Role] | None, **kwargs: object) -> None:
        self.save()
        if extracted:
            self.groups.set(Group.objects.filter(name__in=[role.value for role in extracted]))


class SamenwerkingsverbandFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Samenwerkingsverband
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"PO 98-{n % 100:02d}")
    name = factory.Sequence(lambda n: f"Samenwerkingsverband {n}")
    sector = Sector.PO


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School

    name = factory.Sequence(lambda n: f"Testschool {n}")
    brin = factory.Sequence(lambda n: f"{n % 100:02d}{chr(65 + n // 26 % 26)}{chr(65 + n % 26)}")
    vestiging = "00"
    school_type = SchoolType.BAO
    street = "Teststraat 1"
    postcode = "9999 ZZ"
    place = "Teststad"
    gemeente = "Teststad"
    samenwerkingsverband = factory.SubFactory(SamenwerkingsverbandFactory)


class OrganisatieFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisatie

    name = factory.Sequence(lambda n: f"Organisatie {n}")
    soort = "wijkteam"
    summary = "Helpt gezinnen."
