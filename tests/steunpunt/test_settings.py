"""Settings come from the environment; production refuses unsafe defaults."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from tests.servers import OURS

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "Zq8v-3kP_w9Lr2tYx7Nf0bHs6Jd1Gc4Ma5Ue8Io2Kp7Rt3Wy6Qn9Vm1Xb4Lz0Sd",
    "ALLOWED_HOSTS": "steunpunt.example.nl",
    "DATABASE_URL": "sqlite:////tmp/steunpunt-deploy-check.sqlite3",
    "EMAIL_HOST": "smtp.example.nl",
    "FIELD_ENCRYPTION_KEYS": "8b0gmgmY5rYvCYcnhwXktfQ0O-6mF9cUlB3ZRJ9s2vU=",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
}


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(OURS)}
    clean.update(env, DJANGO_SETTINGS_MODULE="steunpunt.settings")
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_is_clean_with_production_variables():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_warns_when_processes_would_not_share_a_cache():
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "REDIS_URL"}
    result = run_manage("check", "--deploy", env=env)
    assert "steunpunt.W001" in result.stderr + result.stdout


def test_production_refuses_to_start_without_secret_key():
    env = {**PRODUCTION_ENV, "SECRET_KEY": ""}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_secret_key_can_come_from_a_file(tmp_path):
    key_file = tmp_path / "secret"
    key_file.write_text(PRODUCTION_ENV["SECRET_KEY"] + "\n")
    env = {**PRODUCTION_ENV, "SECRET_KEY": "", "SECRET_KEY_FILE": str(key_file)}
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stderr


def test_development_runs_without_any_variables():
    result = run_manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.conf import settings; print(settings.DATABASES['default']['NAME'])",
        env={"DEBUG": "1"},
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(ROOT / "var" / "steunpunt.sqlite3")


def test_interface_is_dutch_and_dates_are_amsterdam_time():
    assert settings.LANGUAGE_CODE == "nl"
    assert settings.TIME_ZONE == "Europe/Amsterdam"


def test_production_refuses_to_start_without_an_encryption_key():
    env = {**PRODUCTION_ENV, "FIELD_ENCRYPTION_KEYS": ""}
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert "FIELD_ENCRYPTION_KEYS is not set" in result.stderr


def test_a_shared_redis_cache_counts_across_processes():
    """With REDIS_URL set, counters (rate limits, read counts) live in Redis for every process."""
    code = (
        "from django.core.cache import cache; cache.add('steunpunt-test-counter', 0, 30); "
        "print(cache.incr('steunpunt-test-counter'))"
    )
    env = {"DEBUG": "1", "REDIS_URL": "redis://127.0.0.1:6379/15"}
    first = run_manage("shell", "--no-imports", "-c", code, env=env)
    if first.returncode != 0 and "Connection refused" in first.stderr:
        pytest.skip("no Redis on 127.0.0.1:6379")
    second = run_manage("shell", "--no-imports", "-c", code, env=env)
    assert first.returncode == 0, first.stderr
    assert int(second.stdout.strip()) == int(first.stdout.strip()) + 1
    run_manage(
        "shell",
        "--no-imports",
        "-c",
        "from django.core.cache import cache; cache.delete('steunpunt-test-counter')",
        env=env,
    )
