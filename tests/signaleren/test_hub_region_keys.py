"""The hub's registry of regions (issue 26, signals go up): one key, one region.

A region signs what it shares with its own key and the hub picks the key by the
region's code. A key registered for two regions would let one sign as the other; the
hub's own key registered for a region would make the hub's signature a region's."""

from datetime import date

import pytest
from django.core.management import CommandError, call_command

from signaleren.models import HubRegion
from steunpunt import signing
from tests.conftest import client_for
from tests.factories import UserFactory
from tests.signaleren.test_share_up import OtherRegion, document

ADD = "/beheer/django/signaleren/hubregion/add/"


@pytest.fixture
def hub(settings):
    settings.NATIONAL_HUB = True
    return settings


@pytest.mark.django_db
def test_a_key_of_another_region_is_refused(hub):
    north = OtherRegion("noord")
    north.register()
    with pytest.raises(CommandError, match="hoort al bij regio Noord"):
        call_command("register_region", "zuid", "Regio Zuid", "--", north.public_key)
    admin = client_for(UserFactory(is_superuser=True, is_staff=True))
    refused = admin.post(ADD, {"code": "zuid", "name": "Zuid", "public_key": north.public_key})
    assert refused.status_code == 200
    assert "hoort al bij regio Noord" in refused.text
    assert not HubRegion.objects.filter(code="zuid").exists()
    # South cannot sign as North: it has no key of North's.
    south = OtherRegion("zuid")
    call_command("register_region", "zuid", "Regio Zuid", "--", south.public_key)
    pretending = document("noord", 1, (date(2026, 7, 1), date(2026, 9, 30)), {"ouder": 20}, 20)
    south.code = "noord"
    assert south.send(pretending).status_code == 403


@pytest.mark.django_db
def test_a_region_keeps_its_own_key_when_it_is_registered_again(hub):
    north = OtherRegion("noord")
    north.register()
    call_command("register_region", "noord", "Regio Noord-Holland", "--", north.public_key)
    assert HubRegion.objects.get(code="noord").name == "Regio Noord-Holland"
    admin = client_for(UserFactory(is_superuser=True, is_staff=True))
    region = HubRegion.objects.get(code="noord")
    change = f"/beheer/django/signaleren/hubregion/{region.pk}/change/"
    saved = admin.post(
        change, {"code": "noord", "name": "Noord", "public_key": north.public_key, "active": "on"}
    )
    assert saved.status_code == 302


@pytest.mark.django_db
def test_the_hubs_own_key_is_no_regions_key(hub):
    with pytest.raises(CommandError, match="landelijk steunpunt zelf"):
        call_command("register_region", "noord", "Regio Noord", "--", signing.public_key())
    assert not HubRegion.objects.exists()


@pytest.mark.django_db
def test_a_key_that_starts_with_a_dash_registers_after_the_double_dash(hub, settings):
    """Url-safe base64 may start with "-": the README's `register_region CODE NAME -- KEY`."""
    while True:
        settings.NATIONAL_SIGNING_KEY = signing.new_private_key()
        key = signing.public_key()
        if key.startswith("-"):
            break
    settings.NATIONAL_SIGNING_KEY = signing.new_private_key()  # the hub's own key is another
    call_command("register_region", "west", "Regio West", "--", key)
    assert HubRegion.objects.get(code="west").public_key == key
