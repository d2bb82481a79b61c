"""The national picture suppresses again (issue 26): also against a region that
subtracts its own figures. Every region's board (and its staff) reads the national
number beside its own, so the national number minus its own part is what the other
regions had together; that must not be a small number either."""

from datetime import date

import pytest

from tests.signaleren.test_share_up import OtherRegion, document, national_rows

Q3 = (date(2026, 7, 1), date(2026, 9, 30))


@pytest.fixture
def two_regions(settings):
    settings.NATIONAL_HUB = True
    settings.REPORT_SUPPRESSION_THRESHOLD = 10
    north, south = OtherRegion("noord"), OtherRegion("zuid")
    north.register()
    south.register()
    return north, south


def own_minus_national_gives_nothing_small(shown: dict[str, str], own: dict[str, int]) -> None:
    for label, mine in own.items():
        if shown[label].isdigit():
            rest = int(shown[label]) - mine
            assert rest == 0 or rest >= 10, (label, shown[label], mine)


@pytest.mark.django_db
def test_a_region_cannot_work_out_anothers_small_number(two_regions):
    north, south = two_regions
    # Noord (threshold 5) showed 7 parents; Zuid 40. 47 beside Zuid's own 40 gives 7.
    assert (
        north.send(
            document("noord", 1, Q3, {"ouder": 7, "jongere": 20}, 27, threshold=5)
        ).status_code
        == 201
    )
    assert south.send(document("zuid", 2, Q3, {"ouder": 40, "jongere": 30}, 70)).status_code == 201
    shown = national_rows(Q3, "asker_type")
    assert shown["Ouder"] == "verborgen"
    own_minus_national_gives_nothing_small(shown, {"Ouder": 40, "Jongere": 30, "Totaal": 70})
    own_minus_national_gives_nothing_small(shown, {"Ouder": 7, "Jongere": 20, "Totaal": 27})
    # The total minus the one number left would give 47 back: that one goes too.
    assert shown["Jongere"] == "verborgen"
    assert shown["Totaal"] == "97"


@pytest.mark.django_db
def test_a_lower_bound_does_not_give_it_away_either(two_regions, settings):
    north, south = two_regions
    east = OtherRegion("oost")
    east.register()
    north.send(document("noord", 1, Q3, {"ouder": 7}, 7, threshold=5))
    south.send(document("zuid", 2, Q3, {"ouder": 40}, 40))
    east.send(document("oost", 3, Q3, {"ouder": None}, None))
    # "minstens 47" beside Zuid's 40 says Noord had 7.
    shown = national_rows(Q3, "asker_type")
    assert shown["Ouder"] == "verborgen"
    assert "47" not in shown["Totaal"]


@pytest.mark.django_db
def test_a_small_total_of_the_others_is_hidden(two_regions):
    north, south = two_regions
    north.send(document("noord", 1, Q3, {"ouder": 12}, 12))
    south.send(document("zuid", 2, Q3, {"ouder": 3}, 3, threshold=2))
    shown = national_rows(Q3, "asker_type")
    assert shown["Totaal"] == "verborgen"  # 15 beside Noord's 12 gives Zuid's 3
    assert shown["Ouder"] == "verborgen"


@pytest.mark.django_db
def test_many_regions_still_show_their_national_number(two_regions):
    north, south = two_regions
    north.send(document("noord", 1, Q3, {"ouder": 25, "jongere": 15}, 40))
    south.send(document("zuid", 2, Q3, {"ouder": 30, "jongere": 12}, 42))
    assert national_rows(Q3, "asker_type") == {"Ouder": "55", "Jongere": "27", "Totaal": "82"}
