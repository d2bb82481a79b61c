"""A yes/no setting accepts only yes/no words: a typo stops the start instead of meaning "no"."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from steunpunt.settings import env_bool
from tests.steunpunt.test_settings import PRODUCTION_ENV, run_manage


@pytest.mark.parametrize("word", ["1", "true", "TRUE", "Yes", "on", " on "])
def test_yes_words_switch_a_setting_on(monkeypatch, word):
    monkeypatch.setenv("STEUNPUNT_TEST_SWITCH", word)
    assert env_bool("STEUNPUNT_TEST_SWITCH", default=False) is True


@pytest.mark.parametrize("word", ["0", "false", "False", "NO", "off"])
def test_no_words_switch_a_setting_off(monkeypatch, word):
    monkeypatch.setenv("STEUNPUNT_TEST_SWITCH", word)
    assert env_bool("STEUNPUNT_TEST_SWITCH", default=True) is False


@pytest.mark.parametrize("default", [True, False])
def test_unset_or_empty_gives_the_default(monkeypatch, default):
    monkeypatch.delenv("STEUNPUNT_TEST_SWITCH", raising=False)
    assert env_bool("STEUNPUNT_TEST_SWITCH", default=default) is default
    monkeypatch.setenv("STEUNPUNT_TEST_SWITCH", "")
    assert env_bool("STEUNPUNT_TEST_SWITCH", default=default) is default
    monkeypatch.setenv("STEUNPUNT_TEST_SWITCH", "  ")
    assert env_bool("STEUNPUNT_TEST_SWITCH", default=default) is default


@pytest.mark.parametrize("word", ["ture", "y", "enabled", "2", "nee"])
def test_an_unknown_word_is_refused_naming_the_variable(monkeypatch, word):
    monkeypatch.setenv("STEUNPUNT_TEST_SWITCH", word)
    with pytest.raises(ImproperlyConfigured) as refused:
        env_bool("STEUNPUNT_TEST_SWITCH")
    assert "STEUNPUNT_TEST_SWITCH" in str(refused.value)
    assert repr(word) in str(refused.value)


def test_the_portal_does_not_start_with_a_misspelt_switch():
    result = run_manage("check", env={**PRODUCTION_ENV, "SECURE_HSTS_PRELOAD": "ture"})
    assert result.returncode != 0
    assert "SECURE_HSTS_PRELOAD='ture' is not a yes/no value" in result.stderr
