"""Schools come from DUO's open data file; the profile editors keep is never overwritten."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from informeren.models import Ondersteuningsvorm, School
from tests.factories import SamenwerkingsverbandFactory

pytestmark = pytest.mark.django_db

SAMPLE = Path(__file__).resolve().parents[2] / "fixtures" / "duo" / "vestigingen-po-voorbeeld.csv"
REGION = ["--gemeente", "Lindewaarde", "--gemeente", "Hazelbroek", "--gemeente", "Veldmeer"]


def run(path, *args) -> str:
    out = StringIO()
    call_command("import_schools", str(path), *args, stdout=out)
    return out.getvalue()


def test_sample_file_creates_schools_and_reports_what_it_skipped():
    swv = SamenwerkingsverbandFactory(code="PO 99-01")
    report = run(SAMPLE, *REGION)
    assert "created:   4" in report
    assert "skipped:   3" in report
    assert "outside the region (Ergens)" in report
    assert "Een BRIN is twee cijfers en twee letters." in report
    assert "wrong number of fields" in report
    school = School.objects.get(brin="99GB", vestiging="01")
    assert school.name == "CBS Het Zaadje, locatie Oost"
    assert school.gemeente == "Hazelbroek" and school.place == "Broekdorp"
    assert school.samenwerkingsverband == swv
    assert School.objects.get(brin="99GC").school_type == "sbo"
    assert School.objects.get(brin="99GA").website == "https://www.kastanje.example"


def test_repeated_import_changes_nothing_and_keeps_the_profile():
    run(SAMPLE, *REGION)
    school = School.objects.get(brin="99AA")
    school.support.add(Ondersteuningsvorm.objects.get(slug="autisme"))
    school.profile_summary = "Door de redactie bijgehouden."
    school.save()
    report = run(SAMPLE, *REGION)
    assert "created:   0" in report
    assert "unchanged: 4" in report
    school.refresh_from_db()
    assert school.profile_summary == "Door de redactie bijgehouden."
    assert school.support.count() == 1


def test_changed_address_updates_the_school(tmp_path):
    run(SAMPLE, *REGION)
    changed = tmp_path / "nieuw.csv"
    changed.write_text(
        SAMPLE.read_text().replace("Schoolstraat;4", "Schoolstraat;6"), encoding="utf-8"
    )
    report = run(changed, *REGION)
    assert "updated:   1" in report
    assert School.objects.get(brin="99AA").street == "Schoolstraat 6"


def test_windows_encoded_file_is_read(tmp_path):
    text = SAMPLE.read_text().replace("CBS Het Zaadje", "CBS Één Zaadje")
    path = tmp_path / "cp1252.csv"
    path.write_bytes(text.encode("cp1252"))
    run(path, *REGION)
    assert School.objects.filter(name__startswith="CBS Één Zaadje").exists()


def test_wrong_header_is_refused_and_nothing_is_imported(tmp_path):
    path = tmp_path / "anders.csv"
    path.write_text("naam,plaats\nSchool,Stad\n", encoding="utf-8")
    with pytest.raises(CommandError, match="missing column"):
        run(path)
    assert School.objects.count() == 0


def test_binary_garbage_is_refused(tmp_path):
    path = tmp_path / "rommel.csv"
    path.write_bytes(bytes(range(256)) * 4)
    with pytest.raises(CommandError):
        run(path)
    assert School.objects.count() == 0


def test_rows_without_a_known_type_need_the_type_option(tmp_path):
    path = tmp_path / "vo.csv"
    header = SAMPLE.read_text().splitlines()[0].replace(";SOORT PO", "")
    row = "Fictief;1;99HA;00;Zonder Soort;Weg;1;9991 AA;LINDEWAARDE;9901;LINDEWAARDE;Openbaar;;"
    path.write_text(f"{header}\n{row}\n", encoding="utf-8")
    assert "unknown school type" in run(path)
    assert "created:   1" in run(path, "--type", "vo")
