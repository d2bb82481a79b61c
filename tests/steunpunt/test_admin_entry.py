"""Django's admin at /beheer/django/: superusers only, through our login, never a loop."""

from urllib.parse import urlencode

import pytest
from django.urls import reverse

from steunpunt.roles import Role
from tests.conftest import client_for
from tests.factories import UserFactory

ADMIN = "/beheer/django/"


@pytest.mark.parametrize("role", list(Role))
def test_staff_who_are_not_superusers_get_our_403_page_not_a_loop(db, role):
    staff = client_for(UserFactory(roles=[role]))
    response = staff.get(ADMIN, follow=True)  # a redirect loop raises here
    assert response.status_code == 403
    assert "geen toegang" in response.text


def test_the_outsider_gets_the_403_page_too(outsider):
    response = client_for(outsider).get(f"{ADMIN}auth/user/", follow=True)
    assert response.status_code == 403


def test_a_superuser_reaches_the_admin(db):
    admin = UserFactory(is_superuser=True, is_staff=True)
    response = client_for(admin).get(ADMIN)
    assert response.status_code == 200
    assert "auth/user/" in response.text


def test_a_superuser_on_the_admin_login_is_sent_to_the_admin(db):
    admin = UserFactory(is_superuser=True, is_staff=True)
    response = client_for(admin).get(reverse("admin_login"))
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:index")


def test_a_visitor_is_sent_to_our_login_with_the_way_back(client, db):
    response = client.get(ADMIN, follow=True)
    assert (
        response.redirect_chain[-1][0] == f"{reverse('account:login')}?{urlencode({'next': ADMIN})}"
    )
    assert response.status_code == 200
