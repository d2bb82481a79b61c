"""/healthz names the part that is down; bin/serve refuses a port that is taken."""

import socket
import subprocess
from datetime import timedelta

from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tests.servers import ROOT, clean_env, free_port

REDIS_AWAY = {
    # Nothing listens on port 9 of loopback: a Redis that is down.
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:9/0",
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    },
    "local": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
}
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def test_healthz_keeps_a_server_in_service_while_only_the_cache_is_away(client, db):
    with override_settings(CACHES=REDIS_AWAY):
        health = client.get("/healthz")
    assert health.status_code == 200
    assert health.json()["status"] == "degraded"
    assert health.json()["cache"] == "unavailable"
    assert health.json()["database"] == "ok"


def test_healthz_takes_a_server_out_when_the_database_is_away(client):
    # Without the db fixture pytest-django refuses every query: a database that is down.
    health = client.get("/healthz")
    assert health.status_code == 503
    assert health.json()["database"] == "unavailable"
    assert health.json()["status"] == "error"


def test_healthz_says_when_no_worker_takes_the_tasks(client, db, settings):
    settings.TASKS = DATABASE_TASKS
    assert client.get("/healthz").json()["tasks"] == "ok"
    DBTaskResult.objects.create(
        task_path="steunpunt.tasks.prune_task_results",
        args_kwargs={"args": [], "kwargs": {}},
        backend_name="default",
        queue_name="default",
        run_after=timezone.now() - timedelta(minutes=20),
    )
    health = client.get("/healthz")
    assert health.status_code == 200  # questions still come in; the mails wait
    assert health.json() == {"status": "degraded", "database": "ok", "cache": "ok", "tasks": "late"}


def test_a_second_server_on_a_taken_port_refuses_to_start():
    port = free_port()
    # As granian listens: with SO_REUSEPORT, which let a second one start silently.
    with socket.socket() as first:
        first.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
        first.bind(("127.0.0.1", port))
        first.listen()
        second = subprocess.run(
            [str(ROOT / "bin" / "serve")],
            cwd=ROOT,
            env=clean_env(HOST="127.0.0.1", PORT=str(port), WEB_CONCURRENCY="1"),
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    assert second.returncode != 0
    assert f"cannot listen on 127.0.0.1:{port}" in second.stderr
    assert "already running" in second.stderr
