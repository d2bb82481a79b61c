"""Production settings plus the two reference views of the load benchmark."""

from steunpunt.settings import *  # noqa: F403

ROOT_URLCONF = "tests.bench.urls"
