"""Roles are groups with permissions; each staff area opens only for its roles."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from steunpunt.roles import ROLE_PERMISSIONS, Role
from tests.conftest import client_for, totp_code, verify_second_factor
from tests.factories import PASSWORD, UserFactory

AREAS = {
    "steunen:inbox": {Role.MEDEWERKER, Role.COORDINATOR, Role.VRIJWILLIGER},
    "steunen:afspraak_day": {Role.MEDEWERKER, Role.COORDINATOR},
    "informeren:redactie": {Role.REDACTEUR, Role.VALIDATOR},
    "signaleren:dashboard": {Role.COORDINATOR, Role.BESTUUR, Role.OPR},
}


@pytest.mark.django_db
def test_every_role_is_a_group_with_its_permissions():
    for role, permissions in ROLE_PERMISSIONS.items():
        group = Group.objects.get(name=role.value)
        held = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
        assert held == set(permissions)


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.BESTUUR, Role.OPR])
def test_board_and_opr_hold_no_permission_on_people_or_cases(role):
    group = Group.objects.get(name=role.value)
    assert group.permissions.count() == 0


@pytest.mark.parametrize("url_name", AREAS)
def test_visitor_is_sent_to_login_for_a_staff_area(client, db, url_name):
    response = client.get(reverse(url_name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account:login"))


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("url_name", AREAS)
def test_staff_area_opens_only_for_its_roles(db, role, url_name):
    user = UserFactory(roles=[role])
    response = client_for(user).get(reverse(url_name))
    expected = 200 if role in AREAS[url_name] else 403
    assert response.status_code == expected


@pytest.mark.parametrize("url_name", AREAS)
def test_outsider_without_role_is_refused_everywhere(outsider, url_name):
    response = client_for(outsider).get(reverse(url_name))
    assert response.status_code == 403
    assert "geen toegang" in response.text


def test_superuser_without_role_gets_no_shortcut(db):
    admin = UserFactory(is_superuser=True, is_staff=True)
    assert client_for(admin).get(reverse("steunen:inbox")).status_code == 403


def test_a_user_can_hold_several_roles(db):
    user = UserFactory(roles=[Role.REDACTEUR, Role.MEDEWERKER])
    client = client_for(user)
    assert client.get(reverse("informeren:redactie")).status_code == 200
    assert client.get(reverse("steunen:inbox")).status_code == 200
    assert client.get(reverse("signaleren:dashboard")).status_code == 403


def test_a_role_given_or_taken_away_counts_from_the_next_page_on(db):
    user = UserFactory(roles=[Role.MEDEWERKER])
    client = client_for(user)
    assert client.get(reverse("steunen:inbox")).status_code == 200
    user.groups.remove(Group.objects.get(name=Role.MEDEWERKER))
    assert client.get(reverse("steunen:inbox")).status_code == 403
    user.groups.add(Group.objects.get(name=Role.REDACTEUR))
    assert client.get(reverse("informeren:redactie")).status_code == 200
    user.is_active = False
    user.save()
    assert client.get(reverse("informeren:redactie")).status_code == 302  # to the login


def test_a_session_from_before_the_roles_backend_goes_on(db):
    user = UserFactory(roles=[Role.MEDEWERKER])
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    verify_second_factor(client, user)
    assert client.get(reverse("steunen:inbox")).status_code == 200


def test_navigation_shows_only_the_areas_of_the_users_roles(bestuur):
    page = client_for(bestuur).get(reverse("account:workspace")).text
    assert reverse("signaleren:dashboard") in page
    assert reverse("steunen:inbox") not in page
    assert reverse("informeren:redactie") not in page


def test_vrijwilliger_sees_the_case_area_but_not_the_editors(vrijwilliger):
    page = client_for(vrijwilliger).get(reverse("account:workspace")).text
    assert reverse("steunen:inbox") in page
    assert reverse("informeren:redactie") not in page
    assert reverse("signaleren:dashboard") not in page


def test_staff_logs_in_with_two_steps_and_lands_on_their_workspace(client, medewerker):
    code = totp_code(medewerker)
    response = client.post(
        reverse("account:login"), {"username": "sanne", "password": PASSWORD}, follow=True
    )
    assert "Tweede stap" in response.text
    response = client.post(response.redirect_chain[-1][0], {"token": code}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("account:workspace")
    assert "Mijn werkplek" in response.text
    assert "Medewerker" in response.text


def test_login_gets_a_fresh_session(client, medewerker):
    client.get(reverse("account:login"))
    client.cookies["sessionid"] = "attacker-chosen-session"
    client.post(reverse("account:login"), {"username": "sanne", "password": PASSWORD})
    assert client.cookies["sessionid"].value != "attacker-chosen-session"


def test_wrong_password_gives_a_dutch_message(client, medewerker):
    response = client.post(reverse("account:login"), {"username": "sanne", "password": "fout"})
    assert response.status_code == 200
    assert "Deze combinatie van gebruikersnaam en wachtwoord kennen we niet" in response.text
    assert 'role="alert"' in response.text


def test_empty_login_form_names_each_missing_field(client, db):
    response = client.post(reverse("account:login"), {"username": "", "password": ""})
    assert "Vul uw gebruikersnaam in." in response.text
    assert "Vul uw wachtwoord in." in response.text
    assert 'aria-describedby="id_username_error"' in response.text


def test_inactive_account_cannot_log_in(client, db):
    UserFactory(username="oud", is_active=False, roles=[Role.MEDEWERKER])
    response = client.post(reverse("account:login"), {"username": "oud", "password": PASSWORD})
    assert response.status_code == 200
    assert not response.wsgi_request.user.is_authenticated


def test_logout_ends_the_session(medewerker):
    client = client_for(medewerker)
    response = client.post(reverse("account:logout"))
    assert response.status_code == 302
    assert client.get(reverse("steunen:inbox")).status_code == 302


def test_logout_by_get_is_refused(medewerker):
    client = client_for(medewerker)
    assert client.get(reverse("account:logout")).status_code == 405
    assert client.get(reverse("steunen:inbox")).status_code == 200


def test_staff_pages_are_not_cached(medewerker):
    response = client_for(medewerker).get(reverse("steunen:inbox"))
    assert "no-store" in response["Cache-Control"]
