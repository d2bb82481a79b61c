"""The demo region loads with one command, and loading it again changes nothing."""

from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from informeren.models import Organisatie, Samenwerkingsverband, School, SchoolType
from steunpunt.management.commands.load_demo import DEMO_PASSWORD
from steunpunt.roles import Role, roles_of

pytestmark = pytest.mark.django_db


def load_demo() -> None:
    call_command("load_demo", force=True, stdout=StringIO())


def counts() -> dict[str, int]:
    return {
        "swv": Samenwerkingsverband.objects.count(),
        "schools": School.objects.count(),
        "organisaties": Organisatie.objects.count(),
        "users": User.objects.count(),
    }


def test_loading_twice_gives_the_same_region():
    load_demo()
    first = counts()
    load_demo()
    assert counts() == first
    assert first["swv"] == 2
    assert first["schools"] >= 40
    assert first["organisaties"] >= 12


def test_region_has_a_po_and_a_vo_swv_with_reserved_codes():
    load_demo()
    codes = set(Samenwerkingsverband.objects.values_list("code", flat=True))
    assert codes == {"PO 99-01", "VO 99-02"}


def test_region_has_schools_of_every_type_in_several_gemeenten():
    load_demo()
    types = set(School.objects.values_list("school_type", flat=True))
    assert {"bao", "sbo", "so", "vo", "vso", "pro"} <= types
    assert set(types) <= set(SchoolType.values)
    assert School.objects.values("gemeente").distinct().count() >= 3


def test_every_role_has_a_demo_user_who_can_log_in(client):
    load_demo()
    for role in Role:
        user = User.objects.get(username=role.value)
        assert roles_of(user) == {role}
        assert client.login(username=role.value, password=DEMO_PASSWORD)


def test_demo_logins_are_printed(capsys):
    call_command("load_demo", force=True)
    out = capsys.readouterr().out
    assert DEMO_PASSWORD in out
    for role in Role:
        assert role.value in out


def test_refuses_without_debug_unless_forced(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="public passwords"):
        call_command("load_demo")
    assert School.objects.count() == 0


def test_demo_users_have_a_second_factor_whose_key_is_printed(capsys):
    import base64

    from django_otp.oath import TOTP

    from steunpunt.models import AppDevice as TOTPDevice

    call_command("load_demo", force=True)
    out = capsys.readouterr().out
    device = TOTPDevice.objects.get(user__username="medewerker")
    printed = base64.b32encode(device.bin_key).decode()
    assert printed in out
    token = TOTP(device.bin_key).token()
    assert device.verify_token(f"{token:06d}")


def test_nearly_every_demo_question_belongs_to_an_swv():
    from steunen.models import Case

    load_demo()
    cases = Case.objects.all()
    without = cases.filter(samenwerkingsverband__isnull=True).count()
    # Only those that named neither a school nor enough to find the SWV by.
    assert without <= cases.count() * 0.2
    for case in cases.filter(samenwerkingsverband__isnull=True, school__isnull=True):
        assert not (case.gemeente and case.school_type in {"bao", "sbo", "so", "vo", "vso", "pro"})
