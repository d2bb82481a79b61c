"""Every case belongs to an SWV when it can: by the school, else by gemeente and school type."""

import pytest
from django.urls import reverse

from informeren.models import Sector, SwvGemeente
from steunen.models import Case, EventKind
from tests.conftest import client_for
from tests.factories import SamenwerkingsverbandFactory, SchoolFactory
from tests.steunen.helpers import form_data

pytestmark = pytest.mark.django_db
ASK = "/vraag/"


@pytest.fixture
def region():
    po = SamenwerkingsverbandFactory(code="PO 99-01", sector=Sector.PO)
    vo = SamenwerkingsverbandFactory(code="VO 99-02", sector=Sector.VO)
    for gemeente in ("Lindewaarde", "Veldmeer"):
        SwvGemeente.objects.create(gemeente=gemeente, sector=Sector.PO, samenwerkingsverband=po)
        SwvGemeente.objects.create(gemeente=gemeente, sector=Sector.VO, samenwerkingsverband=vo)
    return po, vo


def test_the_form_asks_the_gemeente_and_offers_only_the_regions_own(client, region):
    page = client.get(ASK).text
    assert "In welke gemeente woont u?" in page
    assert '<option value="Lindewaarde">Lindewaarde</option>' in page
    assert "Een andere gemeente" in page and "Zeg ik liever niet" in page
    youth = client.get(ASK, {"voor": "jongere"}).text
    assert "In welke gemeente woon je?" in youth


@pytest.mark.parametrize(("school_type", "swv"), [("bao", "PO 99-01"), ("vso", "VO 99-02")])
def test_a_question_without_a_school_gets_the_swv_of_its_gemeente(client, region, school_type, swv):
    response = client.post(ASK, form_data(gemeente="Veldmeer", school_type=school_type))
    assert response.status_code == 200 and "code" in response.context
    case = Case.objects.get()
    assert case.gemeente == "Veldmeer"
    assert case.samenwerkingsverband.code == swv


def test_a_named_school_decides_over_the_gemeente(client, region):
    po, _vo = region
    school = SchoolFactory(samenwerkingsverband=po, school_type="bao", gemeente="Lindewaarde")
    client.post(ASK, form_data(gemeente="Veldmeer", school=str(school.pk)))
    assert Case.objects.get().samenwerkingsverband == po


@pytest.mark.parametrize(
    ("gemeente", "school_type"), [("elders", "bao"), ("Veldmeer", ""), ("", "vo"), ("", "")]
)
def test_without_enough_to_go_on_the_swv_stays_unknown(client, region, gemeente, school_type):
    client.post(ASK, form_data(gemeente=gemeente, school_type=school_type))
    assert Case.objects.get().samenwerkingsverband is None


def test_a_made_up_gemeente_is_refused_in_dutch_and_the_question_stays(client, region):
    response = client.post(ASK, form_data(gemeente="Atlantis", question="Mijn vraag blijft."))
    assert "Kies een gemeente uit de lijst." in response.text
    assert "Mijn vraag blijft." in response.text
    assert not Case.objects.exists()


def test_the_wegwijzer_link_fills_in_the_gemeente(client, region):
    page = client.get(ASK, {"gemeente": "Lindewaarde"}).text
    assert '<option value="Lindewaarde" selected>Lindewaarde</option>' in page
    other = client.get(ASK, {"gemeente": "Atlantis"}).text
    assert "Atlantis" not in other


def test_staff_see_swv_onbekend_and_correct_it_with_a_trace(client, region, medewerker):
    _po, vo = region
    client.post(ASK, form_data(gemeente="elders", school_type="vo"))
    case = Case.objects.get()
    staff = client_for(medewerker)
    page = staff.get(reverse("steunen:case", args=[case.pk])).text
    assert "SWV onbekend" in page and "Een andere gemeente" in page
    response = staff.post(
        reverse("steunen:case_swv", args=[case.pk]), {"swv-samenwerkingsverband": vo.pk}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.samenwerkingsverband == vo
    event = case.events.get(kind=EventKind.SWV_CHANGED)
    assert event.actor == medewerker and event.detail == "VO 99-02"
    page = staff.get(reverse("steunen:case", args=[case.pk])).text
    assert "Het samenwerkingsverband is gewijzigd." in page


def test_a_volunteer_on_the_case_may_not_change_its_swv(client, region, vrijwilliger):
    client.post(ASK, form_data())
    case = Case.objects.get()
    case.assign_to(vrijwilliger)
    case.save()
    answer = client_for(vrijwilliger).post(
        reverse("steunen:case_swv", args=[case.pk]), {"swv-samenwerkingsverband": region[0].pk}
    )
    assert answer.status_code == 404  # staff's case pages do not exist for a volunteer
    case.refresh_from_db()
    assert case.samenwerkingsverband is None
