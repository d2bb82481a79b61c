"""The garbage collector's pauses in the benchmarked server, for bench_load.py.

A collection holds the GIL: no thread of the worker answers meanwhile, so a
long pause shows in the latencies of every request waiting behind it.
bench_load.py reads (and resets) the longest pause of each fixed-rate run
through /bench/gc/.
"""

import gc
import json
import threading
import time

from django.http import HttpRequest, HttpResponse

_lock = threading.Lock()
_started = {"at": 0.0}
_pauses = {"longest_ms": 0.0}


def _on_collect(phase: str, info: dict) -> None:
    # Called by the collector itself, with the GIL held: no other thread runs.
    if phase == "start":
        _started["at"] = time.perf_counter()
        return
    took = (time.perf_counter() - _started["at"]) * 1000
    _pauses["longest_ms"] = max(_pauses["longest_ms"], took)


def watch() -> None:
    if _on_collect not in gc.callbacks:
        gc.callbacks.append(_on_collect)


def pauses(request: HttpRequest) -> HttpResponse:
    """The longest pause since the last call, as JSON; starts afresh."""
    with _lock:
        seen = dict(_pauses)
        _pauses["longest_ms"] = 0.0
    return HttpResponse(json.dumps(seen), content_type="application/json")
