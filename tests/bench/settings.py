"""Production settings plus the load benchmark's constant view (tests/bench/urls.py)."""

from steunpunt.settings import *  # noqa: F403

ROOT_URLCONF = "tests.bench.urls"
