"""Done when (issue 26, item 3): a hub and a region, each a real bin/serve with its own
PostgreSQL database, its own SECRET_KEY and so its own signing key. A regional report
shared up shows in the hub's national picture, suppressed again at the national
level; the region's board reads that picture beside its own, also when the hub is down.
"""

import html
import json
import re

import pytest
from django_otp.oath import TOTP

from steunpunt.management.commands.load_demo import DEMO_PASSWORD, demo_totp_key
from tests.servers import Portal, Visitor, manage, production_database, shell

# The region's Redis database (9 to 15 belong to other tests); the hub keeps its cache
# in memory.
REDIS_URL = "redis://127.0.0.1:6379/8"
NATIONAL_THRESHOLD = 30  # the hub suppresses more than the region (10)


def signed_in(url: str, username: str) -> Visitor:
    user = Visitor(url)
    user.get("/account/login/")
    login = user.post("/account/login/", {"username": username, "password": DEMO_PASSWORD})
    assert login.status == 302, login.status
    user.get("/account/tweestaps/")
    key = bytes.fromhex(demo_totp_key(username))
    verified = user.post("/account/tweestaps/", {"token": f"{TOTP(key).token():06d}"})
    assert verified.status == 302
    return user


@pytest.fixture(scope="module")
def servers():
    with production_database(
        REDIS_URL,
        SECRET_KEY="hub-" + "h" * 60,
        NATIONAL_HUB="1",
        REPORT_SUPPRESSION_THRESHOLD=str(NATIONAL_THRESHOLD),
    ) as hub_env:
        hub_env = {**hub_env, "REDIS_URL": ""}  # one worker: its own cache, not the region's
        hub_key = manage("signing_public_key", env=hub_env).strip()
        with production_database(
            REDIS_URL, SECRET_KEY="region-" + "r" * 60, REGION_CODE="lindewaarde"
        ) as region_env:
            region_key = manage("signing_public_key", env=region_env).strip()
            assert region_key != hub_key
            manage(
                # "--": a key in url-safe base64 may start with "-".
                *("register_region", "lindewaarde", "Steunpunt Lindewaarde", "--", region_key),
                env=hub_env,
            )
            hub = Portal(hub_env, workers=1).start()
            try:
                region_env = {
                    **region_env,
                    "NATIONAL_HUB_URL": hub.url,
                    "NATIONAL_HUB_PUBLIC_KEY": hub_key,
                }
                with Portal(region_env, workers=1) as region:
                    yield hub, region, region_env
            finally:
                hub.stop()


def table_rows(page: str, caption: str) -> dict[str, list[str]]:
    """The rows of the table with this caption: label -> the cells after it."""
    match = re.search(
        rf"<caption[^>]*>{re.escape(html.escape(caption))}</caption>(.*?)</table>", page, re.S
    )
    assert match, f"no table {caption!r}"
    rows = {}
    for label, cells in re.findall(
        r'<tr[^>]*><th scope="row">(.*?)</th>(.*?)</tr>', match.group(1)
    ):
        rows[html.unescape(label)] = [
            html.unescape(c) for c in re.findall(r"<td>(.*?)</td>", cells)
        ]
    return rows


def test_a_regional_report_shared_up_shows_in_the_national_picture(servers):
    hub, region, region_env = servers
    found = json.loads(
        shell(
            "import json; from signaleren.models import Report; "
            "r = Report.objects.published().filter(title__startswith='Jaarrapportage').get(); "
            "t = [t for t in r.frozen['tables'] "
            "if t['key'] in ('asker_type', 'school_type', 'themes')]; "
            "print(json.dumps({'pk': r.pk, 'tables': t}))",
            region_env,
        )
    )
    report_url = f"/signalen/rapportages/{found['pk']}/"
    share_url = f"{report_url}delen/"

    coordinator = signed_in(region.url, "coordinator")
    assert share_url in coordinator.get(report_url).text
    confirm = coordinator.get(share_url)
    assert confirm.status == 200
    shared = coordinator.post(share_url, {})
    assert shared.status == 302, shared.text[:500]
    after = coordinator.get(shared.headers["Location"]).text
    assert "zijn gedeeld met het landelijk steunpunt" in after
    # A second time: refused, in words.
    coordinator.get(report_url)
    again = coordinator.get(share_url)
    assert again.status == 302
    assert "al gedeeld met het landelijk steunpunt" in coordinator.get(report_url).text

    # At the hub: the national picture, for its board.
    board = signed_in(hub.url, "bestuur")
    picture = board.get("/signalen/landelijk/")
    assert picture.status == 200
    assert "1 regio deelde cijfers over deze periode." in picture.text
    small = f"< {NATIONAL_THRESHOLD}"
    shown_here = hidden_again = 0
    for table in found["tables"]:
        national = table_rows(picture.text, table["title"])
        for row in table["rows"]:
            there = national[row["label"]][0]
            if row["value"] is None:
                # Hidden in the region: the hub never learned it and shows no number.
                assert not any(c.isdigit() for c in there), (row, there)
            elif there.isdigit():
                assert int(there) == row["value"] >= NATIONAL_THRESHOLD, (row, there)
                shown_here += 1
            else:
                # Shown by the region, hidden again nationally: too small itself, or
                # the second cell that keeps a small one from total minus the rest.
                assert there in {"verborgen", small}, (row, there)
                hidden_again += 1
            if row["value"] is not None and row["value"] < NATIONAL_THRESHOLD:
                assert there in {"verborgen", small}, (row, there)
        total = table.get("total", {}).get("value")
        if total is not None and total >= NATIONAL_THRESHOLD:
            assert national["Totaal"][0] == str(total)
    assert shown_here and hidden_again, (shown_here, hidden_again)
    first_table = found["tables"][0]
    first_row = first_table["rows"][0]
    first_national = table_rows(picture.text, first_table["title"])[first_row["label"]][0]

    # The region's board reads it beside its own.
    region_board = signed_in(region.url, "bestuur")
    own = region_board.get(report_url)
    assert own.status == 200
    assert "Landelijk beeld" in own.text
    assert '<th scope="col">Eigen regio</th><th scope="col">Landelijk</th>' in own.text
    cells = re.search(
        rf'<tr><th scope="row">{re.escape(html.escape(first_row["label"]))}</th>'
        r"<td>([^<]*)</td><td>([^<]*)</td></tr>",
        own.text.split('id="landelijk"', 1)[1],
    )
    assert cells and html.unescape(cells.group(1)) == first_row["display"]
    assert html.unescape(cells.group(2)) == first_national

    # The hub goes down: the region's page still reads the picture it kept.
    hub.stop()
    down = region_board.get(report_url)
    assert down.status == 200
    assert "Landelijk beeld" in down.text and "bijgewerkt op" in down.text
