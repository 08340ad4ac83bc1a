"""Load benchmark for the anonymous tip line, against a real HTTP server on loopback.

Starts gunicorn (several workers) on 127.0.0.1 with a fresh database, then, for each concurrency
level, runs that many clients for a bounded time. Each client does what a reporter's browser does:
GET the form (a fresh signed submission token), POST the tip, check that the acknowledgement
carries a codename. Every 10th submission is sent twice with the same token (a double click): the
second answer must carry the same codename. Afterwards the tips are counted in the database:
acknowledged tips must all be there, exactly once.

    .venv/bin/python benchmarks/tips_load.py                      # SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/beacon_tips_bench .venv/bin/python benchmarks/tips_load.py

Two ways to load the server:

- closed loop (default): each of N clients sends its next tip as soon as the last is answered, so
  the server is always saturated and the figure is its maximum throughput; latency is then
  clients / throughput (Little's law), queueing rather than service time.
- open loop (``--rate R``): tips arrive on a fixed schedule, R a second, spread over at most N
  reporters at once; each tip's latency is measured from its scheduled arrival, so time spent
  waiting for a free reporter or a busy server counts too (no coordinated omission).

    .venv/bin/python benchmarks/tips_load.py --rate 200 --concurrency 50 200

Only loopback is ever contacted. Rate limiting is switched off for the run (every client shares
127.0.0.1, so the per-client limit would stop the benchmark); everything else is production code.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import uvloop  # about a third less CPU per tip in the load generator than asyncio's own loop

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
TOKEN = re.compile(rb'name="token" value="([^"]+)"')
CONTENT_LENGTH = re.compile(rb"\r\ncontent-length:\s*(\d+)", re.IGNORECASE)
CODENAME = re.compile(rb'id="codename"[^>]*>([^<]+)<')


@dataclass
class Stats:
    latencies: list[float] = field(default_factory=list)  # seconds, POST of a new tip
    arrival_latencies: list[float] = field(default_factory=list)  # open loop: scheduled arrival -> acknowledged
    acknowledged: list[str] = field(default_factory=list)  # codenames
    errors: int = 0
    error_samples: list[str] = field(default_factory=list)
    double_clicks: int = 0
    double_click_mismatches: int = 0

    def error(self, what: str) -> None:
        self.errors += 1
        if len(self.error_samples) < 5:
            self.error_samples.append(what[:200])


def tip_form(token: str, n: int) -> dict[str, str]:
    return {
        "token": token,
        "narrative": f"Load test report {n}: workers kept in a warehouse, passports taken.",
        "location_kind": "county",
        "county": "17031",
        "when": "week",
        "child_involved": "unknown",
        "contact_preference": "codename",
        "phones": f"312-555-{n % 10000:04d}",
        "flag_RESTRICTED_MOVEMENT": "yes",
    }


class Loopback:
    """A minimal HTTP/1.1 client for this benchmark: one connection per request (`Connection: close`),
    read to the end. The load generator shares the server's two cores, so it should cost little:
    a general client library spent about as much CPU per tip as a quarter of the server's work."""

    def __init__(self, port: int, timeout: float = 30.0) -> None:
        self.port, self.timeout = port, timeout

    async def request(self, method: str, path: str, form: dict[str, str] | None = None) -> tuple[int, bytes, bytes]:
        return await asyncio.wait_for(self._request(method, path, form), self.timeout)

    async def _request(self, method: str, path: str, form: dict[str, str] | None) -> tuple[int, bytes, bytes]:
        reader, writer = await asyncio.open_connection("127.0.0.1", self.port)
        try:
            head = f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{self.port}\r\nConnection: close\r\n"
            body = b""
            if form is not None:
                body = urlencode(form).encode()
                head += f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {len(body)}\r\n"
            writer.write(head.encode() + b"\r\n" + body)
            headers = await reader.readuntil(b"\r\n\r\n")
            if not headers.startswith(b"HTTP/1."):
                raise ConnectionError(f"no HTTP response ({headers[:60]!r})")
            length = CONTENT_LENGTH.search(headers)
            # Close as soon as the response is complete, as a proxy in front of the workers does:
            # the worker lingers after its last byte until the client has closed.
            payload = await (reader.readexactly(int(length.group(1))) if length else reader.read(-1))
        finally:
            writer.close()
        return int(headers.split(b" ", 2)[1]), headers.lower(), payload


