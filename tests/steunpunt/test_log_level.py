"""LOG_LEVEL is read as bin/serve reads it: "warning" and "WARNING" alike."""

from tests.steunpunt.test_settings import PRODUCTION_ENV, run_manage


def test_a_lower_case_log_level_starts_the_portal():
    result = run_manage("check", env={**PRODUCTION_ENV, "LOG_LEVEL": "warning"})
    assert result.returncode == 0, result.stderr
