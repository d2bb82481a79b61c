"""The type checker runs in bin/check, strict for the packages made to pass it."""

import tomllib

from tests.servers import ROOT

STRICT_PACKAGES = ("steunpunt", "signaleren")


def mypy_config() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mypy"]


def test_bin_check_runs_mypy_before_the_tests():
    check = (ROOT / "bin" / "check").read_text()
    assert ".venv/bin/mypy" in check
    assert check.index(".venv/bin/mypy") < check.index(".venv/bin/pytest")


def test_mypy_is_strict_with_the_django_plugin_and_checks_every_app():
    config = mypy_config()
    assert config["strict"] is True
    assert "mypy_django_plugin.main" in config["plugins"]
    for package in ("steunpunt", "informeren", "steunen", "signaleren"):
        assert package in config["files"]


def test_no_override_loosens_the_strict_packages():
    for override in mypy_config().get("overrides", []):
        modules = override["module"]
        modules = [modules] if isinstance(modules, str) else modules
        loosened = [m for m in modules if m.split(".")[0] in STRICT_PACKAGES]
        assert not loosened, f"{loosened} must stay strict (issue 25, item 1)"


def test_mypy_and_the_django_stubs_are_pinned_for_the_checks():
    dev = tomllib.loads((ROOT / "pyproject.toml").read_text())["dependency-groups"]["dev"]
    pins = [item for item in dev if isinstance(item, str)]
    assert any(pin.startswith("mypy==") for pin in pins)
    assert any(pin.startswith("django-stubs==") for pin in pins)