async def _one_tip(http: Loopback, stats: Stats, n: int, arrival: float | None) -> None:
    """What a reporter's browser does: fetch the form, post the tip; every 10th tip twice (a double click)."""
    try:
        status, _, page = await http.request("GET", "/en/report/")
        if status != 200:
            stats.error(f"GET {status}")
            return
        token = TOKEN.search(page).group(1).decode()
        form = tip_form(token, n)
        began = time.perf_counter()
        status, headers, body = await http.request("POST", "/en/report/", form)
        done = time.perf_counter()
        match = CODENAME.search(body)
        if status != 200 or not match:
            stats.error(f"POST {status}: {body[:120]!r}")
            return
        if b"\r\nset-cookie:" in headers:
            stats.error("a cookie was set")
        stats.latencies.append(done - began)
        if arrival is not None:
            stats.arrival_latencies.append(done - arrival)
        codename = match.group(1).strip().decode()
        stats.acknowledged.append(codename)
        if n % 10 == 0:  # a double click: the same token again
            stats.double_clicks += 1
            status, _, again = await http.request("POST", "/en/report/", form)
            second = CODENAME.search(again)
            if status != 200 or not second or second.group(1).strip().decode() != codename:
                stats.double_click_mismatches += 1
    except (TimeoutError, OSError, AttributeError, ValueError, asyncio.IncompleteReadError) as exc:
        stats.error(f"{type(exc).__name__}: {exc}")


async def _client(http: Loopback, deadline: float, stats: Stats, start_n: int) -> None:
    n = start_n
    while time.monotonic() < deadline:
        n += 1
        await _one_tip(http, stats, n, None)


async def _open_loop(http: Loopback, duration: float, rate: float, reporters: int, stats: Stats) -> None:
    """Tips arrive every 1/rate seconds; at most `reporters` are in progress at once."""
    slots = asyncio.Semaphore(reporters)
    tasks: set[asyncio.Task] = set()
    start = time.perf_counter()
    total = int(duration * rate)

    async def reporter(n: int, arrival: float) -> None:
        async with slots:
            await _one_tip(http, stats, n, arrival)

    for i in range(total):
        arrival = start + i / rate
        delay = arrival - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        task = asyncio.create_task(reporter(i + 1, arrival))
        tasks.add(task)
        task.add_done_callback(tasks.discard)
    if tasks:
        await asyncio.gather(*tasks)


async def _run(port: int, concurrency: int, duration: float, rate: float | None) -> tuple[Stats, float]:
    stats = Stats()
    http = Loopback(port)
    deadline = time.monotonic() + duration
    began = time.monotonic()
    if rate:
        await _open_loop(http, duration, rate, concurrency, stats)
    else:
        await asyncio.gather(*(_client(http, deadline, stats, i * 1_000_000) for i in range(concurrency)))
    return stats, time.monotonic() - began


