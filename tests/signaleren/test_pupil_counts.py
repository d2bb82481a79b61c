"""Pupils per gemeente from DUO's open data, for the reach figures."""

from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from informeren.models import PupilCount, Sector, SwvGemeente
from tests.factories import SamenwerkingsverbandFactory

pytestmark = pytest.mark.django_db

SAMPLE = Path(settings.BASE_DIR) / "fixtures" / "duo" / "leerlingen-per-gemeente-voorbeeld.csv"


@pytest.fixture
def region():
    po = SamenwerkingsverbandFactory(code="PO 99-01")
    vo = SamenwerkingsverbandFactory(code="VO 99-02", sector=Sector.VO)
    for name in ("Lindewaarde", "Hazelbroek", "'s-Gravenveld"):
        SwvGemeente.objects.create(gemeente=name, sector=Sector.PO, samenwerkingsverband=po)
        SwvGemeente.objects.create(gemeente=name, sector=Sector.VO, samenwerkingsverband=vo)


def run(path: Path, *args: str) -> str:
    out = StringIO()
    call_command("import_pupil_counts", str(path), *args, stdout=out)
    return out.getvalue()


def counts() -> dict[tuple[str, str, int], int]:
    return {(c.gemeente, c.sector, c.year): c.pupils for c in PupilCount.objects.all()}


def test_comma_file_with_quotes_is_read(region, tmp_path):
    path = tmp_path / "leerlingen-vo.csv"
    path.write_text(
        '"PEILDATUM","GEMEENTENAAM","ONDERWIJSTYPE VO","AANTAL LEERLINGEN"\n'
        '"1-10-2025","LINDEWAARDE","VMBO","1.210"\n'
        '"1-10-2025","LINDEWAARDE","HAVO/VWO","2.305"\n'
        '"1-10-2025","\'S-GRAVENVELD","Praktijkonderwijs","41"\n'
        '"1-10-2025","ELDERSTAD","VMBO","999"\n',
        encoding="utf-8",
    )
    output = run(path, "--sector", "vo")
    assert "separated by ','" in output
    assert "outside the region: 1 rows" in output
    # Rows of one gemeente are added up; the region's spelling of its name is kept.
    assert counts() == {("Lindewaarde", "vo", 2025): 3515, ("'s-Gravenveld", "vo", 2025): 41}


def test_semicolon_file_with_school_types_and_two_years(region, tmp_path):
    path = tmp_path / "leerlingen.csv"
    path.write_bytes(
        "PEILJAAR;GEMEENTENAAM;SOORT PO;LEERLINGEN\n"
        "2024;Hazelbroek;Bo;2650\n"
        "2024;Hazelbroek;Sbo;60\n"
        "2025;Hazelbroek;Bo;2600\n"
        "2025;Hazelbroek;Vso;70\n"
        "2025;Hazelbroek;;12\n"
        "2025;Hazelbroek;Bo;veel\n".encode("cp1252")
    )
    output = run(path)
    assert "separated by ';'" in output
    assert "line 6: unknown sector" in output
    assert "line 7: not a number of pupils" in output
    assert counts() == {
        ("Hazelbroek", "po", 2024): 2710,
        ("Hazelbroek", "po", 2025): 2600,
        ("Hazelbroek", "vo", 2025): 70,
    }


def test_importing_again_updates_and_reports_unchanged(region, tmp_path):
    path = tmp_path / "po.csv"
    path.write_text("JAAR;GEMEENTE;AANTAL\n2025;Lindewaarde;5000\n", encoding="utf-8")
    assert "created:   1" in run(path, "--sector", "po")
    assert "unchanged: 1" in run(path, "--sector", "po")
    path.write_text("JAAR;GEMEENTE;AANTAL\n2025;Lindewaarde;5100\n", encoding="utf-8")
    assert "updated:   1" in run(path, "--sector", "po")
    assert counts() == {("Lindewaarde", "po", 2025): 5100}


def test_a_file_without_the_columns_is_refused_whole(region, tmp_path):
    path = tmp_path / "scholen.csv"
    path.write_text("INSTELLINGSCODE;VESTIGINGSNAAM\n99AA;School\n", encoding="utf-8")
    with pytest.raises(CommandError, match="missing column"):
        run(path)
    assert not PupilCount.objects.exists()


def test_the_demo_sample_loads_for_the_demo_gemeenten(tmp_path):
    swv = SamenwerkingsverbandFactory(code="PO 99-01")
    for name in ("Hazelbroek", "Lindewaarde", "Ravensloot", "Veldmeer"):
        SwvGemeente.objects.create(gemeente=name, sector=Sector.PO, samenwerkingsverband=swv)
    output = run(SAMPLE)
    assert "outside the region: 12 rows" in output
    found = counts()
    assert {gemeente for gemeente, _sector, _year in found} == {
        "Hazelbroek",
        "Lindewaarde",
        "Ravensloot",
        "Veldmeer",
    }
    assert {year for _g, _s, year in found} == {2024, 2025}
    assert 1000 < found[("Lindewaarde", "po", 2025)] < 20000
