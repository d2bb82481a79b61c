"""The WSGI application that bin/serve (granian) runs.

Before the first request the URLconf (and with it every view, form and
model) is loaded and everything alive at that point is moved out of the
garbage collector's sight (gc.freeze). Those objects live as long as the
process, yet a full collection went through all of them: 65-120 ms in which
no thread of the worker answers, a few times a minute under load, and every
request waiting meanwhile got slower (tests/bench/bench_load.py, its "gc"
column). Now a full collection walks only what was made since: 5-36 ms.
"""

import gc
import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "steunpunt.settings")
application = get_wsgi_application()
get_resolver().url_patterns  # noqa: B018 (imports every view now, not in the first request)
gc.collect()
gc.freeze()
