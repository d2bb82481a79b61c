"""gunicorn as it would be configured for production, to compare with granian.

The portal runs in granian (bin/serve); tests/bench/bench_load.py measures
gunicorn's sync and gthread workers beside it, with these settings.
"""

import multiprocessing
import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
# Two workers per core, plus one.
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count() + 1))
worker_class = os.environ.get("WEB_WORKER_CLASS", "sync")
threads = int(os.environ.get("WEB_THREADS", 1))
# Load the application once, then fork: faster starts, less memory.
preload_app = True
# A worker that hangs is replaced; a slow PDF report still fits.
timeout = int(os.environ.get("WEB_TIMEOUT", 60))
graceful_timeout = 30
keepalive = 5
# Replace workers now and then, so a slow leak never grows large.
max_requests = 2000
max_requests_jitter = 200
# Privacy: no access log (it would hold the addresses of askers). Errors go to stderr.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
# The proxy in front (nginx, a load balancer) is trusted for X-Forwarded-Proto.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
