"""Each region's own face: name, logo and colours by configuration, as design tokens
whose contrast `manage.py check` holds to WCAG AA (steunpunt/theme.py)."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.checks import Error, run_checks
from django.test import Client

from steunpunt import theme

pytestmark = pytest.mark.django_db

STYLESHEET = Path(settings.BASE_DIR) / "static" / "css" / "steunpunt.css"
LOGO = Path(settings.BASE_DIR) / "static" / "img" / "logo-lindewaarde.svg"


def theme_errors() -> list[Error]:
    return [m for m in run_checks() if m.id == "steunpunt.E010"]


def root_tokens() -> dict[str, str]:
    css = STYLESHEET.read_text(encoding="utf-8")
    root = css[css.index(":root {") : css.index("}", css.index(":root {"))]
    return dict(re.findall(r"--steunpunt-color-([\w-]+):\s*(#[0-9a-fA-F]+);", root))


def test_the_default_colours_pass_the_contrast_check(settings):
    settings.STEUNPUNT_COLORS = {}
    assert theme.problems() == []
    assert theme_errors() == []


def test_the_checked_defaults_are_the_stylesheets_own():
    tokens = root_tokens()
    for token, value in theme.DEFAULTS.items():
        assert tokens[token].lower() == value.lower(), token


def test_the_stylesheet_uses_tokens_not_literal_colours():
    css = STYLESHEET.read_text(encoding="utf-8")
    root_end = css.index("}", css.index(":root {"))
    after_tokens = re.sub(r"/\*.*?\*/", "", css[root_end:], flags=re.S)
    assert re.findall(r"#[0-9a-fA-F]{3,8}\b|\brgba?\(|\bhsla?\(", after_tokens) == []


def test_a_pale_primary_colour_is_refused_with_the_pair_and_its_ratio(settings):
    settings.STEUNPUNT_COLORS = {"primary": "#7fb8c4"}
    errors = theme_errors()
    assert errors and all(isinstance(e, Error) for e in errors)
    text = " ".join(e.msg for e in errors)
    assert "--steunpunt-color-on-primary #ffffff on --steunpunt-color-primary #7fb8c4" in text
    assert "needs 4.5:1" in text


def test_a_pale_focus_colour_against_the_header_needs_three_to_one(settings):
    settings.STEUNPUNT_COLORS = {"focus": "#00566b", "focus-text": "#ffffff"}
    text = " ".join(e.msg for e in theme_errors())
    assert "--steunpunt-color-focus #00566b on --steunpunt-color-primary" in text
    assert "needs 3.0:1" in text


def test_a_dark_brand_colour_passes(settings):
    settings.STEUNPUNT_COLORS = {"primary": "#7a1f5c", "primary-dark": "#521340", "link": "#7a1f5c"}
    assert theme_errors() == []


def test_a_value_that_is_no_colour_or_an_unknown_token_is_refused(settings):
    settings.STEUNPUNT_COLORS = {"primary": "purple; } body { display: none"}
    assert "is not a colour" in theme_errors()[0].msg
    settings.STEUNPUNT_COLORS = {"primry": "#7a1f5c"}
    assert "unknown token" in theme_errors()[0].msg


def test_the_contrast_ratio_is_wcags():
    assert theme.contrast("#ffffff", "#000000") == pytest.approx(21)
    assert theme.contrast("#00566b", "#ffffff") == pytest.approx(8.3, abs=0.1)
    assert theme.contrast("#fff", "#777") == pytest.approx(4.48, abs=0.01)


def test_configured_colours_come_as_a_stylesheet_every_page_links(settings):
    settings.STEUNPUNT_COLORS = {"primary": "#7a1f5c", "link": "#7a1f5c"}
    page = Client().get("/privacy/").content.decode()
    url = re.search(r'<link rel="stylesheet" href="(/thema\.css\?v=\w+)">', page).group(1)
    assert page.index("css/steunpunt") < page.index(url)  # after the base tokens
    response = Client().get(url)
    assert response["Content-Type"].startswith("text/css")
    assert "immutable" in response["Cache-Control"]
    assert not response.cookies
    css = response.content.decode()
    assert "--steunpunt-color-primary: #7a1f5c;" in css
    assert "--steunpunt-color-link: #7a1f5c;" in css


def test_without_colours_of_its_own_no_theme_stylesheet(settings):
    settings.STEUNPUNT_COLORS = {}
    assert "/thema.css" not in Client().get("/").content.decode()


def test_the_name_and_logo_come_from_the_settings(settings):
    settings.STEUNPUNT_NAME = "Steunpunt Passend Onderwijs Rivierenland"
    settings.STEUNPUNT_LOGO = "img/logo-lindewaarde.svg"
    page = Client().get("/begrippen/").content.decode()
    header = page[page.index('<header class="site-header">') : page.index("</header>")]
    # The logo beside the name, which is the link's text: not read out twice.
    logo = r'<img class="site-header__logo" src="[^"]*logo-lindewaarde[^"]*\.svg" alt=""'
    assert re.search(logo, header)
    assert "<span>Steunpunt Passend Onderwijs Rivierenland</span>" in header
    settings.STEUNPUNT_LOGO = ""
    from steunpunt.cache import forget_kept

    forget_kept()  # the top of the page is kept per process
    assert "site-header__logo" not in Client().get("/begrippen/").content.decode()


def test_the_demo_logo_names_itself():
    svg = LOGO.read_text(encoding="utf-8")
    assert 'role="img"' in svg
    assert re.search(r"<title[^>]*>Logo van [^<]+</title>", svg)
