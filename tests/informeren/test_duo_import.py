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


DUO = SAMPLE.parent


def test_a_file_with_commas_and_quotes_is_read_with_names_that_hold_a_comma():
    report = run(DUO / "vestigingen-so-komma.csv")
    assert "read:      2 rows, separated by ','" in report
    assert "created:   2" in report
    wilg = School.objects.get(brin="99SA", vestiging="00")  # the full code 99SA00 is split
    assert wilg.name == "SO De Wilg, locatie Noord"
    assert wilg.school_type == "so"
    assert wilg.phone == "0999-140001"
    horizon = School.objects.get(brin="99SB")
    assert horizon.school_type == "vso"  # a school for so and vso
    assert horizon.street == "Horizonlaan 20 a"


def test_an_older_file_with_brin_nummer_and_vestigingsnummer_is_read():
    report = run(DUO / "vestigingen-vo-oude-kolommen.csv")
    assert "created:   3" in report, report
    assert School.objects.get(brin="99VA").school_type == "vo"
    assert School.objects.get(brin="99VB").school_type == "pro"
    assert School.objects.get(brin="99VC", vestiging="01").school_type == "vso"
    assert School.objects.get(brin="99VA").phone == "0999-130001"


def test_the_school_page_shows_the_phone_and_website_from_duo(client):
    run(DUO / "vestigingen-vo-oude-kolommen.csv")
    school = School.objects.get(brin="99VA")
    page = client.get(f"/scholen/{school.pk}/").text
    assert 'href="tel:0999130001"' in page and "0999-130001" in page
    assert "https://www.lindecollege.example" in page


def test_the_file_of_schools_per_swv_ties_each_school_to_its_own_swv():
    po = SamenwerkingsverbandFactory(code="PO 99-01", sector="po")
    vo = SamenwerkingsverbandFactory(code="VO 99-02", sector="vo")
    SamenwerkingsverbandFactory(code="PO 99-03", sector="po")  # two PO SWVs: no guessing
    run(SAMPLE, *REGION)
    run(DUO / "vestigingen-so-komma.csv")
    run(DUO / "vestigingen-vo-oude-kolommen.csv")
    assert School.objects.get(brin="99AA").samenwerkingsverband is None
    report = run(
        DUO / "vestigingen-po-voorbeeld.csv",
        *REGION,
        "--samenwerkingsverbanden",
        str(DUO / "scholen-per-swv-voorbeeld.csv"),
    )
    # The one VO SWV was given at import already; the PO schools needed the file.
    assert "tied:      2" in report and "unchanged: 1" in report
    assert "SWV PO 12-34 is not in this region" in report
    assert "school 99ZZ00 is not imported" in report
    assert "not an SWV code: 'onbekend'" in report
    assert School.objects.get(brin="99AA").samenwerkingsverband == po
    assert School.objects.get(brin="99SA").samenwerkingsverband == po  # written as PO9901
    assert School.objects.get(brin="99VA").samenwerkingsverband == vo
    again = run(
        DUO / "vestigingen-po-voorbeeld.csv",
        *REGION,
        "--samenwerkingsverbanden",
        str(DUO / "scholen-per-swv-voorbeeld.csv"),
    )
    assert "tied:      0" in again and "unchanged: 3" in again


def test_a_file_that_is_not_a_list_of_schools_per_swv_is_refused(tmp_path):
    run(SAMPLE, *REGION)
    wrong = tmp_path / "swv.csv"
    wrong.write_text("naam;plaats\nIets;Ergens\n", encoding="utf-8")
    with pytest.raises(CommandError, match="No school was tied"):
        run(SAMPLE, *REGION, "--samenwerkingsverbanden", str(wrong))
