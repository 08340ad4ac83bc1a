"""CPU of one anonymous tip inside the application, without an HTTP server, and where it goes.

Sends tips through Django's WSGI handler in this process (the same GET of the form and POST of
the tip as benchmarks/tips_load.py, no double clicks) and reports CPU time per tip, in all and
for the main steps. The difference from the CPU per tip that tips_load.py reads off the gunicorn
workers is the server's share (parsing, connections, context switches).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/beacon_tips_bench .venv/bin/python benchmarks/tip_cpu.py
    .venv/bin/python benchmarks/tip_cpu.py --tips 2000        # SQLite in a temporary directory

It migrates the database it is given and adds tips to it: use a benchmark database. It also
reports how long a worker's first tip takes after the application is loaded (warm-up included).
"""

from __future__ import annotations

import argparse
import collections
import functools
import io
import os
import sys
import tempfile
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from tips_load import ROOT, TOKEN, prepare_database, tip_form  # the load benchmark's tip and database


def _environment() -> None:
    os.environ.setdefault("BEACON_VAR_DIR", tempfile.mkdtemp(prefix="beacon-tip-cpu-"))
    os.environ.update({"BEACON_DEBUG": "0", "BEACON_LOG_LEVEL": "WARNING", "BEACON_TIP_RATE_LIMIT": "0"})
    os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "beacon.settings")
    sys.path.insert(0, str(ROOT / "src"))
    prepare_database(dict(os.environ, PYTHONPATH=str(ROOT / "src")), flush=False)


def _caller(application: Callable[..., Any]) -> Callable[[str, str, bytes], tuple[str, bytes]]:
    def call(method: str, path: str, body: bytes = b"") -> tuple[str, bytes]:
        environ = {
            "REQUEST_METHOD": method,
            "PATH_INFO": path,
            "QUERY_STRING": "",
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "8000",
            "HTTP_HOST": "127.0.0.1",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1",
            "wsgi.input": io.BytesIO(body),
            "wsgi.url_scheme": "http",
            "wsgi.errors": sys.stderr,
            "CONTENT_LENGTH": str(len(body)),
        }
        if body:
            environ["CONTENT_TYPE"] = "application/x-www-form-urlencoded"
        status: list[str] = []
        payload = b"".join(application(environ, lambda s, headers, exc_info=None: status.append(s)))
        return status[0], payload

    return call


def _tip(call: Callable[[str, str, bytes], tuple[str, bytes]], n: int) -> None:
    _, page = call("GET", "/en/report/")
    form = tip_form(TOKEN.search(page).group(1).decode(), n)
    status, body = call("POST", "/en/report/", urlencode(form).encode())
    if not status.startswith("200") or b'id="codename"' not in body:
        raise SystemExit(f"the tip was not acknowledged: {status} {body[:200]!r}")


def _timed(spent: collections.Counter, owner: Any, name: str, label: str) -> None:
    original = getattr(owner, name)

    @functools.wraps(original)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        began = time.process_time()
        try:
            return original(*args, **kwargs)
        finally:
            spent[label] += time.process_time() - began

    setattr(owner, name, wrapper)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tips", type=int, default=1000)
    args = parser.parse_args()
    _environment()

    began = time.perf_counter()
    from beacon.wsgi import application  # warms the worker up, as under gunicorn

    loaded = time.perf_counter() - began
    call = _caller(application)
    began = time.perf_counter()
    _tip(call, 0)
    print(
        f"application loaded and warmed up in {loaded:.2f} s; first tip {1000 * (time.perf_counter() - began):.0f} ms"
    )

    from django.db.backends.base.base import BaseDatabaseWrapper
    from django.db.models import QuerySet
    from django.forms import BaseForm

    from beacon.portal import views
    from beacon.tips import codenames, services
    from beacon.tips.models import Tip

    spent: collections.Counter = collections.Counter()
    for owner, name, label in (
        (services, "submit_tip", "submit_tip (all of storing the tip)"),
        (codenames, "slow_hash", "  argon2id codename hash"),
        (Tip, "save", "  tip insert (ORM, encryption)"),
        (QuerySet, "bulk_create", "  identifier rows"),
        (services, "record", "  audit entry"),
        (BaseDatabaseWrapper, "close_if_health_check_failed", "  connection health check"),
        (BaseDatabaseWrapper, "commit", "  commit"),
        (BaseForm, "full_clean", "form validation"),
        (views, "_acknowledgement", "acknowledgement page"),
    ):
        _timed(spent, owner, name, label)
    for n in range(1, 21):
        _tip(call, n)
    spent.clear()
    cpu, wall = time.process_time(), time.perf_counter()
    for n in range(args.tips):
        _tip(call, 1000 + n)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    per_tip = 1000 / args.tips
    print(f"{args.tips} tips: {cpu * per_tip:.2f} ms CPU per tip (GET + POST), {wall * per_tip:.2f} ms wall")
    for label, seconds in spent.items():
        print(f"  {seconds * per_tip:6.3f} ms  {label}")


if __name__ == "__main__":
    main()