def _cpu_seconds(match: str) -> float:
    """User + system CPU of the processes whose command line contains `match`, and of their exited children."""
    total = 0
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if match.encode() not in (proc / "cmdline").read_bytes():
                continue
            fields = (proc / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # utime, stime, and cutime, cstime: the CPU of children that already exited (a database
        # backend closed when its connection reached its maximum age) stays counted in the parent
        total += sum(int(f) for f in fields[11:15])
    return total / os.sysconf("SC_CLK_TCK")


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _manage(env: dict[str, str], *args: str, quiet: bool = False) -> None:
    subprocess.run([str(VENV_BIN / "beacon"), *args], env=env, check=True, cwd=ROOT, capture_output=quiet)


def prepare_database(env: dict[str, str], *, flush: bool) -> None:
    """Migrate the database `env` points at (optionally emptied) and add the county the tips name."""
    _manage(env, "migrate", "-v0")
    if flush:
        _manage(env, "flush", "--no-input", "-v0")
    county = (
        "from beacon.reference.models import County\n"
        "County.objects.get_or_create(fips='17031', defaults={'name': 'Cook County'})"
    )
    _manage(env, "shell", "-c", county, quiet=True)


def _db_counts(env: dict[str, str], since: float) -> dict[str, int]:
    """Tips stored since `since` (a Unix time), and any submission key or codename stored twice."""
    code = (
        "import json, datetime\nfrom django.db.models import Count\nfrom beacon.tips.models import Tip\n"
        f"qs = Tip.objects.filter(created_at__gte=datetime.datetime.fromtimestamp({since}, datetime.UTC))\n"
        "dups = qs.values('submission_key').annotate(n=Count('id')).filter(n__gt=1).count()\n"
        "codenames = qs.values('codename_index').annotate(n=Count('id')).filter(n__gt=1).count()\n"
        "print('COUNTS' + json.dumps({'tips': qs.count(), 'dup_keys': dups, 'dup_codenames': codenames}))"
    )
    out = subprocess.run(
        [str(VENV_BIN / "beacon"), "shell", "-c", code], env=env, check=True, cwd=ROOT, capture_output=True, text=True
    ).stdout
    return json.loads(out.split("COUNTS", 1)[1].strip())


def _wait_ready(base: str, limit: float = 30) -> None:
    import urllib.request

    end = time.monotonic() + limit
    while time.monotonic() < end:
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("the server did not start")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[50, 200])
    parser.add_argument("--duration", type=float, default=60.0, help="seconds per run (bounded)")
    # One sync worker per core, as docs/operations.md deploys the app next to its database: the
    # work is CPU-bound, and more workers only contended for the same cores (measured in docs/benchmarks.md).
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--worker-class", default="sync", choices=["sync", "gthread"])
    parser.add_argument("--threads", type=int, default=4, help="gthread only")
    parser.add_argument("--port", type=int, default=8799)
    parser.add_argument("--rate", type=float, default=None, help="open loop: tips arriving per second")
    args = parser.parse_args()
    if args.duration > 600:
        raise SystemExit("--duration is bounded to 600 seconds")

    workdir = Path(tempfile.mkdtemp(prefix="beacon-tips-bench-"))
    env = dict(os.environ)
    env.update(
        {
            "BEACON_VAR_DIR": str(workdir),
            "BEACON_DEBUG": "0",
            "BEACON_LOG_LEVEL": "WARNING",
            "BEACON_TIP_RATE_LIMIT": "0",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "PYTHONPATH": str(ROOT / "src"),
        }
    )
    database = env.get("DATABASE_URL", "sqlite (BEACON_VAR_DIR)")
    print(f"load average before the runs: {os.getloadavg()}", flush=True)
    prepare_database(env, flush=True)  # a clean database: earlier runs used other keys
    base = f"http://127.0.0.1:{args.port}"
    server = subprocess.Popen(
        [
            str(VENV_BIN / "gunicorn"),
            "beacon.wsgi:application",
            "--bind",
            f"127.0.0.1:{args.port}",
            "--workers",
            str(args.workers),
            "--worker-class",
            args.worker_class,
            *(["--threads", str(args.threads)] if args.worker_class == "gthread" else []),
            "--backlog",
            "2048",
            "--log-level",
            "warning",
            "--timeout",
            "60",
        ],
        env=env,
        cwd=ROOT,
        start_new_session=True,
    )
    results = []
    try:
        _wait_ready(base)
        for concurrency in args.concurrency:
            since = time.time() - 1
            cpu_before = (_cpu_seconds("gunicorn"), _cpu_seconds("postgres"), time.process_time())
            stats, elapsed = uvloop.run(_run(args.port, concurrency, args.duration, args.rate))
            cpu_after = (_cpu_seconds("gunicorn"), _cpu_seconds("postgres"), time.process_time())
            app_cpu, db_cpu, client_cpu = (b - a for a, b in zip(cpu_before, cpu_after, strict=True))
            counts = _db_counts(env, since)
            acknowledged = len(stats.acknowledged)
            result = {
                "database": "postgresql" if database.startswith("postgres") else "sqlite",
                "concurrency": concurrency,
                "mode": f"open loop, {args.rate:g}/s" if args.rate else "closed loop",
                "seconds": round(elapsed, 1),
                "acknowledged": acknowledged,
                "per_second": round(acknowledged / elapsed, 1),
                "p50_ms": round(_percentile(stats.latencies, 0.50) * 1000, 1),
                "p99_ms": round(_percentile(stats.latencies, 0.99) * 1000, 1),
                "mean_ms": round(statistics.fmean(stats.latencies) * 1000, 1) if stats.latencies else None,
                "arrival_p50_ms": round(_percentile(stats.arrival_latencies, 0.50) * 1000, 1),
                "arrival_p99_ms": round(_percentile(stats.arrival_latencies, 0.99) * 1000, 1),
                # CPU per acknowledged tip: the application server, the database (0 for SQLite), the load generator
                "cpu_ms_per_tip": {
                    name: round(value * 1000 / max(1, acknowledged), 2)
                    for name, value in (("app", app_cpu), ("database", db_cpu), ("load_generator", client_cpu))
                },
                "errors": stats.errors,
                "error_samples": stats.error_samples,
                "double_clicks": stats.double_clicks,
                "double_click_mismatches": stats.double_click_mismatches,
                "tips_in_db": counts["tips"],
                "lost": max(0, acknowledged - counts["tips"]),
                "unacknowledged_extra": max(0, counts["tips"] - acknowledged),
                "duplicate_keys": counts["dup_keys"],
                "duplicate_codenames": counts["dup_codenames"],
                "distinct_codenames_acknowledged": len(set(stats.acknowledged)),
            }
            results.append(result)
            print(json.dumps(result), flush=True)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
        shutil.rmtree(workdir, ignore_errors=True)
    print(f"\nload average after the runs: {os.getloadavg()}")
    print("\n| database | mode | clients | tips/s | p50 ms | p99 ms | arrival p99 ms | errors | lost | duplicated |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r in results:
        print(
            f"| {r['database']} | {r['mode']} | {r['concurrency']} | {r['per_second']} | {r['p50_ms']} | "
            f"{r['p99_ms']} | {r['arrival_p99_ms']} | {r['errors']} | {r['lost']} | "
            f"{r['duplicate_keys'] + r['double_click_mismatches']} |"
        )


if __name__ == "__main__":
    main()
